import type { ChartConfiguration } from "chart.js";
import { useMemo } from "preact/hooks";
import type { Dashboard, Metrics, Share } from "../../bindings";
import { formatCount, formatPercent, formatReporting as reporting } from "../../format";
import { channelText, t } from "../../i18n";
import { ChartCanvas, themeColour } from "./ChartCanvas";

/** How a figure moved against the period before. */
function change(now: number, before: number | undefined): string | null {
  if (before === undefined || before === 0) return null;
  const ratio = now / before - 1;
  return `${ratio >= 0 ? "▲" : "▼"} ${formatPercent(Math.abs(ratio))}`;
}

function Figure(props: { label: string; value: string; testid: string; change?: string | null; detail?: string }) {
  return (
    <div class="figure">
      <span class="figure-value" data-testid={props.testid}>
        {props.value}
      </span>
      <span class="figure-label">{props.label}</span>
      {props.change && <span class="figure-change">{t("analytics.vsBefore", { change: props.change })}</span>}
      {props.detail && <span class="figure-change">{props.detail}</span>}
    </div>
  );
}

/** `ranged`: the figures are of a range with a start, before which customers may have bought. */
export function Figures(props: { metrics: Metrics; previous: Metrics | null; ranged: boolean }) {
  const m = props.metrics;
  const p = props.previous ?? undefined;
  const c = m.reporting_currency;
  return (
    <div class="figures" data-testid="analytics-figures">
      <Figure label={t("analytics.netSales")} value={reporting(m.net_sales, c)} testid="analytics-net" change={change(m.net_sales, p?.net_sales)} />
      <Figure label={t("analytics.orders")} value={formatCount(m.orders)} testid="analytics-orders" change={change(m.orders, p?.orders)} />
      <Figure label={t("analytics.aov")} value={reporting(m.average_order_value, c)} testid="analytics-aov" change={change(m.average_order_value, p?.average_order_value)} />
      <Figure
        label={t("analytics.customers")}
        value={formatCount(m.customers)}
        testid="analytics-customers"
        detail={
          props.ranged ? t("analytics.newReturning", { new: formatCount(m.new_customers), returning: formatCount(m.returning_customers) }) : undefined
        }
      />
      <Figure label={t("analytics.repeatRate")} value={formatPercent(m.repeat_purchase_rate)} testid="analytics-repeat" />
      <Figure
        label={t("analytics.refunds")}
        value={reporting(m.refunds, c)}
        testid="analytics-refunds"
        detail={t("analytics.refundRate", { rate: formatPercent(m.refund_rate) })}
      />
    </div>
  );
}

function salesOverTime(dashboard: Dashboard): ChartConfiguration {
  const labels = dashboard.series.map((point) => point.period);
  const datasets: ChartConfiguration<"line">["data"]["datasets"] = [
    {
      label: t("analytics.chart.thisPeriod"),
      data: dashboard.series.map((point) => point.net_sales),
      borderColor: themeColour("accent"),
      backgroundColor: themeColour("accent"),
      pointRadius: 2,
      tension: 0.2,
    },
  ];
  if (dashboard.previous.length > 0) {
    datasets.push({
      label: t("analytics.chart.periodBefore"),
      data: dashboard.previous.map((point) => point.net_sales),
      borderColor: themeColour("muted"),
      backgroundColor: themeColour("muted"),
      borderDash: [5, 4],
      pointRadius: 0,
      tension: 0.2,
    });
  }
  return {
    type: "line",
    data: { labels, datasets },
    options: { plugins: { legend: { display: dashboard.previous.length > 0 } }, scales: { y: { beginAtZero: true } } },
  };
}

function bars(rows: Share[], label: (key: string) => string): ChartConfiguration {
  return {
    type: "bar",
    data: {
      labels: rows.map((row) => label(row.key)),
      datasets: [{ label: t("analytics.netSales"), data: rows.map((row) => row.net_sales), backgroundColor: themeColour("accent") }],
    },
    options: { indexAxis: "y", plugins: { legend: { display: false } } },
  };
}

/** Net sales over time against the period before, and by country and channel: a click narrows every chart. */
export function OverviewCharts(props: {
  dashboard: Dashboard;
  onCountry: (country: string) => void;
  onChannel: (channel: string) => void;
  onProduct: (sku: string) => void;
}) {
  const { dashboard } = props;
  const countries = dashboard.by_country.slice(0, 10);
  const over = useMemo(() => salesOverTime(dashboard), [dashboard]);
  const byCountry = useMemo(() => bars(countries, (key) => key || t("analytics.unknownCountry")), [dashboard]);
  const byChannel = useMemo(() => bars(dashboard.by_channel, (key) => channelText(key)), [dashboard]);
  const currency = dashboard.metrics.reporting_currency;
  return (
    <div class="analytics-grid">
      <section class="card wide">
        <h2>{t("analytics.chart.netSalesOverTime", { currency })}</h2>
        <ChartCanvas config={over} label={t("analytics.chart.netSalesOverTime", { currency })} testId="chart-sales" />
      </section>
      <section class="card">
        <h2>{t("analytics.chart.byCountry")}</h2>
        <ChartCanvas
          config={byCountry}
          label={t("analytics.chart.byCountry")}
          testId="chart-countries"
          height={260}
          onPick={(index) => countries[index] && props.onCountry(countries[index].key)}
        />
      </section>
      <section class="card">
        <h2>{t("analytics.chart.byChannel")}</h2>
        <ChartCanvas
          config={byChannel}
          label={t("analytics.chart.byChannel")}
          testId="chart-channels"
          height={160}
          onPick={(index) => dashboard.by_channel[index] && props.onChannel(dashboard.by_channel[index].key)}
        />
        <ul class="legend-list" data-testid="channel-shares">
          {dashboard.by_channel.map((row) => (
            <li key={row.key}>
              <button type="button" class="link" data-testid={`drill-channel-${row.key}`} onClick={() => props.onChannel(row.key)}>
                {channelText(row.key)}
              </button>{" "}
              {t("analytics.ordersCustomers", { orders: formatCount(row.orders), customers: formatCount(row.customers) })} · {reporting(row.net_sales, currency)}
            </li>
          ))}
        </ul>
      </section>
      <section class="card">
        <h2>{t("analytics.topProducts")}</h2>
        <table class="grid" data-testid="top-products">
          <thead>
            <tr>
              <th>{t("analytics.col.product")}</th>
              <th class="number">{t("analytics.col.units")}</th>
              <th class="number">{t("analytics.col.sales", { currency })}</th>
            </tr>
          </thead>
          <tbody>
            {dashboard.top_products.slice(0, 10).map((product) => (
              <tr key={product.sku + product.name}>
                <td>
                  <button type="button" class="link" onClick={() => props.onProduct(product.sku || product.name)}>
                    {product.name}
                  </button>
                </td>
                <td class="number">{formatCount(product.units)}</td>
                <td class="number">{reporting(product.gross_sales, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
