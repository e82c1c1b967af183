//! Every command the UI can invoke, registered in one place.

mod jobs;
mod models;
mod shop;
mod system;
mod translations;

use tauri::Runtime;
use tauri::ipc::Invoke;

pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        shop::overview,
        shop::listings,
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
        system::doctor,
        system::save_doctor_report,
        system::language,
        system::set_language,
    ]
}

#[cfg(test)]
mod tests;
