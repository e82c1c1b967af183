//! The data folder as a whole through the real binary: a backup restored into a new
//! data folder holds the same shop, the folder moved holds it too, and "delete all my
//! data" leaves the folder empty.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;
use common::{run, stderr};

fn counts(data: &std::path::Path) -> serde_json::Value {
    let doctor = run(data, &["--json", "doctor"]);
    assert!(doctor.status.success(), "{}", stderr(&doctor));
    let report: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
    report["counts"].clone()
}

#[test]
fn a_backup_restored_into_a_new_data_folder_gives_the_same_shop() {
    let dir = tempfile::tempdir().unwrap();
    let (shop, laptop) = (dir.path().join("shop"), dir.path().join("laptop"));
    let demo = run(&shop, &["demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let policies = run(&shop, &["policies", "--shipping", "2 working days"]);
    assert!(policies.status.success(), "{}", stderr(&policies));
    let file = dir.path().join("shop.tradewind-backup");
    let backed_up = run(&shop, &["backup", file.to_str().unwrap()]);
    assert!(backed_up.status.success(), "{}", stderr(&backed_up));

    let restored = run(&laptop, &["restore", file.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert_eq!(counts(&laptop), counts(&shop));
    assert_eq!(counts(&laptop)["orders"], 2720, "the demo's orders");
    let shown = run(&laptop, &["--json", "policies"]);
    let shown: serde_json::Value = serde_json::from_slice(&shown.stdout).unwrap();
    assert_eq!(shown["shipping"], "2 working days", "settings come along");

    let not_a_backup = dir.path().join("orders.csv");
    std::fs::write(&not_a_backup, "Name,Total\n#1001,12.00\n").unwrap();
    let refused = run(&laptop, &["restore", not_a_backup.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("orders.csv is not a Tradewind database"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(counts(&laptop), counts(&shop), "nothing was replaced");
}

#[test]
fn deleting_all_data_asks_for_yes_then_leaves_the_folder_empty() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let demo = run(&data, &["demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));

    let asked = run(&data, &["delete-all-data"]);
    assert_eq!(asked.status.code(), Some(2));
    assert!(stderr(&asked).contains("add --yes"), "{}", stderr(&asked));
    assert!(
        data.join("tradewind.db").exists(),
        "nothing deleted without --yes"
    );

    let deleted = run(&data, &["delete-all-data", "--yes"]);
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert_eq!(std::fs::read_dir(&data).unwrap().count(), 0);
}

#[test]
fn the_data_folder_moves_whole_and_refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let demo = run(&data, &["demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let before = counts(&data);

    let full = dir.path().join("full");
    std::fs::create_dir_all(&full).unwrap();
    std::fs::write(full.join("notes.txt"), "mine").unwrap();
    let refused = run(&data, &["move-data-folder", full.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("is not empty"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(counts(&data), before, "nothing moved");

    let to = dir.path().join("bigger-disk/Tradewind");
    let moved = run(&data, &["move-data-folder", to.to_str().unwrap()]);
    assert!(moved.status.success(), "{}", stderr(&moved));
    assert!(
        String::from_utf8_lossy(&moved.stdout).contains("--data-dir"),
        "a folder named on the command line is named anew"
    );
    assert!(!data.exists());
    assert_eq!(counts(&to), before);
}
