//! The translations kept in the store: listing them for review and export, the
//! seller's review of a field (their edit, or an approval), and what a translation
//! was asked with, so translating it again takes the same route.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use crate::listings::ListingsError;
use crate::ml::route::EngineChoice;
use crate::store::{Store, StoreError};

/// What a stored translation was asked with: the source language and the family of
/// models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub source_lang: String,
    pub prefer: EngineChoice,
}

pub(super) fn prefer_name(prefer: EngineChoice) -> &'static str {
    match prefer {
        EngineChoice::Marian => "marian",
        EngineChoice::Madlad => "madlad",
    }
}

/// How the stored translation of a field was asked for, if there is one.
pub fn origin(
    store: &Store,
    listing_id: i64,
    field: &str,
    locale: &str,
) -> Result<Option<Origin>, StoreError> {
    let conn = store.connect()?;
    let found: Option<(String, String)> = conn
        .query_row(
            "SELECT source_lang, prefer FROM listing_translations WHERE listing_id = ?1 AND field = ?2 AND locale = ?3",
            rusqlite::params![listing_id, field, locale],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(|error| store.error(error))?;
    Ok(found.map(|(source_lang, prefer)| Origin {
        source_lang,
        prefer: if prefer == "madlad" {
            EngineChoice::Madlad
        } else {
            EngineChoice::Marian
        },
    }))
}

/// A stored translation, for review and export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoredTranslation {
    pub listing_id: i64,
    pub handle: String,
    pub field: String,
    pub locale: String,
    pub source: String,
    pub translated: String,
    /// machine, edited or approved.
    #[cfg_attr(feature = "ts", ts(type = r#""machine" | "edited" | "approved""#))]
    pub status: String,
    /// What a reviewer should look at, as the translation stored it.
    #[cfg_attr(
        feature = "ts",
        ts(as = "Vec<crate::listings::translate::segments::Flag>")
    )]
    pub flags: serde_json::Value,
}

/// Every stored translation, by listing, field and locale.
pub fn stored(store: &Store) -> Result<Vec<StoredTranslation>, StoreError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(
            "SELECT t.listing_id, l.handle, t.field, t.locale, t.source, t.translated, t.status, t.flags
             FROM listing_translations t JOIN listings l ON l.id = t.listing_id
             ORDER BY t.listing_id, t.locale, t.field",
        )
        .map_err(|error| store.error(error))?;
    statement
        .query_map([], |row| {
            let flags: String = row.get(7)?;
            Ok(StoredTranslation {
                listing_id: row.get(0)?,
                handle: row.get(1)?,
                field: row.get(2)?,
                locale: row.get(3)?,
                source: row.get(4)?,
                translated: row.get(5)?,
                status: row.get(6)?,
                flags: serde_json::from_str(&flags).unwrap_or(serde_json::Value::Null),
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))
}

/// What the seller does with a translated field in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Review {
    /// Their own text replaces the machine's; the machine will not overwrite it.
    Edited,
    /// The text is right as it is.
    Approved,
}

/// Applies a review to one stored field: `text` replaces the translation (for an
/// edit).
pub fn review(
    store: &Store,
    listing_id: i64,
    field: &str,
    locale: &str,
    text: Option<&str>,
    review: Review,
) -> Result<(), ListingsError> {
    let conn = store.connect()?;
    let status = match review {
        Review::Edited => "edited",
        Review::Approved => "approved",
    };
    let changed = conn
        .execute(
            "UPDATE listing_translations
             SET translated = coalesce(?4, translated), status = ?5, updated_at = ?6,
                 flags = CASE WHEN ?4 IS NULL THEN flags ELSE '[]' END
             WHERE listing_id = ?1 AND field = ?2 AND locale = ?3",
            rusqlite::params![
                listing_id,
                field,
                locale,
                text,
                status,
                chrono::Utc::now().to_rfc3339()
            ],
        )
        .map_err(|error| store.error(error))?;
    if changed == 1 {
        Ok(())
    } else {
        Err(ListingsError::NoTranslation {
            listing_id,
            field: field.to_string(),
            locale: locale.to_string(),
        })
    }
}
