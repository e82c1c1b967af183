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

    fill_the_shops_translations_export(dir.path(), &data);
    export_the_translations_as_tables(dir.path(), &data);

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

fn read_table(path: &std::path::Path) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap()
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The demo shop's translations export (de, fr, es) filled with the de and fr
/// translations: only 'Translated content' cells change, and only where the product's
/// text is the one translated.
fn fill_the_shops_translations_export(dir: &std::path::Path, data: &std::path::Path) {
    let shop_export = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/demo/shopify-translations-export.csv");
    let original_text = std::fs::read_to_string(&shop_export).unwrap();
    // One product changed in the shop since it was translated.
    let changed_text = original_text.replace(
        "title,de,,,Kumo Stoneware Mug 350 ml,",
        "title,de,,,Kumo Stoneware Mug 400 ml,",
    );
    assert_ne!(changed_text, original_text);
    let changed = dir.join("shop-export.csv");
    std::fs::write(&changed, &changed_text).unwrap();
    let out = dir.join("translations-for-shopify.csv");
    let filled = tradewind(data)
        .args(["export", "shopify-translations"])
        .arg(&changed)
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    assert!(filled.status.success(), "{}", stderr(&filled));
    let report: serde_json::Value = serde_json::from_slice(&filled.stdout).unwrap();
    assert_eq!(report["stale"], 1, "{report}");
    assert_eq!(
        report["other_locales"],
        serde_json::json!(["es"]),
        "{report}"
    );

    let stored: Vec<serde_json::Value> = serde_json::from_slice(
        &tradewind(data)
            .args(["translations", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let translation = |handle: &str, field: &str, locale: &str| {
        stored
            .iter()
            .find(|row| row["handle"] == handle && row["field"] == field && row["locale"] == locale)
            .map(|row| row["translated"].as_str().unwrap().to_string())
    };
    let before = read_table(&changed);
    let after = read_table(&out);
    assert_eq!(before.len(), after.len());
    assert_eq!(before[0], after[0]);
    let handles: std::collections::HashMap<&str, &str> = before
        .iter()
        .filter(|row| row[2] == "handle")
        .map(|row| (row[1].as_str(), row[6].as_str()))
        .collect();
    let mut titles = 0;
    for (old, new) in before.iter().zip(&after).skip(1) {
        assert_eq!(old[..7], new[..7], "only the last column changes");
        let handle = handles.get(old[1].as_str()).copied().unwrap_or_default();
        let locale = old[3].as_str();
        match (old[0].as_str(), old[2].as_str()) {
            ("PRODUCT", "title") if locale != "es" && !old[6].contains("400 ml") => {
                assert_eq!(Some(new[7].clone()), translation(handle, "title", locale));
                titles += 1;
            }
            ("PRODUCT", "handle" | "product_type") => assert_eq!(new[7], "", "codes stay"),
            _ if locale == "es" => assert_eq!(new[7], "", "es was not translated"),
            _ => {}
        }
    }
    assert_eq!(
        titles, 59,
        "30 titles in de and fr, but for the changed one"
    );
    assert_eq!(
        report["filled"].as_u64().unwrap() as usize,
        after
            .iter()
            .skip(1)
            .filter(|row| !row[7].is_empty())
            .count()
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.windows(2).any(|pair| pair == b"\r\n"), "CRLF kept");
}

fn export_the_translations_as_tables(dir: &std::path::Path, data: &std::path::Path) {
    for name in ["all.csv", "all.xlsx", "all.json"] {
        let path = dir.join(name);
        let written = tradewind(data)
            .args(["export", "table", "--out"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(written.status.success(), "{}", stderr(&written));
        assert!(
            stdout(&written).contains("translations to"),
            "{}",
            stdout(&written)
        );
        assert!(std::fs::metadata(&path).unwrap().len() > 1000, "{name}");
    }
    let rows = read_table(&dir.join("all.csv"));
    assert_eq!(rows[0][0].trim_start_matches('\u{feff}'), "Handle");
    assert!(
        rows.iter()
            .any(|row| row[1] == "body_html" && row[2] == "fr")
    );
}

#[test]
fn a_catalogue_of_the_sellers_own_layout_imports_with_a_mapping_and_translates() {
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    let catalogue = dir.path().join("catalogue.csv");
    std::fs::write(
        &catalogue,
        "Product Name;Long Description;Brand;Retail Price;Material;Warehouse\r\n\
         Linen Apron;<p>Washed <b>linen</b> apron.</p>;Kumo;30,00;Linen;B-12\r\n",
    )
    .unwrap();
    let unmapped = tradewind(&data)
        .args(["import", "listings"])
        .arg(&catalogue)
        .output()
        .unwrap();
    assert_eq!(unmapped.status.code(), Some(1));
    assert!(
        stderr(&unmapped).contains("not a Shopify product CSV")
            && stderr(&unmapped).contains("--map"),
        "{}",
        stderr(&unmapped)
    );
    let preview = tradewind(&data)
        .args(["import", "listings", "--preview"])
        .arg(&catalogue)
        .output()
        .unwrap();
    assert!(
        stdout(&preview).contains("Product Name=title"),
        "{}",
        stdout(&preview)
    );

    let mapped = tradewind(&data)
        .args(["import", "listings"])
        .arg(&catalogue)
        .args([
            "--map",
            "Product Name=title,Long Description=description,Brand=vendor,Retail Price=price,Material=translate",
        ])
        .output()
        .unwrap();
    assert!(mapped.status.success(), "{}", stderr(&mapped));
    let translated = tradewind(&data)
        .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
        .args(["translate", "--to", "de"])
        .output()
        .unwrap();
    assert!(translated.status.success(), "{}", stderr(&translated));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(
        &tradewind(&data)
            .args(["translations", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let mut fields: Vec<&str> = rows
        .iter()
        .map(|row| row["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["body_html", "column:Material", "title"]);
    let body = rows.iter().find(|row| row["field"] == "body_html").unwrap();
    assert!(body["translated"].as_str().unwrap().contains("<b>"));
}
