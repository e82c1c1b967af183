//! Campaign segments in the Analytics view: the groups' actions, and a segment written as
//! an e-mail tool's CSV, anonymised unless the seller asks for contacts.

use std::path::PathBuf;

use tauri::State;
use tradewind::analytics::Filter;
use tradewind::analytics::segments::{EmailTool, SegmentChoice, SegmentExport, SegmentSummary};

use super::blocking;
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn segments(
    state: State<'_, AppState>,
    filter: Filter,
) -> Result<Vec<SegmentSummary>, CommandError> {
    blocking(state, move |engine| engine.segments(&filter)).await
}

#[tauri::command]
pub async fn segment_exports_anonymised(state: State<'_, AppState>) -> Result<bool, CommandError> {
    Ok(state.engine()?.segment_exports_anonymised()?)
}

#[tauri::command]
pub async fn export_segment(
    state: State<'_, AppState>,
    filter: Filter,
    choice: SegmentChoice,
    tool: EmailTool,
    anonymise: bool,
    out: PathBuf,
) -> Result<SegmentExport, CommandError> {
    blocking(state, move |engine| {
        engine.export_segment(&filter, &choice, tool, Some(anonymise), &out)
    })
    .await
}
