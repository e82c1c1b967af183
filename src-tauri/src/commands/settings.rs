//! Settings: the interface language, the compute device and how models compute.

use tauri::State;
use tradewind::ml::device::DeviceChoice;
use tradewind::{ComputeSettings, DeviceStatus, Language};

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
