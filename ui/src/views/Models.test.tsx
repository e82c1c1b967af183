import { render } from "preact";
import { act } from "preact/test-utils";
import { describe, expect, it } from "vitest";
import { componentHarness, settle } from "../testing";
import type { ModelStatus } from "../bindings";
import { Models } from "./Models";

const fixture: ModelStatus = {
  model: {
    id: "fixture-bert",
    name: "Fixture BERT",
    task: "embed",
    architecture: "bert",
    repo: "tradewind/fixture-bert",
    revision: "fixture",
    quantization: "f32",
    ram_mb: 1,
    licence: "MIT",
    languages: ["en"],
    note: null,
    local_dir: null,
    files: [{ name: "model.safetensors", size: 86_000, sha256: "ab".repeat(32), repo: null, revision: null, role: null }],
  },
  presence: { state: "present", location: "/fixtures/fixture-bert" },
  disk_bytes: 0,
  loaded: null,
  writes: false,
};

const cpuOnly = { choice: "cpu", using: "cpu", fallback: null, compiled: ["cpu"] };
const doctor = {
  data_dir: "/data",
  cpu: { arch: "x86_64", avx2: true, fma: true, f16c: true, neon: false },
  devices: ["cpu"],
  kernels: { avx2: true, f16c: true, neon: false, quantized_kernels: "avx2", threads: 2 },
};

/** What every Models view asks besides its models: a CPU-only machine. */
function machine(cmd: string): unknown {
  if (cmd === "device_status") return cpuOnly;
  if (cmd === "doctor") return doctor;
  return null;
}

const ui = componentHarness((cmd) => {
  switch (cmd) {
    case "models":
      return [fixture, { ...fixture, model: { ...fixture.model, id: "absent", name: "Absent" }, presence: { state: "not_present" } }];
    case "verify_model":
      return [{ name: "model.safetensors", path: "/x", size: 86_000, sha256: "ab".repeat(32), trust: "catalog" }];
    case "device_status":
      return cpuOnly;
    case "doctor":
      return doctor;
    default:
      return null;
  }
});
const byTestId = ui.byTestId;

describe("the Models view", () => {
  it("shows each model's state, verifies a present one, and offers only compiled devices", async () => {
    await act(() => render(<Models />, ui.root));
    await act(settle);
    expect(byTestId("model-status-fixture-bert")!.textContent).toBe("Ready");
    expect(byTestId("model-status-absent")!.textContent).toBe("Not on this computer");
    expect(byTestId("verify-absent")).toBeNull();
    await act(() => byTestId("verify-fixture-bert")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["verify_model", { id: "fixture-bert" }]);
    expect(byTestId("model-status-fixture-bert")!.textContent).toContain("1 files verified");
    expect((byTestId("device-cuda") as HTMLInputElement).disabled).toBe(true);
    expect((byTestId("device-cpu") as HTMLInputElement).checked).toBe(true);
  });
});

describe("trying a model", () => {
  it("runs the seller's lines through the model and shows the load cost, then the model as in memory", async () => {
    let loaded = false;
    ui.answer((cmd) => {
      switch (cmd) {
        case "models":
          return [
            {
              ...fixture,
              loaded: loaded
                ? { key: { id: "fixture-bert", device: "cpu", precision: "f32" }, load_ms: 12, weight_bytes: 86_000, resident_growth_bytes: null, cache_hit: false }
                : null,
            },
          ];
        case "run_model":
          loaded = true;
          return {
            load: { key: { id: "fixture-bert", device: "cpu", precision: "f32" }, load_ms: 12, weight_bytes: 86_000, resident_growth_bytes: null, cache_hit: false },
            output: { kind: "similarities", results: [0.91, 0.12] },
          };
        default:
          return machine(cmd);
      }
    });
    await act(() => render(<Models />, ui.root));
    await act(settle);
    expect(byTestId("model-loaded-fixture-bert")).toBeNull();
    await act(() => byTestId("try-open-fixture-bert")!.click());
    const input = byTestId("try-input") as HTMLTextAreaElement;
    await act(() => {
      input.value = "red bag\ncrimson purse\n\nknife set";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(() => byTestId("try-run")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "run_model",
      { id: "fixture-bert", texts: ["red bag", "crimson purse", "knife set"], image: null, targetLanguage: null },
    ]);
    expect(byTestId("try-load")!.textContent).toContain("Loaded in 12 ms");
    const lines = [...byTestId("try-output")!.querySelectorAll("li")].map((item) => item.textContent);
    expect(lines).toEqual(["0.910  crimson purse", "0.120  knife set"]);
    await act(settle);
    expect(byTestId("model-loaded-fixture-bert")!.textContent).toContain("loaded in 12 ms");
  });
});

describe("choosing the writer", () => {
  it("marks the model that writes and makes another present writer the one on a click", async () => {
    let writer = "smollm2";
    const writerStatus = (id: string): ModelStatus => ({
      ...fixture,
      model: { ...fixture.model, id, name: id, task: "generate", architecture: "quantized-llama" },
      writes: writer === id,
    });
    ui.answer((cmd, args) => {
      switch (cmd) {
        case "models":
          return [fixture, writerStatus("smollm2"), writerStatus("qwen")];
        case "choose_writer":
          writer = (args as { id: string }).id;
          return null;
        default:
          return machine(cmd);
      }
    });
    await act(() => render(<Models />, ui.root));
    await act(settle);
    expect(byTestId("model-writes-smollm2")!.textContent).toBe("Writes replies and listing copy");
    expect(byTestId("write-with-smollm2")).toBeNull();
    expect(byTestId("write-with-fixture-bert")).toBeNull();
    await act(() => byTestId("write-with-qwen")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["choose_writer", { id: "qwen" }]);
    await act(settle);
    expect(byTestId("model-writes-qwen")).not.toBeNull();
    expect(byTestId("model-writes-smollm2")).toBeNull();
  });
});
