//! The seller's glossary: a source term and how it must read in each language. A
//! CSV with the columns `source`, `language`, `target` goes in and comes out; every
//! change bumps the glossary version, which is part of the translation memory's key.

use std::path::Path;

use serde::Serialize;

use crate::files::{Column, CsvExport, FileError, cell, from_spreadsheet_safe, spreadsheet_safe};
use crate::listings::ListingsError;
use crate::store::{Store, StoreError, settings};

const VERSION_SETTING: &str = "glossary_version";
const FORMAT: &str = "glossary CSV (source, language, target)";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "GlossaryEntry"))]
pub struct Entry {
    pub source: String,
    pub language: String,
    pub target: String,
}

/// The version translations were made under; 0 before any glossary.
pub fn version(store: &Store) -> Result<i64, StoreError> {
    Ok(settings::get(store, VERSION_SETTING)?
        .and_then(|text| text.parse().ok())
        .unwrap_or(0))
}

/// Every entry, by term and language.
pub fn entries(store: &Store) -> Result<Vec<Entry>, StoreError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(
            "SELECT source_term, locale, target_term FROM glossary ORDER BY source_term, locale",
        )
        .map_err(|error| store.error(error))?;
    statement
        .query_map([], |row| {
            Ok(Entry {
                source: row.get(0)?,
                language: row.get(1)?,
                target: row.get(2)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))
}

/// The (source, target) pairs for one language.
pub fn pairs(store: &Store, language: &str) -> Result<Vec<(String, String)>, StoreError> {
    Ok(entries(store)?
        .into_iter()
        .filter(|entry| entry.language == language)
        .map(|entry| (entry.source, entry.target))
        .collect())
}

/// Adds or replaces the entries of a glossary CSV, all or none; returns how many.
pub fn import(store: &Store, path: &Path) -> Result<usize, ListingsError> {
    let mut export = CsvExport::open_text(path, FORMAT)?;
    let columns = (
        export.required("source")?,
        export.required("language")?,
        export.required("target")?,
    );
    let mut found = Vec::new();
    let mut record = csv::StringRecord::new();
    while export.read(&mut record)? {
        let text = |column: &Column| from_spreadsheet_safe(cell(&record, Some(column))).to_string();
        let entry = Entry {
            source: text(&columns.0),
            language: text(&columns.1).to_lowercase(),
            target: text(&columns.2),
        };
        for (value, column) in [
            (&entry.source, &columns.0),
            (&entry.language, &columns.1),
            (&entry.target, &columns.2),
        ] {
            if value.is_empty() {
                return Err(export
                    .invalid(
                        &record,
                        column,
                        "every entry needs a source term, a language and a target term",
                    )
                    .into());
            }
        }
        if !is_language_tag(&entry.language) {
            return Err(export
                .invalid(
                    &record,
                    &columns.1,
                    "not a language code like de, fr or zh-cn",
                )
                .into());
        }
        found.push(entry);
    }
    change(store, &found, None)?;
    Ok(found.len())
}

/// A language code as the glossary keeps them: "de", "zh-cn", "pt-br" (a header row
/// pasted twice, "language", is not one).
fn is_language_tag(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|byte| byte.is_ascii_lowercase())
        && parts.all(|part| {
            (2..=8).contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_alphanumeric())
        })
}

/// Adds or replaces one entry (from the app's glossary editor).
pub fn set(store: &Store, entry: &Entry) -> Result<(), ListingsError> {
    let entry = Entry {
        source: entry.source.trim().to_string(),
        language: entry.language.trim().to_lowercase(),
        target: entry.target.trim().to_string(),
    };
    if entry.source.is_empty() || entry.language.is_empty() || entry.target.is_empty() {
        return Err(FileError::Unreadable {
            path: "glossary".into(),
            detail: "an entry needs a source term, a language and a target term".into(),
        }
        .into());
    }
    change(store, std::slice::from_ref(&entry), None)?;
    Ok(())
}

/// Removes the entry of `source` in `language`; returns whether there was one.
pub fn remove(store: &Store, source: &str, language: &str) -> Result<bool, StoreError> {
    change(store, &[], Some((source, language)))
}

/// Writes entries and removes one, bumping the version, in one transaction; returns
/// whether the removal found its entry.
fn change(
    store: &Store,
    entries: &[Entry],
    removal: Option<(&str, &str)>,
) -> Result<bool, StoreError> {
    let mut conn = store.connect()?;
    let transaction = conn.transaction().map_err(|error| store.error(error))?;
    for entry in entries {
        transaction
            .execute(
                "INSERT INTO glossary (source_term, locale, target_term) VALUES (?1, ?2, ?3)
                 ON CONFLICT (source_term, locale) DO UPDATE SET target_term = excluded.target_term",
                [&entry.source, &entry.language, &entry.target],
            )
            .map_err(|error| store.error(error))?;
    }
    let removed = match removal {
        Some((source, language)) => {
            transaction
                .execute(
                    "DELETE FROM glossary WHERE source_term = ?1 AND locale = ?2",
                    [source, language],
                )
                .map_err(|error| store.error(error))?
                > 0
        }
        None => false,
    };
    let next = version(store)? + 1;
    transaction
        .execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [VERSION_SETTING, &next.to_string()],
        )
        .map_err(|error| store.error(error))?;
    transaction.commit().map_err(|error| store.error(error))?;
    Ok(removed)
}

/// Writes the glossary as CSV (source, language, target), atomically.
pub fn export(store: &Store, path: &Path) -> Result<usize, ListingsError> {
    let entries = entries(store)?;
    let mut writer = csv::Writer::from_writer(Vec::new());
    let written = (|| -> Result<Vec<u8>, csv::Error> {
        writer.write_record(["source", "language", "target"])?;
        for entry in &entries {
            // People open it in a spreadsheet; the import takes the apostrophe off.
            writer.write_record(
                [&entry.source, &entry.language, &entry.target].map(|text| spreadsheet_safe(text)),
            )?;
        }
        writer
            .into_inner()
            .map_err(|error| csv::Error::from(error.into_error()))
    })()
    .map_err(|error| FileError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(error),
    })?;
    crate::files::write_atomically(path, &written)?;
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DATABASE_FILE, StoreOptions};

    #[test]
    fn a_glossary_goes_in_and_out_and_each_import_is_a_new_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE), StoreOptions::default()).unwrap();
        assert_eq!(version(&store).unwrap(), 0);
        let file = dir.path().join("glossary.csv");
        std::fs::write(
            &file,
            "source,language,target\ntote bag,DE,Tragetasche\ntote bag,fr,sac cabas\n",
        )
        .unwrap();
        assert_eq!(import(&store, &file).unwrap(), 2);
        assert_eq!(version(&store).unwrap(), 1);
        assert_eq!(
            pairs(&store, "de").unwrap(),
            [("tote bag".to_string(), "Tragetasche".to_string())]
        );

        let out = dir.path().join("out.csv");
        assert_eq!(export(&store, &out).unwrap(), 2);
        import(&store, &out).unwrap();
        assert_eq!(version(&store).unwrap(), 2);
        assert_eq!(entries(&store).unwrap().len(), 2);

        std::fs::write(&file, "source,language,target\nmug,de,\n").unwrap();
        let error = import(&store, &file).unwrap_err().to_string();
        assert!(
            error.contains("row 2") && error.contains("'target'"),
            "{error}"
        );
        assert_eq!(
            version(&store).unwrap(),
            2,
            "a refused file changes nothing"
        );
    }

    #[test]
    fn an_entry_is_edited_and_removed_one_by_one_each_a_new_version() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE), StoreOptions::default()).unwrap();
        let entry = |source: &str, language: &str, target: &str| Entry {
            source: source.into(),
            language: language.into(),
            target: target.into(),
        };
        set(&store, &entry(" tote bag ", "DE", "Tragetasche")).unwrap();
        set(&store, &entry("tote bag", "de", "Einkaufstasche")).unwrap();
        assert_eq!(
            entries(&store).unwrap(),
            [entry("tote bag", "de", "Einkaufstasche")]
        );
        assert_eq!(version(&store).unwrap(), 2);
        let error = set(&store, &entry("mug", "de", " "))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("needs a source term, a language and a target term"),
            "{error}"
        );
        assert_eq!(
            version(&store).unwrap(),
            2,
            "a refused entry changes nothing"
        );
        assert!(remove(&store, "tote bag", "de").unwrap());
        assert!(!remove(&store, "tote bag", "de").unwrap());
        assert!(entries(&store).unwrap().is_empty());
    }
}
