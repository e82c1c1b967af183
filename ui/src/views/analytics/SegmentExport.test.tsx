import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it } from "vitest";
import { language } from "../../i18n";
import { componentHarness, settle } from "../../testing";
import { emptyFilter } from "./FilterBar";
import { SegmentExport } from "./SegmentExport";

const ui = componentHarness((cmd, args) => {
  if (cmd === "segment_exports_anonymised") return true;
  if (cmd === "export_segment") {
    const { anonymise, out } = args as { anonymise: boolean; out: string };
    return { path: out, customers: 121, anonymised: anonymise };
  }
  return null;
});
const byTestId = ui.byTestId;

beforeEach(() => {
  language.value = "en";
});

describe("a segment's export", () => {
  it("suggests the campaign, is anonymised unless the seller unticks it, and says what it wrote", async () => {
    await act(() => render(<SegmentExport group="at_risk" action="win_back" filter={emptyFilter} />, ui.root));
    await act(settle);
    expect(byTestId("segment-action")!.textContent).toBe("Suggested: a win-back offer on their favourite products.");
    expect((byTestId("segment-anonymise") as HTMLInputElement).checked).toBe(true);
    expect((byTestId("segment-write") as HTMLButtonElement).disabled).toBe(true);
    await act(() => ui.type("segment-out", "/tmp/at-risk.csv"));
    await act(() => byTestId("segment-write")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "export_segment",
      expect.objectContaining({ choice: { kind: "group", value: "at_risk" }, tool: "klaviyo", anonymise: true, out: "/tmp/at-risk.csv" }),
    ]);
    expect(byTestId("segment-done")!.textContent).toBe("Wrote 121 customers, anonymised, to /tmp/at-risk.csv.");

    await act(() => byTestId("segment-anonymise")!.click());
    await act(() => byTestId("segment-write")!.click());
    await act(settle);
    expect(byTestId("segment-done")!.textContent).toBe("Wrote 121 customers with their e-mails and names to /tmp/at-risk.csv.");
  });

  it("speaks Chinese", async () => {
    language.value = "zh-CN";
    await act(() => render(<SegmentExport group="champions" action="early_access" filter={emptyFilter} />, ui.root));
    expect(byTestId("segment-export")!.textContent).toContain("面向冠军客户的营销活动");
    expect(byTestId("segment-action")!.textContent).toBe("建议：新品抢先体验，并邀请评价。");
  });
});
