//! Customer data never leaves the machine: the CLI's work runs in a network namespace
//! with no route out (`unshare --net`, as an unprivileged user namespace) exactly as it
//! does online: the demo shop's imports, translation and photo tagging (the fixture
//! models), the analyses, segment and Parquet exports, and the reports. Only `models
//! pull` needs the network, and it says so in one sentence.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{fixtures_and_data, stderr, stdout};

/// `tradewind ARGS` with no network at all, with `catalog` (the fixture models') or the
/// real one.
fn offline(data: &Path, catalog: Option<&Path>, args: &[&str]) -> Output {
    let mut command = Command::new("unshare");
    command
        .args(["--net", "--map-root-user", "--"])
        .arg(env!("CARGO_BIN_EXE_tradewind"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("TRADEWIND_DATA_DIR")
        .env_remove("TRADEWIND_CATALOG");
    if let Some(catalog) = catalog {
        command.env("TRADEWIND_CATALOG", catalog);
    }
    command
        .output()
        .expect("unshare (util-linux) runs the CLI in a namespace without network")
}

#[test]
fn the_shops_work_needs_no_network_and_a_model_download_says_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    let catalog = fixtures.join("catalog.toml");
    let succeeds = |args: &[&str]| -> String {
        let output = offline(&data, Some(&catalog), args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        stdout(&output)
    };
    // The namespace really has no way out: not even the loopback is up.
    let probe = Command::new("unshare")
        .args(["--net", "--map-root-user", "--", "cat", "/proc/net/route"])
        .output()
        .unwrap();
    assert!(probe.status.success(), "{}", stderr(&probe));
    assert!(
        stdout(&probe).lines().count() <= 1,
        "no routes (at most the header): {}",
        stdout(&probe)
    );

    assert!(succeeds(&["demo"]).contains("2720 orders"));
    let products = dir.path().join("products.csv");
    std::fs::write(&products, tradewind::demo::PRODUCTS_CSV).unwrap();
    let translated = dir.path().join("translated");
    let said = succeeds(&[
        "translate",
        products.to_str().unwrap(),
        "--to",
        "de",
        "--out",
        translated.to_str().unwrap(),
    ]);
    assert!(said.contains("Imported 30 listings"), "{said}");
    assert!(succeeds(&["photos", "tag"]).contains("Tagged 12 photos"));
    assert!(succeeds(&["analytics", "summary"]).contains("net sales"));
    succeeds(&["analytics", "recommend"]);
    succeeds(&["analytics", "forecast"]);
    succeeds(&["reviews", "summary"]);
    let segment = dir.path().join("at-risk.csv");
    succeeds(&[
        "export",
        "segment",
        "at-risk",
        "--out",
        segment.to_str().unwrap(),
    ]);
    let parquet = dir.path().join("parquet");
    std::fs::create_dir(&parquet).unwrap();
    succeeds(&["export", "parquet", "--out", parquet.to_str().unwrap()]);
    for format in ["pdf", "html", "xlsx", "csv"] {
        let out = dir.path().join(format!("report.{format}"));
        succeeds(&["report", "--out", out.to_str().unwrap()]);
        assert!(out.metadata().unwrap().len() > 1000, "{format}");
    }

    // The real catalog's model, from the Hub.
    let pulled = offline(&data, None, &["models", "pull", "all-minilm-l6-v2"]);
    assert!(!pulled.status.success());
    let said = stderr(&pulled);
    assert!(
        said.starts_with(
            "error: The model hub (huggingface.co) cannot be reached from this computer"
        ),
        "{said}"
    );
    assert!(said.contains("models import"), "{said}");
    assert_eq!(
        said.lines().count(),
        1,
        "one sentence, no retry log: {said}"
    );
}
