import { useState } from "preact/hooks";
import { api } from "../api";
import type { PhotoView } from "../bindings";
import { EmptyState } from "../components/EmptyState";
import { ImportButton } from "../components/ImportButton";
import { formatCount } from "../format";
import { t } from "../i18n";
import { report, runJob } from "../state";
import { useLoad } from "../useLoad";
import { PhotoDetail } from "./PhotoDetail";
import { PhotoGrid } from "./PhotoGrid";
import { BulkTags, PhotoExports, PhotoJobs } from "./PhotoTools";

type Filter = "all" | "untagged" | "failing" | "duplicates";

function passes(photo: PhotoView, filter: Filter, category: string): boolean {
  const kept = photo.tags.filter((tag) => tag.state !== "removed");
  const byFilter =
    filter === "untagged"
      ? kept.length === 0
      : filter === "failing"
        ? Object.values(photo.checks).some((status) => status !== "pass")
        : filter === "duplicates"
          ? photo.duplicate_of != null
          : true;
  const words = category.trim().toLowerCase();
  const byCategory =
    !words || kept.some((tag) => tag.group === "category" && (tag.path ?? tag.label).toLowerCase().includes(words));
  return byFilter && byCategory;
}

async function importFiles() {
  try {
    const files = await api.pickFiles(t("nav.photos"), ["jpg", "jpeg", "png", "webp"]);
    if (files.length > 0) await runJob({ kind: "import_photo_files", files });
  } catch (error) {
    report(error);
  }
}

export function Photos() {
  const photos = useLoad(api.photos);
  const vocabulary = useLoad(api.photoVocabulary);
  const [filter, setFilter] = useState<Filter>("all");
  const [category, setCategory] = useState("");
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [open, setOpen] = useState<number | null>(null);
  if (!photos) return <p class="loading">{t("common.loading")}</p>;
  if (photos.length === 0) {
    return (
      <EmptyState title={t("photos.empty.title")} body={t("photos.empty.body")}>
        <ImportButton kind="photos" />
      </EmptyState>
    );
  }
  const shown = photos.filter((photo) => passes(photo, filter, category));
  const selection = [...selected].filter((id) => photos.some((photo) => photo.id === id));
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const openPhoto = photos.find((photo) => photo.id === open);
  return (
    <section class="photos-view">
      <header class="view-header">
        <h1>{t("nav.photos")}</h1>
        <span data-testid="photos-count">{t("photos.count", { n: formatCount(photos.length) })}</span>
        <ImportButton kind="photos" />
        <button type="button" onClick={() => void importFiles()}>
          {t("photos.importFiles")}
        </button>
      </header>
      <PhotoJobs vocabulary={vocabulary} selection={selection} />
      <div class="photo-filters" data-testid="photo-filters">
        <label>
          {t("photos.filter")}{" "}
          <select data-testid="photo-filter" value={filter} onChange={(event) => setFilter(event.currentTarget.value as Filter)}>
            {(["all", "untagged", "failing", "duplicates"] as const).map((value) => (
              <option key={value} value={value}>
                {t(`photos.filter.${value}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("photos.filter.category")}{" "}
          <input type="search" data-testid="photo-category-filter" value={category} onInput={(event) => setCategory(event.currentTarget.value)} />
        </label>
        <span class="note">{t("photos.shown", { n: formatCount(shown.length) })}</span>
        <button type="button" data-testid="select-all" onClick={() => setSelected(new Set(shown.map((photo) => photo.id)))}>
          {t("photos.selectAll")}
        </button>
      </div>
      {selection.length > 0 && <BulkTags vocabulary={vocabulary} selection={selection} onDone={() => setSelected(new Set())} />}
      <PhotoExports selection={selection} />
      <div class={openPhoto ? "photos-split" : ""}>
        <PhotoGrid photos={shown} vocabulary={vocabulary} selected={selected} onSelect={toggle} onOpen={setOpen} />
        {openPhoto && (
          <PhotoDetail id={openPhoto.id} thumbnail={openPhoto.thumbnail} vocabulary={vocabulary} onClose={() => setOpen(null)} />
        )}
      </div>
    </section>
  );
}
