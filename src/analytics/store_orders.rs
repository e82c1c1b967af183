//! Orders into the store, whichever channel they come from. An order is the channel's
//! (channel + order id): one that an earlier or overlapping export brought is updated,
//! never added twice, and what this export is silent on (an Etsy order's lines, when
//! the order file follows the items file) keeps what the other file said. A new order,
//! the common case, is written with what is worked out from it (its items, its customer,
//! its amounts in the reporting currency), many to a statement (`new_orders`); an order
//! already there is merged in SQL.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rusqlite::{CachedStatement as Statement, Connection, Transaction, params};

use super::channels::{Amounts, Channel, Line, OrderPart};
use super::fx::Rates;
use super::new_orders::{self, NewOrder, NewRows};

/// An order as the rows of one export told it.
#[derive(Debug, Clone)]
pub struct PendingOrder {
    /// Where its first row starts in the file, for messages.
    pub at: csv::Position,
    pub id: String,
    pub part: OrderPart,
    pub amounts: Amounts,
    pub lines: Vec<Line>,
}

/// An e-mail as one customer: case and spaces do not make another.
pub fn normalised_email(email: &str) -> String {
    // Nearly every e-mail is printable ASCII without a space: lowered as it is.
    if email.bytes().all(|byte| byte.is_ascii_graphic()) {
        return email.to_ascii_lowercase();
    }
    email
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// Who bought: their e-mail, else the channel's name for them, else the order alone
/// (the same rule as the SQL below, for orders written in one go).
fn customer_key(channel: Channel, order: &PendingOrder, email: Option<&str>) -> String {
    match (
        email.filter(|email| !email.is_empty()),
        order.part.buyer_id.as_deref(),
    ) {
        (Some(email), _) => format!("email:{email}"),
        (None, Some(buyer)) if !buyer.is_empty() => {
            format!("{}:{}", channel.key(), buyer.to_lowercase())
        }
        _ => format!("order:{}:{}", channel.key(), order.id),
    }
}

/// The items' worth of a new order whose file does not say it: its lines', or for an
/// order without lines (a file of the seller's own with one row per order) what its
/// total leaves after shipping and taxes, before its discount.
fn items_of(order: &PendingOrder) -> i64 {
    let amounts = &order.amounts;
    if order.lines.is_empty() {
        amounts.total.unwrap_or(0) - amounts.shipping.unwrap_or(0) - amounts.taxes.unwrap_or(0)
            + amounts.discount.unwrap_or(0)
    } else {
        order.lines.iter().map(|line| line.total).sum()
    }
}

/// What writing a chunk did.
#[derive(Debug, Default)]
pub struct Written {
    pub lines: u64,
    /// Orders this import had not written before this chunk.
    pub new_orders: u64,
    /// Orders that were there already (from this file or another), now updated: their
    /// amounts in the reporting currency are to be worked out again.
    pub updated: Vec<i64>,
}

/// The statements that merge an order already stored, prepared once per chunk.
struct Statements<'t> {
    update: Statement<'t>,
    clear_lines: Statement<'t>,
    last_line: Statement<'t>,
    upsert_line: Statement<'t>,
    items_from_lines: Statement<'t>,
    customer: Statement<'t>,
}

impl<'t> Statements<'t> {
    fn prepare(tx: &'t Transaction<'_>) -> rusqlite::Result<Statements<'t>> {
        Ok(Statements {
            update: tx.prepare_cached(
                "UPDATE orders SET source_id = CASE WHEN ?22 THEN ?1 ELSE source_id END,
                     email = coalesce(?4, email), buyer_id = coalesce(?5, buyer_id),
                     buyer_name = coalesce(?6, buyer_name), postal_code = coalesce(?7, postal_code),
                     financial_status = coalesce(?8, financial_status), created_at = coalesce(?9, created_at),
                     currency = coalesce(?10, currency), subtotal_minor = coalesce(?11, subtotal_minor),
                     shipping_minor = coalesce(?12, shipping_minor), taxes_minor = coalesce(?13, taxes_minor),
                     total_minor = coalesce(?14, total_minor), discount_code = coalesce(?15, discount_code),
                     discount_minor = coalesce(?16, discount_minor), refunded_minor = coalesce(?17, refunded_minor),
                     items_minor = coalesce(?18, items_minor), shipping_country = coalesce(?19, shipping_country),
                     cancelled_at = coalesce(?20, cancelled_at)
                 WHERE id = ?21 AND ?2 = channel AND ?3 = name",
            )?,
            clear_lines: tx.prepare_cached("DELETE FROM order_lines WHERE order_id = ?1")?,
            last_line: tx.prepare_cached(
                "SELECT coalesce(max(line_no), 0) FROM order_lines WHERE order_id = ?1",
            )?,
            upsert_line: tx.prepare_cached(&new_orders::upsert_line_sql())?,
            items_from_lines: tx.prepare_cached(
                "UPDATE orders SET items_minor = (SELECT coalesce(sum(total_minor), 0) FROM order_lines
                     WHERE order_id = ?1) WHERE id = ?1",
            )?,
            customer: tx.prepare_cached(
                "UPDATE orders SET customer_key = CASE
                     WHEN email <> '' THEN 'email:' || email
                     WHEN buyer_id <> '' THEN channel || ':' || lower(buyer_id)
                     ELSE 'order:' || channel || ':' || name END
                 WHERE id = ?1",
            )?,
        })
    }

    /// Writes `lines` of order `id` after line number `after`.
    fn lines(&mut self, id: i64, after: i64, lines: &[Line]) -> rusqlite::Result<()> {
        for (number, line) in (after + 1..).zip(lines) {
            new_orders::upsert_line(&mut self.upsert_line, id, number, line)?;
        }
        Ok(())
    }
}

/// The number the orders of `source` (a file's path) are stored under, made on its
/// first import.
pub fn source_id(conn: &Connection, source: &str) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO order_sources (path) VALUES (?1) ON CONFLICT (path) DO NOTHING",
        [source],
    )?;
    conn.query_row(
        "SELECT id FROM order_sources WHERE path = ?1",
        [source],
        |row| row.get(0),
    )
}

/// Clears the orders an earlier import of `source` brought (their lines go with them).
pub fn clear(conn: &Connection, source: i64) -> rusqlite::Result<usize> {
    conn.execute("DELETE FROM orders WHERE source_id = ?1", [source])
}

/// The orders (their rows) that the import of `source` wrote: a resumed import's
/// earlier runs cleared that source's orders first, so these are its own.
pub fn written_by(
    conn: &Connection,
    channel: Channel,
    source: i64,
) -> rusqlite::Result<HashSet<i64>> {
    let mut statement =
        conn.prepare("SELECT id FROM orders WHERE channel = ?1 AND source_id = ?2")?;
    statement
        .query_map((channel.key(), source), |row| row.get(0))?
        .collect()
}

/// The orders of `channel` the store holds: their ids by the channel's order id.
pub fn known(conn: &Connection, channel: Channel) -> rusqlite::Result<HashMap<String, i64>> {
    let mut statement = conn.prepare("SELECT name, id FROM orders WHERE channel = ?1")?;
    statement
        .query_map([channel.key()], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}

/// Writes `orders` of `channel` from `source` (its `source_id`); `known` holds the channel's orders in the
/// store (from `known`) and gains the ones written. `every_line` says the export holds
/// all of an order's lines (they replace the stored ones). `imported` holds the rows this
/// import wrote so far and gains this chunk's: an order met again in the same import (a
/// file whose rows of an order are not all together) adds its lines to the ones written
/// then.
#[allow(clippy::too_many_arguments)] // one call site, each argument a different fact
pub fn write(
    tx: &Transaction<'_>,
    channel: Channel,
    source: i64,
    orders: &[PendingOrder],
    every_line: bool,
    imported: &mut HashSet<i64>,
    rates: &Rates,
    known: &mut HashMap<String, i64>,
) -> rusqlite::Result<Written> {
    let mut statements = Statements::prepare(tx)?;
    let mut new_rows = NewRows::new(tx, source, channel.key())?;
    let mut written = Written::default();
    for order in orders {
        let part = &order.part;
        let amounts = &order.amounts;
        let email = part.email.as_deref().map(normalised_email);
        let existing = known.get(&order.id).copied();
        written.lines += order.lines.len() as u64;
        let Some(id) = existing else {
            let items = amounts.items.unwrap_or_else(|| items_of(order));
            let (discount, refunded) =
                (amounts.discount.unwrap_or(0), amounts.refunded.unwrap_or(0));
            let factor = rates.factor(
                part.currency.as_deref().unwrap_or(""),
                part.created_at.as_deref().unwrap_or(""),
            );
            let reporting = |minor: i64| factor.map(|factor| minor as f64 * factor);
            let id = new_rows.add(NewOrder {
                order,
                customer_key: customer_key(channel, order, email.as_deref()),
                email,
                items,
                discount,
                refunded,
                reporting: [
                    reporting(items),
                    reporting(refunded),
                    reporting(items - discount - refunded),
                ],
            })?;
            known.insert(order.id.clone(), id);
            imported.insert(id);
            written.new_orders += 1;
            continue;
        };
        // What waits to be written may be this order's earlier rows (an order whose
        // rows are not all together), which the statements below read.
        new_rows.flush()?;
        let again = !imported.insert(id);
        if !again {
            written.new_orders += 1;
        }
        statements.update.execute(params![
            source,
            channel.key(),
            order.id,
            email,
            part.buyer_id,
            part.buyer_name,
            part.postal_code,
            part.status,
            part.created_at,
            part.currency,
            amounts.subtotal,
            amounts.shipping,
            amounts.taxes,
            amounts.total,
            part.discount_code,
            amounts.discount,
            amounts.refunded,
            amounts.items,
            part.country,
            part.cancelled_at,
            id,
            // A file without the orders' lines (Etsy's order file) does not take over
            // orders another file brought whole: importing it again must not drop them.
            every_line,
        ])?;
        written.updated.push(id);
        if !order.lines.is_empty() {
            let after = if every_line && !again {
                statements.clear_lines.execute([id])?;
                0
            } else {
                statements
                    .last_line
                    .query_row([id], |row| row.get::<_, i64>(0))?
            };
            statements.lines(id, after, &order.lines)?;
            if amounts.items.is_none() {
                statements.items_from_lines.execute([id])?;
            }
        }
        statements.customer.execute([id])?;
    }
    new_rows.flush()?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_in_other_case_and_spacing_is_the_same_customer() {
        assert_eq!(
            normalised_email(" Ana.Lopez@Example.COM "),
            "ana.lopez@example.com"
        );
        assert_eq!(
            normalised_email("ana.lopez @example.com"),
            "ana.lopez@example.com"
        );
    }
}
