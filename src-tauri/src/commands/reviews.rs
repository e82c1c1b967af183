//! The Analytics view's Reviews tab: what the reviews say per product, and a reviews
//! export imported.

use std::path::PathBuf;

use tauri::State;
use tradewind::analytics::reviews::{ImportedReviews, ReviewsSummary};

use super::blocking;
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn reviews_summary(state: State<'_, AppState>) -> Result<ReviewsSummary, CommandError> {
    blocking(state, move |engine| engine.reviews_summary(None)).await
}

#[tauri::command]
pub async fn import_reviews(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<ImportedReviews, CommandError> {
    blocking(state, move |engine| engine.import_reviews(&path, None)).await
}
