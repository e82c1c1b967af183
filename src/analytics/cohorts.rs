//! Customers grouped by the month of their first order: how many of each cohort order
//! again N months later (retention), and what a cohort's customers have spent by then
//! (cumulative net sales per customer: the LTV curve). The filter chooses the orders
//! that count (a channel, a country…); a cohort may be narrowed to the customers whose
//! first order was on one channel or had one product.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use super::channels::Channel;
use super::filter::Filter;
use super::frame::OrdersFrame;

/// Which first orders make a cohort's customers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct CohortSplit {
    /// Only customers whose first order was on this channel.
    pub first_channel: Option<Channel>,
    /// Only customers whose first order had this SKU.
    pub first_product: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Cohort {
    /// The month of the first order, like 2025-03.
    pub month: String,
    pub customers: u64,
    /// For month 0, 1, 2, …: the share of the cohort's customers who ordered that month
    /// (month 0 is 1.0), up to the last month of data.
    pub retention: Vec<f64>,
    /// For month 0, 1, 2, …: net sales per customer so far, in the reporting currency.
    pub value_per_customer: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Cohorts {
    pub reporting_currency: String,
    pub cohorts: Vec<Cohort>,
}

/// The month of a day (days from the common era), as months from year 0.
fn month_of(day: i32) -> Option<i32> {
    let date = NaiveDate::from_num_days_from_ce_opt(day)?;
    Some(date.year() * 12 + date.month0() as i32)
}

/// A month as months from year 0, written like 2025-03.
fn month_name(month: i32) -> String {
    format!(
        "{:04}-{:02}",
        month.div_euclid(12),
        month.rem_euclid(12) + 1
    )
}

/// Whether a customer whose first order (in the filter) is `order` belongs in a cohort
/// split by `split`.
fn first_order_passes(frame: &OrdersFrame, order: u32, split: &CohortSplit) -> bool {
    let index = order as usize;
    split
        .first_channel
        .is_none_or(|channel| frame.orders.channel[index] == channel)
        && split.first_product.as_deref().is_none_or(|sku| {
            frame
                .orders
                .lines(order)
                .any(|line| &*frame.items[frame.lines.item[line] as usize].sku == sku)
        })
}

/// The cohorts of the filtered orders.
pub fn cohorts(
    frame: &OrdersFrame,
    filter: &Filter,
    split: &CohortSplit,
) -> Result<Cohorts, AnalyticsError> {
    let selection = frame.select(filter)?;
    let orders = &frame.orders;
    let month = |order: u32| month_of(orders.day[order as usize]);
    let Some(last_month) = selection
        .orders
        .iter()
        .filter_map(|order| month(*order))
        .max()
    else {
        return Ok(Cohorts {
            reporting_currency: frame.reporting.clone(),
            cohorts: Vec::new(),
        });
    };
    // Per customer: the month of their cohort (of their first order in the filter) or
    // none when the split leaves them out, and the last month they were counted active.
    let mut cohort_of: Vec<Option<Option<i32>>> = vec![None; frame.customers.len()];
    let mut counted: Vec<i32> = vec![i32::MIN; frame.customers.len()];
    // cohort month -> (customers, active customers per offset, net per offset)
    let mut built: BTreeMap<i32, (u64, Vec<u64>, Vec<f64>)> = BTreeMap::new();
    // Orders come in time order: a customer's first is their cohort's, and their
    // months never go back.
    for &order in &selection.orders {
        let Some(month) = month(order) else {
            continue;
        };
        let customer = orders.customer[order as usize] as usize;
        let first = *cohort_of[customer]
            .get_or_insert_with(|| first_order_passes(frame, order, split).then_some(month));
        let Some(first) = first else {
            continue;
        };
        let span = (last_month - first) as usize;
        let entry = built
            .entry(first)
            .or_insert_with(|| (0, vec![0; span + 1], vec![0.0; span + 1]));
        let offset = (month - first) as usize;
        if offset == 0 && counted[customer] == i32::MIN {
            entry.0 += 1;
        }
        if counted[customer] != month {
            entry.1[offset] += 1;
            counted[customer] = month;
        }
        entry.2[offset] += orders.net[order as usize];
    }
    let cohorts = built
        .into_iter()
        .map(|(month, (customers, active, net))| {
            let size = customers.max(1) as f64;
            let mut running = 0.0;
            Cohort {
                month: month_name(month),
                customers,
                retention: active.iter().map(|count| *count as f64 / size).collect(),
                value_per_customer: net
                    .iter()
                    .map(|value| {
                        running += value;
                        running / size
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Cohorts {
        reporting_currency: frame.reporting.clone(),
        cohorts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_counted_across_years_and_named_back() {
        let day = |text: &str| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .unwrap()
                .num_days_from_ce()
        };
        let (november, february) = (
            month_of(day("2024-11-30")).unwrap(),
            month_of(day("2025-02-01")).unwrap(),
        );
        assert_eq!(february - november, 3);
        assert_eq!(month_name(november), "2024-11");
        assert_eq!(month_name(february), "2025-02");
    }
}
