import { t } from "../i18n";

/** Where an export goes: a path the seller types, or chooses in the system's save dialog. */
export function SaveAs(props: { label: string; testId: string; value: string; onInput: (path: string) => void; onChoose: () => void }) {
  return (
    <>
      <label>
        {props.label} <input type="text" data-testid={props.testId} value={props.value} onInput={(event) => props.onInput(event.currentTarget.value)} />
      </label>
      <button type="button" onClick={props.onChoose}>
        {t("export.choose")}
      </button>
    </>
  );
}
