//! Held to the reference implementations on the same weights (see
//! `fixtures::reference`): greedy ids equal to those of HF transformers and
//! CTranslate2 float32, and the logits of every step within 1e-4 of transformers'.

use candle_core::{Device, Tensor};

use super::{DecodeOptions, MarianTranslator};
use crate::ml::fixtures::reference::{assert_close, floats, ids, record};
use crate::ml::fixtures::{MARIAN_EN_DE_ID, verified_fixture};
use crate::ml::weights::{ModelFiles, Precision};

#[test]
fn greedy_ids_and_every_steps_logits_match_transformers_and_ctranslate2() {
    let dir = tempfile::tempdir().unwrap();
    let files = verified_fixture(dir.path(), MARIAN_EN_DE_ID, 7).unwrap();
    let model_files = ModelFiles::new(MARIAN_EN_DE_ID, &files);
    let translator =
        MarianTranslator::load(&model_files, &Device::Cpu, Precision::F32, None).unwrap();
    let reference = record("marian", model_files.path("model.safetensors").unwrap());
    let sources: Vec<Vec<u32>> = reference["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(ids)
        .collect();
    let expected: Vec<Vec<u32>> = reference["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(ids)
        .collect();
    let steps = reference["logits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row.as_array().unwrap().len())
        .max()
        .unwrap();
    // All rows in one padded batch: the padding mask must keep each row as it is alone.
    let options = DecodeOptions {
        batch_size: sources.len(),
        max_new_tokens: Some(steps),
        ignore_eos: false,
    };
    assert_eq!(translator.generate(&sources, &options).unwrap(), expected);

    let network = &translator.network;
    let pad = network.config.pad_token_id as usize;
    for (row, source) in sources.iter().enumerate() {
        let ids = Tensor::new(source.as_slice(), &Device::Cpu)
            .unwrap()
            .unsqueeze(0)
            .unwrap();
        let mask = Tensor::zeros(
            (1, 1, 1, source.len()),
            candle_core::DType::F32,
            &Device::Cpu,
        )
        .unwrap();
        let encoded = network.encode(&ids, &mask).unwrap();
        let states = network.start_states(&encoded, steps).unwrap();
        let path = std::iter::once(network.config.decoder_start_token_id)
            .chain(expected[row].iter().copied());
        let reference_steps = reference["logits"][row].as_array().unwrap();
        for (step, (token, theirs)) in path.zip(reference_steps).enumerate() {
            let input = Tensor::new(&[[token]], &Device::Cpu).unwrap();
            let mut ours = network
                .step(&input, step, &states, &mask)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap();
            let mut theirs = floats(theirs);
            // Ours never offers the padding token (−∞), as generation forbids it.
            assert_eq!(ours.remove(pad), f32::NEG_INFINITY);
            theirs.remove(pad);
            assert_close(&ours, &theirs, &format!("row {row}, step {step}"));
        }
    }
}
