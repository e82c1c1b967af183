//! Demand per SKU, week by week, and what to reorder: each product's weekly units since
//! its first sale, a forecast method chosen per product by its error on held-out weeks
//! (`methods`), a prediction interval from its one-step errors, and, where the seller
//! gave a stock level and lead time (`stock`), when and how much to reorder.
//!
//! The backtest is kept apart from the choice, so its error is not flattered: the method
//! is chosen on the weeks before the last `held` weeks, then fitted again without those
//! last weeks and scored on them, beside the history's mean scored the same way.

mod methods;
pub mod stock;

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

pub use methods::ForecastMethod;
use methods::fit;
pub use stock::StockLevel;

use super::AnalyticsError;
use super::filter::Filter;
use super::frame::OrdersFrame;

/// Weeks shown of each product's recent sales.
const RECENT_WEEKS: usize = 26;
/// The fewest weeks of sales for a method to be chosen and backtested; with less the
/// forecast is the mean.
const MIN_WEEKS: usize = 16;
/// z of a one-sided 95 % service level (the reorder point) and of an 80 % interval.
const Z_SERVICE: f64 = 1.645;
const Z_INTERVAL: f64 = 1.2816;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ForecastReport {
    /// The last day of the orders forecast from (weeks end on it).
    pub last_day: String,
    pub horizon_weeks: u32,
    pub backtest: Backtest,
    /// Products by forecast units, most first.
    pub products: Vec<ProductForecast>,
}

/// The forecasts' error on the last weeks they did not see, against the history's mean.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Backtest {
    /// Weeks held out.
    pub weeks: u32,
    /// Products with history enough to be backtested.
    pub products: u32,
    /// Mean absolute error in units per product-week, of the chosen methods.
    pub mae: f64,
    /// The same for the history's mean.
    pub mean_mae: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProductForecast {
    /// The SKU, or the product's name where the exports gave none (what stock is kept by).
    pub sku: String,
    pub name: String,
    pub method: ForecastMethod,
    /// Units per week.
    pub weekly: f64,
    /// 80 % prediction interval of one week's units.
    pub low: f64,
    pub high: f64,
    /// Units over the horizon.
    pub horizon_units: f64,
    pub weeks_of_history: u32,
    /// Units sold in each of the last weeks, oldest first.
    pub recent: Vec<u32>,
    /// Mean absolute error on the held-out weeks (None without history enough).
    pub backtest_mae: Option<f64>,
    pub stock: Option<StockAdvice>,
}

/// What the seller's stock level and lead time mean for this product.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StockAdvice {
    pub units: i64,
    pub lead_time_weeks: f64,
    /// Units that cover the lead time at a 95 % service level: reorder at or below it.
    pub reorder_point: f64,
    /// Weeks the stock lasts at the forecast demand (None when nothing sells).
    pub weeks_of_cover: Option<f64>,
    /// Units to order now to cover the lead time and the horizon (None: not yet).
    pub order: Option<i64>,
}

/// Each product's units in each week ending on `last`, from the week of its first sale.
fn weekly_units(frame: &OrdersFrame, orders: &[u32], last: i32) -> HashMap<u32, Vec<f64>> {
    let mut series: HashMap<u32, Vec<f64>> = HashMap::default();
    for &order in orders {
        let day = frame.orders.day[order as usize];
        if day == i32::MIN || day > last {
            continue;
        }
        let weeks_back = ((last - day) / 7) as usize;
        for line in frame.orders.lines(order) {
            let product = frame.items[frame.lines.item[line] as usize].product;
            let weeks = series.entry(product).or_default();
            if weeks.len() <= weeks_back {
                weeks.resize(weeks_back + 1, 0.0);
            }
            weeks[weeks_back] += frame.lines.quantity[line].max(0) as f64;
        }
    }
    for weeks in series.values_mut() {
        weeks.reverse();
    }
    series
}

fn mean_absolute_error(actual: &[f64], forecast: f64) -> f64 {
    actual
        .iter()
        .map(|units| (units - forecast).abs())
        .sum::<f64>()
        / actual.len().max(1) as f64
}

/// The method with the smallest error on `check` after fitting on `train`.
fn choose(train: &[f64], check: &[f64]) -> ForecastMethod {
    ForecastMethod::ALL
        .into_iter()
        .map(|method| {
            (
                method,
                mean_absolute_error(check, fit(method, train).weekly),
            )
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(ForecastMethod::Mean, |(method, _)| method)
}

/// A product's forecast from its weekly `history`, with its backtest errors (chosen
/// method, mean) when the history allows one.
fn forecast_one(history: &[f64], held: usize) -> (ForecastMethod, f64, f64, Option<(f64, f64)>) {
    let weeks = history.len();
    let (method, backtest) = if weeks >= MIN_WEEKS.max(3 * held) {
        let (before, last) = history.split_at(weeks - held);
        let method = choose(
            &before[..before.len() - held],
            &before[before.len() - held..],
        );
        let errors = (
            mean_absolute_error(last, fit(method, before).weekly),
            mean_absolute_error(last, fit(ForecastMethod::Mean, before).weekly),
        );
        (method, Some(errors))
    } else {
        (ForecastMethod::Mean, None)
    };
    let fitted = fit(method, history);
    let spread = (fitted.errors.iter().map(|error| error * error).sum::<f64>()
        / fitted.errors.len().max(1) as f64)
        .sqrt();
    (method, fitted.weekly, spread, backtest)
}

/// Forecasts for the products of the orders `filter` keeps, `horizon_weeks` ahead, with
/// the seller's `stock` levels by SKU.
pub fn forecast(
    frame: &OrdersFrame,
    filter: &Filter,
    horizon_weeks: u32,
    stock: &[StockLevel],
) -> Result<ForecastReport, AnalyticsError> {
    let selection = frame.select(filter)?;
    let last = selection
        .orders
        .iter()
        .map(|order| frame.orders.day[*order as usize])
        .filter(|day| *day != i32::MIN)
        .max();
    let Some(last) = last else {
        return Ok(ForecastReport {
            last_day: String::new(),
            horizon_weeks,
            backtest: Backtest {
                weeks: 0,
                products: 0,
                mae: 0.0,
                mean_mae: 0.0,
            },
            products: Vec::new(),
        });
    };
    let stock: HashMap<&str, &StockLevel> = stock
        .iter()
        .map(|level| (level.sku.as_str(), level))
        .collect();
    let held = (horizon_weeks as usize).clamp(4, 13);
    let (mut errors, mut mean_errors, mut backtested) = (0.0, 0.0, 0u32);
    let mut products: Vec<ProductForecast> = weekly_units(frame, &selection.orders, last)
        .into_iter()
        .map(|(product, history)| {
            let (method, weekly, spread, backtest) = forecast_one(&history, held);
            if let Some((error, mean_error)) = backtest {
                errors += error;
                mean_errors += mean_error;
                backtested += 1;
            }
            // The product's key is its SKU, or its name where the exports gave none: what
            // the seller's stock level is entered against.
            let (key, _, name) = &frame.products[product as usize];
            let horizon = f64::from(horizon_weeks);
            ProductForecast {
                sku: key.to_string(),
                name: name.to_string(),
                method,
                weekly,
                low: (weekly - Z_INTERVAL * spread).max(0.0),
                high: weekly + Z_INTERVAL * spread,
                horizon_units: weekly * horizon,
                weeks_of_history: history.len() as u32,
                recent: history[history.len().saturating_sub(RECENT_WEEKS)..]
                    .iter()
                    .map(|units| *units as u32)
                    .collect(),
                backtest_mae: backtest.map(|(error, _)| error),
                stock: stock
                    .get(&**key)
                    .map(|level| advise(level, weekly, spread, horizon)),
            }
        })
        .collect();
    products.sort_by(|a, b| {
        b.horizon_units
            .total_cmp(&a.horizon_units)
            .then(a.sku.cmp(&b.sku))
    });
    let count = f64::from(backtested.max(1));
    Ok(ForecastReport {
        last_day: chrono::NaiveDate::from_num_days_from_ce_opt(last)
            .map_or_else(String::new, |day| day.to_string()),
        horizon_weeks,
        backtest: Backtest {
            weeks: held as u32,
            products: backtested,
            mae: errors / count,
            mean_mae: mean_errors / count,
        },
        products,
    })
}

/// The reorder point over the lead time at a 95 % service level (weekly errors taken as
/// independent), and what to order when the stock is at or below it.
fn advise(level: &StockLevel, weekly: f64, spread: f64, horizon: f64) -> StockAdvice {
    let lead = level.lead_time_weeks.max(0.0);
    let reorder_point = weekly * lead + Z_SERVICE * spread * lead.sqrt();
    let units = level.units as f64;
    StockAdvice {
        units: level.units,
        lead_time_weeks: lead,
        reorder_point,
        weeks_of_cover: (weekly > 0.0).then(|| units / weekly),
        order: (units <= reorder_point)
            .then(|| (reorder_point + weekly * horizon - units).ceil() as i64)
            .filter(|order| *order > 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_seller_is_backtested_and_reordered_at_its_lead_time_demand() {
        let history: Vec<f64> = (0..60)
            .map(|week| 10.0 + f64::from(week % 3) - 1.0)
            .collect();
        let (_, weekly, spread, backtest) = forecast_one(&history, 8);
        assert!((weekly - 10.0).abs() < 1.0, "{weekly}");
        let (error, mean_error) = backtest.unwrap();
        // The weeks go 9, 10, 11: off by about ⅔ of a unit whatever the method.
        assert!(error < 0.7 && mean_error < 0.7, "{error} {mean_error}");
        let level = StockLevel {
            sku: "MUG".into(),
            units: 25,
            lead_time_weeks: 3.0,
        };
        let advice = advise(&level, weekly, spread, 12.0);
        assert!(advice.reorder_point > 3.0 * weekly);
        let order = advice.order.unwrap();
        assert!((order as f64 - (advice.reorder_point + 12.0 * weekly - 25.0)).abs() < 1.0);
        let plenty = advise(
            &StockLevel {
                units: 500,
                ..level
            },
            weekly,
            spread,
            12.0,
        );
        assert_eq!(plenty.order, None);
        assert!((plenty.weeks_of_cover.unwrap() - 500.0 / weekly).abs() < 1e-9);
    }

    #[test]
    fn a_short_history_is_forecast_by_its_mean_without_a_backtest() {
        let (method, weekly, _, backtest) = forecast_one(&[0.0, 2.0, 4.0], 8);
        assert_eq!(method, ForecastMethod::Mean);
        assert!((weekly - 2.0).abs() < 1e-9);
        assert!(backtest.is_none());
    }
}
