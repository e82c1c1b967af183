//! The Photos view: the grid and a photo's record, the seller's tags and alt text,
//! the vocabularies and taxonomy to pick from, and the exports. Importing, tagging and
//! captioning are jobs (`start_job` with `import_photos`, `import_photo_files`,
//! `tag_photos`, `caption_photos`).

use std::path::PathBuf;

use base64::Engine as _;
use serde::Serialize;
use tauri::State;
use tradewind::photos::export::{ShopifyFilled, SidecarNaming, SidecarsWritten};
use tradewind::photos::tag_job::TagAction;
use tradewind::photos::{PhotoDetail, PhotoSummary};
use tradewind::{CategoryChoice, PhotoVocabulary};

use super::blocking;
use crate::{AppState, CommandError};

/// A photo as the grid shows it: its thumbnail inline as a data URL, since the CSP
/// allows no other image source than the app itself.
#[derive(Debug, Serialize, ts_rs::TS)]
pub struct PhotoView {
    #[serde(flatten)]
    pub photo: PhotoSummary,
    pub thumbnail: String,
}

fn data_url(jpeg: &[u8]) -> String {
    format!(
        "data:image/jpeg;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(jpeg)
    )
}

#[tauri::command]
pub async fn photos(state: State<'_, AppState>) -> Result<Vec<PhotoView>, CommandError> {
    blocking(state, |engine| engine.photos())
        .await
        .map(|photos| {
            photos
                .into_iter()
                .map(|photo| PhotoView {
                    thumbnail: data_url(&photo.thumbnail_jpeg),
                    photo,
                })
                .collect()
        })
}

#[tauri::command]
pub async fn photo(state: State<'_, AppState>, id: i64) -> Result<PhotoDetail, CommandError> {
    blocking(state, move |engine| engine.photo(id)).await
}

#[tauri::command]
pub async fn photo_vocabulary(state: State<'_, AppState>) -> Result<PhotoVocabulary, CommandError> {
    Ok(state.engine()?.photo_vocabulary()?)
}

/// Taxonomy categories whose path has every word of `query` (at most 30).
#[tauri::command]
pub async fn photo_categories(
    state: State<'_, AppState>,
    query: String,
) -> Result<Vec<CategoryChoice>, CommandError> {
    Ok(state.engine()?.photo_categories(&query, 30)?)
}

/// The seller's word on a tag across a selection; returns how many photos changed.
#[tauri::command]
pub async fn correct_photo_tags(
    state: State<'_, AppState>,
    photos: Vec<i64>,
    group: String,
    label: String,
    action: TagAction,
) -> Result<u64, CommandError> {
    Ok(state
        .engine()?
        .correct_photo_tags(&photos, &group, &label, action)?)
}

#[tauri::command]
pub async fn add_photo_label(
    state: State<'_, AppState>,
    group: String,
    label: String,
) -> Result<(), CommandError> {
    Ok(state.engine()?.add_photo_label(&group, &label)?)
}

#[tauri::command]
pub async fn reset_photo_learning(state: State<'_, AppState>) -> Result<(), CommandError> {
    Ok(state.engine()?.reset_photo_learning()?)
}

#[tauri::command]
pub async fn edit_photo_alt_text(
    state: State<'_, AppState>,
    photo: i64,
    locale: String,
    text: String,
) -> Result<(), CommandError> {
    Ok(state.engine()?.edit_photo_alt_text(photo, &locale, &text)?)
}

#[tauri::command]
pub async fn photo_marketplaces(state: State<'_, AppState>) -> Result<Vec<String>, CommandError> {
    Ok(state.engine()?.photo_marketplaces()?)
}

#[tauri::command]
pub async fn sidecar_naming(state: State<'_, AppState>) -> Result<SidecarNaming, CommandError> {
    Ok(state.engine()?.sidecar_naming()?)
}

#[tauri::command]
pub async fn set_sidecar_naming(
    state: State<'_, AppState>,
    naming: SidecarNaming,
) -> Result<(), CommandError> {
    Ok(state.engine()?.set_sidecar_naming(naming)?)
}

/// XMP sidecars beside each photo of `photos` (all when empty), or into `folder`.
#[tauri::command]
pub async fn write_photo_sidecars(
    state: State<'_, AppState>,
    photos: Vec<i64>,
    folder: Option<PathBuf>,
) -> Result<SidecarsWritten, CommandError> {
    blocking(state, move |engine| {
        engine.write_photo_sidecars(&photos, folder.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn export_photos_table(
    state: State<'_, AppState>,
    out: PathBuf,
) -> Result<usize, CommandError> {
    blocking(state, move |engine| engine.export_photos_table(&out)).await
}

/// A copy of the seller's Shopify product CSV with the photos' reviewed tags and alt
/// text (in `locale`) where the file has none.
#[tauri::command]
pub async fn fill_shopify_from_photos(
    state: State<'_, AppState>,
    original: PathBuf,
    out: PathBuf,
    locale: String,
) -> Result<ShopifyFilled, CommandError> {
    blocking(state, move |engine| {
        engine.fill_shopify_from_photos(&original, &out, &locale)
    })
    .await
}
