import { clearMocks } from "@tauri-apps/api/mocks";
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { App } from "./App";
import type { JobEvent } from "./bindings";
import { language } from "./i18n";
import { activeJob, dataVersion, importInto, overview, problem, view } from "./state";
import { mockBackend, settle } from "./testing";

const demoLoaded: JobEvent = {
  type: "finished",
  job_id: 1,
  state: "succeeded",
  outcome: {
    kind: "load_demo",
    loaded: {
      listings: { listings: 30, variants: 74, images: 41 },
      orders: { orders: 2000, lines: 3400, skipped_rows: 0, layout: "shopify_orders" },
      other_orders: [
        { orders: 240, lines: 400, skipped_rows: 0, layout: "etsy_sold_order_items" },
        { orders: 240, lines: 0, skipped_rows: 0, layout: "etsy_sold_orders" },
      ],
      photos: { photos: 12, unchanged: 0, skipped: [] },
      reviews: [
        { layout: "judge_me", added: 156, updated: 0, skipped: 4 },
        { layout: "etsy", added: 45, updated: 0, skipped: 0 },
      ],
    },
  },
  error_kind: null,
  message: "Loaded the demo shop: 30 listings (74 variants, 41 images), 2000 orders (3400 line items), 12 photos",
};

let root: HTMLElement;

beforeEach(() => {
  root = document.createElement("div");
  document.body.append(root);
});

afterEach(() => {
  render(null, root);
  root.remove();
  clearMocks();
  view.value = "listings";
  language.value = "en";
  activeJob.value = null;
  problem.value = null;
  overview.value = null;
  dataVersion.value = 0;
});

const byTestId = (id: string) => root.querySelector<HTMLElement>(`[data-testid="${id}"]`);

/** Clicks, lets the resulting render happen, then lets the data it loads arrive. */
async function click(element: HTMLElement | null) {
  expect(element).not.toBeNull();
  await act(() => element!.click());
  await act(settle);
}

async function mount() {
  await act(() => render(<App />, root));
  await act(settle);
}

describe("the app", () => {
  it("greets a new seller with what to do first in every view", async () => {
    mockBackend();
    await mount();
    for (const id of ["listings", "photos", "analytics", "models"]) {
      await click(byTestId(`nav-${id}`));
      expect(byTestId(`view-${id}`)).not.toBeNull();
      expect(byTestId("empty-state"), id).not.toBeNull();
    }
  });

  it("loads the demo as a job, shows its progress and refreshes the counts", async () => {
    const backend = mockBackend();
    await mount();
    await click(byTestId("load-demo"));
    expect(backend.calls).toContain("start_job");
    backend.overview = { ...backend.overview, listings: 30, photos: 12, orders: 2000 };
    await act(async () => {
      backend.jobEvents!({
        type: "progress",
        job_id: 1,
        progress: { stage: "orders", done: 500_000, total: 1_000_000, unit: "bytes", rate_per_second: 250_000, eta_seconds: 2 },
      });
      await settle();
    });
    expect(byTestId("job-progress")!.textContent).toContain("500.0 KB / 1.0 MB");
    expect(byTestId("job-progress")!.textContent).toContain("2 s left");
    expect(byTestId("job-progress")!.textContent).not.toContain("segments");
    await act(async () => {
      backend.jobEvents!({
        type: "progress",
        job_id: 1,
        progress: {
          stage: "translate:de", done: 8, total: 30, unit: "items", rate_per_second: 2, eta_seconds: 11,
          throughput: { segments: 240, tokens: 4100, tokens_per_second: 412.4 },
        },
      });
      await settle();
    });
    expect(byTestId("job-progress")!.textContent).toContain("8 / 30 · 2/s · 11 s left · 240 segments · 412 tokens/s");
    await act(async () => {
      backend.jobEvents!(demoLoaded);
      await settle();
    });
    expect(byTestId("job-state")!.textContent).toContain("Done");
    expect(byTestId("job-message")!.textContent).toBe("Loaded the demo shop: 30 listings, 2,240 orders, 12 photos, 201 reviews.");
    expect(byTestId("nav-listings")!.textContent).toContain("30");
    expect(byTestId("nav-analytics")!.textContent).toContain("2,000");
  });

  it("cancels the running job from its progress bar", async () => {
    const backend = mockBackend();
    await mount();
    await click(byTestId("load-demo"));
    const cancel = [...byTestId("job-progress")!.querySelectorAll("button")].find((b) => b.textContent === "Cancel");
    await click(cancel ?? null);
    expect(backend.calls).toContain("cancel_job");
  });

  it("switches the whole interface to Simplified Chinese and back", async () => {
    const backend = mockBackend();
    await mount();
    await click(byTestId("nav-settings"));
    await click(byTestId("language-zh-CN"));
    expect(backend.calls).toContain("set_language");
    expect(byTestId("nav-listings")!.textContent).toBe("商品");
    expect(document.documentElement.lang).toBe("zh-CN");
    await click(byTestId("language-en"));
    expect(byTestId("nav-listings")!.textContent).toBe("Listings");
  });

  it("words a refused import in the seller's language, with the engine's sentence beside it", async () => {
    const backend = mockBackend();
    const detail = "/shop/products.csv, row 3, column 'Variant Price': not an amount ('12;00')";
    backend.answers.preview_listings_file = () => {
      throw { kind: "bad_input", message: detail };
    };
    backend.answers["plugin:dialog|open"] = () => "/shop/products.csv";
    await mount();
    await click(byTestId("nav-settings"));
    await click(byTestId("language-zh-CN"));
    await act(() => importInto("listings"));
    await act(settle);
    expect(byTestId("problem")!.textContent).toContain("出错了");
    expect(byTestId("problem-text")!.textContent).toBe("Tradewind 无法按预期读取此文件或数值。");
    expect(byTestId("problem-detail")!.textContent).toBe(detail);
  });

  it("words a job's outcome and a job's failure in Chinese, and never blanks on a kind it has no words for", async () => {
    const backend = mockBackend();
    await mount();
    await click(byTestId("nav-settings"));
    await click(byTestId("language-zh-CN"));
    await click(byTestId("nav-listings"));
    await click(byTestId("load-demo"));
    await act(async () => {
      backend.jobEvents!(demoLoaded);
      await settle();
    });
    expect(byTestId("job-progress")!.textContent).toContain("正在载入示例店铺");
    expect(byTestId("job-message")!.textContent).toBe("已载入示例店铺：30 个商品、2,240 个订单、12 张图片、201 条评价。");

    await click(byTestId("load-demo"));
    const refused = "job 1 is running in another Tradewind process";
    await act(async () => {
      backend.jobEvents!({ type: "finished", job_id: 2, state: "failed", outcome: null, error_kind: "job_state", message: refused });
      await settle();
    });
    expect(byTestId("job-message")!.textContent).toContain("此任务现在无法运行");
    expect(byTestId("job-detail")!.textContent).toBe(refused);

    // A kind of job from a newer build: its key is shown, the bar stays up.
    activeJob.value = { ...activeJob.value!, kind: "forecast_demand" as never };
    await act(settle);
    expect(byTestId("job-progress")!.textContent).toContain("job.kind.forecast_demand");
  });
});
