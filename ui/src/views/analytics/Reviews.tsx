import { useState } from "preact/hooks";
import { api } from "../../api";
import type { ImportedReviews, KeyPhrase, ProductReviews, ReviewMapping, ReviewsPreview, ReviewsSummary, Said } from "../../bindings";
import { formatCount } from "../../format";
import { t } from "../../i18n";
import { report } from "../../state";
import { MapReviewColumns } from "./MapReviewColumns";

function stars(value: number | null): string {
  return value === null ? "—" : value.toFixed(1);
}

/** A sentence in the seller's language where it was translated, with the words the buyer wrote beside it. */
function SaidText(props: { said: Said }) {
  const { said } = props;
  if (!said.translated) return <span lang={said.language ?? undefined}>{said.text}</span>;
  return (
    <span>
      {said.translated} <span class="note" lang={said.language ?? undefined}>[{said.text}]</span>
    </span>
  );
}

function Phrases(props: { title: string; phrases: KeyPhrase[]; testId: string }) {
  return (
    <div data-testid={props.testId}>
      <h3>{props.title}</h3>
      {props.phrases.length === 0 ? (
        <p class="note">{t("analytics.reviews.nothingRecurs")}</p>
      ) : (
        <ul class="key-phrases">
          {props.phrases.map((phrase) => (
            <li key={phrase.phrase.text}>
              <strong>
                <SaidText said={phrase.phrase} />
              </strong>{" "}
              <span class="note">{t("analytics.reviews.saidBy", { n: formatCount(phrase.reviews) })}</span>
              {phrase.examples.length > 0 && (
                <ul>
                  {phrase.examples.map((example) => (
                    <li key={example.text}>
                      <SaidText said={example} />
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function topComplaint(product: ProductReviews): string {
  const top = product.complaints[0];
  return top ? `${top.phrase.translated ?? top.phrase.text} (${formatCount(top.reviews)})` : "—";
}

/** What the shop's reviews say, product by product: stars, languages, and what recurs. */
export function Reviews(props: { summary: ReviewsSummary; onImported: () => void }) {
  const { summary } = props;
  const [chosen, setChosen] = useState<string | null>(summary.products[0]?.product ?? null);
  const product = summary.products.find((candidate) => candidate.product === chosen) ?? null;
  const [imported, setImported] = useState<{ file: string; result: ImportedReviews } | null>(null);
  const [toMap, setToMap] = useState<{ path: string; preview: ReviewsPreview } | null>(null);
  async function importWith(path: string, mapping: ReviewMapping | null) {
    try {
      const result = await api.importReviews(path, mapping);
      setToMap(null);
      setImported({ file: path.split(/[\\/]/).pop() ?? path, result });
      props.onImported();
    } catch (error) {
      report(error);
    }
  }
  async function importFile() {
    try {
      const path = await api.pickFile(t("analytics.reviews.fileKinds"), ["csv", "json", "txt", "tsv", "xlsx"]);
      if (!path) return;
      // A layout Tradewind knows imports at once; any other file is mapped first.
      const preview = await api.previewReviewsFile(path);
      if (preview.layout === null) setToMap({ path, preview });
      else await importWith(path, null);
    } catch (error) {
      report(error);
    }
  }
  return (
    <div class="analytics-grid">
      {toMap && (
        <MapReviewColumns path={toMap.path} preview={toMap.preview} onImport={(mapping) => void importWith(toMap.path, mapping)} onCancel={() => setToMap(null)} />
      )}
      <section class="card wide" data-testid="reviews-overview">
        <h2>{t("analytics.reviews.title", { n: formatCount(summary.reviews), stars: stars(summary.average_rating) })}</h2>
        {!summary.phrase_model && <p class="note warning">{t("analytics.reviews.noPhraseModel")}</p>}
        {!summary.sentiment_model && <p class="note">{t("analytics.reviews.noStarModel")}</p>}
        {summary.untranslated.length > 0 && (
          <p class="note" data-testid="reviews-untranslated">
            {t("analytics.reviews.untranslated", { languages: summary.untranslated.join(", ") })}
          </p>
        )}
        <button type="button" data-testid="import-reviews" onClick={() => void importFile()}>
          {t("analytics.reviews.import")}
        </button>
        {imported && (
          <p class="note" data-testid="reviews-imported">
            {t("analytics.reviews.imported", {
              file: imported.file,
              added: formatCount(imported.result.added),
              updated: formatCount(imported.result.updated),
              skipped: formatCount(imported.result.skipped),
            })}
          </p>
        )}
        {summary.products.length > 0 && (
          <table class="grid" data-testid="reviews-table">
            <thead>
              <tr>
                <th>{t("analytics.col.product")}</th>
                <th class="number">{t("analytics.reviews.count")}</th>
                <th class="number">{t("analytics.reviews.given")}</th>
                <th class="number">{t("analytics.reviews.read")}</th>
                <th>{t("analytics.reviews.languages")}</th>
                <th>{t("analytics.reviews.topComplaint")}</th>
              </tr>
            </thead>
            <tbody>
              {summary.products.map((row) => (
                <tr key={row.product} data-testid="reviews-row" class={row.product === chosen ? "chosen" : ""}>
                  <td>
                    <button type="button" class="link" onClick={() => setChosen(row.product)}>
                      {row.title || t("analytics.reviews.wholeShop")}
                    </button>
                  </td>
                  <td class="number">{formatCount(row.reviews)}</td>
                  <td class="number">{stars(row.average_rating)}</td>
                  <td class="number">{stars(row.average_text_stars)}</td>
                  <td>{row.languages.map(([language, count]) => `${language === "?" ? t("analytics.reviews.tooShort") : language} ${count}`).join(", ")}</td>
                  <td class="clamped" title={topComplaint(row)}>
                    {topComplaint(row)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {product && (
        <section class="card wide" data-testid="reviews-detail">
          <h2>{product.title || t("analytics.reviews.wholeShop")}</h2>
          <p class="note">
            {t("analytics.reviews.starsLine", {
              n: formatCount(product.reviews),
              spread: product.stars.map((count, index) => `${index + 1}★ ${count}`).join(" · "),
            })}
          </p>
          {product.hidden_complaints > 0 && (
            <p class="note warning">{t("analytics.reviews.hidden", { n: formatCount(product.hidden_complaints) })}</p>
          )}
          <Phrases title={t("analytics.reviews.complaints")} phrases={product.complaints} testId="reviews-complaints" />
          <Phrases title={t("analytics.reviews.praise")} phrases={product.praise} testId="reviews-praise" />
        </section>
      )}
    </div>
  );
}
