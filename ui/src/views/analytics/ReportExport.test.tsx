import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it } from "vitest";
import { language } from "../../i18n";
import { componentHarness, settle } from "../../testing";
import { emptyFilter } from "./FilterBar";
import { ReportExport, withExtension } from "./ReportExport";

const ui = componentHarness((cmd, args) => {
  if (cmd === "segment_exports_anonymised") return false;
  if (cmd === "write_report") {
    const { request, out } = args as { request: { format: string; anonymise: boolean }; out: string };
    return { path: out, format: request.format, bytes: 1000, tables: 11, pages: request.format === "pdf" ? 5 : null, anonymised: request.anonymise };
  }
  return null;
});
const byTestId = ui.byTestId;

function choose(testId: string, value: string) {
  const select = byTestId(testId) as HTMLSelectElement;
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}

beforeEach(() => {
  language.value = "en";
});

describe("the report export", () => {
  it("writes the filter's report in the chosen format and language, with the seller's last privacy choice", async () => {
    const filter = { ...emptyFilter, from: "2025-01-01", to: "2025-06-30", channels: ["etsy" as const] };
    await act(() => render(<ReportExport filter={filter} />, ui.root));
    await act(settle);
    expect((byTestId("report-anonymise") as HTMLInputElement).checked).toBe(false);
    expect((byTestId("report-language") as HTMLSelectElement).value).toBe("en");
    expect((byTestId("report-write") as HTMLButtonElement).disabled).toBe(true);
    await act(() => ui.type("report-out", "/tmp/spring.pdf"));
    await act(() => byTestId("report-write")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "write_report",
      { request: { filter, format: "pdf", language: "en", anonymise: false }, out: "/tmp/spring.pdf" },
    ]);
    expect(byTestId("report-done")!.textContent).toBe("Wrote the report (5 pages) to /tmp/spring.pdf.");

    // Another format renames the file; Chinese and anonymised are sent as chosen.
    await act(() => choose("report-format", "xlsx"));
    expect((byTestId("report-out") as HTMLInputElement).value).toBe("/tmp/spring.xlsx");
    await act(() => choose("report-language", "zh-CN"));
    await act(() => byTestId("report-anonymise")!.click());
    await act(() => byTestId("report-write")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "write_report",
      { request: { filter, format: "xlsx", language: "zh-CN", anonymise: true }, out: "/tmp/spring.xlsx" },
    ]);
    expect(byTestId("report-done")!.textContent).toBe("Wrote the report to /tmp/spring.xlsx.");
  });

  it("keeps a name without a known extension, and speaks Chinese", async () => {
    expect(withExtension("/tmp/report.HTML", "csv")).toBe("/tmp/report.csv");
    expect(withExtension("/tmp/report", "pdf")).toBe("/tmp/report");
    language.value = "zh-CN";
    await act(() => render(<ReportExport filter={emptyFilter} />, ui.root));
    expect(byTestId("report-export")!.textContent).toContain("按当前筛选导出报告");
    expect((byTestId("report-language") as HTMLSelectElement).value).toBe("zh-CN");
  });
});
