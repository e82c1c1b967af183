import { useState } from "preact/hooks";
import { ColumnRoles, MappingActions } from "../components/ColumnRoles";
import { t, type MessageKey } from "../i18n";
import { columnsToMap, runJob } from "../state";
import type { ListingsFilePreview, Role } from "../bindings";

/** Column name → what it holds. */
type Mapping = ListingsFilePreview["proposed"];

export const roles: Role[] = [
  "title",
  "description",
  "handle",
  "vendor",
  "product_type",
  "tags",
  "seo_title",
  "seo_description",
  "sku",
  "price",
  "image_src",
  "image_alt",
  "translate",
  "ignore",
];

/** Roles more than one column may have. */
const shared: Role[] = ["translate", "ignore"];

/** What stops the mapping from being imported, if anything. */
export function mappingProblem(mapping: Mapping): string | null {
  const chosen = Object.values(mapping);
  if (!chosen.includes("title")) return t("map.needsTitle");
  const twice = chosen.find((role, index) => !shared.includes(role) && chosen.indexOf(role) !== index);
  return twice ? t("map.twice", { role: t(`map.role.${twice}` as MessageKey) }) : null;
}

/** The seller confirms or corrects which column of their own file is which, then imports. */
export function MapColumns(props: { preview: ListingsFilePreview }) {
  const { preview } = props;
  const [mapping, setMapping] = useState<Mapping>(preview.proposed);
  const problem = mappingProblem(mapping);
  function start() {
    const chosen = Object.fromEntries(Object.entries(mapping).filter(([, role]) => role !== "ignore"));
    columnsToMap.value = null;
    void runJob({ kind: "import_listings", path: preview.path, mapping: chosen });
  }
  return (
    <section class="review" data-testid="map-columns">
      <header class="view-header">
        <h2>{t("map.title")}</h2>
        <span class="note">{t("map.file", { file: preview.path, rows: preview.rows })}</span>
      </header>
      <ColumnRoles
        columns={preview.columns}
        sample={preview.sample}
        mapping={mapping}
        roles={roles}
        unmapped="ignore"
        roleText={(role) => t(`map.role.${role}` as MessageKey)}
        onChange={(column, role) => setMapping({ ...mapping, [column]: role })}
      />
      <MappingActions problem={problem} onImport={start} onCancel={() => (columnsToMap.value = null)} />
    </section>
  );
}
