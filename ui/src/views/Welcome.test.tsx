import { render } from "preact";
import { act } from "preact/test-utils";
import { describe, expect, it } from "vitest";
import type { ModelPlan, PlanRequest } from "../bindings";
import { language } from "../i18n";
import { activeJob, openFirstRunIfNew, view } from "../state";
import { componentHarness, settle } from "../testing";
import { Welcome } from "./Welcome";

const machine = { memory_bytes: 8 * 2 ** 30, cores: 4, gpu: null };

/** What the engine answers for the tasks ticked: German and photo tags as the catalog has them. */
function plan(request: PlanRequest): ModelPlan {
  const models: ModelPlan["models"] = [];
  if (request.translate_to.includes("de")) {
    models.push({
      id: "opus-mt-en-de",
      name: "opus-mt en→de",
      task: "translate",
      uses: [{ kind: "translate", from: "en", to: "de" }],
      download_bytes: 300_000_000,
      disk_bytes: 379_687_500,
      ram_mb: 350,
      present: false,
    });
  }
  if (request.tag_photos) {
    models.push({
      id: "clip-vit-base-patch32",
      name: "CLIP ViT-B/32",
      task: "zero-shot-image",
      uses: [{ kind: "tag_photos" }],
      download_bytes: null,
      disk_bytes: null,
      ram_mb: 700,
      present: false,
    });
  }
  return {
    machine,
    models,
    download_bytes: request.translate_to.includes("de") ? 300_000_000 : 0,
    unknown_sizes: request.tag_photos ? 1 : 0,
    disk_bytes: request.translate_to.includes("de") ? 379_687_500 : 0,
    largest_ram_mb: Math.max(0, ...models.map((model) => model.ram_mb)),
    proposals: [{ kind: "precision", precision: "q8_0", gpu: null }],
    unreachable: [],
  };
}

const ui = componentHarness((cmd, args) => {
  switch (cmd) {
    case "plan_models":
      return plan((args as { request: PlanRequest }).request);
    case "first_run":
      return { show: true, machine };
    case "start_job":
      return 7;
    case "plugin:dialog|open":
      return "/media/usb/models";
    default:
      return null;
  }
});
const byTestId = ui.byTestId;
const click = async (id: string) => {
  await act(() => {
    const element = byTestId(id);
    if (!element) throw new Error(`no ${id}`);
    (element.querySelector("input") ?? element).click();
  });
  await act(settle);
};

describe("the first run", () => {
  it("opens on an empty data folder and offers the demo, the seller's files and the models", async () => {
    view.value = "listings";
    await openFirstRunIfNew();
    expect(view.value).toBe("welcome");
    await act(() => render(<Welcome />, ui.root));
    expect(byTestId("welcome-demo")).not.toBeNull();
    expect(byTestId("welcome-import-orders")).not.toBeNull();
    expect(byTestId("welcome-models")!.textContent).toContain("Tick a task to see the models it needs.");
    expect(ui.calls.map(([cmd]) => cmd)).not.toContain("plan_models");
  });

  it("lists the models for German and photo tags with their sizes, and downloads them in one job", async () => {
    activeJob.value = null;
    await act(() => render(<Welcome />, ui.root));
    await click("task-translate-de");
    await click("task-tag_photos");
    expect(ui.calls).toContainEqual([
      "plan_models",
      { request: { from: "en", translate_to: ["de"], tag_photos: true, alt_text: false, answer_buyers: false } },
    ]);
    const rows = [...ui.root.querySelectorAll('[data-testid="planned-model"]')];
    expect(rows.map((row) => row.getAttribute("data-model"))).toEqual(["opus-mt-en-de", "clip-vit-base-patch32"]);
    expect(rows[0].textContent).toContain("300.0 MB");
    expect(rows[0].textContent).toContain("350.0 MB");
    expect(rows[1].textContent).toContain("shown when downloaded");
    expect(byTestId("plan-total")!.textContent).toContain("and 1 models whose size the catalog does not give yet");
    expect(byTestId("plan-machine")!.textContent).toContain("4 cores");
    expect(byTestId("plan-why")!.textContent).toContain("8-bit weights");
    await click("plan-download");
    const started = ui.calls.find(([cmd]) => cmd === "start_job")![1] as { spec: unknown };
    expect(started.spec).toEqual({ kind: "download_models", ids: ["opus-mt-en-de", "clip-vit-base-patch32"] });
  });

  it("imports the models from a folder the seller types or chooses", async () => {
    activeJob.value = null;
    await act(() => render(<Welcome />, ui.root));
    await click("task-translate-de");
    await click("plan-have-files");
    expect(byTestId("plan-import")!.hasAttribute("disabled")).toBe(true);
    ui.type("plan-folder-path", "/media/usb/models");
    await act(settle);
    await click("plan-import");
    const started = ui.calls.find(([cmd]) => cmd === "start_job")![1] as { spec: unknown };
    expect(started.spec).toEqual({ kind: "import_models", ids: ["opus-mt-en-de"], folder: "/media/usb/models" });
  });

  it("is in Chinese for a Chinese seller, and leaving it means it is not shown again", async () => {
    language.value = "zh-CN";
    view.value = "welcome";
    await act(() => render(<Welcome />, ui.root));
    await click("task-translate-de");
    expect(byTestId("welcome")!.textContent).toContain("欢迎使用 Tradewind");
    expect(byTestId("planned-model")!.textContent).toContain("英语 → 德语");
    await click("welcome-skip");
    expect(view.value).toBe("listings");
    expect(ui.calls.map(([cmd]) => cmd)).toContain("finish_first_run");
    language.value = "en";
  });
});
