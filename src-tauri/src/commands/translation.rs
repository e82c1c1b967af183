//! Reviewing listing translations (the stored translations, the seller's edits and
//! approvals, a field translated again), the marketplaces' limits, the models chosen
//! per language and the glossary. Translating runs as a job (`start_job` with
//! `translate_listings`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use tauri::State;
use tradewind::listings::rules::Violation;
use tradewind::listings::translate::glossary::Entry;
use tradewind::listings::translate::{Review, StoredTranslation};
use tradewind::ml::route::EngineChoice;

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

#[tauri::command]
pub async fn marketplaces(state: State<'_, AppState>) -> Result<Vec<String>, CommandError> {
    Ok(state.engine()?.marketplaces()?)
}

/// The translations over `marketplace`'s length limits, each with what is too long.
#[tauri::command]
pub async fn marketplace_violations(
    state: State<'_, AppState>,
    marketplace: String,
) -> Result<Vec<(StoredTranslation, Vec<Violation>)>, CommandError> {
    Ok(state.engine()?.marketplace_violations(&marketplace)?)
}

#[tauri::command]
pub async fn glossary(state: State<'_, AppState>) -> Result<Vec<Entry>, CommandError> {
    Ok(state.engine()?.glossary()?)
}

#[tauri::command]
pub async fn set_glossary_entry(
    state: State<'_, AppState>,
    entry: Entry,
) -> Result<(), CommandError> {
    Ok(state.engine()?.set_glossary_entry(&entry)?)
}

#[tauri::command]
pub async fn remove_glossary_entry(
    state: State<'_, AppState>,
    source: String,
    language: String,
) -> Result<bool, CommandError> {
    Ok(state.engine()?.remove_glossary_entry(&source, &language)?)
}

/// Adds or replaces the entries of a glossary CSV (source, language, target).
#[tauri::command]
pub async fn import_glossary(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<usize, CommandError> {
    blocking(state, move |engine| engine.import_glossary(&path)).await
}

#[tauri::command]
pub async fn export_glossary(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<usize, CommandError> {
    blocking(state, move |engine| engine.export_glossary(&path)).await
}

/// Per target language the catalog reaches from `source`, the family of models used
/// by default.
#[tauri::command]
pub async fn default_engines(
    state: State<'_, AppState>,
    source: String,
    targets: Vec<String>,
) -> Result<BTreeMap<String, EngineChoice>, CommandError> {
    Ok(state.engine()?.default_engines(&source, &targets)?)
}
