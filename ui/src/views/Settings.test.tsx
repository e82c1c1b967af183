import { render } from "preact";
import { act } from "preact/test-utils";
import { describe, expect, it } from "vitest";
import { componentHarness, settle } from "../testing";
import { Settings } from "./Settings";

const compute = { translation_precision: "q8_0", threads: 0, model_memory_mb: 4096, threads_in_use: 2 };
const ui = componentHarness((cmd) => {
  switch (cmd) {
    case "compute_settings":
      return compute;
    case "set_compute_settings":
      return { ...compute, translation_precision: "f32" };
    case "jobs":
      return [];
    default:
      return null;
  }
});
const byTestId = ui.byTestId;

describe("the compute settings", () => {
  it("speak of faster and more exact, keep threads and memory folded away, and save the choice", async () => {
    await act(() => render(<Settings />, ui.root));
    await act(settle);
    const labels = [...byTestId("compute-settings")!.querySelectorAll("label")].map((label) => label.textContent);
    expect(labels.slice(0, 2)).toEqual(["Faster (8-bit weights)", "More exact (32-bit weights, 4× the memory)"]);
    expect((byTestId("compute-advanced") as HTMLDetailsElement).open).toBe(false);
    expect(byTestId("compute-advanced")!.contains(byTestId("threads"))).toBe(true);
    await act(() => byTestId("precision-f32")!.click());
    await act(() => byTestId("save-compute")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["set_compute_settings", { settings: { ...compute, translation_precision: "f32" } }]);
  });
});
