import { useState } from "preact/hooks";
import { api } from "../api";
import { formatBytes } from "../format";
import { t, type MessageKey } from "../i18n";
import { activeJob, dataVersion, report, runJob } from "../state";
import type { DeviceChoice, DeviceStatus, ModelStatus } from "../bindings";
import { useLoad } from "../useLoad";
import { TryModel } from "./TryModel";

const devices: DeviceChoice[] = ["cpu", "metal", "cuda"];

function size(status: ModelStatus): string {
  const known = status.model.files.every((file) => file.size != null);
  return known
    ? formatBytes(status.model.files.reduce((sum, file) => sum + (file.size ?? 0), 0))
    : t("models.sizeUnknown");
}

function DevicePicker() {
  const initial = useLoad(api.deviceStatus);
  const [status, setStatus] = useState<DeviceStatus | null>(null);
  const current = status ?? initial;
  if (!current) return null;
  async function choose(choice: DeviceChoice) {
    try {
      setStatus(await api.setDevice(choice));
    } catch (error) {
      report(error);
    }
  }
  return (
    <fieldset class="language" data-testid="device-picker">
      <legend>{t("models.device")}</legend>
      {devices.map((device) => (
        <label key={device}>
          <input
            type="radio"
            name="device"
            data-testid={`device-${device}`}
            checked={current.choice === device}
            disabled={!current.compiled.includes(device)}
            onChange={() => void choose(device)}
          />
          {device.toUpperCase()}
        </label>
      ))}
      <span class="note" data-testid="device-using">
        {t("models.using", { device: current.using.toUpperCase() })}
      </span>
      {current.fallback && <p class="note">{current.fallback}</p>}
    </fieldset>
  );
}

function ModelRow(props: { status: ModelStatus; onVerified: (id: string, text: string) => void; verified?: string }) {
  const { status } = props;
  const { model, presence, loaded } = status;
  const busy = activeJob.value?.state === "running";
  const [trying, setTrying] = useState(false);
  async function importFrom(pick: () => Promise<string | null>) {
    try {
      const folder = await pick();
      if (folder) await runJob({ kind: "import_model", id: model.id, folder });
    } catch (error) {
      report(error);
    }
  }
  async function verify() {
    try {
      const files = await api.verifyModel(model.id);
      props.onVerified(model.id, t("models.verified", { n: files.length }));
    } catch (error) {
      report(error);
      dataVersion.value += 1;
    }
  }
  async function writeWith() {
    try {
      await api.chooseWriter(model.id);
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  async function remove() {
    if (!window.confirm(t("models.deleteConfirm", { name: model.name }))) return;
    try {
      await api.removeModel(model.id);
      dataVersion.value += 1;
    } catch (error) {
      report(error);
    }
  }
  return (
    <>
    <tr data-testid={`model-${model.id}`}>
      <td>
        <strong>{model.name}</strong>
        <div class="note">{model.id}</div>
      </td>
      <td>{t(`task.${model.task}` as MessageKey)}</td>
      <td class="number">{size(status)}</td>
      <td class="number">{formatBytes(model.ram_mb * 1_000_000)}</td>
      <td>{model.licence}</td>
      <td>{model.languages.join(", ")}</td>
      <td data-testid={`model-status-${model.id}`} title={presence.state === "damaged" ? presence.detail : undefined}>
        {t(`models.status.${presence.state}` as MessageKey)}
        {props.verified && <div class="note">{props.verified}</div>}
        {status.writes && (
          <div class="note" data-testid={`model-writes-${model.id}`}>
            {t("models.writes")}
          </div>
        )}
        {loaded && (
          <div class="note" data-testid={`model-loaded-${model.id}`}>
            {t("models.inMemory", { ms: loaded.load_ms, size: formatBytes(loaded.weight_bytes) })}
          </div>
        )}
      </td>
      <td class="actions">
        {presence.state !== "present" && (
          <>
            <button
              type="button"
              disabled={busy}
              onClick={() => void runJob({ kind: "download_model", id: model.id })}
            >
              {t("models.download")}
            </button>
            <button type="button" disabled={busy} onClick={() => void importFrom(api.pickFolder)}>
              {t("models.import")}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => void importFrom(() => api.pickFile(t("models.archives"), ["zip", "tar", "gz", "tgz"]))}
            >
              {t("models.importArchive")}
            </button>
          </>
        )}
        {presence.state !== "not_present" && (
          <button type="button" data-testid={`verify-${model.id}`} onClick={() => void verify()}>
            {t("models.verify")}
          </button>
        )}
        {presence.state === "present" && model.task === "generate" && !status.writes && (
          <button type="button" data-testid={`write-with-${model.id}`} onClick={() => void writeWith()}>
            {t("models.writeWith")}
          </button>
        )}
        {presence.state === "present" && (
          <button type="button" data-testid={`try-open-${model.id}`} onClick={() => setTrying(!trying)}>
            {t("models.try")}
          </button>
        )}
        {status.disk_bytes > 0 && (
          <button type="button" onClick={() => void remove()}>
            {t("models.delete")}
          </button>
        )}
      </td>
    </tr>
    {trying && (
      <tr>
        <td colSpan={8}>
          <TryModel model={model} onRan={() => (dataVersion.value += 1)} />
        </td>
      </tr>
    )}
    </>
  );
}

export function Models() {
  const models = useLoad(api.models);
  const doctor = useLoad(api.doctor);
  const [verified, setVerified] = useState<Record<string, string>>({});
  if (!models || !doctor) return <p class="loading">{t("common.loading")}</p>;
  const cpu = doctor.cpu;
  const features = [cpu.avx2 && "AVX2", cpu.fma && "FMA", cpu.f16c && "F16C", cpu.neon && "NEON"].filter(Boolean);
  const present = models.filter((status) => status.presence.state !== "not_present").length;
  return (
    <section>
      <header class="view-header">
        <h1>{t("nav.models")}</h1>
      </header>
      {present === 0 && (
        <div class="empty" data-testid="empty-state">
          <h2>{t("models.empty.title")}</h2>
          <p>{t("models.empty.body")}</p>
        </div>
      )}
      <DevicePicker />
      <table class="grid">
        <thead>
          <tr>
            <th>{t("models.col.model")}</th>
            <th>{t("models.col.task")}</th>
            <th class="number">{t("models.col.size")}</th>
            <th class="number">{t("models.col.ram")}</th>
            <th>{t("models.col.licence")}</th>
            <th>{t("models.col.languages")}</th>
            <th>{t("models.col.status")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {models.map((status) => (
            <ModelRow
              key={status.model.id}
              status={status}
              verified={verified[status.model.id]}
              onVerified={(id, text) => setVerified({ ...verified, [id]: text })}
            />
          ))}
        </tbody>
      </table>
      <dl class="facts">
        <dt>{t("models.folder")}</dt>
        <dd>{`${doctor.data_dir}/models`}</dd>
        <dt>{t("models.devices")}</dt>
        <dd data-testid="models-devices">{doctor.devices.join(", ")}</dd>
        <dt>{t("models.cpu")}</dt>
        <dd>{`${cpu.arch}${features.length ? `: ${features.join(", ")}` : ""}`}</dd>
        <dt>{t("models.kernels")}</dt>
        <dd>{`${doctor.kernels.quantized_kernels}, ${doctor.kernels.threads} threads`}</dd>
      </dl>
    </section>
  );
}
