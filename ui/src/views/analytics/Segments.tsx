import type { CustomerScore, OrderRow, RfmGroup, RfmReport } from "../../bindings";
import { formatCount, formatDate, formatMoney, formatReporting } from "../../format";
import { channelText, rfmGroupText, t } from "../../i18n";

/** A colour per group, from warm (slipping away) to the accent (best), for the grid. */
const GROUP_TONE: Record<RfmGroup, number> = {
  champions: 1,
  loyal: 0.85,
  active: 0.7,
  new: 0.6,
  promising: 0.5,
  needs_attention: 0.4,
  at_risk: 0.3,
  previously_loyal: 0.3,
  almost_lost: 0.2,
  dormant: 0.1,
  prospects: 0.05,
};

/** R down the side (5 at the top), FM across (1 to 5 in halves): each cell its group's tone. */
export function RfmGrid(props: { report: RfmReport; selected: RfmGroup | null; onGroup: (group: RfmGroup) => void }) {
  const rows = [5, 4, 3, 2, 1];
  const columns = [2, 3, 4, 5, 6, 7, 8, 9, 10];
  const cell = (r: number, fm: number) => props.report.grid.find((found) => found.r === r && found.fm_twice === fm);
  return (
    <table class="rfm-grid" data-testid="rfm-grid">
      <caption>{t("analytics.rfm.grid")}</caption>
      <thead>
        <tr>
          <th>{t("analytics.rfm.r")}</th>
          {columns.map((fm) => (
            <th key={fm}>{fm / 2}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r}>
            <th>{r}</th>
            {columns.map((fm) => {
              const found = cell(r, fm);
              if (!found) return <td key={fm} />;
              const selected = props.selected === found.group;
              return (
                <td
                  key={fm}
                  class={selected ? "selected" : ""}
                  style={{ background: `color-mix(in srgb, var(--accent) ${Math.round(GROUP_TONE[found.group] * 100)}%, var(--panel))` }}
                  title={`${rfmGroupText(found.group)}: ${formatCount(found.customers)}`}
                >
                  <button type="button" class="cell" onClick={() => props.onGroup(found.group)}>
                    {found.customers > 0 ? formatCount(found.customers) : ""}
                  </button>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td />
          <td colSpan={9}>{t("analytics.rfm.fm")}</td>
        </tr>
      </tfoot>
    </table>
  );
}

/** The groups with their customers and value; a click lists the group's customers. */
export function RfmGroups(props: { report: RfmReport; selected: RfmGroup | null; onGroup: (group: RfmGroup) => void }) {
  const total = props.report.groups.reduce((sum, group) => sum + group.customers, 0) || 1;
  return (
    <ul class="legend-list" data-testid="rfm-groups">
      {props.report.groups
        .filter((group) => group.customers > 0)
        .map((group) => (
          <li key={group.group} class={props.selected === group.group ? "selected" : ""}>
            <button type="button" class="link" data-testid={`segment-${group.group}`} onClick={() => props.onGroup(group.group)}>
              {rfmGroupText(group.group)}
            </button>{" "}
            {t("analytics.rfm.groupLine", {
              customers: formatCount(group.customers),
              share: Math.round((100 * group.customers) / total),
              value: formatReporting(group.net_sales, props.report.reporting_currency),
            })}
          </li>
        ))}
    </ul>
  );
}

export function CustomersTable(props: { customers: CustomerScore[]; currency: string; onCustomer: (customer: CustomerScore) => void }) {
  return (
    <table class="grid" data-testid="customers-table">
      <thead>
        <tr>
          <th>{t("analytics.col.customer")}</th>
          <th>{t("analytics.col.channels")}</th>
          <th class="number">{t("analytics.col.orders")}</th>
          <th>{t("analytics.col.lastOrder")}</th>
          <th class="number">{t("analytics.col.value", { currency: props.currency })}</th>
          <th>{t("analytics.col.group")}</th>
        </tr>
      </thead>
      <tbody>
        {props.customers.slice(0, 100).map((customer) => (
          <tr key={customer.customer} data-testid="customer-row">
            <td>
              <button type="button" class="link" onClick={() => props.onCustomer(customer)}>
                {customer.name}
              </button>
            </td>
            <td>{customer.channels.map(channelText).join(", ")}</td>
            <td class="number">{formatCount(customer.orders)}</td>
            <td>{formatDate(customer.last_order_at)}</td>
            <td class="number">{formatReporting(customer.net_sales, props.currency)}</td>
            <td>
              {rfmGroupText(customer.group)} <span class="note">R{customer.r} F{customer.f} M{customer.m}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function OrdersTable(props: { orders: OrderRow[]; currency: string }) {
  return (
    <table class="grid" data-testid="orders-table">
      <thead>
        <tr>
          <th>{t("analytics.col.order")}</th>
          <th>{t("analytics.col.date")}</th>
          <th>{t("analytics.col.channel")}</th>
          <th>{t("analytics.col.customer")}</th>
          <th>{t("analytics.col.country")}</th>
          <th class="number">{t("analytics.col.items")}</th>
          <th class="number">{t("analytics.col.net")}</th>
          <th class="number">{t("analytics.col.value", { currency: props.currency })}</th>
        </tr>
      </thead>
      <tbody>
        {props.orders.map((order) => (
          <tr key={`${order.channel}:${order.name}`} data-testid="order-row">
            <td>{order.name}</td>
            <td>{formatDate(order.created_at)}</td>
            <td>{channelText(order.channel)}</td>
            <td>{order.buyer}</td>
            <td>{order.country}</td>
            <td class="number">{formatCount(order.items)}</td>
            <td class="number">{formatMoney(order.net_minor, order.currency)}</td>
            <td class="number">{order.net_reporting === null ? "—" : formatReporting(order.net_reporting, props.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
