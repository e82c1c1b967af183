import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import type { Filter, ReportFormat, ReportLanguage } from "../../bindings";
import { SaveAs } from "../../components/SaveAs";
import { language, t } from "../../i18n";
import { report } from "../../state";

const FORMATS: ReportFormat[] = ["pdf", "html", "xlsx", "csv"];
const LANGUAGES: { code: ReportLanguage; name: string }[] = [
  { code: "en", name: "English" },
  { code: "zh-CN", name: "中文（简体）" },
];

/** `path` with its extension made `format`'s, so switching the format keeps the file name. */
export function withExtension(path: string, format: ReportFormat): string {
  const known = path.match(/\.(pdf|html?|xlsx|csv)$/i);
  return known ? `${path.slice(0, known.index)}.${format}` : path;
}

/** The dashboard and its insights for the current filter, written as a PDF, a web page, a workbook or CSV. */
export function ReportExport(props: { filter: Filter }) {
  const [format, setFormat] = useState<ReportFormat>("pdf");
  const [reportLanguage, setReportLanguage] = useState<ReportLanguage>(language.value);
  const [anonymise, setAnonymise] = useState(true);
  const [out, setOut] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    api.segmentExportsAnonymised().then(setAnonymise, report);
  }, []);
  function chooseFormat(next: ReportFormat) {
    setFormat(next);
    setOut(withExtension(out, next));
  }
  async function choose() {
    const path = await api.pickSaveLocation(`tradewind-report.${format}`, [{ name: format.toUpperCase(), extensions: [format] }]);
    if (path) setOut(path);
  }
  async function write() {
    setBusy(true);
    setDone(null);
    try {
      const written = await api.writeReport({ filter: props.filter, format, language: reportLanguage, anonymise }, out.trim());
      setDone(
        written.pages !== null
          ? t("analytics.report.donePages", { pages: written.pages, file: written.path })
          : t("analytics.report.done", { file: written.path }),
      );
    } catch (error) {
      report(error);
    } finally {
      setBusy(false);
    }
  }
  return (
    <fieldset class="export report-export" data-testid="report-export">
      <legend>{t("analytics.report.title")}</legend>
      <p class="note">{t("analytics.report.covers")}</p>
      <label>
        {t("analytics.report.format")}{" "}
        <select data-testid="report-format" value={format} onChange={(event) => chooseFormat(event.currentTarget.value as ReportFormat)}>
          {FORMATS.map((name) => (
            <option key={name} value={name}>
              {t(`analytics.report.format.${name}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("analytics.report.language")}{" "}
        <select data-testid="report-language" value={reportLanguage} onChange={(event) => setReportLanguage(event.currentTarget.value as ReportLanguage)}>
          {LANGUAGES.map(({ code, name }) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input type="checkbox" data-testid="report-anonymise" checked={anonymise} onChange={(event) => setAnonymise(event.currentTarget.checked)} />{" "}
        {t("analytics.report.anonymise")}
      </label>
      <SaveAs label={t("analytics.report.saveAs")} testId="report-out" value={out} onInput={setOut} onChoose={() => void choose()} />
      <button type="button" class="primary" data-testid="report-write" disabled={!out.trim() || busy} onClick={() => void write()}>
        {busy ? t("analytics.report.writing") : t("analytics.report.write")}
      </button>
      {done && (
        <p class="note" data-testid="report-done">
          {done}
        </p>
      )}
    </fieldset>
  );
}
