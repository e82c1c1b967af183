/** A choice among codes shown as they are (language codes, marketplace names). */
export function CodeSelect(props: {
  testId: string;
  value: string;
  codes: string[];
  onChange: (code: string) => void;
  /** A first option for "none", with its label. */
  none?: string;
}) {
  return (
    <select data-testid={props.testId} value={props.value} onChange={(event) => props.onChange(event.currentTarget.value)}>
      {props.none !== undefined && <option value="">{props.none}</option>}
      {props.codes.map((code) => (
        <option key={code} value={code}>
          {code}
        </option>
      ))}
    </select>
  );
}
