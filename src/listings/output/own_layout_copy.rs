//! Translations back into a file of the seller's own layout, read through the
//! mapping they confirmed: a copy per language with the translated cells replaced.
//! A CSV keeps every other byte (raw_csv); a workbook keeps every other cell's value
//! and type, sheet by sheet (not its formatting); a JSON file keeps every other value
//! and the order of keys (not its whitespace).

use std::path::Path;

use super::raw_csv::CsvCopy;
use super::shopify_copy::{CopyReport, TranslationsByCell};
use crate::files::{FileError, Table, TableFormat};
use crate::listings::ListingsError;
use crate::listings::catalogue::own_layout::{self, Mapping, Role};
use crate::store::Store;

/// A cell to replace: (row of the table, column, new text).
type Replacement = (usize, usize, String);

/// The listing field a column holds on a product's first row.
fn product_field(role: Role, column: &str) -> Option<String> {
    Some(match role {
        Role::Title => "title".into(),
        Role::Description => "body_html".into(),
        Role::SeoTitle => "seo_title".into(),
        Role::SeoDescription => "seo_description".into(),
        Role::Tags => "tags".into(),
        Role::Translate => format!("column:{column}"),
        _ => return None,
    })
}

/// The cells of `table` to replace with their translation, where the cell still holds
/// the text that was translated.
fn replacements(
    table: &Table,
    mapping: &Mapping,
    translated: &TranslationsByCell,
    report: &mut CopyReport,
) -> Result<Vec<Replacement>, FileError> {
    let (listings, owners) = own_layout::listings_by_row(table, mapping)?;
    let column_of = |name: &str| table.columns.iter().position(|column| column == name);
    let product_columns: Vec<(usize, String)> = mapping
        .iter()
        .filter_map(|(column, role)| Some((column_of(column)?, product_field(*role, column)?)))
        .collect();
    let alt_column = mapping
        .iter()
        .find(|(_, role)| **role == Role::ImageAlt)
        .and_then(|(column, _)| column_of(column));
    let mut found = Vec::new();
    for (index, owner) in owners.iter().enumerate() {
        let Some(owner) = owner else { continue };
        let handle = &listings[owner.listing].handle;
        let mut cells: Vec<(usize, String)> = Vec::new();
        if owner.first {
            cells.extend(product_columns.iter().cloned());
        }
        if let (Some(column), Some(position)) = (alt_column, owner.image_position) {
            cells.push((column, format!("image_alt:{position}")));
        }
        for (column, field) in cells {
            let value = table.rows[index]
                .get(column)
                .map(|value| value.trim())
                .unwrap_or_default();
            if value.is_empty() {
                continue;
            }
            match translated.get(&(handle.clone(), field)) {
                Some((source, target)) if source == value => {
                    found.push((index, column, target.clone()));
                    report.replaced += 1;
                }
                Some(_) => report.stale += 1,
                None => {}
            }
        }
    }
    Ok(found)
}

/// Writes to `out` (atomically) a copy of `original`, read through `mapping`, with
/// its cells translated into `locale`.
pub fn translated_copy(
    store: &Store,
    (original, source): (&Path, &str),
    mapping: &Mapping,
    locale: &str,
    out: &Path,
) -> Result<CopyReport, ListingsError> {
    let table = Table::read(original)?;
    let translated = super::shopify_copy::translations(store, locale, source)?;
    let mut report = CopyReport::default();
    let found = replacements(&table, mapping, &translated, &mut report)?;
    match table.format {
        TableFormat::Csv => {
            let file = CsvCopy::read(original)?;
            let ranges = found
                .into_iter()
                .filter_map(|(row, column, text)| {
                    Some((file.rows.get(row)?.cells.get(column)?.clone(), text))
                })
                .collect();
            file.write_replaced(out, ranges)?;
        }
        TableFormat::Xlsx => write_workbook(original, &found, out)?,
        TableFormat::Json => write_json(original, &table.columns, &found, out)?,
    }
    Ok(report)
}

fn write_error(out: &Path, error: impl std::fmt::Display) -> FileError {
    FileError::Write {
        path: out.to_path_buf(),
        source: std::io::Error::other(error.to_string()),
    }
}

/// Every sheet's cells copied with their types; the first sheet's translated cells
/// replaced (its row 1 is the header).
fn write_workbook(original: &Path, found: &[Replacement], out: &Path) -> Result<(), FileError> {
    use calamine::{Data, Reader};
    let unreadable = |error: &dyn std::fmt::Display| FileError::Unreadable {
        path: original.to_path_buf(),
        detail: error.to_string(),
    };
    let mut source = calamine::open_workbook_auto(original).map_err(|error| unreadable(&error))?;
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (sheet_index, name) in source.sheet_names().into_iter().enumerate() {
        let range = source
            .worksheet_range(&name)
            .map_err(|error| unreadable(&error))?;
        let sheet = workbook.add_worksheet();
        sheet
            .set_name(&name)
            .map_err(|error| write_error(out, error))?;
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        for (row_offset, row) in range.rows().enumerate() {
            for (column_offset, cell) in row.iter().enumerate() {
                let (row, column) = (
                    first_row + row_offset as u32,
                    (first_column as usize + column_offset) as u16,
                );
                let replaced = (sheet_index == 0)
                    .then(|| {
                        found.iter().find(|(table_row, table_column, _)| {
                            *table_row as u32 + 1 == row_offset as u32
                                && *table_column == column_offset
                        })
                    })
                    .flatten();
                let written = match (replaced, cell) {
                    (Some((_, _, text)), _) => sheet.write_string(row, column, text).map(|_| ()),
                    (None, Data::Empty) => Ok(()),
                    (None, Data::Float(value)) => {
                        sheet.write_number(row, column, *value).map(|_| ())
                    }
                    (None, Data::Int(value)) => {
                        sheet.write_number(row, column, *value as f64).map(|_| ())
                    }
                    (None, Data::Bool(value)) => {
                        sheet.write_boolean(row, column, *value).map(|_| ())
                    }
                    (None, Data::DateTime(value)) => {
                        sheet.write_number(row, column, value.as_f64()).map(|_| ())
                    }
                    (None, other) => sheet
                        .write_string(row, column, other.to_string())
                        .map(|_| ()),
                };
                written.map_err(|error| write_error(out, error))?;
            }
        }
    }
    let bytes = workbook
        .save_to_buffer()
        .map_err(|error| write_error(out, error))?;
    crate::files::write_atomically(out, &bytes)
}

/// The same array with the translated values replaced; a list of tags stays a list.
fn write_json(
    original: &Path,
    columns: &[String],
    found: &[Replacement],
    out: &Path,
) -> Result<(), FileError> {
    let raw = std::fs::read(original).map_err(|error| FileError::io(original, error))?;
    let mut value: serde_json::Value =
        serde_json::from_slice(&raw).map_err(|error| FileError::Unreadable {
            path: original.to_path_buf(),
            detail: format!("not JSON: {error}"),
        })?;
    for (row, column, text) in found {
        let Some(slot) = value
            .get_mut(*row)
            .and_then(|item| item.get_mut(&columns[*column]))
        else {
            continue;
        };
        *slot = match slot {
            serde_json::Value::Array(_) => serde_json::Value::Array(
                text.split(", ")
                    .map(|tag| serde_json::Value::String(tag.to_string()))
                    .collect(),
            ),
            _ => serde_json::Value::String(text.clone()),
        };
    }
    let bytes = serde_json::to_vec_pretty(&value).map_err(|error| write_error(out, error))?;
    crate::files::write_atomically(out, &bytes)
}
