import { useState } from "preact/hooks";
import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ImportButton } from "../components/ImportButton";
import { formatAmount, formatCount } from "../format";
import { t } from "../i18n";
import { columnsToMap, overview } from "../state";
import type { ListingSummary, StoredTranslation } from "../bindings";
import { useLoad } from "../useLoad";
import { ExportTranslations } from "./ExportTranslations";
import { Glossary } from "./Glossary";
import { MapColumns } from "./MapColumns";
import { ReviewPanel } from "./ReviewPanel";
import { TranslateForm } from "./TranslateForm";

function priceRange(listing: ListingSummary): string {
  const { min_price_cents: low, max_price_cents: high } = listing;
  if (low == null || high == null) return "";
  return low === high ? formatAmount(low) : `${formatAmount(low)} – ${formatAmount(high)}`;
}

/** Per language: how many fields are translated and how many need a look. */
function TranslationBadges(props: { rows: StoredTranslation[] }) {
  const locales = [...new Set(props.rows.map((row) => row.locale))].sort();
  return (
    <>
      {locales.map((locale) => {
        const flagged = props.rows.filter((row) => row.locale === locale && row.flags.length > 0).length;
        return (
          <span key={locale} class={flagged > 0 ? "badge warning" : "badge"} data-testid={`badge-${locale}`}>
            {flagged > 0 ? `${locale} ⚠${flagged}` : `${locale} ✓`}
          </span>
        );
      })}
    </>
  );
}

export function Listings() {
  const listings = useLoad(api.listings);
  const translations = useLoad(api.listingTranslations);
  const counts = overview.value;
  const [open, setOpen] = useState<number | null>(null);
  const [flaggedOnly, setFlaggedOnly] = useState(false);
  if (!listings || !counts || !translations) return <p class="loading">{t("common.loading")}</p>;
  const byListing = (id: number) => translations.filter((row) => row.listing_id === id);
  const selected = listings.find((listing) => listing.id === open) ?? null;
  const shown = flaggedOnly
    ? listings.filter((listing) => byListing(listing.id).some((row) => row.flags.length > 0))
    : listings;
  const mapping = columnsToMap.value && <MapColumns key={columnsToMap.value.path} preview={columnsToMap.value} />;
  if (listings.length === 0) {
    return (
      <>
        {mapping}
        <EmptyState title={t("listings.empty.title")} body={t("listings.empty.body")}>
          <ImportButton kind="listings" />
        </EmptyState>
      </>
    );
  }
  return (
    <section>
      <header class="view-header">
        <h1>{t("nav.listings")}</h1>
        <span data-testid="listings-count">
          {t("listings.count", {
            n: formatCount(counts.listings),
            variants: formatCount(counts.variants),
            images: formatCount(counts.images),
          })}
        </span>
        <ImportButton kind="listings" />
      </header>
      {mapping}
      <TranslateForm />
      <Glossary />
      {translations.length > 0 && <ExportTranslations />}
      {translations.length > 0 && (
        <label>
          <input
            type="checkbox"
            data-testid="flagged-only"
            checked={flaggedOnly}
            onChange={() => setFlaggedOnly(!flaggedOnly)}
          />
          {t("review.flaggedOnly")}
        </label>
      )}
      {selected && (
        <ReviewPanel
          key={selected.id}
          listing={selected}
          rows={translations.filter((row) => row.listing_id === selected.id)}
          onClose={() => setOpen(null)}
        />
      )}
      <table class="grid">
        <thead>
          <tr>
            <th>{t("listings.col.title")}</th>
            <th>{t("listings.col.vendor")}</th>
            <th>{t("listings.col.type")}</th>
            <th class="number">{t("listings.col.variants")}</th>
            <th class="number">{t("listings.col.images")}</th>
            <th class="number">{t("listings.col.price")}</th>
            <th>{t("listings.col.translations")}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((listing) => (
            <tr key={listing.id} data-testid="listing-row">
              <td>
                <button type="button" class="link" data-testid="open-listing" onClick={() => setOpen(listing.id)}>
                  {listing.title}
                </button>
              </td>
              <td>{listing.vendor}</td>
              <td>{listing.product_type}</td>
              <td class="number">{listing.variants}</td>
              <td class="number">{listing.images}</td>
              <td class="number">{priceRange(listing)}</td>
              <td>
                <TranslationBadges rows={byListing(listing.id)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
