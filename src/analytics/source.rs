//! An orders file made ready to import: its layout found from its header, and, when it is
//! not UTF-8 (UTF-16 or Windows-1252 from Excel), a UTF-8 copy to read instead, so the
//! import can still resume at a byte offset into the file it reads.

use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::AnalyticsError;
use super::channels::{self, Channel, Layout};
use crate::files::{DecodedText, FileError, TextEncoding, decode, write_atomically};

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

/// The file's bytes, its text, and its layout.
fn read(path: &Path) -> Result<(Vec<u8>, DecodedText, Layout), AnalyticsError> {
    let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
    let decoded = decode(path, &bytes)?;
    let layout =
        sniff(&decoded.text, decoded.delimiter).ok_or_else(|| AnalyticsError::UnknownLayout {
            path: path.to_path_buf(),
        })?;
    Ok((bytes, decoded, layout))
}

/// Finds the file's layout (refusing one of another channel than `channel`, when given)
/// and, for a file that is not UTF-8, writes its UTF-8 copy into `copies`.
pub fn prepare(
    path: &Path,
    channel: Option<Channel>,
    copies: &Path,
) -> Result<OrdersFile, AnalyticsError> {
    let (bytes, decoded, layout) = read(path)?;
    if let Some(wanted) = channel
        && layout.channel() != wanted
    {
        return Err(AnalyticsError::WrongChannel {
            path: path.to_path_buf(),
            found: layout.name(),
            wanted: wanted.key(),
        });
    }
    let read = match decoded.encoding {
        TextEncoding::Utf8 { .. } => path.to_path_buf(),
        _ => {
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
                std::fs::create_dir_all(copies).map_err(|source| FileError::Write {
                    path: copies.to_path_buf(),
                    source,
                })?;
                write_atomically(&copy, decoded.text.as_bytes())?;
            }
            copy
        }
    };
    Ok(OrdersFile {
        original: path.to_path_buf(),
        path: read,
        delimiter: decoded.delimiter,
        layout,
    })
}

/// What `path` is, without importing it.
pub fn preview(path: &Path) -> Result<OrdersPreview, AnalyticsError> {
    let (_, decoded, layout) = read(path)?;
    let rows = csv::ReaderBuilder::new()
        .delimiter(decoded.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded.text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .skip_while(|record| {
            !record
                .iter()
                .any(|name| name.trim_start_matches('\u{feff}').trim() == layout.marker())
        })
        .count()
        .saturating_sub(1) as u64;
    Ok(OrdersPreview {
        layout,
        channel: layout.channel(),
        name: layout.name().to_string(),
        rows,
    })
}
