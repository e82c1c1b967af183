//! The engine's file I/O: reading the seller's files (one error type that always
//! names the file, and the row and column where it can; CSV exports read by column
//! name; the encodings and separators spreadsheets write) and writing files so that a
//! crash never leaves a half-written one.

mod atomic;
mod csv_export;
mod spreadsheet;
mod table;
mod text;

use std::path::{Path, PathBuf};

use crate::error_kind::ErrorKind;

pub use atomic::{write_atomically, write_atomically_with};
pub use csv_export::{Column, CsvExport, cell, require_file, require_folder, row_of};
pub use spreadsheet::{from_spreadsheet_safe, spreadsheet_safe};
pub use table::{Table, TableFormat, row_key};
pub use text::{DecodedText, FileSniff, TextEncoding, decode, encode, sniff_file};

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path}: no such file or folder")]
    Missing { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is empty: it holds no rows, not even a header")]
    Empty { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}, row {row}: {detail}")]
    Malformed {
        path: PathBuf,
        row: u64,
        detail: String,
    },
    #[error("{path}: the header row has no '{column}' column; is this a {format}?")]
    MissingColumn {
        path: PathBuf,
        column: String,
        format: &'static str,
    },
    #[error("{path}, row {row}, column '{column}': {reason} ('{value}')")]
    InvalidValue {
        path: PathBuf,
        row: u64,
        column: String,
        value: String,
        reason: String,
    },
    #[error("{path}: {detail}")]
    Unreadable { path: PathBuf, detail: String },
    #[error("{path} is not a folder")]
    NotAFolder { path: PathBuf },
}

impl FileError {
    /// A stable name for what went wrong, for scripts and the interface.
    pub fn kind(&self) -> ErrorKind {
        match self {
            FileError::Missing { .. } => ErrorKind::FileMissing,
            FileError::Write { source, .. } if source.kind() == std::io::ErrorKind::StorageFull => {
                ErrorKind::DiskFull
            }
            FileError::Write { .. } => ErrorKind::CannotWrite,
            _ => ErrorKind::BadInput,
        }
    }

    pub fn io(path: &Path, source: std::io::Error) -> FileError {
        if source.kind() == std::io::ErrorKind::NotFound {
            FileError::Missing {
                path: path.to_path_buf(),
            }
        } else {
            FileError::Io {
                path: path.to_path_buf(),
                source,
            }
        }
    }

    pub fn csv(path: &Path, error: csv::Error) -> FileError {
        let row = error.position().map(csv_export::row_number).unwrap_or(0);
        match error.into_kind() {
            csv::ErrorKind::Io(source) => FileError::io(path, source),
            csv::ErrorKind::Utf8 { err, .. } => FileError::Malformed {
                path: path.to_path_buf(),
                row,
                detail: format!("the text is not valid UTF-8 ({err})"),
            },
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => FileError::Malformed {
                path: path.to_path_buf(),
                row,
                detail: format!("this row has {len} cells but the header has {expected_len}"),
            },
            other => FileError::Malformed {
                path: path.to_path_buf(),
                row,
                detail: format!("{other:?}"),
            },
        }
    }
}

/// The name rows keep of the file they came from (its canonical path), so that
/// importing the same file again replaces them.
pub fn source_name(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}
