//! What the BERT-family loaders share: the encoder with its tokenizer set to pad each
//! batch to its longest text, and a batch of texts as the encoder takes it.

use std::collections::HashMap;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::Tokenizer;

use super::MlError;
use super::weights::{ModelFiles, pad_batches_and_truncate};

/// Longest input in tokens; titles, reviews and descriptions' first sentences fit.
const MAX_TOKENS: usize = 256;

pub struct BertEncoder {
    pub model: BertModel,
    pub tokenizer: Tokenizer,
    /// Every tensor of model.safetensors, for the heads a task adds.
    pub tensors: HashMap<String, Tensor>,
}

impl BertEncoder {
    /// Loads config.json, tokenizer.json and model.safetensors.
    pub fn load(files: &ModelFiles, device: &Device) -> Result<BertEncoder, MlError> {
        let config: Config = files.json("config.json")?;
        let tokenizer_path = files.path("tokenizer.json")?;
        let mut tokenizer = files.tokenizer(tokenizer_path)?;
        // Shipped tokenizers often pad every input to a fixed length; batch by the longest instead.
        pad_batches_and_truncate(
            &mut tokenizer,
            "[PAD]",
            MAX_TOKENS.min(config.max_position_embeddings),
        )
        .map_err(|error| files.failed(tokenizer_path, error))?;
        let weights_path = files.path("model.safetensors")?;
        let tensors = files.tensors("model.safetensors", device)?;
        let model = BertModel::load(
            VarBuilder::from_tensors(tensors.clone(), DType::F32, device),
            &config,
        )
        .map_err(|error| files.failed(weights_path, error))?;
        Ok(BertEncoder {
            model,
            tokenizer,
            tensors,
        })
    }

    /// The hidden states `[B, T, H]` of `texts` and their attention mask `[B, T]`.
    pub fn encode(&self, texts: &[&str]) -> Result<(Tensor, Tensor), String> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|error| error.to_string())?;
        let device = &self.model.device;
        (|| -> candle_core::Result<(Tensor, Tensor)> {
            let rows = |pick: fn(&tokenizers::Encoding) -> &[u32]| -> candle_core::Result<Tensor> {
                let rows: Vec<Vec<u32>> = encodings
                    .iter()
                    .map(|encoding| pick(encoding).to_vec())
                    .collect();
                Tensor::new(rows, device)
            };
            let ids = rows(|encoding| encoding.get_ids())?;
            let mask = rows(|encoding| encoding.get_attention_mask())?;
            let hidden = self.model.forward(&ids, &ids.zeros_like()?, Some(&mask))?;
            Ok((hidden, mask))
        })()
        .map_err(|error| error.to_string())
    }
}
