//! The commands through Tauri's IPC with the mock runtime: arguments as the UI sends
//! them, results and errors as the UI receives them.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{WebviewUrl, WebviewWindow, WebviewWindowBuilder};

use crate::{AppState, app};

struct Fixture {
    _app: tauri::App<tauri::test::MockRuntime>,
    window: WebviewWindow<tauri::test::MockRuntime>,
    data: tempfile::TempDir,
}

fn fixture() -> Fixture {
    fixture_in(tempfile::tempdir().unwrap())
}

fn fixture_in(data: tempfile::TempDir) -> Fixture {
    let state = AppState::open(Some(data.path().to_path_buf()));
    fixture_with(state, data)
}

/// The app on the fixture models' catalog, with a data folder of its own.
fn fixture_on_fixture_models() -> Fixture {
    let data = tempfile::tempdir().unwrap();
    let catalog =
        tradewind::ml::fixtures::write_fixtures(&data.path().join("fixtures"), 7).unwrap();
    let state = AppState::with_config(tradewind::EngineConfig {
        data_dir: Some(data.path().join("data")),
        catalog: Some(catalog.path),
        ..tradewind::EngineConfig::default()
    });
    fixture_with(state, data)
}

fn fixture_with(state: AppState, data: tempfile::TempDir) -> Fixture {
    let app = app(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", WebviewUrl::default())
        .build()
        .unwrap();
    Fixture {
        _app: app,
        window,
        data,
    }
}

fn invoke(fixture: &Fixture, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        &fixture.window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

#[test]
fn a_new_data_folder_has_an_empty_overview_and_english() {
    let fixture = fixture();
    let overview = invoke(&fixture, "overview", json!({})).unwrap();
    assert_eq!(overview["listings"], 0);
    assert_eq!(overview["orders"], 0);
    assert_eq!(invoke(&fixture, "language", json!({})).unwrap(), "en");
}

#[test]
fn an_unknown_language_comes_back_as_a_command_error() {
    let fixture = fixture();
    let error = invoke(&fixture, "set_language", json!({ "code": "fr" })).unwrap_err();
    assert_eq!(error["kind"], "invalid_setting");
    assert_eq!(
        error["message"],
        "'fr' is not a valid language; choose one of: en, zh-CN"
    );
    assert_eq!(
        invoke(&fixture, "set_language", json!({ "code": "zh-CN" })).unwrap(),
        "zh-CN"
    );
}

/// Starts a job as the UI does and waits until it succeeded; returns its id.
fn run_job_to_end(fixture: &Fixture, spec: Value) -> Value {
    let id = invoke(
        fixture,
        "start_job",
        json!({ "spec": spec, "onEvent": "__CHANNEL__:7" }),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let jobs = invoke(fixture, "jobs", json!({})).unwrap();
        let job = jobs
            .as_array()
            .unwrap()
            .iter()
            .find(|job| job["id"] == id)
            .unwrap()
            .clone();
        if job["state"] == "succeeded" {
            return id;
        }
        assert!(job["state"] != "failed", "{job}");
        assert!(Instant::now() < deadline, "the job did not finish: {job}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_demo_loads_through_a_job_started_from_the_ui() {
    let fixture = fixture();
    let id = run_job_to_end(&fixture, json!({ "kind": "load_demo" }));
    assert_eq!(id, 1);
    let overview = invoke(&fixture, "overview", json!({})).unwrap();
    assert_eq!(
        (overview["listings"].as_u64(), overview["photos"].as_u64()),
        (Some(30), Some(12))
    );
    let photos = invoke(&fixture, "photos", json!({})).unwrap();
    assert!(
        photos[0]["thumbnail"]
            .as_str()
            .unwrap()
            .starts_with("data:image/jpeg;base64,/9j/")
    );
    // A finished job may not run again: refused at once, not in the background.
    let error = invoke(
        &fixture,
        "resume_job",
        json!({ "id": 1, "onEvent": "__CHANNEL__:8" }),
    )
    .unwrap_err();
    assert_eq!(error["kind"], "job_state");
    assert!(fixture.data.path().join("tradewind.db").exists());
}

#[test]
fn a_backup_restores_and_deleting_all_data_leaves_the_app_at_its_first_run() {
    let fixture = fixture();
    run_job_to_end(&fixture, json!({ "kind": "load_demo" }));
    let elsewhere = tempfile::tempdir().unwrap();
    let backup = elsewhere.path().join("shop.tradewind-backup");
    invoke(&fixture, "back_up", json!({ "path": backup })).unwrap();

    invoke(&fixture, "delete_all_data", json!({})).unwrap();
    let overview = invoke(&fixture, "overview", json!({})).unwrap();
    assert_eq!(
        overview["listings"], 0,
        "the engine opened again on an empty folder"
    );
    let left: Vec<String> = std::fs::read_dir(fixture.data.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with("tradewind.db"))
        .collect();
    assert!(left.is_empty(), "only the new, empty database: {left:?}");

    let replaced = invoke(&fixture, "restore_backup", json!({ "path": backup })).unwrap();
    assert!(
        replaced
            .as_str()
            .unwrap()
            .contains("tradewind-before-restore-")
    );
    let overview = invoke(&fixture, "overview", json!({})).unwrap();
    assert_eq!(overview["listings"], 30);
}

#[test]
fn the_data_folder_moves_and_the_app_reads_the_shop_at_its_new_place() {
    let fixture = fixture();
    run_job_to_end(&fixture, json!({ "kind": "load_demo" }));
    let elsewhere = tempfile::tempdir().unwrap();
    let to = elsewhere.path().join("Tradewind");
    let moved = invoke(
        &fixture,
        "move_data_folder",
        json!({ "to": to, "onProgress": "__CHANNEL__:8" }),
    )
    .unwrap();
    assert_eq!(moved.as_str().unwrap(), to.to_str().unwrap());
    assert!(to.join("tradewind.db").is_file());
    assert!(!fixture.data.path().join("tradewind.db").exists());
    let overview = invoke(&fixture, "overview", json!({})).unwrap();
    assert_eq!(
        overview["listings"], 30,
        "the engine opened at the new place"
    );
    let doctor = invoke(&fixture, "doctor", json!({})).unwrap();
    assert_eq!(doctor["data_dir"].as_str().unwrap(), to.to_str().unwrap());

    // A folder that is not empty is refused in one sentence; nothing moves.
    let full = tempfile::tempdir().unwrap();
    std::fs::write(full.path().join("notes.txt"), "mine").unwrap();
    let refused = invoke(
        &fixture,
        "move_data_folder",
        json!({ "to": full.path(), "onProgress": "__CHANNEL__:9" }),
    )
    .unwrap_err();
    assert_eq!(refused["kind"], "bad_input");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("is not empty")
    );
    assert!(to.join("tradewind.db").is_file());
}

#[test]
fn a_damaged_database_is_reported_by_every_command_instead_of_a_crash() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("tradewind.db"),
        b"not a database at all".repeat(100),
    )
    .unwrap();
    let fixture = fixture_in(data);
    let error = invoke(&fixture, "overview", json!({})).unwrap_err();
    assert_eq!(error["kind"], "database_damaged");
    assert!(error["message"].as_str().unwrap().contains("tradewind.db"));
}

#[test]
fn the_model_catalog_and_an_unavailable_device_reach_the_ui() {
    let fixture = fixture();
    let models = invoke(&fixture, "models", json!({})).unwrap();
    assert!(
        models
            .as_array()
            .unwrap()
            .iter()
            .any(|model| model["model"]["id"] == "all-minilm-l6-v2")
    );
    let error = invoke(&fixture, "verify_model", json!({ "id": "nope" })).unwrap_err();
    assert_eq!(error["kind"], "not_found");
    let status = invoke(&fixture, "set_device", json!({ "choice": "cuda" })).unwrap();
    assert_eq!(status["choice"], "cuda");
    if !status["compiled"]
        .as_array()
        .unwrap()
        .iter()
        .any(|device| device == "cuda")
    {
        assert_eq!(status["using"], "cpu");
        assert!(
            status["fallback"]
                .as_str()
                .unwrap()
                .contains("no CUDA support")
        );
    }
    let error = invoke(&fixture, "set_device", json!({ "choice": "tpu" })).unwrap_err();
    assert_eq!(error["kind"], "invalid_setting");
}

#[test]
fn a_fixture_model_runs_from_the_ui_once_loaded_and_compute_settings_round_trip() {
    let fixture = fixture_on_fixture_models();

    let args = json!({ "id": "fixture-opus-mt-en-de", "texts": ["red mug"], "image": null, "targetLanguage": null });
    let first = invoke(&fixture, "run_model", args.clone()).unwrap();
    assert_eq!(first["load"]["cache_hit"], false);
    assert_eq!(first["output"]["kind"], "translations");
    let again = invoke(&fixture, "run_model", args).unwrap();
    assert_eq!(again["load"]["cache_hit"], true);
    let models = invoke(&fixture, "models", json!({})).unwrap();
    let marian = models
        .as_array()
        .unwrap()
        .iter()
        .find(|status| status["model"]["id"] == "fixture-opus-mt-en-de")
        .unwrap();
    assert_eq!(marian["loaded"]["key"]["precision"], "q8_0");

    let error = invoke(
        &fixture,
        "run_model",
        json!({ "id": "fixture-clip", "texts": ["red"], "image": null, "targetLanguage": null }),
    )
    .unwrap_err();
    assert!(
        error["message"].as_str().unwrap().contains("needs a photo"),
        "{error}"
    );

    let mut settings = invoke(&fixture, "compute_settings", json!({})).unwrap();
    assert_eq!(settings["translation_precision"], "q8_0");
    settings["translation_precision"] = json!("f32");
    settings["threads"] = json!(1);
    let saved = invoke(
        &fixture,
        "set_compute_settings",
        json!({ "settings": settings }),
    )
    .unwrap();
    assert_eq!(saved["translation_precision"], "f32");
    assert_eq!(saved["threads"], 1);
}

#[test]
fn listings_translate_as_a_job_from_the_ui_and_a_review_is_kept() {
    let fixture = fixture_on_fixture_models();
    run_job_to_end(&fixture, json!({ "kind": "load_demo" }));
    run_job_to_end(
        &fixture,
        json!({ "kind": "translate_listings", "source": "en", "locales": ["de"], "prefer": "marian" }),
    );
    let rows = invoke(&fixture, "listing_translations", json!({})).unwrap();
    let first = &rows.as_array().unwrap()[0];
    let args = json!({
        "listingId": first["listing_id"], "field": first["field"], "locale": "de",
        "text": "Von Hand", "review": "edited"
    });
    invoke(&fixture, "review_translation", args).unwrap();
    let rows = invoke(&fixture, "listing_translations", json!({})).unwrap();
    assert_eq!(rows[0]["translated"], "Von Hand");
    assert_eq!(rows[0]["status"], "edited");
    let again =
        json!({ "listingId": first["listing_id"], "field": first["field"], "locale": "de" });
    invoke(&fixture, "retranslate_field", again).unwrap();
    let rows = invoke(&fixture, "listing_translations", json!({})).unwrap();
    assert_eq!(rows[0]["status"], "machine");

    let data = fixture.data.path().join("data");
    let shop_export = data
        .join("demo")
        .join(tradewind::demo::SHOPIFY_TRANSLATIONS_FILE);
    let out = fixture.data.path().join("for-shopify.csv");
    let report = invoke(
        &fixture,
        "fill_shopify_translations",
        json!({ "shopExport": shop_export, "out": out }),
    )
    .unwrap();
    assert!(report["filled"].as_u64().unwrap() > 30, "{report}");
    assert_eq!(report["other_locales"], json!(["fr", "es"]));
    let engines = invoke(
        &fixture,
        "default_engines",
        json!({ "source": "en", "targets": ["de", "ja", "xx"] }),
    )
    .unwrap();
    assert_eq!(engines, json!({ "de": "marian", "ja": "madlad" }));
    let marketplaces = invoke(&fixture, "marketplaces", json!({})).unwrap();
    assert_eq!(marketplaces, json!(["amazon", "ebay", "etsy", "shopify"]));
    let over = invoke(
        &fixture,
        "marketplace_violations",
        json!({ "marketplace": "ebay" }),
    )
    .unwrap();
    // The fixture models write long nonsense: some titles are over eBay's 80.
    assert!(
        over.as_array()
            .unwrap()
            .iter()
            .any(|pair| pair[0]["field"] == "title" && pair[1][0]["limit"] == "80 characters"),
        "{over}"
    );
    let unnamed = fixture.data.path().join("translations.txt");
    let error = invoke(
        &fixture,
        "export_translations_table",
        json!({ "out": unnamed }),
    )
    .unwrap_err();
    assert_eq!(error["kind"], "bad_input", "{error}");
    assert!(!unnamed.exists());

    let missing = json!({ "listingId": 0, "field": "title", "locale": "de", "text": null, "review": "approved" });
    let error = invoke(&fixture, "review_translation", missing).unwrap_err();
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("no de translation"),
        "{error}"
    );
}

#[test]
fn a_file_of_the_sellers_own_layout_is_previewed_then_imported_with_the_confirmed_mapping() {
    let fixture = fixture();
    let path = fixture.data.path().join("catalogue.json");
    std::fs::write(
        &path,
        r#"[{"Product Name": "Linen Apron", "Text": "<p>Washed linen.</p>", "Price": 30, "Material": "Linen"}]"#,
    )
    .unwrap();
    let preview = invoke(&fixture, "preview_listings_file", json!({ "path": path })).unwrap();
    assert_eq!(preview["shopify"], false);
    assert_eq!(
        preview["columns"],
        json!(["Product Name", "Text", "Price", "Material"])
    );
    assert_eq!(preview["proposed"]["Product Name"], "title");
    let mapping = json!({ "Product Name": "title", "Text": "description", "Price": "price", "Material": "translate" });
    run_job_to_end(
        &fixture,
        json!({ "kind": "import_listings", "path": path, "mapping": mapping }),
    );
    let listings = invoke(&fixture, "listings", json!({})).unwrap();
    assert_eq!(listings[0]["title"], "Linen Apron");
    assert_eq!(listings[0]["min_price_cents"], 3000);
}

#[test]
fn the_glossary_is_edited_imported_and_exported_from_the_app() {
    let fixture = fixture();
    let entry = json!({ "source": "tote bag", "language": "de", "target": "Tragetasche" });
    invoke(&fixture, "set_glossary_entry", json!({ "entry": entry })).unwrap();
    assert_eq!(
        invoke(&fixture, "glossary", json!({})).unwrap(),
        json!([entry])
    );
    let empty = json!({ "source": "mug", "language": "de", "target": "" });
    let error = invoke(&fixture, "set_glossary_entry", json!({ "entry": empty })).unwrap_err();
    assert_eq!(error["kind"], "bad_input", "{error}");

    let file = fixture.data.path().join("glossary.csv");
    assert_eq!(
        invoke(&fixture, "export_glossary", json!({ "path": file })).unwrap(),
        1
    );
    let removed = json!({ "source": "tote bag", "language": "de" });
    assert_eq!(
        invoke(&fixture, "remove_glossary_entry", removed).unwrap(),
        true
    );
    assert_eq!(invoke(&fixture, "glossary", json!({})).unwrap(), json!([]));
    assert_eq!(
        invoke(&fixture, "import_glossary", json!({ "path": file })).unwrap(),
        1
    );
    assert_eq!(
        invoke(&fixture, "glossary", json!({})).unwrap(),
        json!([entry])
    );
}
