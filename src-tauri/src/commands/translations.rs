//! Reviewing listing translations: the stored translations, and the seller's edits and
//! approvals. Translating runs as a job (`start_job` with `translate_listings`).

use tauri::State;
use tradewind::listings::translation::{Review, StoredTranslation};

use super::blocking;
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn listing_translations(
    state: State<'_, AppState>,
) -> Result<Vec<StoredTranslation>, CommandError> {
    Ok(state.engine()?.listing_translations()?)
}

/// `text` replaces the translation for an edit; an approval keeps it.
#[tauri::command]
pub async fn review_translation(
    state: State<'_, AppState>,
    listing_id: i64,
    field: String,
    locale: String,
    text: Option<String>,
    review: Review,
) -> Result<(), CommandError> {
    Ok(state
        .engine()?
        .review_translation(listing_id, &field, &locale, text.as_deref(), review)?)
}

/// Translates one field again by machine (replacing the seller's edit), off the async
/// workers since it runs a model.
#[tauri::command]
pub async fn retranslate_field(
    state: State<'_, AppState>,
    listing_id: i64,
    field: String,
    locale: String,
) -> Result<(), CommandError> {
    blocking(state, move |engine| {
        engine.retranslate_field(listing_id, &field, &locale)
    })
    .await
}
