//! The health report.

use std::path::PathBuf;

use tauri::State;
use tradewind::doctor::DoctorReport;

use crate::{AppState, CommandError};

#[tauri::command]
pub async fn doctor(state: State<'_, AppState>) -> Result<DoctorReport, CommandError> {
    Ok(state.engine()?.doctor()?)
}

/// Writes the health report as JSON where the seller chose in the save dialog.
#[tauri::command]
pub async fn save_doctor_report(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<(), CommandError> {
    Ok(state.engine()?.save_doctor_report(&path)?)
}
