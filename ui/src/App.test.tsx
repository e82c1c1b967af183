import { clearMocks } from "@tauri-apps/api/mocks";
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { App } from "./App";
import { language } from "./i18n";
import { activeJob, dataVersion, overview, view } from "./state";
import { mockBackend, settle } from "./testing";

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
      backend.jobEvents!({ type: "finished", job_id: 1, state: "succeeded", message: "Loaded the demo shop" });
      await settle();
    });
    expect(byTestId("job-state")!.textContent).toContain("Done");
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
});
