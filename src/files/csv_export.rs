//! A header-by-name view of CSV exports: shops add, drop and reorder columns between
//! export versions, so cells are found by column name.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use csv::StringRecord;

use super::{FileError, decode};

/// Fails early, before anything is opened or written, when an input file is missing.
pub fn require_file(path: &Path) -> Result<(), FileError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(()),
        Ok(_) => Err(FileError::Unreadable {
            path: path.to_path_buf(),
            detail: "this is a folder, not a file".into(),
        }),
        Err(error) => Err(FileError::io(path, error)),
    }
}

pub fn require_folder(path: &Path) -> Result<(), FileError> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(FileError::NotAFolder {
            path: path.to_path_buf(),
        }),
        Err(error) => Err(FileError::io(path, error)),
    }
}

/// A CSV export opened with its header row read: cells are found by column name.
pub struct CsvExport<R = File> {
    pub path: PathBuf,
    pub reader: csv::Reader<R>,
    /// The cell separator.
    pub delimiter: u8,
    columns: HashMap<String, usize>,
    format: &'static str,
    /// Rows are numbered by line: the reader skips blank lines, which a spreadsheet counts.
    rows_by_line: bool,
    /// The file read, when it is a copy of the one `path` names (the same lines).
    read_from: Option<PathBuf>,
}

impl CsvExport<File> {
    /// A UTF-8, comma-separated export, read as it is on disk (so a position in it is
    /// a byte offset in the file).
    pub fn open(path: &Path, format: &'static str) -> Result<CsvExport<File>, FileError> {
        let file = File::open(path).map_err(|error| FileError::io(path, error))?;
        CsvExport::with_reader(
            path,
            format,
            b',',
            csv::ReaderBuilder::new().from_reader(file),
        )
    }
}

/// How many rows may come before an export's header (eBay writes a blank row first).
const ROWS_BEFORE_HEADER: usize = 10;

impl CsvExport<File> {
    /// A UTF-8 export separated by `delimiter`, read as it is on disk, whose header is the
    /// first of its first rows that has the column `marker`: some exports put blank or
    /// title rows above the header and summary rows below the data (so rows may be
    /// ragged; a row's cells are still found by the header's names).
    pub fn open_at_header(
        path: &Path,
        format: &'static str,
        delimiter: u8,
        marker: &str,
    ) -> Result<CsvExport<File>, FileError> {
        let file = File::open(path).map_err(|error| FileError::io(path, error))?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(file);
        let mut record = StringRecord::new();
        for _ in 0..ROWS_BEFORE_HEADER {
            if !reader
                .read_record(&mut record)
                .map_err(|error| FileError::csv(path, error))?
            {
                break;
            }
            let names: Vec<String> = record
                .iter()
                .map(|name| name.trim_start_matches('\u{feff}').trim().to_string())
                .collect();
            if names.iter().any(|name| name.eq_ignore_ascii_case(marker)) {
                let columns = names
                    .into_iter()
                    .enumerate()
                    .map(|(index, name)| (name, index))
                    .collect();
                return Ok(CsvExport {
                    path: path.to_path_buf(),
                    reader,
                    delimiter,
                    columns,
                    format,
                    rows_by_line: true,
                    read_from: None,
                });
            }
        }
        Err(FileError::MissingColumn {
            path: path.to_path_buf(),
            column: marker.to_string(),
            format,
        })
    }
}

/// The line (from 1) of the first row that starts at or after `offset` of `path`: the
/// reader's own line count is taken before it skips blank lines, and counts the `\n` of a
/// `\r\n` only when it reads on. Read from the file, only for a message.
fn line_at(path: &Path, offset: u64) -> Option<u64> {
    let bytes = std::fs::read(path).ok()?;
    let offset = usize::try_from(offset).ok()?.min(bytes.len());
    let start = bytes[offset..]
        .iter()
        .position(|byte| !matches!(byte, b'\r' | b'\n'))
        .map_or(bytes.len(), |skipped| offset + skipped);
    Some(1 + bytes[..start].iter().filter(|byte| **byte == b'\n').count() as u64)
}

impl CsvExport<std::io::Cursor<Vec<u8>>> {
    /// A spreadsheet file in any of the encodings and separators sellers' tools write
    /// (see `text`), decoded whole.
    pub fn open_text(path: &Path, format: &'static str) -> Result<Self, FileError> {
        let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
        let decoded = decode(path, &bytes)?;
        let reader = csv::ReaderBuilder::new()
            .delimiter(decoded.delimiter)
            .from_reader(std::io::Cursor::new(decoded.text.into_bytes()));
        CsvExport::with_reader(path, format, decoded.delimiter, reader)
    }
}

impl<R: Read> CsvExport<R> {
    fn with_reader(
        path: &Path,
        format: &'static str,
        delimiter: u8,
        mut reader: csv::Reader<R>,
    ) -> Result<CsvExport<R>, FileError> {
        let header = reader
            .headers()
            .map_err(|error| FileError::csv(path, error))?;
        let columns = header
            .iter()
            .enumerate()
            .map(|(index, name)| (name.trim().to_string(), index))
            .collect();
        Ok(CsvExport {
            path: path.to_path_buf(),
            reader,
            delimiter,
            columns,
            format,
            rows_by_line: false,
            read_from: None,
        })
    }

    pub fn required(&self, column: &str) -> Result<Column, FileError> {
        self.optional(&[column])
            .ok_or_else(|| FileError::MissingColumn {
                path: self.path.clone(),
                column: column.to_string(),
                format: self.format,
            })
    }

    /// The first of `names` the file has: exports spell some columns differently
    /// from one version to the next, and one site of a shop in other case than another
    /// (eBay UK's "Sold for"), so a name in other case is taken when none is exact.
    pub fn optional(&self, names: &[&str]) -> Option<Column> {
        names.iter().find_map(|name| {
            let (found, index) = self.columns.get_key_value(*name).or_else(|| {
                self.columns
                    .iter()
                    .find(|(column, _)| column.eq_ignore_ascii_case(name))
            })?;
            Some(Column {
                index: *index,
                name: found.clone(),
            })
        })
    }

    /// Every column whose name passes `wanted`, in the file's order.
    pub fn columns_where(&self, wanted: impl Fn(&str) -> bool) -> Vec<Column> {
        let mut found: Vec<Column> = self
            .columns
            .iter()
            .filter(|(name, _)| wanted(name))
            .map(|(name, index)| Column {
                index: *index,
                name: name.clone(),
            })
            .collect();
        found.sort_by_key(|column| column.index);
        found
    }

    /// How many columns the header has.
    pub fn width(&self) -> usize {
        self.columns.values().max().map_or(0, |last| last + 1)
    }

    /// The next row into `record`; false at the end. A row holding a NUL is refused.
    pub fn read(&mut self, record: &mut StringRecord) -> Result<bool, FileError> {
        let read = self
            .reader
            .read_record(record)
            .map_err(|error| FileError::csv(&self.path, error))?;
        if read && record.as_slice().contains('\0') {
            let index = record.iter().position(|value| value.contains('\0'));
            let name = index.and_then(|index| {
                self.columns
                    .iter()
                    .find(|(_, at)| **at == index)
                    .map(|(name, _)| name.clone())
            });
            let value = index.and_then(|index| record.get(index)).unwrap_or("");
            return Err(with_nul(
                &self.path,
                self.row(record),
                &name.unwrap_or_else(|| format!("{}", index.unwrap_or(0) + 1)),
                value,
            ));
        }
        Ok(read)
    }

    /// Messages name `shown` (the seller's file) while this reads its copy, which has
    /// the same lines.
    pub fn show_as(&mut self, shown: &Path) {
        if shown != self.path {
            self.read_from = Some(std::mem::replace(&mut self.path, shown.to_path_buf()));
        }
    }

    /// The row of `record` as a spreadsheet numbers it (for messages: a file whose
    /// rows are lines is read again to count them).
    pub fn row(&self, record: &StringRecord) -> u64 {
        self.row_at(record.position())
    }

    /// The row that starts at `position`, the start of a record.
    pub fn row_at(&self, position: Option<&csv::Position>) -> u64 {
        match position {
            Some(position) if self.rows_by_line => {
                let file = self.read_from.as_deref().unwrap_or(&self.path);
                line_at(file, position.byte()).unwrap_or_else(|| position.line())
            }
            Some(position) => row_number(position),
            None => 0,
        }
    }

    pub fn invalid(
        &self,
        record: &StringRecord,
        column: &Column,
        reason: impl Into<String>,
    ) -> FileError {
        FileError::InvalidValue {
            path: self.path.clone(),
            row: self.row(record),
            column: column.name.clone(),
            value: cell(record, Some(column)).to_string(),
            reason: reason.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    index: usize,
    name: String,
}

impl Column {
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A cell holding a NUL character: no shop or spreadsheet writes one into text, so the
/// file is damaged or not the text it seems (it is shown as \0 in the message).
pub fn with_nul(path: &Path, row: u64, column: &str, value: &str) -> FileError {
    FileError::InvalidValue {
        path: path.to_path_buf(),
        row,
        column: column.to_string(),
        value: value.replace('\0', "\\0"),
        reason: "a NUL character, which no shop writes into text: is the file damaged?".into(),
    }
}

/// The trimmed cell of an optional column; empty when the file lacks the column.
pub fn cell<'r>(record: &'r StringRecord, column: Option<&Column>) -> &'r str {
    column
        .and_then(|column| record.get(column.index))
        .map(str::trim)
        .unwrap_or("")
}

/// The row as a spreadsheet numbers it (the header is row 1). Unlike a line number it
/// is right whatever the line endings and however many lines a quoted cell spans.
pub fn row_of(record: &StringRecord) -> u64 {
    record.position().map(row_number).unwrap_or(0)
}

pub(super) fn row_number(position: &csv::Position) -> u64 {
    position.record() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        let path = dir.join("input.csv");
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn columns_are_found_by_name_whatever_their_order_and_a_bom() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "\u{feff}B,Name\r\n2,x\r\n");
        let mut export = CsvExport::open(&path, "test export").unwrap();
        let name = export.required("Name").unwrap();
        let b = export.optional(&["A", "B"]);
        let mut record = StringRecord::new();
        assert!(export.read(&mut record).unwrap());
        assert_eq!(cell(&record, Some(&name)), "x");
        assert_eq!(cell(&record, b.as_ref()), "2");
        assert_eq!(cell(&record, None), "");
    }

    #[test]
    fn a_missing_column_names_the_file_the_column_and_the_format() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "A\n1\n");
        let export = CsvExport::open(&path, "Shopify orders export").unwrap();
        let message = export.required("Name").unwrap_err().to_string();
        assert!(
            message.contains("input.csv")
                && message.contains("'Name'")
                && message.contains("Shopify orders export")
        );
    }

    #[test]
    fn a_ragged_row_is_reported_with_its_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "A,B\n1,2\n3\n");
        let mut export = CsvExport::open(&path, "test export").unwrap();
        let mut record = StringRecord::new();
        assert!(export.read(&mut record).unwrap());
        let message = export.read(&mut record).unwrap_err().to_string();
        assert!(
            message.contains("row 3") && message.contains("1 cells but the header has 2"),
            "{message}"
        );
    }

    #[test]
    fn a_header_below_blank_and_title_rows_is_found_and_ragged_rows_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "\n\"Orders report\"\nSales Record Number,Order Number\n1,12-3\n\n\"2 record(s) downloaded\"\n",
        );
        let mut export =
            CsvExport::open_at_header(&path, "eBay orders report", b',', "Order Number").unwrap();
        let order = export.required("Order Number").unwrap();
        let mut record = StringRecord::new();
        assert!(export.read(&mut record).unwrap());
        assert_eq!(
            (cell(&record, Some(&order)), export.row(&record)),
            ("12-3", 4)
        );
        assert!(export.read(&mut record).unwrap());
        assert_eq!(
            cell(&record, Some(&order)),
            "",
            "a summary row has no order"
        );
        let missing = CsvExport::open_at_header(&path, "eBay orders report", b',', "Item Number")
            .err()
            .unwrap()
            .to_string();
        assert!(missing.contains("'Item Number'"), "{missing}");
    }

    #[test]
    fn rows_are_the_lines_a_spreadsheet_shows_whatever_the_line_ends() {
        let dir = tempfile::tempdir().unwrap();
        for end in ["\n", "\r\n"] {
            let path = write(dir.path(), &["Id", "", "a", "b"].join(end));
            let mut export = CsvExport::open_at_header(&path, "test export", b',', "Id").unwrap();
            let mut record = StringRecord::new();
            let mut rows = Vec::new();
            while export.read(&mut record).unwrap() {
                rows.push(export.row(&record));
            }
            assert_eq!(rows, [3, 4], "{end:?}");
        }
    }

    #[test]
    fn a_missing_file_is_one_clear_sentence() {
        let error = require_file(Path::new("/nonexistent/orders.csv")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "/nonexistent/orders.csv: no such file or folder"
        );
    }
}
