//! Customers grouped by the month of their first order: how many of each cohort order
//! again N months later (retention), and what a cohort's customers have spent by then
//! (cumulative net sales per customer: the LTV curve). The filter chooses the orders
//! that count (a channel, a country…); a cohort may be narrowed to the customers whose
//! first order was on one channel or had one product.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use super::channels::Channel;
use super::filter::{Filter, Sql};
use super::fx;
use crate::store::Store;

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

/// Months from `from` (2025-01) to `to` (2025-03): 2.
fn months_between(from: &str, to: &str) -> Option<usize> {
    let parse = |month: &str| -> Option<i64> {
        let (year, month) = month.split_once('-')?;
        Some(year.parse::<i64>().ok()? * 12 + month.parse::<i64>().ok()? - 1)
    };
    usize::try_from(parse(to)? - parse(from)?).ok()
}

/// The cohorts of the filtered orders.
pub fn cohorts(
    store: &Store,
    filter: &Filter,
    split: &CohortSplit,
) -> Result<Cohorts, AnalyticsError> {
    fx::ensure_rates(store)?;
    let reporting = fx::reporting_currency(store)?;
    let Sql { condition, values } = filter.sql()?;
    let conn = store.connect()?;
    // Each customer's orders by month, in the filtered orders.
    let mut statement = conn
        .prepare(&format!(
            "SELECT o.customer_key, substr(o.created_at, 1, 7) AS month, coalesce(sum(o.net_reporting), 0)
             FROM orders o WHERE {condition} GROUP BY o.customer_key, month ORDER BY o.customer_key, month"
        ))
        .map_err(|error| store.error(error))?;
    let activity: Vec<(String, String, f64)> = statement
        .query_map(rusqlite::params_from_iter(&values), |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))?;
    // Who may be counted: those whose first order passes the split.
    let allowed: Option<BTreeSet<String>> = if split.first_channel.is_none()
        && split.first_product.is_none()
    {
        None
    } else {
        let mut statement = conn
            .prepare(&format!(
                "WITH firsts AS (SELECT o.customer_key, o.id, o.channel,
                        row_number() OVER (PARTITION BY o.customer_key ORDER BY o.created_at, o.id) AS n
                    FROM orders o WHERE {condition})
                 SELECT customer_key FROM firsts WHERE n = 1
                    AND (?{channel} IS NULL OR channel = ?{channel})
                    AND (?{sku} IS NULL OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = firsts.id AND l.sku = ?{sku}))",
                channel = values.len() + 1,
                sku = values.len() + 2
            ))
            .map_err(|error| store.error(error))?;
        let mut bound = values.clone();
        bound.push(
            split
                .first_channel
                .map_or(rusqlite::types::Value::Null, |channel| {
                    rusqlite::types::Value::Text(channel.key().to_string())
                }),
        );
        bound.push(
            split
                .first_product
                .clone()
                .map_or(rusqlite::types::Value::Null, rusqlite::types::Value::Text),
        );
        Some(
            statement
                .query_map(rusqlite::params_from_iter(&bound), |row| row.get(0))
                .and_then(Iterator::collect)
                .map_err(|error| store.error(error))?,
        )
    };
    let last_month = activity.iter().map(|(_, month, _)| month.clone()).max();
    let mut by_customer: HashMap<&str, Vec<(&str, f64)>> = HashMap::new();
    for (customer, month, net) in &activity {
        if allowed
            .as_ref()
            .is_none_or(|allowed| allowed.contains(customer))
        {
            by_customer.entry(customer).or_default().push((month, *net));
        }
    }
    // cohort month -> (customers, active customers per offset, net per offset)
    let mut built: BTreeMap<String, (u64, Vec<u64>, Vec<f64>)> = BTreeMap::new();
    for months in by_customer.values() {
        let Some(&(first, _)) = months.first() else {
            continue;
        };
        let Some(span) = last_month
            .as_deref()
            .and_then(|last| months_between(first, last))
        else {
            continue;
        };
        let entry = built
            .entry(first.to_string())
            .or_insert_with(|| (0, vec![0; span + 1], vec![0.0; span + 1]));
        entry.0 += 1;
        for &(month, net) in months {
            if let Some(offset) = months_between(first, month).filter(|offset| *offset <= span) {
                entry.1[offset] += 1;
                entry.2[offset] += net;
            }
        }
    }
    let cohorts = built
        .into_iter()
        .map(|(month, (customers, active, net))| {
            let size = customers.max(1) as f64;
            let mut running = 0.0;
            Cohort {
                month,
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
        reporting_currency: reporting,
        cohorts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_across_years() {
        assert_eq!(months_between("2024-11", "2025-02"), Some(3));
        assert_eq!(months_between("2025-02", "2025-02"), Some(0));
        assert_eq!(months_between("2025-03", "2025-02"), None);
    }
}
