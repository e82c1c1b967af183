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
  headings: { column: string; sample: string; role: string };
  onChange: (column: string, role: Role) => void;
}) {
  const { columns, sample, mapping, roles, roleText, headings } = props;
  return (
    <table class="grid">
      <thead>
        <tr>
          <th>{headings.column}</th>
          <th>{headings.sample}</th>
          <th>{headings.role}</th>
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
