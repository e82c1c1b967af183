import { useState } from "preact/hooks";
import { api } from "../api";
import { CodeSelect } from "../components/CodeSelect";
import { t } from "../i18n";
import { dataVersion, report } from "../state";
import { useLoad } from "../useLoad";
import { targetLanguages } from "./TranslateForm";

/**
 * The seller's terms and how each must read per language: edited here, or in and out
 * as CSV. Every change makes the next translation job redo what the old glossary made.
 */
export function Glossary() {
  const entries = useLoad(api.glossary) ?? [];
  const [source, setSource] = useState("");
  const [language, setLanguage] = useState(targetLanguages[0]);
  const [target, setTarget] = useState("");
  const [note, setNote] = useState<string | null>(null);
  async function change(work: () => Promise<unknown>) {
    try {
      await work();
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  async function add() {
    await change(() => api.setGlossaryEntry({ source, language, target }));
    setSource("");
    setTarget("");
  }
  async function importCsv() {
    const path = await api.pickFile("CSV", ["csv"]);
    if (path) await change(async () => setNote(t("glossary.imported", { n: await api.importGlossary(path) })));
  }
  async function exportCsv() {
    const path = await api.pickSaveLocation("glossary.csv", [{ name: "CSV", extensions: ["csv"] }]);
    if (path) await change(async () => setNote(t("glossary.exported", { n: await api.exportGlossary(path), file: path })));
  }
  return (
    <details class="glossary" data-testid="glossary">
      <summary>{t("glossary.title", { n: entries.length })}</summary>
      <p class="note">{t("glossary.help")}</p>
      <table class="grid">
        <thead>
          <tr>
            <th>{t("glossary.source")}</th>
            <th>{t("glossary.language")}</th>
            <th>{t("glossary.target")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={`${entry.source}-${entry.language}`} data-testid="glossary-entry">
              <td>{entry.source}</td>
              <td>{entry.language}</td>
              <td>{entry.target}</td>
              <td>
                <button type="button" onClick={() => void change(() => api.removeGlossaryEntry(entry.source, entry.language))}>
                  {t("glossary.remove")}
                </button>
              </td>
            </tr>
          ))}
          <tr>
            <td>
              <input type="text" data-testid="glossary-source" value={source} onInput={(event) => setSource(event.currentTarget.value)} />
            </td>
            <td>
              <CodeSelect testId="glossary-language" value={language} codes={targetLanguages} onChange={setLanguage} />
            </td>
            <td>
              <input type="text" data-testid="glossary-target" value={target} onInput={(event) => setTarget(event.currentTarget.value)} />
            </td>
            <td>
              <button type="button" data-testid="glossary-add" disabled={!source.trim() || !target.trim()} onClick={() => void add()}>
                {t("glossary.add")}
              </button>
            </td>
          </tr>
        </tbody>
      </table>
      <div class="actions">
        <button type="button" onClick={() => void importCsv()}>
          {t("glossary.import")}
        </button>
        <button type="button" onClick={() => void exportCsv()}>
          {t("glossary.export")}
        </button>
      </div>
      {note && <p class="note">{note}</p>}
    </details>
  );
}
