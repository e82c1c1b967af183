//! Review sentiment with a BERT sequence classifier (nlptown's multilingual 1–5 star
//! model and kin): candle-transformers' BERT encoder, then the pooler and classifier
//! heads of `BertForSequenceClassification`, which candle does not have.

use std::collections::BTreeMap;

use candle_core::Device;
use serde::{Deserialize, Serialize};

use super::MlError;
use super::bert_encoder::BertEncoder;
use super::weights::{Linear, ModelFiles, Weights};

#[derive(Deserialize)]
struct Labels {
    #[serde(default)]
    id2label: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Sentiment {
    /// The most likely label, e.g. "4 stars".
    pub label: String,
    /// 1 to 5 for star models: the expected rating under the model's probabilities.
    pub stars: f32,
    pub probabilities: Vec<f32>,
}

pub struct SentimentClassifier {
    id: String,
    encoder: BertEncoder,
    pooler: Linear,
    classifier: Linear,
    labels: Vec<String>,
}

/// The star count a label such as "4 stars" names, else its position plus one.
fn stars_of(label: &str, index: usize) -> f32 {
    label
        .split_whitespace()
        .next()
        .and_then(|first| first.parse::<f32>().ok())
        .unwrap_or(index as f32 + 1.0)
}

impl SentimentClassifier {
    /// Loads from verified files: `config.json` (with `id2label`), `tokenizer.json`,
    /// `model.safetensors` (`bert.*`, `bert.pooler.dense`, `classifier`).
    pub fn load(files: &ModelFiles, device: &Device) -> Result<SentimentClassifier, MlError> {
        let labels: Labels = files.json("config.json")?;
        let mut ordered: Vec<(usize, String)> = labels
            .id2label
            .into_iter()
            .filter_map(|(index, label)| Some((index.parse().ok()?, label)))
            .collect();
        ordered.sort();
        let labels: Vec<String> = ordered.into_iter().map(|(_, label)| label).collect();

        let encoder = BertEncoder::load(files, device)?;
        let weights_path = files.path("model.safetensors")?;
        let heads = Weights::Dense {
            tensors: encoder.tensors.clone(),
            quantize: None,
        };
        let pooler = Linear::load(&heads, "bert.pooler.dense")
            .map_err(|error| files.failed(weights_path, error))?;
        let classifier = Linear::load(&heads, "classifier")
            .map_err(|error| files.failed(weights_path, error))?;
        Ok(SentimentClassifier {
            id: files.id.to_string(),
            encoder,
            pooler,
            classifier,
            labels,
        })
    }

    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn classify(&self, texts: &[&str]) -> Result<Vec<Sentiment>, MlError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let run = |detail: String| MlError::Run {
            id: self.id.clone(),
            detail,
        };
        let (hidden, _) = self.encoder.encode(texts).map_err(run)?;
        let probabilities = (|| -> candle_core::Result<Vec<Vec<f32>>> {
            let first = hidden.narrow(1, 0, 1)?.squeeze(1)?;
            let pooled = self.pooler.forward(&first)?.tanh()?;
            let logits = self.classifier.forward(&pooled)?;
            candle_nn::ops::softmax_last_dim(&logits)?.to_vec2::<f32>()
        })()
        .map_err(|error| run(error.to_string()))?;
        Ok(probabilities
            .into_iter()
            .map(|probabilities| {
                let best = probabilities
                    .iter()
                    .enumerate()
                    .max_by(|a, b| a.1.total_cmp(b.1))
                    .map_or(0, |(index, _)| index);
                let label = self
                    .labels
                    .get(best)
                    .cloned()
                    .unwrap_or_else(|| format!("LABEL_{best}"));
                let stars = probabilities
                    .iter()
                    .enumerate()
                    .map(|(index, probability)| {
                        let label = self.labels.get(index).map_or("", String::as_str);
                        probability * stars_of(label, index)
                    })
                    .sum();
                Sentiment {
                    label,
                    stars,
                    probabilities,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{SENTIMENT_ID, verified_fixture};

    #[test]
    fn classifies_into_the_configs_star_labels_independently_of_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), SENTIMENT_ID, 7).unwrap();
        let classifier =
            SentimentClassifier::load(&ModelFiles::new(SENTIMENT_ID, &files), &Device::Cpu)
                .unwrap();
        assert_eq!(classifier.labels().len(), 5);
        assert_eq!(classifier.labels()[0], "1 star");
        let reviews = [
            "the mug is small",
            "a large red leather bag for women and men, with a steel bottle",
        ];
        let batched = classifier.classify(&reviews).unwrap();
        for (review, sentiment) in reviews.iter().zip(&batched) {
            assert_eq!(sentiment.probabilities.len(), 5);
            let total: f32 = sentiment.probabilities.iter().sum();
            assert!((total - 1.0).abs() < 1e-5);
            assert!((1.0..=5.0).contains(&sentiment.stars));
            assert!(classifier.labels().contains(&sentiment.label));
            let alone = classifier.classify(&[review]).unwrap();
            for (a, b) in alone[0].probabilities.iter().zip(&sentiment.probabilities) {
                assert!((a - b).abs() < 1e-5, "padding changed {review}");
            }
        }
        assert!(classifier.classify(&[]).unwrap().is_empty());
    }

    #[test]
    fn star_counts_come_from_the_label_text() {
        assert_eq!(stars_of("4 stars", 0), 4.0);
        assert_eq!(stars_of("positive", 2), 3.0);
    }
}
