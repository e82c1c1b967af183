import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it } from "vitest";
import type { OrdersTablePreview } from "../../bindings";
import { language } from "../../i18n";
import { activeJob, ordersToConfirm } from "../../state";
import { componentHarness, settle } from "../../testing";
import { MapOrderColumns } from "./MapOrderColumns";

const table: OrdersTablePreview = {
  path: "/shop/bestellungen.csv",
  format: "csv",
  columns: ["Bestellnummer", "Datum", "Gesamt", "Lager"],
  sample: [["A-1", "05/03/2025", "45,00", "B"]],
  rows: 3,
  proposed: { columns: { Bestellnummer: "order_id", Datum: "date", Gesamt: "total", Lager: "ignore" }, channel: "other", dates: "day_first" },
};

const ui = componentHarness((cmd) => (cmd === "start_job" ? 1 : null));
const byTestId = ui.byTestId;

function choose(id: string, value: string) {
  const select = byTestId(id) as HTMLSelectElement;
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}

beforeEach(() => {
  language.value = "en";
  activeJob.value = null;
  ordersToConfirm.value = { path: table.path, preview: { layout: "own_layout", channel: "other", name: "orders file of your own layout", rows: 3, table } };
});

describe("an orders file of the seller's own layout", () => {
  it("shows the proposal, names what is missing, and imports with the columns, channel, dates and currency chosen", async () => {
    await act(() => render(<MapOrderColumns path={table.path} table={table} reporting={null} />, ui.root));
    expect((byTestId("map-Datum") as HTMLSelectElement).value).toBe("date");
    expect(byTestId("map-problem")!.textContent).toContain("three-letter currency");
    await act(() => ui.type("map-orders-currency", "eur"));
    expect(byTestId("map-problem")).toBeNull();

    await act(() => choose("map-Gesamt", "ignore"));
    expect(byTestId("map-problem")!.textContent).toBe("Choose the column with the order total, or the price or total of each line.");
    expect((byTestId("map-import") as HTMLButtonElement).disabled).toBe(true);
    await act(() => choose("map-Lager", "order_id"));
    expect(byTestId("map-problem")!.textContent).toBe("Only one column can hold: Order number.");
    await act(() => choose("map-Lager", "ignore"));
    await act(() => choose("map-Gesamt", "total"));
    await act(() => choose("map-orders-channel", "shopify"));
    await act(() => choose("map-orders-dates", "month_first"));

    await act(() => byTestId("map-import")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "start_job",
      expect.objectContaining({
        spec: {
          kind: "import_orders",
          path: "/shop/bestellungen.csv",
          mapping: { columns: { Bestellnummer: "order_id", Datum: "date", Gesamt: "total" }, channel: "shopify", dates: "month_first", currency: "EUR" },
        },
      }),
    ]);
    expect(ordersToConfirm.value).toBeNull();
  });

  it("asks in Chinese, and takes the reporting currency for a file without one", async () => {
    language.value = "zh-CN";
    await act(() => render(<MapOrderColumns path={table.path} table={table} reporting="EUR" />, ui.root));
    expect(byTestId("map-orders")!.textContent).toContain("订单文件的每一列是什么？");
    expect(byTestId("map-problem")).toBeNull();
    expect((byTestId("map-orders-currency") as HTMLInputElement).value).toBe("EUR");
  });
});
