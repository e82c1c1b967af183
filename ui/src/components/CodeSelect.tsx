/** A choice among codes, shown as they are (marketplace names) or as `label` words them. */
export function CodeSelect(props: {
  testId: string;
  value: string;
  codes: string[];
  onChange: (code: string) => void;
  /** A first option for "none", with its label. */
  none?: string;
  /** How to show a code (a language's name for its code). */
  label?: (code: string) => string;
}) {
  return (
    <select data-testid={props.testId} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
      {props.none !== undefined && <option value="">{props.none}</option>}
      {props.codes.map((code) => (
        <option key={code} value={code}>
          {props.label ? props.label(code) : code}
        </option>
      ))}
    </select>
  );
}
