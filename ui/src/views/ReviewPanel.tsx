import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { CodeSelect } from "../components/CodeSelect";
import { MarketplaceSelect } from "../components/MarketplaceSelect";
import { SafeHtml } from "../components/SafeHtml";
import { t, type MessageKey } from "../i18n";
import { dataVersion, report } from "../state";
import type { CopyDraft, CopyKind, ListingSummary, Review, StoredTranslation, Violation } from "../bindings";

/** A field's name for the seller: image_alt:2, option_value:1:Sand, metafield:custom.care… */
export function fieldLabel(field: string): string {
  const [kind, first = "", ...rest] = field.split(":");
  switch (kind) {
    case "image_alt":
      return t("review.field.image_alt");
    case "option_name":
      return t("review.field.option_name", { n: first });
    case "option_value":
      return t("review.field.option_value", { n: first, value: rest.join(":") });
    case "metafield":
      return t("review.field.metafield", { key: [first, ...rest].join(":") });
    case "column":
      return [first, ...rest].join(":");
    default:
      return t(`review.field.${kind}` as MessageKey);
  }
}

/** The order a seller reads a listing in: title first, codes-adjacent fields last. */
const fieldOrder = ["title", "body_html", "seo_title", "seo_description", "tags", "image_alt", "option_name", "option_value", "metafield", "column"];

export function byFieldOrder(a: StoredTranslation, b: StoredTranslation): number {
  const rank = (row: StoredTranslation) => {
    const index = fieldOrder.indexOf(row.field.split(":")[0]);
    return index < 0 ? fieldOrder.length : index;
  };
  return rank(a) - rank(b) || a.field.localeCompare(b.field, undefined, { numeric: true });
}

function ViolationNotes(props: { violations: Violation[] }) {
  return (
    <>
      {props.violations.map((violation) => (
        <div class="note warning" data-testid="review-violation" key={`${violation.limit}-${violation.text}`} title={violation.source}>
          {violation.guidance
            ? t("review.overGuidance", { limit: violation.limit, actual: violation.actual })
            : t("review.over", { limit: violation.limit, marketplace: violation.marketplace, actual: violation.actual })}
        </div>
      ))}
    </>
  );
}

/** Fields a marketplace limits in characters as a whole (tags are limited one by one). */
const SHORTENABLE = ["title", "seo_title", "seo_description", "image_alt"];

/** A draft of the writing model, flagged when it cannot be used as it is, taken with one click. */
function Proposal(props: { draft: CopyDraft; tags: boolean; testid: string; onUse: (text: string) => void }) {
  const { draft } = props;
  const usable = draft.fits && draft.lost.length === 0;
  // Nothing to take: an empty draft must not empty the field.
  if (!draft.text.trim()) {
    return (
      <div class="note warning" data-testid={`${props.testid}-proposal`}>
        {t("review.nothingWritten")}
      </div>
    );
  }
  return (
    <div class={usable ? "note" : "note warning"} data-testid={`${props.testid}-proposal`}>
      <q>{draft.text}</q>{" "}
      {props.tags
        ? t("review.tagsDrafted", { n: draft.text ? draft.text.split(", ").length : 0 })
        : t("review.shortened", { chars: draft.chars, limit: draft.limit })}
      {!draft.fits && <> {props.tags ? t("review.tagsFew") : t("review.shortenedLong")}</>}
      {draft.lost.length > 0 && <> {t("review.shortenedLost", { spans: draft.lost.join(", ") })}</>}{" "}
      <button type="button" data-testid={`${props.testid}-use`} onClick={() => props.onUse(draft.text)}>
        {t("review.useShortened")}
      </button>
    </div>
  );
}

/** A button that asks the writing model for a draft of the field, and the draft it gives. */
function WriterDraft(props: { label: string; testid: string; tags?: boolean; ask: () => Promise<CopyDraft>; onUse: (text: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [draft, setDraft] = useState<CopyDraft | null>(null);
  async function ask() {
    setBusy(true);
    try {
      setDraft(await props.ask());
    } catch (error) {
      report(error);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="shorten">
      <button type="button" data-testid={props.testid} disabled={busy} onClick={() => void ask()}>
        {busy ? t("review.writing") : props.label}
      </button>
      {draft && <Proposal draft={draft} tags={props.tags ?? false} testid={props.testid} onUse={props.onUse} />}
    </div>
  );
}

/** The search copy the writing model drafts from the listing's title and description. */
const COPY_KINDS: CopyKind[] = ["seo_title", "seo_description", "tags"];

/** What search copy is written from: the listing's title and description in the row's language. */
type CopyFrom = { title: string; description: string };

function FieldReview(props: { row: StoredTranslation; violations: Violation[]; marketplace: string; keep: string[]; copyFrom: CopyFrom }) {
  const { row } = props;
  const [text, setText] = useState(row.translated);
  const html = row.field === "body_html";
  async function retranslate() {
    try {
      await api.retranslateField(row.listing_id, row.field, row.locale);
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  async function save(review: Review) {
    try {
      await api.reviewTranslation(row.listing_id, row.field, row.locale, review === "edited" ? text : null, review);
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  const fieldName = fieldLabel(row.field);
  const kind = row.field.split(":")[0];
  const copyKind = COPY_KINDS.find((known) => known === kind);
  return (
    <tr data-testid={`review-${row.field}`}>
      <th>
        {fieldName}
        <div class="note">{t(`review.status.${row.status}` as MessageKey)}</div>
        {row.flags.length > 0 && (
          <div class="note warning" data-testid="review-flags">
            {t("review.flags", { n: row.flags.length })}
          </div>
        )}
        <ViolationNotes violations={props.violations} />
      </th>
      <td>
        {html && <SafeHtml html={row.source} label={t("review.source")} />}
        <pre class="source">{row.source}</pre>
      </td>
      <td>
        {html && <SafeHtml html={text} label={t("review.translation")} />}
        <textarea
          data-testid="review-text"
          rows={html ? 8 : 2}
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <div class="actions">
          <button type="button" data-testid="review-save" disabled={text === row.translated} onClick={() => void save("edited")}>
            {t("review.save")}
          </button>
          <button type="button" data-testid="review-approve" onClick={() => void save("approved")}>
            {t("review.approve")}
          </button>
          <button type="button" data-testid="review-retranslate" onClick={() => void retranslate()}>
            {t("review.retranslate")}
          </button>
        </div>
        {props.violations.length > 0 && SHORTENABLE.includes(kind) && (
          <WriterDraft
            label={t("review.shorten")}
            testid="review-shorten"
            ask={() => api.shortenField(text, kind, props.marketplace, row.locale, props.keep)}
            onUse={setText}
          />
        )}
        {copyKind && (
          <WriterDraft
            label={t(`review.draft.${copyKind}` as MessageKey)}
            testid="review-draft-copy"
            tags={copyKind === "tags"}
            ask={() =>
              api.draftListingCopy(copyKind, props.copyFrom.title, props.copyFrom.description, row.locale, props.marketplace || "shopify", props.keep)
            }
            onUse={setText}
          />
        )}
      </td>
    </tr>
  );
}

/** One listing side by side: source | translation, per field, for one language. */
export function ReviewPanel(props: { listing: ListingSummary; rows: StoredTranslation[]; onClose: () => void }) {
  const locales = [...new Set(props.rows.map((row) => row.locale))].sort();
  const [locale, setLocale] = useState(locales[0] ?? "");
  const [marketplace, setMarketplace] = useState("");
  const [over, setOver] = useState<[StoredTranslation, Violation[]][]>([]);
  useEffect(() => {
    if (!marketplace) {
      setOver([]);
      return;
    }
    api.marketplaceViolations(marketplace).then(setOver, report);
  }, [marketplace, props.rows]);
  const shown = props.rows.filter((row) => row.locale === locale).sort(byFieldOrder);
  const copyFrom: CopyFrom = {
    title: shown.find((row) => row.field === "title")?.translated ?? props.listing.title,
    description: shown.find((row) => row.field === "body_html")?.translated ?? "",
  };
  const violationsOf = (row: StoredTranslation) =>
    over.find(
      ([found]) => found.listing_id === row.listing_id && found.field === row.field && found.locale === row.locale,
    )?.[1] ?? [];
  return (
    <section class="review" data-testid="review-panel">
      <header class="view-header">
        <h2>{props.listing.title}</h2>
        <CodeSelect testId="review-locale" value={locale} codes={locales} onChange={setLocale} />
        <MarketplaceSelect testId="review-marketplace" label="review.marketplace" value={marketplace} onChange={setMarketplace} />
        <button type="button" onClick={props.onClose}>
          {t("review.close")}
        </button>
      </header>
      <table class="grid review-grid">
        <thead>
          <tr>
            <th />
            <th>{t("review.source")}</th>
            <th>{t("review.translation")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <FieldReview
              key={`${row.locale}-${row.field}`}
              row={row}
              violations={violationsOf(row)}
              marketplace={marketplace}
              keep={props.listing.vendor ? [props.listing.vendor] : []}
              copyFrom={copyFrom}
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}
