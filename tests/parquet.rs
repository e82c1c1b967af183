//! The demo shop's orders, customers and monthly metrics as Parquet through the real
//! `tradewind` binary, read back with the parquet crate's Arrow reader as DuckDB or
//! Polars would read them: every order the filter keeps, real types, and no e-mail or
//! name when anonymised.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use arrow_array::{Array, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, TimeUnit};
use common::{run, stderr};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

fn read(path: &std::path::Path) -> RecordBatch {
    let file = std::fs::File::open(path).unwrap();
    let batches: Vec<RecordBatch> = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .with_batch_size(1 << 20)
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        batches.len(),
        1,
        "a demo-sized file is one batch at this batch size"
    );
    batches[0].clone()
}

fn strings<'a>(batch: &'a RecordBatch, column: &str) -> &'a StringArray {
    batch
        .column_by_name(column)
        .unwrap()
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap()
}

#[test]
fn orders_customers_and_months_read_back_from_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    assert!(run(&data_dir, &["demo"]).status.success());
    let summary = run(&data_dir, &["--json", "analytics", "summary"]);
    let summary: serde_json::Value = serde_json::from_slice(&summary.stdout).unwrap();
    let metrics = &summary["metrics"];

    let folder = dir.path().join("parquet");
    let written = run(
        &data_dir,
        &[
            "export",
            "parquet",
            "--out",
            folder.to_str().unwrap(),
            "--with-contacts",
        ],
    );
    assert!(written.status.success(), "{}", stderr(&written));
    let orders = read(&folder.join("orders.parquet"));
    assert_eq!(
        orders.num_rows() as u64,
        metrics["orders"].as_u64().unwrap()
    );
    let schema = orders.schema();
    assert_eq!(
        schema.field_with_name("placed_at").unwrap().data_type(),
        &DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
    );
    let net = orders
        .column_by_name("net_sales_usd")
        .unwrap()
        .as_any()
        .downcast_ref::<Float64Array>()
        .unwrap();
    let total: f64 = net.iter().flatten().sum();
    let expected = metrics["net_sales"].as_f64().unwrap();
    assert!(
        (total - expected).abs() < 0.01 * expected.abs().max(1.0),
        "{total} against {expected}"
    );
    assert!(
        strings(&orders, "order_name")
            .iter()
            .any(|name| name == Some("#1001"))
    );
    assert!(
        strings(&orders, "customer")
            .iter()
            .any(|key| key.unwrap().contains('@'))
    );

    let customers = read(&folder.join("customers.parquet"));
    assert_eq!(
        customers.num_rows() as u64,
        metrics["customers"].as_u64().unwrap()
    );
    assert_eq!(
        customers
            .schema()
            .field_with_name("first_order")
            .unwrap()
            .data_type(),
        &DataType::Date32
    );
    let months = read(&folder.join("monthly.parquet"));
    assert_eq!(months.num_rows(), 24, "November 2024 to October 2026");

    // Anonymised: hashes for customers, no names, no e-mail anywhere.
    let hidden = dir.path().join("anonymised");
    assert!(
        run(
            &data_dir,
            &[
                "export",
                "parquet",
                "--out",
                hidden.to_str().unwrap(),
                "--anonymise"
            ]
        )
        .status
        .success()
    );
    let orders = read(&hidden.join("orders.parquet"));
    assert!(
        strings(&orders, "customer")
            .iter()
            .all(|key| key.unwrap().len() == 64)
    );
    let customers = read(&hidden.join("customers.parquet"));
    assert_eq!(
        customers.column_by_name("name").unwrap().null_count(),
        customers.num_rows()
    );
    for file in ["orders.parquet", "customers.parquet", "monthly.parquet"] {
        let bytes = std::fs::read(hidden.join(file)).unwrap();
        assert!(
            !bytes.windows(12).any(|window| window == b"@example.com"),
            "{file}"
        );
    }
}
