//! Values in a Shopify product export that are not the seller's text to translate, on a
//! file shaped like a real wig shop's legacy export: an option linked to a metafield
//! (`Option1 Linked To` = `product.metafields.shopify.color-pattern`, whose values name
//! metaobject entries Shopify looks up by their text) and metafields in namespaces that
//! Shopify or an app owns (`shopify--discovery--…`, `app--…`).

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::Path;

use common::{fixtures_and_data, stderr, stdout, tradewind};
use tradewind::jobs::JobState;
use tradewind::ml::route::EngineChoice;
use tradewind::{Engine, EngineConfig, JobSpec};

const WIGS: &str = "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,\
Option1 Name,Option1 Value,Option1 Linked To,Option2 Name,Option2 Value,Option2 Linked To,\
Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text,\
Hair type (product.metafields.custom.hair_type),\
Color (product.metafields.shopify.color-pattern),\
Search product boosts (product.metafields.shopify--discovery--product_search_boost.queries),\
Related products (product.metafields.shopify--discovery--product_recommendation.related_products),\
Fit note (product.metafields.app--4567--wig.fit_note),Status\r\n\
body-wave-wig,Body Wave Lace Front Wig,<p>A soft body wave wig made of human hair.</p>,Luxe Hair,Wigs,\"lace front, human hair\",TRUE,\
Color,Natural Black,product.metafields.shopify.color-pattern,Length,Long,,\
BW-NB-16,189.00,https://cdn.shopify.com/s/files/1/wig.jpg,1,A body wave wig on a stand,\
Soft human hair,natural-black; dark-brown,body wave wig; lace front wig,\"[\"\"gid://shopify/Product/1\"\"]\",Fits most heads,active\r\n\
body-wave-wig,,,,,,,,Dark Brown,,,Long,,BW-DB-16,189.00,,,,,,,,,\r\n\
body-wave-wig,,,,,,,,Natural Black,,,Short,,BW-NB-12,169.00,,,,,,,,,\r\n";

const COLOR_VALUE: usize = 8;
const LENGTH_NAME: usize = 10;
const HAIR_TYPE: usize = 18;
const SEARCH_BOOSTS: usize = 20;
const FIT_NOTE: usize = 22;

fn cells(path: &Path) -> Vec<Vec<String>> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn a_linked_option_and_app_owned_metafields_come_back_untranslated_in_the_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    let file = dir.path().join("wigs.csv");
    std::fs::write(&file, WIGS).unwrap();
    let out = dir.path().join("out");
    let translated = tradewind(&data)
        .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
        .arg("translate")
        .arg(&file)
        .args(["--to", "de", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(translated.status.success(), "{}", stderr(&translated));

    let listed = tradewind(&data)
        .args(["translations", "--json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let fields: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"metafield:custom.hair_type"), "{fields:?}");
    assert!(fields.contains(&"option_value:2:Long"), "{fields:?}");
    assert!(
        fields
            .iter()
            .all(|field| !field.starts_with("option_value:1:")
                && !field.starts_with("metafield:shopify")
                && !field.starts_with("metafield:app--")),
        "{fields:?}"
    );

    let (original, copy) = (cells(&file), cells(&out.join("wigs.de.csv")));
    for (before, after) in original.iter().zip(&copy) {
        assert_eq!(
            after[COLOR_VALUE], before[COLOR_VALUE],
            "a metaobject entry's name"
        );
        for column in [SEARCH_BOOSTS, FIT_NOTE] {
            assert_eq!(after[column], before[column], "the owner's value");
        }
    }
    assert_ne!(
        copy[0][HAIR_TYPE], original[0][HAIR_TYPE],
        "the seller's own metafield"
    );
    assert_ne!(
        copy[0][LENGTH_NAME], original[0][LENGTH_NAME],
        "an option's name"
    );
    assert!(
        stdout(&translated).contains("wigs.de.csv"),
        "{}",
        stdout(&translated)
    );
}

#[test]
fn translations_made_before_a_value_became_the_shops_own_are_neither_copied_nor_kept() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = tradewind::ml::fixtures::write_fixtures(&dir.path().join("fixtures"), 7).unwrap();
    let engine = Engine::open(EngineConfig {
        data_dir: Some(dir.path().join("data")),
        catalog: Some(catalog.path),
        ..EngineConfig::default()
    })
    .unwrap();
    let file = dir.path().join("wigs.csv");
    std::fs::write(&file, WIGS).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let run = |spec: JobSpec| {
        let id = engine.create_job(&spec).unwrap();
        let job = runtime
            .block_on(engine.run_job(id, std::sync::Arc::new(|_| {})))
            .unwrap();
        assert_eq!(job.state, JobState::Succeeded, "{:?}", job.message);
    };
    let import = JobSpec::ImportListings {
        path: file.clone(),
        mapping: None,
    };
    run(import.clone());
    run(JobSpec::TranslateListings {
        source: "en".into(),
        locales: vec!["de".into()],
        prefer: EngineChoice::Marian,
        engines: Default::default(),
    });
    // What an earlier Tradewind stored for this file: the linked colour's values and an
    // app's metafield, translated.
    let listing: i64 = engine
        .store()
        .connect()
        .unwrap()
        .query_row("SELECT id FROM listings", [], |row| row.get(0))
        .unwrap();
    for (field, source) in [
        ("option_value:1:Natural Black", "Natural Black"),
        ("metafield:app--4567--wig.fit_note", "Fits most heads"),
    ] {
        engine
            .store()
            .connect()
            .unwrap()
            .execute(
                "INSERT INTO listing_translations (listing_id, field, locale, source, translated, status, flags, engine, updated_at, source_lang, prefer)
                 VALUES (?1, ?2, 'de', ?3, 'übersetzt', 'machine', '[]', 'old', '2026-01-01', 'en', 'marian')",
                (listing, field, source),
            )
            .unwrap();
    }

    let copy = dir.path().join("wigs.de.csv");
    engine.export_translated_copy(&file, "de", &copy).unwrap();
    let (original, copied) = (cells(&file), cells(&copy));
    for (before, after) in original.iter().zip(&copied) {
        assert_eq!(after[COLOR_VALUE], before[COLOR_VALUE]);
        assert_eq!(after[FIT_NOTE], before[FIT_NOTE]);
    }

    run(import);
    let left: Vec<String> = engine
        .listing_translations()
        .unwrap()
        .into_iter()
        .map(|row| row.field)
        .filter(|field| field.starts_with("option_value:1:") || field.contains("app--"))
        .collect();
    assert!(
        left.is_empty(),
        "importing the file again forgets them: {left:?}"
    );
}
