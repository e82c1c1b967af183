import { useEffect, useRef, useState } from "preact/hooks";
import type { PhotoView, PhotoVocabulary, Status } from "../bindings";
import { t } from "../i18n";
import { marketplaceText, tagText } from "../photoText";

/** Card and gap sizes the grid lays out by (the CSS matches). */
const CARD_WIDTH = 196;
const ROW_HEIGHT = 292;
/** Rows drawn beyond the visible ones, so scrolling shows no gap. */
const BUFFER_ROWS = 2;

/**
 * The marketplace checks in one line a seller can read at a glance: which marketplaces the
 * photo fails, which warn, or that it is ready everywhere. The detail says why.
 */
function CheckBadges(props: { photo: PhotoView }) {
  const named = (status: Status) =>
    Object.entries(props.photo.checks)
      .filter(([, found]) => found === status)
      .map(([marketplace]) => marketplaceText(marketplace));
  const failing = named("fail");
  const warned = named("warn");
  return (
    <span class="check-badges" data-testid="check-badges">
      {failing.length > 0 && (
        <span class="check-badge fail" title={`${t("photos.check.fail")}: ${failing.join(", ")}`}>
          ✗ {failing.join(", ")}
        </span>
      )}
      {warned.length > 0 && (
        <span class="check-badge warn" title={`${t("photos.check.warn")}: ${warned.join(", ")}`}>
          ! {warned.join(", ")}
        </span>
      )}
      {failing.length === 0 && warned.length === 0 && <span class="check-badge pass">✓ {t("photos.ready")}</span>}
      {props.photo.duplicate_of != null && <span class="check-badge dup">{t("photos.sameShotBadge")}</span>}
    </span>
  );
}

function PhotoCard(props: {
  photo: PhotoView;
  vocabulary: PhotoVocabulary | null;
  selected: boolean;
  onSelect: (id: number) => void;
  onOpen: (id: number) => void;
}) {
  const { photo } = props;
  const kept = photo.tags.filter((tag) => tag.state !== "removed");
  const category = kept.find((tag) => tag.group === "category");
  const attributes = kept.filter((tag) => tag.group !== "category").slice(0, 4);
  return (
    <li class={props.selected ? "photo-card selected" : "photo-card"} data-testid="photo-card">
      <label class="photo-select">
        <input
          type="checkbox"
          checked={props.selected}
          data-testid={`select-${photo.id}`}
          aria-label={t("photos.select", { file: photo.file_name })}
          onChange={() => props.onSelect(photo.id)}
        />
      </label>
      <button type="button" class="photo-open" data-testid={`open-photo-${photo.id}`} onClick={() => props.onOpen(photo.id)}>
        <img src={photo.thumbnail} alt={photo.file_name} loading="lazy" />
      </button>
      <span class="photo-name">{photo.file_name}</span>
      {category && (
        <span class={`chip category ${category.state}`} title={category.path ?? category.label}>
          {tagText(category, props.vocabulary).split(" > ").pop()}
        </span>
      )}
      <span class="chips">
        {attributes.map((tag) => (
          <span key={`${tag.group}:${tag.label}`} class={`chip ${tag.state}`}>
            {tagText(tag, props.vocabulary)}
          </span>
        ))}
      </span>
      <span class="swatches">
        {photo.colours.map((colour) => (
          <span key={colour.hex} class="swatch" style={{ background: colour.hex }} title={colour.name} />
        ))}
      </span>
      <CheckBadges photo={photo} />
    </li>
  );
}

/**
 * The photos as a grid that draws only the rows in view (and a couple around them), so
 * hundreds of photos scroll smoothly.
 */
export function PhotoGrid(props: {
  photos: PhotoView[];
  vocabulary: PhotoVocabulary | null;
  selected: Set<number>;
  onSelect: (id: number) => void;
  onOpen: (id: number) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [size, setSize] = useState({ width: 1000, height: 800 });
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () =>
      setSize({ width: element.clientWidth || 1000, height: element.clientHeight || 800 });
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const columns = Math.max(1, Math.floor(size.width / CARD_WIDTH));
  const rows = Math.ceil(props.photos.length / columns);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - BUFFER_ROWS);
  const last = Math.min(rows, Math.ceil((scrollTop + size.height) / ROW_HEIGHT) + BUFFER_ROWS);
  const shown = props.photos.slice(first * columns, last * columns);
  return (
    <div
      class="photo-scroller"
      ref={scroller}
      data-testid="photo-grid"
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <div style={{ height: `${rows * ROW_HEIGHT}px`, position: "relative" }}>
        <ul
          class="photo-grid"
          style={{
            position: "absolute",
            top: `${first * ROW_HEIGHT}px`,
            left: 0,
            right: 0,
            gridTemplateColumns: `repeat(${columns}, 1fr)`,
          }}
        >
          {shown.map((photo) => (
            <PhotoCard
              key={photo.id}
              photo={photo}
              vocabulary={props.vocabulary}
              selected={props.selected.has(photo.id)}
              onSelect={props.onSelect}
              onOpen={props.onOpen}
            />
          ))}
        </ul>
      </div>
    </div>
  );
}
