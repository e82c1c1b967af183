import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { view } from "../state";
import { componentHarness, emptyOverview, settle } from "../testing";
import { YourData } from "./YourData";

let confirmed = true;
/** After "delete all my data" the folder is empty: the app greets the seller anew. */
let deleted = false;
const ui = componentHarness((cmd, args) => {
  switch (cmd) {
    case "plugin:dialog|save":
      return "/backups/shop.tradewind-backup";
    case "plugin:dialog|open":
      return "/backups/old.tradewind-backup";
    case "restore_backup":
      return "/data/tradewind-before-restore-20261204-203000.db";
    case "overview":
      return emptyOverview;
    case "first_run":
      return { show: deleted, machine: { memory_bytes: 8 * 2 ** 30, cores: 4, gpu: null } };
    case "delete_all_data":
      deleted = true;
      return null;
    case "move_data_folder": {
      const { to, onProgress } = args as { to: string; onProgress: { onmessage: (progress: unknown) => void } };
      onProgress.onmessage({ done_bytes: 512, total_bytes: 1024 });
      return to;
    }
    case "language":
      return "en";
    default:
      return null;
  }
});
const byTestId = ui.byTestId;

afterEach(() => {
  vi.restoreAllMocks();
  confirmed = true;
  deleted = false;
});

describe("the seller's data as a whole", () => {
  it("backs up to the file chosen, and restores one after asking, keeping the replaced database", async () => {
    vi.spyOn(window, "confirm").mockImplementation(() => confirmed);
    await act(() => render(<YourData />, ui.root));
    await act(() => byTestId("back-up")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["back_up", { path: "/backups/shop.tradewind-backup" }]);
    expect(byTestId("data-done")!.textContent).toBe("Backed up to /backups/shop.tradewind-backup.");

    view.value = "analytics";
    await act(() => byTestId("restore")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["restore_backup", { path: "/backups/old.tradewind-backup" }]);
    expect(byTestId("data-done")!.textContent).toContain("kept as /data/tradewind-before-restore-20261204-203000.db");
    expect(ui.calls.map(([cmd]) => cmd)).toContain("overview");
    expect(view.value).toBe("listings");
  });

  it("moves the data folder to the one typed, after asking, and reads everything again there", async () => {
    vi.spyOn(window, "confirm").mockImplementation(() => confirmed);
    await act(() => render(<YourData />, ui.root));
    expect(byTestId("move-data")!.hasAttribute("disabled")).toBe(true);
    ui.type("move-to", "/mnt/big-disk/Tradewind");
    await act(settle);
    await act(() => byTestId("move-data")!.click());
    await act(settle);
    const moved = ui.calls.find(([cmd]) => cmd === "move_data_folder")![1] as { to: string };
    expect(moved.to).toBe("/mnt/big-disk/Tradewind");
    expect(byTestId("data-done")!.textContent).toBe("Moved to /mnt/big-disk/Tradewind. Tradewind uses it from now on.");
    expect(ui.calls.map(([cmd]) => cmd)).toContain("overview");
  });

  it("deletes everything only when the seller confirms", async () => {
    confirmed = false;
    vi.spyOn(window, "confirm").mockImplementation(() => confirmed);
    await act(() => render(<YourData />, ui.root));
    await act(() => byTestId("delete-all")!.click());
    await act(settle);
    expect(ui.calls.map(([cmd]) => cmd)).not.toContain("delete_all_data");
    confirmed = true;
    await act(() => byTestId("delete-all")!.click());
    await act(settle);
    expect(ui.calls.map(([cmd]) => cmd)).toContain("delete_all_data");
    expect(byTestId("data-done")!.textContent).toBe("Everything was deleted. Tradewind starts afresh.");
    expect(view.value).toBe("welcome");
  });
});
