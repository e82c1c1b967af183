import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ForecastReport, ProductForecast } from "../../bindings";
import { language } from "../../i18n";
import { componentHarness, settle } from "../../testing";
import { Forecast } from "./Forecast";

const mug: ProductForecast = {
  sku: "KUMO-MUG-350",
  name: "Kumo Stoneware Mug 350 ml",
  method: "sba",
  weekly: 3.2,
  low: 0.4,
  high: 6.1,
  horizon_units: 38.4,
  weeks_of_history: 104,
  recent: [2, 0, 4, 3],
  backtest_mae: 1.8,
  stock: { units: 5, lead_time_weeks: 4, reorder_point: 18.2, weeks_of_cover: 1.6, order: 52 },
};
const tray: ProductForecast = { ...mug, sku: "NORD-TRAY", name: "Nordlys Oak Serving Tray", method: "tsb", stock: null };

const shop: ForecastReport = {
  last_day: "2026-10-31",
  horizon_weeks: 12,
  backtest: { weeks: 12, products: 28, mae: 1.52, mean_mae: 1.71 },
  products: [mug, tray],
};

const ui = componentHarness(() => null);
const byTestId = ui.byTestId;

beforeEach(() => {
  language.value = "en";
});

describe("the demand forecast", () => {
  it("states the backtest, words each method and reorder hint, and saves a stock level", async () => {
    const changed = vi.fn();
    await act(() => render(<Forecast report={shop} onChanged={changed} />, ui.root));
    expect(byTestId("forecast-backtest")!.textContent).toContain("1.52 units a week off on average over 28 SKUs (the plain average would be 1.71 off)");
    expect(ui.root.querySelectorAll('[data-testid="forecast-row"]')).toHaveLength(2);
    expect(byTestId("forecast-table")!.textContent).toContain("Croston, bias-corrected (SBA)");
    expect(byTestId("reorder-KUMO-MUG-350")!.textContent).toBe("Order 52 now (reorder point 18)");
    expect(byTestId("reorder-NORD-TRAY")!.textContent).toBe("—");
    expect(byTestId("forecast-detail")!.textContent).toContain("KUMO-MUG-350: Kumo Stoneware Mug 350 ml");

    await act(() => (byTestId("forecast-table")!.querySelectorAll("button")[1] as HTMLButtonElement).click());
    expect(byTestId("forecast-detail")!.textContent).toContain("NORD-TRAY");
    await act(() => ui.type("stock-units", "40"));
    await act(() => ui.type("stock-lead", "3"));
    await act(() => byTestId("stock-save")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["set_stock_level", { level: { sku: "NORD-TRAY", units: 40, lead_time_weeks: 3 } }]);
    expect(changed).toHaveBeenCalled();
  });

  it("speaks Chinese", async () => {
    language.value = "zh-CN";
    await act(() => render(<Forecast report={shop} onChanged={() => undefined} />, ui.root));
    expect(byTestId("forecast-backtest")!.textContent).toContain("未来 12 周各 SKU 的需求");
    expect(byTestId("reorder-KUMO-MUG-350")!.textContent).toBe("现在订购 52 件（再订货点 18）");
  });
});
