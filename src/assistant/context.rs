//! What a buyer's message is about: the order it names (by the order numbers the
//! protector found) and the listings it speaks of (the catalogue's titles ranked by a
//! likeness the caller gives: sentence embeddings where a model is installed), each as
//! facts a reply may rely on.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::AssistantError;
use crate::listings::catalogue::{self as query, ListingSummary};
use crate::listings::translate::html;
use crate::money::{format_cents, format_minor};
use crate::store::{Store, StoreError};

/// How alike a message is to each of some titles, 0 to 1.
pub type LikenessFn<'a> = dyn Fn(&str, &[String]) -> Result<Vec<f32>, AssistantError> + 'a;

/// Listings this alike to the message, or more, are what it is about.
pub const LIKENESS_NEEDED: f32 = 0.35;
/// A description is shortened to this many characters for the prompt.
const DESCRIPTION_CHARS: usize = 300;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderFacts {
    /// As the channel writes it (#1042).
    pub number: String,
    pub channel: String,
    /// The day it was placed.
    pub placed: String,
    pub payment: String,
    /// The day it was cancelled, if it was.
    pub cancelled: Option<String>,
    pub country: String,
    /// The total with its currency.
    pub total: String,
    /// "2 × Kumo Mug (MUG-1)", one per line of the order.
    pub lines: Vec<String>,
}

impl OrderFacts {
    pub fn facts(&self) -> Vec<String> {
        let mut facts = vec![format!(
            "Order {} on {}: placed {}, payment {}, total {}, shipping to {}",
            self.number,
            self.channel,
            self.placed,
            if self.payment.is_empty() {
                "unknown"
            } else {
                &self.payment
            },
            self.total,
            if self.country.is_empty() {
                "an unknown country"
            } else {
                &self.country
            }
        )];
        if let Some(day) = &self.cancelled {
            facts.push(format!("Order {} was cancelled on {day}", self.number));
        }
        if !self.lines.is_empty() {
            facts.push(format!(
                "Order {} holds: {}",
                self.number,
                self.lines.join("; ")
            ));
        }
        facts.push(format!(
            "Nothing is known about the shipment of order {} (no tracking, no dispatch date)",
            self.number
        ));
        facts
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListingFacts {
    pub handle: String,
    pub title: String,
    pub price: Option<String>,
    /// The start of its description, as plain text.
    pub description: String,
    /// How alike it is to the message (0 to 1).
    pub likeness: f32,
}

impl ListingFacts {
    pub fn facts(&self) -> Vec<String> {
        let mut fact = format!("Product \"{}\"", self.title);
        if let Some(price) = &self.price {
            fact.push_str(&format!(", price {price}"));
        }
        if !self.description.is_empty() {
            fact.push_str(&format!(": {}", self.description));
        }
        vec![fact]
    }
}

/// The first stored order whose number is one of `numbers` ("#1042" or "1042" alike).
pub fn find_order(store: &Store, numbers: &[String]) -> Result<Option<OrderFacts>, StoreError> {
    let conn = store.connect()?;
    let sqlite = |error| store.error(error);
    for number in numbers {
        let bare = number.trim_start_matches('#');
        let found = conn
            .query_row(
                "SELECT id, name, channel, substr(created_at, 1, 10), financial_status,
                        substr(cancelled_at, 1, 10), shipping_country, total_minor, currency
                 FROM orders WHERE name IN (?1, ?2) ORDER BY created_at DESC LIMIT 1",
                params![bare, format!("#{bare}")],
                |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        OrderFacts {
                            number: row.get(1)?,
                            channel: row.get(2)?,
                            placed: row.get(3)?,
                            payment: row.get(4)?,
                            cancelled: row.get(5)?,
                            country: row.get(6)?,
                            total: format!(
                                "{} {}",
                                format_minor(row.get(7)?, &row.get::<_, String>(8)?),
                                row.get::<_, String>(8)?
                            ),
                            lines: Vec::new(),
                        },
                    ))
                },
            )
            .optional()
            .map_err(sqlite)?;
        let Some((id, mut order)) = found else {
            continue;
        };
        let mut lines = conn
            .prepare(
                "SELECT quantity, name, sku FROM order_lines WHERE order_id = ?1 ORDER BY line_no",
            )
            .map_err(sqlite)?;
        order.lines = lines
            .query_map([id], |row| {
                let (quantity, name, sku): (i64, String, String) =
                    (row.get(0)?, row.get(1)?, row.get(2)?);
                Ok(if sku.is_empty() {
                    format!("{quantity} × {name}")
                } else {
                    format!("{quantity} × {name} ({sku})")
                })
            })
            .and_then(Iterator::collect)
            .map_err(sqlite)?;
        return Ok(Some(order));
    }
    Ok(None)
}

/// The words of `text` that can tell products apart: letters and digits, lower case,
/// three characters or more.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// How much of each title's words the message uses: the likeness when no sentence
/// model is installed.
pub fn shared_words(message: &str, titles: &[String]) -> Vec<f32> {
    let said = words(message);
    titles
        .iter()
        .map(|title| {
            let words = words(title);
            let shared = words.iter().filter(|word| said.contains(word)).count();
            if words.is_empty() {
                0.0
            } else {
                (shared as f32 / words.len() as f32).sqrt()
            }
        })
        .collect()
}

/// The plain text of a listing's description, shortened for the prompt.
fn description(store: &Store, listing: &ListingSummary) -> Result<String, StoreError> {
    let conn = store.connect()?;
    let body: String = conn
        .query_row(
            "SELECT body_html FROM listings WHERE id = ?1",
            [listing.id],
            |row| row.get(0),
        )
        .map_err(|error| store.error(error))?;
    Ok(plain_text(&body, DESCRIPTION_CHARS))
}

/// The text of a description's HTML (markup left out), cut after `chars` characters.
pub(super) fn plain_text(body_html: &str, chars: usize) -> String {
    let text = html::pieces(body_html)
        .map(|pieces| {
            pieces
                .into_iter()
                .filter(|piece| piece.kind == html::PieceKind::Text)
                .map(|piece| piece.text)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    match text.char_indices().nth(chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// The (at most `limit`) listings `likeness` finds the message to be about, most alike
/// first. `likeness` scores the message against each title, 0 to 1.
pub fn find_listings(
    store: &Store,
    message: &str,
    limit: usize,
    likeness: &LikenessFn,
) -> Result<Vec<ListingFacts>, AssistantError> {
    let listings = query::list(store)?;
    if listings.is_empty() {
        return Ok(Vec::new());
    }
    let titles: Vec<String> = listings
        .iter()
        .map(|listing| listing.title.clone())
        .collect();
    let scores = likeness(message, &titles)?;
    let mut ranked: Vec<(f32, &ListingSummary)> = scores
        .into_iter()
        .zip(&listings)
        .filter(|(score, _)| *score >= LIKENESS_NEEDED)
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranked
        .into_iter()
        .take(limit)
        .map(|(likeness, listing)| {
            let price = match (listing.min_price_cents, listing.max_price_cents) {
                (Some(low), Some(high)) if low != high => {
                    Some(format!("{} to {}", format_cents(low), format_cents(high)))
                }
                (Some(price), _) => Some(format_cents(price)),
                _ => None,
            };
            Ok(ListingFacts {
                handle: listing.handle.clone(),
                title: listing.title.clone(),
                price,
                description: description(store, listing)?,
                likeness,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_words_rank_the_title_the_message_speaks_of_first() {
        let titles = [
            "Sakura Stitch Tote Bag".to_string(),
            "Kumo Ceramic Mug".to_string(),
        ];
        let scores = shared_words("Does the sakura tote fit a 15 inch laptop?", &titles);
        assert!(
            scores[0] >= LIKENESS_NEEDED && scores[1] == 0.0,
            "{scores:?}"
        );
    }
}
