import { useState } from "preact/hooks";
import { api } from "../api";
import { formatBytes } from "../format";
import { t } from "../i18n";
import { report } from "../state";
import type { ModelEntry, ModelOutput, ModelRun } from "../bindings";

/** One line per result, for any kind of model. */
export function describeOutput(output: ModelOutput, inputs: string[]): string[] {
  switch (output.kind) {
    case "translations":
      return output.results.map((translation) => translation.text);
    case "similarities":
      return output.results.map((score, index) => `${score.toFixed(3)}  ${inputs[index + 1] ?? ""}`);
    case "sentiments":
      return output.results.map((sentiment, index) => `${sentiment.stars.toFixed(1)} ★ (${sentiment.label})  ${inputs[index] ?? ""}`);
    case "tags":
      return output.results.map(([label, probability]) => `${(probability * 100).toFixed(1)} %  ${label}`);
    case "caption":
      return [output.results];
    case "generation":
      return [output.results.text];
  }
}

export function loadSummary(run: ModelRun): string {
  if (run.load.cache_hit) return t("models.try.inMemory");
  return t("models.try.loaded", { ms: run.load.load_ms, size: formatBytes(run.load.weight_bytes) });
}

/** Runs a model on the seller's own text or photo: a quick check that it works here. */
export function TryModel(props: { model: ModelEntry; onRan: () => void }) {
  const { model } = props;
  const needsPhoto = model.task === "caption" || model.task === "zero-shot-image";
  const needsLanguage = model.architecture === "quantized-t5";
  const [text, setText] = useState("");
  const [photo, setPhoto] = useState<string | null>(null);
  const [language, setLanguage] = useState("de");
  const [run, setRun] = useState<ModelRun | null>(null);
  const [running, setRunning] = useState(false);
  const inputs = text.split("\n").map((line) => line.trim()).filter(Boolean);

  async function choosePhoto() {
    try {
      setPhoto(await api.pickFile(t("models.try.photos"), ["jpg", "jpeg", "png"]));
    } catch (error) {
      report(error);
    }
  }
  async function start() {
    setRunning(true);
    try {
      setRun(await api.runModel(model.id, inputs, photo, needsLanguage ? language : null));
      props.onRan();
    } catch (error) {
      report(error);
    } finally {
      setRunning(false);
    }
  }
  return (
    <div class="try" data-testid={`try-${model.id}`}>
      <textarea
        data-testid="try-input"
        rows={3}
        placeholder={t(needsPhoto ? "models.try.labels" : "models.try.texts")}
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
      />
      {needsPhoto && (
        <button type="button" onClick={() => void choosePhoto()}>
          {photo ?? t("models.try.choosePhoto")}
        </button>
      )}
      {needsLanguage && (
        <label>
          {t("models.try.into")}{" "}
          <input size={4} value={language} onInput={(event) => setLanguage(event.currentTarget.value)} />
        </label>
      )}
      <button type="button" data-testid="try-run" disabled={running} onClick={() => void start()}>
        {running ? t("models.try.running") : t("models.try.run")}
      </button>
      {run && (
        <div data-testid="try-output">
          <p class="note" data-testid="try-load">{loadSummary(run)}</p>
          <ul>
            {describeOutput(run.output, inputs).map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
