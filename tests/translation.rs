//! Translating the demo catalogue through the real binary with the fixture models.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use common::{fixtures_and_data, stderr, stdout, tradewind};

#[test]
fn the_demo_catalogue_translates_then_a_second_run_finds_nothing_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    let products = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/products.csv");
    let translate = |args: &[&str]| {
        tradewind(&data)
            .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
            .arg("translate")
            .args(args)
            .output()
            .unwrap()
    };

    let unknown = translate(&[products, "--to", "de,xx"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("no model in the catalog translates en into xx"),
        "{}",
        stderr(&unknown)
    );

    let out = dir.path().join("out");
    let first = translate(&[products, "--to", "de,fr", "--out", out.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    let original = std::fs::read(products).unwrap();
    let header_end = original.iter().position(|&byte| byte == b'\n').unwrap();
    for locale in ["de", "fr"] {
        let copy = std::fs::read(out.join(format!("products.{locale}.csv"))).unwrap();
        assert_ne!(copy, original, "{locale}");
        assert_eq!(
            copy[..header_end],
            original[..header_end],
            "the header is untouched"
        );
        assert!(
            stdout(&first).contains(&format!("products.{locale}.csv (")),
            "{}",
            stdout(&first)
        );
    }
    assert!(
        !stdout(&first).contains("left as they were"),
        "{}",
        stdout(&first)
    );
    assert!(
        stdout(&first).contains("Imported 30 listings"),
        "{}",
        stdout(&first)
    );
    assert!(stdout(&first).contains("into de, fr"), "{}", stdout(&first));

    let second = translate(&["--to", "de,fr"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("Translated 0 fields"),
        "{}",
        stdout(&second)
    );

    let over = tradewind(&data)
        .args(["translations", "--marketplace", "ebay", "--json"])
        .output()
        .unwrap();
    let over: Vec<serde_json::Value> = serde_json::from_slice(&over.stdout).unwrap();
    // The fixture models write long nonsense: some titles are over eBay's 80.
    assert!(
        over.iter()
            .any(|pair| pair[1][0]["limit"] == "80 characters"),
        "{over:?}"
    );
    let unknown = tradewind(&data)
        .args(["translations", "--marketplace", "wish"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("amazon, ebay, etsy, shopify"),
        "{}",
        stderr(&unknown)
    );

    let listed = tradewind(&data)
        .args(["translations", "--json"])
        .output()
        .unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).unwrap();
    assert!(
        rows.iter()
            .any(|row| row["locale"] == "de" && row["field"] == "title")
    );
    assert!(rows.iter().all(|row| row["status"] == "machine"));
}

#[test]
fn a_utf16_tab_separated_export_comes_back_in_its_own_encoding_and_separator() {
    use tradewind::input::{TextEncoding, decode, encode};

    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    // The demo catalogue as Excel saves "Unicode text": UTF-16 with tabs.
    let demo = decode(
        std::path::Path::new("products.csv"),
        tradewind::demo::PRODUCTS_CSV,
    )
    .unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(demo.text.as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .from_writer(Vec::new());
    for record in reader.records() {
        writer.write_record(&record.unwrap()).unwrap();
    }
    let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    let products = dir.path().join("products.txt");
    std::fs::write(&products, encode(&text, TextEncoding::Utf16Le)).unwrap();

    let out = dir.path().join("out");
    let translated = tradewind(&data)
        .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
        .arg("translate")
        .arg(&products)
        .args(["--to", "de", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(translated.status.success(), "{}", stderr(&translated));
    assert!(
        stdout(&translated).contains("Imported 30 listings"),
        "{}",
        stdout(&translated)
    );

    let copy = std::fs::read(out.join("products.de.csv")).unwrap();
    let copy = decode(&out, &copy).unwrap();
    assert_eq!(
        (copy.encoding, copy.delimiter),
        (TextEncoding::Utf16Le, b'\t')
    );
    let header = |text: &str| text.lines().next().unwrap().to_string();
    assert_eq!(header(&copy.text), header(&text));
    assert_ne!(copy.text, text);
}
