import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { activeJob, runJob } from "../state";

/** What a view shows before there is anything in it: what to do first. */
export function EmptyState(props: { title: string; body: string; children?: ComponentChildren }) {
  const busy = activeJob.value?.state === "running";
  return (
    <div class="empty" data-testid="empty-state">
      <h2>{props.title}</h2>
      <p>{props.body}</p>
      <div class="empty-actions">
        {props.children}
        <button type="button" class="primary" data-testid="load-demo" disabled={busy} onClick={() => void runJob({ kind: "load_demo" })}>
          {t("common.loadDemo")}
        </button>
      </div>
    </div>
  );
}
