//! The orders behind a chart or a segment: the filtered orders, newest first, or one
//! customer's.

use serde::Serialize;

use super::AnalyticsError;
use super::filter::Filter;
use super::frame::OrdersFrame;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderRow {
    pub channel: String,
    /// The channel's own id for the order (Shopify's `#1001`).
    pub name: String,
    pub created_at: String,
    pub customer: String,
    /// Who bought: an e-mail, a name, or the channel's buyer id.
    pub buyer: String,
    pub country: String,
    pub currency: String,
    /// Net sales in the order's currency, in its minor unit.
    pub net_minor: i64,
    /// Net sales in the reporting currency; None where no rate is known.
    pub net_reporting: Option<f64>,
    pub items: u64,
}

/// At most `limit` of the filtered orders (of one customer, when given), newest first:
/// chosen in the frame, then read from the store by id.
pub fn orders(
    frame: &OrdersFrame,
    store: &Store,
    filter: &Filter,
    customer: Option<&str>,
    limit: usize,
) -> Result<Vec<OrderRow>, AnalyticsError> {
    let selection = frame.select(filter)?;
    let customer = match customer {
        Some(key) => match frame.customers.iter().position(|known| &*known.key == key) {
            Some(number) => Some(number as u32),
            None => return Ok(Vec::new()),
        },
        None => None,
    };
    let ids: Vec<i64> = selection
        .orders
        .iter()
        .rev()
        .filter(|order| {
            customer.is_none_or(|customer| frame.orders.customer[**order as usize] == customer)
        })
        .take(limit)
        .map(|order| frame.orders.id[*order as usize])
        .collect();
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(
            "SELECT o.channel, o.name, o.created_at, o.customer_key,
                    coalesce(nullif(o.email, ''), nullif(o.buyer_name, ''), nullif(o.buyer_id, ''), ''),
                    o.shipping_country, o.currency, o.items_minor - o.discount_minor - o.refunded_minor,
                    o.net_reporting, (SELECT coalesce(sum(quantity), 0) FROM order_lines WHERE order_id = o.id)
             FROM json_each(?1) AS chosen JOIN orders o ON o.id = chosen.value ORDER BY chosen.key",
        )
        .map_err(|error| store.error(error))?;
    let ids = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
    statement
        .query_map([ids], |row| {
            Ok(OrderRow {
                channel: row.get(0)?,
                name: row.get(1)?,
                created_at: row.get(2)?,
                customer: row.get(3)?,
                buyer: row.get(4)?,
                country: row.get(5)?,
                currency: row.get(6)?,
                net_minor: row.get(7)?,
                net_reporting: row.get(8)?,
                items: row.get(9)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error).into())
}
