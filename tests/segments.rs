//! Campaign segments of the demo shop through the real `tradewind` binary: the groups
//! with their actions, an e-mail tool's CSV with contacts, and an anonymised one that
//! holds no e-mail, name or postal code of any customer, with the choice remembered.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use common::{run, stderr, stdout};

fn rows(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// `tradewind export segment NAME --out OUT EXTRA…`.
fn export(
    data_dir: &std::path::Path,
    name: &str,
    out: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec!["export", "segment", name, "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(data_dir, &args)
}

#[test]
fn segments_export_for_email_tools_and_anonymised_exports_hold_no_contact() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    assert!(run(&data_dir, &["demo"]).status.success());

    let listed = run(&data_dir, &["--json", "analytics", "segments"]);
    let segments: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let at_risk = segments
        .as_array()
        .unwrap()
        .iter()
        .find(|segment| segment["group"] == "at_risk")
        .unwrap();
    assert_eq!(at_risk["action"], "win_back");
    let at_risk_customers = at_risk["customers"].as_u64().unwrap() as usize;

    // With contacts, in Mailchimp's columns.
    let mailchimp = dir.path().join("at-risk-mailchimp.csv");
    let written = export(
        &data_dir,
        "at-risk",
        &mailchimp,
        &["--tool", "mailchimp", "--with-contacts"],
    );
    assert!(written.status.success(), "{}", stderr(&written));
    let (header, with_contacts) = rows(&mailchimp);
    assert_eq!(
        &header[..6],
        [
            "Email Address",
            "First Name",
            "Last Name",
            "Country",
            "Zip",
            "Tags"
        ]
    );
    assert_eq!(with_contacts.len(), at_risk_customers);
    assert!(
        with_contacts
            .iter()
            .any(|row| row[0].contains('@') && !row[1].is_empty())
    );
    assert!(
        with_contacts
            .iter()
            .all(|row| row[5] == "tradewind-at-risk")
    );
    assert!(
        with_contacts.iter().all(|row| !row[11].is_empty()),
        "every customer has a favourite product"
    );

    // Anonymised: no e-mail, buyer name or postal code of any order appears in the file.
    let anonymised = dir.path().join("at-risk.csv");
    let written = export(&data_dir, "at-risk", &anonymised, &["--anonymise"]);
    assert!(
        stdout(&written).contains("anonymised"),
        "{}",
        stdout(&written)
    );
    let text = std::fs::read_to_string(&anonymised).unwrap();
    let conn = rusqlite::Connection::open(data_dir.join("tradewind.db")).unwrap();
    let mut statement = conn
        .prepare("SELECT DISTINCT email, buyer_name, postal_code FROM orders")
        .unwrap();
    let contacts: Vec<(String, String, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(contacts.len() > 500);
    let contact_values: std::collections::HashSet<&str> = contacts
        .iter()
        .flat_map(|(email, name, postal)| [email.as_str(), name.as_str(), postal.as_str()])
        .filter(|value| !value.is_empty())
        .collect();
    let (_, cells) = rows(&anonymised);
    for row in &cells {
        for cell in row {
            assert!(
                !contact_values.contains(cell.as_str()),
                "{cell} is in the anonymised export"
            );
        }
    }
    // Nor inside a longer cell: e-mails and names, word by word.
    for (email, name, _) in &contacts {
        assert!(
            email.is_empty() || !text.contains(email.as_str()),
            "{email}"
        );
        for word in name.split_whitespace().filter(|word| word.len() > 3) {
            assert!(
                cells
                    .iter()
                    .flatten()
                    .all(|cell| cell.len() == 64 || !cell.contains(word)),
                "{word} is in the anonymised export"
            );
        }
    }
    assert!(!text.contains('@'));
    let (header, hashed) = rows(&anonymised);
    assert_eq!(header[0], "Customer (SHA-256, salted)");
    assert_eq!(hashed.len(), at_risk_customers);
    assert!(
        hashed
            .iter()
            .all(|row| row[0].len() == 64 && row[0].chars().all(|c| c.is_ascii_hexdigit()))
    );

    // The choice is remembered, and the same customers get the same hashes.
    let again = dir.path().join("again.csv");
    assert!(export(&data_dir, "at-risk", &again, &[]).status.success());
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);

    // The customers a product is suggested to, by the best recommender on these orders:
    // none of them has bought it yet.
    let suggested = dir.path().join("suggested.csv");
    let written = export(
        &data_dir,
        "suggested:lumen-phone-stand",
        &suggested,
        &["--with-contacts"],
    );
    assert!(written.status.success(), "{}", stderr(&written));
    let (_, targets) = rows(&suggested);
    assert!(targets.len() > 20, "{}", targets.len());
    assert!(
        targets
            .iter()
            .all(|row| row[5] == "tradewind-suggested-lumen-phone-stand")
    );
    let bought: std::collections::HashSet<String> = conn
        .prepare(
            "SELECT DISTINCT o.email FROM orders o JOIN order_lines l ON l.order_id = o.id
             JOIN listing_variants v ON v.sku = l.sku JOIN listings g ON g.id = v.listing_id
             WHERE g.handle = 'lumen-phone-stand' AND o.email <> ''",
        )
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!bought.is_empty());
    assert!(
        targets.iter().all(|row| !bought.contains(&row[0])),
        "suggested to a buyer of it"
    );

    // A segment that does not exist is one sentence, and nothing is written.
    let nowhere = dir.path().join("nowhere.csv");
    let bad = export(&data_dir, "vips", &nowhere, &[]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("'vips' is not a segment"),
        "{}",
        stderr(&bad)
    );
    assert!(!nowhere.exists());
}

#[test]
fn a_buyers_name_or_product_that_a_spreadsheet_would_run_is_exported_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let orders = dir.path().join("orders_export.csv");
    std::fs::write(
        &orders,
        "Name,Email,Financial Status,Created at,Currency,Subtotal,Shipping,Taxes,Total,Discount Amount,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Shipping Zip,Shipping Country
#3001,eve@example.com,paid,2025-01-05 10:00:00 +0000,USD,20.00,0.00,0.00,20.00,0.00,1,=HYPERLINK(\"http://x\"),20.00,MUG-1,=cmd|' /C calc'!A0 Eve,97205,US
#3002,eve@example.com,paid,2025-02-05 10:00:00 +0000,USD,20.00,0.00,0.00,20.00,0.00,1,=HYPERLINK(\"http://x\"),20.00,MUG-1,=cmd|' /C calc'!A0 Eve,97205,US
",
    )
    .unwrap();
    let imported = run(&data_dir, &["import", "orders", orders.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let out = dir.path().join("all.csv");
    let written = export(&data_dir, "all", &out, &["--with-contacts"]);
    assert!(written.status.success(), "{}", stderr(&written));
    let (header, cells) = rows(&out);
    let column = |name: &str| header.iter().position(|column| column == name).unwrap();
    let eve = &cells[0];
    assert_eq!(eve[column("First Name")], "'=cmd|'");
    assert_eq!(
        eve[column("Favourite product")],
        "'=HYPERLINK(\"http://x\")"
    );
    // Numbers stay numbers.
    assert_eq!(eve[column("Orders")], "2");
    assert!(
        cells
            .iter()
            .flatten()
            .all(|cell| !cell.starts_with(['=', '+', '@']))
    );
}
