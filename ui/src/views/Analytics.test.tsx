import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Cohorts, CustomerScore, Dashboard, Filter, Metrics, OrdersSummary, RfmReport } from "../bindings";
import { language } from "../i18n";
import { ordersToConfirm } from "../state";
import { componentHarness, emptySummary, settle } from "../testing";
import { Analytics } from "./Analytics";

const summary: OrdersSummary = {
  ...emptySummary,
  orders: 7,
  first_order_at: "2025-01-06T10:00:00Z",
  last_order_at: "2025-03-25T10:00:00Z",
};

const metrics: Metrics = {
  reporting_currency: "EUR", orders: 7, units: 8, customers: 4, new_customers: 4, returning_customers: 0,
  repeat_purchase_rate: 0.5, median_days_between_orders: 35, gross_sales: 331.25, discounts: 0, refunds: 10,
  net_sales: 321.25, average_order_value: 45.89, refund_rate: 0.03, cancelled_orders: 1, unconverted_orders: 0,
};

function dashboard(filter: Filter): Dashboard {
  return {
    filter, metrics, granularity: "month", previous: [], previous_metrics: null,
    series: [{ period: "2025-01", orders: 2, net_sales: 160, customers: 2 }],
    by_country: [{ key: "US", orders: 4, customers: 1, net_sales: 150 }],
    by_channel: [
      { key: "shopify", orders: 5, customers: 3, net_sales: 250 },
      { key: "etsy", orders: 2, customers: 1, net_sales: 71.25 },
    ],
    by_currency: [{ key: "USD", orders: 4, customers: 2, net_sales: 150 }],
    top_products: [{ sku: "TOTE", name: "Tote", units: 3, orders: 3, gross_sales: 180 }],
  };
}

function customer(name: string, group: CustomerScore["group"]): CustomerScore {
  return {
    customer: `email:${name}`, name, channels: ["shopify"], countries: ["US"], merged_from: [], orders: 2,
    first_order_at: "2025-01-06T10:00:00Z", last_order_at: "2025-03-03T10:00:00Z", days_since_last_order: 22,
    net_sales: 150, r: 2, f: 4, m: 4, group,
  };
}

const rfm: RfmReport = {
  reporting_currency: "EUR",
  as_of: "2025-03-25",
  groups: [
    { group: "previously_loyal", customers: 1, net_sales: 150 },
    { group: "dormant", customers: 1, net_sales: 31.25 },
  ],
  grid: [
    { r: 2, fm_twice: 8, customers: 1, group: "previously_loyal" },
    { r: 1, fm_twice: 2, customers: 1, group: "dormant" },
  ],
  customers: [
    customer("a@example.com", "previously_loyal"),
    { ...customer("c@example.com", "dormant"), channels: ["shopify", "etsy"], merged_from: ["etsy:c_k"] },
  ],
};

const cohorts: Cohorts = {
  reporting_currency: "EUR",
  cohorts: [{ month: "2025-01", customers: 2, retention: [1, 0.5, 1], value_per_customer: [80, 105, 120] }],
};

const ui = componentHarness((cmd, args) => {
  switch (cmd) {
    case "orders_summary":
      return summary;
    case "reporting_currency":
      return "EUR";
    case "dashboard":
      return dashboard((args as { filter: Filter }).filter);
    case "rfm":
      return rfm;
    case "cohorts":
      return cohorts;
    case "orders":
      return [];
    case "customer_groups":
      return [
        { month: "2025-01", group: "new" },
        { month: "2025-02", group: "new" },
        { month: "2025-03", group: "dormant" },
      ];
    case "match_suggestions":
      return [
        {
          customer: "etsy:mika_k", channel: "etsy", with: "email:mika@example.com", with_channels: ["shopify"],
          name: "Mika K", postal_code: "97205",
        },
      ];
    case "segments":
      return [{ group: "dormant", customers: 1, net_sales: 40, action: "last_chance" }];
    case "start_job":
      return 1;
    default:
      return null;
  }
});
const byTestId = ui.byTestId;

beforeAll(() => {
  // jsdom draws nothing: the charts are left out, their data is tested through the tables.
  HTMLCanvasElement.prototype.getContext = () => null;
});

afterEach(() => {
  language.value = "en";
  ordersToConfirm.value = null;
});

function dashboardCalls(): Filter[] {
  return ui.calls.filter(([cmd]) => cmd === "dashboard").map(([, args]) => (args as { filter: Filter }).filter);
}

describe("the Analytics view", () => {
  it("shows the figures in the reporting currency and narrows every chart to a channel clicked", async () => {
    await act(() => render(<Analytics />, ui.root));
    // The reporting currency first, then the dashboard in it.
    await act(settle);
    await act(settle);
    expect(byTestId("analytics-net")!.textContent).toBe("€321.25");
    expect(byTestId("analytics-orders")!.textContent).toBe("7");
    expect(byTestId("channel-shares")!.textContent).toContain("Etsy");
    await act(() => byTestId("drill-channel-etsy")!.click());
    await act(settle);
    expect(dashboardCalls().at(-1)!.channels).toEqual(["etsy"]);
    expect(byTestId("narrowed")!.textContent).toContain("Only: Etsy.");
    await act(() => byTestId("range-90")!.click());
    await act(settle);
    expect(dashboardCalls().at(-1)).toMatchObject({ from: "2024-12-26", to: "2025-03-25", channels: ["etsy"] });
  });

  it("drills from a customer group to its customers and from a customer to their orders", async () => {
    await act(() => render(<Analytics />, ui.root));
    await act(settle);
    await act(() => byTestId("tab-customers")!.click());
    await act(settle);
    expect(byTestId("rfm-groups")!.textContent).toContain("Previously loyal");
    await act(() => byTestId("segment-dormant")!.click());
    await act(settle);
    expect(byTestId("drill-title")!.textContent).toBe("Dormant: their customers");
    expect(byTestId("segment-action")!.textContent).toBe("Suggested: one last offer, then fewer e-mails.");
    const rows = ui.root.querySelectorAll('[data-testid="customer-row"]');
    expect(rows.length).toBe(1);
    expect(rows[0].textContent).toContain("c@example.com");
    await act(() => (rows[0].querySelector("button") as HTMLButtonElement).click());
    await act(settle);
    expect(ui.calls).toContainEqual(["orders", expect.objectContaining({ customer: "email:c@example.com" })]);
    expect(byTestId("customer-profile")!.textContent).toBe("Net sales so far €150.00; bought on Shopify, Etsy; ships to US.");
    expect(byTestId("customer-merged")!.textContent).toContain("Includes c_k (Etsy):");
    // January and February alike: the path shows where the group changed.
    expect(byTestId("group-history")!.querySelectorAll("li").length).toBe(2);
    expect(byTestId("group-history")!.textContent).toContain("2025-03 Dormant");
  });

  it("asks whether a buyer known only by a channel is another channel's customer", async () => {
    await act(() => render(<Analytics />, ui.root));
    await act(settle);
    await act(() => byTestId("tab-customers")!.click());
    await act(settle);
    await act(settle);
    expect(byTestId("match-pair")!.textContent).toContain("mika_k on Etsy and mika@example.com on Shopify: both Mika K, 97205");
    await act(() => byTestId("match-same")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["decide_match", { customer: "etsy:mika_k", with: "email:mika@example.com", same: true }]);
  });

  it("speaks Chinese: groups, cohorts, and the file confirmed before import", async () => {
    language.value = "zh-CN";
    ordersToConfirm.value = {
      path: "/exports/eBay-OrdersReport.csv",
      preview: { layout: "ebay_orders", channel: "ebay", name: "eBay Seller Hub orders report", rows: 182 },
    };
    await act(() => render(<Analytics />, ui.root));
    await act(settle);
    expect(byTestId("orders-confirm")!.textContent).toContain("eBay-OrdersReport.csv 是eBay 卖家中心订单报告（182 行）。");
    await act(() => byTestId("orders-confirm-import")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "start_job",
      expect.objectContaining({ spec: { kind: "import_orders", path: "/exports/eBay-OrdersReport.csv", channel: "ebay" } }),
    ]);
    await act(() => byTestId("tab-customers")!.click());
    await act(settle);
    expect(byTestId("rfm-groups")!.textContent).toContain("沉睡客户");
    await act(() => byTestId("tab-cohorts")!.click());
    await act(settle);
    expect(byTestId("cohort-grid")!.textContent).toContain("第 1 月");
  });
});
