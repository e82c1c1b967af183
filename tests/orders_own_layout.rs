//! Orders from files of the seller's own layout, through the CLI: a German shop system's
//! CSV (Windows-1252, `;`, day-first dates, decimal commas, no currency column) and an
//! XLSX workbook with real date cells, read through the mapping Tradewind proposes and
//! the seller confirms; re-imports that update rather than duplicate; a bad date that
//! stops the import before anything changed.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::Path;

use common::{count, run, stderr, stdout};

/// One row per order line, an order's own fields on each of its rows, and its rows not all
/// together (the file is sorted by something else).
const SHOP_SYSTEM: &str = "Bestellnummer;Datum;Kunde;E-Mail;Land;PLZ;Artikel;Artikelnummer;Menge;Preis;Versand;Gesamt;Lager\r\n\
A-1;05/03/2025 14:05;Zoé Weber;Zoe.Weber@Example.de ;DE;10115;Sakura Tote;TOTE-1;2;15,00;5,00;45,00;B\r\n\
A-2;17/03/2025;Jan Berg;jan@example.de;DE;20095;Kumo Mug;MUG-1;3;10,00;0,00;30,00;C\r\n\
A-1;05/03/2025 14:05;Zoé Weber;Zoe.Weber@Example.de;DE;10115;Kumo Mug;MUG-1;1;10,00;5,00;45,00;B\r\n\
;;;;;;;;;;;75,00;\r\n";

fn write_cp1252(path: &Path, text: &str) {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

fn proposed(data: &Path, file: &Path) -> serde_json::Value {
    let output = run(
        data,
        &[
            "--json",
            "import",
            "orders",
            file.to_str().unwrap(),
            "--preview",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let preview: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(preview["layout"], "own_layout");
    preview["table"]["proposed"].clone()
}

/// `--map` from a mapping's columns, leaving out the ignored ones.
fn map_argument(mapping: &serde_json::Value) -> String {
    mapping["columns"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, role)| *role != "ignore")
        .map(|(column, role)| format!("{column}={}", role.as_str().unwrap()))
        .collect::<Vec<_>>()
        .join(",")
}

/// `tradewind import orders FILE --map MAP` with `more` arguments.
fn import_mapped(data: &Path, file: &Path, map: &str, more: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "orders", file.to_str().unwrap(), "--map", map];
    args.extend_from_slice(more);
    run(data, &args)
}

fn one(data: &Path, sql: &str) -> String {
    let conn = rusqlite::Connection::open(data.join("tradewind.db")).unwrap();
    conn.query_row(sql, [], |row| row.get::<_, String>(0))
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
}

#[test]
fn a_shop_systems_csv_imports_through_the_mapping_the_seller_confirms() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("bestellungen.csv");
    write_cp1252(&file, SHOP_SYSTEM);

    let without = run(&data, &["import", "orders", file.to_str().unwrap()]);
    assert!(!without.status.success());
    let said = stderr(&without);
    assert!(
        said.contains("bestellungen.csv is not an orders export Tradewind knows")
            && said.contains("say which column is which")
            && said.contains("--map"),
        "{said}"
    );

    let mapping = proposed(&data, &file);
    let roles = &mapping["columns"];
    for (column, role) in [
        ("Bestellnummer", "order_id"),
        ("Datum", "date"),
        ("Kunde", "buyer_name"),
        ("E-Mail", "email"),
        ("Land", "country"),
        ("PLZ", "postal_code"),
        ("Artikel", "product"),
        ("Artikelnummer", "sku"),
        ("Menge", "quantity"),
        ("Preis", "unit_price"),
        ("Versand", "shipping"),
        ("Gesamt", "total"),
        ("Lager", "ignore"),
    ] {
        assert_eq!(roles[column], role, "{column}");
    }
    assert_eq!(mapping["dates"], "day_first", "17/03/2025 says day first");
    let map = map_argument(&mapping);

    let without_currency = import_mapped(&data, &file, &map, &[]);
    assert!(!without_currency.status.success());
    assert!(
        stderr(&without_currency).contains("which currency"),
        "{}",
        stderr(&without_currency)
    );

    for _ in 0..2 {
        let imported = import_mapped(&data, &file, &map, &["--currency", "eur"]);
        assert!(imported.status.success(), "{}", stderr(&imported));
        assert!(
            stdout(&imported).contains("Imported 2 orders (3 line items)"),
            "{}",
            stdout(&imported)
        );
        assert_eq!(count(&data, "SELECT count(*) FROM orders"), Some(2));
        assert_eq!(count(&data, "SELECT count(*) FROM order_lines"), Some(3));
    }
    assert_eq!(
        one(
            &data,
            "SELECT channel || ' ' || created_at || ' ' || currency || ' ' || items_minor || ' '
                    || shipping_minor || ' ' || total_minor || ' ' || customer_key || ' '
                    || buyer_name || ' ' || shipping_country
             FROM orders WHERE name = 'A-1'"
        ),
        "other 2025-03-05T14:05:00Z EUR 4000 500 4500 email:zoe.weber@example.de Zoé Weber DE"
    );
    assert_eq!(
        one(
            &data,
            "SELECT created_at || ' ' || items_minor FROM orders WHERE name = 'A-2'"
        ),
        "2025-03-17T00:00:00Z 3000"
    );
    let summary = run(&data, &["--json", "analytics", "summary"]);
    assert!(summary.status.success(), "{}", stderr(&summary));
    assert!(
        stdout(&summary).contains("\"other\""),
        "{}",
        stdout(&summary)
    );

    // A bad date stops the import before anything changed, naming row and column.
    write_cp1252(
        &file,
        &SHOP_SYSTEM
            .replace("17/03/2025", "31/02/2025")
            .replace("A-1", "A-9"),
    );
    let refused = import_mapped(&data, &file, &map, &["--currency", "EUR"]);
    assert!(!refused.status.success());
    let said = stderr(&refused);
    assert!(
        said.contains("bestellungen.csv, row 3, column 'Datum'") && said.contains("31/02/2025"),
        "{said}"
    );
    assert_eq!(
        count(&data, "SELECT count(*) FROM orders WHERE name = 'A-9'"),
        Some(0)
    );
    assert_eq!(count(&data, "SELECT count(*) FROM orders"), Some(2));
}

#[test]
fn a_workbook_of_shopify_orders_updates_the_orders_of_the_shopify_export() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let export = dir.path().join("orders_export_1.csv");
    std::fs::write(
        &export,
        "Name,Email,Financial Status,Created at,Currency,Subtotal,Shipping,Taxes,Total,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n\
#1001,ana@example.com,paid,2025-01-10 10:00:00 +0000,EUR,40.00,5.00,0.00,45.00,2,Sakura Tote,15.00,TOTE-1\n\
#1001,,,,,,,,,1,Kumo Mug,10.00,MUG-1\n",
    )
    .unwrap();
    let imported = run(&data, &["import", "orders", export.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));

    // A reporting app's workbook: one row per order, dates as date cells.
    let workbook_path = dir.path().join("shopify-report.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (column, name) in [
        "Order",
        "Placed",
        "Customer Email",
        "Currency",
        "Total",
        "Refunds",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    for (row, (order, day, email, total, refund)) in [
        ("#1001", 10, "ana@example.com", 45.0, 10.0),
        ("#1002", 12, "ken@example.jp", 30.0, 0.0),
    ]
    .into_iter()
    .enumerate()
    {
        let row = row as u32 + 1;
        let placed = rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, day)
            .unwrap()
            .and_hms(10, 0, 0)
            .unwrap();
        sheet.write_string(row, 0, order).unwrap();
        sheet
            .write_datetime_with_format(row, 1, &placed, &format)
            .unwrap();
        sheet.write_string(row, 2, email).unwrap();
        sheet.write_string(row, 3, "EUR").unwrap();
        sheet.write_number(row, 4, total).unwrap();
        sheet.write_number(row, 5, refund).unwrap();
    }
    workbook.save(&workbook_path).unwrap();

    let mapping = proposed(&data, &workbook_path);
    assert_eq!(mapping["columns"]["Placed"], "date");
    assert_eq!(mapping["columns"]["Refunds"], "refunded");
    let map = map_argument(&mapping);
    for _ in 0..2 {
        let imported = import_mapped(&data, &workbook_path, &map, &["--channel", "shopify"]);
        assert!(imported.status.success(), "{}", stderr(&imported));
    }
    assert_eq!(
        count(
            &data,
            "SELECT count(*) FROM orders WHERE channel = 'shopify'"
        ),
        Some(2),
        "#1001 is updated, not added again"
    );
    assert_eq!(
        one(
            &data,
            "SELECT created_at || ' ' || refunded_minor || ' ' || items_minor || ' '
                    || (SELECT count(*) FROM order_lines WHERE order_id = orders.id)
             FROM orders WHERE name = '#1001'"
        ),
        "2025-01-10T10:00:00Z 1000 4000 2",
        "the workbook's refund is added, and the lines of the export are kept"
    );
    assert_eq!(
        one(
            &data,
            "SELECT created_at || ' ' || items_minor FROM orders WHERE name = '#1002'"
        ),
        "2025-01-12T10:00:00Z 3000"
    );
}
