import { render } from "preact";
import { act } from "preact/test-utils";
import { describe, expect, it } from "vitest";
import { componentHarness, settle } from "../testing";
import type { GlossaryEntry } from "../bindings";
import { Glossary } from "./Glossary";

let entries: GlossaryEntry[] = [];

const ui = componentHarness((cmd, args) => {
  switch (cmd) {
    case "glossary":
      return entries;
    case "set_glossary_entry":
      entries = [...entries, (args as { entry: GlossaryEntry }).entry];
      return null;
    case "remove_glossary_entry":
      entries = [];
      return true;
    case "plugin:dialog|open":
      return "/shop/glossary.csv";
    case "import_glossary":
      return 12;
    default:
      return null;
  }
});
const byTestId = ui.byTestId;

/** A change reloads the list: one round re-renders and reloads, the next shows it. */
async function reloaded() {
  await act(settle);
  await act(settle);
}

function type(id: string, value: string) {
  const input = byTestId(id) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

describe("the glossary editor", () => {
  it("adds, lists and removes terms, and imports a CSV", async () => {
    entries = [];
    await act(() => render(<Glossary />, ui.root));
    await act(settle);
    expect(byTestId("glossary")!.querySelector("summary")!.textContent).toBe("Glossary (0 terms)");
    expect((byTestId("glossary-add") as HTMLButtonElement).disabled).toBe(true);
    await act(() => type("glossary-source", "tote bag"));
    await act(() => type("glossary-target", "Tragetasche"));
    await act(() => byTestId("glossary-add")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "set_glossary_entry",
      { entry: { source: "tote bag", language: "de", target: "Tragetasche" } },
    ]);
    await act(settle);
    expect(byTestId("glossary-entry")!.textContent).toContain("Tragetasche");
    expect((byTestId("glossary-source") as HTMLInputElement).value).toBe("");

    await act(() => byTestId("glossary-entry")!.querySelector("button")!.click());
    await reloaded();
    expect(ui.calls).toContainEqual(["remove_glossary_entry", { source: "tote bag", language: "de" }]);
    expect(byTestId("glossary-entry")).toBeNull();

    const importButton = [...byTestId("glossary")!.querySelectorAll("button")].find((b) => b.textContent === "Import CSV…")!;
    await act(() => importButton.click());
    await reloaded();
    expect(ui.calls).toContainEqual(["import_glossary", { path: "/shop/glossary.csv" }]);
    expect(byTestId("glossary")!.textContent).toContain("Imported 12 terms.");
  });
});
