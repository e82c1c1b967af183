//! A loaded model of any architecture: loading it from its verified files on a
//! device (`LoadedModel::load`, or [`load`] through the in-memory cache) and running
//! it on a [`ModelInput`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::MlError;
use super::caption::Captioner;
use super::catalog::{Architecture, Catalog, ModelEntry, Task};
use super::clip::ZeroShotTagger;
use super::device::SelectedDevice;
use super::embed::SentenceEmbedder;
use super::generate::{GenerateOptions, Generator};
use super::loaded::{LoadReport, LoadedModels, ModelKey};
use super::madlad::MadladTranslator;
use super::marian::MarianTranslator;
use super::sentiment::SentimentClassifier;
use super::store::ModelStore;
use super::weights::{ModelFiles, Precision};
use crate::files::FileError;

/// A loaded model of any kind.
#[allow(clippy::large_enum_variant)] // only ever held behind an `Arc`, never moved around
pub enum LoadedModel {
    Embedder(SentenceEmbedder),
    Marian(MarianTranslator),
    Madlad(MadladTranslator),
    Tagger(ZeroShotTagger),
    Captioner(Captioner),
    Sentiment(SentimentClassifier),
    Generator(Generator),
}

impl LoadedModel {
    /// Loads `model` from its verified `files` on `device`. A Marian translator at
    /// `precision` keeps its quantized matrices in `derived` for the next load.
    pub fn load(
        model: &ModelEntry,
        files: &ModelFiles,
        device: &candle_core::Device,
        precision: Precision,
        derived: &Path,
    ) -> Result<LoadedModel, MlError> {
        Ok(match (model.architecture, &model.task) {
            (Architecture::Bert, Task::Sentiment) => {
                LoadedModel::Sentiment(SentimentClassifier::load(files, device)?)
            }
            (Architecture::Bert, _) => {
                LoadedModel::Embedder(SentenceEmbedder::load(files, device)?)
            }
            (Architecture::Marian, _) => {
                std::fs::create_dir_all(derived).map_err(|source| FileError::Write {
                    path: derived.to_path_buf(),
                    source,
                })?;
                let cache = derived.join(format!("{}.gguf", precision.name()));
                let translator = MarianTranslator::load(files, device, precision, Some(&cache))?;
                LoadedModel::Marian(match &model.target_token {
                    Some(token) => translator.with_target_token(token)?,
                    None => translator,
                })
            }
            (Architecture::QuantizedT5, _) => {
                LoadedModel::Madlad(MadladTranslator::load(files, device)?)
            }
            (Architecture::Clip, _) => LoadedModel::Tagger(ZeroShotTagger::load(files, device)?),
            (Architecture::QuantizedBlip, _) => {
                LoadedModel::Captioner(Captioner::load(files, device)?)
            }
            (architecture @ (Architecture::QuantizedQwen2 | Architecture::QuantizedLlama), _) => {
                LoadedModel::Generator(Generator::load(files, architecture, device)?)
            }
        })
    }
}

/// The precision a model is loaded at: the asked one for Marian translators (the only
/// architecture that offers a choice), the catalog's quantization for the rest.
fn precision_of(model: &ModelEntry, marian: Precision) -> (Precision, String) {
    match model.architecture {
        Architecture::Marian => (marian, marian.name().to_string()),
        _ => (Precision::F32, model.quantization.clone()),
    }
}

/// Model `model` ready to run on `device`: from memory if it is loaded there at that
/// precision, else verified (size and sha256) and loaded within the memory budget.
pub fn load(
    loaded: &LoadedModels,
    store: &ModelStore,
    catalog: &Catalog,
    model: &ModelEntry,
    device: &SelectedDevice,
    marian_precision: Precision,
) -> Result<(Arc<LoadedModel>, LoadReport), MlError> {
    let (precision, precision_name) = precision_of(model, marian_precision);
    let key = ModelKey {
        id: model.id.clone(),
        device: device.name.to_string(),
        precision: precision_name,
    };
    let files = store.verify(catalog, model)?;
    let weight_bytes = files.iter().map(|file| file.size).sum();
    let derived: PathBuf = store.derived_dir(&model.id);
    loaded.get_or_load(key, weight_bytes, || {
        LoadedModel::load(
            model,
            &ModelFiles::new(&model.id, &files),
            &device.device,
            precision,
            &derived,
        )
    })
}

/// What to run a model on (which fields matter depends on the model's task).
#[derive(Debug, Clone, Default)]
pub struct ModelInput {
    /// Texts to translate, rate or compare (the first against the others); candidate
    /// labels for a photo; the prompt for a generator.
    pub texts: Vec<String>,
    pub image: Option<std::path::PathBuf>,
    /// The target language for a many-language translator.
    pub target_language: Option<String>,
    pub max_tokens: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "results", rename_all = "snake_case")]
pub enum ModelOutput {
    Translations(Vec<super::marian::Translation>),
    /// Cosine similarity of the first text to each of the others.
    Similarities(Vec<f32>),
    Sentiments(Vec<super::sentiment::Sentiment>),
    /// Each label with its probability, most likely first.
    Tags(Vec<(String, f32)>),
    Caption(String),
    Generation(super::generate::Generation),
}

fn open_image(input: &ModelInput) -> Result<image::DynamicImage, MlError> {
    let path = input.image.as_deref().ok_or(MlError::NeedsPhoto)?;
    let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
    image::load_from_memory(&bytes).map_err(|error| {
        MlError::Input(FileError::Unreadable {
            path: path.to_path_buf(),
            detail: format!("not a photo Tradewind can read ({error})"),
        })
    })
}

impl LoadedModel {
    pub fn run(&self, input: &ModelInput) -> Result<ModelOutput, MlError> {
        let texts: Vec<&str> = input.texts.iter().map(String::as_str).collect();
        match self {
            LoadedModel::Marian(translator) => {
                let options = super::marian::DecodeOptions {
                    max_new_tokens: Some(input.max_tokens),
                    ..super::marian::DecodeOptions::default()
                };
                Ok(ModelOutput::Translations(
                    translator.translate(&texts, &options)?,
                ))
            }
            LoadedModel::Madlad(translator) => {
                let target = input
                    .target_language
                    .as_deref()
                    .ok_or(MlError::NeedsTargetLanguage)?;
                Ok(ModelOutput::Translations(translator.translate(
                    &texts,
                    target,
                    input.max_tokens,
                )?))
            }
            LoadedModel::Embedder(embedder) => {
                let vectors = embedder.embed(&texts)?;
                let similarities = match vectors.split_first() {
                    Some((first, others)) => others
                        .iter()
                        .map(|other| super::embed::cosine(first, other))
                        .collect(),
                    None => Vec::new(),
                };
                Ok(ModelOutput::Similarities(similarities))
            }
            LoadedModel::Sentiment(classifier) => {
                Ok(ModelOutput::Sentiments(classifier.classify(&texts)?))
            }
            LoadedModel::Tagger(tagger) => {
                let image = open_image(input)?;
                let scores = tagger.tag(std::slice::from_ref(&image), &texts)?;
                let mut tags: Vec<(String, f32)> = input
                    .texts
                    .iter()
                    .cloned()
                    .zip(scores.into_iter().flatten())
                    .collect();
                tags.sort_by(|a, b| b.1.total_cmp(&a.1));
                Ok(ModelOutput::Tags(tags))
            }
            LoadedModel::Captioner(captioner) => Ok(ModelOutput::Caption(
                captioner.caption(&open_image(input)?, input.max_tokens)?,
            )),
            LoadedModel::Generator(generator) => Ok(ModelOutput::Generation(generator.generate(
                "You are a helpful assistant for an online shop.",
                &input.texts.join("\n"),
                GenerateOptions::greedy(input.max_tokens),
            )?)),
        }
    }
}
