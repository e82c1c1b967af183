//! Shopify's translations file, as the admin (Settings → Languages → Export) and the
//! Translate & Adapt app write it: `Type, Identification, Field, Locale, Market,
//! Status, Default content, Translated content`, one row per translatable field of a
//! resource and locale.
//!
//! Shopify imports it by its own resource ids, which the product CSV does not carry,
//! so Tradewind fills in the file the shop exported rather than inventing one: each
//! product row finds its listing through the `handle` row of the same id, other
//! resources (options, option values, image alt texts, metafields) are found by their
//! text, and a translation is written only where the row's default content is the
//! very text that was translated. Every other byte of the file stays as it was.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use super::raw_csv::{CsvCopy, RawRecord};
use crate::files::FileError;
use crate::listings::ListingsError;
use crate::listings::rules::{Rule, check};
use crate::listings::translate::StoredTranslation;
use crate::store::Store;

pub const FORMAT: &str = "Shopify translations CSV";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FilledReport {
    /// Rows whose translated content Tradewind wrote.
    pub filled: u64,
    /// Rows whose default content is no longer the text Tradewind translated (the
    /// product changed in the shop since): left as they were.
    pub stale: u64,
    /// Rows of the locales Tradewind translated into that it has no translation for.
    pub untranslated: u64,
    /// Locales of the file Tradewind has no translations into at all.
    pub other_locales: Vec<String>,
    /// Filled rows over Shopify's length limits or guidance (SEO title 70 characters,
    /// SEO description 320): worth a look before importing.
    pub over_limits: u64,
}

/// The file's Field of a product row, as Tradewind names the listing's field.
fn product_field(field: &str) -> Option<&'static str> {
    Some(match field {
        "title" => "title",
        "body_html" => "body_html",
        "meta_title" => "seo_title",
        "meta_description" => "seo_description",
        _ => return None,
    })
}

/// The kind of listing field (the part before any ':') a resource's text is kept
/// under, for resources found by their text.
fn field_kind(resource: &str, field: &str) -> Option<&'static str> {
    Some(match (resource, field) {
        ("PRODUCT_OPTION", "name") => "option_name",
        ("PRODUCT_OPTION_VALUE", "name") => "option_value",
        ("MEDIA_IMAGE", "alt") => "image_alt",
        ("METAFIELD", "value") => "metafield",
        _ => return None,
    })
}

/// Whether the file's locale (de, pt-BR, zh-CN…) is Tradewind's `locale` (de, pt, zh…).
fn same_locale(file_locale: &str, locale: &str) -> bool {
    let file_locale = file_locale.trim();
    file_locale.eq_ignore_ascii_case(locale)
        || file_locale
            .split(['-', '_'])
            .next()
            .is_some_and(|language| language.eq_ignore_ascii_case(locale))
}

/// Shopify writes ids with a leading apostrophe so that spreadsheets keep every digit.
fn resource_id(identification: &str) -> &str {
    identification.trim().trim_start_matches('\'')
}

struct Columns {
    resource: usize,
    id: usize,
    field: usize,
    locale: usize,
    default_content: usize,
    translated_content: usize,
}

impl Columns {
    fn find(path: &Path, header: &RawRecord) -> Result<Columns, FileError> {
        let column = |name: &'static str| {
            header
                .values
                .iter()
                .position(|value| value.trim_start_matches('\u{feff}').trim() == name)
                .ok_or_else(|| FileError::MissingColumn {
                    path: path.to_path_buf(),
                    column: name.into(),
                    format: FORMAT,
                })
        };
        Ok(Columns {
            resource: column("Type")?,
            id: column("Identification")?,
            field: column("Field")?,
            locale: column("Locale")?,
            default_content: column("Default content")?,
            translated_content: column("Translated content")?,
        })
    }
}

/// Where a row's translation comes from.
struct Lookup<'a> {
    /// (handle, field, locale) → the stored translation.
    by_field: HashMap<(&'a str, &'a str, &'a str), &'a StoredTranslation>,
    /// (field kind, locale, source text) → the translations made of that text.
    by_text: HashMap<(&'a str, &'a str, &'a str), Vec<&'a str>>,
}

impl<'a> Lookup<'a> {
    fn new(stored: &'a [StoredTranslation]) -> Lookup<'a> {
        let mut by_field = HashMap::new();
        let mut by_text: HashMap<_, Vec<&str>> = HashMap::new();
        for row in stored {
            by_field.insert(
                (row.handle.as_str(), row.field.as_str(), row.locale.as_str()),
                row,
            );
            let kind = row.field.split(':').next().unwrap_or_default();
            let made = by_text
                .entry((kind, row.locale.as_str(), row.source.as_str()))
                .or_default();
            if !made.contains(&row.translated.as_str()) {
                made.push(&row.translated);
            }
        }
        Lookup { by_field, by_text }
    }

    /// The translation of a text found by its text alone, when every listing that has
    /// it agrees on it.
    fn by_text(&self, kind: &str, locale: &str, source: &str) -> Option<&'a str> {
        match self.by_text.get(&(kind, locale, source))?.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }
}

enum Outcome {
    Filled(String),
    Stale,
    Untranslated,
    NotOurs,
}

/// Writes to `out` (atomically) the shop's translations export `shop_export` with the
/// translated content of every row Tradewind has a translation for.
pub fn fill(
    store: &Store,
    rules: &[Rule],
    shop_export: &Path,
    out: &Path,
) -> Result<FilledReport, ListingsError> {
    let file = CsvCopy::read(shop_export)?;
    let rows = &file.rows;
    let columns = Columns::find(shop_export, &file.header)?;
    let value = |record: &'_ RawRecord, index: usize| -> String {
        record.values.get(index).cloned().unwrap_or_default()
    };
    let handles: HashMap<String, String> = rows
        .iter()
        .filter(|row| {
            value(row, columns.resource) == "PRODUCT" && value(row, columns.field) == "handle"
        })
        .map(|row| {
            (
                resource_id(&value(row, columns.id)).to_string(),
                value(row, columns.default_content),
            )
        })
        .collect();
    let stored = crate::listings::translate::stored(store)?;
    let lookup = Lookup::new(&stored);
    let mut our_locales: Vec<&str> = stored.iter().map(|row| row.locale.as_str()).collect();
    our_locales.sort_unstable();
    our_locales.dedup();

    let mut report = FilledReport::default();
    let mut replacements = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let file_locale = value(row, columns.locale);
        let exact = our_locales
            .iter()
            .find(|locale| file_locale.trim().eq_ignore_ascii_case(locale));
        let Some(locale) = exact.or_else(|| {
            our_locales
                .iter()
                .find(|locale| same_locale(&file_locale, locale))
        }) else {
            if !file_locale.trim().is_empty() && !report.other_locales.contains(&file_locale) {
                report.other_locales.push(file_locale);
            }
            continue;
        };
        let outcome = outcome(&lookup, &handles, &columns, row, locale, value);
        match outcome {
            Outcome::Filled(text) => {
                let field = value(row, columns.field);
                let ours = product_field(&field)
                    .or_else(|| field_kind(&value(row, columns.resource), &field));
                if ours.is_some_and(|ours| !check(rules, "shopify", ours, &text).is_empty()) {
                    report.over_limits += 1;
                }
                let Some(cell) = row.cells.get(columns.translated_content) else {
                    return Err(FileError::Malformed {
                        path: shop_export.to_path_buf(),
                        row: index as u64 + 2,
                        detail: "the row has no 'Translated content' cell".into(),
                    }
                    .into());
                };
                replacements.push((cell.clone(), text));
                report.filled += 1;
            }
            Outcome::Stale => report.stale += 1,
            Outcome::Untranslated => report.untranslated += 1,
            Outcome::NotOurs => {}
        }
    }
    file.write_replaced(out, replacements)?;
    Ok(report)
}

fn outcome(
    lookup: &Lookup<'_>,
    handles: &HashMap<String, String>,
    columns: &Columns,
    row: &RawRecord,
    locale: &str,
    value: impl Fn(&RawRecord, usize) -> String,
) -> Outcome {
    let resource = value(row, columns.resource);
    let field = value(row, columns.field);
    let source = value(row, columns.default_content);
    if source.trim().is_empty() {
        return Outcome::NotOurs;
    }
    if resource == "PRODUCT" {
        let Some(our_field) = product_field(&field) else {
            return Outcome::NotOurs;
        };
        let handle = handles.get(resource_id(&value(row, columns.id)));
        return match handle.and_then(|handle| lookup.by_field.get(&(handle, our_field, locale))) {
            Some(stored) if stored.source == source => Outcome::Filled(stored.translated.clone()),
            Some(_) => Outcome::Stale,
            None => match lookup.by_text(our_field, locale, &source) {
                Some(text) => Outcome::Filled(text.to_string()),
                None => Outcome::Untranslated,
            },
        };
    }
    match field_kind(&resource, &field) {
        Some(kind) => match lookup.by_text(kind, locale, &source) {
            Some(text) => Outcome::Filled(text.to_string()),
            None => Outcome::Untranslated,
        },
        None => Outcome::NotOurs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_match_by_language() {
        assert!(same_locale("de", "de"));
        assert!(same_locale("pt-BR", "pt"));
        assert!(same_locale("zh-CN", "zh"));
        assert!(!same_locale("de", "da"));
        assert!(!same_locale("", "de"));
    }

    #[test]
    fn ids_lose_the_spreadsheet_apostrophe() {
        assert_eq!(resource_id("'8079393226938"), "8079393226938");
        assert_eq!(resource_id("8079393226938"), "8079393226938");
    }
}
