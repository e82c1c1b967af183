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

/// Inserts `rows` lines of new orders, `OR FAIL` as for the orders. No two have the same
/// key (`NewRows::add` keeps one line per key, as the upsert below would).
fn lines_sql(rows: usize) -> String {
    insert_sql("INSERT OR FAIL INTO order_lines", LINE_COLUMNS, rows)
}

/// Upserts a line of an order already stored by its order and key: a line met again is
/// updated, keeping its number.
pub fn upsert_line_sql() -> String {
    insert_sql("INSERT INTO order_lines", LINE_COLUMNS, 1)
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
        let first_line = self.lines.len();
        for (number, line) in (1..).zip(&order.order.lines) {
            // A key the export gives twice is one line: the first's number, the last's
            // values (as `upsert_line_sql` does to an order already stored).
            let earlier = (!line.key.is_empty())
                .then(|| {
                    self.lines[first_line..]
                        .iter_mut()
                        .find(|earlier| earlier.line.key == line.key)
                })
                .flatten();
            match earlier {
                Some(earlier) => earlier.line = line,
                None => self.lines.push(NewLine {
                    order_id: id,
                    number,
                    line,
                }),
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::channels::{Amounts, OrderPart};
    use crate::store::{DATABASE_FILE, Store, StoreOptions};

    fn line(key: &str, quantity: i64, sku: &str) -> Line {
        Line {
            key: key.into(),
            quantity,
            name: sku.to_lowercase(),
            sku: sku.into(),
            unit_price: 500,
            total: 500 * quantity,
        }
    }

    fn order(id: &str, lines: Vec<Line>) -> PendingOrder {
        PendingOrder {
            at: csv::Position::new(),
            id: id.into(),
            part: OrderPart {
                created_at: Some("2025-01-02T10:00:00Z".into()),
                currency: Some("EUR".into()),
                ..OrderPart::default()
            },
            amounts: Amounts::default(),
            lines,
        }
    }

    #[test]
    fn orders_fill_whole_statements_and_a_key_given_twice_is_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE), StoreOptions::default()).unwrap();
        let mut conn = store.connect().unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute(
            "INSERT INTO order_sources (id, path) VALUES (1, 'a.csv')",
            [],
        )
        .unwrap();
        // More orders than a statement takes, so that full and partial statements run.
        let mut orders: Vec<PendingOrder> = (1..=ORDERS_PER_STATEMENT + 5)
            .map(|number| {
                order(
                    &format!("#{number}"),
                    vec![line("", 1, "MUG-1"), line("", 2, "TOTE-1")],
                )
            })
            .collect();
        orders.push(order(
            "#dup",
            vec![
                line("t1", 1, "MUG-1"),
                line("t1", 3, "MUG-2"),
                line("t2", 1, "TOTE-1"),
            ],
        ));
        let mut rows = NewRows::new(&tx, 1, "etsy").unwrap();
        let mut ids = Vec::new();
        for order in &orders {
            ids.push(
                rows.add(NewOrder {
                    order,
                    email: None,
                    customer_key: format!("order:etsy:{}", order.id),
                    items: 0,
                    discount: 0,
                    refunded: 0,
                    reporting: [None; 3],
                })
                .unwrap(),
            );
        }
        rows.flush().unwrap();
        drop(rows);
        assert_eq!(ids, (1..=orders.len() as i64).collect::<Vec<_>>());
        let count = |sql: &str| tx.query_row(sql, [], |row| row.get::<_, i64>(0)).unwrap();
        assert_eq!(count("SELECT count(*) FROM orders"), orders.len() as i64);
        assert_eq!(
            count("SELECT count(*) FROM order_lines"),
            2 * (ORDERS_PER_STATEMENT as i64 + 5) + 2
        );
        let duplicate: Vec<(i64, String, i64, String)> = tx
            .prepare(
                "SELECT line_no, line_key, quantity, sku FROM order_lines
                 WHERE order_id = (SELECT id FROM orders WHERE name = '#dup') ORDER BY line_no",
            )
            .unwrap()
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            duplicate,
            [
                (1, "t1".into(), 3, "MUG-2".into()),
                (3, "t2".into(), 1, "TOTE-1".into())
            ]
        );
        let keys: String = tx
            .query_row(
                "SELECT group_concat(line_key, ',') FROM order_lines WHERE order_id = 1",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(keys, "1,2");
    }
}
