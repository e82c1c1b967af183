//! Translations sent out: copies of the seller's product file per language, Shopify's
//! translations file filled in, and every translation as a table.

use std::path::PathBuf;

use tauri::State;
use tradewind::listings::output::WrittenCopy;
use tradewind::listings::output::shopify_translations::FilledReport;

use super::blocking;
use crate::{AppState, CommandError};

/// Fills in the translations file the shop exported, writing the result to `out`.
#[tauri::command]
pub async fn fill_shopify_translations(
    state: State<'_, AppState>,
    shop_export: PathBuf,
    out: PathBuf,
) -> Result<FilledReport, CommandError> {
    blocking(state, move |engine| {
        engine.fill_shopify_translations(&shop_export, &out)
    })
    .await
}

/// Every translation as a CSV, XLSX or JSON table, by `out`'s extension, with the
/// limits of `marketplace` each breaks.
#[tauri::command]
pub async fn export_translations_table(
    state: State<'_, AppState>,
    out: PathBuf,
    marketplace: Option<String>,
) -> Result<usize, CommandError> {
    blocking(state, move |engine| {
        engine.export_translations_table(&out, marketplace.as_deref())
    })
    .await
}

/// A translated copy of the seller's product file per language, beside it.
#[tauri::command]
pub async fn export_translated_copies(
    state: State<'_, AppState>,
    original: PathBuf,
) -> Result<Vec<WrittenCopy>, CommandError> {
    blocking(state, move |engine| {
        engine.export_translated_copies(&original, None, &[])
    })
    .await
}
