import { api } from "../api";
import { t } from "../i18n";
import { useLoad } from "../useLoad";

export function Models() {
  const report = useLoad(api.doctor);
  if (!report) return <p class="loading">{t("common.loading")}</p>;
  const cpu = report.cpu;
  const features = [cpu.avx2 && "AVX2", cpu.fma && "FMA", cpu.f16c && "F16C", cpu.neon && "NEON"].filter(Boolean);
  return (
    <section>
      <header class="view-header">
        <h1>{t("nav.models")}</h1>
      </header>
      {report.models.length === 0 ? (
        <div class="empty" data-testid="empty-state">
          <h2>{t("models.empty.title")}</h2>
          <p>{t("models.empty.body")}</p>
        </div>
      ) : (
        <>
          <h2>{t("models.present")}</h2>
          <ul data-testid="models-list">
            {report.models.map((model) => (
              <li key={model}>{model}</li>
            ))}
          </ul>
        </>
      )}
      <dl class="facts">
        <dt>{t("models.folder")}</dt>
        <dd>{`${report.data_dir}/models`}</dd>
        <dt>{t("models.devices")}</dt>
        <dd data-testid="models-devices">{report.devices.join(", ")}</dd>
        <dt>{t("models.cpu")}</dt>
        <dd>{`${cpu.arch}${features.length ? `: ${features.join(", ")}` : ""}`}</dd>
      </dl>
    </section>
  );
}
