import type { ChartConfiguration } from "chart.js";
import { useMemo } from "preact/hooks";
import type { Cohorts } from "../../bindings";
import { formatCount, formatPercent } from "../../format";
import { t } from "../../i18n";
import { ChartCanvas, themeColour } from "./ChartCanvas";

/** Older cohorts' curves; the newest takes the theme's accent. */
const CURVE_COLOURS = ["#8d99ae", "#9a6700", "#6b4fbd", "#3d8b3d", "#c2185b"];

/** Months after the first order the heat map shows. */
const OFFSETS = 12;

/** Retention as a heat map: a row per first-order month, a column per month after it. */
export function CohortHeatMap(props: { cohorts: Cohorts }) {
  const offsets = Array.from({ length: OFFSETS + 1 }, (_, index) => index);
  return (
    <div class="scroll-x">
      <table class="cohort-grid" data-testid="cohort-grid">
        <thead>
          <tr>
            <th>{t("analytics.cohorts.firstOrder")}</th>
            <th class="number">{t("analytics.cohorts.customers")}</th>
            {offsets.map((offset) => (
              <th key={offset} class="number">
                {t("analytics.cohorts.month", { n: offset })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.cohorts.cohorts.map((cohort) => (
            <tr key={cohort.month}>
              <th>{cohort.month}</th>
              <td class="number">{formatCount(cohort.customers)}</td>
              {offsets.map((offset) => {
                const share = cohort.retention[offset];
                if (share === undefined) return <td key={offset} />;
                // Month 0 is everyone: shade the others against a 40 % ceiling, where return rates live.
                const strength = offset === 0 ? 100 : Math.min(100, Math.round((share / 0.4) * 100));
                return (
                  <td key={offset} class="number" style={{ background: `color-mix(in srgb, var(--accent) ${strength}%, var(--panel))` }}>
                    {formatPercent(share)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Net sales per customer so far, by month after the first order: the newest cohorts' LTV curves. */
export function LtvCurves(props: { cohorts: Cohorts }) {
  const config = useMemo<ChartConfiguration>(() => {
    const recent = props.cohorts.cohorts.filter((cohort) => cohort.customers >= 5).slice(-6);
    const longest = Math.min(OFFSETS, Math.max(0, ...recent.map((cohort) => cohort.value_per_customer.length - 1)));
    return {
      type: "line",
      data: {
        labels: Array.from({ length: longest + 1 }, (_, index) => t("analytics.cohorts.month", { n: index })),
        datasets: recent.map((cohort, index) => ({
          label: cohort.month,
          data: cohort.value_per_customer.slice(0, longest + 1),
          borderColor: index === recent.length - 1 ? themeColour("accent") : CURVE_COLOURS[index % CURVE_COLOURS.length],
          pointRadius: 1,
          tension: 0.2,
        })),
      },
      options: { scales: { y: { beginAtZero: true } } },
    };
  }, [props.cohorts]);
  return (
    <ChartCanvas
      config={config}
      label={t("analytics.cohorts.ltv", { currency: props.cohorts.reporting_currency })}
      testId="chart-ltv"
      height={240}
    />
  );
}
