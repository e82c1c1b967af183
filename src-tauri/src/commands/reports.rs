//! The Analytics view's report export: the dashboard and its insights for the current
//! filter, written as HTML, PDF, XLSX or CSV where the seller chose.

use std::path::PathBuf;

use tauri::State;
use tradewind::reports::{ReportRequest, ReportWritten};

use super::blocking;
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn write_report(
    state: State<'_, AppState>,
    request: ReportRequest,
    out: PathBuf,
) -> Result<ReportWritten, CommandError> {
    blocking(state, move |engine| engine.write_report(&request, &out)).await
}
