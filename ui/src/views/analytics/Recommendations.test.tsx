import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it } from "vitest";
import type { CustomerSuggestions, ProductSuggestions, RecommendationReport } from "../../bindings";
import { language } from "../../i18n";
import { componentHarness, settle } from "../../testing";
import { emptyFilter } from "./FilterBar";
import { NextProducts, Recommendations } from "./Recommendations";

const lamp = { key: "lumen-desk-lamp", title: "Lumen Oak Desk Lamp" };
const stand = { key: "lumen-phone-stand", title: "Lumen Walnut Phone Stand" };

const shop: RecommendationReport = {
  orders: 2699,
  customers: 1208,
  products: 30,
  evaluation: {
    customers: 473,
    methods: [
      { method: "popular", hit_rate: 0.588, map: 0.179, over_popular: 1 },
      { method: "als", hit_rate: 0.681, map: 0.27, over_popular: 1.158 },
    ],
  },
  best: "als",
  content_needs_model: true,
  rules: [{ if_bought: lamp, then: stand, orders: 21, support: 0.008, confidence: 0.16, lift: 4.99 }],
};

const alsoBought: ProductSuggestions = {
  product: lamp,
  orders: 130,
  together: [],
  also_bought: [{ product: stand, customers: 21, similarity: 0.21 }],
};

const next: CustomerSuggestions = {
  customer: "email:ana@example.com",
  method: "als",
  bought: [lamp],
  suggestions: [{ product: stand, score: 0.8, because: lamp }],
};

const ui = componentHarness((cmd) => (cmd === "also_bought" ? alsoBought : cmd === "next_products" ? next : null));
const byTestId = ui.byTestId;

beforeEach(() => {
  language.value = "en";
});

describe("recommendations", () => {
  it("shows each method against the best sellers, the best marked, and what a product's buyers also bought", async () => {
    await act(() => render(<Recommendations report={shop} filter={emptyFilter} />, ui.root));
    const rows = ui.root.querySelectorAll('[data-testid="method-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[1].textContent).toContain("Buying patterns (ALS)");
    expect(rows[1].textContent).toContain("Best here");
    expect(rows[1].textContent).toContain("1.16×");
    expect(rows[0].textContent).not.toContain("Best here");
    expect(byTestId("recommend-evaluation")!.textContent).toContain("import all-MiniLM-L6-v2");
    expect(byTestId("also-bought")).toBeNull();

    await act(() => byTestId("rules-table")!.querySelector("button")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["also_bought", expect.objectContaining({ product: "lumen-desk-lamp" })]);
    expect(byTestId("also-bought")!.textContent).toContain("Customers who bought Lumen Oak Desk Lamp (130 orders) also bought");
    expect(byTestId("also-bought")!.textContent).toContain("Lumen Walnut Phone Stand");
  });

  it("explains a customer's suggestions, in Chinese too", async () => {
    language.value = "zh-CN";
    await act(() => render(<NextProducts customer="email:ana@example.com" filter={emptyFilter} version={0} />, ui.root));
    await act(settle);
    expect(ui.calls).toContainEqual(["next_products", expect.objectContaining({ customer: "email:ana@example.com", method: null })]);
    expect(byTestId("next-products")!.textContent).toContain("下一单推荐（购买模式（ALS））");
    expect(byTestId("next-products")!.textContent).toContain("因为买过 Lumen Oak Desk Lamp");
  });
});
