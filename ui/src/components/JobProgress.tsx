import type { Progress } from "../bindings";
import { formatBytes, formatCount, formatDuration } from "../format";
import { jobKindText, t, type MessageKey } from "../i18n";
import { endingText } from "../jobText";
import { activeJob, cancelActiveJob, dismissJob } from "../state";

function amount(progress: Progress, value: number): string {
  return progress.unit === "bytes" ? formatBytes(value) : formatCount(value);
}

/** The running (or just finished) job: stage, bar, counts, speed, time left, cancel. */
export function JobProgress() {
  const job = activeJob.value;
  if (!job) return null;
  const progress = job.progress;
  const running = job.state === "running";
  const stage = progress?.stage ? stageLabel(progress.stage) : "";
  const ending = running ? null : endingText(job);
  return (
    <section class={`job job-${job.state}`} data-testid="job-progress" aria-live="polite">
      <div class="job-title">
        <strong>{jobKindText(job.kind)}</strong>
        {running && stage && <span> · {stage}</span>}
        {!running && <span data-testid="job-state"> · {t(`job.state.${job.state}` as MessageKey)}</span>}
      </div>
      {running && (
        <progress
          max={progress?.total ?? undefined}
          value={progress?.total ? progress.done : undefined}
          aria-label={stage}
        />
      )}
      {running && progress && (
        <div class="job-figures">
          {progress.total != null
            ? `${amount(progress, progress.done)} / ${amount(progress, progress.total)}`
            : amount(progress, progress.done)}
          {progress.rate_per_second != null && ` · ${amount(progress, progress.rate_per_second)}/s`}
          {progress.eta_seconds != null && ` · ${t("job.left", { eta: formatDuration(progress.eta_seconds) })}`}
          {progress.throughput && ` · ${t("job.segments", { n: formatCount(progress.throughput.segments) })}`}
          {progress.throughput?.tokens_per_second != null &&
            ` · ${t("job.tokensPerSecond", { n: formatCount(Math.round(progress.throughput.tokens_per_second)) })}`}
        </div>
      )}
      {ending?.text && (
        <div class="job-message" data-testid="job-message">
          {ending.text}
          {ending.detail && (
            <div class="detail" data-testid="job-detail">
              {ending.detail}
            </div>
          )}
        </div>
      )}
      <div class="job-actions">
        {running ? (
          <button type="button" onClick={() => void cancelActiveJob()} disabled={job.id == null}>
            {t("job.cancel")}
          </button>
        ) : (
          <button type="button" onClick={dismissJob}>
            {t("job.dismiss")}
          </button>
        )}
      </div>
    </section>
  );
}

/** A stage's name, with what follows a colon as its detail ("translate:de"). */
function stageLabel(stage: string): string {
  const [name, detail = ""] = stage.split(":");
  return t(`job.stage.${name}` as MessageKey, { detail });
}
