import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { CodeSelect } from "../components/CodeSelect";
import { t } from "../i18n";
import { activeJob, report, runJob } from "../state";
import type { EngineChoice } from "../bindings";

/** The languages sellers most often translate into, with opus-mt or MADLAD models. */
export const targetLanguages = ["de", "fr", "es", "it", "nl", "sv", "pl", "ja", "zh"];

/** Languages a catalogue can be written in (opus-mt pairs or pivots exist from them). */
export const sourceLanguages = ["en", ...targetLanguages];

/** Picks the catalogue's language, target languages and per language the model; starts the job. */
export function TranslateForm() {
  const [source, setSource] = useState("en");
  const [chosen, setChosen] = useState<string[]>([]);
  const [engines, setEngines] = useState<Record<string, EngineChoice>>({});
  // What the engine would use for each language from this source: opus-mt where the
  // catalog has a pair, MADLAD elsewhere; a language no model reaches is not offered.
  const [defaults, setDefaults] = useState<Record<string, EngineChoice> | null>(null);
  useEffect(() => {
    api.defaultEngines(source, targetLanguages).then(setDefaults, report);
  }, [source]);
  const busy = activeJob.value?.state === "running";
  const targets = targetLanguages.filter((code) => code !== source && (defaults === null || code in defaults));
  const locales = chosen.filter((code) => targets.includes(code));
  const engineOf = (code: string) => engines[code] ?? defaults?.[code] ?? "marian";
  const toggle = (code: string) =>
    setChosen(chosen.includes(code) ? chosen.filter((other) => other !== code) : [...chosen, code]);
  function start() {
    const perLocale = Object.fromEntries(locales.map((code) => [code, engineOf(code)]));
    void runJob({ kind: "translate_listings", source, locales, prefer: "marian", engines: perLocale });
  }
  return (
    <fieldset class="language" data-testid="translate-form">
      <legend>{t("translate.into")}</legend>
      <label>
        {t("translate.from")}{" "}
        <CodeSelect testId="translate-source" value={source} codes={sourceLanguages} onChange={setSource} />
      </label>
      {targets.map((code) => (
        <label key={code} data-testid={`translate-${code}`}>
          <input type="checkbox" checked={chosen.includes(code)} onChange={() => toggle(code)} />
          {code}
        </label>
      ))}
      {locales.map((code) => (
        <label key={code} class="engine-choice">
          {code} · {t("translate.engine")}{" "}
          <select
            data-testid={`engine-${code}`}
            value={engineOf(code)}
            onChange={(event) => setEngines({ ...engines, [code]: event.currentTarget.value as EngineChoice })}
          >
            <option value="marian">{t("translate.engine.marian")}</option>
            <option value="madlad">{t("translate.engine.madlad")}</option>
          </select>
        </label>
      ))}
      <button type="button" data-testid="translate-start" disabled={busy || locales.length === 0} onClick={start}>
        {t("translate.start")}
      </button>
    </fieldset>
  );
}
