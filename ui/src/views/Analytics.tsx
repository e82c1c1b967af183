import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ImportButton } from "../components/ImportButton";
import { formatCount, formatDate, formatMoney } from "../format";
import { t } from "../i18n";
import { useLoad } from "../useLoad";

function Figure(props: { label: string; value: string; testid: string }) {
  return (
    <div class="figure">
      <span class="figure-value" data-testid={props.testid}>
        {props.value}
      </span>
      <span class="figure-label">{props.label}</span>
    </div>
  );
}

export function Analytics() {
  const summary = useLoad(api.ordersSummary);
  if (!summary) return <p class="loading">{t("common.loading")}</p>;
  if (summary.orders === 0) {
    return (
      <EmptyState title={t("analytics.empty.title")} body={t("analytics.empty.body")}>
        <ImportButton kind="orders" />
      </EmptyState>
    );
  }
  const busiest = Math.max(...summary.top_countries.map((country) => country.orders), 1);
  return (
    <section>
      <header class="view-header">
        <h1>{t("nav.analytics")}</h1>
        {summary.first_order_at && summary.last_order_at && (
          <span>
            {t("analytics.period", { from: formatDate(summary.first_order_at), to: formatDate(summary.last_order_at) })}
          </span>
        )}
        <ImportButton kind="orders" />
      </header>
      <div class="figures">
        <Figure label={t("analytics.orders")} value={formatCount(summary.orders)} testid="analytics-orders" />
        <Figure label={t("analytics.lineItems")} value={formatCount(summary.order_lines)} testid="analytics-lines" />
        <Figure label={t("analytics.customers")} value={formatCount(summary.customers)} testid="analytics-customers" />
        <Figure
          label={t("analytics.repeat")}
          value={`${formatCount(summary.repeat_customers)} (${Math.round((100 * summary.repeat_customers) / Math.max(summary.customers, 1))} %)`}
          testid="analytics-repeat"
        />
        <Figure label={t("analytics.countries")} value={formatCount(summary.countries)} testid="analytics-countries" />
      </div>
      <div class="columns">
        <div>
          <h2>{t("analytics.revenue")}</h2>
          <table class="grid">
            <thead>
              <tr>
                <th>{t("analytics.col.currency")}</th>
                <th class="number">{t("analytics.col.orders")}</th>
                <th class="number">{t("analytics.col.gross")}</th>
                <th class="number">{t("analytics.col.refunded")}</th>
                <th class="number">{t("analytics.col.net")}</th>
              </tr>
            </thead>
            <tbody>
              {summary.revenue.map((row) => (
                <tr key={row.currency} data-testid="revenue-row">
                  <td>{row.currency}</td>
                  <td class="number">{formatCount(row.orders)}</td>
                  <td class="number">{formatMoney(row.gross_minor, row.currency)}</td>
                  <td class="number">{formatMoney(row.refunded_minor, row.currency)}</td>
                  <td class="number">{formatMoney(row.net_minor, row.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h2>{t("analytics.topCountries")}</h2>
          <ul class="bars">
            {summary.top_countries.map((country) => (
              <li key={country.country}>
                <span class="bar-label">{country.country}</span>
                <meter min={0} max={busiest} value={country.orders} />
                <span class="bar-value">{formatCount(country.orders)}</span>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </section>
  );
}
