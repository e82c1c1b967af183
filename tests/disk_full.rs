//! A full disk and a read-only one, for real: the data folder and the export folder are
//! small tmpfs mounts in a mount namespace of the test's own (`unshare`, as root or
//! through a user namespace), so nothing outside the test is touched. Each step's exit
//! status and messages, and copies of the database, are kept in the test's folder and
//! checked here once the namespace is gone.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::Path;
use std::process::Command;

use common::orders_file;

/// What one step printed and how it ended.
struct Step {
    status: i32,
    stderr: String,
}

fn step(folder: &Path, name: &str) -> Step {
    let read = |ending: &str| std::fs::read_to_string(folder.join(format!("{name}.{ending}")));
    Step {
        status: read("status").unwrap().trim().parse().unwrap(),
        stderr: read("err").unwrap(),
    }
}

/// The database copied out at some point of the script: its integrity and counts.
fn snapshot(folder: &Path, name: &str) -> (String, u64, u64) {
    let conn = rusqlite::Connection::open(folder.join(name).join("tradewind.db")).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |row| row.get::<_, i64>(0)).unwrap() as u64;
    (
        integrity,
        count("SELECT count(*) FROM orders"),
        count("SELECT count(*) FROM order_lines"),
    )
}

const SCRIPT: &str = r#"
set -u
step() { name=$1; shift; "$@" >"$H/$name.out" 2>"$H/$name.err"; echo $? >"$H/$name.status"; }
keep() { mkdir -p "$H/$1" && cp "$D"/tradewind.db* "$H/$1/"; }
mount -t tmpfs -o size=48m tmpfs "$D" || exit 90
mount -t tmpfs -o size=16k tmpfs "$O" || exit 91

step first "$T" --data-dir "$D" import orders "$SMALL"
keep first

# Fill the data folder's disk but for a little room: the import starts and runs out.
dd if=/dev/zero of="$D/filler" bs=64k 2>/dev/null
truncate -s -256k "$D/filler"
step full "$T" --data-dir "$D" import orders "$BIG"
keep after-full
rm "$D/filler"
step resumed "$T" --data-dir "$D" import orders "$BIG"
keep resumed
# The same two imports on a disk with room, to compare with.
step clean-small "$T" --data-dir "$H/clean" import orders "$SMALL"
step clean-big "$T" --data-dir "$H/clean" import orders "$BIG"

# The export folder full, then read-only: no file, half or whole, is left there.
step report-full "$T" --data-dir "$D" report --out "$O/report.html"
ls -A "$O" >"$H/export-folder-after-full"
mount -o remount,ro "$O"
step report-read-only "$T" --data-dir "$D" report --out "$O/report.html"
ls -A "$O" >"$H/export-folder-after-read-only"

# The data folder read-only: refused in one sentence, the database as it was.
mount -o remount,ro "$D"
step data-read-only "$T" --data-dir "$D" import orders "$SMALL"
mount -o remount,rw "$D"
keep after-read-only
"#;

#[test]
fn a_full_or_read_only_disk_gets_a_clear_error_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let host = dir.path().join("results");
    let (data, out) = (dir.path().join("data"), dir.path().join("out"));
    for folder in [&host, &data, &out] {
        std::fs::create_dir_all(folder).unwrap();
    }
    let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/orders_export_1.csv");
    let (big, made) = orders_file(dir.path(), 20_000);
    let ran = Command::new("unshare")
        .args(["--mount", "--map-root-user", "--propagation", "private"])
        .args(["sh", "-c", SCRIPT])
        .env("T", env!("CARGO_BIN_EXE_tradewind"))
        .env("H", &host)
        .env("D", &data)
        .env("O", &out)
        .env("SMALL", &small)
        .env("BIG", &big)
        .env_remove("TRADEWIND_DATA_DIR")
        .output()
        .expect("unshare (util-linux) runs");
    assert!(
        ran.status.success(),
        "the namespace could not be made ({:?}): {}",
        ran.status,
        String::from_utf8_lossy(&ran.stderr)
    );

    let first = step(&host, "first");
    assert_eq!(first.status, 0, "{}", first.stderr);
    let (integrity, orders, lines) = snapshot(&host, "first");
    assert_eq!(integrity, "ok");

    // Out of room: one sentence that says so; the database sound, the orders as they were.
    let full = step(&host, "full");
    assert_ne!(full.status, 0);
    assert_eq!(full.stderr.lines().count(), 1, "{}", full.stderr);
    assert!(
        full.stderr
            .contains("is full; free some space and run it again"),
        "{}",
        full.stderr
    );
    assert_eq!(
        snapshot(&host, "after-full"),
        (integrity.clone(), orders, lines)
    );

    // With room again the same import finishes, every order once: as the same two
    // imports on a disk with room left them.
    let resumed = step(&host, "resumed");
    assert_eq!(resumed.status, 0, "{}", resumed.stderr);
    assert_eq!(step(&host, "clean-big").status, 0);
    let (integrity_after, orders_after, lines_after) = snapshot(&host, "resumed");
    assert_eq!(
        (integrity_after, orders_after, lines_after),
        snapshot(&host, "clean")
    );
    assert!(orders_after >= made.orders && orders_after > orders);

    // Exports into a full folder and a read-only one: a clear error, nothing left there.
    for (name, says, listing) in [
        (
            "report-full",
            "cannot write {report}: No space left on device (os error 28)",
            "export-folder-after-full",
        ),
        (
            "report-read-only",
            "cannot write {report}: read-only filesystem or storage medium",
            "export-folder-after-read-only",
        ),
    ] {
        let report = step(&host, name);
        assert_ne!(report.status, 0, "{name}");
        let says = says.replace("{report}", &out.join("report.html").display().to_string());
        assert_eq!(report.stderr, format!("error: {says}\n"), "{name}");
        let left = std::fs::read_to_string(host.join(listing)).unwrap();
        assert_eq!(left, "", "{name}: the export folder holds {left}");
    }

    // A read-only data folder: refused, and the database unchanged.
    let read_only = step(&host, "data-read-only");
    assert_ne!(read_only.status, 0);
    assert_eq!(read_only.stderr.lines().count(), 1, "{}", read_only.stderr);
    assert!(
        read_only.stderr.contains("read-only"),
        "{}",
        read_only.stderr
    );
    assert_eq!(snapshot(&host, "after-read-only"), snapshot(&host, "clean"));
}
