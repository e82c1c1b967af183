//! `tradewind demo && tradewind doctor` on a fresh data folder report the real counts.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use common::{count, run, stderr, stdout};

#[test]
fn demo_then_doctor_report_what_the_store_holds() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("fresh");
    let demo = run(&data_dir, &["demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let printed = stdout(&demo);
    assert!(
        printed.contains(
            "30 listings (74 variants, 60 images), 2720 orders (4434 line items), 12 photos"
        ),
        "{printed}"
    );

    let doctor = run(&data_dir, &["--json", "doctor"]);
    assert!(doctor.status.success(), "{}", stderr(&doctor));
    let report: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
    assert_eq!(report["integrity_problems"], serde_json::json!([]));
    assert_eq!(report["database"]["journal_mode"], "wal");
    assert_eq!(report["counts"]["listings"], 30);
    // 2 000 on Shopify, and Etsy's, Amazon's and eBay's 720.
    assert_eq!(report["counts"]["orders"], 2720);
    assert_eq!(report["counts"]["photos"], 12);
    let customers = count(&data_dir, "SELECT count(DISTINCT customer_key) FROM orders").unwrap();
    assert_eq!(report["counts"]["customers"], customers);
    assert_eq!(report["jobs"]["total"], 1);

    // Loading the demo again replaces it rather than doubling it.
    assert!(run(&data_dir, &["demo"]).status.success());
    assert_eq!(count(&data_dir, "SELECT count(*) FROM orders"), Some(2720));
    assert_eq!(
        count(&data_dir, "SELECT count(DISTINCT channel) FROM orders"),
        Some(4)
    );
    // Some eBay buyers are Shopify customers, written in other case and spacing.
    assert!(
        count(
            &data_dir,
            "SELECT count(DISTINCT customer_key) FROM orders WHERE channel = 'ebay'
             AND customer_key IN (SELECT customer_key FROM orders WHERE channel = 'shopify')"
        )
        .unwrap()
            > 20
    );
    assert_eq!(count(&data_dir, "SELECT count(*) FROM photos"), Some(12));
}

#[test]
fn output_piped_into_a_reader_that_stops_early_ends_quietly() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let demo = run(dir.path(), &["demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    // `tradewind analytics customers | head -1`: the reader takes a line and hangs up
    // while hundreds of kilobytes are still to come.
    let mut child = common::tradewind(dir.path())
        .args(["--json", "analytics", "customers", "--limit", "5000"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with('{') || first.starts_with('['), "{first}");
    let ended = child.wait_with_output().unwrap();
    assert_eq!(ended.status.code(), Some(141), "as a shell reports SIGPIPE");
    assert!(
        ended.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&ended.stderr)
    );
}
