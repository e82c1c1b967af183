//! The stock levels and lead times the seller enters per SKU (migration 0014).

use serde::{Deserialize, Serialize};

use crate::analytics::AnalyticsError;
use crate::store::Store;

/// The longest lead time taken: two years.
const MAX_LEAD_TIME_WEEKS: f64 = 104.0;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StockLevel {
    pub sku: String,
    pub units: i64,
    pub lead_time_weeks: f64,
}

pub fn levels(store: &Store) -> Result<Vec<StockLevel>, AnalyticsError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare("SELECT sku, units, lead_time_weeks FROM stock_levels ORDER BY sku")
        .map_err(|error| store.error(error))?;
    statement
        .query_map([], |row| {
            Ok(StockLevel {
                sku: row.get(0)?,
                units: row.get(1)?,
                lead_time_weeks: row.get(2)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error).into())
}

/// Records the seller's stock of `level.sku`, replacing what they entered before.
pub fn set(store: &Store, level: &StockLevel) -> Result<(), AnalyticsError> {
    let bad = |detail: &str| AnalyticsError::BadStock {
        sku: level.sku.clone(),
        detail: detail.to_string(),
    };
    if level.sku.trim().is_empty() {
        return Err(bad("give the SKU the stock is of"));
    }
    if level.units < 0 {
        return Err(bad("the units in stock cannot be below 0"));
    }
    if !(0.0..=MAX_LEAD_TIME_WEEKS).contains(&level.lead_time_weeks) {
        return Err(bad("the lead time is weeks from 0 to 104"));
    }
    let conn = store.connect()?;
    conn.execute(
        "INSERT INTO stock_levels (sku, units, lead_time_weeks, updated_at)
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
         ON CONFLICT (sku) DO UPDATE SET units = excluded.units,
             lead_time_weeks = excluded.lead_time_weeks, updated_at = excluded.updated_at",
        rusqlite::params![level.sku.trim(), level.units, level.lead_time_weeks],
    )
    .map_err(|error| store.error(error))?;
    Ok(())
}
