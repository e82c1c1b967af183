// App-wide state as signals, and the actions that change it. Views read these;
// only the actions call the API.

import { signal } from "@preact/signals";
import { ApiError, api } from "./api";
import type {
  ErrorKind,
  Job,
  JobEvent,
  JobKind,
  JobOutcome,
  JobSpec,
  JobState,
  Language,
  ListingsFilePreview,
  OrdersPreview,
  Overview,
  Progress,
} from "./bindings";
import { language, t } from "./i18n";

export type ViewId = "welcome" | "listings" | "photos" | "analytics" | "assistant" | "models" | "settings";

export const view = signal<ViewId>("listings");

/** On an empty data folder the app opens on the first run's page. */
export async function openFirstRunIfNew(): Promise<void> {
  try {
    if ((await api.firstRun()).show) view.value = "welcome";
  } catch (error) {
    report(error);
  }
}

/** Opens a view; leaving the first run's page, by any way, means it is not shown again. */
export function openView(next: ViewId): void {
  if (view.value === "welcome" && next !== "welcome") {
    api.finishFirstRun().catch(report);
  }
  view.value = next;
}
export const overview = signal<Overview | null>(null);
/** Bumped whenever a job finishes, so that open views load again. */
export const dataVersion = signal(0);
/** An error worth showing: its kind picks the words, the engine's sentence is the detail. */
export interface Problem {
  kind: ErrorKind | "unknown";
  detail: string;
}

/** The last error worth showing. */
export const problem = signal<Problem | null>(null);

export interface ActiveJob {
  id: number | null;
  kind: JobKind;
  state: JobState;
  progress: Progress | null;
  outcome: JobOutcome | null;
  error_kind: ErrorKind | null;
  message: string | null;
}

export const activeJob = signal<ActiveJob | null>(null);

export function asProblem(error: unknown): Problem {
  if (error instanceof ApiError) return { kind: error.kind, detail: error.message };
  return { kind: "unknown", detail: error instanceof Error ? error.message : String(error) };
}

export function report(error: unknown): void {
  problem.value = asProblem(error);
}

/** A job that was refused before it ran (already running elsewhere, done already…). */
function refused(job: ActiveJob, error: unknown): ActiveJob {
  const { kind, detail } = asProblem(error);
  return { ...job, state: "failed", error_kind: kind === "unknown" ? null : kind, message: detail };
}

export async function refreshOverview(): Promise<void> {
  try {
    overview.value = await api.overview();
  } catch (error) {
    report(error);
  }
}

export async function loadLanguage(): Promise<void> {
  try {
    language.value = await api.language();
  } catch (error) {
    report(error);
  }
}

export async function changeLanguage(code: Language): Promise<void> {
  try {
    language.value = await api.setLanguage(code);
  } catch (error) {
    report(error);
  }
}

function onJobEvent(event: JobEvent): void {
  const current = activeJob.value;
  if (!current) return;
  if (event.type === "progress") {
    activeJob.value = { ...current, id: event.job_id, state: "running", progress: event.progress };
    return;
  }
  activeJob.value = {
    ...current,
    id: event.job_id,
    state: event.state,
    outcome: event.outcome,
    error_kind: event.error_kind,
    message: event.message,
  };
  dataVersion.value += 1;
  void refreshOverview();
}

const running = (id: number | null, kind: JobKind, progress: Progress | null): ActiveJob => ({
  id,
  kind,
  state: "running",
  progress,
  outcome: null,
  error_kind: null,
  message: null,
});

export async function runJob(spec: JobSpec): Promise<void> {
  const job = running(null, spec.kind, null);
  activeJob.value = job;
  try {
    const id = await api.startJob(spec, onJobEvent);
    if (activeJob.value && activeJob.value.id === null) activeJob.value = { ...activeJob.value, id };
  } catch (error) {
    activeJob.value = refused(activeJob.value ?? job, error);
  }
}

export async function resumeJob(job: Job): Promise<void> {
  const resumed = running(job.id, job.kind, job.progress);
  activeJob.value = resumed;
  try {
    await api.resumeJob(job.id, onJobEvent);
  } catch (error) {
    activeJob.value = refused(activeJob.value ?? resumed, error);
  }
}

export async function cancelActiveJob(): Promise<void> {
  const id = activeJob.value?.id;
  if (id == null) return;
  try {
    await api.cancelJob(id);
  } catch (error) {
    report(error);
  }
}

export function dismissJob(): void {
  activeJob.value = null;
}

/**
 * An orders file, and what it is, waiting for the seller to confirm the import (or, for
 * a file of their own layout, which column is which).
 */
export const ordersToConfirm = signal<{ path: string; preview: OrdersPreview } | null>(null);

/** A product file of the seller's own layout waiting for them to confirm its columns. */
export const columnsToMap = signal<ListingsFilePreview | null>(null);

/**
 * Asks for a file or folder, then imports it as a job; a product file that is not
 * Shopify's first goes through `columnsToMap`.
 */
export async function importInto(kind: "listings" | "orders" | "photos"): Promise<void> {
  try {
    if (kind === "photos") {
      const folder = await api.pickFolder();
      if (folder) await runJob({ kind: "import_photos", folder });
      return;
    }
    if (kind === "orders") {
      const path = await api.pickFile(t("analytics.fileKinds"), ["csv", "txt", "tsv", "xlsx", "json"]);
      if (path) ordersToConfirm.value = { path, preview: await api.previewOrdersFile(path) };
      return;
    }
    const path = await api.pickFile(t("listings.fileKinds"), ["csv", "txt", "tsv", "xlsx", "json"]);
    if (!path) return;
    const preview = await api.previewListingsFile(path);
    if (preview.shopify) await runJob({ kind: "import_listings", path });
    else columnsToMap.value = preview;
  } catch (error) {
    report(error);
  }
}
