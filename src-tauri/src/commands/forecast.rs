//! The Analytics view's Demand tab: each SKU's forecast with its backtest, and the stock
//! levels the reorder hints come from.

use tauri::State;
use tradewind::analytics::Filter;
use tradewind::analytics::forecast::{ForecastReport, StockLevel};

use super::blocking;
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn forecast(
    state: State<'_, AppState>,
    filter: Filter,
    weeks: u32,
) -> Result<ForecastReport, CommandError> {
    blocking(state, move |engine| engine.forecast(&filter, weeks)).await
}

#[tauri::command]
pub async fn set_stock_level(
    state: State<'_, AppState>,
    level: StockLevel,
) -> Result<(), CommandError> {
    Ok(state.engine()?.set_stock_level(&level)?)
}
