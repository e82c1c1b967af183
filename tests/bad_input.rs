//! Bad input gets one clear sentence naming the thing, a failing exit code, and
//! nothing written.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::Path;

use common::{count, run, stderr};

fn one_line_error(output: &std::process::Output) -> String {
    assert!(!output.status.success(), "expected a failure");
    let text = stderr(output);
    assert_eq!(text.lines().count(), 1, "one sentence, not a trace: {text}");
    assert!(text.starts_with("error: "), "{text}");
    text
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_missing_input_file_is_named_and_no_data_folder_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let missing = dir.path().join("orders_export_1.csv");
    for kind in ["orders", "listings"] {
        let output = run(&data_dir, &["import", kind, missing.to_str().unwrap()]);
        let message = one_line_error(&output);
        assert!(
            message.contains(&format!("{}: no such file", missing.display())),
            "{message}"
        );
    }
    assert!(!data_dir.exists());
}

#[test]
fn a_damaged_database_is_named_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("tradewind.db");
    let garbage = b"PK\x03\x04 a zip file saved over the database by mistake ".repeat(100);
    std::fs::write(&database, &garbage).unwrap();
    let output = run(dir.path(), &["doctor"]);
    let message = one_line_error(&output);
    assert!(
        message.contains(&database.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("not a Tradewind database or it is damaged"),
        "{message}"
    );
    assert_eq!(std::fs::read(&database).unwrap(), garbage);
    assert_eq!(files_in(dir.path()), ["tradewind.db"]);
}

#[test]
fn a_locked_database_is_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let first = run(dir.path(), &["doctor"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let holder = rusqlite::Connection::open(dir.path().join("tradewind.db")).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();

    let output = common::tradewind(dir.path())
        .env("TRADEWIND_BUSY_TIMEOUT_MS", "100")
        .arg("demo")
        .output()
        .unwrap();
    let message = one_line_error(&output);
    assert!(
        message.contains("is locked by another program"),
        "{message}"
    );

    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(count(dir.path(), "SELECT count(*) FROM jobs"), Some(0));
    assert_eq!(count(dir.path(), "SELECT count(*) FROM listings"), Some(0));
}

#[test]
fn a_database_from_a_newer_tradewind_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    rusqlite::Connection::open(dir.path().join("tradewind.db"))
        .unwrap()
        .execute_batch("PRAGMA user_version = 42")
        .unwrap();
    let message = one_line_error(&run(dir.path(), &["doctor"]));
    assert!(
        message.contains("written by a newer Tradewind (schema 42"),
        "{message}"
    );
}

#[test]
fn a_malformed_orders_export_names_the_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("orders.csv");
    std::fs::write(
        &file,
        "Name,Created at,Currency,Total,Lineitem quantity,Lineitem name,Lineitem price\n\
         #1001,2024-05-01 10:00:00 +0000,EUR,12.00,1,Mug,12.00\n\
         #1002,2024-05-02 10:00:00 +0000,EUR,12;00,1,Mug,12.00\n",
    )
    .unwrap();
    let message = one_line_error(&run(
        &dir.path().join("data"),
        &["import", "orders", file.to_str().unwrap()],
    ));
    assert!(
        message.contains("orders.csv, row 3, column 'Total'") && message.contains("12;00"),
        "{message}"
    );
}

#[test]
fn an_export_that_is_not_an_orders_export_says_which_exports_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("products.csv");
    std::fs::write(&file, "Handle,Title\nmug,Mug\n").unwrap();
    let message = one_line_error(&run(
        &dir.path().join("data"),
        &["import", "orders", file.to_str().unwrap()],
    ));
    assert!(
        message.contains("products.csv is not an orders export Tradewind knows")
            && message.contains("Amazon's All Orders report"),
        "{message}"
    );
}

/// Values no shop would export: each is refused in one sentence naming the file, row,
/// column and value, and the orders imported before stay exactly as they were.
#[test]
fn values_no_shop_would_export_are_refused_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let header = "Name,Email,Created at,Currency,Total,Lineitem quantity,Lineitem name,Lineitem price,Billing Name\n";
    let good = "#1001,a@example.com,2024-05-01 10:00:00 +0000,EUR,12.00,1,Mug,12.00,Ann\n";
    let file = dir.path().join("orders.csv");
    std::fs::write(&file, format!("{header}{good}")).unwrap();
    assert!(
        run(&data, &["import", "orders", file.to_str().unwrap()])
            .status
            .success()
    );
    let stored = || {
        [
            "SELECT count(*) FROM orders",
            "SELECT sum(total_minor) FROM orders",
            "SELECT count(*) FROM order_lines",
        ]
        .map(|sql| count(&data, sql))
    };
    let before = stored();

    let cases = [
        (
            "#1002,b@example.com,2024-05-02 10:00:00 +0000,EUR,12.00,-1,Mug,12.00,Bo\n",
            "row 3, column 'Lineitem quantity': a negative quantity",
        ),
        (
            "#1002,b@example.com,2024-05-02 10:00:00 +0000,EUR,12.00,1,Mug,-12.00,Bo\n",
            "row 3, column 'Lineitem price': a negative price",
        ),
        (
            "#1002,b@example.com,2024-05-02 10:00:00 +0000,XYZ,12.00,1,Mug,12.00,Bo\n",
            "row 3, column 'Currency': not an ISO 4217 currency code ('XYZ')",
        ),
        (
            "#1002,b@example.com,2024-05-02 10:00:00 +0000,EUR,12.00,1,Mug,12.00,B\0o\n",
            "row 3, column 'Billing Name': a NUL character",
        ),
        (
            "#1002,b@example.com,2099-05-02 10:00:00 +0000,EUR,12.00,1,Mug,12.00,Bo\n",
            "row 3, column 'order date': a date in the future",
        ),
        (
            "#1002,b@example.com,1970-01-01 00:00:00 +0000,EUR,12.00,1,Mug,12.00,Bo\n",
            "row 3, column 'order date': a date before 1995",
        ),
    ];
    for (row, expected) in cases {
        std::fs::write(&file, format!("{header}{good}{row}")).unwrap();
        let message = one_line_error(&run(&data, &["import", "orders", file.to_str().unwrap()]));
        assert!(message.contains(expected), "{expected}: {message}");
        assert!(
            !message.contains('\0'),
            "the NUL is shown, not printed: {message}"
        );
        assert_eq!(stored(), before, "{expected}: the orders changed");
    }

    // A product file: a negative price and a NUL in a title.
    let products = dir.path().join("products.csv");
    for (row, expected) in [
        (
            "mug,Mug,-5.00\n",
            "row 2, column 'Variant Price': a negative price",
        ),
        ("mug,M\0ug,5.00\n", "row 2, column 'Title': a NUL character"),
    ] {
        std::fs::write(&products, format!("Handle,Title,Variant Price\n{row}")).unwrap();
        let message = one_line_error(&run(
            &data,
            &["import", "listings", products.to_str().unwrap()],
        ));
        assert!(message.contains(expected), "{expected}: {message}");
        assert!(
            !message.contains('\0'),
            "the NUL is shown, not printed: {message}"
        );
    }
    assert!(
        one_line_error(&run(
            &data,
            &["import", "listings", products.to_str().unwrap()]
        ))
        .ends_with("('M\\0ug')\n")
    );
    assert_eq!(count(&data, "SELECT count(*) FROM listings"), Some(0));

    // A file of the seller's own layout (read as a table): a NUL in a message.
    let messages = dir.path().join("messages.csv");
    std::fs::write(&messages, "Buyer,Message\nann,Where is\0 my mug?\n").unwrap();
    let message = one_line_error(&run(
        &data,
        &["messages", "import", messages.to_str().unwrap()],
    ));
    assert!(
        message.contains("row 2, column 'Message': a NUL character"),
        "{message}"
    );
}
