//! A long import killed or cancelled half-way shows as such and resumes to exactly
//! the rows a clean run gives.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{count, job_states, orders_file, run, stderr, tradewind};

const ORDERS: u64 = 40_000;

fn start_import(data_dir: &Path, file: &Path) -> Child {
    tradewind(data_dir)
        .args(["import", "orders"])
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until the import has committed some orders but not all.
fn wait_for_first_commit(data_dir: &Path, child: &mut Child) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(orders) =
            count(data_dir, "SELECT count(*) FROM orders").filter(|orders| *orders > 0)
        {
            return orders;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it could be interrupted"
        );
        assert!(
            Instant::now() < deadline,
            "no orders were committed within a minute"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn assert_complete_without_duplicates(data_dir: &Path, lines: u64) {
    assert_eq!(count(data_dir, "SELECT count(*) FROM orders"), Some(ORDERS));
    assert_eq!(
        count(data_dir, "SELECT count(DISTINCT name) FROM orders"),
        Some(ORDERS)
    );
    assert_eq!(
        count(data_dir, "SELECT count(*) FROM order_lines"),
        Some(lines)
    );
}

#[test]
fn a_killed_import_is_interrupted_and_resumes_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let (file, made) = orders_file(dir.path(), ORDERS);

    let mut child = start_import(&data_dir, &file);
    wait_for_first_commit(&data_dir, &mut child);
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let partial = count(&data_dir, "SELECT count(*) FROM orders").unwrap();
    assert!(
        partial > 0 && partial < ORDERS,
        "{partial} orders after the kill"
    );
    assert_eq!(job_states(&data_dir), ["interrupted"]);

    let resumed = run(&data_dir, &["jobs", "resume", "1"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert_eq!(job_states(&data_dir), ["succeeded"]);
    assert_complete_without_duplicates(&data_dir, made.lines);
}

#[cfg(unix)]
#[test]
fn ctrl_c_cancels_at_a_checkpoint_and_resume_finishes() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let (file, made) = orders_file(dir.path(), ORDERS);

    let mut child = start_import(&data_dir, &file);
    wait_for_first_commit(&data_dir, &mut child);
    let interrupt = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupt.success());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "a cancelled job exits as an interrupted command does"
    );
    assert_eq!(job_states(&data_dir), ["cancelled"]);

    let resumed = run(&data_dir, &["jobs", "resume", "1"]);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert_complete_without_duplicates(&data_dir, made.lines);
}

#[test]
fn resuming_after_the_file_changed_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let (file, _) = orders_file(dir.path(), ORDERS);
    let mut child = start_import(&data_dir, &file);
    wait_for_first_commit(&data_dir, &mut child);
    child.kill().unwrap();
    child.wait().unwrap();

    let mut text = std::fs::read(&file).unwrap();
    text.truncate(text.len() / 2);
    std::fs::write(&file, &text).unwrap();
    let resumed = run(&data_dir, &["jobs", "resume", "1"]);
    assert!(!resumed.status.success());
    assert!(
        stderr(&resumed).contains("the file changed since this import started"),
        "{}",
        stderr(&resumed)
    );
    assert_eq!(job_states(&data_dir), ["failed"]);
}

#[test]
fn a_malformed_row_at_the_end_of_a_long_file_leaves_the_earlier_import_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let (file, made) = orders_file(dir.path(), ORDERS);
    let first = run(&data_dir, &["import", "orders", file.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    // The same export again, its last row's date damaged: by the time the import finds
    // it, it has written much of the file (uncommitted), and cleared the first import's.
    let text = std::fs::read_to_string(&file).unwrap();
    let last_row = text.lines().count();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let created = header.iter().position(|name| name == "Created at").unwrap();
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let last = rows.last_mut().unwrap();
    *last = last
        .iter()
        .enumerate()
        .map(|(index, cell)| if index == created { "yesterday" } else { cell })
        .collect();
    let mut writer = csv::Writer::from_path(&file).unwrap();
    writer.write_record(&header).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
    let again = run(&data_dir, &["import", "orders", file.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains(&format!("row {last_row}")),
        "{}",
        stderr(&again)
    );
    assert_complete_without_duplicates(&data_dir, made.lines);
}
