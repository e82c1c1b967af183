//! The Models view: the catalog with each model's state, verification, removal and
//! trying a model; and the first run's page, which proposes the models for the seller's
//! tasks. Importing or downloading models is a job (`start_job` with `import_model`,
//! `download_model`, `import_models` or `download_models`).

use std::path::PathBuf;

use tauri::State;
use tradewind::ml::model::ModelInput;
use tradewind::ml::plan::{ModelPlan, PlanRequest};
use tradewind::ml::store::VerifiedFile;
use tradewind::{FirstRun, ModelRun, ModelStatus};

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

/// Whether to greet the seller with the first run, and what this computer offers.
#[tauri::command]
pub async fn first_run(state: State<'_, AppState>) -> Result<FirstRun, CommandError> {
    Ok(state.engine()?.first_run()?)
}

/// The seller left the first run's page: it is not shown again.
#[tauri::command]
pub async fn finish_first_run(state: State<'_, AppState>) -> Result<(), CommandError> {
    Ok(state.engine()?.finish_first_run()?)
}

/// The catalog's models for the tasks the seller ticked, chosen for this computer.
#[tauri::command]
pub async fn plan_models(
    state: State<'_, AppState>,
    request: PlanRequest,
) -> Result<ModelPlan, CommandError> {
    Ok(state.engine()?.plan_models(&request)?)
}
