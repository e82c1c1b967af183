import { render } from "preact";
import { act } from "preact/test-utils";
import { beforeEach, describe, expect, it } from "vitest";
import { activeJob, columnsToMap, importInto, overview } from "../state";
import { componentHarness, emptyOverview, settle } from "../testing";
import type { ListingsFilePreview } from "../bindings";
import { Listings } from "./Listings";

const preview: ListingsFilePreview = {
  shopify: false,
  path: "/shop/catalogue.xlsx",
  format: "xlsx",
  columns: ["Product Name", "Text", "Brand", "Material"],
  sample: [["Linen Apron", "<p>Washed linen.</p>", "Kumo", "Linen"]],
  rows: 12,
  proposed: { "Product Name": "title", Text: "description", Brand: "vendor", Material: "ignore" },
};

const ui = componentHarness((cmd) => {
  switch (cmd) {
    case "listings":
    case "listing_translations":
      return [];
    case "plugin:dialog|open":
      return preview.path;
    case "preview_listings_file":
      return preview;
    case "start_job":
      return 1;
    default:
      return null;
  }
});
const byTestId = ui.byTestId;

function choose(id: string, value: string) {
  const select = byTestId(id) as HTMLSelectElement;
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}

beforeEach(() => {
  overview.value = emptyOverview;
  activeJob.value = null;
  columnsToMap.value = null;
});

describe("importing a product file of the seller's own layout", () => {
  it("asks which column is which, refuses a mapping without a title, and imports the confirmed one", async () => {
    await act(() => render(<Listings />, ui.root));
    await act(settle);
    await act(() => importInto("listings"));
    await act(settle);
    expect(ui.calls).toContainEqual(["preview_listings_file", { path: "/shop/catalogue.xlsx" }]);
    expect(ui.calls.some(([cmd]) => cmd === "start_job")).toBe(false);
    expect((byTestId("map-Product Name") as HTMLSelectElement).value).toBe("title");

    await act(() => choose("map-Product Name", "ignore"));
    expect(byTestId("map-problem")!.textContent).toBe("Choose the column with the product titles.");
    expect((byTestId("map-import") as HTMLButtonElement).disabled).toBe(true);
    await act(() => choose("map-Brand", "title"));
    await act(() => choose("map-Product Name", "title"));
    expect(byTestId("map-problem")!.textContent).toBe("Only one column can hold: Title.");
    await act(() => choose("map-Brand", "vendor"));
    await act(() => choose("map-Material", "translate"));
    expect(byTestId("map-problem")).toBeNull();

    await act(() => byTestId("map-import")!.click());
    await act(settle);
    const started = ui.calls.find(([cmd]) => cmd === "start_job");
    expect((started![1] as { spec: unknown }).spec).toEqual({
      kind: "import_listings",
      path: "/shop/catalogue.xlsx",
      mapping: { "Product Name": "title", Text: "description", Brand: "vendor", Material: "translate" },
    });
    expect(byTestId("map-columns")).toBeNull();
  });

  it("imports a Shopify product CSV at once", async () => {
    ui.answer((cmd) => {
      if (cmd === "plugin:dialog|open") return "/shop/products_export.csv";
      if (cmd === "preview_listings_file") return { ...preview, shopify: true, path: "/shop/products_export.csv" };
      if (cmd === "start_job") return 1;
      return [];
    });
    await act(() => importInto("listings"));
    await act(settle);
    const started = ui.calls.find(([cmd]) => cmd === "start_job");
    expect((started![1] as { spec: unknown }).spec).toEqual({ kind: "import_listings", path: "/shop/products_export.csv" });
    expect(columnsToMap.value).toBeNull();
  });
});
