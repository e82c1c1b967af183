import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ProductReviews, ReviewsSummary } from "../../bindings";
import { language } from "../../i18n";
import { componentHarness, settle } from "../../testing";
import { Reviews } from "./Reviews";

const daypack: ProductReviews = {
  product: "atlas-trail-daypack-22l",
  title: "Atlas Trail Daypack 22 L",
  reviews: 24,
  average_rating: 3.8,
  average_text_stars: 3.4,
  stars: [1, 3, 3, 11, 6],
  languages: [["en", 10], ["de", 4], ["?", 2]],
  complaints: [
    {
      phrase: { text: "Der Schultergurt ist nach zwei Wochen gerissen", language: "de", translated: "The shoulder strap tore after two weeks" },
      reviews: 6,
      examples: [{ text: "The shoulder strap broke after two weeks", language: "en", translated: null }],
    },
  ],
  praise: [],
  hidden_complaints: 2,
};
const throw_: ProductReviews = { ...daypack, product: "nordlys-wool-throw", title: "Nordlys Wool Throw", complaints: [], hidden_complaints: 0 };

const shop: ReviewsSummary = {
  reviews: 48,
  average_rating: 4.1,
  products: [daypack, throw_],
  sentiment_model: "bert-multilingual-sentiment",
  phrase_model: "paraphrase-multilingual-minilm-l12-v2",
  translated_into: "en",
  untranslated: ["it"],
};

const ui = componentHarness(() => null);
const byTestId = ui.byTestId;

beforeEach(() => {
  language.value = "en";
});

describe("the reviews", () => {
  it("lists products by complaints, shows a complaint translated beside the buyer's words, and switches products", async () => {
    await act(() => render(<Reviews summary={shop} onImported={() => undefined} />, ui.root));
    expect(byTestId("reviews-overview")!.textContent).toContain("48 reviews, 4.1 stars on average");
    expect(byTestId("reviews-untranslated")!.textContent).toContain("Phrases in it stay as written");
    expect(ui.root.querySelectorAll('[data-testid="reviews-row"]')).toHaveLength(2);
    expect(byTestId("reviews-table")!.textContent).toContain("en 10, de 4, too short to tell 2");
    expect(byTestId("reviews-table")!.textContent).toContain("The shoulder strap tore after two weeks (6)");
    const complaints = byTestId("reviews-complaints")!.textContent;
    expect(complaints).toContain("The shoulder strap tore after two weeks [Der Schultergurt ist nach zwei Wochen gerissen]");
    expect(complaints).toContain("6 reviews");
    expect(byTestId("reviews-detail")!.textContent).toContain("2 reviews give 4 or 5 stars but their text reads as a complaint");

    await act(() => (byTestId("reviews-table")!.querySelectorAll("button")[1] as HTMLButtonElement).click());
    expect(byTestId("reviews-detail")!.textContent).toContain("Nordlys Wool Throw");
    expect(byTestId("reviews-complaints")!.textContent).toContain("Nothing said by two reviews or more");
  });

  it("maps a file of the seller's own layout, from the columns' names, before importing it", async () => {
    ui.answer((cmd) => {
      if (cmd === "plugin:dialog|open") return "/shop/clothing-reviews.csv";
      if (cmd === "preview_reviews_file")
        return {
          layout: null,
          columns: ["Clothing ID", "Age", "Review Text", "Rating"],
          sample: [["1077", "60", "Runs small, the zip sticks", "3"]],
          rows: 1000,
          proposed: { columns: { "Clothing ID": "product", "Review Text": "body", Rating: "rating" }, month_first: false },
        };
      if (cmd === "import_reviews") return { layout: "mapped", added: 1000, updated: 0, skipped: 0 };
      return null;
    });
    await act(() => render(<Reviews summary={shop} onImported={vi.fn()} />, ui.root));
    await act(() => byTestId("import-reviews")!.click());
    await act(settle);
    expect(byTestId("map-reviews")!.textContent).toContain("clothing-reviews.csv · 1,000 rows");
    expect((byTestId("map-Clothing ID") as HTMLSelectElement).value).toBe("product");
    expect((byTestId("map-Age") as HTMLSelectElement).value).toBe("ignore");
    // Without a product column nothing can be imported, and the dialog says why.
    const product = byTestId("map-Clothing ID") as HTMLSelectElement;
    await act(() => {
      product.value = "ignore";
      product.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(byTestId("map-problem")!.textContent).toContain("what was reviewed");
    expect((byTestId("map-import") as HTMLButtonElement).disabled).toBe(true);
    await act(() => {
      product.value = "product";
      product.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await act(() => byTestId("map-import")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "import_reviews",
      { path: "/shop/clothing-reviews.csv", mapping: { columns: { "Clothing ID": "product", "Review Text": "body", Rating: "rating" }, month_first: false } },
    ]);
    expect(byTestId("map-reviews")).toBeNull();
    expect(byTestId("reviews-imported")!.textContent).toContain("1,000 new reviews");
  });

  it("imports a chosen export and says what it added, updated and left out", async () => {
    ui.answer((cmd) => {
      if (cmd === "plugin:dialog|open") return "/shop/judgeme-reviews-export.csv";
      if (cmd === "preview_reviews_file") return { layout: "judge_me", columns: [], sample: [], rows: 162, proposed: { columns: {}, month_first: false } };
      if (cmd === "import_reviews") return { layout: "judge_me", added: 156, updated: 2, skipped: 4 };
      return null;
    });
    const imported = vi.fn();
    await act(() => render(<Reviews summary={shop} onImported={imported} />, ui.root));
    await act(() => byTestId("import-reviews")!.click());
    await act(settle);
    expect(byTestId("map-reviews")).toBeNull();
    expect(ui.calls).toContainEqual(["import_reviews", { path: "/shop/judgeme-reviews-export.csv", mapping: null }]);
    expect(byTestId("reviews-imported")!.textContent).toBe(
      "judgeme-reviews-export.csv: 156 new reviews, 2 updated, 4 left out (spam, unpublished or without stars and words).",
    );
    expect(imported).toHaveBeenCalled();
  });

  it("speaks Chinese", async () => {
    language.value = "zh-CN";
    await act(() => render(<Reviews summary={shop} onImported={() => undefined} />, ui.root));
    expect(byTestId("reviews-overview")!.textContent).toContain("48 条评价，平均 4.1 星");
    expect(byTestId("reviews-complaints")!.textContent).toContain("买家抱怨什么");
  });
});
