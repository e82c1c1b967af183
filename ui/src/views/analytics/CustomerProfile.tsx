import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import type { CustomerScore, Filter, GroupAt, OrderRow } from "../../bindings";
import { formatCount, formatDate, formatReporting } from "../../format";
import { channelText, rfmGroupText, t } from "../../i18n";
import { report } from "../../state";
import { customerLabel } from "./MatchSuggestions";
import { NextProducts } from "./Recommendations";
import { OrdersTable } from "./Segments";

/** The months where the customer's group changed, and the first: their path through the groups. */
export function groupChanges(history: GroupAt[]): GroupAt[] {
  return history.filter((at, index) => index === 0 || history[index - 1].group !== at.group);
}

/** One customer: where and what they bought, their value so far, their group over time, their orders. */
export function CustomerProfile(props: { customer: CustomerScore; filter: Filter; currency: string; version: number }) {
  const { customer, filter } = props;
  const [orders, setOrders] = useState<OrderRow[] | null>(null);
  const [history, setHistory] = useState<GroupAt[] | null>(null);
  useEffect(() => {
    let current = true;
    api.orders(filter, customer.customer).then((found) => current && setOrders(found), report);
    api.customerGroups(filter, customer.customer).then((found) => current && setHistory(found), report);
    return () => {
      current = false;
    };
  }, [customer, filter, props.version]);
  return (
    <>
      <h2>{t("analytics.customerOrders", { customer: customer.name })}</h2>
      <p class="note">
        {t("analytics.customerLine", {
          orders: formatCount(customer.orders),
          first: formatDate(customer.first_order_at),
          last: formatDate(customer.last_order_at),
          group: rfmGroupText(customer.group),
        })}
      </p>
      <p class="note" data-testid="customer-profile">
        {t("analytics.customerValue", {
          value: formatReporting(customer.net_sales, props.currency),
          channels: customer.channels.map(channelText).join(", "),
          countries: customer.countries.join(", ") || "—",
        })}
      </p>
      {customer.merged_from.length > 0 && (
        <p class="note" data-testid="customer-merged">
          {t("analytics.customerMerged", { keys: customer.merged_from.map((key) => `${customerLabel(key)} (${channelText(key.split(":")[0])})`).join(", ") })}
        </p>
      )}
      {history && history.length > 0 && (
        <div class="group-history" data-testid="group-history">
          <h3>{t("analytics.groupHistory")}</h3>
          <ol>
            {groupChanges(history).map((at) => (
              <li key={at.month}>
                <span class="month">{at.month}</span> {rfmGroupText(at.group)}
              </li>
            ))}
          </ol>
        </div>
      )}
      <NextProducts customer={customer.customer} filter={filter} version={props.version} />
      {orders && <OrdersTable orders={orders} currency={props.currency} />}
    </>
  );
}
