import { useEffect, useState } from "preact/hooks";
import { api } from "../../api";
import type { EmailTool, Filter, RfmGroup, SegmentAction } from "../../bindings";
import { SaveAs } from "../../components/SaveAs";
import { formatCount } from "../../format";
import { rfmGroupText, t } from "../../i18n";
import { report } from "../../state";

const TOOLS: EmailTool[] = ["klaviyo", "mailchimp", "shopify_email"];

export function segmentActionText(action: SegmentAction): string {
  return t(`analytics.segment.action.${action}`);
}

/** A group's customers written as an e-mail tool's import CSV, anonymised unless the seller asks for contacts. */
export function SegmentExport(props: { group: RfmGroup; action: SegmentAction | null; filter: Filter }) {
  const [tool, setTool] = useState<EmailTool>("klaviyo");
  const [anonymise, setAnonymise] = useState(true);
  const [out, setOut] = useState("");
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    api.segmentExportsAnonymised().then(setAnonymise, report);
  }, []);
  useEffect(() => setDone(null), [props.group]);
  async function choose() {
    const path = await api.pickSaveLocation(`${props.group}.csv`, [{ name: "CSV", extensions: ["csv"] }]);
    if (path) setOut(path);
  }
  async function write() {
    try {
      const written = await api.exportSegment(props.filter, { kind: "group", value: props.group }, tool, anonymise, out.trim());
      setDone(
        t(written.anonymised ? "analytics.segment.doneAnonymised" : "analytics.segment.done", {
          n: formatCount(written.customers),
          file: written.path,
        }),
      );
    } catch (error) {
      report(error);
    }
  }
  return (
    <fieldset class="export segment-export" data-testid="segment-export">
      <legend>{t("analytics.segment.title", { group: rfmGroupText(props.group) })}</legend>
      {props.action && <p class="note" data-testid="segment-action">{t("analytics.segment.suggested", { action: segmentActionText(props.action) })}</p>}
      <label>
        {t("analytics.segment.tool")}{" "}
        <select data-testid="segment-tool" value={tool} onChange={(event) => setTool(event.currentTarget.value as EmailTool)}>
          {TOOLS.map((name) => (
            <option key={name} value={name}>
              {t(`analytics.segment.tool.${name}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <input type="checkbox" data-testid="segment-anonymise" checked={anonymise} onChange={(event) => setAnonymise(event.currentTarget.checked)} />{" "}
        {t("analytics.segment.anonymise")}
      </label>
      <SaveAs label={t("analytics.segment.saveAs")} testId="segment-out" value={out} onInput={setOut} onChoose={() => void choose()} />
      <button type="button" class="primary" data-testid="segment-write" disabled={!out.trim()} onClick={() => void write()}>
        {t("analytics.segment.write")}
      </button>
      {done && (
        <p class="note" data-testid="segment-done">
          {done}
        </p>
      )}
    </fieldset>
  );
}
