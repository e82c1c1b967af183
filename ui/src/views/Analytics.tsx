import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type {
  Cohorts,
  CustomerScore,
  Dashboard,
  Filter,
  ForecastReport,
  Granularity,
  MatchSuggestion,
  RecommendationReport,
  RfmGroup,
  ReviewsSummary,
  RfmReport,
  SegmentSummary,
} from "../bindings";
import { EmptyState } from "../components/EmptyState";
import { ImportButton } from "../components/ImportButton";
import { formatCount, formatDate } from "../format";
import { channelText, layoutText, rfmGroupText, t } from "../i18n";
import { dataVersion, ordersToConfirm, report, runJob } from "../state";
import { useLoad } from "../useLoad";
import { CohortHeatMap, LtvCurves } from "./analytics/CohortView";
import { emptyFilter, FilterBar } from "./analytics/FilterBar";
import { Figures, OverviewCharts } from "./analytics/Overview";
import { CustomerProfile } from "./analytics/CustomerProfile";
import { MapOrderColumns } from "./analytics/MapOrderColumns";
import { MatchSuggestions } from "./analytics/MatchSuggestions";
import { Forecast } from "./analytics/Forecast";
import { Recommendations } from "./analytics/Recommendations";
import { Reviews } from "./analytics/Reviews";
import { ReportExport } from "./analytics/ReportExport";
import { SegmentExport } from "./analytics/SegmentExport";
import { CustomersTable, RfmGrid, RfmGroups } from "./analytics/Segments";

type Tab = "overview" | "customers" | "cohorts" | "recommend" | "forecast" | "reviews";

/** Weeks the demand forecast looks ahead. */
const FORECAST_WEEKS = 12;

/** What the seller drilled into: a segment's customers, or one customer's orders, or the orders of a chart. */
type Drill = { kind: "group"; group: RfmGroup } | { kind: "customer"; customer: CustomerScore } | null;

/** The file the seller chose, what Tradewind found it to be, and the import once they agree. */
function ConfirmOrders(props: { reporting: string | null }) {
  const pending = ordersToConfirm.value;
  if (!pending) return null;
  if (pending.preview.table) return <MapOrderColumns key={pending.path} path={pending.path} table={pending.preview.table} reporting={props.reporting} />;
  const name = pending.path.split(/[\\/]/).pop() ?? pending.path;
  return (
    <div class="note-banner" data-testid="orders-confirm">
      <span>{t("analytics.confirm", { file: name, layout: layoutText(pending.preview.layout), rows: formatCount(pending.preview.rows) })}</span>
      <button
        type="button"
        class="primary"
        data-testid="orders-confirm-import"
        onClick={() => {
          ordersToConfirm.value = null;
          void runJob({ kind: "import_orders", path: pending.path, channel: pending.preview.channel });
        }}
      >
        {t("analytics.confirm.import")}
      </button>
      <button type="button" onClick={() => (ordersToConfirm.value = null)}>
        {t("analytics.confirm.cancel")}
      </button>
    </div>
  );
}

export function Analytics() {
  const summary = useLoad(api.ordersSummary);
  const [filter, setFilter] = useState<Filter>(emptyFilter);
  const [granularity, setGranularity] = useState<Granularity>("month");
  const [tab, setTab] = useState<Tab>("overview");
  const [reportOpen, setReportOpen] = useState(false);
  const [reporting, setReporting] = useState<string | null>(null);
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [everything, setEverything] = useState<Dashboard | null>(null);
  const [rfm, setRfm] = useState<RfmReport | null>(null);
  const [matches, setMatches] = useState<MatchSuggestion[]>([]);
  const [segments, setSegments] = useState<SegmentSummary[]>([]);
  const [cohorts, setCohorts] = useState<Cohorts | null>(null);
  const [recommendations, setRecommendations] = useState<RecommendationReport | null>(null);
  const [forecast, setForecast] = useState<ForecastReport | null>(null);
  const [stockVersion, setStockVersion] = useState(0);
  const [reviews, setReviews] = useState<ReviewsSummary | null>(null);
  const [reviewsVersion, setReviewsVersion] = useState(0);
  const [drill, setDrill] = useState<Drill>(null);
  const version = dataVersion.value;
  useEffect(() => {
    api.reportingCurrency().then(setReporting, report);
  }, [version]);
  useEffect(() => {
    if (!reporting) return;
    api.dashboard(emptyFilter, "month").then(setEverything, report);
  }, [version, reporting]);
  useEffect(() => {
    if (!reporting) return;
    let current = true;
    const answer = <T,>(set: (value: T) => void) => (value: T) => current && set(value);
    api.dashboard(filter, granularity).then(answer(setDashboard), report);
    // The groups and the buyers to match come together: a card appearing later would move
    // the groups under the seller's pointer.
    if (tab === "customers") {
      Promise.all([api.rfm(filter), api.matchSuggestions(), api.segments(filter)]).then(
        answer(([groups, pairs, campaigns]: [RfmReport, MatchSuggestion[], SegmentSummary[]]) => {
          setRfm(groups);
          setMatches(pairs);
          setSegments(campaigns);
        }),
        report,
      );
    }
    if (tab === "cohorts") api.cohorts(filter, { first_channel: null, first_product: null }).then(answer(setCohorts), report);
    if (tab === "recommend") api.recommendations(filter).then(answer(setRecommendations), report);
    if (tab === "forecast") api.forecast(filter, FORECAST_WEEKS).then(answer(setForecast), report);
    if (tab === "reviews") api.reviewsSummary().then(answer(setReviews), report);
    return () => {
      current = false;
    };
  }, [filter, granularity, tab, reporting, version, stockVersion, reviewsVersion]);

  if (!summary) return <p class="loading">{t("common.loading")}</p>;
  if (summary.orders === 0) {
    return (
      <>
        <ConfirmOrders reporting={reporting} />
        <EmptyState title={t("analytics.empty.title")} body={t("analytics.empty.body")}>
          <ImportButton kind="orders" />
        </EmptyState>
      </>
    );
  }
  const narrow = (change: Partial<Filter>) => {
    setFilter({ ...filter, ...change });
    setDrill(null);
  };
  async function changeReporting(currency: string) {
    try {
      await api.setReportingCurrency(currency);
      setReporting(currency);
    } catch (error) {
      report(error);
    }
  }
  const currency = dashboard?.metrics.reporting_currency ?? reporting ?? "";
  const narrowedBy = [
    ...filter.channels.map(channelText),
    ...filter.countries,
    ...filter.currencies,
    ...(filter.product ? [filter.product] : []),
  ];
  return (
    <section class="analytics-view">
      <header class="view-header">
        <h1>{t("nav.analytics")}</h1>
        {summary.first_order_at && summary.last_order_at && (
          <span>{t("analytics.period", { from: formatDate(summary.first_order_at), to: formatDate(summary.last_order_at) })}</span>
        )}
        <ImportButton kind="orders" />
        <button type="button" data-testid="report-open" aria-expanded={reportOpen} onClick={() => setReportOpen(!reportOpen)}>
          {t("analytics.report.open")}
        </button>
      </header>
      <ConfirmOrders reporting={reporting} />
      <FilterBar
        filter={filter}
        onFilter={(next) => {
          setFilter(next);
          setDrill(null);
        }}
        lastDay={summary.last_order_at?.slice(0, 10) ?? null}
        countries={(everything?.by_country ?? []).map((row) => row.key).filter(Boolean)}
        currencies={(everything?.by_currency ?? []).map((row) => row.key)}
        reporting={currency}
        onReporting={(next) => void changeReporting(next)}
        granularity={granularity}
        onGranularity={setGranularity}
      />
      {reportOpen && <ReportExport filter={filter} />}
      {narrowedBy.length > 0 && (
        <p class="note" data-testid="narrowed">
          {t("analytics.narrowed", { by: narrowedBy.join(", ") })}{" "}
          <button type="button" class="link" data-testid="clear-narrowing" onClick={() => narrow({ channels: [], countries: [], currencies: [], product: null })}>
            {t("analytics.clear")}
          </button>
        </p>
      )}
      <nav class="tabs" role="tablist">
        {(["overview", "customers", "cohorts", "recommend", "forecast", "reviews"] as const).map((name) => (
          <button key={name} type="button" role="tab" aria-selected={tab === name} data-testid={`tab-${name}`} class={tab === name ? "primary" : ""} onClick={() => setTab(name)}>
            {t(`analytics.tab.${name}`)}
          </button>
        ))}
      </nav>
      {!dashboard ? (
        <p class="loading">{t("common.loading")}</p>
      ) : (
        <>
          <Figures metrics={dashboard.metrics} previous={dashboard.previous_metrics} ranged={filter.from !== null} />
          {dashboard.metrics.unconverted_orders > 0 && (
            <p class="note warning">{t("analytics.unconverted", { n: formatCount(dashboard.metrics.unconverted_orders) })}</p>
          )}
          {tab === "overview" && (
            <OverviewCharts
              dashboard={dashboard}
              onCountry={(country) => narrow({ countries: [country] })}
              onChannel={(channel) => narrow({ channels: [channel as Filter["channels"][number]] })}
              onProduct={(product) => narrow({ product })}
            />
          )}
          {tab === "customers" && rfm && (
            <div class="analytics-grid">
              <MatchSuggestions pairs={matches} />
              <section class="card">
                <h2>{t("analytics.rfm.title")}</h2>
                <p class="note">{t("analytics.rfm.explain", { day: rfm.as_of ?? "—" })}</p>
                <RfmGrid report={rfm} selected={drill?.kind === "group" ? drill.group : null} onGroup={(group) => setDrill({ kind: "group", group })} />
              </section>
              <section class="card">
                <h2>{t("analytics.rfm.groups")}</h2>
                <RfmGroups report={rfm} selected={drill?.kind === "group" ? drill.group : null} onGroup={(group) => setDrill({ kind: "group", group })} />
              </section>
              <section class="card wide" data-testid="drill">
                {drill?.kind === "customer" ? (
                  <CustomerProfile customer={drill.customer} filter={filter} currency={rfm.reporting_currency} version={version} />
                ) : (
                  <>
                    <h2 data-testid="drill-title">
                      {drill?.kind === "group" ? t("analytics.groupCustomers", { group: rfmGroupText(drill.group) }) : t("analytics.bestCustomers")}
                    </h2>
                    {drill?.kind === "group" && (
                      <SegmentExport
                        group={drill.group}
                        action={segments.find((segment) => segment.group === drill.group)?.action ?? null}
                        filter={filter}
                      />
                    )}
                    <CustomersTable
                      customers={drill?.kind === "group" ? rfm.customers.filter((customer) => customer.group === drill.group) : rfm.customers}
                      currency={rfm.reporting_currency}
                      onCustomer={(customer) => setDrill({ kind: "customer", customer })}
                    />
                  </>
                )}
              </section>
            </div>
          )}
          {tab === "cohorts" && cohorts && (
            <div class="analytics-grid">
              <section class="card wide">
                <h2>{t("analytics.cohorts.retention")}</h2>
                <p class="note">{t("analytics.cohorts.explain")}</p>
                <CohortHeatMap cohorts={cohorts} />
              </section>
              <section class="card wide">
                <h2>{t("analytics.cohorts.ltv", { currency: cohorts.reporting_currency })}</h2>
                <LtvCurves cohorts={cohorts} />
              </section>
            </div>
          )}
          {tab === "recommend" && recommendations && <Recommendations report={recommendations} filter={filter} />}
          {tab === "forecast" && forecast && <Forecast report={forecast} onChanged={() => setStockVersion(stockVersion + 1)} />}
          {tab === "reviews" && reviews && <Reviews summary={reviews} onImported={() => setReviewsVersion(reviewsVersion + 1)} />}
        </>
      )}
    </section>
  );
}
