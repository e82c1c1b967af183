import { api } from "../api";
import { EmptyState } from "../components/EmptyState";
import { ImportButton } from "../components/ImportButton";
import { formatBytes, formatCount } from "../format";
import { t } from "../i18n";
import { useLoad } from "../useLoad";

export function Photos() {
  const photos = useLoad(api.photos);
  if (!photos) return <p class="loading">{t("common.loading")}</p>;
  if (photos.length === 0) {
    return (
      <EmptyState title={t("photos.empty.title")} body={t("photos.empty.body")}>
        <ImportButton kind="photos" />
      </EmptyState>
    );
  }
  return (
    <section>
      <header class="view-header">
        <h1>{t("nav.photos")}</h1>
        <span data-testid="photos-count">{t("photos.count", { n: formatCount(photos.length) })}</span>
        <ImportButton kind="photos" />
      </header>
      <ul class="photo-grid">
        {photos.map((photo) => (
          <li key={photo.id} data-testid="photo-card">
            <img src={photo.thumbnail} alt={photo.file_name} loading="lazy" />
            <span class="photo-name">{photo.file_name}</span>
            <span class="photo-meta">
              {photo.width} × {photo.height} · {formatBytes(photo.bytes)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
