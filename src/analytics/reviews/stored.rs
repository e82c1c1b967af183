//! Reviews in the database (migration 0015): saved from a file in one transaction (an
//! overlapping export updates what it holds), the star model's readings added as they
//! come, and read back for the summaries.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::layout::{ReviewLayout, ReviewRow};
use crate::analytics::AnalyticsError;
use crate::listings::translate::language;
use crate::store::Store;

/// A stored review.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredReview {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub source: String,
    /// The listing's handle or a SKU as the file named it; empty for a review of the
    /// whole shop (an Etsy order of several products).
    pub product: String,
    pub rating: Option<u8>,
    pub title: String,
    pub body: String,
    pub reviewed_on: Option<String>,
    pub reviewer: String,
    /// ISO 639-1 where there is one; None when the text is too short to tell.
    pub language: Option<String>,
    /// What the star model read in the text, 1 to 5.
    pub text_stars: Option<f32>,
}

impl StoredReview {
    /// The title and the text as one passage, as the models read it.
    pub fn text(&self) -> String {
        passage(&self.title, &self.body)
    }

    /// The stars the review stands for: the reviewer's, else what the model read.
    pub fn stars(&self) -> Option<f32> {
        self.rating.map(f32::from).or(self.text_stars)
    }
}

fn passage(title: &str, body: &str) -> String {
    match (title.is_empty(), body.is_empty()) {
        (true, _) => body.to_string(),
        (false, true) => title.to_string(),
        // A title that ends the way a sentence does is not given a second full stop.
        (false, false) if title.ends_with(['.', '!', '?', '。', '！', '？']) => {
            format!("{title} {body}")
        }
        (false, false) => format!("{title}. {body}"),
    }
}

/// How many reviews a file added and how many it updated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Saved {
    pub added: usize,
    pub updated: usize,
}

/// Saves `rows` from a file of `layout`, all or none. The language is the file's where
/// it names one, else detected from the text; a review of an order (Etsy's) is of that
/// order's product when the order holds one.
pub fn save(
    store: &Store,
    layout: ReviewLayout,
    rows: &[ReviewRow],
) -> Result<Saved, AnalyticsError> {
    let mut conn = store.connect()?;
    let failed = |error| AnalyticsError::from(store.error(error));
    let transaction = conn.transaction().map_err(failed)?;
    let mut saved = Saved::default();
    {
        let mut exists = transaction
            .prepare("SELECT 1 FROM reviews WHERE source = ?1 AND review_key = ?2")
            .map_err(failed)?;
        let mut order_products = transaction
            .prepare(
                "SELECT DISTINCT CASE WHEN l.sku <> '' THEN l.sku ELSE l.name END
                 FROM orders o JOIN order_lines l ON l.order_id = o.id
                 WHERE o.name = ?1 AND (?2 = '' OR o.channel = ?2)",
            )
            .map_err(failed)?;
        let mut upsert = transaction
            .prepare(
                "INSERT INTO reviews (source, review_key, product, order_name, rating, title,
                     body, reviewed_on, reviewer, language, language_detected)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (source, review_key) DO UPDATE SET
                     product = excluded.product, order_name = excluded.order_name,
                     rating = excluded.rating, title = excluded.title, body = excluded.body,
                     reviewed_on = excluded.reviewed_on, reviewer = excluded.reviewer,
                     language = excluded.language,
                     language_detected = excluded.language_detected,
                     text_stars = CASE WHEN reviews.title = excluded.title
                         AND reviews.body = excluded.body THEN reviews.text_stars END,
                     sentiment_model = CASE WHEN reviews.title = excluded.title
                         AND reviews.body = excluded.body THEN reviews.sentiment_model END",
            )
            .map_err(failed)?;
        let channel = if layout == ReviewLayout::Etsy {
            "etsy"
        } else {
            ""
        };
        for row in rows {
            let known = exists
                .query_row(params![layout.key(), row.key], |_| Ok(()))
                .optional()
                .map_err(failed)?
                .is_some();
            let product = if row.product.is_empty() && !row.order.is_empty() {
                let products: Vec<String> = order_products
                    .query_map(params![row.order, channel], |found| found.get(0))
                    .and_then(Iterator::collect)
                    .map_err(failed)?;
                match products.as_slice() {
                    [only] => only.clone(),
                    _ => String::new(),
                }
            } else {
                row.product.clone()
            };
            let (language, detected) = match &row.language {
                Some(given) => (Some(given.clone()), false),
                None => (detect(&passage(&row.title, &row.body)), true),
            };
            upsert
                .execute(params![
                    layout.key(),
                    row.key,
                    product,
                    row.order,
                    row.rating,
                    row.title,
                    row.body,
                    row.date,
                    row.reviewer,
                    language,
                    detected,
                ])
                .map_err(failed)?;
            if known {
                saved.updated += 1;
            } else {
                saved.added += 1;
            }
        }
    }
    transaction.commit().map_err(failed)?;
    Ok(saved)
}

/// The language of a review's text, when the statistics can tell: a short review ("Love
/// it!") is too short to say, and is left unknown rather than guessed.
fn detect(text: &str) -> Option<String> {
    language::detect(text)
        .filter(|detected| detected.reliable || detected.confidence >= 0.5)
        .map(|detected| detected.language)
}

/// Up to `limit` reviews with words that `model` has not read yet.
pub fn unread(
    store: &Store,
    model: &str,
    limit: usize,
) -> Result<Vec<StoredReview>, AnalyticsError> {
    select(
        store,
        "WHERE (title <> '' OR body <> '') AND sentiment_model IS NOT ?1 ORDER BY id LIMIT ?2",
        params![model, limit as i64],
    )
}

/// Records what `model` read in these reviews.
pub fn set_text_stars(
    store: &Store,
    model: &str,
    readings: &[(i64, f32)],
) -> Result<(), AnalyticsError> {
    let mut conn = store.connect()?;
    let failed = |error| AnalyticsError::from(store.error(error));
    let transaction = conn.transaction().map_err(failed)?;
    {
        let mut update = transaction
            .prepare("UPDATE reviews SET text_stars = ?2, sentiment_model = ?3 WHERE id = ?1")
            .map_err(failed)?;
        for (id, stars) in readings {
            update.execute(params![id, stars, model]).map_err(failed)?;
        }
    }
    transaction.commit().map_err(failed)
}

/// Every stored review, oldest first.
pub fn all(store: &Store) -> Result<Vec<StoredReview>, AnalyticsError> {
    select(store, "ORDER BY reviewed_on, id", params![])
}

fn select(
    store: &Store,
    rest: &str,
    values: impl rusqlite::Params,
) -> Result<Vec<StoredReview>, AnalyticsError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(&format!(
            "SELECT id, source, product, rating, title, body, reviewed_on, reviewer, language,
                 text_stars FROM reviews {rest}"
        ))
        .map_err(|error| store.error(error))?;
    statement
        .query_map(values, |row| {
            Ok(StoredReview {
                id: row.get(0)?,
                source: row.get(1)?,
                product: row.get(2)?,
                rating: row.get(3)?,
                title: row.get(4)?,
                body: row.get(5)?,
                reviewed_on: row.get(6)?,
                reviewer: row.get(7)?,
                language: row.get(8)?,
                text_stars: row.get(9)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error).into())
}
