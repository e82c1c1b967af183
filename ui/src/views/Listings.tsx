import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ImportButton } from "../components/ImportButton";
import { formatAmount, formatCount } from "../format";
import { t } from "../i18n";
import { overview } from "../state";
import type { ListingSummary } from "../types";
import { useLoad } from "../useLoad";

function priceRange(listing: ListingSummary): string {
  const { min_price_cents: low, max_price_cents: high } = listing;
  if (low == null || high == null) return "";
  return low === high ? formatAmount(low) : `${formatAmount(low)} – ${formatAmount(high)}`;
}

export function Listings() {
  const listings = useLoad(api.listings);
  const counts = overview.value;
  if (!listings || !counts) return <p class="loading">{t("common.loading")}</p>;
  if (listings.length === 0) {
    return (
      <EmptyState title={t("listings.empty.title")} body={t("listings.empty.body")}>
        <ImportButton kind="listings" />
      </EmptyState>
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
      <table class="grid">
        <thead>
          <tr>
            <th>{t("listings.col.title")}</th>
            <th>{t("listings.col.vendor")}</th>
            <th>{t("listings.col.type")}</th>
            <th class="number">{t("listings.col.variants")}</th>
            <th class="number">{t("listings.col.images")}</th>
            <th class="number">{t("listings.col.price")}</th>
          </tr>
        </thead>
        <tbody>
          {listings.map((listing) => (
            <tr key={listing.id} data-testid="listing-row">
              <td>{listing.title}</td>
              <td>{listing.vendor}</td>
              <td>{listing.product_type}</td>
              <td class="number">{listing.variants}</td>
              <td class="number">{listing.images}</td>
              <td class="number">{priceRange(listing)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
