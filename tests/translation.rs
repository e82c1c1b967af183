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
    use tradewind::files::{TextEncoding, decode, encode};

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

    let copy = std::fs::read(out.join("products.de.txt")).unwrap();
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

const OWN_MAPPING: &str = "Product Name=title,Long Description=description,Brand=vendor,Retail Price=price,Material=translate,Keywords=tags";

#[test]
fn a_catalogue_of_the_sellers_own_layout_imports_with_a_mapping_and_comes_back_translated() {
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    let csv_file = dir.path().join("catalogue.csv");
    let csv_text = "Product Name;Long Description;Brand;Retail Price;Material;Keywords;Warehouse\r\n\
         Linen Apron;<p>Washed <b>linen</b> apron.</p>;Kumo;30,00;Linen;apron, kitchen;B-12\r\n\
         \"Tea Towel\";Soft cotton towel.;Kumo;12,00;Cotton;towel;  C-3 \r\n";
    std::fs::write(&csv_file, csv_text).unwrap();

    let unmapped = tradewind(&data)
        .args(["import", "listings"])
        .arg(&csv_file)
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
        .arg(&csv_file)
        .output()
        .unwrap();
    assert!(
        stdout(&preview).contains("Product Name=title"),
        "{}",
        stdout(&preview)
    );

    // The same catalogue as a workbook and as JSON.
    let xlsx_file = dir.path().join("catalogue.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let header = [
        "Product Name",
        "Long Description",
        "Brand",
        "Retail Price",
        "Material",
        "Keywords",
        "Warehouse",
    ];
    for (column, name) in header.iter().enumerate() {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    sheet.write_string(1, 0, "Linen Apron").unwrap();
    sheet
        .write_string(1, 1, "<p>Washed <b>linen</b> apron.</p>")
        .unwrap();
    sheet.write_string(1, 2, "Kumo").unwrap();
    sheet.write_number(1, 3, 30.0).unwrap();
    sheet.write_string(1, 4, "Linen").unwrap();
    sheet.write_string(1, 5, "apron, kitchen").unwrap();
    sheet.write_number(1, 6, 12.0).unwrap();
    workbook
        .add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "keep me")
        .unwrap();
    workbook.save(&xlsx_file).unwrap();
    let json_file = dir.path().join("catalogue.json");
    std::fs::write(
        &json_file,
        r#"[{"Product Name": "Linen Apron", "Long Description": "<p>Washed <b>linen</b> apron.</p>", "Brand": "Kumo", "Retail Price": 30, "Material": "Linen", "Keywords": ["apron", "kitchen"], "Warehouse": "B-12"}]"#,
    )
    .unwrap();

    let out = dir.path().join("out");
    for file in [&csv_file, &xlsx_file, &json_file] {
        let translated = tradewind(&data)
            .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
            .arg("translate")
            .arg(file)
            .args(["--to", "de", "--map", OWN_MAPPING, "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(translated.status.success(), "{}", stderr(&translated));
        assert!(
            !stdout(&translated).contains("left as they were"),
            "{}",
            stdout(&translated)
        );
    }
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
        .filter(|row| row["handle"] == "linen-apron")
        .map(|row| row["field"].as_str().unwrap())
        .collect();
    fields.sort_unstable();
    fields.dedup();
    assert_eq!(fields, ["body_html", "column:Material", "tags", "title"]);
    let translation = |handle: &str, field: &str| {
        rows.iter()
            .find(|row| row["handle"] == handle && row["field"] == field)
            .map(|row| row["translated"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(translation("linen-apron", "body_html").contains("<b>"));

    // CSV: translated cells replaced, every other byte as it was.
    let copy = std::fs::read_to_string(out.join("catalogue.de.csv")).unwrap();
    let mut expected = csv_text.to_string();
    for (handle, field, source) in [
        ("linen-apron", "title", "Linen Apron"),
        (
            "linen-apron",
            "body_html",
            "<p>Washed <b>linen</b> apron.</p>",
        ),
        ("linen-apron", "column:Material", "Linen"),
        ("linen-apron", "tags", "apron, kitchen"),
        ("tea-towel", "title", "\"Tea Towel\""),
        ("tea-towel", "body_html", "Soft cotton towel."),
        ("tea-towel", "column:Material", "Cotton"),
        ("tea-towel", "tags", "towel"),
    ] {
        let target = translation(handle, field).replace('"', "\"\"");
        expected = expected.replacen(&format!("{source};"), &format!("\"{target}\";"), 1);
    }
    assert_eq!(copy, expected);

    // XLSX: the same cells, typed, on every sheet; the translated ones replaced.
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto(out.join("catalogue.de.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Sheet1", "Notes"]);
    let sheet = book.worksheet_range("Sheet1").unwrap();
    let cell = |row: usize, column: usize| sheet.get((row, column)).unwrap().clone();
    assert_eq!(cell(1, 0).to_string(), translation("linen-apron", "title"));
    assert_eq!(cell(1, 2).to_string(), "Kumo");
    assert_eq!(cell(1, 3), calamine::Data::Float(30.0));
    assert_eq!(cell(1, 6), calamine::Data::Float(12.0));
    assert_eq!(
        book.worksheet_range("Notes")
            .unwrap()
            .get((0, 0))
            .unwrap()
            .to_string(),
        "keep me"
    );

    // JSON: the same array, keys in order, a list of tags still a list.
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("catalogue.de.json")).unwrap()).unwrap();
    let item = json[0].as_object().unwrap();
    assert_eq!(
        item.keys().collect::<Vec<_>>(),
        header.iter().collect::<Vec<_>>()
    );
    assert_eq!(
        item["Product Name"],
        translation("linen-apron", "title").as_str()
    );
    assert_eq!(
        (&item["Retail Price"], &item["Warehouse"]),
        (&serde_json::json!(30), &serde_json::json!("B-12"))
    );
    assert_eq!(
        item["Keywords"].as_array().unwrap().len(),
        translation("linen-apron", "tags").split(", ").count()
    );
}

/// The tags and the attributes that are not text (href, src…) of an HTML description,
/// in order: what a translation must keep.
fn markup(html: &str) -> Vec<String> {
    let tag = regex::Regex::new(r"<(/?[a-zA-Z0-9]+)([^>]*)>").unwrap();
    let attribute = regex::Regex::new(r#"([a-zA-Z-]+)="([^"]*)""#).unwrap();
    tag.captures_iter(html)
        .map(|found| {
            let attributes: Vec<String> = attribute
                .captures_iter(&found[2])
                .map(|pair| match &pair[1] {
                    "alt" | "title" => pair[1].to_string(),
                    _ => format!("{}={}", &pair[1], &pair[2]),
                })
                .collect();
            format!("{} {}", &found[1], attributes.join(" "))
        })
        .collect()
}

fn is_emoji(character: char) -> bool {
    ('\u{1F000}'..='\u{1FAFF}').contains(&character)
        || ('\u{2600}'..='\u{27BF}').contains(&character)
}

/// The demo catalogue as Shopify's 2024+ export names its columns, with a text metafield.
fn demo_as_2024_export() -> Vec<u8> {
    let demo = std::str::from_utf8(tradewind::demo::PRODUCTS_CSV).unwrap();
    let (header, rows) = demo.split_once("\r\n").unwrap();
    let mut header = header.to_string();
    for (legacy, current) in [
        ("Handle", "URL handle"),
        ("Body (HTML)", "Description"),
        ("Variant SKU", "SKU"),
        ("Variant Price", "Price"),
        ("Image Src", "Product image URL"),
        ("Image Position", "Image position"),
        ("Image Alt Text", "Image alt text"),
        ("SEO Title", "SEO title"),
        ("SEO Description", "SEO description"),
    ] {
        header = header.replacen(&format!(",{legacy},"), &format!(",{current},"), 1);
        header = header.replacen(
            &format!("\u{feff}{legacy},"),
            &format!("\u{feff}{current},"),
            1,
        );
    }
    for n in 1..=3 {
        header = header.replace(&format!("Option{n} Name"), &format!("Option{n} name"));
        header = header.replace(&format!("Option{n} Value"), &format!("Option{n} value"));
    }
    let metafield = "Care guide (product.metafields.custom.care_guide)";
    let rows = rows.replace("\r\n", ",Hand wash cold. Dry flat 🌿\r\n");
    format!("{header},{metafield}\r\n{rows}").into_bytes()
}

#[test]
fn every_untranslated_cell_of_a_legacy_and_a_2024_export_comes_back_byte_for_byte() {
    use tradewind::listings::output::raw_csv::records;
    let translatable = |column: &str| {
        matches!(
            column,
            "Title"
                | "Body (HTML)"
                | "Description"
                | "Tags"
                | "SEO Title"
                | "SEO title"
                | "SEO Description"
                | "SEO description"
                | "Image Alt Text"
                | "Image alt text"
        ) || column.starts_with("Option") && !column.ends_with("Linked To")
            || column.contains("(product.metafields.custom.")
    };
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, _) = fixtures_and_data(dir.path());
    for (name, original) in [
        ("legacy.csv", tradewind::demo::PRODUCTS_CSV.to_vec()),
        ("current.csv", demo_as_2024_export()),
    ] {
        let data = dir.path().join(format!("data-{name}"));
        let file = dir.path().join(name);
        std::fs::write(&file, &original).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        let translated = tradewind(&data)
            .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
            .arg("translate")
            .arg(&file)
            .args(["--to", "de", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            translated.status.success(),
            "{name}: {}",
            stderr(&translated)
        );
        let stem = name.trim_end_matches(".csv");
        let copy = std::fs::read(out.join(format!("{stem}.de.csv"))).unwrap();
        assert!(copy.starts_with(b"\xEF\xBB\xBF"), "{name}: the BOM is kept");

        let (before, after) = (records(&original, b','), records(&copy, b','));
        assert_eq!(before.len(), after.len(), "{name}");
        let header: Vec<String> = before[0]
            .values
            .iter()
            .map(|value| value.trim_start_matches('\u{feff}').to_string())
            .collect();
        let mut changed_columns = std::collections::BTreeSet::new();
        for (old, new) in before.iter().zip(&after) {
            assert_eq!(old.cells.len(), new.cells.len(), "{name}");
            for (index, column) in header.iter().enumerate() {
                let (old_bytes, new_bytes) = (
                    &original[old.cells[index].clone()],
                    &copy[new.cells[index].clone()],
                );
                if old_bytes == new_bytes {
                    continue;
                }
                assert!(translatable(column), "{name}: '{column}' changed");
                changed_columns.insert(column.clone());
                let (source, target) = (&old.values[index], &new.values[index]);
                assert_eq!(
                    markup(source),
                    markup(target),
                    "{name}: markup of '{column}'"
                );
                for emoji in source.chars().filter(|character| is_emoji(*character)) {
                    assert!(target.contains(emoji), "{name}: {emoji} lost in '{column}'");
                }
            }
        }
        let expected: &[&str] = if name == "legacy.csv" {
            &[
                "Title",
                "Body (HTML)",
                "Tags",
                "SEO Title",
                "SEO Description",
                "Image Alt Text",
                "Option1 Name",
                "Option1 Value",
            ]
        } else {
            &[
                "Title",
                "Description",
                "Tags",
                "SEO title",
                "SEO description",
                "Image alt text",
                "Option1 name",
                "Option1 value",
                "Care guide (product.metafields.custom.care_guide)",
            ]
        };
        for column in expected {
            assert!(
                changed_columns.contains(*column),
                "{name}: nothing translated in '{column}'"
            );
        }
        let crlf = |bytes: &[u8]| bytes.windows(2).filter(|pair| pair == b"\r\n").count();
        assert_eq!(crlf(&original), crlf(&copy), "{name}: line ends kept");
    }
}
