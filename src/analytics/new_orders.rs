//! New orders and their lines written many rows to a statement (`store::many_rows`):
//! nearly every order an import writes is new. Each new order takes the next id after the
//! largest in the table, so its lines can wait in the same buffer without asking the
//! database which id it got.

use rusqlite::{CachedStatement, Connection};

use super::channels::Line;
use super::store_orders::PendingOrder;
use crate::store::many_rows::{Binder, insert_sql};

/// The columns a new order fills, in the order `NewOrder::bind` binds them.
const ORDER_COLUMNS: &str =
    "id, source_id, channel, name, email, buyer_id, buyer_name, postal_code,
    financial_status, created_at, currency, subtotal_minor, shipping_minor, taxes_minor,
    total_minor, discount_code, discount_minor, refunded_minor, items_minor, shipping_country,
    cancelled_at, customer_key, gross_reporting, refunded_reporting, net_reporting";
const ORDERS_PER_STATEMENT: usize = 32;

const LINE_COLUMNS: &str =
    "order_id, line_no, line_key, quantity, name, sku, price_minor, total_minor";
const LINES_PER_STATEMENT: usize = 64;

/// Inserts `rows` new orders. `OR FAIL` rather than SQLite's default `OR ABORT`: an import
/// is undone whole or kept, so a statement never needs undoing halfway, and SQLite then
/// keeps no journal of each statement (the references are checked at commit).
fn orders_sql(rows: usize) -> String {
    insert_sql("INSERT OR FAIL INTO orders", ORDER_COLUMNS, rows)
}

/// Upserts `rows` order lines by their order and key: a line the export names twice is
/// written once, with what it said last. `OR FAIL` as for the orders.
pub fn lines_sql(rows: usize) -> String {
    insert_sql("INSERT OR FAIL INTO order_lines", LINE_COLUMNS, rows)
        + " ON CONFLICT (order_id, line_key) DO UPDATE SET quantity = excluded.quantity,
              name = excluded.name, sku = excluded.sku, price_minor = excluded.price_minor,
              total_minor = excluded.total_minor"
}

/// What an order's row holds beyond the export's own words: worked out by the caller.
pub struct NewOrder<'b> {
    pub order: &'b PendingOrder,
    pub email: Option<String>,
    pub customer_key: String,
    pub items: i64,
    pub discount: i64,
    pub refunded: i64,
    /// Gross, refunded and net in the reporting currency; None without a rate.
    pub reporting: [Option<f64>; 3],
}

impl NewOrder<'_> {
    fn bind(
        &self,
        row: &mut Binder<'_, '_>,
        id: i64,
        source: i64,
        channel: &str,
    ) -> rusqlite::Result<()> {
        let part = &self.order.part;
        let amounts = &self.order.amounts;
        row.bind(id)?;
        row.bind(source)?;
        row.bind(channel)?;
        row.bind(self.order.id.as_str())?;
        row.bind(self.email.as_deref().unwrap_or(""))?;
        row.bind(part.buyer_id.as_deref().unwrap_or(""))?;
        row.bind(part.buyer_name.as_deref().unwrap_or(""))?;
        row.bind(part.postal_code.as_deref().unwrap_or(""))?;
        row.bind(part.status.as_deref().unwrap_or(""))?;
        row.bind(part.created_at.as_deref().unwrap_or(""))?;
        row.bind(part.currency.as_deref().unwrap_or(""))?;
        row.bind(amounts.subtotal.unwrap_or(0))?;
        row.bind(amounts.shipping.unwrap_or(0))?;
        row.bind(amounts.taxes.unwrap_or(0))?;
        row.bind(amounts.total.unwrap_or(0))?;
        row.bind(part.discount_code.as_deref().unwrap_or(""))?;
        row.bind(self.discount)?;
        row.bind(self.refunded)?;
        row.bind(self.items)?;
        row.bind(part.country.as_deref().unwrap_or(""))?;
        row.bind(&part.cancelled_at)?;
        row.bind(self.customer_key.as_str())?;
        for amount in self.reporting {
            row.bind(amount)?;
        }
        Ok(())
    }
}

/// A line of a new order, numbered from 1 within it.
struct NewLine<'b> {
    order_id: i64,
    number: i64,
    line: &'b Line,
}

impl NewLine<'_> {
    fn bind(&self, row: &mut Binder<'_, '_>) -> rusqlite::Result<()> {
        row.bind(self.order_id)?;
        row.bind(self.number)?;
        bind_line(row, self.number, self.line)
    }
}

/// A line's key (its number when the channel gives none: the column is text, and SQLite
/// writes the number as its digits) and values, after its order and number.
fn bind_line(row: &mut Binder<'_, '_>, number: i64, line: &Line) -> rusqlite::Result<()> {
    if line.key.is_empty() {
        row.bind(number)?;
    } else {
        row.bind(line.key.as_str())?;
    }
    row.bind(line.quantity)?;
    row.bind(line.name.as_str())?;
    row.bind(line.sku.as_str())?;
    row.bind(line.unit_price)?;
    row.bind(line.total)
}

/// Upserts one line of order `order_id` as line `number` (an order already stored).
pub fn upsert_line(
    statement: &mut rusqlite::Statement<'_>,
    order_id: i64,
    number: i64,
    line: &Line,
) -> rusqlite::Result<()> {
    let mut row = Binder::new(statement);
    row.bind(order_id)?;
    row.bind(number)?;
    bind_line(&mut row, number, line)?;
    row.execute().map(|_| ())
}

/// New orders and lines waiting for a full statement. Orders go out before their lines
/// (a line's order must be stored first), so a line may wait after its order went.
pub struct NewRows<'b, 'c> {
    conn: &'c Connection,
    source: i64,
    channel: &'static str,
    /// The statements of a full statement's worth of orders and of lines, kept.
    full_orders: CachedStatement<'c>,
    full_lines: CachedStatement<'c>,
    /// The orders waiting, with the ids they take.
    orders: Vec<(i64, NewOrder<'b>)>,
    lines: Vec<NewLine<'b>>,
    next_id: i64,
}

impl<'b, 'c> NewRows<'b, 'c> {
    pub fn new(
        conn: &'c Connection,
        source: i64,
        channel: &'static str,
    ) -> rusqlite::Result<NewRows<'b, 'c>> {
        Ok(NewRows {
            conn,
            source,
            channel,
            full_orders: conn.prepare_cached(&orders_sql(ORDERS_PER_STATEMENT))?,
            full_lines: conn.prepare_cached(&lines_sql(LINES_PER_STATEMENT))?,
            orders: Vec::with_capacity(ORDERS_PER_STATEMENT),
            lines: Vec::with_capacity(2 * LINES_PER_STATEMENT),
            next_id: conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM orders", [], |row| {
                row.get(0)
            })?,
        })
    }

    /// Adds a new order with its lines, and says the id it takes; writes what fills a
    /// statement.
    pub fn add(&mut self, order: NewOrder<'b>) -> rusqlite::Result<i64> {
        let id = self.next_id;
        self.next_id += 1;
        for (number, line) in (1..).zip(&order.order.lines) {
            self.lines.push(NewLine {
                order_id: id,
                number,
                line,
            });
        }
        self.orders.push((id, order));
        if self.orders.len() == ORDERS_PER_STATEMENT {
            self.write_orders()?;
            while self.lines.len() >= LINES_PER_STATEMENT {
                self.write_lines(LINES_PER_STATEMENT)?;
            }
        }
        Ok(id)
    }

    /// Writes everything waiting: before an order already stored is touched, and at the
    /// end of a chunk.
    pub fn flush(&mut self) -> rusqlite::Result<()> {
        if !self.orders.is_empty() {
            self.write_orders()?;
        }
        while !self.lines.is_empty() {
            self.write_lines(self.lines.len().min(LINES_PER_STATEMENT))?;
        }
        Ok(())
    }

    fn write_orders(&mut self) -> rusqlite::Result<()> {
        let mut partial;
        let statement = if self.orders.len() == ORDERS_PER_STATEMENT {
            &mut self.full_orders
        } else {
            partial = self.conn.prepare_cached(&orders_sql(self.orders.len()))?;
            &mut partial
        };
        let mut row = Binder::new(statement);
        for (id, order) in &self.orders {
            order.bind(&mut row, *id, self.source, self.channel)?;
        }
        row.execute()?;
        self.orders.clear();
        Ok(())
    }

    fn write_lines(&mut self, rows: usize) -> rusqlite::Result<()> {
        let mut partial;
        let statement = if rows == LINES_PER_STATEMENT {
            &mut self.full_lines
        } else {
            partial = self.conn.prepare_cached(&lines_sql(rows))?;
            &mut partial
        };
        let mut row = Binder::new(statement);
        for line in &self.lines[..rows] {
            line.bind(&mut row)?;
        }
        row.execute()?;
        self.lines.drain(..rows);
        Ok(())
    }
}
