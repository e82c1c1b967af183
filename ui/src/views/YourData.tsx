import { useState } from "preact/hooks";
import { api } from "../api";
import type { MoveProgress } from "../bindings";
import { SaveAs } from "../components/SaveAs";
import { formatBytes } from "../format";
import { t } from "../i18n";
import { dataVersion, loadLanguage, openFirstRunIfNew, refreshOverview, report, view } from "../state";

/**
 * After the database was replaced or emptied: every view reads it again, from the start
 * (the first run's page, when the folder is empty now).
 */
async function startOver() {
  await loadLanguage();
  await refreshOverview();
  dataVersion.value += 1;
  view.value = "listings";
  await openFirstRunIfNew();
}

/** The seller's data as a whole: a backup to one file, a restore from one, deleting it all. */
export function YourData() {
  const [done, setDone] = useState<string | null>(null);
  const [moveTo, setMoveTo] = useState("");
  const [moving, setMoving] = useState<MoveProgress | null>(null);
  async function backUp() {
    try {
      const day = new Date().toISOString().slice(0, 10);
      const path = await api.pickSaveLocation(`tradewind-${day}.tradewind-backup`, [
        { name: t("data.backups"), extensions: ["tradewind-backup"] },
      ]);
      if (!path) return;
      await api.backUp(path);
      setDone(t("data.backedUp", { path }));
    } catch (error) {
      report(error);
    }
  }
  async function restore() {
    try {
      const path = await api.pickFile(t("data.backups"), ["tradewind-backup", "db"]);
      if (!path || !window.confirm(t("data.restoreConfirm", { path }))) return;
      const kept = await api.restoreBackup(path);
      setDone(kept ? t("data.restoredKept", { kept }) : t("data.restored"));
      await startOver();
    } catch (error) {
      report(error);
    }
  }
  async function move() {
    if (!window.confirm(t("data.moveConfirm", { path: moveTo }))) return;
    setMoving({ done_bytes: 0, total_bytes: 0 });
    try {
      const moved = await api.moveDataFolder(moveTo, setMoving);
      setDone(t("data.moved", { path: moved }));
      await startOver();
    } catch (error) {
      report(error);
    } finally {
      setMoving(null);
    }
  }
  async function chooseFolder() {
    try {
      const folder = await api.pickFolder();
      if (folder) setMoveTo(folder);
    } catch (error) {
      report(error);
    }
  }
  async function deleteAll() {
    if (!window.confirm(t("data.deleteConfirm"))) return;
    try {
      await api.deleteAllData();
      setDone(t("data.deleted"));
      await startOver();
    } catch (error) {
      report(error);
    }
  }
  return (
    <fieldset class="language" data-testid="your-data">
      <legend>{t("data.title")}</legend>
      <p class="note">{t("data.help")}</p>
      <button type="button" data-testid="back-up" onClick={() => void backUp()}>
        {t("data.backUp")}
      </button>{" "}
      <button type="button" data-testid="restore" onClick={() => void restore()}>
        {t("data.restore")}
      </button>{" "}
      <button type="button" class="danger" data-testid="delete-all" onClick={() => void deleteAll()}>
        {t("data.delete")}
      </button>
      <p>
        <SaveAs label={t("data.moveTo")} testId="move-to" value={moveTo} onInput={setMoveTo} onChoose={() => void chooseFolder()} />{" "}
        <button type="button" data-testid="move-data" disabled={moving !== null || moveTo.trim() === ""} onClick={() => void move()}>
          {t("data.move")}
        </button>
      </p>
      {moving && (
        <p class="note" data-testid="data-moving">
          {t("data.moving")}{" "}
          {moving.total_bytes > 0 && (
            <progress max={moving.total_bytes} value={moving.done_bytes}>
              {formatBytes(moving.done_bytes)}
            </progress>
          )}
        </p>
      )}
      {done && (
        <p class="note" data-testid="data-done">
          {done}
        </p>
      )}
    </fieldset>
  );
}
