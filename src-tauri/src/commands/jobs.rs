//! Starting, resuming and cancelling jobs; their progress streams over a Channel.

use std::sync::Arc;

use tauri::State;
use tauri::ipc::Channel;
use tradewind::jobs::JobId;
use tradewind::{Engine, Job, JobEvent, JobSpec, PreparedWork};

use crate::{AppState, CommandError};

#[tauri::command]
pub async fn jobs(state: State<'_, AppState>) -> Result<Vec<Job>, CommandError> {
    Ok(state.engine()?.jobs()?)
}

/// Records the job and returns its id at once; the work runs in the background and
/// reports on `on_event`, ending with its `finished` event.
#[tauri::command]
pub async fn start_job(
    state: State<'_, AppState>,
    spec: JobSpec,
    on_event: Channel<JobEvent>,
) -> Result<JobId, CommandError> {
    let engine = state.engine()?;
    let id = engine.create_job(&spec)?;
    run_in_background(engine.prepare_job(id)?, on_event);
    Ok(id)
}

/// Continues an interrupted, cancelled or failed job; a job that may not resume is
/// refused here, before anything runs.
#[tauri::command]
pub async fn resume_job(
    state: State<'_, AppState>,
    id: JobId,
    on_event: Channel<JobEvent>,
) -> Result<(), CommandError> {
    run_in_background(state.engine()?.prepare_job(id)?, on_event);
    Ok(())
}

/// Returns false when the job is not running in this app.
#[tauri::command]
pub async fn cancel_job(state: State<'_, AppState>, id: JobId) -> Result<bool, CommandError> {
    Ok(state.engine()?.cancel_job(id))
}

fn run_in_background(job: PreparedWork, channel: Channel<JobEvent>) {
    let observer = Arc::new(move |event: JobEvent| {
        if let Err(error) = channel.send(event) {
            tracing::debug!(%error, "the window stopped listening to job progress");
        }
    });
    tauri::async_runtime::spawn(async move {
        // The outcome, failure included, reaches the window as the `finished` event.
        if let Err(error) = Engine::run_prepared(job, observer).await {
            tracing::info!(%error, "a job failed");
        }
    });
}
