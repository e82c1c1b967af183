import { useState } from "preact/hooks";
import { api } from "../api";
import { formatBytes } from "../format";
import { jobKindText, language, t, type MessageKey } from "../i18n";
import { endingText } from "../jobText";
import { activeJob, changeLanguage, report as reportProblem, resumeJob } from "../state";
import type { ComputeSettings, Job, Language, Precision } from "../bindings";
import { useLoad } from "../useLoad";
import { YourData } from "./YourData";

const languages: { code: Language; name: string }[] = [
  { code: "en", name: "English" },
  { code: "zh-CN", name: "简体中文" },
];

function JobRow(props: { job: Job }) {
  const { job } = props;
  const resumable = ["interrupted", "cancelled", "failed"].includes(job.state);
  const busy = activeJob.value?.state === "running";
  const ending = endingText(job);
  return (
    <tr data-testid="job-row">
      <td>{job.id}</td>
      <td>{jobKindText(job.kind)}</td>
      <td>{t(`job.state.${job.state}` as MessageKey)}</td>
      <td>
        {ending.text}
        {ending.detail && <div class="detail">{ending.detail}</div>}
      </td>
      <td>
        {resumable && (
          <button type="button" disabled={busy} onClick={() => void resumeJob(job)}>
            {t("settings.resume")}
          </button>
        )}
      </td>
    </tr>
  );
}

const precisions: Precision[] = ["q8_0", "f32"];

function Computing() {
  const initial = useLoad(api.computeSettings);
  const [draft, setDraft] = useState<ComputeSettings | null>(null);
  const current = draft ?? initial;
  if (!current) return null;
  const change = (part: Partial<ComputeSettings>) => setDraft({ ...current, ...part });
  async function save() {
    if (!current) return;
    try {
      setDraft(await api.setComputeSettings(current));
    } catch (error) {
      reportProblem(error);
    }
  }
  return (
    <fieldset class="language" data-testid="compute-settings">
      <legend>{t("settings.compute")}</legend>
      <span>{t("settings.precision")}</span>{" "}
      {precisions.map((precision) => (
        <label key={precision}>
          <input
            type="radio"
            name="precision"
            data-testid={`precision-${precision}`}
            checked={current.translation_precision === precision}
            onChange={() => change({ translation_precision: precision })}
          />
          {t(`settings.precision.${precision}` as MessageKey)}
        </label>
      ))}
      <details class="advanced" data-testid="compute-advanced">
        <summary>{t("settings.advanced")}</summary>
        <label>
          {t("settings.threads")}{" "}
          <input
            type="number"
            min={0}
            data-testid="threads"
            value={current.threads}
            onInput={(event) => change({ threads: Number(event.currentTarget.value) })}
          />
        </label>
        <label>
          {t("settings.memory")}{" "}
          <input
            type="number"
            min={256}
            data-testid="memory-mb"
            value={current.model_memory_mb}
            onInput={(event) => change({ model_memory_mb: Number(event.currentTarget.value) })}
          />
        </label>
      </details>
      <button type="button" data-testid="save-compute" onClick={() => void save()}>
        {t("settings.save")}
      </button>
      <p class="note">{t("settings.computeNote", { n: current.threads_in_use })}</p>
    </fieldset>
  );
}

export function Settings() {
  const doctor = useLoad(api.doctor);
  const jobs = useLoad(api.jobs);
  const [saved, setSaved] = useState<string | null>(null);

  async function saveReport() {
    try {
      const path = await api.pickSaveLocation("tradewind-health.json", [{ name: "JSON", extensions: ["json"] }]);
      if (!path) return;
      await api.saveDoctorReport(path);
      setSaved(path);
    } catch (error) {
      reportProblem(error);
    }
  }

  return (
    <section>
      <header class="view-header">
        <h1>{t("nav.settings")}</h1>
      </header>
      <fieldset class="language">
        <legend>{t("settings.language")}</legend>
        {languages.map((option) => (
          <label key={option.code}>
            <input
              type="radio"
              name="language"
              data-testid={`language-${option.code}`}
              checked={language.value === option.code}
              onChange={() => void changeLanguage(option.code)}
            />
            {option.name}
          </label>
        ))}
      </fieldset>
      <Computing />
      {doctor && (
        <dl class="facts">
          <dt>{t("settings.version")}</dt>
          <dd>{doctor.version}</dd>
          <dt>{t("settings.dataFolder")}</dt>
          <dd data-testid="data-folder">{doctor.data_dir}</dd>
          <dt>{t("settings.database")}</dt>
          <dd>
            {`${formatBytes(doctor.database.size_bytes)}, schema ${doctor.database.schema_version}, `}
            <span data-testid="integrity">
              {doctor.integrity_problems.length === 0
                ? t("settings.integrityOk")
                : t("settings.integrityProblems", { n: doctor.integrity_problems.length })}
            </span>
          </dd>
        </dl>
      )}
      <p>
        <button type="button" onClick={() => void saveReport()}>
          {t("settings.saveReport")}
        </button>
        {saved && <span class="note">{t("settings.reportSaved", { path: saved })}</span>}
      </p>
      <YourData />
      <h2>{t("settings.jobs")}</h2>
      {jobs && jobs.length === 0 && <p>{t("settings.noJobs")}</p>}
      {jobs && jobs.length > 0 && (
        <table class="grid">
          <tbody>
            {jobs.map((job) => (
              <JobRow key={job.id} job={job} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
