//! Buyers the exports know only by a channel's name for them (Etsy and eBay usernames:
//! their exports carry no e-mail) are their own customers, unless the seller confirms
//! that one is a customer from another channel with the same name and postal code. This
//! module finds those pairs, records the seller's answer, and tells the frame which
//! customers are one. Nothing is merged without the seller's word, and every link keeps
//! why it was proposed.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use serde::Serialize;

use super::AnalyticsError;
use super::frame;
use crate::store::Store;

/// Two customers who may be one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MatchSuggestion {
    /// The buyer known only by a channel (`etsy:mika_k`).
    pub customer: String,
    pub channel: String,
    /// The customer they may be (`email:mika@example.com`, or another channel's buyer).
    pub with: String,
    pub with_channels: Vec<String>,
    /// The name and postal code both gave, as the first of them wrote them.
    pub name: String,
    pub postal_code: String,
}

/// A name as one person's, whatever the case and spacing.
fn same_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A postal code as one place's, whatever the case, spaces and dashes.
fn same_postal_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_uppercase()
}

/// Whether a customer is known only by a channel's name for them.
fn by_channel_only(key: &str) -> bool {
    !key.starts_with("email:") && !key.starts_with("order:")
}

/// A customer with a name and postal code on some order: where they bought.
struct Person {
    key: String,
    channels: Vec<String>,
    name: String,
    postal_code: String,
}

/// Pairs of customers on different channels with the same name and postal code, where
/// one of them is known only by a channel and the seller has not answered yet.
pub fn suggestions(store: &Store) -> Result<Vec<MatchSuggestion>, AnalyticsError> {
    let conn = store.connect()?;
    let failed = |error| AnalyticsError::from(store.error(error));
    let mut statement = conn
        .prepare(
            "SELECT customer_key, channel, max(buyer_name), max(postal_code) FROM orders
             WHERE buyer_name <> '' AND postal_code <> '' AND cancelled_at IS NULL
               AND customer_key NOT IN (SELECT customer_key FROM customer_links)
             GROUP BY customer_key, channel ORDER BY customer_key, channel",
        )
        .map_err(failed)?;
    let rows: Vec<(String, String, String, String)> = statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .and_then(Iterator::collect)
        .map_err(failed)?;
    let mut people: BTreeMap<String, Person> = BTreeMap::new();
    for (key, channel, name, postal_code) in rows {
        let person = people.entry(key.clone()).or_insert_with(|| Person {
            key,
            channels: Vec::new(),
            name,
            postal_code,
        });
        person.channels.push(channel);
    }
    let mut by_place: HashMap<(String, String), Vec<&Person>> = HashMap::new();
    for person in people.values() {
        by_place
            .entry((
                same_name(&person.name),
                same_postal_code(&person.postal_code),
            ))
            .or_default()
            .push(person);
    }
    let mut found = Vec::new();
    for group in by_place.values() {
        for buyer in group.iter().filter(|person| by_channel_only(&person.key)) {
            for other in group.iter() {
                // Two buyers of one channel are two accounts; a pair of channel buyers
                // is put once, the smaller key as the one they would join.
                let different_channels = !other.channels.iter().any(|c| buyer.channels.contains(c));
                let once = !by_channel_only(&other.key) || other.key < buyer.key;
                if other.key != buyer.key && different_channels && once {
                    found.push(MatchSuggestion {
                        customer: buyer.key.clone(),
                        channel: buyer.channels.first().cloned().unwrap_or_default(),
                        with: other.key.clone(),
                        with_channels: other.channels.clone(),
                        name: buyer.name.clone(),
                        postal_code: buyer.postal_code.clone(),
                    });
                }
            }
        }
    }
    found.sort_by(|a, b| (&a.customer, &a.with).cmp(&(&b.customer, &b.with)));
    Ok(found)
}

/// Records the seller's answer on `customer` and `with`: the same person or not. Only a
/// pair that `suggestions` proposes may be linked.
pub fn decide(store: &Store, customer: &str, with: &str, same: bool) -> Result<(), AnalyticsError> {
    let Some(suggestion) = suggestions(store)?
        .into_iter()
        .find(|found| found.customer == customer && found.with == with)
    else {
        return Err(AnalyticsError::NoSuchMatch {
            customer: customer.to_string(),
            with: with.to_string(),
        });
    };
    let conn = store.connect()?;
    conn.execute(
        "INSERT INTO customer_links (customer_key, linked_to, reason, decided_at)
         VALUES (?1, ?2, ?3, ?4)",
        (
            customer,
            same.then_some(with),
            format!("{}, {}", suggestion.name, suggestion.postal_code),
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ),
    )
    .and_then(|_| frame::mark_changed(&conn))
    .map_err(|error| store.error(error))?;
    Ok(())
}

/// The customers the seller linked: each one's key to the key of the customer they are
/// (followed to the end, so a link to a linked customer lands where that one did).
pub fn links(conn: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    let mut statement = conn.prepare(
        "SELECT customer_key, linked_to FROM customer_links WHERE linked_to IS NOT NULL",
    )?;
    let direct: HashMap<String, String> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(direct
        .keys()
        .map(|key| {
            let mut to = &direct[key];
            // At most as many steps as links: a loop cannot hold the answer back.
            for _ in 0..direct.len() {
                match direct.get(to) {
                    Some(next) if next != key => to = next,
                    _ => break,
                }
            }
            (key.clone(), to.clone())
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_postal_codes_match_whatever_the_case_and_spacing() {
        assert_eq!(same_name("  Mika   Kowalski "), same_name("mika kowalski"));
        assert_eq!(same_postal_code("e1 6an"), same_postal_code("E16AN"));
        assert_eq!(same_postal_code("150-0001"), "1500001");
        assert!(by_channel_only("etsy:mika_k"));
        assert!(!by_channel_only("email:mika@example.com"));
        assert!(!by_channel_only("order:amazon:111-222"));
    }
}
