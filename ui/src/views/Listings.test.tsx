import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it } from "vitest";
import { activeJob, overview } from "../state";
import { componentHarness, emptyOverview, settle } from "../testing";
import type { ListingSummary, StoredTranslation } from "../bindings";
import { Listings } from "./Listings";
import { byFieldOrder, fieldLabel } from "./ReviewPanel";

const listing: ListingSummary = {
  id: 1, handle: "kumo-mug", title: "Kumo Mug", vendor: "Kumo", product_type: "Mug", status: "active",
  variants: 2, images: 1, min_price_cents: 1800, max_price_cents: 1800,
};

const hostile = '<p>Nice mug</p><script>window.hacked = true</script><img src="x" onerror="window.hacked = true">';

const rows: StoredTranslation[] = [
  { listing_id: 1, handle: "kumo-mug", field: "title", locale: "de", source: "Kumo Mug", translated: "Kumo Becher", status: "machine", flags: [] },
  { listing_id: 1, handle: "kumo-mug", field: "body_html", locale: "de", source: hostile, translated: hostile, status: "machine", flags: [{ kind: "missing", sentence: "Nice mug", span: { kind: "term", original: "Kumo", replacement: "⟦0⟧" } }] },
  { listing_id: 1, handle: "kumo-mug", field: "tags", locale: "de", source: "mug, ceramic", translated: "Becher, Keramik", status: "machine", flags: [] },
];

/** The catalog as the tests see it: MADLAD for pl and ja, no model for zh. */
function defaultEngines(args: unknown) {
  const { source, targets } = args as { source: string; targets: string[] };
  return Object.fromEntries(
    targets
      .filter((code) => code !== source && code !== "zh")
      .map((code) => [code, code === "pl" || code === "ja" ? "madlad" : "marian"]),
  );
}

function answerListings(cmd: string, args: unknown): unknown {
  switch (cmd) {
    case "default_engines":
      return defaultEngines(args);
    case "listings":
      return [listing, { ...listing, id: 2, handle: "tote", title: "Tote" }];
    case "listing_translations":
      return rows;
    case "marketplaces":
      return ["amazon", "ebay", "etsy", "shopify"];
    case "marketplace_violations":
      return [[rows[0], [{
        marketplace: "ebay", field: "title", text: rows[0].translated, limit: "80 characters",
        actual: "93 characters", guidance: false, source: "https://example.com/ebay",
      }]]];
    case "draft_listing_copy":
      return { text: "becher, keramik, kaffeebecher, handgemacht, geschenk", chars: 51, limit: 20, fits: true, lost: [], tries: 1, prompt_version: "copy-v1" };
    case "shorten_field":
      return { text: "Kumo Tasse", chars: 10, limit: 80, fits: true, lost: [], tries: 1, prompt_version: "shorten-v1" };
    case "plugin:dialog|open":
      return "/shop/translations_export.csv";
    case "plugin:dialog|save":
      return "/shop/all.xlsx";
    case "export_translations_table":
      return 42;
    case "export_translated_copies":
      return [{ locale: "de", path: "/shop/translations_export.de.csv", report: { replaced: 12, stale: 0 } }];
    case "fill_shopify_translations":
      return { filled: 58, stale: 1, untranslated: 0, other_locales: ["es"], over_limits: 3 };
    default:
      return null;
  }
}
const ui = componentHarness(answerListings);
const byTestId = ui.byTestId;

beforeEach(() => {
  overview.value = { ...emptyOverview, listings: 1, variants: 2, images: 1 };
  activeJob.value = null;
});

describe("reviewing translations", () => {
  it("shows a listing side by side with its HTML inert, and sends edits and approvals", async () => {
    await act(() => render(<Listings />, ui.root));
    await act(settle);
    expect(byTestId("badge-de")!.textContent).toBe("de ⚠1");
    await act(() => byTestId("open-listing")!.click());
    expect(byTestId("review-panel")).not.toBeNull();

    // The description is rendered only inside sandboxed frames, never into the app's DOM.
    const frames = [...ui.root.querySelectorAll<HTMLIFrameElement>('[data-testid="safe-html"]')];
    expect(frames.length).toBe(2);
    for (const frame of frames) {
      expect(frame.getAttribute("sandbox")).toBe("");
      expect(frame.getAttribute("srcdoc")).toContain("<script>");
    }
    expect(ui.root.querySelector("script")).toBeNull();
    expect(ui.root.querySelector("img[onerror]")).toBeNull();
    expect((window as unknown as { hacked?: boolean }).hacked).toBeUndefined();
    expect(byTestId("review-flags")!.textContent).toBe("1 points to review");

    const title = byTestId("review-title")!;
    const text = title.querySelector<HTMLTextAreaElement>('[data-testid="review-text"]')!;
    await act(() => {
      text.value = "Kumo Tasse";
      text.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(() => title.querySelector<HTMLElement>('[data-testid="review-save"]')!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "review_translation",
      { listingId: 1, field: "title", locale: "de", text: "Kumo Tasse", review: "edited" },
    ]);
    await act(() => title.querySelector<HTMLElement>('[data-testid="review-retranslate"]')!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["retranslate_field", { listingId: 1, field: "title", locale: "de" }]);
    await act(() => byTestId("review-body_html")!.querySelector<HTMLElement>('[data-testid="review-approve"]')!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "review_translation",
      { listingId: 1, field: "body_html", locale: "de", text: null, review: "approved" },
    ]);
  });

  it("filters to listings with points to review and starts a translation job for the chosen languages", async () => {
    await act(() => render(<Listings />, ui.root));
    await act(settle);
    expect((byTestId("translate-start") as HTMLButtonElement).disabled).toBe(true);
    await act(settle); // the languages the catalog reaches arrive after the listings
    expect(byTestId("translate-zh")).toBeNull();
    await act(() => byTestId("translate-de")!.click());
    await act(() => byTestId("translate-ja")!.click());
    await act(() => byTestId("translate-start")!.click());
    await act(settle);
    const started = ui.calls.find(([cmd]) => cmd === "start_job");
    expect((started![1] as { spec: unknown }).spec).toEqual({
      kind: "translate_listings", source: "en", locales: ["de", "ja"], prefer: "marian",
      engines: { de: "marian", ja: "madlad" },
    });
    expect(ui.root.querySelectorAll('[data-testid="listing-row"]').length).toBe(2);
    await act(() => byTestId("flagged-only")!.click());
    expect(ui.root.querySelectorAll('[data-testid="listing-row"]').length).toBe(1);
  });

  it("translates from the catalogue's language with the model chosen per language", async () => {
    await act(() => render(<Listings />, ui.root));
    await act(settle);
    const source = byTestId("translate-source") as HTMLSelectElement;
    await act(() => {
      source.value = "de";
      source.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(byTestId("translate-de")).toBeNull();
    await act(() => byTestId("translate-fr")!.click());
    const engine = byTestId("engine-fr") as HTMLSelectElement;
    expect(engine.value).toBe("marian");
    await act(() => {
      engine.value = "madlad";
      engine.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await act(() => byTestId("translate-start")!.click());
    await act(settle);
    const started = ui.calls.find(([cmd]) => cmd === "start_job");
    expect((started![1] as { spec: unknown }).spec).toEqual({
      kind: "translate_listings", source: "de", locales: ["fr"], prefer: "marian", engines: { fr: "madlad" },
    });
  });

  it("shows a marketplace's length limits beside the fields that break them", async () => {
    await act(() => render(<Listings />, ui.root));
    await act(settle);
    await act(() => byTestId("open-listing")!.click());
    await act(settle);
    expect(byTestId("review-violation")).toBeNull();
    const picker = byTestId("review-marketplace") as HTMLSelectElement;
    expect([...picker.options].map((option) => option.value)).toEqual(["", "amazon", "ebay", "etsy", "shopify"]);
    await act(() => {
      picker.value = "ebay";
      picker.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await act(settle);
    expect(ui.calls).toContainEqual(["marketplace_violations", { marketplace: "ebay" }]);
    const notes = byTestId("review-title")!.querySelectorAll('[data-testid="review-violation"]');
    expect([...notes].map((note) => note.textContent)).toEqual(["80 characters on ebay: 93 characters"]);
    expect(byTestId("review-body_html")!.querySelector('[data-testid="review-violation"]')).toBeNull();
    expect(byTestId("review-body_html")!.querySelector('[data-testid="review-shorten"]')).toBeNull();

    // The writing model's shorter title, keeping the brand, taken with one click.
    await act(() => (byTestId("review-title")!.querySelector('[data-testid="review-shorten"]') as HTMLButtonElement).click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "shorten_field",
      { text: "Kumo Becher", field: "title", marketplace: "ebay", language: "de", keep: ["Kumo"] },
    ]);
    expect(byTestId("review-shorten-proposal")!.textContent).toContain("10 of 80 characters");
    await act(() => byTestId("review-shorten-use")!.click());
    const box = byTestId("review-title")!.querySelector('[data-testid="review-text"]') as HTMLTextAreaElement;
    expect(box.value).toBe("Kumo Tasse");
  });

  it("suggests tags from the listing's translated title and description, taken with one click", async () => {
    await act(() => render(<Listings />, ui.root));
    await act(settle);
    await act(() => byTestId("open-listing")!.click());
    await act(settle);
    expect(byTestId("review-title")!.querySelector('[data-testid="review-draft-copy"]')).toBeNull();
    const tags = byTestId("review-tags")!;
    const ask = tags.querySelector('[data-testid="review-draft-copy"]') as HTMLButtonElement;
    expect(ask.textContent).toBe("Suggest tags");
    await act(() => ask.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "draft_listing_copy",
      { kind: "tags", title: "Kumo Becher", description: hostile, language: "de", marketplace: "shopify", keep: ["Kumo"] },
    ]);
    expect(tags.querySelector('[data-testid="review-draft-copy-proposal"]')!.textContent).toContain("— 5 tags.");
    await act(() => (tags.querySelector('[data-testid="review-draft-copy-use"]') as HTMLButtonElement).click());
    expect((tags.querySelector('[data-testid="review-text"]') as HTMLTextAreaElement).value).toBe(
      "becher, keramik, kaffeebecher, handgemacht, geschenk",
    );
  });

  it("offers nothing to take when the writer wrote no tag, so the field is never emptied", async () => {
    ui.answer((cmd, args) =>
      cmd === "draft_listing_copy"
        ? { text: "", chars: 0, limit: 20, fits: false, lost: [], tries: 3, prompt_version: "copy-v1" }
        : answerListings(cmd, args),
    );
    await act(() => render(<Listings />, ui.root));
    await act(settle);
    await act(() => byTestId("open-listing")!.click());
    await act(settle);
    const tags = byTestId("review-tags")!;
    await act(() => (tags.querySelector('[data-testid="review-draft-copy"]') as HTMLButtonElement).click());
    await act(settle);
    expect(tags.querySelector('[data-testid="review-draft-copy-proposal"]')!.textContent).toContain("wrote nothing usable");
    expect(tags.querySelector('[data-testid="review-draft-copy-use"]')).toBeNull();
    expect((tags.querySelector('[data-testid="review-text"]') as HTMLTextAreaElement).value).toBe("Becher, Keramik");
  });

  it("fills the shop's translations file chosen by the seller and says what it left empty", async () => {
    await act(() => render(<Listings />, ui.root));
    await act(settle);
    expect((byTestId("export-shopify") as HTMLButtonElement).disabled).toBe(true);
    await act(() => byTestId("export-form")!.querySelector("button")!.click());
    await act(settle);
    expect((byTestId("export-out") as HTMLInputElement).value).toBe("/shop/translations_export-translated.csv");
    await act(() => byTestId("export-shopify")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual([
      "fill_shopify_translations",
      { shopExport: "/shop/translations_export.csv", out: "/shop/translations_export-translated.csv" },
    ]);
    expect(byTestId("export-done")!.textContent).toBe(
      "Filled 58 translations into /shop/translations_export-translated.csv. 1 left empty: the shop's text changed since it was translated. 3 over Shopify's length limits or guidance (see the review's limits). Not translated into: es.",
    );
  });

  it("names every kind of field for the seller", () => {
    expect(fieldLabel("seo_title")).toBe("SEO title");
    expect(fieldLabel("image_alt:2")).toBe("Image alt text");
    expect(fieldLabel("option_name:1")).toBe("Option 1 name");
    expect(fieldLabel("option_value:2:Sand: light")).toBe("Option 2 value “Sand: light”");
    expect(fieldLabel("metafield:custom.care_guide")).toBe("Metafield custom.care_guide");
    expect(fieldLabel("column:Short text")).toBe("Short text");
    const fields = ["tags", "option_value:1:Sand", "image_alt:10", "body_html", "image_alt:2", "title", "seo_title"];
    const sorted = fields.map((field) => ({ ...rows[0], field })).sort(byFieldOrder).map((row) => row.field);
    expect(sorted).toEqual(["title", "body_html", "seo_title", "tags", "image_alt:2", "image_alt:10", "option_value:1:Sand"]);
  });

  it("writes a copy of the seller's product file per language beside it", async () => {
    await act(() => render(<Listings />, ui.root));
    await act(settle);
    await act(() => byTestId("export-copies")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["export_translated_copies", { original: "/shop/translations_export.csv" }]);
    expect(byTestId("export-done")!.textContent).toBe(
      "Wrote /shop/translations_export.de.csv (12 cells translated, 0 changed since and left).",
    );
  });

  it("saves every translation as a table with the limits of the marketplace chosen", async () => {
    await act(() => render(<Listings />, ui.root));
    await act(settle);
    await act(settle); // the export form loads the marketplaces once translations are shown
    const picker = byTestId("export-marketplace") as HTMLSelectElement;
    await act(() => {
      picker.value = "etsy";
      picker.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await act(() => byTestId("export-table")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["export_translations_table", { out: "/shop/all.xlsx", marketplace: "etsy" }]);
    expect(byTestId("export-done")!.textContent).toBe("Saved 42 translations to /shop/all.xlsx.");
  });
});
