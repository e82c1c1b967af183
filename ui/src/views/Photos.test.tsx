import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { PhotoDetail, PhotoView, PhotoVocabulary } from "../bindings";
import { language } from "../i18n";
import { componentHarness, settle } from "../testing";
import { Photos } from "./Photos";

function photo(id: number, extra: Partial<PhotoView> = {}): PhotoView {
  return {
    id,
    file_name: `photo-${id}.jpg`,
    width: 600,
    height: 400,
    bytes: 40_000,
    thumbnail: "data:image/jpeg;base64,",
    tags: [],
    colours: [{ hex: "#c81e1e", name: "red", share: 0.8 }],
    checks: { amazon: "warn", ebay: "pass" },
    duplicate_of: null,
    listings: [],
    alt_text_locales: [],
    ...extra,
  };
}

const tote = photo(1, {
  file_name: "sakura-stitch-tote-1.jpg",
  tags: [
    { group: "category", label: "100", path: "Luggage & Bags > Backpacks", score: 0.6, state: "proposed" },
    { group: "material", label: "canvas", path: null, score: 0.5, state: "proposed" },
  ],
});

const vocabulary: PhotoVocabulary = {
  groups: [
    { key: "material", name_zh: "材质", prompts: [], threshold: 0.3, labels: [{ key: "canvas", zh: "帆布", custom: false }, { key: "linen", zh: "亚麻", custom: false }] },
  ],
  custom_categories: [],
  corrections: 3,
};

const detail: PhotoDetail = {
  id: 1,
  file_name: "sakura-stitch-tote-1.jpg",
  path: "/shop/sakura-stitch-tote-1.jpg",
  measures: {
    width: 600, height: 600, bytes: 40_000, format: "jpeg", white_border: 0, plain_background: true, fill: 0.73,
    sharpness: 770, brightness: 0.4, dark_clipped: 0, bright_clipped: 0, colours: [{ hex: "#c81e1e", name: "red", share: 0.86 }],
  },
  tags: tote.tags,
  captions: {
    en: { locale: "en", text: "a red canvas tote bag", status: "machine" },
    de: { locale: "de", text: "eine rote Tasche …", status: "edited" },
  },
  alt_text_limits: {
    de: [
      {
        marketplace: "shopify", field: "image_alt", text: "eine rote Tasche …", limit: "512 characters", actual: "540 characters",
        guidance: false, source: "Shopify help",
      },
    ],
  },
  listings: [{ listing_id: 14, handle: "sakura-stitch-tote", title: "Sakura Stitch Canvas Tote", position: 1 }],
  checks: {
    ebay: [
      {
        marketplace: "ebay", check: "min_longest_side", status: "warn", actual: "600 px", limit: "1000 px", guidance: false,
        source: "eBay developer knowledge base", sentence: "ebay: warning: …",
      },
    ],
  },
  duplicates: [],
};

let photos: PhotoView[] = [];

const ui = componentHarness((cmd, args) => {
  switch (cmd) {
    case "photos":
      return photos;
    case "photo_vocabulary":
      return vocabulary;
    case "photo": {
      const id = (args as { id: number }).id;
      return { ...detail, id, tags: photos.find((found) => found.id === id)?.tags ?? [] };
    }
    case "sidecar_naming":
      return "replace_extension";
    case "correct_photo_tags":
      return 2;
    default:
      return null;
  }
});
const byTestId = ui.byTestId;

afterEach(() => {
  language.value = "en";
});

describe("the Photos view", () => {
  it("draws only the rows in view of a large shoot", async () => {
    photos = Array.from({ length: 400 }, (_, index) => photo(index + 1));
    await act(() => render(<Photos />, ui.root));
    await act(settle);
    const cards = ui.root.querySelectorAll('[data-testid="photo-card"]').length;
    expect(cards).toBeGreaterThan(0);
    expect(cards).toBeLessThan(100);
    expect(byTestId("photos-count")!.textContent).toBe("400 photos");
  });

  it("names the marketplaces a photo fails or warns on, and keeps every proposal in one call per tag", async () => {
    photos = [
      tote,
      photo(2, { checks: { amazon: "pass", ebay: "fail", etsy: "warn" }, tags: tote.tags }),
      photo(3, { checks: { amazon: "pass" }, duplicate_of: 2 }),
    ];
    await act(() => render(<Photos />, ui.root));
    await act(settle);
    const badges = [...ui.root.querySelectorAll('[data-testid="check-badges"]')].map((badge) => badge.textContent);
    expect(badges).toEqual(["! Amazon", "✗ eBay! Etsy", "✓ ready everywheresame shot"]);
    await act(() => byTestId("select-all")!.click());
    await act(settle);
    ui.calls.length = 0;
    await act(() => byTestId("accept-all")!.click());
    await act(settle);
    const accepts = ui.calls.filter(([cmd]) => cmd === "correct_photo_tags");
    expect(accepts).toEqual([
      ["correct_photo_tags", { photos: [1, 2], group: "category", label: "100", action: "accept" }],
      ["correct_photo_tags", { photos: [1, 2], group: "material", label: "canvas", action: "accept" }],
    ]);
    expect(byTestId("bulk-done")!.textContent).toBe("Kept 4 proposed tags on 2 photos.");
  });

  it("adds a tag to a selection at once and opens a photo's record", async () => {
    photos = [tote, photo(2)];
    await act(() => render(<Photos />, ui.root));
    await act(settle);
    expect(byTestId("photo-learning")!.textContent).toBe("Learned from 3 of your decisions.");
    await act(() => byTestId("select-all")!.click());
    await act(settle);
    const group = byTestId("bulk-group") as HTMLSelectElement;
    const label = byTestId("bulk-label") as HTMLSelectElement;
    await act(() => {
      label.value = "linen";
      label.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(group.value).toBe("material");
    await act(() => byTestId("bulk-add")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["correct_photo_tags", { photos: [1, 2], group: "material", label: "linen", action: "add" }]);
    expect(byTestId("bulk-done")!.textContent).toBe("2 photos changed.");
    // Replace: canvas (proposed on photo 1) off, linen on both.
    ui.calls.length = 0;
    await act(() => byTestId("bulk-replace")!.click());
    await act(settle);
    expect(ui.calls.filter(([cmd]) => cmd === "correct_photo_tags")).toEqual([
      ["correct_photo_tags", { photos: [1], group: "material", label: "canvas", action: "remove" }],
      ["correct_photo_tags", { photos: [1, 2], group: "material", label: "linen", action: "add" }],
    ]);

    await act(() => byTestId("open-photo-1")!.click());
    await act(settle);
    expect(byTestId("photo-detail")!.textContent).toContain("image 1 of Sakura Stitch Canvas Tote");
    expect(byTestId("checks-ebay")!.textContent).toContain("Longest side at least 1000 px: this photo has 600 px");
    expect(byTestId("alt-limit-de")!.textContent).toBe("Too long for Shopify: at most 512 characters, this has 540 characters.");
    expect(byTestId("alt-limit-en")).toBeNull();
    await act(() => (byTestId("tag-material-canvas")!.querySelector('[data-testid="tag-keep"]') as HTMLElement).click());
    await act(settle);
    expect(ui.calls).toContainEqual(["correct_photo_tags", { photos: [1], group: "material", label: "canvas", action: "accept" }]);
  });

  it("adds a label of the seller's own to a group", async () => {
    photos = [tote];
    await act(() => render(<Photos />, ui.root));
    await act(settle);
    const group = byTestId("own-label-group") as HTMLSelectElement;
    await act(() => {
      group.value = "material";
      group.dispatchEvent(new Event("change", { bubbles: true }));
    });
    const input = byTestId("own-label") as HTMLInputElement;
    await act(() => {
      input.value = "  washi paper ";
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await act(() => byTestId("own-label-add")!.click());
    await act(settle);
    expect(ui.calls).toContainEqual(["add_photo_label", { group: "material", label: "  washi paper " }]);
    expect(byTestId("own-label-added")!.textContent).toBe("Added “washi paper” to Material: the next tagging scores it.");
  });

  it("speaks Chinese: tags, checks and filters", async () => {
    language.value = "zh-CN";
    photos = [tote];
    await act(() => render(<Photos />, ui.root));
    await act(settle);
    expect(byTestId("photo-card")!.textContent).toContain("帆布");
    expect(byTestId("check-badges")!.textContent).toBe("! 亚马逊");
    await act(() => byTestId("open-photo-1")!.click());
    await act(settle);
    expect(byTestId("checks-ebay")!.textContent).toContain("最长边至少 1000 px：此图为 600 px");
    expect(byTestId("photo-detail")!.textContent).toContain("建议，把握 50%");
  });
});
