//! Customer data never leaves the machine: the CLI's work runs in a network namespace
//! with no route out (`unshare --net`, as an unprivileged user namespace) exactly as it
//! does online: the demo shop's imports, the analyses, segment and Parquet exports, and
//! the reports. Only `models pull` needs the network, and it says so in one sentence.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{stderr, stdout};

/// `tradewind ARGS` with no network at all.
fn offline(data: &Path, args: &[&str]) -> Output {
    Command::new("unshare")
        .args(["--net", "--map-root-user", "--"])
        .arg(env!("CARGO_BIN_EXE_tradewind"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("TRADEWIND_DATA_DIR")
        .output()
        .expect("unshare (util-linux) runs the CLI in a namespace without network")
}

fn succeeds(data: &Path, args: &[&str]) -> String {
    let output = offline(data, args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    stdout(&output)
}

#[test]
fn the_shops_work_needs_no_network_and_a_model_download_says_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
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

    assert!(succeeds(&data, &["demo"]).contains("2720 orders"));
    assert!(succeeds(&data, &["analytics", "summary"]).contains("net sales"));
    succeeds(&data, &["analytics", "recommend"]);
    succeeds(&data, &["analytics", "forecast"]);
    succeeds(&data, &["reviews", "summary"]);
    let segment = dir.path().join("at-risk.csv");
    succeeds(
        &data,
        &[
            "export",
            "segment",
            "at-risk",
            "--out",
            segment.to_str().unwrap(),
        ],
    );
    let parquet = dir.path().join("parquet");
    std::fs::create_dir(&parquet).unwrap();
    succeeds(
        &data,
        &["export", "parquet", "--out", parquet.to_str().unwrap()],
    );
    for format in ["pdf", "html", "xlsx", "csv"] {
        let out = dir.path().join(format!("report.{format}"));
        succeeds(&data, &["report", "--out", out.to_str().unwrap()]);
        assert!(out.metadata().unwrap().len() > 1000, "{format}");
    }

    let pulled = offline(&data, &["models", "pull", "all-minilm-l6-v2"]);
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
