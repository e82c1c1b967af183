//! Settings: the interface language, the compute device and how models compute; the
//! seller's data backed up, restored or deleted.

use std::path::PathBuf;

use tauri::State;
use tradewind::ml::device::DeviceChoice;
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

/// Deletes everything in the data folder; the engine opens again on an empty one, so
/// the app is at its first run.
#[tauri::command]
pub async fn delete_all_data(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.reopen_after(|config| Engine::delete_all_data(config).map(|_| ()))
}
