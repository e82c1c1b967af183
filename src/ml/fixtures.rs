//! Tiny models with random weights but the real architectures, tensor names and file
//! layout, for tests: they exercise the real loading and running code without a
//! download. `tradewind dev fixtures DIR` writes them with a catalog of their own.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::{VarBuilder, VarMap};
use candle_transformers::models::bert::{self, BertModel};
use serde_json::json;
use tokenizers::Tokenizer;
use tokenizers::decoders::wordpiece::WordPiece as WordPieceDecoder;
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::normalizers::bert::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::processors::bert::BertProcessing;

use super::MlError;
use super::catalog::{Architecture, Catalog, ModelEntry, ModelFile, Task};
use super::store::sha256_of;
use crate::files::write_atomically;

pub const CATALOG_FILE: &str = "catalog.toml";
pub const BERT_ID: &str = "fixture-bert";

/// Words the fixture tokenizers know; anything else is `[UNK]`.
const WORDS: &[&str] = &[
    "red",
    "blue",
    "green",
    "black",
    "white",
    "leather",
    "canvas",
    "wool",
    "steel",
    "ceramic",
    "bag",
    "handbag",
    "purse",
    "tote",
    "mug",
    "cup",
    "knife",
    "set",
    "lamp",
    "bottle",
    "women",
    "men",
    "crimson",
    "stainless",
    "large",
    "small",
    "the",
    "a",
    "and",
    "with",
    "for",
    "of",
    "s",
    "'",
    ",",
    ".",
    "-",
    "!",
];
const SPECIALS: &[&str] = &["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

fn failed(path: &Path, detail: impl ToString) -> MlError {
    MlError::Load {
        id: "fixtures".into(),
        path: path.to_path_buf(),
        detail: detail.to_string(),
    }
}

/// Writes every fixture model under `dir` and a catalog (`dir/catalog.toml`) whose
/// entries point at them, with their sizes and checksums. The same seed always
/// writes the same bytes.
pub fn write_fixtures(dir: &Path, seed: u64) -> Result<Catalog, MlError> {
    std::fs::create_dir_all(dir).map_err(|source| crate::input::InputError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let models = vec![write_bert(&dir.join(BERT_ID), seed)?];
    let catalog = Catalog {
        path: dir.join(CATALOG_FILE),
        models,
    };
    write_atomically(&catalog.path, catalog.to_toml()?.as_bytes())?;
    Ok(catalog)
}

/// The fixture tokenizers' vocabulary (tokenizers' own map type).
fn vocabulary() -> tokenizers::models::bpe::Vocab {
    SPECIALS
        .iter()
        .chain(WORDS)
        .enumerate()
        .map(|(id, word)| (word.to_string(), id as u32))
        .collect()
}

fn bert_tokenizer(path: &Path) -> Result<(), MlError> {
    let vocab = vocabulary();
    let id = |token: &str| vocab.get(token).copied().unwrap_or(0);
    let (cls, sep) = (id("[CLS]"), id("[SEP]"));
    let model = WordPiece::builder()
        .vocab(vocab)
        .unk_token("[UNK]".into())
        .build()
        .map_err(|error| failed(path, error))?;
    let mut tokenizer = Tokenizer::new(model);
    tokenizer
        .with_normalizer(Some(BertNormalizer::default()))
        .with_pre_tokenizer(Some(BertPreTokenizer))
        .with_post_processor(Some(BertProcessing::new(
            ("[SEP]".into(), sep),
            ("[CLS]".into(), cls),
        )))
        .with_decoder(Some(WordPieceDecoder::default()));
    tokenizer
        .save(path, false)
        .map_err(|error| failed(path, error))
}

fn bert_config() -> serde_json::Value {
    json!({
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": SPECIALS.len() + WORDS.len(),
        "hidden_size": 32,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "intermediate_size": 64,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "max_position_embeddings": 64,
        "type_vocab_size": 2,
        "initializer_range": 0.02,
        "layer_norm_eps": 1e-12,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
    })
}

/// Overwrites every variable, in name order, from a seeded generator: candle cannot
/// seed its own CPU initialisers.
fn fill_deterministically(varmap: &VarMap, seed: u64, path: &Path) -> Result<(), MlError> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let vars = varmap.data().lock().map_err(|error| failed(path, error))?;
    let mut names: Vec<&String> = vars.keys().collect();
    names.sort();
    for name in names {
        let var = &vars[name];
        let count = var.elem_count();
        let values: Vec<f32> = if name.ends_with("LayerNorm.weight") {
            vec![1.0; count]
        } else {
            (0..count).map(|_| (rng.f32() - 0.5) * 0.1).collect()
        };
        let tensor = Tensor::from_vec(values, var.shape(), &Device::Cpu)
            .map_err(|error| failed(path, error))?;
        var.set(&tensor).map_err(|error| failed(path, error))?;
    }
    Ok(())
}

fn write_bert(dir: &Path, seed: u64) -> Result<ModelEntry, MlError> {
    std::fs::create_dir_all(dir).map_err(|source| crate::input::InputError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let config_json = bert_config();
    let config_path = dir.join("config.json");
    write_atomically(&config_path, config_json.to_string().as_bytes())?;
    let config: bert::Config =
        serde_json::from_value(config_json).map_err(|error| failed(&config_path, error))?;

    let weights = dir.join("model.safetensors");
    let varmap = VarMap::new();
    BertModel::load(
        VarBuilder::from_varmap(&varmap, DType::F32, &Device::Cpu),
        &config,
    )
    .map_err(|error| failed(&weights, error))?;
    fill_deterministically(&varmap, seed, &weights)?;
    varmap
        .save(&weights)
        .map_err(|error| failed(&weights, error))?;
    bert_tokenizer(&dir.join("tokenizer.json"))?;

    Ok(ModelEntry {
        id: BERT_ID.into(),
        name: "Fixture BERT (random weights)".into(),
        task: Task::Embed,
        architecture: Architecture::Bert,
        repo: "tradewind/fixture-bert".into(),
        revision: "fixture".into(),
        quantization: "f32".into(),
        ram_mb: 1,
        licence: "MIT".into(),
        languages: vec!["en".into()],
        note: Some("Random weights: exercises the loader, not the semantics.".into()),
        local_dir: Some(PathBuf::from(BERT_ID)),
        files: ["config.json", "tokenizer.json", "model.safetensors"]
            .iter()
            .map(|name| described(dir, name))
            .collect::<Result<_, _>>()?,
    })
}

fn described(dir: &Path, name: &str) -> Result<ModelFile, MlError> {
    let path = dir.join(name);
    let size = std::fs::metadata(&path)
        .map_err(|error| crate::input::InputError::io(&path, error))?
        .len();
    Ok(ModelFile {
        name: name.into(),
        size: Some(size),
        sha256: Some(sha256_of(&path)?),
        repo: None,
        revision: None,
        role: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_writes_the_same_files_and_another_seed_other_weights() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        let first = write_fixtures(a.path(), 7).unwrap();
        let second = write_fixtures(b.path(), 7).unwrap();
        let other = write_fixtures(c.path(), 8).unwrap();
        assert_eq!(first.models[0].files, second.models[0].files);
        assert_ne!(
            first.models[0].files[2].sha256,
            other.models[0].files[2].sha256
        );
        let reread = Catalog::load(&a.path().join(CATALOG_FILE)).unwrap();
        assert_eq!(reread.models, first.models);
    }
}
