//! Reports of the demo shop through the real `tradewind` binary: HTML that requests
//! nothing, a PDF whose pages render (pdftoppm) and are not blank, a workbook whose
//! numbers are numbers and days dates, CSV blocks, a date range and channel filter, the
//! Chinese report, and anonymised reports that hold no e-mail or name of a customer.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, DataType, Reader};
use common::{run, stderr, stdout};

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let loaded = run(&data, &["demo"]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    (dir, data)
}

fn report(data: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["report", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let written = run(data, &args);
    assert!(written.status.success(), "{args:?}: {}", stderr(&written));
    stdout(&written)
}

/// Renders every page of `pdf` with poppler's pdftoppm and returns, per page, the share
/// of pixels that are not near-white.
fn inked_share_per_page(pdf: &Path) -> Vec<f64> {
    let folder = pdf.with_extension("pages");
    std::fs::create_dir_all(&folder).unwrap();
    let rendered = Command::new("pdftoppm")
        .args(["-png", "-r", "40"])
        .arg(pdf)
        .arg(folder.join("page"))
        .output()
        .expect("pdftoppm (poppler-utils, installed by scripts/setup.sh) renders the PDF");
    assert!(rendered.status.success(), "{}", stderr(&rendered));
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    pages.sort();
    pages
        .iter()
        .map(|page| {
            let image = image::open(page).unwrap().to_luma8();
            let inked = image.pixels().filter(|pixel| pixel.0[0] < 200).count();
            inked as f64 / (image.width() * image.height()) as f64
        })
        .collect()
}

fn contacts(data: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(data.join("tradewind.db")).unwrap();
    let mut statement = conn
        .prepare("SELECT DISTINCT email, buyer_name FROM orders")
        .unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn sheet(path: &Path, name: &str) -> calamine::Range<Data> {
    let mut workbook = calamine::open_workbook_auto(path).unwrap();
    workbook.worksheet_range(name).unwrap()
}

/// The cells of the column headed `header` (headers are on the third row), below it.
fn column<'a>(range: &'a calamine::Range<Data>, header: &str) -> Vec<&'a Data> {
    let rows: Vec<_> = range.rows().collect();
    let at = rows[2]
        .iter()
        .position(|cell| cell.as_string().as_deref() == Some(header))
        .unwrap_or_else(|| panic!("no column {header}: {:?}", rows[2]));
    rows[3..].iter().map(|row| &row[at]).collect()
}

#[test]
fn the_demo_report_in_every_format_with_real_numbers_and_no_customer_named() {
    let (dir, data) = demo();
    let summary = run(&data, &["--json", "analytics", "summary"]);
    let summary: serde_json::Value = serde_json::from_slice(&summary.stdout).unwrap();
    let net_sales = summary["metrics"]["net_sales"].as_f64().unwrap();

    // HTML: self-contained, allowed no request, every chart inline.
    let html_path = dir.path().join("report.html");
    let said = report(&data, &html_path, &[]);
    assert!(said.contains("anonymised"), "{said}");
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains(r#"http-equiv="Content-Security-Policy" content="default-src 'none';"#));
    for request in [
        "http:", "https:", "src=", "href=", "url(", "<script", "@import", "//",
    ] {
        assert!(!html.contains(request), "the HTML report holds {request}");
    }
    assert_eq!(html.matches("<svg").count(), 3);
    // Without a start day every customer is new: neither new nor returning is shown.
    assert!(!html.contains("Returning customers"));
    assert!(html.contains("Net sales by month") && html.contains("Customer groups (RFM)"));

    // XLSX: one sheet per table, amounts as numbers that add up, days as dates.
    let xlsx = dir.path().join("report.xlsx");
    report(&data, &xlsx, &[]);
    let names = calamine::open_workbook_auto(&xlsx).unwrap().sheet_names();
    for expected in [
        "Summary",
        "Months",
        "Channels",
        "Customer groups",
        "Forecast",
        "Reviews",
    ] {
        assert!(names.iter().any(|name| name == expected), "{names:?}");
    }
    let headline = sheet(&xlsx, "Summary");
    let net_row = headline
        .rows()
        .find(|row| row[0].as_string().as_deref() == Some("Net sales"))
        .unwrap();
    let Data::Float(headline_net) = net_row[1] else {
        panic!("net sales is {:?}, not a number", net_row[1]);
    };
    assert!((headline_net - net_sales).abs() < 0.01);
    let months = sheet(&xlsx, "Months");
    let monthly: f64 = column(&months, "Net sales")
        .into_iter()
        .map(|cell| match cell {
            Data::Float(value) => *value,
            other => panic!("a month's net sales is {other:?}, not a number"),
        })
        .sum();
    assert!(
        (monthly - net_sales).abs() < 0.05,
        "{monthly} != {net_sales}"
    );
    let customers = sheet(&xlsx, "Best customers");
    let last_orders = column(&customers, "Last order");
    assert!(!last_orders.is_empty());
    assert!(
        last_orders
            .iter()
            .all(|cell| matches!(cell, Data::DateTime(_))),
        "{last_orders:?}"
    );
    let recommenders = sheet(&xlsx, "Recommenders");
    let hit_rates = column(&recommenders, "Hit rate @10");
    assert!(
        hit_rates
            .iter()
            .all(|cell| matches!(cell, Data::Float(share) if (0.0..=1.0).contains(share)))
    );

    // CSV: the tables one after another, each under its title, numbers plain.
    let csv_path = dir.path().join("report.csv");
    report(&data, &csv_path, &[]);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(&csv_path)
        .unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let title = records
        .iter()
        .position(|record| &record[0] == "Sales by month")
        .unwrap();
    assert_eq!(
        records[title + 1].iter().collect::<Vec<_>>(),
        ["Month", "Orders", "Customers", "Net sales"]
    );
    let csv_monthly: f64 = records[title + 2..]
        .iter()
        .take_while(|record| !record[0].is_empty())
        .map(|record| record[3].parse::<f64>().unwrap())
        .sum();
    assert!((csv_monthly - net_sales).abs() < 0.05);

    // PDF: every page renders, none blank.
    let pdf = dir.path().join("report.pdf");
    let said = report(&data, &pdf, &[]);
    assert!(said.contains("pages"), "{said}");
    let pages = inked_share_per_page(&pdf);
    assert!(pages.len() >= 3, "{pages:?}");
    assert!(pages.iter().all(|share| *share > 0.005), "{pages:?}");

    // Anonymised: no e-mail or name of any customer in any of them.
    let contacts = contacts(&data);
    assert!(contacts.len() > 500);
    let xlsx_text: String = names
        .iter()
        .flat_map(|name| {
            sheet(&xlsx, name)
                .cells()
                .map(|(_, _, cell)| cell.to_string())
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>()
        .join("\n");
    let csv_text = std::fs::read_to_string(&csv_path).unwrap();
    for (email, name) in &contacts {
        for text in [&html, &csv_text, &xlsx_text] {
            assert!(
                email.is_empty() || !text.contains(email.as_str()),
                "{email}"
            );
            assert!(name.len() < 6 || !text.contains(name.as_str()), "{name}");
        }
    }

    // With contacts, the best customers are named.
    let named = dir.path().join("named.html");
    let said = report(&data, &named, &["--with-contacts"]);
    assert!(said.contains("customers named"), "{said}");
    let named = std::fs::read_to_string(&named).unwrap();
    assert!(contacts.iter().any(|(email, name)| (!email.is_empty()
        && named.contains(email.as_str()))
        || (name.len() >= 6 && named.contains(name.as_str()))));
}

#[test]
fn a_chinese_report_of_one_channel_and_half_a_year() {
    let (dir, data) = demo();
    let filter = [
        "--language",
        "zh-CN",
        "--from",
        "2025-01-01",
        "--to",
        "2025-06-30",
        "--channel",
        "etsy",
    ];
    let html_path = dir.path().join("etsy.html");
    report(&data, &html_path, &filter);
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    assert!(html.contains("<h1>销售报告</h1>"));
    assert!(
        html.contains("订单：2025-01-01 至 2025-06-30 · 渠道：Etsy"),
        "{html}"
    );
    assert!(html.contains("<td>2025-06</td>") && !html.contains("<td>2025-07</td>"));
    assert!(html.contains("回头客"));

    let xlsx = dir.path().join("etsy.xlsx");
    report(&data, &xlsx, &filter);
    let channels = sheet(&xlsx, "渠道");
    let listed: Vec<String> = column(&channels, "渠道")
        .into_iter()
        .map(|cell| cell.to_string())
        .collect();
    assert_eq!(listed, ["Etsy"]);

    let pdf = dir.path().join("etsy.pdf");
    report(&data, &pdf, &filter);
    let pages = inked_share_per_page(&pdf);
    assert!(
        !pages.is_empty() && pages.iter().all(|share| *share > 0.005),
        "{pages:?}"
    );
}

#[test]
fn a_report_that_cannot_be_written_says_why_and_leaves_nothing() {
    let (dir, data) = demo();
    let missing = dir.path().join("no-such-folder").join("report.pdf");
    let failed = run(&data, &["report", "--out", missing.to_str().unwrap()]);
    assert!(!failed.status.success());
    assert!(
        stderr(&failed).contains("no-such-folder"),
        "{}",
        stderr(&failed)
    );
    assert!(!missing.parent().unwrap().exists());

    let unknown = dir.path().join("report.txt");
    let failed = run(&data, &["report", "--out", unknown.to_str().unwrap()]);
    assert!(!failed.status.success());
    assert!(
        stderr(&failed).contains("html, pdf, xlsx or csv"),
        "{}",
        stderr(&failed)
    );
    assert!(!unknown.exists());

    let reversed = dir.path().join("reversed.html");
    let range = run(
        &data,
        &[
            "report",
            "--out",
            reversed.to_str().unwrap(),
            "--from",
            "2025-06-01",
            "--to",
            "2025-01-01",
        ],
    );
    assert!(!range.status.success());
    assert!(stderr(&range).contains("start day on or before the end day"));
    let future = dir.path().join("2030.pdf");
    let nothing = run(
        &data,
        &[
            "report",
            "--out",
            future.to_str().unwrap(),
            "--from",
            "2030-01-01",
            "--to",
            "2030-12-31",
        ],
    );
    assert!(!nothing.status.success());
    assert!(
        stderr(&nothing).contains("no orders match the chosen dates"),
        "{}",
        stderr(&nothing)
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only the data folder"
    );
}

#[test]
fn anonymised_exports_hold_no_address_phone_or_postal_code_the_export_had() {
    // A shop whose orders export carries phones and street addresses beside e-mails and
    // names, as Shopify's does: none of them may reach an anonymised file.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut csv = String::from(
        "Name,Email,Financial Status,Created at,Currency,Total,Lineitem quantity,Lineitem name,Lineitem price,\
         Billing Name,Billing Street,Billing Address1,Billing City,Billing Zip,Billing Country,Billing Phone,\
         Shipping Name,Shipping Address1,Shipping Zip,Shipping Country,Shipping Phone,Phone\n",
    );
    let mut private = Vec::new();
    for order in 0..40 {
        let buyer = format!("Wilhelmina Quast{order:02}");
        let email = format!("w.quast{order:02}@example.org");
        let street = format!("{} Lindenstraße", 100 + order);
        let postal = format!("QX{order:02} 7ZZ");
        let phone = format!("+44 7700 9{order:05}");
        csv += &format!(
            "#{},{email},paid,2025-0{}-0{} 10:00:00 +0000,GBP,{}.00,1,Canvas Tote,{}.00,{buyer},{street},{street},London,{postal},GB,{phone},{buyer},{street},{postal},GB,{phone},{phone}\n",
            5001 + order,
            1 + order % 9,
            1 + order % 9,
            20 + order,
            20 + order,
        );
        private.extend([
            buyer,
            email,
            street,
            postal.clone(),
            phone.clone(),
            phone.replace(' ', ""),
        ]);
    }
    let file = dir.path().join("orders_export_1.csv");
    std::fs::write(&file, csv).unwrap();
    let imported = run(&data, &["import", "orders", file.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));

    let mut written = Vec::new();
    for name in ["report.html", "report.csv", "report.xlsx"] {
        let out = dir.path().join(name);
        let said = report(&data, &out, &["--anonymise"]);
        assert!(said.contains("anonymised"), "{said}");
        written.push(out);
    }
    let segment = dir.path().join("segment.csv");
    let exported = run(
        &data,
        &[
            "export",
            "segment",
            "all",
            "--out",
            segment.to_str().unwrap(),
            "--anonymise",
        ],
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    written.push(segment);
    for path in &written {
        let text = if path.extension().is_some_and(|ext| ext == "xlsx") {
            let mut workbook = calamine::open_workbook_auto(path).unwrap();
            workbook
                .sheet_names()
                .into_iter()
                .flat_map(|name| {
                    workbook
                        .worksheet_range(&name)
                        .unwrap()
                        .cells()
                        .map(|(_, _, cell)| cell.to_string())
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            std::fs::read_to_string(path).unwrap()
        };
        for value in &private {
            assert!(
                !text.contains(value.as_str()),
                "{value} is in the anonymised {}",
                path.display()
            );
        }
    }
    // The same export with contacts names them: the search above would find them.
    let named = dir.path().join("named.csv");
    let exported = run(
        &data,
        &[
            "export",
            "segment",
            "all",
            "--out",
            named.to_str().unwrap(),
            "--with-contacts",
        ],
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    let named = std::fs::read_to_string(&named).unwrap();
    assert!(named.contains("w.quast07@example.org"), "{named}");
}
