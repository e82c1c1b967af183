import { t } from "../i18n";
import { importInto } from "../state";

const labels = { listings: "listings.import", orders: "analytics.import", photos: "photos.import" } as const;

/** Asks for the file (or folder) of `kind` and imports it as a job. */
export function ImportButton(props: { kind: keyof typeof labels }) {
  return (
    <button type="button" data-testid={`import-${props.kind}`} onClick={() => void importInto(props.kind)}>
      {t(labels[props.kind])}
    </button>
  );
}
