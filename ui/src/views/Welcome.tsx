import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import type { ModelPlan, ModelUse, PlanRequest, Proposal } from "../bindings";
import { CodeSelect } from "../components/CodeSelect";
import { formatBytes, formatCount } from "../format";
import { t, type MessageKey } from "../i18n";
import { activeJob, importInto, openView, report, runJob, type ViewId } from "../state";
import { languageName } from "./Assistant";
import { sourceLanguages, targetLanguages } from "./TranslateForm";

/** The seller's own files, each imported from the view that shows it. */
const yourFiles: { kind: "listings" | "orders" | "photos"; view: ViewId; label: MessageKey }[] = [
  { kind: "listings", view: "listings", label: "listings.import" },
  { kind: "orders", view: "analytics", label: "analytics.import" },
  { kind: "photos", view: "photos", label: "photos.import" },
];

function purposeText(purpose: ModelUse): string {
  if (purpose.kind === "translate") return t("welcome.use.translate", { from: languageName(purpose.from), to: languageName(purpose.to) });
  return t(`welcome.use.${purpose.kind}`);
}

/** Why the plan chose as it did, in the seller's words. */
function proposalText(proposal: Proposal, plan: ModelPlan): string {
  const name = (id: string) => plan.models.find((model) => model.id === id)?.name ?? id;
  switch (proposal.kind) {
    case "writer":
      return proposal.larger
        ? t("welcome.why.writer", {
            chosen: name(proposal.chosen),
            larger: proposal.larger,
            memory: formatBytes(proposal.memory_mb * 1024 * 1024),
          })
        : t("welcome.why.writerBest", { chosen: name(proposal.chosen) });
    case "precision":
      return proposal.precision === "f32"
        ? t("welcome.why.precision.f32", { gpu: proposal.gpu ?? "" })
        : t("welcome.why.precision.q8_0");
    case "many_languages":
      return t(proposal.short_of_memory ? "welcome.why.manyShort" : "welcome.why.many", {
        model: name(proposal.model),
        languages: proposal.languages.map(languageName).join(", "),
      });
  }
}

/** The catalog's memory figures are in megabytes. */
function megabytes(value: number): string {
  return formatBytes(value * 1_000_000);
}

function bytes(value: number | null): string {
  return value === null ? t("welcome.sizeUnknown") : formatBytes(value);
}

/** The models the ticked tasks need, with their sizes, and the two ways to get them. */
function Plan(props: { plan: ModelPlan }) {
  const { plan } = props;
  const busy = activeJob.value?.state === "running";
  const [folder, setFolder] = useState("");
  const [askingFolder, setAskingFolder] = useState(false);
  const missing = plan.models.filter((model) => !model.present).map((model) => model.id);
  const machine = plan.machine;
  async function chooseFolder() {
    try {
      const chosen = await api.pickFolder();
      if (chosen) setFolder(chosen);
    } catch (error) {
      report(error);
    }
  }
  return (
    <div data-testid="model-plan">
      <table class="grid">
        <thead>
          <tr>
            <th>{t("welcome.col.model")}</th>
            <th>{t("welcome.col.for")}</th>
            <th>{t("welcome.col.download")}</th>
            <th>{t("welcome.col.disk")}</th>
            <th>{t("welcome.col.memory")}</th>
            <th>{t("welcome.col.status")}</th>
          </tr>
        </thead>
        <tbody>
          {plan.models.map((model) => (
            <tr key={model.id} data-testid="planned-model" data-model={model.id}>
              <td>{model.name}</td>
              <td>{model.uses.map(purposeText).join(", ")}</td>
              <td class="bar-value">{bytes(model.download_bytes)}</td>
              <td class="bar-value">{bytes(model.disk_bytes)}</td>
              <td class="bar-value">{megabytes(model.ram_mb)}</td>
              <td>{model.present ? t("welcome.here") : t("welcome.toFetch")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="plan-total">
        {missing.length === 0
          ? t("welcome.allHere")
          : t(plan.unknown_sizes > 0 ? "welcome.totalUnknown" : "welcome.total", {
              size: formatBytes(plan.download_bytes),
              disk: formatBytes(plan.disk_bytes),
              n: formatCount(plan.unknown_sizes),
            })}{" "}
        {t("welcome.largest", { memory: megabytes(plan.largest_ram_mb) })}
      </p>
      <p class="note" data-testid="plan-machine">
        {t("welcome.machine", {
          memory: formatBytes(machine.memory_bytes),
          cores: formatCount(machine.cores),
          gpu: machine.gpu ? t("welcome.machine.gpu", { gpu: machine.gpu }) : t("welcome.machine.noGpu"),
        })}
      </p>
      {plan.proposals.length > 0 && (
        <div data-testid="plan-why">
          <strong>{t("welcome.why")}</strong>
          <ul>
            {plan.proposals.map((proposal) => (
              <li key={proposal.kind}>{proposalText(proposal, plan)}</li>
            ))}
          </ul>
        </div>
      )}
      {plan.unreachable.length > 0 && (
        <p class="note warning">{t("welcome.unreachable", { languages: plan.unreachable.map(languageName).join(", ") })}</p>
      )}
      {missing.length > 0 && (
        <div class="empty-actions">
          <button
            type="button"
            class="primary"
            data-testid="plan-download"
            disabled={busy}
            onClick={() => void runJob({ kind: "download_models", ids: missing })}
          >
            {t("welcome.download")}
          </button>
          <button type="button" data-testid="plan-have-files" disabled={busy} onClick={() => setAskingFolder(true)}>
            {t("welcome.haveFiles")}
          </button>
        </div>
      )}
      {askingFolder && missing.length > 0 && (
        <fieldset class="language" data-testid="plan-folder">
          <p class="note">{t("welcome.folderHelp")}</p>
          <label>
            {t("welcome.folder")}{" "}
            <input type="text" data-testid="plan-folder-path" value={folder} onInput={(event) => setFolder(event.currentTarget.value)} />
          </label>
          <button type="button" onClick={() => void chooseFolder()}>
            {t("export.choose")}
          </button>
          <button
            type="button"
            class="primary"
            data-testid="plan-import"
            disabled={busy || folder.trim() === ""}
            onClick={() => void runJob({ kind: "import_models", ids: missing, folder: folder.trim() })}
          >
            {t("welcome.importFolder")}
          </button>
        </fieldset>
      )}
    </div>
  );
}

/** The first run: the demo shop, the seller's own files, or the models for their tasks. */
export function Welcome() {
  const busy = activeJob.value?.state === "running";
  const [request, setRequest] = useState<PlanRequest>({
    from: "en",
    translate_to: [],
    tag_photos: false,
    alt_text: false,
    answer_buyers: false,
  });
  const [plan, setPlan] = useState<ModelPlan | null>(null);
  const ticked = request.translate_to.length > 0 || request.tag_photos || request.alt_text || request.answer_buyers;
  const finished = activeJob.value?.state === "succeeded";
  useEffect(() => {
    if (!ticked) {
      setPlan(null);
      return;
    }
    api.planModels(request).then(setPlan, report);
    // A finished download or import changes which models are here.
  }, [request, finished]);
  const toggleLanguage = (code: string) =>
    setRequest({
      ...request,
      translate_to: request.translate_to.includes(code)
        ? request.translate_to.filter((other) => other !== code)
        : [...request.translate_to, code],
    });
  const task = (key: "tag_photos" | "alt_text" | "answer_buyers", label: string) => (
    <label data-testid={`task-${key}`}>
      <input type="checkbox" checked={request[key]} onChange={() => setRequest({ ...request, [key]: !request[key] })} />
      {label}
    </label>
  );
  async function loadDemo() {
    await runJob({ kind: "load_demo" });
    openView("listings");
  }
  return (
    <div class="welcome" data-testid="welcome">
      <h1>{t("welcome.title")}</h1>
      <p class="lead">{t("welcome.help")}</p>
      <section class="card" data-testid="welcome-demo">
        <h2>{t("welcome.demo.title")}</h2>
        <p>{t("welcome.demo.body")}</p>
        <button type="button" class="primary" data-testid="load-demo" disabled={busy} onClick={() => void loadDemo()}>
          {t("common.loadDemo")}
        </button>
      </section>
      <section class="card" data-testid="welcome-yours">
        <h2>{t("welcome.yours.title")}</h2>
        <p>{t("welcome.yours.body")}</p>
        <div class="empty-actions">
          {yourFiles.map(({ kind, view, label }) => (
            <button
              type="button"
              key={kind}
              data-testid={`welcome-import-${kind}`}
              disabled={busy}
              onClick={() => {
                // The view that shows the file's preview and the import's progress.
                openView(view);
                void importInto(kind);
              }}
            >
              {t(label)}
            </button>
          ))}
        </div>
      </section>
      <section class="card" data-testid="welcome-models">
        <h2>{t("welcome.models.title")}</h2>
        <p>{t("welcome.models.body")}</p>
        <fieldset class="language choices">
          <legend>{t("welcome.task.translate")}</legend>
          <label>
            {t("welcome.task.from")}{" "}
            <CodeSelect
              testId="task-from"
              value={request.from}
              codes={sourceLanguages}
              label={languageName}
              onChange={(from) => setRequest({ ...request, from })}
            />
          </label>{" "}
          {t("welcome.task.into")}{" "}
          {targetLanguages
            .filter((code) => code !== request.from)
            .map((code) => (
              <label key={code} data-testid={`task-translate-${code}`}>
                <input type="checkbox" checked={request.translate_to.includes(code)} onChange={() => toggleLanguage(code)} />
                {languageName(code)}
              </label>
            ))}
        </fieldset>
        <div class="tasks">
          {task("tag_photos", t("welcome.task.tagPhotos"))}
          {task("alt_text", t("welcome.task.altText"))}
          {task("answer_buyers", t("welcome.task.answerBuyers"))}
        </div>
        {plan && ticked ? <Plan plan={plan} /> : <p class="note">{t("welcome.pickTask")}</p>}
      </section>
      <div class="empty-actions">
        <button type="button" data-testid="welcome-skip" onClick={() => openView("listings")}>
          {finished ? t("welcome.continue") : t("welcome.skip")}
        </button>
      </div>
    </div>
  );
}
