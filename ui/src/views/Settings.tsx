import { useState } from "preact/hooks";
import { api } from "../api";
import { formatBytes } from "../format";
import { language, t, type MessageKey } from "../i18n";
import { activeJob, changeLanguage, report as reportProblem, resumeJob } from "../state";
import type { JobRecord, Language } from "../types";
import { useLoad } from "../useLoad";

const languages: { code: Language; name: string }[] = [
  { code: "en", name: "English" },
  { code: "zh-CN", name: "简体中文" },
];

function JobRow(props: { job: JobRecord }) {
  const { job } = props;
  const resumable = ["interrupted", "cancelled", "failed"].includes(job.state);
  const busy = activeJob.value?.state === "running";
  return (
    <tr data-testid="job-row">
      <td>{job.id}</td>
      <td>{t(`job.kind.${job.kind}` as MessageKey)}</td>
      <td>{t(`job.state.${job.state}` as MessageKey)}</td>
      <td>{job.message ?? ""}</td>
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

export function Settings() {
  const doctor = useLoad(api.doctor);
  const jobs = useLoad(api.jobs);
  const [saved, setSaved] = useState<string | null>(null);

  async function saveReport() {
    try {
      const path = await api.pickSaveLocation("tradewind-health.json");
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
