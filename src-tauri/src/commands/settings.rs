//! Settings: the interface language, the compute device and how models compute; the
//! seller's data backed up, restored, moved to another folder or deleted.

use std::path::PathBuf;

use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tradewind::ml::device::DeviceChoice;
use tradewind::store::location::MoveProgress;
use tradewind::{ComputeSettings, DeviceStatus, Engine, Language};

use super::blocking;
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn language(state: State<'_, AppState>) -> Result<Language, CommandError> {
    Ok(state.engine()?.language()?)
}

#[tauri::command]
pub async fn set_language(
    state: State<'_, AppState>,
    code: String,
) -> Result<Language, CommandError> {
    let engine = state.engine()?;
    let language = Language::parse(&code)?;
    engine.set_language(language)?;
    Ok(language)
}

#[tauri::command]
pub async fn compute_settings(state: State<'_, AppState>) -> Result<ComputeSettings, CommandError> {
    Ok(state.engine()?.compute_settings()?)
}

#[tauri::command]
pub async fn set_compute_settings(
    state: State<'_, AppState>,
    settings: ComputeSettings,
) -> Result<ComputeSettings, CommandError> {
    Ok(state.engine()?.set_compute_settings(&settings)?)
}

#[tauri::command]
pub async fn device_status(state: State<'_, AppState>) -> Result<DeviceStatus, CommandError> {
    Ok(state.engine()?.device_status()?)
}

#[tauri::command]
pub async fn set_device(
    state: State<'_, AppState>,
    choice: String,
) -> Result<DeviceStatus, CommandError> {
    let engine = state.engine()?;
    engine.set_device_choice(DeviceChoice::parse(&choice).map_err(tradewind::Error::from)?)?;
    Ok(engine.device_status()?)
}

/// Writes the database to one file the seller chose.
#[tauri::command]
pub async fn back_up(state: State<'_, AppState>, path: PathBuf) -> Result<(), CommandError> {
    blocking(state, move |engine| engine.back_up(&path)).await
}

/// Replaces the database with a backup (checked first); returns where the replaced one
/// was kept. The engine opens again on the restored database.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<Option<PathBuf>, CommandError> {
    state.reopen_after(|config| Engine::restore_backup(config, &path))
}

/// Moves the data folder to `to` (new or empty), its progress sent over `on_progress`
/// when the files are copied to another disk; the engine opens again there.
#[tauri::command]
pub async fn move_data_folder<R: Runtime>(
    app: AppHandle<R>,
    to: PathBuf,
    on_progress: Channel<MoveProgress>,
) -> Result<PathBuf, CommandError> {
    // Copying a folder of models to another disk takes minutes: off the async workers.
    tauri::async_runtime::spawn_blocking(move || {
        app.state::<AppState>()
            .move_data_folder(&to, &mut |progress| {
                let _ = on_progress.send(progress);
            })
    })
    .await
    .map_err(|error| CommandError {
        kind: tradewind::ErrorKind::Internal,
        message: error.to_string(),
    })?
}

/// Deletes everything in the data folder; the engine opens again on an empty one, so
/// the app is at its first run.
#[tauri::command]
pub async fn delete_all_data(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.reopen_after(|config| Engine::delete_all_data(config).map(|_| ()))
}
