import { useState } from "preact/hooks";
import { api } from "../api";
import { MarketplaceSelect } from "../components/MarketplaceSelect";
import { t } from "../i18n";
import { report } from "../state";
import type { FilledReport } from "../bindings";

/** What the filled file holds, and what was left empty and why. */
function filledSummary(result: FilledReport, out: string): string {
  const parts = [t("export.filled", { n: result.filled, file: out })];
  if (result.stale > 0) parts.push(t("export.stale", { n: result.stale }));
  if (result.untranslated > 0) parts.push(t("export.untranslated", { n: result.untranslated }));
  if (result.over_limits > 0) parts.push(t("export.overLimits", { n: result.over_limits }));
  if (result.other_locales.length > 0) parts.push(t("export.otherLocales", { locales: result.other_locales.join(", ") }));
  return parts.join(" ");
}

/** Where the filled copy goes unless the seller says otherwise: beside the shop's file. */
export function filledPath(shopExport: string): string {
  return shopExport.replace(/(\.csv)?$/i, "-translated.csv");
}

/**
 * Sends the translations back out: into the shop's own translations file, or as a table.
 * Paths can be typed or pasted as well as chosen.
 */
export function ExportTranslations() {
  const [shopExport, setShopExport] = useState("");
  const [out, setOut] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const [marketplace, setMarketplace] = useState("");
  function chooseShopExport(path: string) {
    setShopExport(path);
    setOut(path ? filledPath(path) : "");
  }
  async function pickShopExport() {
    const path = await api.pickFile(t("export.shopifyFile"), ["csv"]);
    if (path) chooseShopExport(path);
  }
  async function pickOut() {
    const path = await api.pickSaveLocation(out || "translations-translated.csv", [{ name: "CSV", extensions: ["csv"] }]);
    if (path) setOut(path);
  }
  async function fill() {
    try {
      setDone(filledSummary(await api.fillShopifyTranslations(shopExport, out), out));
    } catch (error) {
      report(error);
    }
  }
  async function copies() {
    const original = await api.pickFile(t("listings.fileKinds"), ["csv", "txt", "tsv", "xlsx", "json"]);
    if (!original) return;
    try {
      const written = await api.exportTranslatedCopies(original);
      setDone(
        written
          .map((copy) => t("export.copy", { file: copy.path, n: copy.report.replaced, stale: copy.report.stale }))
          .join(" "),
      );
    } catch (error) {
      report(error);
    }
  }
  async function asTable() {
    const path = await api.pickSaveLocation("translations.xlsx", [
      { name: "Excel", extensions: ["xlsx"] },
      { name: "CSV", extensions: ["csv"] },
      { name: "JSON", extensions: ["json"] },
    ]);
    if (!path) return;
    try {
      setDone(t("export.table", { n: await api.exportTranslationsTable(path, marketplace || null), file: path }));
    } catch (error) {
      report(error);
    }
  }
  return (
    <fieldset class="export" data-testid="export-form">
      <legend>{t("export.title")}</legend>
      <p class="note">{t("export.shopifyHelp")}</p>
      <label>
        {t("export.shopifyFile")}{" "}
        <input
          type="text"
          data-testid="export-shop-file"
          value={shopExport}
          onInput={(event) => chooseShopExport(event.currentTarget.value)}
        />
      </label>
      <button type="button" onClick={() => void pickShopExport()}>
        {t("export.choose")}
      </button>
      <label>
        {t("export.saveAs")}{" "}
        <input type="text" data-testid="export-out" value={out} onInput={(event) => setOut(event.currentTarget.value)} />
      </label>
      <button type="button" onClick={() => void pickOut()}>
        {t("export.choose")}
      </button>
      <button
        type="button"
        data-testid="export-shopify"
        disabled={!shopExport.trim() || !out.trim()}
        onClick={() => void fill()}
      >
        {t("export.shopify")}
      </button>
      <button type="button" data-testid="export-copies" onClick={() => void copies()}>
        {t("export.copies")}
      </button>
      <button type="button" data-testid="export-table" onClick={() => void asTable()}>
        {t("export.asTable")}
      </button>
      <MarketplaceSelect testId="export-marketplace" label="export.tableLimits" value={marketplace} onChange={setMarketplace} />
      {done && (
        <p class="note" data-testid="export-done">
          {done}
        </p>
      )}
    </fieldset>
  );
}
