//! `tradewind analytics forecast|stock`: demand per SKU with its backtest, and the stock
//! levels and lead times the reorder hints come from.

use tradewind::analytics::forecast::StockLevel;
use tradewind::analytics::{AnalyticsError, Filter};
use tradewind::{Engine, Error};

use super::print::json;

pub fn forecast(
    engine: &Engine,
    filter: &Filter,
    weeks: u32,
    sku: Option<&str>,
    as_json: bool,
) -> Result<(), Error> {
    let mut report = engine.forecast(filter, weeks)?;
    if let Some(sku) = sku {
        report.products.retain(|product| product.sku == sku);
        if report.products.is_empty() {
            return Err(AnalyticsError::NotInOrders {
                what: "SKU",
                key: sku.to_string(),
            }
            .into());
        }
    }
    if as_json {
        json(&report);
        return Ok(());
    }
    let backtest = &report.backtest;
    println!(
        "weeks ending {}; backtest on the last {} weeks of {} SKUs: {:.2} units off a week (the history's mean: {:.2})",
        report.last_day, backtest.weeks, backtest.products, backtest.mae, backtest.mean_mae
    );
    println!(
        "  {:<14} {:<32} {:<8} {:>8} {:>15} {:>9}  reorder",
        "SKU",
        "product",
        "method",
        "a week",
        "80 % interval",
        format!("{} weeks", report.horizon_weeks)
    );
    for product in &report.products {
        let advice = product
            .stock
            .as_ref()
            .map_or(String::new(), |stock| match stock.order {
                Some(order) => format!(
                    "order {order} now ({} in stock, reorder at {:.0})",
                    stock.units, stock.reorder_point
                ),
                None => format!(
                    "{} in stock: {} weeks",
                    stock.units,
                    stock
                        .weeks_of_cover
                        .map_or("—".to_string(), |weeks| format!("{weeks:.0}"))
                ),
            });
        println!(
            "  {:<14} {:<32} {:<8} {:>8.2} {:>6.1} – {:<6.1} {:>9.0}  {advice}",
            product.sku,
            product.name.chars().take(32).collect::<String>(),
            product.method.name(),
            product.weekly,
            product.low,
            product.high,
            product.horizon_units
        );
    }
    Ok(())
}

pub fn stock(engine: &Engine, set: Option<(String, i64, f64)>, as_json: bool) -> Result<(), Error> {
    if let Some((sku, units, lead_time_weeks)) = set {
        engine.set_stock_level(&StockLevel {
            sku,
            units,
            lead_time_weeks,
        })?;
    }
    let levels = engine.stock_levels()?;
    if as_json {
        json(&levels);
        return Ok(());
    }
    for level in &levels {
        println!(
            "{:<24} {:>6} units, lead time {} weeks",
            level.sku, level.units, level.lead_time_weeks
        );
    }
    Ok(())
}
