//! Local reports: the dashboard and the insights built on it (customer groups, cohorts,
//! recommendations, forecasts, reviews) for one date range and channels, as a
//! self-contained HTML page, a PDF made here (so the headless CLI writes it too), an XLSX
//! workbook with one sheet per table, or CSV, in English or Chinese.
//!
//! `assemble.rs` turns the analyses into a [`Report`] (`document.rs`): headline figures,
//! charts and tables of typed cells, worded by `words.rs`. Each format renders that one
//! document; the charts are drawn once, as SVG (`chart_svg.rs`), inline in the HTML
//! page and typeset into the PDF. Every file is written beside its target and renamed
//! into place, so a failed report never leaves a half-written file.

mod assemble;
mod chart_svg;
mod csv_file;
mod document;
mod html;
mod pdf;
mod pdf_layout;
mod words;
mod xlsx;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use assemble::{Sources, assemble};
pub use document::{Cell, CellKind, Chart, Column, Figure, Report, Table};
pub use words::ReportLanguage;

use crate::error_kind::ErrorKind;
use crate::files::{FileError, write_atomically};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Html,
    Pdf,
    Xlsx,
    Csv,
}

impl ReportFormat {
    pub fn named(name: &str) -> Option<ReportFormat> {
        match name.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(ReportFormat::Html),
            "pdf" => Some(ReportFormat::Pdf),
            "xlsx" => Some(ReportFormat::Xlsx),
            "csv" => Some(ReportFormat::Csv),
            _ => None,
        }
    }

    /// The format a file name's extension says, for `--out report.pdf` without `--format`.
    pub fn of_path(path: &Path) -> Option<ReportFormat> {
        path.extension()
            .and_then(|extension| extension.to_str())
            .and_then(ReportFormat::named)
    }
}

/// What a report wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportWritten {
    pub path: PathBuf,
    pub format: ReportFormat,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// Tables in it (sheets of the workbook, blocks of the CSV).
    pub tables: u32,
    /// PDF pages (None for the other formats).
    pub pages: Option<u32>,
    pub anonymised: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(
        "no font on this computer has the character '{character}', which the report needs: install a font that covers it (for Chinese, Noto Sans CJK SC)"
    )]
    MissingGlyph { character: char },
    #[error(
        "no orders match the chosen dates, channels, countries and product, so there is nothing to report: widen the filter, or import orders first"
    )]
    NoOrders,
    #[error("no fonts are installed, and a PDF needs one: install DejaVu Sans or Noto Sans")]
    NoFonts,
    #[error("the {format} report could not be made: {detail}")]
    Render {
        format: &'static str,
        detail: String,
    },
}

impl ReportError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            ReportError::File(error) => error.kind(),
            ReportError::NoOrders => ErrorKind::NotFound,
            ReportError::MissingGlyph { .. } | ReportError::NoFonts => ErrorKind::MissingFont,
            ReportError::Render { .. } => ErrorKind::Internal,
        }
    }
}

/// Renders `report` as `format` and writes it to `out` atomically.
pub fn write(
    report: &Report,
    format: ReportFormat,
    out: &Path,
) -> Result<ReportWritten, ReportError> {
    let mut pages = None;
    let bytes = match format {
        ReportFormat::Html => html::render(report).into_bytes(),
        ReportFormat::Csv => csv_file::render(report)?,
        ReportFormat::Xlsx => xlsx::render(report)?,
        ReportFormat::Pdf => {
            let pdf = pdf::render(report)?;
            pages = Some(pdf.pages);
            pdf.bytes
        }
    };
    write_atomically(out, &bytes)?;
    Ok(ReportWritten {
        path: out.to_path_buf(),
        format,
        bytes: bytes.len() as u64,
        tables: report.tables.len() as u32,
        pages,
        anonymised: report.anonymised,
    })
}

/// What the seller asks a report of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReportRequest {
    /// The date range and channels (every filter of the dashboard applies).
    pub filter: crate::analytics::Filter,
    pub format: ReportFormat,
    /// None: the interface's language.
    pub language: Option<ReportLanguage>,
    /// None: the seller's last choice for exports (anonymised at first).
    pub anonymise: Option<bool>,
}
