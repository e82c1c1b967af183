//! `tradewind report`: the dashboard and its insights for a date range and channels as a
//! self-contained HTML page, a PDF, an XLSX workbook or CSV, in English or Chinese.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use tradewind::reports::{ReportFormat, ReportLanguage, ReportRequest};
use tradewind::{Engine, EngineConfig, Error};

use super::AnonymiseArgs;
use super::analytics::FilterArgs;
use super::print::json;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Where to write it; its extension gives the format when --format is not said.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// html (inline charts, no network), pdf, xlsx (one sheet per table) or csv.
    #[arg(long, value_parser = ["html", "pdf", "xlsx", "csv"])]
    format: Option<String>,
    /// en or zh-CN; the interface's language when not said.
    #[arg(long, value_parser = ["en", "zh-CN"])]
    language: Option<String>,
    #[command(flatten)]
    privacy: AnonymiseArgs,
    #[command(flatten)]
    filter: FilterArgs,
}

pub fn run(args: ReportArgs, config: EngineConfig, as_json: bool) -> Result<ExitCode, Error> {
    let format = args
        .format
        .as_deref()
        .and_then(ReportFormat::named)
        .or_else(|| ReportFormat::of_path(&args.out))
        .ok_or_else(|| Error::InvalidSetting {
            setting: "report format",
            value: args.out.display().to_string(),
            allowed: "--format html, pdf, xlsx or csv, or a file ending in one of them".into(),
        })?;
    let request = ReportRequest {
        filter: args.filter.filter(),
        format,
        language: args.language.as_deref().and_then(ReportLanguage::named),
        anonymise: args.privacy.asked(),
    };
    let engine = Engine::open(config)?;
    let written = engine.write_report(&request, &args.out)?;
    if as_json {
        json(&written);
    } else {
        let pages = written
            .pages
            .map(|pages| format!(", {pages} page{}", if pages == 1 { "" } else { "s" }))
            .unwrap_or_default();
        println!(
            "Wrote the report to {} ({} tables{pages}, {} KB){}.",
            written.path.display(),
            written.tables,
            written.bytes.div_ceil(1024),
            if written.anonymised {
                "; customers anonymised (--with-contacts to name them)"
            } else {
                "; customers named"
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
