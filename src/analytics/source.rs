//! An orders file made ready to import: its layout found from its header, and, when it is
//! not UTF-8 (UTF-16 or Windows-1252 from Excel), a UTF-8 copy to read instead, so the
//! import can still resume at a byte offset into the file it reads.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::AnalyticsError;
use super::channels::{self, Channel, Layout};
use crate::files::{FileError, FileSniff, TextEncoding, decode, sniff_file, write_atomically};

/// What the import reads, and how.
#[derive(Debug, Clone)]
pub struct OrdersFile {
    /// The file as the seller chose it.
    pub original: PathBuf,
    /// The UTF-8 file read: the original, or its copy.
    pub path: PathBuf,
    pub delimiter: u8,
    pub layout: Layout,
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

/// Finds the file's layout (refusing one of another channel than `channel`, when given)
/// and, for a file that is not UTF-8, writes its UTF-8 copy into `copies`.
pub fn prepare(
    path: &Path,
    channel: Option<Channel>,
    copies: &Path,
) -> Result<OrdersFile, AnalyticsError> {
    let (sniffed, layout) = inspect(path)?;
    if let Some(wanted) = channel
        && layout.channel() != wanted
    {
        return Err(AnalyticsError::WrongChannel {
            path: path.to_path_buf(),
            found: layout.name(),
            wanted: wanted.key(),
        });
    }
    let read = match sniffed.encoding {
        TextEncoding::Utf8 { .. } => path.to_path_buf(),
        _ => utf8_copy(path, copies)?,
    };
    Ok(OrdersFile {
        original: path.to_path_buf(),
        path: read,
        delimiter: sniffed.delimiter,
        layout,
    })
}

/// A UTF-8 copy of `path` in `copies`, named by the file and its content (so a resumed
/// import finds the same copy, and a changed file gets a new one).
fn utf8_copy(path: &Path, copies: &Path) -> Result<PathBuf, AnalyticsError> {
    let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
    let digest = Sha256::digest(&bytes);
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "orders".into());
    let copy = copies.join(format!(
        "{stem}-{:02x}{:02x}{:02x}{:02x}.utf8.csv",
        digest[0], digest[1], digest[2], digest[3]
    ));
    if !copy.exists() {
        let decoded = decode(path, &bytes)?;
        std::fs::create_dir_all(copies).map_err(|source| FileError::Write {
            path: copies.to_path_buf(),
            source,
        })?;
        write_atomically(&copy, decoded.text.as_bytes())?;
    }
    Ok(copy)
}

/// What `path` is, without importing it.
pub fn preview(path: &Path) -> Result<OrdersPreview, AnalyticsError> {
    let (sniffed, layout) = inspect(path)?;
    let count = |reader: &mut dyn std::io::Read| {
        csv::ReaderBuilder::new()
            .delimiter(sniffed.delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(reader)
            .records()
            .filter_map(Result::ok)
            .skip_while(|record| {
                !record
                    .iter()
                    .any(|name| name.trim_start_matches('\u{feff}').trim() == layout.marker())
            })
            .count()
            .saturating_sub(1) as u64
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
    })
}
