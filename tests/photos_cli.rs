//! `tradewind photos …` through the real binary on the demo's photos and the fixture
//! models: tag, correct, check, export (CSV, XMP sidecars), and a folder that is not there.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::Path;
use std::process::Output;

use common::{fixtures_and_data, stderr, stdout, tradewind};

fn photos(data: &Path, fixtures: &Path, args: &[&str]) -> Output {
    tradewind(data)
        .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
        .args(args)
        .output()
        .unwrap()
}

fn listed(data: &Path, fixtures: &Path) -> Vec<serde_json::Value> {
    let list = photos(data, fixtures, &["--json", "photos", "list"]);
    assert!(list.status.success(), "{}", stderr(&list));
    serde_json::from_slice(&list.stdout).unwrap()
}

#[test]
fn photos_are_tagged_corrected_checked_and_written_out_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    assert!(photos(&data, &fixtures, &["demo"]).status.success());

    let tagged = photos(&data, &fixtures, &["photos", "tag"]);
    assert!(tagged.status.success(), "{}", stderr(&tagged));
    assert!(
        stdout(&tagged).contains("Tagged 12 photos"),
        "{}",
        stdout(&tagged)
    );
    let all = listed(&data, &fixtures);
    let tote = all
        .iter()
        .find(|photo| photo["file_name"] == "sakura-stitch-tote-1.jpg")
        .unwrap();
    let proposal = tote["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|tag| tag["group"] != "category" && tag["state"] == "proposed")
        .unwrap();
    let id = tote["id"].to_string();
    let (group, label) = (
        proposal["group"].as_str().unwrap(),
        proposal["label"].as_str().unwrap(),
    );

    // Removing the proposal: it stays off when the photos are tagged again.
    let removed = photos(
        &data,
        &fixtures,
        &[
            "photos", "correct", "--photos", &id, "--group", group, "--label", label, "--remove",
        ],
    );
    assert!(removed.status.success(), "{}", stderr(&removed));
    assert_eq!(stdout(&removed).trim(), "1 photos changed.");
    assert!(
        photos(&data, &fixtures, &["photos", "tag"])
            .status
            .success()
    );
    let again = listed(&data, &fixtures);
    let tote = again
        .iter()
        .find(|photo| photo["id"] == tote["id"])
        .unwrap();
    let state = tote["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|tag| tag["group"] == group && tag["label"] == label)
        .map(|tag| tag["state"].clone());
    assert_eq!(state, Some(serde_json::json!("removed")), "{tote}");

    // The dark bottle fails eBay's rules: the check exits 1 and says why.
    let check = photos(
        &data,
        &fixtures,
        &["photos", "check", "--marketplace", "ebay"],
    );
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let sentences = stdout(&check);
    assert!(
        sentences.contains("atlas-trail-bottle-750-2.jpg"),
        "{sentences}"
    );

    let table = dir.path().join("photos.csv");
    let csv = photos(
        &data,
        &fixtures,
        &["photos", "export", "--out", table.to_str().unwrap()],
    );
    assert!(csv.status.success(), "{}", stderr(&csv));
    assert_eq!(
        csv::Reader::from_path(&table).unwrap().records().count(),
        12
    );

    let sidecars = dir.path().join("sidecars");
    let xmp = photos(
        &data,
        &fixtures,
        &[
            "photos",
            "export",
            "--xmp",
            "--sidecar-names",
            "photo.jpg.xmp",
            "--out",
            sidecars.to_str().unwrap(),
        ],
    );
    assert!(xmp.status.success(), "{}", stderr(&xmp));
    assert_eq!(stdout(&xmp).trim(), "Wrote 12 XMP sidecars.");
    let sidecar = std::fs::read_to_string(sidecars.join("sakura-stitch-tote-1.jpg.xmp")).unwrap();
    assert!(sidecar.contains("<dc:subject>"), "{sidecar}");
}

#[test]
fn a_missing_folder_is_named_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    let missing = dir.path().join("no-such-shoot");
    let import = photos(
        &data,
        &fixtures,
        &["photos", "import", missing.to_str().unwrap()],
    );
    assert_eq!(import.status.code(), Some(1));
    let said = stderr(&import);
    assert!(said.contains("no-such-shoot"), "{said}");
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    let imported = common::count(&data, "SELECT count(*) FROM photos");
    assert!(matches!(imported, None | Some(0)), "{imported:?}");
}
