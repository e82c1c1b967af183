import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { CodeSelect } from "../components/CodeSelect";
import { MarketplaceSelect } from "../components/MarketplaceSelect";
import { SafeHtml } from "../components/SafeHtml";
import { t, type MessageKey } from "../i18n";
import { dataVersion, report } from "../state";
import type { ListingSummary, Review, Shortened, StoredTranslation, Violation } from "../bindings";

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

/** A shorter version of an over-limit field by the writing model, to take or leave. */
function ShortenField(props: { row: StoredTranslation; text: string; marketplace: string; keep: string[]; onUse: (text: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [proposal, setProposal] = useState<Shortened | null>(null);
  async function shorten() {
    setBusy(true);
    try {
      const field = props.row.field.split(":")[0];
      setProposal(await api.shortenField(props.text, field, props.marketplace, props.row.locale, props.keep));
    } catch (error) {
      report(error);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="shorten">
      <button type="button" data-testid="review-shorten" disabled={busy} onClick={() => void shorten()}>
        {busy ? t("review.shortening") : t("review.shorten")}
      </button>
      {proposal && (
        <div class={proposal.fits && proposal.lost.length === 0 ? "note" : "note warning"} data-testid="review-shortened">
          <q>{proposal.text}</q> {t("review.shortened", { chars: proposal.chars, limit: proposal.limit })}
          {!proposal.fits && <> {t("review.shortenedLong")}</>}
          {proposal.lost.length > 0 && <> {t("review.shortenedLost", { spans: proposal.lost.join(", ") })}</>}{" "}
          <button type="button" data-testid="review-use-shortened" onClick={() => props.onUse(proposal.text)}>
            {t("review.useShortened")}
          </button>
        </div>
      )}
    </div>
  );
}

function FieldReview(props: { row: StoredTranslation; violations: Violation[]; marketplace: string; keep: string[] }) {
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
        {props.violations.length > 0 && SHORTENABLE.includes(row.field.split(":")[0]) && (
          <ShortenField row={row} text={text} marketplace={props.marketplace} keep={props.keep} onUse={setText} />
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
            />
          ))}
        </tbody>
      </table>
    </section>
  );
}
