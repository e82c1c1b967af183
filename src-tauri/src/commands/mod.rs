//! Every command the UI can invoke, registered in one place.

mod jobs;
mod models;
mod shop;
mod system;
mod translations;

use tauri::ipc::Invoke;
use tauri::{Runtime, State};
use tradewind::Engine;

use crate::{AppState, CommandError};

/// Runs engine work that reads large files or computes off the async workers.
async fn blocking<T: Send + 'static>(
    state: State<'_, AppState>,
    work: impl FnOnce(Engine) -> Result<T, tradewind::Error> + Send + 'static,
) -> Result<T, CommandError> {
    let engine = state.engine()?.clone();
    tauri::async_runtime::spawn_blocking(move || work(engine))
        .await
        .map_err(|error| CommandError {
            kind: "internal",
            message: error.to_string(),
        })?
        .map_err(CommandError::from)
}

pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        shop::overview,
        shop::listings,
        shop::preview_listings_file,
        shop::photos,
        shop::orders_summary,
        jobs::jobs,
        jobs::start_job,
        jobs::resume_job,
        jobs::cancel_job,
        models::models,
        models::verify_model,
        models::remove_model,
        models::device_status,
        models::set_device,
        models::run_model,
        models::compute_settings,
        models::set_compute_settings,
        translations::listing_translations,
        translations::review_translation,
        translations::retranslate_field,
        translations::fill_shopify_translations,
        translations::export_translations_table,
        translations::export_translated_copies,
        translations::marketplaces,
        translations::default_engines,
        translations::glossary,
        translations::set_glossary_entry,
        translations::remove_glossary_entry,
        translations::import_glossary,
        translations::export_glossary,
        translations::marketplace_violations,
        system::doctor,
        system::save_doctor_report,
        system::language,
        system::set_language,
    ]
}

#[cfg(test)]
mod tests;
