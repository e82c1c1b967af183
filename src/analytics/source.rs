//! An orders file made ready to import: its layout found from its header (or, for a file
//! of the seller's own layout, the column mapping they confirmed), and, when it is not a
//! UTF-8 CSV (UTF-16 or Windows-1252 from Excel, an XLSX workbook, a JSON array), a
//! UTF-8 CSV copy to read instead, so the import can still resume at a byte offset into
//! the file it reads.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::AnalyticsError;
use super::channels::{self, Channel, Layout};
use super::order_mapping::{self, OrderMapping, OrderRole, OrdersTablePreview};
use crate::files::{
    FileError, FileSniff, Table, TableFormat, TextEncoding, decode, sniff_file, write_atomically,
};

/// What the import reads, and how.
#[derive(Debug, Clone)]
pub struct OrdersFile {
    /// The file as the seller chose it.
    pub original: PathBuf,
    /// The UTF-8 file read: the original, or its copy.
    pub path: PathBuf,
    pub delimiter: u8,
    pub layout: Layout,
    /// How to read a file of the seller's own layout.
    pub mapping: Option<OrderMapping>,
}

impl OrdersFile {
    pub fn channel(&self) -> Channel {
        match &self.mapping {
            Some(mapping) => mapping.channel,
            None => self.layout.channel(),
        }
    }

    /// The column that finds the header under any title rows.
    pub fn marker(&self) -> &str {
        match &self.mapping {
            Some(mapping) => mapping.column(OrderRole::OrderId).unwrap_or_default(),
            None => self.layout.marker().unwrap_or_default(),
        }
    }

    /// Whether a group of rows holds all of an order's lines, so lines an earlier
    /// export had and this one has not are gone (Etsy's order file, and a file of the
    /// seller's own with no line columns, have no lines at all).
    pub fn has_every_line(&self) -> bool {
        match &self.mapping {
            Some(mapping) => mapping.columns.values().any(|role| role.is_line()),
            None => self.layout != Layout::EtsySoldOrders,
        }
    }
}

/// What a file is, shown before it is imported.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrdersPreview {
    pub layout: Layout,
    pub channel: Channel,
    /// The layout as the seller knows it ("Amazon All Orders report").
    pub name: String,
    /// Rows under the header, summary rows included.
    pub rows: u64,
    /// For a file of no layout Tradewind knows: its columns, first rows and the mapping
    /// Tradewind proposes, for the seller to confirm.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<OrdersTablePreview>,
}

/// The layout of the first of the file's first rows that is a header Tradewind knows.
fn sniff(text: &str, delimiter: u8) -> Option<Layout> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader.records().take(10).find_map(|record| {
        let record = record.ok()?;
        let names: Vec<String> = record
            .iter()
            .map(|name| name.trim_start_matches('\u{feff}').trim().to_string())
            .collect();
        channels::detect(&names)
    })
}

/// What the file is: its encoding and separator, and its layout from its first lines.
fn inspect(path: &Path) -> Result<(FileSniff, Layout), AnalyticsError> {
    let sniffed = sniff_file(path)?;
    let layout =
        sniff(&sniffed.head, sniffed.delimiter).ok_or_else(|| AnalyticsError::UnknownLayout {
            path: path.to_path_buf(),
        })?;
    Ok((sniffed, layout))
}

/// Finds the file's layout, or takes `mapping` for a file of the seller's own (refusing
/// one of another channel than `channel`, when given), and for a file that is not a
/// UTF-8 CSV writes its UTF-8 CSV copy into `copies`.
pub fn prepare(
    path: &Path,
    channel: Option<Channel>,
    mapping: Option<&OrderMapping>,
    copies: &Path,
) -> Result<OrdersFile, AnalyticsError> {
    let file = match mapping {
        Some(mapping) => prepare_own_layout(path, mapping, copies)?,
        None => {
            let (sniffed, layout) = inspect(path)?;
            OrdersFile {
                original: path.to_path_buf(),
                path: utf8_if_needed(path, &sniffed, copies)?,
                delimiter: sniffed.delimiter,
                layout,
                mapping: None,
            }
        }
    };
    if let Some(wanted) = channel
        && file.channel() != wanted
    {
        return Err(AnalyticsError::WrongChannel {
            path: path.to_path_buf(),
            found: file.layout.name(),
            wanted: wanted.key(),
        });
    }
    Ok(file)
}

fn utf8_if_needed(
    path: &Path,
    sniffed: &FileSniff,
    copies: &Path,
) -> Result<PathBuf, AnalyticsError> {
    Ok(match sniffed.encoding {
        TextEncoding::Utf8 { .. } => path.to_path_buf(),
        _ => {
            let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
            copy(path, &bytes, "utf8", copies, || {
                Ok(decode(path, &bytes)?.text.into_bytes())
            })?
        }
    })
}

/// A workbook or JSON file as a CSV, its header first.
fn table_csv(table: &Table) -> Result<Vec<u8>, FileError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |error: csv::Error| FileError::Unreadable {
        path: table.path.clone(),
        detail: format!("cannot copy it as a CSV: {error}"),
    };
    writer.write_record(&table.columns).map_err(failed)?;
    for row in &table.rows {
        writer.write_record(row).map_err(failed)?;
    }
    writer.into_inner().map_err(|error| FileError::Unreadable {
        path: table.path.clone(),
        detail: format!("cannot copy it as a CSV: {}", error.error()),
    })
}

/// A file of the seller's own layout, checked against its mapping; a workbook or JSON
/// file is read through its CSV copy.
fn prepare_own_layout(
    path: &Path,
    mapping: &OrderMapping,
    copies: &Path,
) -> Result<OrdersFile, AnalyticsError> {
    let (read, delimiter, columns) = if is_table(path) {
        let table = Table::read(path)?;
        let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
        let read = copy(path, &bytes, "table", copies, || table_csv(&table))?;
        (read, b',', table.columns)
    } else {
        let sniffed = sniff_file(path)?;
        let columns = csv::ReaderBuilder::new()
            .delimiter(sniffed.delimiter)
            .has_headers(false)
            .from_reader(sniffed.head.as_bytes())
            .records()
            .next()
            .and_then(Result::ok)
            .map(|record| {
                record
                    .iter()
                    .map(|name| name.trim_start_matches('\u{feff}').trim().to_string())
                    .collect()
            })
            .unwrap_or_default();
        (
            utf8_if_needed(path, &sniffed, copies)?,
            sniffed.delimiter,
            columns,
        )
    };
    order_mapping::check(path, &columns, mapping)?;
    Ok(OrdersFile {
        original: path.to_path_buf(),
        path: read,
        delimiter,
        layout: Layout::OwnLayout,
        mapping: Some(mapping.clone()),
    })
}

/// Whether `path` is read as a table (a workbook or JSON) rather than as text.
fn is_table(path: &Path) -> bool {
    TableFormat::of(path) != TableFormat::Csv
}

/// A CSV copy of `path` (whose content is `bytes`) in `copies`, written by `write` once:
/// named by the file and its content, so a resumed import finds the same copy, and a
/// changed file gets a new one.
fn copy(
    path: &Path,
    bytes: &[u8],
    kind: &str,
    copies: &Path,
    write: impl FnOnce() -> Result<Vec<u8>, FileError>,
) -> Result<PathBuf, AnalyticsError> {
    let digest = Sha256::digest(bytes);
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "orders".into());
    let copy = copies.join(format!(
        "{stem}-{:02x}{:02x}{:02x}{:02x}.{kind}.csv",
        digest[0], digest[1], digest[2], digest[3]
    ));
    if !copy.exists() {
        let text = write()?;
        std::fs::create_dir_all(copies).map_err(|source| FileError::Write {
            path: copies.to_path_buf(),
            source,
        })?;
        write_atomically(&copy, &text)?;
    }
    Ok(copy)
}

/// What `path` is, without importing it: a layout Tradewind knows, or the seller's own
/// with the mapping Tradewind proposes.
pub fn preview(path: &Path) -> Result<OrdersPreview, AnalyticsError> {
    let own_layout = |table: OrdersTablePreview| OrdersPreview {
        layout: Layout::OwnLayout,
        channel: table.proposed.channel,
        name: Layout::OwnLayout.name().to_string(),
        rows: table.rows,
        table: Some(table),
    };
    if is_table(path) {
        return Ok(own_layout(order_mapping::preview(path)?));
    }
    let sniffed = sniff_file(path)?;
    let Some(layout) = sniff(&sniffed.head, sniffed.delimiter) else {
        return Ok(own_layout(order_mapping::preview(path)?));
    };
    let marker = layout.marker().unwrap_or_default();
    // Counting needs no text: one reused byte record, no UTF-8 check nor field strings
    // (the import checks those), so a million-row file is counted in a fraction of its
    // read. The header is found as the import finds it, in any case.
    let count = |reader: &mut dyn std::io::Read| {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sniffed.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let mut record = csv::ByteRecord::new();
        let is_header = |record: &csv::ByteRecord| {
            record.iter().any(|name| {
                let name = name.strip_prefix("\u{feff}".as_bytes()).unwrap_or(name);
                name.trim_ascii().eq_ignore_ascii_case(marker.as_bytes())
            })
        };
        let mut under_header: Option<u64> = None;
        while let Ok(true) = reader.read_byte_record(&mut record) {
            match &mut under_header {
                Some(rows) => *rows += 1,
                None if is_header(&record) => under_header = Some(0),
                None => {}
            }
        }
        under_header.unwrap_or(0)
    };
    let rows = match sniffed.encoding {
        TextEncoding::Utf8 { .. } => {
            let mut file = std::fs::File::open(path).map_err(|error| FileError::io(path, error))?;
            count(&mut file)
        }
        _ => {
            let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
            count(&mut decode(path, &bytes)?.text.as_bytes())
        }
    };
    Ok(OrdersPreview {
        layout,
        channel: layout.channel(),
        name: layout.name().to_string(),
        rows,
        table: None,
    })
}
