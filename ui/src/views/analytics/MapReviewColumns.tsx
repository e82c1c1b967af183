import { useState } from "preact/hooks";
import type { ReviewMapping, ReviewRole, ReviewsPreview } from "../../bindings";
import { ColumnRoles, DateOrderSelect, MappingActions, roleChosenTwice } from "../../components/ColumnRoles";
import { formatCount } from "../../format";
import { t, type MessageKey } from "../../i18n";

export const reviewRoles: ReviewRole[] = ["product", "sku", "order", "rating", "title", "body", "date", "reviewer", "language", "id", "state", "ignore"];

type Columns = ReviewMapping["columns"];

function roleText(role: ReviewRole): string {
  return t(`reviews.map.role.${role}` as MessageKey);
}

/** What stops the mapping from reading reviews, if anything (the engine checks the same). */
export function reviewMappingProblem(columns: Columns): string | null {
  const chosen = Object.values(columns);
  const twice = roleChosenTwice(chosen, "ignore");
  if (twice) return t("map.twice", { role: roleText(twice) });
  if (!chosen.includes("rating") && !chosen.includes("body")) return t("reviews.map.needsText");
  if (!chosen.some((role) => role === "product" || role === "sku" || role === "order")) return t("reviews.map.needsProduct");
  return null;
}

/** The seller says which column of their own reviews file is which and how its dates are written; then imports. */
export function MapReviewColumns(props: { path: string; preview: ReviewsPreview; onImport: (mapping: ReviewMapping) => void; onCancel: () => void }) {
  const { preview } = props;
  const [columns, setColumns] = useState<Columns>(preview.proposed.columns);
  const [monthFirst, setMonthFirst] = useState(preview.proposed.month_first);
  const problem = reviewMappingProblem(columns);
  const name = props.path.split(/[\\/]/).pop() ?? props.path;
  function start() {
    const chosen = Object.fromEntries(Object.entries(columns).filter(([, role]) => role !== "ignore"));
    props.onImport({ columns: chosen, month_first: monthFirst });
  }
  return (
    <section class="card wide" data-testid="map-reviews">
      <header class="view-header">
        <h2>{t("reviews.map.title")}</h2>
        <span class="note">{t("map.file", { file: name, rows: formatCount(preview.rows) })}</span>
      </header>
      <p class="note">{t("reviews.map.explain")}</p>
      <div class="form-row">
        <DateOrderSelect testId="map-reviews-dates" value={monthFirst ? "month_first" : "day_first"} onChange={(value) => setMonthFirst(value === "month_first")} />
      </div>
      <ColumnRoles
        columns={preview.columns}
        sample={preview.sample}
        mapping={columns}
        roles={reviewRoles}
        unmapped="ignore"
        roleText={roleText}
        onChange={(column, role) => setColumns({ ...columns, [column]: role })}
      />
      <MappingActions problem={problem} onImport={start} onCancel={props.onCancel} />
    </section>
  );
}
