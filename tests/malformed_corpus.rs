//! The malformed-input corpus (`tests/malformed/`, made by its `generate.py`): every
//! file through the CLI's import of its kind, with the outcome `cases.toml` gives it.
//! An error is one sentence naming the file (and the row and column where it says so),
//! with a failing exit status and nothing stored; an accepted file imports; no file makes
//! the CLI panic or hang. The cases of one importer share a data folder, so each error
//! is checked against the data the accepted files before it left.
//!
//! `TRADEWIND_MALFORMED_REPORT=FILE` writes what each case did instead of failing, for
//! reviewing the outcomes after changing the corpus.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
struct Case {
    file: String,
    importer: String,
    /// `error`, `ok`, or for a photo `skipped` (the batch goes on without it).
    outcome: String,
    #[serde(default)]
    says: String,
}

/// What each importer's CLI command is, for a file.
fn command(importer: &str, file: &Path) -> Vec<String> {
    let file = file.display().to_string();
    let words: &[&str] = match importer {
        "listings" => &["import", "listings"],
        "reviews" | "reviews-json" => &["reviews", "import"],
        "messages" => &["messages", "import"],
        "glossary" => &["glossary", "import"],
        "rates" => &["analytics", "rates", "--import"],
        _ => &["import", "orders"],
    };
    words
        .iter()
        .map(|word| word.to_string())
        .chain([file])
        .collect()
}

/// Runs the CLI, killed if it takes longer than any file should.
fn run_bounded(data: &Path, args: &[String]) -> Output {
    let mut child = common::tradewind(data)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("{args:?} hung for a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Everything an import could have written, counted.
fn stored(data: &Path) -> Vec<u64> {
    [
        "SELECT count(*) FROM orders",
        "SELECT coalesce(sum(total_minor), 0) FROM orders",
        "SELECT count(*) FROM order_lines",
        "SELECT count(*) FROM listings",
        "SELECT count(*) FROM listing_variants",
        "SELECT count(*) FROM reviews",
        "SELECT count(*) FROM buyer_messages",
        "SELECT count(*) FROM glossary",
        // The seller's rates, not the bundled ones an import loads when first needed.
        "SELECT count(*) FROM fx_rates JOIN rate_sources ON rate_sources.id = source_id \
         WHERE rate_sources.name NOT LIKE '%(bundled)'",
    ]
    .iter()
    // No database yet is as good as an empty one.
    .map(|sql| common::count(data, sql).unwrap_or(0))
    .collect()
}

/// Why `case` did not end as it should, if it did not.
fn check(case: &Case, data: &Path, file: &Path) -> Option<String> {
    let before = stored(data);
    let output = run_bounded(data, &command(&case.importer, file));
    let stderr = common::stderr(&output);
    if stderr.contains("panicked") {
        return Some(format!("panicked: {stderr}"));
    }
    match case.outcome.as_str() {
        "ok" if output.status.success() => None,
        "ok" => Some(format!("refused: {}", stderr.trim())),
        _ if output.status.success() => Some("accepted".into()),
        _ => {
            let name = file.file_name().unwrap().to_string_lossy();
            let one_sentence = stderr.lines().count() == 1 && stderr.starts_with("error: ");
            let after = stored(data);
            if !one_sentence || !stderr.contains(name.as_ref()) || !stderr.contains(&case.says) {
                Some(format!("said: {}", stderr.trim()))
            } else if before != after {
                Some(format!("stored {before:?} -> {after:?}: {}", stderr.trim()))
            } else {
                None
            }
        }
    }
}

/// The photos: one folder import, then each file imported or skipped as its case says.
fn check_photos(cases: &[&Case], root: &Path, data: &Path) -> Vec<(String, String)> {
    let folder = root.join("photos");
    let output = run_bounded(
        data,
        &["--json", "photos", "import", folder.to_str().unwrap()].map(str::to_string),
    );
    if !output.status.success() {
        return vec![("photos".into(), common::stderr(&output))];
    }
    let imported: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let skipped: Vec<String> = imported["job"]["outcome"]["imported"]["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|skip| skip["file"].as_str().unwrap_or_default().to_string())
        .collect();
    cases
        .iter()
        .filter_map(|case| {
            let name = Path::new(&case.file).file_name()?.to_string_lossy();
            let was_skipped = skipped.iter().any(|file| file.ends_with(name.as_ref()));
            (was_skipped != (case.outcome == "skipped"))
                .then(|| (case.file.clone(), format!("skipped: {was_skipped}")))
        })
        .collect()
}

#[test]
fn every_malformed_file_ends_as_its_case_says() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/malformed");
    let cases: Cases =
        toml::from_str(&std::fs::read_to_string(root.join("cases.toml")).unwrap()).unwrap();
    assert!(cases.case.len() >= 200, "{} cases", cases.case.len());
    let mut by_importer: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
    for case in &cases.case {
        by_importer.entry(&case.importer).or_default().push(case);
    }
    let dir = tempfile::tempdir().unwrap();
    let files = root.join("files");
    // Two importers at a time: each CLI run is one process on one core.
    let groups: Vec<(&str, Vec<&Case>)> = by_importer.into_iter().collect();
    let failures: Vec<(String, String)> = std::thread::scope(|scope| {
        let halves = groups.chunks(groups.len().div_ceil(2)).map(|half| {
            let (dir, files) = (dir.path(), &files);
            scope.spawn(move || {
                let mut failures = Vec::new();
                for (importer, cases) in half {
                    let data = dir.join(importer);
                    if *importer == "photos" {
                        failures.extend(check_photos(cases, files, &data));
                        continue;
                    }
                    for case in cases {
                        if let Some(why) = check(case, &data, &files.join(&case.file)) {
                            failures.push((case.file.clone(), why));
                        }
                    }
                }
                failures
            })
        });
        halves
            .collect::<Vec<_>>()
            .into_iter()
            .flat_map(|half| half.join().unwrap())
            .collect()
    });
    let report: String = failures
        .iter()
        .map(|(file, why)| format!("{file}: {why}\n"))
        .collect();
    if let Ok(path) = std::env::var("TRADEWIND_MALFORMED_REPORT") {
        std::fs::write(path, &report).unwrap();
        return;
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases ended otherwise:\n{report}",
        failures.len(),
        cases.case.len()
    );
}
