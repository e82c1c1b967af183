import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { PhotoVocabulary, SidecarNaming } from "../bindings";
import { CodeSelect } from "../components/CodeSelect";
import { t } from "../i18n";
import { groupText, labelText } from "../photoText";
import { activeJob, dataVersion, report, runJob } from "../state";
import { targetLanguages } from "./TranslateForm";

/** Tagging and alt text as jobs, and what the tagger has learned. */
export function PhotoJobs(props: { vocabulary: PhotoVocabulary | null; selection: number[] }) {
  const busy = activeJob.value?.state === "running";
  const [locales, setLocales] = useState<string[]>([]);
  const toggle = (code: string) =>
    setLocales(locales.includes(code) ? locales.filter((other) => other !== code) : [...locales, code]);
  async function reset() {
    try {
      await api.resetPhotoLearning();
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  const corrections = props.vocabulary?.corrections ?? 0;
  return (
    <section class="tool-panel" data-testid="photo-jobs">
      <div class="tool-row">
        <span class="tool-label">{t("photos.tools.tagging")}</span>
        <button
          type="button"
          class="primary"
          data-testid="tag-photos"
          disabled={busy}
          onClick={() => void runJob({ kind: "tag_photos", photos: props.selection })}
        >
          {t("photos.tag")}
        </button>
        <span class="note" data-testid="photo-learning">
          {corrections > 0 ? t("photos.learned", { n: corrections }) : t("photos.notLearned")}
        </span>
        {corrections > 0 && (
          <button type="button" data-testid="reset-learning" onClick={() => void reset()}>
            {t("photos.resetLearning")}
          </button>
        )}
      </div>
      <div class="tool-row">
        <span class="tool-label">{t("photos.tools.altText")}</span>
        <span class="choices">
          <span>{t("photos.captionInto")}</span>
          {targetLanguages.map((code) => (
            <label key={code}>
              <input type="checkbox" data-testid={`alt-into-${code}`} checked={locales.includes(code)} onChange={() => toggle(code)} />
              {code}
            </label>
          ))}
        </span>
        <button
          type="button"
          data-testid="caption-photos"
          disabled={busy}
          onClick={() => void runJob({ kind: "caption_photos", photos: props.selection, locales })}
        >
          {t("photos.caption")}
        </button>
      </div>
      <OwnLabels vocabulary={props.vocabulary} />
    </section>
  );
}

/** A label or category of the seller's own: the tagger scores it from the next run on. */
export function OwnLabels(props: { vocabulary: PhotoVocabulary | null }) {
  const groups = ["category", ...(props.vocabulary?.groups.map((group) => group.key) ?? [])];
  const [group, setGroup] = useState("category");
  const [label, setLabel] = useState("");
  const [added, setAdded] = useState<string | null>(null);
  async function add() {
    try {
      await api.addPhotoLabel(group, label);
      setAdded(t("photos.ownLabels.added", { label: label.trim(), group: groupText(group) }));
      setLabel("");
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  return (
    <div class="tool-row" data-testid="own-labels">
      <span class="tool-label">{t("photos.ownLabels")}</span>
      <select data-testid="own-label-group" value={group} onChange={(event) => setGroup(event.currentTarget.value)}>
        {groups.map((key) => (
          <option key={key} value={key}>
            {groupText(key)}
          </option>
        ))}
      </select>
      <input
        type="text"
        data-testid="own-label"
        placeholder={t("photos.ownLabels.placeholder")}
        value={label}
        onInput={(event) => setLabel(event.currentTarget.value)}
      />
      <button type="button" data-testid="own-label-add" disabled={!label.trim()} onClick={() => void add()}>
        {t("photos.addTag")}
      </button>
      {added && <span class="note" data-testid="own-label-added">{added}</span>}
    </div>
  );
}

/** Keep, add or remove a tag on every selected photo at once. */
export function BulkTags(props: { vocabulary: PhotoVocabulary | null; selection: number[]; onDone: () => void }) {
  const groups = props.vocabulary?.groups ?? [];
  const [group, setGroup] = useState("material");
  const [label, setLabel] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const labels = groups.find((found) => found.key === group)?.labels ?? [];
  async function apply(action: "add" | "remove") {
    if (!label) return;
    try {
      const changed = await api.correctPhotoTags(props.selection, group, label, action);
      setDone(t("photos.changed", { n: changed }));
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  /** The group's other tags off every selected photo, then this one on: one call per label. */
  async function replace() {
    if (!label) return;
    try {
      const photos = await Promise.all(props.selection.map((id) => api.photo(id)));
      const others = new Map<string, number[]>();
      for (const photo of photos) {
        for (const tag of photo.tags.filter((found) => found.group === group && found.label !== label && found.state !== "removed")) {
          others.set(tag.label, [...(others.get(tag.label) ?? []), photo.id]);
        }
      }
      for (const [other, ids] of others) await api.correctPhotoTags(ids, group, other, "remove");
      const changed = await api.correctPhotoTags(props.selection, group, label, "add");
      setDone(t("photos.changed", { n: Math.max(changed, new Set([...others.values()].flat()).size) }));
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  /** One call per distinct proposed tag, for the photos that carry it. */
  async function acceptAll() {
    try {
      const photos = await Promise.all(props.selection.map((id) => api.photo(id)));
      const proposals = new Map<string, { group: string; label: string; photos: number[] }>();
      for (const photo of photos) {
        for (const tag of photo.tags.filter((found) => found.state === "proposed")) {
          const key = `${tag.group}\u0000${tag.label}`;
          const entry = proposals.get(key) ?? { group: tag.group, label: tag.label, photos: [] };
          entry.photos.push(photo.id);
          proposals.set(key, entry);
        }
      }
      let tags = 0;
      for (const proposal of proposals.values()) {
        tags += await api.correctPhotoTags(proposal.photos, proposal.group, proposal.label, "accept");
      }
      const changed = new Set([...proposals.values()].flatMap((proposal) => proposal.photos)).size;
      setDone(t("photos.accepted", { tags, photos: changed }));
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  return (
    <fieldset class="tool-panel tool-row" data-testid="bulk-tags">
      <legend>{t("photos.selected", { n: props.selection.length })}</legend>
      <button type="button" data-testid="accept-all" onClick={() => void acceptAll()}>
        {t("photos.acceptAll")}
      </button>
      <select data-testid="bulk-group" value={group} onChange={(event) => { setGroup(event.currentTarget.value); setLabel(""); }}>
        {groups.map((found) => (
          <option key={found.key} value={found.key}>
            {groupText(found.key)}
          </option>
        ))}
      </select>
      <select data-testid="bulk-label" value={label} onChange={(event) => setLabel(event.currentTarget.value)}>
        <option value="">{t("photos.tagLabel")}…</option>
        {labels.map((found) => (
          <option key={found.key} value={found.key}>
            {labelText(group, found.key, props.vocabulary)}
          </option>
        ))}
      </select>
      <button type="button" data-testid="bulk-add" disabled={!label} onClick={() => void apply("add")}>
        {t("photos.addTag")}
      </button>
      <button type="button" data-testid="bulk-remove" disabled={!label} onClick={() => void apply("remove")}>
        {t("photos.removeTag")}
      </button>
      <button type="button" data-testid="bulk-replace" disabled={!label} title={t("photos.replaceTag.title")} onClick={() => void replace()}>
        {t("photos.replaceTag")}
      </button>
      <button type="button" onClick={props.onDone}>
        {t("photos.clearSelection")}
      </button>
      {done && <span class="note" data-testid="bulk-done">{done}</span>}
    </fieldset>
  );
}

/** The photos written out: a CSV, XMP sidecars, or the seller's Shopify file filled in. */
export function PhotoExports(props: { selection: number[] }) {
  const [naming, setNaming] = useState<SidecarNaming>("replace_extension");
  const [done, setDone] = useState<string | null>(null);
  const [shopify, setShopify] = useState("");
  const [csvPath, setCsvPath] = useState("");
  const [locale, setLocale] = useState("en");
  useEffect(() => {
    api.sidecarNaming().then(setNaming, report);
  }, []);
  async function chooseNaming(next: SidecarNaming) {
    setNaming(next);
    await api.setSidecarNaming(next).catch(report);
  }
  async function pickCsv() {
    const out = await api.pickSaveLocation(csvPath || "photos.csv", [{ name: "CSV", extensions: ["csv"] }]);
    if (out) setCsvPath(out);
  }
  async function table() {
    try {
      setDone(t("photos.export.csvDone", { n: await api.exportPhotosTable(csvPath), file: csvPath }));
    } catch (error) {
      report(error);
    }
  }
  async function sidecars() {
    try {
      const written = await api.writePhotoSidecars(props.selection, null);
      const parts = [t("photos.export.xmpDone", { n: written.written })];
      if (written.skipped.length > 0) parts.push(t("photos.export.xmpSkipped", { n: written.skipped.length }));
      setDone(parts.join(" "));
    } catch (error) {
      report(error);
    }
  }
  async function pickShopify() {
    const path = await api.pickFile("CSV", ["csv"]);
    if (path) setShopify(path);
  }
  async function fill() {
    const out = shopify.replace(/(\.csv)?$/i, "-photos.csv");
    try {
      const filled = await api.fillShopifyFromPhotos(shopify, out, locale);
      setDone(
        t("photos.export.shopifyDone", { file: out, alt: filled.alt_texts, tags: filled.tags, categories: filled.categories }),
      );
    } catch (error) {
      report(error);
    }
  }
  return (
    <details class="tool-panel" data-testid="photo-exports">
      <summary data-testid="photo-exports-open">{t("photos.tools.export")}</summary>
      <div class="tool-row">
        <span class="tool-label">{t("photos.tools.table")}</span>
        <input
          type="text"
          data-testid="photos-csv-path"
          placeholder="photos.csv"
          value={csvPath}
          onInput={(event) => setCsvPath(event.currentTarget.value)}
        />
        <button type="button" onClick={() => void pickCsv()}>
          {t("export.choose")}
        </button>
        <button type="button" data-testid="photos-csv" disabled={!csvPath} onClick={() => void table()}>
          {t("photos.export.csv")}
        </button>
      </div>
      <div class="tool-row">
        <span class="tool-label">{t("photos.tools.sidecars")}</span>
        <label>
          {t("photos.sidecarNaming")}{" "}
          <select data-testid="sidecar-naming" value={naming} onChange={(event) => void chooseNaming(event.currentTarget.value as SidecarNaming)}>
            <option value="replace_extension">{t("photos.sidecar.replace_extension")}</option>
            <option value="append_extension">{t("photos.sidecar.append_extension")}</option>
          </select>
        </label>
        <button type="button" data-testid="photos-xmp" onClick={() => void sidecars()}>
          {t("photos.export.xmp")}
        </button>
      </div>
      <div class="tool-row">
        <span class="tool-label">{t("photos.tools.shopify")}</span>
        <input
          type="text"
          data-testid="photos-shopify-file"
          placeholder="products_export.csv"
          value={shopify}
          onInput={(event) => setShopify(event.currentTarget.value)}
        />
        <button type="button" onClick={() => void pickShopify()}>
          {t("export.choose")}
        </button>
        <label>
          {t("photos.tools.shopifyLanguage")}{" "}
          <CodeSelect testId="photos-shopify-locale" value={locale} codes={["en", ...targetLanguages]} onChange={setLocale} />
        </label>
        <button type="button" data-testid="photos-shopify" disabled={!shopify} onClick={() => void fill()}>
          {t("photos.export.shopify")}
        </button>
      </div>
      {done && (
        <p class="note" data-testid="photos-export-done">
          {done}
        </p>
      )}
    </details>
  );
}
