//! The Models view: the catalog with each model's state, verification, removal, and
//! the compute device. Importing a model is a job (`start_job` with `import_model`).

use tauri::State;
use tradewind::ml::device::DeviceChoice;
use tradewind::ml::store::VerifiedFile;
use tradewind::{DeviceStatus, ModelStatus};

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
    let engine = state.engine()?.clone();
    tauri::async_runtime::spawn_blocking(move || engine.verify_model(&id))
        .await
        .map_err(|error| CommandError {
            kind: "internal",
            message: error.to_string(),
        })?
        .map_err(CommandError::from)
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
