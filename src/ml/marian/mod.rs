//! Marian (opus-mt) translation with a decoder built for throughput rather than
//! candle-transformers' `marian::MTModel`, which re-projects the encoder output at
//! every step, grows its caches by concatenation and has no padding mask. Here:
//! - segments are sorted by length and batched, padding masked in every attention;
//! - cross-attention keys/values are computed once per batch;
//! - the self-attention cache is preallocated and written in place;
//! - finished rows leave the batch, so a long straggler does not drag the others;
//! - matrices are f32 or q8_0 (quantized once, cached as GGUF beside the model).
//!
//! All state of a translation lives in the call, so one loaded model serves any
//! number of callers.

mod attention;
#[cfg(test)]
mod fidelity;
mod generate;
mod model;
mod quantized;

use std::path::Path;

use candle_core::Device;
use tokenizers::Tokenizer;

pub use model::MarianConfig;
use model::MarianNetwork;

use super::MlError;
use super::weights::{Activation, ModelFiles, Precision};

/// How a batch is decoded.
#[derive(Debug, Clone)]
pub struct DecodeOptions {
    /// Segments per batch; segments are sorted by length first.
    pub batch_size: usize,
    /// At most this many output tokens per segment; by default twice the segment's
    /// source tokens plus ten.
    pub max_new_tokens: Option<usize>,
    /// Keep decoding after the end-of-sentence token (benchmarks force a length).
    pub ignore_eos: bool,
}

impl Default for DecodeOptions {
    fn default() -> DecodeOptions {
        DecodeOptions {
            batch_size: 16,
            max_new_tokens: None,
            ignore_eos: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Translation {
    pub text: String,
    /// Tokens the decoder produced (for tokens/s).
    pub tokens: usize,
}

pub struct MarianTranslator {
    id: String,
    precision: Precision,
    network: MarianNetwork,
    source_tokenizer: Tokenizer,
    target_tokenizer: Tokenizer,
    /// The id of the token that leads every source of a multi-target pair.
    target_token: Option<u32>,
}

impl MarianTranslator {
    /// Loads from verified files: `config.json`, `model.safetensors`, and the source
    /// and target tokenizers (roles `source-tokenizer`, `target-tokenizer`). For q8_0,
    /// `quantized_cache` names where the quantized weights are kept between loads.
    pub fn load(
        files: &ModelFiles,
        device: &Device,
        precision: Precision,
        quantized_cache: Option<&Path>,
    ) -> Result<MarianTranslator, MlError> {
        let config: MarianConfig = files.json("config.json")?;
        let activation = Activation::parse(&config.activation_function).ok_or_else(|| {
            files.failed(
                Path::new("config.json"),
                format!(
                    "unsupported activation_function '{}'",
                    config.activation_function
                ),
            )
        })?;
        let source_tokenizer = Self::tokenizer(files, "source")?;
        let target_tokenizer = Self::tokenizer(files, "target")?;
        let name = Self::weights_name(files);
        let weights = quantized::weights(files, name, device, precision, quantized_cache)?;
        let weights_path = files.path(name)?;
        let network = MarianNetwork::build(&config, activation, &weights, device)
            .map_err(|error| files.failed(weights_path, error))?;
        Ok(MarianTranslator {
            id: files.id.to_string(),
            precision,
            network,
            source_tokenizer,
            target_tokenizer,
            target_token: None,
        })
    }

    /// Multi-target pairs (opus-mt en→zh writes Simplified or Traditional Chinese,
    /// Cantonese…) read the language to write from a sentence-initial token such as
    /// `>>cmn_Hans<<`, as their model card prescribes: it leads every source from now on.
    pub fn with_target_token(mut self, token: &str) -> Result<MarianTranslator, MlError> {
        let id = self.source_tokenizer.token_to_id(token).ok_or_else(|| MlError::Load {
            id: self.id.clone(),
            path: "vocab.json".into(),
            detail: format!(
                "the vocabulary has no {token}, the token the catalog says this model reads its target language from"
            ),
        })?;
        self.target_token = Some(id);
        Ok(self)
    }

    /// A side's tokenizer: converted from `<side>.spm` and `vocab.json` as opus-mt
    /// ships them, else a tokenizer.json (role `<side>-tokenizer`).
    fn tokenizer(files: &ModelFiles, side: &str) -> Result<Tokenizer, MlError> {
        let spm = format!("{side}.spm");
        if files.has(&spm) {
            let spm = files.path(&spm)?;
            return super::sentencepiece::marian_tokenizer(spm, files.path("vocab.json")?)
                .map_err(|error| files.failed(spm, error));
        }
        let role = format!("{side}-tokenizer");
        files.tokenizer(files.by_role(&role, &format!("{role}.json"))?)
    }

    /// model.safetensors where the catalog has it, else the PyTorch checkpoint.
    fn weights_name(files: &ModelFiles) -> &'static str {
        if files.has("pytorch_model.bin") && !files.has("model.safetensors") {
            "pytorch_model.bin"
        } else {
            "model.safetensors"
        }
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Token ids of `texts` as the encoder takes them: led by the target language's
    /// token where the pair needs one, ending with `</s>`, no longer than the model's
    /// positions.
    pub fn source_ids(&self, texts: &[&str]) -> Result<Vec<Vec<u32>>, MlError> {
        let eos = self.network.config.eos_token_id;
        let longest = self.network.config.max_position_embeddings;
        let encodings = self
            .source_tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|error| self.run_error(error))?;
        Ok(encodings
            .iter()
            .map(|encoding| {
                let mut ids: Vec<u32> = self
                    .target_token
                    .into_iter()
                    .chain(encoding.get_ids().iter().copied())
                    .collect();
                if ids.last() != Some(&eos) {
                    ids.push(eos);
                }
                if ids.len() > longest {
                    ids.truncate(longest - 1);
                    ids.push(eos);
                }
                ids
            })
            .collect())
    }

    /// Translates every text, batching texts of similar length; results in input order.
    pub fn translate(
        &self,
        texts: &[&str],
        options: &DecodeOptions,
    ) -> Result<Vec<Translation>, MlError> {
        let sources = self.source_ids(texts)?;
        let mut order: Vec<usize> = (0..sources.len()).collect();
        order.sort_by_key(|&index| sources[index].len());
        let mut results = vec![None; sources.len()];
        for chunk in order.chunks(options.batch_size.max(1)) {
            let rows: Vec<Vec<u32>> = chunk.iter().map(|&index| sources[index].clone()).collect();
            let outputs = self
                .generate(&rows, options)
                .map_err(|error| self.run_error(error))?;
            for (&index, tokens) in chunk.iter().zip(outputs) {
                let text = self
                    .target_tokenizer
                    .decode(&tokens, true)
                    .map_err(|error| self.run_error(error))?;
                results[index] = Some(Translation {
                    text,
                    tokens: tokens.len(),
                });
            }
        }
        Ok(results.into_iter().flatten().collect())
    }

    fn run_error(&self, detail: impl ToString) -> MlError {
        MlError::Run {
            id: self.id.clone(),
            detail: detail.to_string(),
        }
    }

    /// Greedy decoding of one batch of source rows; the output tokens of each row,
    /// without the start and end tokens.
    pub fn generate(
        &self,
        rows: &[Vec<u32>],
        options: &DecodeOptions,
    ) -> candle_core::Result<Vec<Vec<u32>>> {
        generate::generate(&self.network, rows, options)
    }
}

#[cfg(test)]
mod tests {
    use candle_core::DType;

    use super::quantized::cached_source_sha;
    use super::*;
    use crate::ml::fixtures::{MARIAN_EN_DE_ID, MARIAN_EN_FR_ID, verified_fixture};
    use crate::ml::marian_baseline::StockMarian;
    use crate::ml::store::VerifiedFile;

    const TEXTS: &[&str] = &[
        "red mug",
        "a large black canvas tote bag with a steel bottle for men and women",
        "the small white ceramic lamp",
        "blue wool",
    ];

    fn fixture(dir: &Path) -> Vec<VerifiedFile> {
        verified_fixture(dir, MARIAN_EN_DE_ID, 7).unwrap()
    }

    fn load(
        files: &[VerifiedFile],
        precision: Precision,
        cache: Option<&Path>,
    ) -> MarianTranslator {
        MarianTranslator::load(
            &ModelFiles::new(MARIAN_EN_DE_ID, files),
            &Device::Cpu,
            precision,
            cache,
        )
        .unwrap()
    }

    fn fixed_length(batch_size: usize) -> DecodeOptions {
        DecodeOptions {
            batch_size,
            max_new_tokens: Some(12),
            ignore_eos: true,
        }
    }

    #[test]
    fn a_multi_target_pair_leads_every_source_with_its_language_token() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), MARIAN_EN_FR_ID, 7).unwrap();
        // The fixture's vocabulary gains the token, as opus-mt en→zh's vocab.json has it.
        let vocab_path = &files
            .iter()
            .find(|file| file.name == "vocab.json")
            .unwrap()
            .path;
        let mut vocab: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(vocab_path).unwrap()).unwrap();
        let token_id = vocab.len() as u64;
        vocab.insert(">>cmn_Hans<<".into(), token_id.into());
        std::fs::write(vocab_path, serde_json::to_string(&vocab).unwrap()).unwrap();
        let model_files = ModelFiles::new(MARIAN_EN_FR_ID, &files);
        let plain =
            MarianTranslator::load(&model_files, &Device::Cpu, Precision::F32, None).unwrap();
        let led = MarianTranslator::load(&model_files, &Device::Cpu, Precision::F32, None)
            .unwrap()
            .with_target_token(">>cmn_Hans<<")
            .unwrap();
        let (plain_ids, led_ids) = (
            plain.source_ids(TEXTS).unwrap(),
            led.source_ids(TEXTS).unwrap(),
        );
        for (plain, led) in plain_ids.iter().zip(&led_ids) {
            // As transformers' MarianTokenizer builds it: the token, the text, </s>.
            assert_eq!(led[0], token_id as u32);
            assert_eq!(&led[1..], plain.as_slice());
        }
        let missing = MarianTranslator::load(&model_files, &Device::Cpu, Precision::F32, None)
            .unwrap()
            .with_target_token(">>yue_Hant<<")
            .err()
            .unwrap()
            .to_string();
        assert!(
            missing.contains("the vocabulary has no >>yue_Hant<<"),
            "{missing}"
        );
    }

    #[test]
    fn agrees_token_for_token_with_candles_stock_marian() {
        let dir = tempfile::tempdir().unwrap();
        let files = fixture(dir.path());
        let translator = load(&files, Precision::F32, None);
        let model_files = ModelFiles::new(MARIAN_EN_DE_ID, &files);
        let config: MarianConfig = model_files.json("config.json").unwrap();
        let weights = model_files
            .tensors("model.safetensors", &Device::Cpu)
            .unwrap();
        let mut stock = StockMarian::new(
            &config,
            candle_nn::VarBuilder::from_tensors(weights, DType::F32, &Device::Cpu),
        )
        .unwrap();

        let sources = translator.source_ids(TEXTS).unwrap();
        let ours = translator.generate(&sources, &fixed_length(4)).unwrap();
        for (source, tokens) in sources.iter().zip(&ours) {
            assert_eq!(source.last(), Some(&0), "the source ends with </s>");
            assert_eq!(tokens.len(), 12);
            assert_eq!(
                *tokens,
                stock
                    .greedy(std::slice::from_ref(source), 12, true)
                    .unwrap()[0]
            );
        }
    }

    #[test]
    fn a_segment_translates_the_same_alone_and_in_a_padded_batch_and_on_every_load() {
        let dir = tempfile::tempdir().unwrap();
        let files = fixture(dir.path());
        let translator = load(&files, Precision::F32, None);
        let batched = translator
            .translate(TEXTS, &DecodeOptions::default())
            .unwrap();
        assert_eq!(batched.len(), TEXTS.len());
        for (text, translation) in TEXTS.iter().zip(&batched) {
            let alone = translator
                .translate(&[text], &DecodeOptions::default())
                .unwrap();
            assert_eq!(alone[0], *translation, "{text}");
            assert!(translation.tokens <= 2 * 64 + 10);
        }
        let again = load(&files, Precision::F32, None)
            .translate(
                TEXTS,
                &DecodeOptions {
                    batch_size: 3,
                    ..DecodeOptions::default()
                },
            )
            .unwrap();
        assert_eq!(again, batched);
        assert!(
            translator
                .translate(&[], &DecodeOptions::default())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn q8_0_weights_are_quantized_once_cached_and_rebuilt_when_the_model_changes() {
        let dir = tempfile::tempdir().unwrap();
        let files = fixture(dir.path());
        let cache = dir.path().join("q8_0.gguf");
        let first = load(&files, Precision::Q8_0, Some(&cache));
        assert_eq!(first.precision(), Precision::Q8_0);
        let written = std::fs::metadata(&cache).unwrap().modified().unwrap();
        let outputs = first.translate(TEXTS, &fixed_length(4)).unwrap();

        let second = load(&files, Precision::Q8_0, Some(&cache));
        assert_eq!(
            std::fs::metadata(&cache).unwrap().modified().unwrap(),
            written
        );
        assert_eq!(second.translate(TEXTS, &fixed_length(4)).unwrap(), outputs);

        // Where the int8 kernel runs, its packed matrices are kept beside the q8_0
        // cache and mapped by the next load; a damaged one is made again.
        let int8_cache = cache.with_extension("int8");
        if crate::ml::int8::available() {
            let packed = std::fs::read(&int8_cache).expect("the int8 cache is written");
            std::fs::write(&int8_cache, &packed[..packed.len() / 2]).unwrap();
            let mended = load(&files, Precision::Q8_0, Some(&cache));
            assert_eq!(std::fs::read(&int8_cache).unwrap(), packed);
            assert_eq!(mended.translate(TEXTS, &fixed_length(4)).unwrap(), outputs);
            // A cache that cannot be written (here a folder stands in its place)
            // costs time, not the load: the copies are packed at the first product.
            std::fs::remove_file(&int8_cache).unwrap();
            std::fs::create_dir(&int8_cache).unwrap();
            let unwritable = load(&files, Precision::Q8_0, Some(&cache));
            assert_eq!(
                unwritable.translate(TEXTS, &fixed_length(4)).unwrap(),
                outputs
            );
            std::fs::remove_dir(&int8_cache).unwrap();
        } else {
            assert!(!int8_cache.exists());
        }

        // Another model's cache (its source checksum differs) is not used.
        let mut changed = files.clone();
        for file in &mut changed {
            if file.name == "model.safetensors" {
                file.sha256 = "0".repeat(64);
            }
        }
        load(&changed, Precision::Q8_0, Some(&cache));
        assert_eq!(cached_source_sha(&cache).unwrap(), "0".repeat(64));
        if crate::ml::int8::available() {
            assert!(crate::ml::int8_cache::read(&int8_cache, &"0".repeat(64)).is_some());
        }

        // Quantized matmuls stay close to f32: most greedy tokens agree.
        let f32_outputs = load(&files, Precision::F32, None)
            .translate(TEXTS, &fixed_length(4))
            .unwrap();
        let same = outputs
            .iter()
            .zip(&f32_outputs)
            .filter(|(q8, f32)| q8.text == f32.text)
            .count();
        assert!(same * 2 >= TEXTS.len(), "{outputs:?} vs {f32_outputs:?}");
    }

    #[test]
    fn sentencepiece_files_tokenize_as_the_converted_tokenizers_do() {
        let dir = tempfile::tempdir().unwrap();
        let converted = fixture(dir.path());
        let shipped = verified_fixture(dir.path(), MARIAN_EN_FR_ID, 7).unwrap();
        assert!(shipped.iter().any(|file| file.name == "source.spm"));
        let from_spm = MarianTranslator::load(
            &ModelFiles::new(MARIAN_EN_FR_ID, &shipped),
            &Device::Cpu,
            Precision::F32,
            None,
        )
        .unwrap();
        let texts = ["red leather handbag, for women!", "the small mug"];
        let expected = load(&converted, Precision::F32, None)
            .source_ids(&texts)
            .unwrap();
        assert_eq!(from_spm.source_ids(&texts).unwrap(), expected);
        // SentencePiece folds runs of spaces, as the real models were trained.
        assert_eq!(
            from_spm.source_ids(&["the   small  mug"]).unwrap()[0],
            expected[1]
        );
        let translated = from_spm.translate(&texts, &fixed_length(2)).unwrap();
        assert!(
            translated
                .iter()
                .all(|translation| translation.tokens == 12)
        );
    }

    #[test]
    fn a_missing_tensor_is_a_load_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = fixture(dir.path());
        let config = files
            .iter()
            .find(|file| file.name == "config.json")
            .unwrap()
            .path
            .clone();
        let text = std::fs::read_to_string(&config)
            .unwrap()
            .replace("\"decoder_layers\":2", "\"decoder_layers\":3");
        std::fs::write(&config, text).unwrap();
        files.retain(|file| file.name != "nothing");
        let Err(error) = MarianTranslator::load(
            &ModelFiles::new(MARIAN_EN_DE_ID, &files),
            &Device::Cpu,
            Precision::F32,
            None,
        ) else {
            panic!("a model with a missing layer loaded");
        };
        let message = error.to_string();
        assert!(message.contains("model.safetensors"), "{message}");
        assert!(message.contains("model.decoder.layers.2"), "{message}");
    }
}
