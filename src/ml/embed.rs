//! Sentence embeddings with a BERT encoder (all-MiniLM-L6-v2 and kin): mean pooling
//! over the real tokens, then L2 normalisation, as sentence-transformers does.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use super::MlError;
use super::store::VerifiedFile;

/// Longest input in tokens; product titles and descriptions' first sentences fit.
const MAX_TOKENS: usize = 256;

pub struct SentenceEmbedder {
    id: String,
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
}

fn path_of<'a>(id: &str, files: &'a [VerifiedFile], name: &str) -> Result<&'a Path, MlError> {
    files
        .iter()
        .find(|file| file.name == name)
        .map(|file| file.path.as_path())
        .ok_or_else(|| MlError::Load {
            id: id.to_string(),
            path: name.into(),
            detail: format!("the catalog lists no '{name}'"),
        })
}

impl SentenceEmbedder {
    /// Loads from verified files (config.json, tokenizer.json, model.safetensors).
    pub fn load(
        id: &str,
        files: &[VerifiedFile],
        device: &Device,
    ) -> Result<SentenceEmbedder, MlError> {
        let failed = |path: &Path, detail: String| MlError::Load {
            id: id.to_string(),
            path: path.to_path_buf(),
            detail,
        };
        let config_path = path_of(id, files, "config.json")?;
        let config_text = std::fs::read_to_string(config_path)
            .map_err(|error| failed(config_path, error.to_string()))?;
        let config: Config = serde_json::from_str(&config_text)
            .map_err(|error| failed(config_path, error.to_string()))?;

        let tokenizer_path = path_of(id, files, "tokenizer.json")?;
        let mut tokenizer = Tokenizer::from_file(tokenizer_path)
            .map_err(|error| failed(tokenizer_path, error.to_string()))?;
        // The shipped tokenizer pads every input to a fixed 128 tokens; batch by the longest instead.
        let pad_id = tokenizer.token_to_id("[PAD]").unwrap_or(0);
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id,
            pad_token: "[PAD]".into(),
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS.min(config.max_position_embeddings),
                ..TruncationParams::default()
            }))
            .map_err(|error| failed(tokenizer_path, error.to_string()))?;

        let weights_path = path_of(id, files, "model.safetensors")?;
        let tensors = candle_core::safetensors::load(weights_path, device)
            .map_err(|error| failed(weights_path, error.to_string()))?;
        let weights = VarBuilder::from_tensors(tensors, DType::F32, device);
        let model = BertModel::load(weights, &config)
            .map_err(|error| failed(weights_path, error.to_string()))?;
        Ok(SentenceEmbedder {
            id: id.to_string(),
            model,
            tokenizer,
            device: device.clone(),
        })
    }

    /// One unit-length vector per text.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, MlError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let run = |detail: String| MlError::Run {
            id: self.id.clone(),
            detail,
        };
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|error| run(error.to_string()))?;
        let rows = |pick: fn(&tokenizers::Encoding) -> &[u32]| -> Result<Tensor, MlError> {
            let rows: Vec<Tensor> = encodings
                .iter()
                .map(|encoding| Tensor::new(pick(encoding), &self.device))
                .collect::<Result<_, _>>()
                .map_err(|error| run(error.to_string()))?;
            Tensor::stack(&rows, 0).map_err(|error| run(error.to_string()))
        };
        let ids = rows(|encoding| encoding.get_ids())?;
        let mask = rows(|encoding| encoding.get_attention_mask())?;
        let pooled = (|| -> candle_core::Result<Tensor> {
            let type_ids = ids.zeros_like()?;
            let hidden = self.model.forward(&ids, &type_ids, Some(&mask))?;
            let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
            let counts = mask.sum(1)?;
            let mean = summed.broadcast_div(&counts)?;
            let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?;
            mean.broadcast_div(&norms)
        })()
        .map_err(|error| run(error.to_string()))?;
        pooled
            .to_vec2::<f32>()
            .map_err(|error| run(error.to_string()))
    }
}

/// Cosine similarity of two unit vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{BERT_ID, verified_fixture};

    fn fixture_embedder(dir: &Path) -> SentenceEmbedder {
        let files = verified_fixture(dir, BERT_ID, 7).unwrap();
        SentenceEmbedder::load(BERT_ID, &files, &Device::Cpu).unwrap()
    }

    #[test]
    fn embeddings_are_unit_vectors_and_the_same_on_every_load() {
        let dir = tempfile::tempdir().unwrap();
        let texts = ["red leather handbag", "stainless steel knife set", "mug"];
        let first = fixture_embedder(dir.path()).embed(&texts).unwrap();
        assert_eq!(first.len(), 3);
        for vector in &first {
            assert_eq!(vector.len(), 32);
            let norm: f32 = vector.iter().map(|value| value * value).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-5, "{norm}");
        }
        let again = tempfile::tempdir().unwrap();
        assert_eq!(fixture_embedder(again.path()).embed(&texts).unwrap(), first);
    }

    #[test]
    fn padding_in_a_batch_does_not_change_a_short_texts_embedding() {
        let dir = tempfile::tempdir().unwrap();
        let embedder = fixture_embedder(dir.path());
        let alone = embedder.embed(&["red mug"]).unwrap();
        let batched = embedder
            .embed(&[
                "red mug",
                "a large black canvas tote bag with a steel bottle for men and women",
            ])
            .unwrap();
        let similarity = cosine(&alone[0], &batched[0]);
        assert!(
            similarity > 0.99999,
            "padding leaked into the pooled vector: {similarity}"
        );
        assert!(embedder.embed(&[]).unwrap().is_empty());
    }
}
