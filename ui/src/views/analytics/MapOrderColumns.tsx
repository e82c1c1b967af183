import { useState } from "preact/hooks";
import type { Channel, DateOrder, OrderMapping, OrderRole, OrdersTablePreview } from "../../bindings";
import { ColumnRoles, DateOrderSelect, MappingActions, roleChosenTwice } from "../../components/ColumnRoles";
import { formatCount } from "../../format";
import { channelText, t, type MessageKey } from "../../i18n";
import { ordersToConfirm, runJob } from "../../state";
import { CHANNELS } from "./FilterBar";

export const orderRoles: OrderRole[] = [
  "order_id",
  "date",
  "total",
  "currency",
  "subtotal",
  "shipping",
  "taxes",
  "discount",
  "refunded",
  "email",
  "buyer_id",
  "buyer_name",
  "postal_code",
  "country",
  "status",
  "product",
  "sku",
  "quantity",
  "unit_price",
  "line_total",
  "ignore",
];

type Columns = OrderMapping["columns"];

function roleText(role: OrderRole): string {
  return t(`orders.map.role.${role}` as MessageKey);
}

/** What stops the mapping from reading orders, if anything (the engine checks the same). */
export function orderMappingProblem(columns: Columns, currency: string): string | null {
  const chosen = Object.values(columns);
  const twice = roleChosenTwice(chosen, "ignore");
  if (twice) return t("map.twice", { role: roleText(twice) });
  if (!chosen.includes("order_id")) return t("orders.map.needsId");
  if (!chosen.includes("date")) return t("orders.map.needsDate");
  if (!chosen.some((role) => role === "total" || role === "unit_price" || role === "line_total")) return t("orders.map.needsAmount");
  if (!chosen.includes("currency") && !/^[A-Za-z]{3}$/.test(currency.trim())) return t("orders.map.needsCurrency");
  return null;
}

/**
 * The seller says which column of their own orders file is which, where the orders were
 * sold, how its dates are written and (when no column says) their currency; then imports.
 */
export function MapOrderColumns(props: { path: string; table: OrdersTablePreview; reporting: string | null }) {
  const { table } = props;
  const [columns, setColumns] = useState<Columns>(table.proposed.columns);
  const [channel, setChannel] = useState<Channel>(table.proposed.channel);
  const [dates, setDates] = useState<DateOrder>(table.proposed.dates);
  const [currency, setCurrency] = useState(table.proposed.currency ?? props.reporting ?? "");
  const problem = orderMappingProblem(columns, currency);
  const currencyColumn = Object.values(columns).includes("currency");
  const name = props.path.split(/[\\/]/).pop() ?? props.path;
  function start() {
    const chosen = Object.fromEntries(Object.entries(columns).filter(([, role]) => role !== "ignore"));
    const mapping: OrderMapping = { columns: chosen, channel, dates, ...(currencyColumn ? {} : { currency: currency.trim().toUpperCase() }) };
    ordersToConfirm.value = null;
    void runJob({ kind: "import_orders", path: props.path, mapping });
  }
  return (
    <section class="card wide" data-testid="map-orders">
      <header class="view-header">
        <h2>{t("orders.map.title")}</h2>
        <span class="note">{t("map.file", { file: name, rows: formatCount(table.rows) })}</span>
      </header>
      <p class="note">{t("orders.map.explain")}</p>
      <div class="form-row">
        <label>
          {t("orders.map.channel")}{" "}
          <select data-testid="map-orders-channel" value={channel} onChange={(event) => setChannel(event.currentTarget.value as Channel)}>
            {CHANNELS.map((option) => (
              <option key={option} value={option}>
                {channelText(option)}
              </option>
            ))}
          </select>
        </label>
        <DateOrderSelect testId="map-orders-dates" value={dates} onChange={setDates} />
        {!currencyColumn && (
          <label>
            {t("orders.map.currency")}{" "}
            <input data-testid="map-orders-currency" size={4} maxLength={3} value={currency} onInput={(event) => setCurrency(event.currentTarget.value)} />
          </label>
        )}
      </div>
      <ColumnRoles
        columns={table.columns}
        sample={table.sample}
        mapping={columns}
        roles={orderRoles}
        unmapped="ignore"
        roleText={roleText}
        onChange={(column, role) => setColumns({ ...columns, [column]: role })}
      />
      <MappingActions problem={problem} onImport={start} onCancel={() => (ordersToConfirm.value = null)} />
    </section>
  );
}
