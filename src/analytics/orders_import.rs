//! The Shopify orders export: one row per line item, the order's own fields only on
//! its first row, rows of an order together. Large files (a million lines) import in
//! chunks of whole orders; each chunk commits with the byte position after it, so an
//! interrupted import resumes exactly there.

use std::path::Path;

use csv::{Position, StringRecord};
use rusqlite::{ErrorCode, Transaction};
use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use crate::files::{Column, CsvExport, FileError, cell, row_of};
use crate::jobs::{JobContext, Unit};
use crate::money::parse_cents;

pub const FORMAT: &str = "Shopify orders export";
const STAGE: &str = "orders";
const ORDERS_PER_COMMIT: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportedOrders {
    pub orders: u64,
    pub lines: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Checkpoint {
    /// The file's size when the import started: resuming at a byte offset into a file
    /// that has since changed would import garbage.
    file_size: u64,
    byte: u64,
    line: u64,
    record: u64,
    orders: u64,
    lines: u64,
    finished: bool,
}

impl Checkpoint {
    fn at(&mut self, position: &Position) {
        self.byte = position.byte();
        self.line = position.line();
        self.record = position.record();
    }

    fn position(&self) -> Position {
        let mut position = Position::new();
        position
            .set_byte(self.byte)
            .set_line(self.line)
            .set_record(self.record);
        position
    }
}

struct Columns {
    name: Column,
    created_at: Column,
    currency: Column,
    total: Column,
    quantity: Column,
    item_name: Column,
    item_price: Column,
    email: Option<Column>,
    financial_status: Option<Column>,
    subtotal: Option<Column>,
    shipping: Option<Column>,
    taxes: Option<Column>,
    discount_code: Option<Column>,
    discount_amount: Option<Column>,
    refunded: Option<Column>,
    shipping_country: Option<Column>,
    billing_country: Option<Column>,
    cancelled_at: Option<Column>,
    sku: Option<Column>,
}

impl Columns {
    fn find(export: &CsvExport) -> Result<Columns, FileError> {
        Ok(Columns {
            name: export.required("Name")?,
            created_at: export.required("Created at")?,
            currency: export.required("Currency")?,
            total: export.required("Total")?,
            quantity: export.required("Lineitem quantity")?,
            item_name: export.required("Lineitem name")?,
            item_price: export.required("Lineitem price")?,
            email: export.optional(&["Email"]),
            financial_status: export.optional(&["Financial Status"]),
            subtotal: export.optional(&["Subtotal"]),
            shipping: export.optional(&["Shipping"]),
            taxes: export.optional(&["Taxes"]),
            discount_code: export.optional(&["Discount Code"]),
            discount_amount: export.optional(&["Discount Amount"]),
            refunded: export.optional(&["Refunded Amount"]),
            shipping_country: export.optional(&["Shipping Country"]),
            billing_country: export.optional(&["Billing Country"]),
            cancelled_at: export.optional(&["Cancelled at", "Canceled at"]),
            sku: export.optional(&["Lineitem sku"]),
        })
    }
}

struct Order {
    row: u64,
    name: String,
    email: String,
    financial_status: String,
    created_at: String,
    currency: String,
    subtotal: i64,
    shipping: i64,
    taxes: i64,
    total: i64,
    discount_code: String,
    discount: i64,
    refunded: i64,
    country: String,
    cancelled_at: Option<String>,
    items: Vec<Item>,
}

struct Item {
    quantity: i64,
    name: String,
    sku: String,
    price: i64,
}

/// Replaces the orders imported from `source` by those of a Shopify orders export.
pub fn import_shopify_orders(
    path: &Path,
    source: &str,
    context: &mut JobContext,
) -> Result<ImportedOrders, AnalyticsError> {
    let saved: Option<Checkpoint> = context.saved(STAGE)?;
    if let Some(done) = saved.as_ref().filter(|saved| saved.finished) {
        return Ok(ImportedOrders {
            orders: done.orders,
            lines: done.lines,
        });
    }
    let mut export = CsvExport::open(path, FORMAT)?;
    let columns = Columns::find(&export)?;
    let total_bytes = std::fs::metadata(path)
        .map_err(|error| FileError::io(path, error))?
        .len();
    let store = context.store().clone();
    let mut conn = store.connect()?;

    let mut checkpoint = match saved {
        Some(saved) if saved.file_size != total_bytes => {
            return Err(AnalyticsError::ChangedSinceStarted {
                path: path.to_path_buf(),
            });
        }
        Some(saved) => {
            export
                .reader
                .seek(saved.position())
                .map_err(|error| FileError::csv(path, error))?;
            context.begin_stage(STAGE, Unit::Bytes, Some(total_bytes), saved.byte);
            saved
        }
        None => {
            let mut fresh = Checkpoint {
                file_size: total_bytes,
                ..Checkpoint::default()
            };
            fresh.at(export.reader.position());
            context.begin_stage(STAGE, Unit::Bytes, Some(total_bytes), fresh.byte);
            let tx = conn.transaction().map_err(|error| store.error(error))?;
            tx.execute("DELETE FROM orders WHERE source = ?1", [source])
                .map_err(|error| store.error(error))?;
            context.commit(tx, fresh.byte, &fresh)?;
            fresh
        }
    };

    let mut batch: Vec<Order> = Vec::with_capacity(ORDERS_PER_COMMIT);
    let mut current: Option<Order> = None;
    let mut record = StringRecord::new();
    loop {
        let before = export.reader.position().clone();
        let more = export.read(&mut record)?;
        let name = if more {
            cell(&record, Some(&columns.name))
        } else {
            ""
        };
        let continues_order = more && current.as_ref().is_some_and(|order| order.name == name);
        if continues_order {
            if let Some(order) = current.as_mut() {
                order.items.push(read_item(&export, &record, &columns)?);
            }
            continue;
        }
        batch.extend(current.take());
        if batch.len() >= ORDERS_PER_COMMIT || !more {
            let tx = conn.transaction().map_err(|error| store.error(error))?;
            let (orders, lines) = insert(&tx, source, &batch).map_err(|error| match error {
                InsertError::Duplicate(row, name) => {
                    AnalyticsError::from(FileError::InvalidValue {
                        path: path.to_path_buf(),
                        row,
                        column: "Name".into(),
                        value: name,
                        reason: "this order appears twice; the rows of an order must be together"
                            .into(),
                    })
                }
                InsertError::Sqlite(error) => store.error(error).into(),
            })?;
            batch.clear();
            checkpoint.orders += orders;
            checkpoint.lines += lines;
            checkpoint.at(&before);
            checkpoint.finished = !more;
            let done = if more { checkpoint.byte } else { total_bytes };
            context.commit(tx, done, &checkpoint)?;
        }
        if !more {
            break;
        }
        current = Some(read_order(&export, &record, &columns)?);
    }
    Ok(ImportedOrders {
        orders: checkpoint.orders,
        lines: checkpoint.lines,
    })
}

fn read_order(
    export: &CsvExport,
    record: &StringRecord,
    columns: &Columns,
) -> Result<Order, FileError> {
    let text = |column: Option<&Column>| cell(record, column).to_string();
    let amount = |column: Option<&Column>| match column {
        Some(column) => parse_cents(cell(record, Some(column)))
            .map_err(|reason| export.invalid(record, column, reason)),
        None => Ok(0),
    };
    let name = text(Some(&columns.name));
    if name.is_empty() {
        return Err(export.invalid(record, &columns.name, "every row needs the order's name"));
    }
    let created_at = cell(record, Some(&columns.created_at));
    let created_at = parse_timestamp(created_at).ok_or_else(|| {
        export.invalid(
            record,
            &columns.created_at,
            "the first row of an order needs its date, like 2024-05-01 10:00:00 +0000",
        )
    })?;
    let currency = text(Some(&columns.currency));
    if currency.len() != 3 {
        return Err(export.invalid(
            record,
            &columns.currency,
            "not a three-letter currency code",
        ));
    }
    let cancelled_at = cell(record, columns.cancelled_at.as_ref());
    let cancelled_at = match (&columns.cancelled_at, cancelled_at.is_empty()) {
        (Some(column), false) => Some(
            parse_timestamp(cancelled_at)
                .ok_or_else(|| export.invalid(record, column, "not a date"))?,
        ),
        _ => None,
    };
    let mut country = text(columns.shipping_country.as_ref());
    if country.is_empty() {
        country = text(columns.billing_country.as_ref());
    }
    Ok(Order {
        row: row_of(record),
        name,
        email: text(columns.email.as_ref()).to_lowercase(),
        financial_status: text(columns.financial_status.as_ref()),
        created_at,
        currency,
        subtotal: amount(columns.subtotal.as_ref())?,
        shipping: amount(columns.shipping.as_ref())?,
        taxes: amount(columns.taxes.as_ref())?,
        total: amount(Some(&columns.total))?,
        discount_code: text(columns.discount_code.as_ref()),
        discount: amount(columns.discount_amount.as_ref())?,
        refunded: amount(columns.refunded.as_ref())?,
        country,
        cancelled_at,
        items: vec![read_item(export, record, columns)?],
    })
}

fn read_item(
    export: &CsvExport,
    record: &StringRecord,
    columns: &Columns,
) -> Result<Item, FileError> {
    let quantity = cell(record, Some(&columns.quantity))
        .parse::<i64>()
        .map_err(|_| export.invalid(record, &columns.quantity, "not a whole number"))?;
    let price = parse_cents(cell(record, Some(&columns.item_price)))
        .map_err(|reason| export.invalid(record, &columns.item_price, reason))?;
    Ok(Item {
        quantity,
        name: cell(record, Some(&columns.item_name)).to_string(),
        sku: cell(record, columns.sku.as_ref()).to_string(),
        price,
    })
}

/// Shopify writes "2024-05-01 10:00:00 +0000"; stored as UTC RFC 3339, which sorts.
fn parse_timestamp(text: &str) -> Option<String> {
    let parsed = chrono::DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S %z")
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(text))
        .ok()?;
    Some(
        parsed
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}

enum InsertError {
    Duplicate(u64, String),
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for InsertError {
    fn from(error: rusqlite::Error) -> Self {
        InsertError::Sqlite(error)
    }
}

fn insert(tx: &Transaction<'_>, source: &str, orders: &[Order]) -> Result<(u64, u64), InsertError> {
    let mut insert_order = tx.prepare_cached(
        "INSERT INTO orders (source, name, email, financial_status, created_at, currency, subtotal_cents,
             shipping_cents, taxes_cents, total_cents, discount_code, discount_cents, refunded_cents,
             shipping_country, cancelled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    let mut insert_line = tx.prepare_cached(
        "INSERT INTO order_lines (order_id, line_no, quantity, name, sku, price_cents) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut lines = 0;
    for order in orders {
        let id = insert_order
            .insert(rusqlite::params![
                source,
                order.name,
                order.email,
                order.financial_status,
                order.created_at,
                order.currency,
                order.subtotal,
                order.shipping,
                order.taxes,
                order.total,
                order.discount_code,
                order.discount,
                order.refunded,
                order.country,
                order.cancelled_at,
            ])
            .map_err(|error| match error.sqlite_error_code() {
                Some(ErrorCode::ConstraintViolation) => {
                    InsertError::Duplicate(order.row, order.name.clone())
                }
                _ => InsertError::Sqlite(error),
            })?;
        for (index, item) in order.items.iter().enumerate() {
            insert_line.execute((
                id,
                index as i64 + 1,
                item.quantity,
                &item.name,
                &item.sku,
                item.price,
            ))?;
        }
        lines += order.items.len() as u64;
    }
    Ok((orders.len() as u64, lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shopify_timestamps_become_utc() {
        assert_eq!(
            parse_timestamp("2024-05-01 10:00:00 +0200").as_deref(),
            Some("2024-05-01T08:00:00Z")
        );
        assert_eq!(parse_timestamp("01/05/2024"), None);
    }
}
