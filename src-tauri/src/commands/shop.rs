//! What the store holds, for the Listings and Analytics views, and a product file
//! looked at before it is imported.

use tauri::State;
use tradewind::analytics::OrdersSummary;
use tradewind::listings::ListingSummary;
use tradewind::overview::Overview;

use crate::{AppState, CommandError};

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> Result<Overview, CommandError> {
    Ok(state.engine()?.overview()?)
}

#[tauri::command]
pub async fn listings(state: State<'_, AppState>) -> Result<Vec<ListingSummary>, CommandError> {
    Ok(state.engine()?.listings()?)
}

/// A product file's columns and proposed mapping, before importing it.
#[tauri::command]
pub async fn preview_listings_file(
    state: State<'_, AppState>,
    path: std::path::PathBuf,
) -> Result<tradewind::ListingsFilePreview, CommandError> {
    super::blocking(state, move |engine| engine.preview_listings_file(&path)).await
}

#[tauri::command]
pub async fn orders_summary(state: State<'_, AppState>) -> Result<OrdersSummary, CommandError> {
    Ok(state.engine()?.orders_summary()?)
}
