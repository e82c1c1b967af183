//! The dashboard's numbers over the filtered orders, in the reporting currency.
//!
//! Net sales, defined here once: the items' prices times quantities (gross sales), less
//! discounts and refunds, of orders that were not cancelled. Shipping and taxes are
//! not sales; they are kept on each order apart. Orders in a currency without a known
//! rate count as orders but not in the money figures (`unconverted_orders` says how many).

use rusqlite::Connection;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use super::filter::{Filter, Sql};
use super::fx;
use crate::store::Store;

/// The headline figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Metrics {
    pub reporting_currency: String,
    pub orders: u64,
    pub units: u64,
    pub customers: u64,
    /// Customers whose first order ever is in the range.
    pub new_customers: u64,
    /// Customers in the range who had ordered before it.
    pub returning_customers: u64,
    /// Customers with two orders or more in the range, over all customers in it.
    pub repeat_purchase_rate: f64,
    /// The median days between one order of a customer and their next, in the range.
    pub median_days_between_orders: Option<f64>,
    pub gross_sales: f64,
    pub discounts: f64,
    pub refunds: f64,
    pub net_sales: f64,
    /// Net sales per order.
    pub average_order_value: f64,
    /// Refunds over gross sales.
    pub refund_rate: f64,
    pub cancelled_orders: u64,
    pub unconverted_orders: u64,
}

/// How the time series is bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Day,
    Week,
    Month,
}

impl Granularity {
    /// The SQL bucket of `created_at`: a day, the Monday of its ISO week, a month.
    fn bucket(self) -> &'static str {
        match self {
            Granularity::Day => "substr(o.created_at, 1, 10)",
            Granularity::Week => {
                "date(substr(o.created_at, 1, 10), '-' || ((strftime('%w', substr(o.created_at, 1, 10)) + 6) % 7) || ' days')"
            }
            Granularity::Month => "substr(o.created_at, 1, 7)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Point {
    /// The day, the Monday of the week, or the month (2025-03).
    pub period: String,
    pub orders: u64,
    pub net_sales: f64,
    pub customers: u64,
}

/// Orders and net sales per group (country, channel, currency).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Share {
    pub key: String,
    pub orders: u64,
    pub customers: u64,
    pub net_sales: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProductSales {
    pub sku: String,
    pub name: String,
    pub units: u64,
    pub orders: u64,
    /// The lines' share of their orders' gross sales, in the reporting currency.
    pub gross_sales: f64,
}

/// Everything the dashboard shows for one filter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    pub filter: Filter,
    pub metrics: Metrics,
    pub granularity: Granularity,
    pub series: Vec<Point>,
    /// The same length of time just before the range, for comparison (empty without a range).
    pub previous: Vec<Point>,
    pub previous_metrics: Option<Metrics>,
    pub by_country: Vec<Share>,
    pub by_channel: Vec<Share>,
    pub by_currency: Vec<Share>,
    pub top_products: Vec<ProductSales>,
}

/// The store and a connection to it: queries whose errors name the database.
struct Db<'a> {
    store: &'a Store,
    conn: Connection,
}

impl Db<'_> {
    fn one<T>(
        &self,
        sql: &str,
        values: &[Value],
        read: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, AnalyticsError> {
        self.conn
            .query_row(sql, rusqlite::params_from_iter(values), read)
            .map_err(|error| self.store.error(error).into())
    }

    fn all<T>(
        &self,
        sql: &str,
        values: &[Value],
        read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, AnalyticsError> {
        let failed = |error| AnalyticsError::from(self.store.error(error));
        let mut statement = self.conn.prepare(sql).map_err(failed)?;
        statement
            .query_map(rusqlite::params_from_iter(values), read)
            .and_then(Iterator::collect)
            .map_err(failed)
    }
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

fn metrics(db: &Db<'_>, filter: &Filter, reporting: &str) -> Result<Metrics, AnalyticsError> {
    let Sql { condition, values } = filter.sql()?;
    let (orders, gross, discounts, refunds, net, unconverted, customers) = db.one(
        &format!(
            "SELECT count(*), coalesce(sum(o.gross_reporting), 0),
                    coalesce(sum(o.gross_reporting * o.discount_minor / nullif(o.items_minor, 0)), 0),
                    coalesce(sum(o.refunded_reporting), 0), coalesce(sum(o.net_reporting), 0),
                    count(*) - count(o.net_reporting), count(DISTINCT o.customer_key)
             FROM orders o WHERE {condition}"
        ),
        &values,
        |row| {
            Ok((
                row.get::<_, u64>(0)?,
                row.get::<_, f64>(1)?,
                row.get::<_, f64>(2)?,
                row.get::<_, f64>(3)?,
                row.get::<_, f64>(4)?,
                row.get::<_, u64>(5)?,
                row.get::<_, u64>(6)?,
            ))
        },
    )?;
    let units: u64 = db.one(
        &format!(
            "SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE {condition}"
        ),
        &values,
        |row| row.get(0),
    )?;
    // A customer is new when their first order ever (not cancelled) is in the range.
    let (new_customers, repeat): (u64, u64) = db.one(
        &format!(
            "WITH ranged AS (SELECT o.customer_key, count(*) AS orders FROM orders o WHERE {condition}
                             GROUP BY o.customer_key),
                  firsts AS (SELECT customer_key, min(created_at) AS first FROM orders
                             WHERE cancelled_at IS NULL AND customer_key IN (SELECT customer_key FROM ranged)
                             GROUP BY customer_key)
             SELECT coalesce(sum(firsts.first >= coalesce(?{from}, '')), 0),
                    coalesce(sum(ranged.orders > 1), 0)
             FROM ranged JOIN firsts USING (customer_key)",
            from = values.len() + 1
        ),
        &[values.clone(), vec![filter.days()?.0.map_or(Value::Null, Value::Text)]].concat(),
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let gaps: Vec<f64> = db
        .all(
            &format!(
                "SELECT julianday(o.created_at) - julianday(lag(o.created_at) OVER
                 (PARTITION BY o.customer_key ORDER BY o.created_at)) AS gap
             FROM orders o WHERE {condition}"
            ),
            &values,
            |row| row.get::<_, Option<f64>>(0),
        )?
        .into_iter()
        .flatten()
        .collect();
    let cancelled: u64 = db.one(
        &format!(
            "SELECT count(*) FROM orders o WHERE {}",
            condition.replacen("o.cancelled_at IS NULL", "o.cancelled_at IS NOT NULL", 1)
        ),
        &values,
        |row| row.get(0),
    )?;
    let ratio = |a: f64, b: f64| if b == 0.0 { 0.0 } else { a / b };
    Ok(Metrics {
        reporting_currency: reporting.to_string(),
        orders,
        units,
        customers,
        new_customers,
        returning_customers: customers - new_customers.min(customers),
        repeat_purchase_rate: ratio(repeat as f64, customers as f64),
        median_days_between_orders: median(gaps),
        gross_sales: gross,
        discounts,
        refunds,
        net_sales: net,
        average_order_value: ratio(net, (orders - unconverted) as f64),
        refund_rate: ratio(refunds, gross),
        cancelled_orders: cancelled,
        unconverted_orders: unconverted,
    })
}

fn series(
    db: &Db<'_>,
    filter: &Filter,
    granularity: Granularity,
) -> Result<Vec<Point>, AnalyticsError> {
    let Sql { condition, values } = filter.sql()?;
    let bucket = granularity.bucket();
    db.all(
        &format!(
            "SELECT {bucket} AS period, count(*), coalesce(sum(o.net_reporting), 0), count(DISTINCT o.customer_key)
             FROM orders o WHERE {condition} GROUP BY period ORDER BY period"
        ),
        &values,
        |row| {
            Ok(Point {
                period: row.get(0)?,
                orders: row.get(1)?,
                net_sales: row.get(2)?,
                customers: row.get(3)?,
            })
        },
    )
}

fn shares(
    db: &Db<'_>,
    filter: &Filter,
    column: &str,
    limit: usize,
) -> Result<Vec<Share>, AnalyticsError> {
    let Sql { condition, values } = filter.sql()?;
    db.all(
        &format!(
            "SELECT {column} AS key, count(*), count(DISTINCT o.customer_key), coalesce(sum(o.net_reporting), 0)
             FROM orders o WHERE {condition} GROUP BY key ORDER BY 4 DESC, 2 DESC, key LIMIT {limit}"
        ),
        &values,
        |row| {
            Ok(Share {
                key: row.get(0)?,
                orders: row.get(1)?,
                customers: row.get(2)?,
                net_sales: row.get(3)?,
            })
        },
    )
}

fn top_products(
    db: &Db<'_>,
    filter: &Filter,
    limit: usize,
) -> Result<Vec<ProductSales>, AnalyticsError> {
    let Sql { condition, values } = filter.sql()?;
    db.all(
        &format!(
            "SELECT CASE WHEN l.sku <> '' THEN l.sku ELSE l.name END AS product, max(l.sku), max(l.name),
                    sum(l.quantity), count(DISTINCT o.id),
                    coalesce(sum(l.total_minor * o.gross_reporting / nullif(o.items_minor, 0)), 0) AS sales
             FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE {condition} GROUP BY product ORDER BY sales DESC, 4 DESC LIMIT {limit}"
        ),
        &values,
        |row| {
            Ok(ProductSales {
                sku: row.get(1)?,
                name: row.get(2)?,
                units: row.get(3)?,
                orders: row.get(4)?,
                gross_sales: row.get(5)?,
            })
        },
    )
}

/// The range just before `filter`'s, as long as it: none without both ends.
fn previous_range(filter: &Filter) -> Result<Option<Filter>, AnalyticsError> {
    let (Some(from), Some(to)) = filter.days()? else {
        return Ok(None);
    };
    let parse = |day: &str| chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();
    let (Some(start), Some(end)) = (parse(&from), parse(&to)) else {
        return Ok(None);
    };
    let length = end - start + chrono::Duration::days(1);
    Ok(Some(Filter {
        from: Some((start - length).format("%Y-%m-%d").to_string()),
        to: Some(
            (start - chrono::Duration::days(1))
                .format("%Y-%m-%d")
                .to_string(),
        ),
        ..filter.clone()
    }))
}

/// The dashboard for `filter`.
pub fn dashboard(
    store: &Store,
    filter: &Filter,
    granularity: Granularity,
) -> Result<Dashboard, AnalyticsError> {
    fx::ensure_rates(store)?;
    let reporting = fx::reporting_currency(store)?;
    let db = Db {
        store,
        conn: store.connect()?,
    };
    let previous = previous_range(filter)?;
    Ok(Dashboard {
        metrics: metrics(&db, filter, &reporting)?,
        series: series(&db, filter, granularity)?,
        previous: match &previous {
            Some(previous) => series(&db, previous, granularity)?,
            None => Vec::new(),
        },
        previous_metrics: match &previous {
            Some(previous) => Some(metrics(&db, previous, &reporting)?),
            None => None,
        },
        by_country: shares(&db, filter, "o.shipping_country", 50)?,
        by_channel: shares(&db, filter, "o.channel", 10)?,
        by_currency: shares(&db, filter, "o.currency", 30)?,
        top_products: top_products(&db, filter, 20)?,
        granularity,
        filter: filter.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_range_is_as_long_and_just_before() {
        let filter = Filter {
            from: Some("2025-03-01".into()),
            to: Some("2025-03-31".into()),
            ..Filter::default()
        };
        let previous = previous_range(&filter).unwrap().unwrap();
        assert_eq!(
            (previous.from.as_deref(), previous.to.as_deref()),
            (Some("2025-01-29"), Some("2025-02-28"))
        );
        assert!(previous_range(&Filter::default()).unwrap().is_none());
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![3.0, 1.0, 10.0, 4.0]), Some(3.5));
        assert_eq!(median(Vec::new()), None);
    }
}
