import { useState } from "preact/hooks";
import { t } from "../i18n";
import { activeJob, runJob } from "../state";

/** The languages sellers most often translate into, with opus-mt or MADLAD models. */
export const targetLanguages = ["de", "fr", "es", "it", "nl", "sv", "pl", "ja", "zh"];

/** Picks target languages and starts the translation job. */
export function TranslateForm() {
  const [chosen, setChosen] = useState<string[]>([]);
  const busy = activeJob.value?.state === "running";
  const toggle = (code: string) =>
    setChosen(chosen.includes(code) ? chosen.filter((other) => other !== code) : [...chosen, code]);
  return (
    <fieldset class="language" data-testid="translate-form">
      <legend>{t("translate.into")}</legend>
      {targetLanguages.map((code) => (
        <label key={code} data-testid={`translate-${code}`}>
          <input
            type="checkbox"
            checked={chosen.includes(code)}
            onChange={() => toggle(code)}
          />
          {code}
        </label>
      ))}
      <button
        type="button"
        data-testid="translate-start"
        disabled={busy || chosen.length === 0}
        onClick={() => void runJob({ kind: "translate_listings", source: "en", locales: chosen, prefer: "marian" })}
      >
        {t("translate.start")}
      </button>
    </fieldset>
  );
}
