//! What the store holds, for the Listings, Photos and Analytics views.

use base64::Engine as _;
use serde::Serialize;
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

/// A photo as the UI shows it: its thumbnail inline as a data URL, since the CSP
/// allows no other image source than the app itself.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct PhotoView {
    id: i64,
    file_name: String,
    width: u32,
    height: u32,
    bytes: u64,
    thumbnail: String,
}

#[tauri::command]
pub async fn photos(state: State<'_, AppState>) -> Result<Vec<PhotoView>, CommandError> {
    let photos = state.engine()?.photos()?;
    Ok(photos
        .into_iter()
        .map(|photo| PhotoView {
            thumbnail: format!(
                "data:image/jpeg;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(&photo.thumbnail_jpeg)
            ),
            id: photo.id,
            file_name: photo.file_name,
            width: photo.width,
            height: photo.height,
            bytes: photo.bytes,
        })
        .collect())
}
