//! The translation memory: segments translated before, in SQLite, keyed by the
//! normalised source, the language pair, the engine (models and revisions) and the
//! glossary version, so a segment is never translated twice by the same setup.

use rusqlite::OptionalExtension;

use crate::store::{Store, StoreError};

/// Everything a stored translation depends on besides its source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoryKey {
    pub source_lang: String,
    pub target_lang: String,
    /// The models that made it, with their revisions.
    pub engine: String,
    pub glossary_version: i64,
}

/// Trimmed, with every run of whitespace as one space: the same text typed twice
/// with different spacing is the same segment.
pub fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub struct TranslationMemory {
    store: Store,
}

impl TranslationMemory {
    pub fn new(store: Store) -> TranslationMemory {
        TranslationMemory { store }
    }

    /// The stored translation of `source` under `key`, if any.
    pub fn lookup(&self, key: &MemoryKey, source: &str) -> Result<Option<String>, StoreError> {
        let conn = self.store.connect()?;
        conn.query_row(
            "SELECT target FROM translation_memory
             WHERE source = ?1 AND source_lang = ?2 AND target_lang = ?3 AND engine = ?4
               AND glossary_version = ?5",
            rusqlite::params![
                normalise(source),
                key.source_lang,
                key.target_lang,
                key.engine,
                key.glossary_version
            ],
            |row| row.get(0),
        )
        .optional()
        .map_err(|error| self.store.error(error))
    }

    /// Stores translations of sources under `key` in one transaction.
    pub fn remember(&self, key: &MemoryKey, pairs: &[(&str, &str)]) -> Result<(), StoreError> {
        let mut conn = self.store.connect()?;
        let now = chrono::Utc::now().to_rfc3339();
        let transaction = conn
            .transaction()
            .map_err(|error| self.store.error(error))?;
        {
            let mut insert = transaction
                .prepare(
                    "INSERT INTO translation_memory
                       (source, source_lang, target_lang, engine, glossary_version, target, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT DO UPDATE SET target = excluded.target, created_at = excluded.created_at",
                )
                .map_err(|error| self.store.error(error))?;
            for (source, target) in pairs {
                insert
                    .execute(rusqlite::params![
                        normalise(source),
                        key.source_lang,
                        key.target_lang,
                        key.engine,
                        key.glossary_version,
                        target,
                        now
                    ])
                    .map_err(|error| self.store.error(error))?;
            }
        }
        transaction
            .commit()
            .map_err(|error| self.store.error(error))
    }
}
