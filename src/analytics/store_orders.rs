//! Orders into the store, whichever channel they come from. An order is the channel's
//! (channel + order id): one that an earlier or overlapping export brought is updated,
//! never added twice, and what this export is silent on (an Etsy order's lines, when
//! the order file follows the items file) keeps what the other file said.

use rusqlite::{OptionalExtension, Transaction, params};

use super::channels::{Amounts, Channel, Line, OrderPart};

/// An order as the rows of one export told it.
#[derive(Debug, Clone)]
pub struct PendingOrder {
    /// The spreadsheet row where it starts, for messages.
    pub row: u64,
    pub id: String,
    pub part: OrderPart,
    pub amounts: Amounts,
    pub lines: Vec<Line>,
}

/// An e-mail as one customer: case and spaces do not make another.
pub fn normalised_email(email: &str) -> String {
    email
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase()
}

/// What writing a chunk did.
#[derive(Debug, Default)]
pub struct Written {
    pub lines: u64,
    /// Orders that were there already (from this file or another), now updated.
    pub updated: Vec<i64>,
}

/// Writes `orders` of `channel` from `source`.
/// `every_line` says the export holds all of an order's lines (they replace the stored
/// ones); `again` says the order already came earlier in this same import (its lines
/// are added to the ones written then).
pub fn write(
    tx: &Transaction<'_>,
    channel: Channel,
    source: &str,
    orders: &[PendingOrder],
    every_line: bool,
    again: &dyn Fn(&str) -> bool,
) -> rusqlite::Result<Written> {
    let mut find = tx.prepare_cached("SELECT id FROM orders WHERE channel = ?1 AND name = ?2")?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO orders (source, channel, name, email, buyer_id, buyer_name, postal_code,
             financial_status, created_at, currency, subtotal_minor, shipping_minor, taxes_minor,
             total_minor, discount_code, discount_minor, refunded_minor, items_minor,
             shipping_country, cancelled_at)
         VALUES (?1, ?2, ?3, coalesce(?4, ''), coalesce(?5, ''), coalesce(?6, ''), coalesce(?7, ''),
             coalesce(?8, ''), ?9, coalesce(?10, ''), coalesce(?11, 0), coalesce(?12, 0),
             coalesce(?13, 0), coalesce(?14, 0), coalesce(?15, ''), coalesce(?16, 0),
             coalesce(?17, 0), coalesce(?18, 0), coalesce(?19, ''), ?20)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE orders SET source = CASE WHEN ?22 THEN ?1 ELSE source END, email = coalesce(?4, email), buyer_id = coalesce(?5, buyer_id),
             buyer_name = coalesce(?6, buyer_name), postal_code = coalesce(?7, postal_code),
             financial_status = coalesce(?8, financial_status), created_at = coalesce(?9, created_at),
             currency = coalesce(?10, currency), subtotal_minor = coalesce(?11, subtotal_minor),
             shipping_minor = coalesce(?12, shipping_minor), taxes_minor = coalesce(?13, taxes_minor),
             total_minor = coalesce(?14, total_minor), discount_code = coalesce(?15, discount_code),
             discount_minor = coalesce(?16, discount_minor), refunded_minor = coalesce(?17, refunded_minor),
             items_minor = coalesce(?18, items_minor), shipping_country = coalesce(?19, shipping_country),
             cancelled_at = coalesce(?20, cancelled_at)
         WHERE id = ?21",
    )?;
    let mut clear_lines = tx.prepare_cached("DELETE FROM order_lines WHERE order_id = ?1")?;
    let mut last_line =
        tx.prepare_cached("SELECT coalesce(max(line_no), 0) FROM order_lines WHERE order_id = ?1")?;
    let mut upsert_line = tx.prepare_cached(
        "INSERT INTO order_lines (order_id, line_no, line_key, quantity, name, sku, price_minor, total_minor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (order_id, line_key) DO UPDATE SET quantity = excluded.quantity,
             name = excluded.name, sku = excluded.sku, price_minor = excluded.price_minor,
             total_minor = excluded.total_minor",
    )?;
    let mut items_from_lines = tx.prepare_cached(
        "UPDATE orders SET items_minor = (SELECT coalesce(sum(total_minor), 0) FROM order_lines
             WHERE order_id = ?1) WHERE id = ?1",
    )?;
    let mut customer = tx.prepare_cached(
        "UPDATE orders SET customer_key = CASE
             WHEN email <> '' THEN 'email:' || email
             WHEN buyer_id <> '' THEN channel || ':' || lower(buyer_id)
             ELSE 'order:' || channel || ':' || name END
         WHERE id = ?1",
    )?;
    let mut written = Written::default();
    for order in orders {
        let part = &order.part;
        let amounts = &order.amounts;
        let email = part.email.as_deref().map(normalised_email);
        let values = params![
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
        ];
        let existing: Option<i64> = find
            .query_row((channel.key(), &order.id), |row| row.get(0))
            .optional()?;
        let id = match existing {
            Some(id) => {
                let mut with_id: Vec<&dyn rusqlite::ToSql> = values.to_vec();
                with_id.push(&id);
                // A file without the orders' lines (Etsy's order file) does not take over
                // orders another file brought whole: importing it again must not drop them.
                with_id.push(&every_line);
                update.execute(with_id.as_slice())?;
                written.updated.push(id);
                id
            }
            None => {
                insert.execute(values)?;
                tx.last_insert_rowid()
            }
        };
        if !order.lines.is_empty() {
            let appending = existing.is_some() && again(&order.id);
            let mut next = if every_line && !appending {
                clear_lines.execute([id])?;
                0
            } else {
                last_line.query_row([id], |row| row.get::<_, i64>(0))?
            };
            for line in &order.lines {
                next += 1;
                let key = if line.key.is_empty() {
                    next.to_string()
                } else {
                    line.key.clone()
                };
                upsert_line.execute(params![
                    id,
                    next,
                    key,
                    line.quantity,
                    line.name,
                    line.sku,
                    line.unit_price,
                    line.total
                ])?;
            }
            written.lines += order.lines.len() as u64;
            if amounts.items.is_none() {
                items_from_lines.execute([id])?;
            }
        }
        customer.execute([id])?;
    }
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
