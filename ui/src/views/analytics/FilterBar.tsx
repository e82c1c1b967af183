import type { Channel, Filter, Granularity } from "../../bindings";
import { channelText, t } from "../../i18n";

export const CHANNELS: Channel[] = ["shopify", "etsy", "amazon", "ebay", "woocommerce", "other"];

/** Currencies a seller may report in: those the rates know best. */
export const REPORTING_CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "CNY", "HKD", "SGD", "SEK", "NOK", "DKK", "PLN", "NZD"];

export const emptyFilter: Filter = { from: null, to: null, channels: [], countries: [], currencies: [], product: null };

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last `days` days up to `last` (the latest order's day), as a range. */
export function lastDays(last: string, days: number): Pick<Filter, "from" | "to"> {
  const end = new Date(`${last}T00:00:00Z`);
  const start = new Date(end.getTime() - (days - 1) * 86_400_000);
  return { from: day(start), to: day(end) };
}

const PRESETS = [30, 90, 365] as const;

/** A choice of one of `options`, or all of them (an empty list). */
function OneOrAll(props: { testId: string; chosen: string[]; options: string[]; all: string; onChange: (chosen: string[]) => void }) {
  return (
    <select data-testid={props.testId} value={props.chosen[0] ?? ""} onChange={(event) => props.onChange(event.currentTarget.value ? [event.currentTarget.value] : [])}>
      <option value="">{props.all}</option>
      {props.options.map((option) => (
        <option key={option} value={option}>
          {option}
        </option>
      ))}
    </select>
  );
}

/** Every filter of the dashboard, and the reporting currency and time buckets. */
export function FilterBar(props: {
  filter: Filter;
  onFilter: (filter: Filter) => void;
  /** The latest order's day, which ranges count back from. */
  lastDay: string | null;
  countries: string[];
  currencies: string[];
  reporting: string;
  onReporting: (currency: string) => void;
  granularity: Granularity;
  onGranularity: (granularity: Granularity) => void;
}) {
  const { filter } = props;
  const set = (change: Partial<Filter>) => props.onFilter({ ...filter, ...change });
  const toggleChannel = (channel: Channel) =>
    set({
      channels: filter.channels.includes(channel)
        ? filter.channels.filter((other) => other !== channel)
        : [...filter.channels, channel],
    });
  return (
    <section class="tool-panel" data-testid="analytics-filters">
      <div class="tool-row">
        <span class="tool-label">{t("analytics.filter.period")}</span>
        {props.lastDay &&
          PRESETS.map((days) => (
            <button
              key={days}
              type="button"
              data-testid={`range-${days}`}
              class={props.lastDay && filter.to === props.lastDay && filter.from === lastDays(props.lastDay, days).from ? "primary" : ""}
              onClick={() => props.lastDay && set(lastDays(props.lastDay, days))}
            >
              {t(`analytics.filter.last${days}`)}
            </button>
          ))}
        <button type="button" data-testid="range-all" onClick={() => set({ from: null, to: null })}>
          {t("analytics.filter.allTime")}
        </button>
        <label>
          {t("analytics.filter.from")}{" "}
          <input type="date" data-testid="filter-from" value={filter.from ?? ""} onChange={(event) => set({ from: event.currentTarget.value || null })} />
        </label>
        <label>
          {t("analytics.filter.to")}{" "}
          <input type="date" data-testid="filter-to" value={filter.to ?? ""} onChange={(event) => set({ to: event.currentTarget.value || null })} />
        </label>
        <label>
          {t("analytics.filter.by")}{" "}
          <select data-testid="granularity" value={props.granularity} onChange={(event) => props.onGranularity(event.currentTarget.value as Granularity)}>
            {(["day", "week", "month"] as const).map((value) => (
              <option key={value} value={value}>
                {t(`analytics.granularity.${value}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="tool-row">
        <span class="tool-label">{t("analytics.filter.orders")}</span>
        <span class="choices">
          {CHANNELS.map((channel) => (
            <label key={channel}>
              <input type="checkbox" data-testid={`channel-${channel}`} checked={filter.channels.includes(channel)} onChange={() => toggleChannel(channel)} />
              {channelText(channel)}
            </label>
          ))}
        </span>
        <OneOrAll testId="filter-country" chosen={filter.countries} options={props.countries} all={t("analytics.filter.allCountries")} onChange={(countries) => set({ countries })} />
        <OneOrAll testId="filter-currency" chosen={filter.currencies} options={props.currencies} all={t("analytics.filter.allCurrencies")} onChange={(currencies) => set({ currencies })} />
        <input
          type="search"
          data-testid="filter-product"
          placeholder={t("analytics.filter.product")}
          value={filter.product ?? ""}
          onChange={(event) => set({ product: event.currentTarget.value.trim() || null })}
        />
        <label>
          {t("analytics.filter.reporting")}{" "}
          <select data-testid="reporting-currency" value={props.reporting} onChange={(event) => props.onReporting(event.currentTarget.value)}>
            {[...new Set([props.reporting, ...REPORTING_CURRENCIES])].map((currency) => (
              <option key={currency} value={currency}>
                {currency}
              </option>
            ))}
          </select>
        </label>
      </div>
    </section>
  );
}
