//! The stored translations as a plain table (CSV, XLSX or JSON, by the file's
//! extension), one row per listing, field and language: for a translator to review
//! in a spreadsheet, or for a shop or tool without an import format of its own.

use std::path::Path;

use serde::Serialize;

use crate::files::{FileError, spreadsheet_safe};
use crate::listings::ListingsError;
use crate::listings::rules::Violation;
use crate::listings::translate::StoredTranslation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Csv,
    Xlsx,
    Json,
}

impl TableFormat {
    /// The format a path's extension names.
    pub fn of(path: &Path) -> Result<TableFormat, FileError> {
        let extension = path
            .extension()
            .map(|extension| extension.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("csv") => Ok(TableFormat::Csv),
            Some("xlsx") => Ok(TableFormat::Xlsx),
            Some("json") => Ok(TableFormat::Json),
            _ => Err(FileError::Unreadable {
                path: path.to_path_buf(),
                detail: "name the file .csv, .xlsx or .json to choose its format".into(),
            }),
        }
    }
}

const HEADER: [&str; 8] = [
    "Handle",
    "Field",
    "Language",
    "Status",
    "Source",
    "Translation",
    "Flags",
    "Over limits",
];

#[derive(Serialize)]
struct Row<'a> {
    handle: &'a str,
    field: &'a str,
    locale: &'a str,
    status: &'a str,
    source: &'a str,
    translated: &'a str,
    flags: &'a serde_json::Value,
    over_limits: &'a [Violation],
}

/// The flags as JSON (what is missing, repeated, in another language); empty when none.
fn flags_text(flags: &serde_json::Value) -> String {
    match flags {
        serde_json::Value::Array(items) if items.is_empty() => String::new(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// "80 characters on ebay (93 characters)", one per limit broken.
fn limits_text(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|violation| {
            format!(
                "{} on {} ({})",
                violation.limit, violation.marketplace, violation.actual
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn cells((row, violations): &(StoredTranslation, Vec<Violation>)) -> [String; 8] {
    [
        row.handle.clone(),
        row.field.clone(),
        row.locale.clone(),
        row.status.clone(),
        row.source.clone(),
        row.translated.clone(),
        flags_text(&row.flags),
        limits_text(violations),
    ]
}

/// Writes `rows`, each with the marketplace limits it breaks, to `path` (atomically)
/// in the format its extension names.
pub fn write(
    rows: &[(StoredTranslation, Vec<Violation>)],
    path: &Path,
) -> Result<usize, ListingsError> {
    let bytes = match TableFormat::of(path)? {
        TableFormat::Csv => csv_bytes(rows).map_err(|error| FileError::Write {
            path: path.to_path_buf(),
            source: std::io::Error::other(error),
        })?,
        TableFormat::Xlsx => xlsx_bytes(rows).map_err(|error| FileError::Write {
            path: path.to_path_buf(),
            source: std::io::Error::other(error),
        })?,
        TableFormat::Json => {
            let rows: Vec<Row<'_>> = rows
                .iter()
                .map(|(row, violations)| Row {
                    handle: &row.handle,
                    field: &row.field,
                    locale: &row.locale,
                    status: &row.status,
                    source: &row.source,
                    translated: &row.translated,
                    flags: &row.flags,
                    over_limits: violations,
                })
                .collect();
            serde_json::to_vec_pretty(&rows).map_err(|error| FileError::Write {
                path: path.to_path_buf(),
                source: std::io::Error::other(error),
            })?
        }
    };
    crate::files::write_atomically(path, &bytes)?;
    Ok(rows.len())
}

/// UTF-8 with a byte-order mark, so that Excel opens accents and CJK right; text a
/// spreadsheet would run as a formula is made inert (the XLSX writes string cells).
fn csv_bytes(rows: &[(StoredTranslation, Vec<Violation>)]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(HEADER)?;
    for row in rows {
        writer.write_record(cells(row).iter().map(|cell| spreadsheet_safe(cell)))?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

fn xlsx_bytes(
    rows: &[(StoredTranslation, Vec<Violation>)],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Translations")?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (column, name) in HEADER.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *name, &bold)?;
    }
    for (index, row) in rows.iter().enumerate() {
        for (column, value) in cells(row).iter().enumerate() {
            sheet.write_string(index as u32 + 1, column as u16, value)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::Reader;

    fn sample() -> Vec<(StoredTranslation, Vec<Violation>)> {
        let title_limit = Violation {
            marketplace: "ebay".into(),
            field: "body_html".into(),
            text: String::new(),
            limit: "80 characters".into(),
            actual: "93 characters".into(),
            guidance: false,
            source: String::new(),
        };
        vec![(
            StoredTranslation {
                listing_id: 1,
                handle: "kumo-mug".into(),
                field: "body_html".into(),
                locale: "de".into(),
                source: "<p>Mug, \"tea\" &amp; more</p>".into(),
                translated: "<p>Becher, „Tee“ &amp; mehr</p>".into(),
                status: "edited".into(),
                flags: serde_json::json!([{"missing": "KSM-1"}]),
            },
            vec![title_limit],
        )]
    }

    #[test]
    fn csv_xlsx_and_json_hold_the_same_rows() {
        let dir = tempfile::tempdir().unwrap();
        let rows = sample();

        let csv_path = dir.path().join("t.csv");
        write(&rows, &csv_path).unwrap();
        let mut reader = csv::Reader::from_path(&csv_path).unwrap();
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(
            record.iter().collect::<Vec<_>>(),
            cells(&rows[0])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        );

        let xlsx_path = dir.path().join("t.xlsx");
        write(&rows, &xlsx_path).unwrap();
        let mut workbook = calamine::open_workbook_auto(&xlsx_path).unwrap();
        let range = workbook.worksheet_range("Translations").unwrap();
        assert_eq!(range.get_value((0, 5)).unwrap().to_string(), "Translation");
        assert_eq!(
            range.get_value((1, 5)).unwrap().to_string(),
            rows[0].0.translated
        );
        assert_eq!(
            range.get_value((1, 7)).unwrap().to_string(),
            "80 characters on ebay (93 characters)"
        );

        let json_path = dir.path().join("t.json");
        write(&rows, &json_path).unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
        assert_eq!(json[0]["translated"], rows[0].0.translated.as_str());
        assert_eq!(json[0]["over_limits"][0]["limit"], "80 characters");
        assert_eq!(json[0]["flags"][0]["missing"], "KSM-1");
    }

    #[test]
    fn an_unknown_extension_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.txt");
        let error = write(&sample(), &path).unwrap_err().to_string();
        assert!(error.contains(".csv, .xlsx or .json"), "{error}");
        assert!(!path.exists());
    }
}
