import type { DateOrder } from "../bindings";
import { t } from "../i18n";

/**
 * The columns of a seller's own file, a few of their values, and for each a choice of
 * what it holds: the table of both mapping dialogs (products and orders).
 */
export function ColumnRoles<Role extends string>(props: {
  columns: string[];
  sample: string[][];
  mapping: Partial<Record<string, Role>>;
  roles: readonly Role[];
  /** What a column the mapping leaves out holds. */
  unmapped: Role;
  roleText: (role: Role) => string;
  onChange: (column: string, role: Role) => void;
}) {
  const { columns, sample, mapping, roles, roleText } = props;
  return (
    <table class="grid">
      <thead>
        <tr>
          <th>{t("map.column")}</th>
          <th>{t("map.sample")}</th>
          <th>{t("map.role")}</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((column, index) => (
          <tr key={column}>
            <th>{column}</th>
            <td class="note">{sample.map((row) => row[index] ?? "").filter(Boolean).slice(0, 2).join(" · ")}</td>
            <td>
              <select
                data-testid={`map-${column}`}
                value={mapping[column] ?? props.unmapped}
                onChange={(event) => props.onChange(column, event.currentTarget.value as Role)}
              >
                {roles.map((role) => (
                  <option key={role} value={role}>
                    {roleText(role)}
                  </option>
                ))}
              </select>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What stops the mapping, if anything, and the dialog's import and cancel buttons. */
export function MappingActions(props: { problem: string | null; onImport: () => void; onCancel: () => void }) {
  return (
    <>
      {props.problem && (
        <p class="note warning" data-testid="map-problem">
          {props.problem}
        </p>
      )}
      <div class="actions">
        <button type="button" class="primary" data-testid="map-import" disabled={props.problem !== null} onClick={props.onImport}>
          {t("map.import")}
        </button>
        <button type="button" data-testid="map-cancel" onClick={props.onCancel}>
          {t("map.cancel")}
        </button>
      </div>
    </>
  );
}

/** The first role (other than `unmapped`) that two columns were given, if any. */
export function roleChosenTwice<Role extends string>(chosen: Role[], unmapped: Role): Role | undefined {
  return chosen.find((role, index) => role !== unmapped && chosen.indexOf(role) !== index);
}

/** How a file of the seller's own writes its dates: 05/03/2025 as 5 March or May 3. */
export function DateOrderSelect(props: { testId: string; value: DateOrder; onChange: (value: DateOrder) => void }) {
  return (
    <label>
      {t("orders.map.dates")}{" "}
      <select data-testid={props.testId} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value as DateOrder)}>
        <option value="day_first">{t("orders.map.dates.day_first")}</option>
        <option value="month_first">{t("orders.map.dates.month_first")}</option>
      </select>
    </label>
  );
}
