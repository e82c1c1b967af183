import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { CategoryChoice, PhotoDetail as Detail, PhotoVocabulary, Tag, TagAction } from "../bindings";
import { formatBytes } from "../format";
import { t } from "../i18n";
import { checkText, groupText, labelText, marketplaceText, tagText } from "../photoText";
import { dataVersion, report } from "../state";

function TagRow(props: { tag: Tag; vocabulary: PhotoVocabulary | null; onAct: (tag: Tag, action: TagAction) => void }) {
  const { tag } = props;
  const state =
    tag.state === "proposed"
      ? t("photos.proposed", { score: Math.round((tag.score ?? 0) * 100) })
      : t(`photos.state.${tag.state}`);
  return (
    <li class={`tag-row ${tag.state}`} data-testid={`tag-${tag.group}-${tag.label}`}>
      <span class={`chip ${tag.state}`}>{tagText(tag, props.vocabulary)}</span>
      <span class="tag-state">{state}</span>
      {tag.state !== "accepted" && tag.state !== "added" && tag.state !== "removed" && (
        <button type="button" data-testid="tag-keep" onClick={() => props.onAct(tag, "accept")}>
          {t("photos.keep")}
        </button>
      )}
      {tag.state !== "removed" && (
        <button type="button" data-testid="tag-remove" onClick={() => props.onAct(tag, "remove")}>
          {t("photos.remove")}
        </button>
      )}
    </li>
  );
}

/** Picks a taxonomy category by words of its path. */
function CategoryPicker(props: { onPick: (choice: CategoryChoice) => void }) {
  const [query, setQuery] = useState("");
  const [choices, setChoices] = useState<CategoryChoice[]>([]);
  useEffect(() => {
    if (query.trim().length < 2) {
      setChoices([]);
      return;
    }
    api.photoCategories(query).then(setChoices, report);
  }, [query]);
  return (
    <div class="category-picker">
      <input
        type="search"
        data-testid="category-search"
        placeholder={t("photos.detail.addCategory")}
        value={query}
        onInput={(event) => setQuery(event.currentTarget.value)}
      />
      {choices.length > 0 && (
        <ul class="category-choices">
          {choices.map((choice) => (
            <li key={choice.id}>
              <button type="button" data-testid={`category-${choice.id}`} onClick={() => props.onPick(choice)}>
                {choice.path}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One photo side by side with everything known of it: tags to keep or remove, alt text per language, checks. */
export function PhotoDetail(props: {
  id: number;
  thumbnail: string;
  vocabulary: PhotoVocabulary | null;
  onClose: () => void;
}) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string | null>(null);
  const load = () => api.photo(props.id).then(setDetail, report);
  useEffect(() => {
    setDrafts({});
    setSaved(null);
    void load();
  }, [props.id, dataVersion.value]);
  if (!detail) return <aside class="photo-detail">{t("common.loading")}</aside>;
  async function act(group: string, label: string, action: TagAction) {
    try {
      await api.correctPhotoTags([props.id], group, label, action);
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  async function saveAltText(locale: string) {
    try {
      await api.editPhotoAltText(props.id, locale, drafts[locale] ?? "");
      setSaved(locale);
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  const groups = ["category", ...(props.vocabulary?.groups.map((group) => group.key) ?? [])];
  const m = detail.measures;
  return (
    <aside class="photo-detail" data-testid="photo-detail">
      <header class="view-header">
        <h2>{detail.file_name}</h2>
        <button type="button" data-testid="photo-detail-close" onClick={props.onClose}>
          {t("photos.detail.close")}
        </button>
      </header>
      <img class="photo-large" src={props.thumbnail} alt={detail.captions.en?.text ?? detail.file_name} />
      <p class="note">
        {t("photos.detail.size", { width: m.width, height: m.height, size: formatBytes(m.bytes), format: m.format.toUpperCase() })}
      </p>
      <h3>{t("photos.detail.colours")}</h3>
      <p class="swatches">
        {m.colours.map((colour) => (
          <span key={colour.hex} class="swatch-named">
            <span class="swatch" style={{ background: colour.hex }} /> {labelText("colour", colour.name, props.vocabulary)} {colour.hex} ·{" "}
            {Math.round(colour.share * 100)}%
          </span>
        ))}
      </p>
      <h3>{t("photos.detail.tags")}</h3>
      {groups.map((group) => {
        const tags = detail.tags.filter((tag) => tag.group === group);
        const vocabulary = props.vocabulary?.groups.find((found) => found.key === group);
        return (
          <section key={group} class="tag-group" data-testid={`tag-group-${group}`}>
            <h4>{groupText(group)}</h4>
            <ul class="tag-rows">
              {tags.map((tag) => (
                <TagRow key={tag.label} tag={tag} vocabulary={props.vocabulary} onAct={(found, action) => act(found.group, found.label, action)} />
              ))}
            </ul>
            {group === "category" ? (
              <CategoryPicker onPick={(choice) => act("category", choice.id, "add")} />
            ) : (
              <select
                data-testid={`add-${group}`}
                value=""
                onChange={(event) => event.currentTarget.value && void act(group, event.currentTarget.value, "add")}
              >
                <option value="">{t("photos.addTag")}…</option>
                {vocabulary?.labels
                  .filter((label) => !tags.some((tag) => tag.label === label.key && tag.state !== "removed"))
                  .map((label) => (
                    <option key={label.key} value={label.key}>
                      {labelText(group, label.key, props.vocabulary)}
                    </option>
                  ))}
              </select>
            )}
          </section>
        );
      })}
      <h3>{t("photos.detail.altText")}</h3>
      {Object.keys(detail.captions).length === 0 && <p class="note">{t("photos.detail.noAltText")}</p>}
      {Object.values(detail.captions).map((caption) => (
        <label key={caption.locale} class="alt-text" data-testid={`alt-${caption.locale}`}>
          <span>{caption.locale}</span>
          <textarea
            rows={2}
            value={drafts[caption.locale] ?? caption.text}
            onInput={(event) => setDrafts({ ...drafts, [caption.locale]: event.currentTarget.value })}
          />
          <button type="button" data-testid={`save-alt-${caption.locale}`} onClick={() => void saveAltText(caption.locale)}>
            {t("photos.detail.save")}
          </button>
          {saved === caption.locale && <span class="note">{t("photos.detail.saved")}</span>}
          {(detail.alt_text_limits[caption.locale] ?? []).map((broken) => (
            <span key={broken.marketplace} class="note warning" title={broken.source} data-testid={`alt-limit-${caption.locale}`}>
              {t("photos.detail.altTooLong", { marketplace: marketplaceText(broken.marketplace), limit: broken.limit, actual: broken.actual })}
            </span>
          ))}
        </label>
      ))}
      <h3>{t("photos.detail.checks")}</h3>
      {Object.entries(detail.checks).map(([marketplace, results]) => (
        <section key={marketplace} class="checks" data-testid={`checks-${marketplace}`}>
          <h4>{marketplaceText(marketplace)}</h4>
          <ul>
            {results.map((result, index) => (
              <li key={index} class={`check ${result.status}`} title={result.source}>
                <strong>{t(`photos.check.${result.status}`)}</strong> {checkText(result)}
                {result.guidance && <em> ({t("photos.check.guidance")})</em>}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <h3>{t("photos.detail.listings")}</h3>
      <p>
        {detail.listings.length === 0
          ? t("photos.notLinked")
          : detail.listings.map((link) => t("photos.linked", { position: link.position, title: link.title })).join(" · ")}
      </p>
      {detail.duplicates.length > 0 && <p class="note">{t("photos.sameShot", { n: detail.duplicates.length })}</p>}
    </aside>
  );
}
