import type { ChartConfiguration } from "chart.js";
import { useMemo, useState } from "preact/hooks";
import { api } from "../../api";
import type { ForecastMethod, ForecastReport, ProductForecast } from "../../bindings";
import { formatCount } from "../../format";
import { t } from "../../i18n";
import { report } from "../../state";
import { ChartCanvas, themeColour } from "./ChartCanvas";

export function forecastMethodText(method: ForecastMethod): string {
  return t(`analytics.forecast.method.${method}`);
}

function units(value: number): string {
  return value.toFixed(value < 10 ? 1 : 0);
}

/** The product's recent weeks as bars, then the forecast with its 80 % interval for the weeks ahead. */
function demandChart(product: ProductForecast, horizon: number): ChartConfiguration {
  const past = product.recent.length;
  const labels = [
    ...product.recent.map((_, index) => t("analytics.forecast.weekAgo", { n: past - index - 1 })),
    ...Array.from({ length: horizon }, (_, index) => t("analytics.forecast.weekAhead", { n: index + 1 })),
  ];
  const ahead = (value: number) => [...Array<number | null>(past).fill(null), ...Array<number>(horizon).fill(value)];
  return {
    type: "bar",
    data: {
      labels,
      datasets: [
        { type: "bar", label: t("analytics.forecast.sold"), data: [...product.recent, ...Array<null>(horizon).fill(null)], backgroundColor: themeColour("accent") },
        { type: "line", label: t("analytics.forecast.expected"), data: ahead(product.weekly), borderColor: themeColour("text"), pointRadius: 0 },
        { type: "line", label: t("analytics.forecast.high"), data: ahead(product.high), borderColor: themeColour("muted"), borderDash: [4, 4], pointRadius: 0 },
        { type: "line", label: t("analytics.forecast.low"), data: ahead(product.low), borderColor: themeColour("muted"), borderDash: [4, 4], pointRadius: 0 },
      ],
    },
    options: { scales: { y: { beginAtZero: true } } },
  };
}

/** The seller's stock and lead time for one SKU, saved for the reorder hint. */
function StockForm(props: { product: ProductForecast; onSaved: () => void }) {
  const [stock, setStock] = useState(String(props.product.stock?.units ?? ""));
  const [lead, setLead] = useState(String(props.product.stock?.lead_time_weeks ?? 2));
  async function save() {
    try {
      await api.setStockLevel({ sku: props.product.sku, units: Number(stock), lead_time_weeks: Number(lead) });
      props.onSaved();
    } catch (error) {
      report(error);
    }
  }
  return (
    <form
      class="stock-form"
      data-testid="stock-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label>
        {t("analytics.forecast.inStock")} <input type="number" min="0" step="1" required value={stock} data-testid="stock-units" onInput={(event) => setStock(event.currentTarget.value)} />
      </label>
      <label>
        {t("analytics.forecast.leadTime")} <input type="number" min="0" max="104" step="0.5" required value={lead} data-testid="stock-lead" onInput={(event) => setLead(event.currentTarget.value)} />
      </label>
      <button type="submit" data-testid="stock-save">
        {t("analytics.forecast.save")}
      </button>
    </form>
  );
}

function advice(product: ProductForecast): string {
  const stock = product.stock;
  if (!stock) return "—";
  if (stock.order !== null) return t("analytics.forecast.orderNow", { units: formatCount(stock.order), at: units(stock.reorder_point) });
  return stock.weeks_of_cover === null
    ? t("analytics.forecast.noDemand", { units: formatCount(stock.units) })
    : t("analytics.forecast.cover", { units: formatCount(stock.units), weeks: units(stock.weeks_of_cover) });
}

/** Each SKU's weekly demand ahead, the backtest's error, and reorder hints from the stock the seller enters. */
export function Forecast(props: { report: ForecastReport; onChanged: () => void }) {
  const { report: forecast } = props;
  const [chosen, setChosen] = useState<string | null>(forecast.products[0]?.sku ?? null);
  const product = forecast.products.find((candidate) => candidate.sku === chosen) ?? null;
  const chart = useMemo(() => product && demandChart(product, forecast.horizon_weeks), [product, forecast.horizon_weeks]);
  const backtest = forecast.backtest;
  return (
    <div class="analytics-grid">
      <section class="card wide" data-testid="forecast-backtest">
        <h2>{t("analytics.forecast.title", { weeks: forecast.horizon_weeks })}</h2>
        <p class="note">
          {backtest.products > 0
            ? t("analytics.forecast.backtest", { weeks: backtest.weeks, products: formatCount(backtest.products), mae: backtest.mae.toFixed(2), mean: backtest.mean_mae.toFixed(2) })
            : t("analytics.forecast.tooShort")}
        </p>
        <table class="grid forecast-table" data-testid="forecast-table">
          <thead>
            <tr>
              <th>{t("analytics.forecast.sku")}</th>
              <th>{t("analytics.col.product")}</th>
              <th>{t("analytics.forecast.method")}</th>
              <th class="number">{t("analytics.forecast.weekly")}</th>
              <th class="number">{t("analytics.forecast.interval")}</th>
              <th class="number">{t("analytics.forecast.ahead", { weeks: forecast.horizon_weeks })}</th>
              <th>{t("analytics.forecast.reorder")}</th>
            </tr>
          </thead>
          <tbody>
            {forecast.products.map((row) => (
              <tr key={row.sku} data-testid="forecast-row" class={row.sku === chosen ? "chosen" : ""}>
                <td>
                  <button type="button" class="link" onClick={() => setChosen(row.sku)}>
                    {row.sku}
                  </button>
                </td>
                <td>{row.name}</td>
                <td>{forecastMethodText(row.method)}</td>
                <td class="number">{units(row.weekly)}</td>
                <td class="number">
                  {units(row.low)}–{units(row.high)}
                </td>
                <td class="number">{units(row.horizon_units)}</td>
                <td data-testid={`reorder-${row.sku}`}>{advice(row)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {product && chart && (
        <section class="card wide" data-testid="forecast-detail">
          <h2>{t("analytics.forecast.detail", { sku: product.sku, name: product.name })}</h2>
          <p class="note">
            {t("analytics.forecast.detailLine", {
              method: forecastMethodText(product.method),
              weeks: formatCount(product.weeks_of_history),
              error: product.backtest_mae === null ? "—" : product.backtest_mae.toFixed(2),
            })}
          </p>
          <ChartCanvas config={chart} label={t("analytics.forecast.detail", { sku: product.sku, name: product.name })} testId="chart-forecast" />
          <StockForm key={product.sku} product={product} onSaved={props.onChanged} />
        </section>
      )}
    </div>
  );
}
