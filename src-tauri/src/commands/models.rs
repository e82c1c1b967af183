//! The Models view: the catalog with each model's state, verification, removal and
//! trying a model. Importing or downloading one is a job (`start_job` with
//! `import_model` or `download_model`).

use std::path::PathBuf;

use tauri::State;
use tradewind::ml::model::ModelInput;
use tradewind::ml::store::VerifiedFile;
use tradewind::{ModelRun, ModelStatus};

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

/// Returns the bytes freed.
#[tauri::command]
pub async fn remove_model(state: State<'_, AppState>, id: String) -> Result<u64, CommandError> {
    Ok(state.engine()?.remove_model(&id)?)
}

/// Makes a writing model on this computer the one behind replies and listing copy.
#[tauri::command]
pub async fn choose_writer(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    Ok(state.engine()?.choose_writer(&id)?)
}
