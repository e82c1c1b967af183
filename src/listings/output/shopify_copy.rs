//! Translations back into the file the seller gave: a copy of the Shopify product
//! CSV per language, with the translated cells replaced and every other byte as it
//! was, ready for the shop's own import.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Serialize;

use super::raw_csv::CsvCopy;
use crate::files::FileError;
use crate::listings::ListingsError;
use crate::listings::catalogue::shopify_csv::{
    BODY_COLUMNS, HANDLE_COLUMNS, IMAGE_ALT_COLUMNS, IMAGE_POSITION_COLUMNS,
    SEO_DESCRIPTION_COLUMNS, SEO_TITLE_COLUMNS, option_value_field, text_metafield,
};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CopyReport {
    /// Cells replaced by their translation.
    pub replaced: u64,
    /// Cells whose text in the file is not what was translated (the file changed
    /// since): left as they are.
    pub stale: u64,
}

/// Which columns hold which field, in the legacy and the 2024+ exports.
const FIELD_COLUMNS: &[(&[&str], &str)] = &[
    (&["Title"], "title"),
    (&BODY_COLUMNS, "body_html"),
    (&SEO_TITLE_COLUMNS, "seo_title"),
    (&SEO_DESCRIPTION_COLUMNS, "seo_description"),
    (&["Tags"], "tags"),
];

/// (handle, field) → (the source translated, the translation).
pub(super) type TranslationsByCell = HashMap<(String, String), (String, String)>;

/// The stored translations into `locale`. Where listings of several files share a
/// handle, those imported from `source` (the file being copied) win; a file that was
/// never imported itself (a newer export of the same shop) takes any.
pub(super) fn translations(
    store: &Store,
    locale: &str,
    source: &str,
) -> Result<TranslationsByCell, StoreError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(
            "SELECT l.handle, t.field, t.source, t.translated
             FROM listing_translations t JOIN listings l ON l.id = t.listing_id WHERE t.locale = ?1
             ORDER BY l.source = ?2, l.id",
        )
        .map_err(|error| store.error(error))?;
    statement
        .query_map((locale, source), |row| {
            Ok(((row.get(0)?, row.get(1)?), (row.get(2)?, row.get(3)?)))
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))
}

/// Writes to `out` (atomically) a copy of `original` with the translated cells into
/// `locale` in place.
pub fn translated_copy(
    store: &Store,
    (original, source): (&Path, &str),
    locale: &str,
    out: &Path,
) -> Result<CopyReport, ListingsError> {
    let file = CsvCopy::read(original)?;
    let (header, rows) = (&file.header, &file.rows);
    let column = |names: &[&str]| {
        header.values.iter().position(|value| {
            let value = value.trim_start_matches('\u{feff}').trim();
            names.contains(&value)
        })
    };
    let handle_column = column(&HANDLE_COLUMNS).ok_or_else(|| FileError::MissingColumn {
        path: original.to_path_buf(),
        column: "Handle".into(),
        format: "Shopify product CSV",
    })?;
    let mut fields: Vec<(usize, String)> = FIELD_COLUMNS
        .iter()
        .filter_map(|(names, field)| column(names).map(|index| (index, field.to_string())))
        .collect();
    let option_column = |n: usize, what: &str| {
        column(&[
            format!("Option{n} {what}").as_str(),
            format!("Option{n} {}", what.to_lowercase()).as_str(),
        ])
    };
    for n in 1..=3 {
        if let Some(index) = option_column(n, "Name") {
            fields.push((index, format!("option_name:{n}")));
        }
    }
    for (index, header) in header.values.iter().enumerate() {
        if let Some(key) = text_metafield(header) {
            fields.push((index, format!("metafield:{key}")));
        }
    }
    // An option that any row of its product links to a metafield keeps its values (see
    // `shopify_csv`).
    let option_links: Vec<Option<usize>> = (1..=3).map(|n| option_column(n, "Linked To")).collect();
    let mut linked: HashSet<(&str, usize)> = HashSet::new();
    for record in rows {
        let Some(handle) = record.values.get(handle_column) else {
            continue;
        };
        for (n, column) in option_links.iter().enumerate() {
            let link = column.and_then(|index| record.values.get(index));
            if link.is_some_and(|value| !value.trim().is_empty()) {
                linked.insert((handle.as_str(), n + 1));
            }
        }
    }
    let option_values: Vec<(usize, usize)> = (1..=3)
        .filter_map(|n| option_column(n, "Value").map(|index| (n, index)))
        .collect();
    let alt_columns = column(&IMAGE_ALT_COLUMNS).zip(column(&IMAGE_POSITION_COLUMNS));
    let translated = translations(store, locale, source)?;

    let mut report = CopyReport::default();
    let mut replacements = Vec::new();
    let mut previous_handle = "";
    let mut offer = |handle: &str,
                     field: String,
                     record: &super::raw_csv::RawRecord,
                     index: usize,
                     report: &mut CopyReport| {
        let (Some(range), Some(value)) = (record.cells.get(index), record.values.get(index)) else {
            return;
        };
        if value.trim().is_empty() {
            return;
        }
        match translated.get(&(handle.to_string(), field)) {
            Some((source, target)) if source == value.trim() => {
                replacements.push((range.clone(), target.clone()));
                report.replaced += 1;
            }
            Some(_) => report.stale += 1,
            None => {}
        }
    };
    for record in rows {
        let Some(handle) = record.values.get(handle_column) else {
            continue;
        };
        if handle != previous_handle {
            for (index, field) in &fields {
                offer(handle, field.clone(), record, *index, &mut report);
            }
        }
        for &(n, index) in &option_values {
            if linked.contains(&(handle.as_str(), n)) {
                continue;
            }
            if let Some(value) = record.values.get(index) {
                let field = option_value_field(n, value.trim());
                offer(handle, field, record, index, &mut report);
            }
        }
        if let Some((alt, position)) = alt_columns
            && let Some(position) = record
                .values
                .get(position)
                .filter(|value| !value.trim().is_empty())
        {
            offer(
                handle,
                format!("image_alt:{}", position.trim()),
                record,
                alt,
                &mut report,
            );
        }
        previous_handle = handle;
    }
    file.write_replaced(out, replacements)?;
    Ok(report)
}
