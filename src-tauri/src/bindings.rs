//! The IPC contract as TypeScript: every type the commands take or send, generated
//! from the Rust types (ts-rs) into `ui/src/bindings/`, one file per type, so the UI
//! cannot drift from what the shell sends. `cargo test -p tradewind-desktop` fails
//! when the committed files are stale; `TRADEWIND_WRITE_BINDINGS=1` rewrites them.

use std::path::Path;

use ts_rs::{Config, ExportError, TS};

/// Writes the bindings of every command's arguments and results, with what they
/// depend on, into `folder`.
pub fn export(folder: &Path) -> Result<(), ExportError> {
    // JSON numbers: no count or size the engine sends comes near 2^53.
    let config = Config::new().with_out_dir(folder).with_large_int("number");
    tradewind::overview::Overview::export_all(&config)?;
    tradewind::listings::ListingSummary::export_all(&config)?;
    tradewind::ListingsFilePreview::export_all(&config)?;
    crate::commands::PhotoView::export_all(&config)?;
    tradewind::analytics::OrdersSummary::export_all(&config)?;
    tradewind::analytics::metrics::Dashboard::export_all(&config)?;
    tradewind::analytics::rfm::RfmReport::export_all(&config)?;
    tradewind::analytics::rfm_history::GroupAt::export_all(&config)?;
    tradewind::analytics::matching::MatchSuggestion::export_all(&config)?;
    tradewind::analytics::cohorts::Cohorts::export_all(&config)?;
    tradewind::analytics::cohorts::CohortSplit::export_all(&config)?;
    tradewind::analytics::recommend::RecommendationReport::export_all(&config)?;
    tradewind::analytics::recommend::CustomerSuggestions::export_all(&config)?;
    tradewind::analytics::recommend::ProductSuggestions::export_all(&config)?;
    tradewind::analytics::forecast::ForecastReport::export_all(&config)?;
    tradewind::analytics::forecast::StockLevel::export_all(&config)?;
    tradewind::analytics::reviews::ReviewsSummary::export_all(&config)?;
    tradewind::analytics::reviews::ImportedReviews::export_all(&config)?;
    tradewind::analytics::reviews::ReviewsPreview::export_all(&config)?;
    tradewind::analytics::segments::SegmentSummary::export_all(&config)?;
    tradewind::analytics::segments::SegmentChoice::export_all(&config)?;
    tradewind::analytics::segments::EmailTool::export_all(&config)?;
    tradewind::analytics::segments::SegmentExport::export_all(&config)?;
    tradewind::reports::ReportRequest::export_all(&config)?;
    tradewind::reports::ReportWritten::export_all(&config)?;
    tradewind::assistant::ReplyDraft::export_all(&config)?;
    tradewind::assistant::BuyerMessage::export_all(&config)?;
    tradewind::assistant::MessagesImported::export_all(&config)?;
    tradewind::assistant::ShopPolicies::export_all(&config)?;
    tradewind::assistant::CopyDraft::export_all(&config)?;
    tradewind::assistant::CopyKind::export_all(&config)?;
    tradewind::analytics::OrdersPreview::export_all(&config)?;
    tradewind::analytics::orders_list::OrderRow::export_all(&config)?;
    tradewind::Job::export_all(&config)?;
    tradewind::JobEvent::export_all(&config)?;
    tradewind::JobSpec::export_all(&config)?;
    tradewind::doctor::DoctorReport::export_all(&config)?;
    tradewind::ModelStatus::export_all(&config)?;
    tradewind::ModelRun::export_all(&config)?;
    tradewind::FirstRun::export_all(&config)?;
    tradewind::ml::plan::PlanRequest::export_all(&config)?;
    tradewind::ml::plan::ModelPlan::export_all(&config)?;
    tradewind::store::location::MoveProgress::export_all(&config)?;
    tradewind::ml::store::VerifiedFile::export_all(&config)?;
    tradewind::ComputeSettings::export_all(&config)?;
    tradewind::DeviceStatus::export_all(&config)?;
    tradewind::Language::export_all(&config)?;
    tradewind::listings::translate::StoredTranslation::export_all(&config)?;
    tradewind::listings::translate::Review::export_all(&config)?;
    tradewind::listings::rules::Violation::export_all(&config)?;
    tradewind::listings::output::shopify_translations::FilledReport::export_all(&config)?;
    tradewind::listings::output::WrittenCopy::export_all(&config)?;
    tradewind::listings::translate::glossary::Entry::export_all(&config)?;
    tradewind::ml::route::EngineChoice::export_all(&config)?;
    tradewind::photos::PhotoDetail::export_all(&config)?;
    tradewind::PhotoVocabulary::export_all(&config)?;
    tradewind::CategoryChoice::export_all(&config)?;
    tradewind::photos::tag_job::TagAction::export_all(&config)?;
    tradewind::photos::export::SidecarNaming::export_all(&config)?;
    tradewind::photos::export::SidecarsWritten::export_all(&config)?;
    tradewind::photos::export::ShopifyFilled::export_all(&config)?;
    crate::CommandError::export_all(&config)?;
    write_index(folder)
}

/// `index.ts`: every binding of the folder, so the UI imports them from one place.
fn write_index(folder: &Path) -> Result<(), ExportError> {
    let mut names: Vec<String> = std::fs::read_dir(folder)?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".ts")
                .filter(|stem| *stem != "index")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    let mut index =
        String::from("// Generated with the bindings (src-tauri/src/bindings.rs). Do not edit.\n");
    for name in names {
        index.push_str(&format!("export type * from \"./{name}\";\n"));
    }
    std::fs::write(folder.join("index.ts"), index)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::PathBuf;

    use super::*;

    /// Every file under `folder` by its path there, with its text.
    fn files(folder: &Path) -> BTreeMap<PathBuf, String> {
        let mut found = BTreeMap::new();
        let mut pending = vec![folder.to_path_buf()];
        while let Some(dir) = pending.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for path in entries.map(|entry| entry.unwrap().path()) {
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let name = path.strip_prefix(folder).unwrap().to_path_buf();
                    found.insert(name, std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        found
    }

    #[test]
    fn the_uis_bindings_are_those_the_rust_types_generate() {
        let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
        if std::env::var_os("TRADEWIND_WRITE_BINDINGS").is_some() {
            if committed.exists() {
                std::fs::remove_dir_all(&committed).unwrap();
            }
            export(&committed).unwrap();
            return;
        }
        let fresh = tempfile::tempdir().unwrap();
        export(fresh.path()).unwrap();
        let (expected, found) = (files(fresh.path()), files(&committed));
        let stale: BTreeSet<&PathBuf> = expected
            .keys()
            .chain(found.keys())
            .filter(|name| expected.get(*name) != found.get(*name))
            .collect();
        assert!(
            stale.is_empty(),
            "ui/src/bindings is stale ({stale:?}): run `TRADEWIND_WRITE_BINDINGS=1 cargo test -p tradewind-desktop bindings` and commit the result"
        );
    }
}
