use serde::Serialize;

use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrdersSummary {
    pub orders: u64,
    pub order_lines: u64,
    pub customers: u64,
    /// Customers (across channels) with more than one order.
    pub repeat_customers: u64,
    pub countries: u64,
    pub first_order_at: Option<String>,
    pub last_order_at: Option<String>,
    pub revenue: Vec<CurrencyRevenue>,
    pub top_countries: Vec<CountryOrders>,
}

/// Sales of orders that were not cancelled, per currency, in its minor unit: gross is
/// the items' prices times quantities, net is gross less discounts and refunds (shipping
/// and taxes are not sales). Amounts in different currencies are never added together.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CurrencyRevenue {
    pub currency: String,
    pub orders: u64,
    pub gross_minor: i64,
    pub refunded_minor: i64,
    pub net_minor: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CountryOrders {
    pub country: String,
    pub orders: u64,
}

pub fn summarise(store: &Store) -> Result<OrdersSummary, StoreError> {
    let conn = store.connect()?;
    let sqlite = |error| store.error(error);
    let (orders, customers, countries, first_order_at, last_order_at) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT customer_key), count(DISTINCT nullif(shipping_country, '')),
                    min(created_at), max(created_at)
             FROM orders",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)),
        )
        .map_err(sqlite)?;
    let order_lines = conn
        .query_row("SELECT count(*) FROM order_lines", [], |row| row.get(0))
        .map_err(sqlite)?;
    let repeat_customers = conn
        .query_row(
            "SELECT count(*) FROM (SELECT customer_key FROM orders GROUP BY customer_key HAVING count(*) > 1)",
            [],
            |row| row.get(0),
        )
        .map_err(sqlite)?;
    let revenue = conn
        .prepare(
            "SELECT currency, count(*), sum(items_minor), sum(refunded_minor),
                    sum(items_minor - discount_minor - refunded_minor)
             FROM orders WHERE cancelled_at IS NULL GROUP BY currency ORDER BY count(*) DESC, currency",
        )
        .and_then(|mut statement| {
            statement
                .query_map([], |row| {
                    Ok(CurrencyRevenue {
                        currency: row.get(0)?,
                        orders: row.get(1)?,
                        gross_minor: row.get(2)?,
                        refunded_minor: row.get(3)?,
                        net_minor: row.get(4)?,
                    })
                })?
                .collect()
        })
        .map_err(sqlite)?;
    let top_countries = conn
        .prepare(
            "SELECT shipping_country, count(*) FROM orders WHERE shipping_country <> ''
             GROUP BY shipping_country ORDER BY count(*) DESC, shipping_country LIMIT 10",
        )
        .and_then(|mut statement| {
            statement
                .query_map([], |row| {
                    Ok(CountryOrders {
                        country: row.get(0)?,
                        orders: row.get(1)?,
                    })
                })?
                .collect()
        })
        .map_err(sqlite)?;
    Ok(OrdersSummary {
        orders,
        order_lines,
        customers,
        repeat_customers,
        countries,
        first_order_at,
        last_order_at,
        revenue,
        top_countries,
    })
}
