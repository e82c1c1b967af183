//! The Analytics view's Recommendations: the recommenders scored on the seller's orders,
//! a customer's next products, a product's "also bought".

use tauri::State;
use tradewind::analytics::Filter;
use tradewind::analytics::recommend::{
    CustomerSuggestions, Method, ProductSuggestions, RecommendationReport,
};

use super::blocking;
use crate::{AppState, CommandError};

#[tauri::command]
pub async fn recommendations(
    state: State<'_, AppState>,
    filter: Filter,
) -> Result<RecommendationReport, CommandError> {
    blocking(state, move |engine| engine.recommendations(&filter)).await
}

#[tauri::command]
pub async fn next_products(
    state: State<'_, AppState>,
    filter: Filter,
    customer: String,
    method: Option<Method>,
) -> Result<CustomerSuggestions, CommandError> {
    blocking(state, move |engine| {
        engine.next_products(&filter, &customer, method)
    })
    .await
}

#[tauri::command]
pub async fn also_bought(
    state: State<'_, AppState>,
    filter: Filter,
    product: String,
) -> Result<ProductSuggestions, CommandError> {
    blocking(state, move |engine| engine.also_bought(&filter, &product)).await
}
