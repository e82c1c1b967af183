//! Whole workflows through the engine's public API, as the desktop shell drives it:
//! models loaded once within their settings, translation routes, the translation job
//! cancelled and resumed, re-imports that keep translations and reviews, copies of the
//! seller's file, reviews, the glossary and the compute settings.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

use std::collections::BTreeMap;
use std::path::Path;

use tradewind::jobs::JobState;
use tradewind::listings::translate::{Review, StoredTranslation};
use tradewind::ml::device::{self, DeviceChoice};
use tradewind::ml::fixtures::{MARIAN_EN_DE_ID, write_fixtures};
use tradewind::ml::model::ModelInput;
use tradewind::ml::route::EngineChoice;
use tradewind::ml::weights::Precision;
use tradewind::{Engine, EngineConfig, Job, JobObserver, JobSpec};

fn engine_on_fixtures(dir: &Path) -> Engine {
    write_fixtures(&dir.join("fixtures"), 7).unwrap();
    Engine::open(EngineConfig {
        data_dir: Some(dir.join("data")),
        catalog: Some(dir.join("fixtures").join("catalog.toml")),
        ..EngineConfig::default()
    })
    .unwrap()
}

#[test]
fn a_model_loads_once_falls_back_to_the_cpu_and_honours_the_precision_setting() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    assert_eq!(engine.translation_precision().unwrap(), Precision::Q8_0);
    let (_, first) = engine.load_model(MARIAN_EN_DE_ID, None, None).unwrap();
    assert!(!first.cache_hit);
    assert_eq!(first.key.precision, "q8_0");
    let cache = dir
        .path()
        .join("data/models")
        .join(MARIAN_EN_DE_ID)
        .join("derived/q8_0.gguf");
    assert!(cache.is_file(), "the quantized weights are kept");

    // Another view asking again gets the loaded model; a clone of the engine too.
    let (model, again) = engine
        .clone()
        .load_model(MARIAN_EN_DE_ID, None, None)
        .unwrap();
    assert!(again.cache_hit);
    assert_eq!(again.load_ms, first.load_ms);
    let input = ModelInput {
        texts: vec!["red mug".into()],
        max_tokens: 4,
        ..ModelInput::default()
    };
    assert!(model.run(&input).is_ok());

    // A GPU this build lacks: the CPU, and the same loaded model.
    if !device::compiled().contains(&"cuda") {
        let (_, on_cuda) = engine
            .load_model(MARIAN_EN_DE_ID, Some(DeviceChoice::Cuda), None)
            .unwrap();
        assert_eq!(on_cuda.key.device, "cpu");
        assert!(on_cuda.cache_hit);
    }

    engine.set_translation_precision(Precision::F32).unwrap();
    let (_, dense) = engine.load_model(MARIAN_EN_DE_ID, None, None).unwrap();
    assert_eq!(dense.key.precision, "f32");
    assert!(!dense.cache_hit);
    assert_eq!(engine.loaded_models().len(), 2);
    assert_eq!(engine.doctor().unwrap().loaded_models.len(), 2);

    let listed = engine.models().unwrap();
    let marian = listed
        .iter()
        .find(|status| status.model.id == MARIAN_EN_DE_ID)
        .unwrap();
    assert_eq!(marian.loaded.as_ref().unwrap().key.precision, "f32");

    engine.remove_model(MARIAN_EN_DE_ID).unwrap();
    assert!(
        engine.loaded_models().is_empty(),
        "a deleted model is unloaded"
    );
}

#[test]
fn translation_goes_direct_through_english_or_through_madlad() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    let texts = ["red leather bag", "small mug"];
    let (route, direct) = engine
        .translate(&texts, "en", "de", EngineChoice::Marian)
        .unwrap();
    assert_eq!(route.models(), ["fixture-opus-mt-en-de"]);
    assert_eq!(direct.len(), 2);
    let targets: Vec<String> = ["de", "fr", "ja", "xx"].map(String::from).to_vec();
    assert_eq!(
        engine.default_engines("de", &targets).unwrap(),
        BTreeMap::from([
            ("fr".to_string(), EngineChoice::Marian),
            ("ja".to_string(), EngineChoice::Madlad),
        ]),
        "de→fr through English; ja only with MADLAD; no model for xx (nor de→de)"
    );
    let (route, pivoted) = engine
        .translate(&texts, "de", "fr", EngineChoice::Marian)
        .unwrap();
    assert_eq!(
        route.models(),
        ["fixture-opus-mt-de-en", "fixture-opus-mt-en-fr"]
    );
    assert!(pivoted.iter().all(|translation| translation.tokens > 0));
    let (route, _) = engine
        .translate(&texts, "en", "ja", EngineChoice::Marian)
        .unwrap();
    assert_eq!(route.models(), ["fixture-madlad-q4k"]);
    let error = engine
        .translate(&texts, "en", "xx", EngineChoice::Marian)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("no model in the catalog translates en into xx"),
        "{error}"
    );
}

fn run(engine: &Engine, id: i64, observer: JobObserver) -> Job {
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(engine.run_job(id, observer))
        .unwrap()
}

fn run_to_success(engine: &Engine, spec: &JobSpec) -> String {
    let job = engine.create_job(spec).unwrap();
    let record = run(engine, job, std::sync::Arc::new(|_| {}));
    assert_eq!(record.state, JobState::Succeeded, "{:?}", record.message);
    record.message.unwrap_or_default()
}

#[test]
fn a_reimported_catalogue_keeps_its_translations_and_reviews_and_retranslates_only_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    let products = dir.path().join("products.csv");
    let catalogue = |second_title: &str, with_second: bool| {
        let mut text = String::from(
            "Title,URL handle,Description,Vendor,SKU,Price,Option1 name,Option1 value,Care (product.metafields.custom.care),Color (product.metafields.shopify.color-pattern)\r\n\
             Linen Apron,linen-apron,<p>Washed linen apron.</p>,Kumo,LA-1,30.00,Colour,Sand,Wash cold and hang to dry.,sand\r\n\
             ,linen-apron,,,LA-2,30.00,,Slate,,\r\n",
        );
        if with_second {
            text.push_str(&format!(
                "{second_title},tea-towel,<p>A towel.</p>,Kumo,TT-1,12.00,,,,\r\n"
            ));
        }
        std::fs::write(&products, text).unwrap();
    };
    let import = JobSpec::ImportListings {
        path: products.clone(),
        mapping: None,
    };
    let translate = JobSpec::TranslateListings {
        source: "en".into(),
        locales: vec!["de".into()],
        prefer: EngineChoice::Marian,
        engines: BTreeMap::new(),
    };
    catalogue("Tea Towel", true);
    run_to_success(&engine, &import);
    run_to_success(&engine, &translate);
    let stored = engine.listing_translations().unwrap();
    let fields = |handle: &str| -> Vec<String> {
        let mut names: Vec<String> = stored
            .iter()
            .filter(|row| row.handle == handle)
            .map(|row| row.field.clone())
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        fields("linen-apron"),
        [
            "body_html",
            "metafield:custom.care",
            "option_name:1",
            "option_value:1:Sand",
            "option_value:1:Slate",
            "title"
        ],
        "options and the text metafield are translated; the colour reference is not"
    );
    let apron = stored
        .iter()
        .find(|row| row.handle == "linen-apron" && row.field == "title")
        .unwrap();
    engine
        .review_translation(
            apron.listing_id,
            "title",
            "de",
            Some("Leinenschürze"),
            Review::Edited,
        )
        .unwrap();

    catalogue("Striped Tea Towel", true);
    run_to_success(&engine, &import);
    let message = run_to_success(&engine, &translate);
    assert!(message.starts_with("Translated 1 fields"), "{message}");
    let after = engine.listing_translations().unwrap();
    assert_eq!(after.len(), stored.len());
    let apron_title = after
        .iter()
        .find(|row| row.handle == "linen-apron" && row.field == "title")
        .unwrap();
    assert_eq!(
        (apron_title.listing_id, apron_title.translated.as_str()),
        (apron.listing_id, "Leinenschürze"),
        "the same listing, with the seller's edit"
    );

    // The per-language copy carries the option and metafield translations too.
    let copy = dir.path().join("products.de.csv");
    let report = engine
        .export_translated_copy(&products, "de", &copy)
        .unwrap();
    assert_eq!(report.stale, 0);
    let translated = |field: &str| {
        after
            .iter()
            .find(|row| row.handle == "linen-apron" && row.field == field)
            .unwrap()
            .translated
            .clone()
    };
    let rows: Vec<Vec<String>> = csv::Reader::from_path(&copy)
        .unwrap()
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows[0][6], translated("option_name:1"));
    assert_eq!(rows[0][7], translated("option_value:1:Sand"));
    assert_eq!(rows[1][7], translated("option_value:1:Slate"));
    assert_eq!(rows[0][8], translated("metafield:custom.care"));
    assert_eq!((rows[0][9].as_str(), rows[1][4].as_str()), ("sand", "LA-2"));

    catalogue("", false);
    run_to_success(&engine, &import);
    assert_eq!(engine.listings().unwrap().len(), 1);
    assert!(
        engine
            .listing_translations()
            .unwrap()
            .iter()
            .all(|row| row.handle == "linen-apron")
    );
}

#[test]
fn each_target_language_takes_the_family_of_models_chosen_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    let demo = engine.create_job(&JobSpec::LoadDemo).unwrap();
    run(&engine, demo, std::sync::Arc::new(|_| {}));
    // Two listings are enough, and keep the many-language fixture quick.
    engine
        .store()
        .connect()
        .unwrap()
        .execute(
            "DELETE FROM listings WHERE id > (SELECT min(id) + 1 FROM listings)",
            [],
        )
        .unwrap();
    let spec = JobSpec::TranslateListings {
        source: "en".into(),
        locales: vec!["de".into(), "fr".into()],
        prefer: EngineChoice::Marian,
        engines: BTreeMap::from([("fr".to_string(), EngineChoice::Madlad)]),
    };
    let job = engine.create_job(&spec).unwrap();
    assert_eq!(
        run(&engine, job, std::sync::Arc::new(|_| {})).state,
        JobState::Succeeded
    );
    let conn = engine.store().connect().unwrap();
    let made_with = |locale: &str| -> Vec<(String, String)> {
        conn.prepare("SELECT DISTINCT engine, prefer FROM listing_translations WHERE locale = ?1")
            .unwrap()
            .query_map([locale], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let (de, fr) = (made_with("de"), made_with("fr"));
    assert_eq!(de.len(), 1);
    assert!(
        de[0].0.contains("fixture-opus-mt-en-de") && de[0].1 == "marian",
        "{de:?}"
    );
    assert_eq!(fr.len(), 1);
    assert!(
        fr[0].0.contains("fixture-madlad-q4k") && fr[0].1 == "madlad",
        "{fr:?}"
    );
}

#[test]
fn listings_translate_as_a_job_that_resumes_without_redoing_anything_and_export_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    let demo = engine.create_job(&JobSpec::LoadDemo).unwrap();
    run(&engine, demo, std::sync::Arc::new(|_| {}));
    let spec = JobSpec::TranslateListings {
        source: "en".into(),
        locales: vec!["de".into(), "fr".into()],
        prefer: EngineChoice::Marian,
        engines: BTreeMap::new(),
    };
    // One SEO description already in German, as mixed catalogues have.
    let german = "Wasserdichte Tragetasche aus gewachstem Canvas mit einer Schnalle aus Messing, ideal für den täglichen Weg zur Arbeit.";
    engine
        .store()
        .connect()
        .unwrap()
        .execute(
            "UPDATE listings SET seo_description = ?1 WHERE id = (SELECT min(id) FROM listings)",
            [german],
        )
        .unwrap();

    // Cancel after a few listings have been committed.
    let job = engine.create_job(&spec).unwrap();
    let canceller = engine.clone();
    let cancelled = run(
        &engine,
        job,
        std::sync::Arc::new(move |event| {
            if let tradewind::JobEvent::Progress { job_id, progress } = event
                && progress.done >= 3
            {
                canceller.cancel_job(job_id);
            }
        }),
    );
    assert_eq!(cancelled.state, JobState::Cancelled);
    let partial = engine.listing_translations().unwrap().len();
    assert!(
        partial > 0,
        "some listings were translated before the cancel"
    );

    let throughput = std::sync::Arc::new(std::sync::Mutex::new(None));
    let reported = throughput.clone();
    let resumed = run(
        &engine,
        job,
        std::sync::Arc::new(move |event| {
            if let tradewind::JobEvent::Progress { progress, .. } = event
                && progress.throughput.is_some()
            {
                *reported.lock().unwrap() = progress.throughput;
            }
        }),
    );
    assert_eq!(resumed.state, JobState::Succeeded, "{:?}", resumed.message);
    let last = throughput.lock().unwrap().unwrap();
    assert!(
        last.segments > 0 && last.tokens > 0 && last.tokens_per_second.unwrap() > 0.0,
        "the progress reports segments and tokens/s: {last:?}"
    );
    let stored = engine.listing_translations().unwrap();
    let mut keys: Vec<(i64, &str, &str)> = stored
        .iter()
        .map(|row| (row.listing_id, row.field.as_str(), row.locale.as_str()))
        .collect();
    let all = keys.len();
    keys.dedup();
    assert_eq!(keys.len(), all);
    // The resumed run translated only what the cancelled one had not stored.
    let message = resumed.message.unwrap_or_default();
    let resumed_fields: usize = message
        .strip_prefix("Translated ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap();
    assert_eq!(resumed_fields, all - partial, "{message}");
    assert!(
        stored
            .iter()
            .any(|row| row.locale == "fr" && row.field == "body_html")
    );
    assert!(stored.iter().any(|row| row.field.starts_with("image_alt:")));
    let mixed = stored
        .iter()
        .find(|row| row.field == "seo_description" && row.source == german)
        .unwrap();
    assert!(
        mixed
            .flags
            .as_array()
            .unwrap()
            .iter()
            .any(|flag| flag["kind"] == "source_language" && flag["detected"] == "de"),
        "{mixed:?}"
    );
    assert!(
        stored
            .iter()
            .filter(|row| row.source != german)
            .all(|row| !row.flags.to_string().contains("source_language")),
        "the English fields are not flagged"
    );
    // Markup survives whatever the model wrote.
    let body = stored.iter().find(|row| row.field == "body_html").unwrap();
    assert_eq!(
        body.source.matches("<li>").count(),
        body.translated.matches("<li>").count()
    );

    // The seller's file back, per language: translated cells in place, all else as it was.
    let original = dir.path().join("products.csv");
    std::fs::write(&original, tradewind::demo::PRODUCTS_CSV).unwrap();
    let copy = dir.path().join("products.de.csv");
    let report = engine
        .export_translated_copy(&original, "de", &copy)
        .unwrap();
    // The description changed in the store above is not what the file says: left.
    assert_eq!(report.stale, 1);
    let german: Vec<&StoredTranslation> = stored.iter().filter(|row| row.locale == "de").collect();
    // Every translation is in place at least once (an option value once per row of
    // its variants), but for the stale description.
    assert!(report.replaced as usize >= german.len() - 1);
    let (before, after) = (tradewind::demo::PRODUCTS_CSV, std::fs::read(&copy).unwrap());
    let (old, new) = (
        tradewind::listings::output::raw_csv::records(before, b','),
        tradewind::listings::output::raw_csv::records(&after, b','),
    );
    assert_eq!(old.len(), new.len());
    let mut changed = 0;
    for (old_record, new_record) in old.iter().zip(&new) {
        for (index, (old_cell, new_cell)) in
            old_record.cells.iter().zip(&new_record.cells).enumerate()
        {
            if before[old_cell.clone()] != after[new_cell.clone()] {
                changed += 1;
                let value = &new_record.values[index];
                assert!(german.iter().any(|row| &row.translated == value), "{value}");
            }
        }
    }
    assert_eq!(changed, report.replaced, "only the translated cells differ");
    let title = german.iter().find(|row| row.field == "title").unwrap();
    assert!(
        new.iter()
            .any(|record| record.values.contains(&title.translated))
    );

    // The seller's edit survives a new run; an approval keeps the text.
    let edited = german.iter().find(|row| row.field == "title").unwrap();
    engine
        .review_translation(
            edited.listing_id,
            "title",
            "de",
            Some("Mein Titel"),
            Review::Edited,
        )
        .unwrap();
    assert!(
        engine
            .review_translation(0, "title", "de", None, Review::Approved)
            .is_err()
    );

    // A glossary makes its term come out as the seller wants, and retranslates.
    let glossary = dir.path().join("glossary.csv");
    std::fs::write(
        &glossary,
        "source,language,target\nAtlas Trail,de,Atlas-Pfad\n",
    )
    .unwrap();
    assert_eq!(engine.import_glossary(&glossary).unwrap(), 1);
    let regloss = engine.create_job(&spec).unwrap();
    run(&engine, regloss, std::sync::Arc::new(|_| {}));
    let after = engine.listing_translations().unwrap();
    let with_term = after
        .iter()
        .filter(|row| row.locale == "de" && row.source.contains("Atlas Trail"))
        .collect::<Vec<_>>();
    assert!(!with_term.is_empty());
    // Where the model kept the placeholder the term is the glossary's; where it
    // lost it the field is flagged. Never the English term silently.
    for row in with_term {
        let flagged = row.flags.as_array().is_some_and(|flags| !flags.is_empty());
        assert!(
            row.translated.contains("Atlas-Pfad") || flagged || row.status != "machine",
            "{row:?}"
        );
    }

    // Nothing changed: a second job translates nothing.
    let again = engine.create_job(&spec).unwrap();
    let record = run(&engine, again, std::sync::Arc::new(|_| {}));
    assert!(record.message.unwrap().starts_with("Translated 0 fields"));
    assert_eq!(engine.listing_translations().unwrap().len(), all);
    let german_title = || {
        engine
            .listing_translations()
            .unwrap()
            .into_iter()
            .find(|row| {
                row.listing_id == edited.listing_id && row.field == "title" && row.locale == "de"
            })
            .unwrap()
    };
    let kept = german_title();
    assert_eq!(
        (kept.translated.as_str(), kept.status.as_str()),
        ("Mein Titel", "edited")
    );
    // Asked for, the machine translates the field again over the edit.
    engine
        .retranslate_field(edited.listing_id, "title", "de")
        .unwrap();
    let redone = german_title();
    assert_eq!(redone.status, "machine");
    assert_ne!(redone.translated, "Mein Titel");
    let error = engine
        .retranslate_field(0, "title", "de")
        .unwrap_err()
        .to_string();
    assert!(error.contains("no de translation of its title"), "{error}");
}

#[test]
fn compute_settings_are_kept_and_a_tiny_memory_budget_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    let mut settings = engine.compute_settings().unwrap();
    assert_eq!(settings.threads, 0);
    assert_eq!(settings.model_memory_mb, 4096);
    assert!(settings.threads_in_use >= 1);
    settings.translation_precision = Precision::F32;
    settings.threads = 1;
    settings.model_memory_mb = 1024;
    let saved = engine.set_compute_settings(&settings).unwrap();
    assert_eq!(
        (
            saved.translation_precision,
            saved.threads,
            saved.model_memory_mb
        ),
        (Precision::F32, 1, 1024)
    );
    settings.model_memory_mb = 10;
    let error = engine
        .set_compute_settings(&settings)
        .unwrap_err()
        .to_string();
    assert!(error.contains("256 or more"), "{error}");
}
