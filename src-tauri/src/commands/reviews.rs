//! The Analytics view's Reviews tab: what the reviews say per product, and a reviews
//! export imported (a file of the seller's own layout through the mapping they confirm).

use std::path::PathBuf;

use tauri::State;
use tradewind::analytics::reviews::{
    ImportedReviews, ReviewMapping, ReviewsPreview, ReviewsSummary,
};

use super::blocking;
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn reviews_summary(state: State<'_, AppState>) -> Result<ReviewsSummary, CommandError> {
    blocking(state, move |engine| engine.reviews_summary(None)).await
}

#[tauri::command]
pub async fn preview_reviews_file(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<ReviewsPreview, CommandError> {
    blocking(state, move |engine| engine.preview_reviews_file(&path)).await
}

#[tauri::command]
pub async fn import_reviews(
    state: State<'_, AppState>,
    path: PathBuf,
    mapping: Option<ReviewMapping>,
) -> Result<ImportedReviews, CommandError> {
    blocking(state, move |engine| {
        engine.import_reviews(&path, mapping.as_ref())
    })
    .await
}
