//! The Models view: the catalog with each model's state, verification, removal, trying
//! a model, and the compute settings. Importing a model is a job (`start_job` with
//! `import_model`).

use std::path::PathBuf;

use tauri::State;
use tradewind::ml::device::DeviceChoice;
use tradewind::ml::loaded::ModelInput;
use tradewind::ml::store::VerifiedFile;
use tradewind::{ComputeSettings, DeviceStatus, ModelRun, ModelStatus};

use super::blocking;
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn models(state: State<'_, AppState>) -> Result<Vec<ModelStatus>, CommandError> {
    Ok(state.engine()?.models()?)
}

/// Hashes every file of the model, off the async workers (large models take seconds).
#[tauri::command]
pub async fn verify_model(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<VerifiedFile>, CommandError> {
    blocking(state, move |engine| engine.verify_model(&id)).await
}

/// Loads the model if it is not in memory, and runs it on the seller's input.
#[tauri::command]
pub async fn run_model(
    state: State<'_, AppState>,
    id: String,
    texts: Vec<String>,
    image: Option<PathBuf>,
    target_language: Option<String>,
) -> Result<ModelRun, CommandError> {
    let input = ModelInput {
        texts,
        image,
        target_language,
        max_tokens: 64,
    };
    blocking(state, move |engine| engine.run_model(&id, &input)).await
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

/// Returns the bytes freed.
#[tauri::command]
pub async fn remove_model(state: State<'_, AppState>, id: String) -> Result<u64, CommandError> {
    Ok(state.engine()?.remove_model(&id)?)
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
