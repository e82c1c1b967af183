//! Every command the UI can invoke, registered in one place.

mod assistant;
mod customers;
mod exports;
mod forecast;
mod health;
mod jobs;
mod models;
mod photos;
mod recommendations;
mod reports;
mod reviews;
mod segments;
mod settings;
mod shop;
mod translation;

use tauri::ipc::Invoke;
use tauri::{Runtime, State};
use tradewind::Engine;

#[cfg(test)]
pub use photos::PhotoView;

use crate::{AppState, CommandError};

/// Runs engine work that reads large files or computes off the async workers.
async fn blocking<T: Send + 'static>(
    state: State<'_, AppState>,
    work: impl FnOnce(Engine) -> Result<T, tradewind::Error> + Send + 'static,
) -> Result<T, CommandError> {
    let engine = state.engine()?;
    tauri::async_runtime::spawn_blocking(move || work(engine))
        .await
        .map_err(|error| CommandError {
            kind: tradewind::ErrorKind::Internal,
            message: error.to_string(),
        })?
        .map_err(CommandError::from)
}

pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        assistant::draft_reply,
        assistant::stop_writing,
        assistant::import_messages,
        assistant::buyer_messages,
        assistant::shop_policies,
        assistant::set_shop_policies,
        assistant::shorten_field,
        assistant::draft_listing_copy,
        shop::overview,
        shop::listings,
        shop::preview_listings_file,
        photos::photos,
        photos::photo,
        photos::photo_vocabulary,
        photos::photo_categories,
        photos::correct_photo_tags,
        photos::add_photo_label,
        photos::reset_photo_learning,
        photos::edit_photo_alt_text,
        photos::photo_marketplaces,
        photos::sidecar_naming,
        photos::set_sidecar_naming,
        photos::write_photo_sidecars,
        photos::export_photos_table,
        photos::fill_shopify_from_photos,
        shop::orders_summary,
        customers::dashboard,
        customers::rfm,
        customers::customer_groups,
        customers::match_suggestions,
        customers::decide_match,
        customers::cohorts,
        recommendations::recommendations,
        recommendations::next_products,
        recommendations::also_bought,
        forecast::forecast,
        forecast::set_stock_level,
        reports::write_report,
        reviews::reviews_summary,
        reviews::import_reviews,
        reviews::preview_reviews_file,
        segments::segments,
        segments::segment_exports_anonymised,
        segments::export_segment,
        customers::preview_orders_file,
        customers::orders,
        customers::reporting_currency,
        customers::set_reporting_currency,
        jobs::jobs,
        jobs::start_job,
        jobs::resume_job,
        jobs::cancel_job,
        models::models,
        models::verify_model,
        models::remove_model,
        models::choose_writer,
        models::run_model,
        models::first_run,
        models::finish_first_run,
        models::plan_models,
        settings::device_status,
        settings::set_device,
        settings::compute_settings,
        settings::set_compute_settings,
        settings::language,
        settings::set_language,
        settings::back_up,
        settings::restore_backup,
        settings::move_data_folder,
        settings::delete_all_data,
        translation::listing_translations,
        translation::review_translation,
        translation::retranslate_field,
        translation::marketplaces,
        translation::marketplace_violations,
        translation::default_engines,
        translation::glossary,
        translation::set_glossary_entry,
        translation::remove_glossary_entry,
        translation::import_glossary,
        translation::export_glossary,
        exports::fill_shopify_translations,
        exports::export_translations_table,
        exports::export_translated_copies,
        health::doctor,
        health::save_doctor_report,
    ]
}

#[cfg(test)]
mod tests;
