//! The Analytics view: the dashboard for a filter, customers with their RFM groups,
//! cohorts, an orders file looked at before import, and the reporting currency.
//! Importing orders is a job (`start_job` with `import_orders`).

use std::path::PathBuf;

use tauri::State;
use tradewind::analytics::cohorts::{CohortSplit, Cohorts};
use tradewind::analytics::metrics::{Dashboard, Granularity};
use tradewind::analytics::rfm::RfmReport;
use tradewind::analytics::{Filter, OrdersPreview};

use super::blocking;
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn dashboard(
    state: State<'_, AppState>,
    filter: Filter,
    granularity: Granularity,
) -> Result<Dashboard, CommandError> {
    blocking(state, move |engine| engine.dashboard(&filter, granularity)).await
}

/// The customers the Analytics view lists of a group (or of all): its tables show 100.
const CUSTOMERS_SHOWN: usize = 100;

#[tauri::command]
pub async fn rfm(state: State<'_, AppState>, filter: Filter) -> Result<RfmReport, CommandError> {
    blocking(state, move |engine| engine.rfm(&filter, CUSTOMERS_SHOWN)).await
}

#[tauri::command]
pub async fn cohorts(
    state: State<'_, AppState>,
    filter: Filter,
    split: CohortSplit,
) -> Result<Cohorts, CommandError> {
    blocking(state, move |engine| engine.cohorts(&filter, &split)).await
}

#[tauri::command]
pub async fn preview_orders_file(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<OrdersPreview, CommandError> {
    blocking(state, move |engine| engine.preview_orders_file(&path)).await
}

#[tauri::command]
pub async fn reporting_currency(state: State<'_, AppState>) -> Result<String, CommandError> {
    Ok(state.engine()?.reporting_currency()?)
}

/// Changes the reporting currency; every order is converted again.
#[tauri::command]
pub async fn set_reporting_currency(
    state: State<'_, AppState>,
    currency: String,
) -> Result<(), CommandError> {
    blocking(state, move |engine| {
        engine.set_reporting_currency(&currency)
    })
    .await
}

/// One customer's RFM group at the end of each month, for their profile.
#[tauri::command]
pub async fn customer_groups(
    state: State<'_, AppState>,
    filter: Filter,
    customer: String,
) -> Result<Vec<tradewind::analytics::rfm_history::GroupAt>, CommandError> {
    blocking(state, move |engine| {
        engine.customer_groups(&filter, &customer)
    })
    .await
}

/// Buyers known only by a channel who may be another channel's customer.
#[tauri::command]
pub async fn match_suggestions(
    state: State<'_, AppState>,
) -> Result<Vec<tradewind::analytics::matching::MatchSuggestion>, CommandError> {
    blocking(state, |engine| engine.match_suggestions()).await
}

/// The seller's answer on a suggested pair.
#[tauri::command]
pub async fn decide_match(
    state: State<'_, AppState>,
    customer: String,
    with: String,
    same: bool,
) -> Result<(), CommandError> {
    blocking(state, move |engine| {
        engine.decide_match(&customer, &with, same)
    })
    .await
}

/// The orders behind a chart or a segment, or one customer's; at most 200.
#[tauri::command]
pub async fn orders(
    state: State<'_, AppState>,
    filter: Filter,
    customer: Option<String>,
) -> Result<Vec<tradewind::analytics::orders_list::OrderRow>, CommandError> {
    blocking(state, move |engine| {
        engine.orders(&filter, customer.as_deref(), 200)
    })
    .await
}
