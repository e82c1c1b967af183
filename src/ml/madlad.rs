//! MADLAD-400 translation (quantized T5 through candle-transformers' `quantized_t5`):
//! one model for any pair, slower than Marian. The target language is a leading
//! `<2xx>` token. Segments of equal length are batched: the stock encoder has no
//! padding mask, so rows of different lengths are never padded together.

use std::sync::Mutex;

use candle_core::{Device, Tensor};
use candle_transformers::models::quantized_t5::{Config, T5ForConditionalGeneration, VarBuilder};
use tokenizers::Tokenizer;

use super::MlError;
use super::marian::Translation;
use super::weights::ModelFiles;

pub struct MadladTranslator {
    id: String,
    model: Mutex<T5ForConditionalGeneration>,
    config: Config,
    tokenizer: Tokenizer,
    device: Device,
}

impl MadladTranslator {
    /// Loads from verified files: one `.gguf`, `config.json`, `tokenizer.json`.
    pub fn load(files: &ModelFiles, device: &Device) -> Result<MadladTranslator, MlError> {
        let config: Config = files.json("config.json")?;
        let tokenizer = files.tokenizer(files.path("tokenizer.json")?)?;
        let weights_path = files.ending_with(".gguf")?;
        let weights = VarBuilder::from_gguf(weights_path, device)
            .map_err(|error| files.failed(weights_path, error))?;
        let model = T5ForConditionalGeneration::load(weights, &config)
            .map_err(|error| files.failed(weights_path, error))?;
        Ok(MadladTranslator {
            id: files.id.to_string(),
            model: Mutex::new(model),
            config,
            tokenizer,
            device: device.clone(),
        })
    }

    fn run_error(&self, detail: impl ToString) -> MlError {
        MlError::Run {
            id: self.id.clone(),
            detail: detail.to_string(),
        }
    }

    /// Whether the model has a `<2xx>` token for the language `code`.
    pub fn knows(&self, code: &str) -> bool {
        self.tokenizer.token_to_id(&format!("<2{code}>")).is_some()
    }

    /// Translates each text into `target` (a language code the model knows). Texts
    /// of the same length in tokens are decoded together: the stock encoder has no
    /// padding mask, and without padding a batch gives each row what it would alone.
    pub fn translate(
        &self,
        texts: &[&str],
        target: &str,
        max_new_tokens: usize,
    ) -> Result<Vec<Translation>, MlError> {
        let sources = self.source_ids(texts, target)?;
        let mut model = self
            .model
            .lock()
            .map_err(|_| self.run_error("an earlier translation failed midway"))?;
        let mut order: Vec<usize> = (0..sources.len()).collect();
        order.sort_by_key(|&index| sources[index].len());
        let mut outputs: Vec<Vec<u32>> = vec![Vec::new(); sources.len()];
        for same_length in order.chunk_by(|a, b| sources[*a].len() == sources[*b].len()) {
            for batch in same_length.chunks(MAX_BATCH) {
                let rows: Vec<&[u32]> = batch
                    .iter()
                    .map(|&index| sources[index].as_slice())
                    .collect();
                let generated = self
                    .generate(&mut model, &rows, max_new_tokens)
                    .map_err(|error| self.run_error(error))?;
                for (&index, tokens) in batch.iter().zip(generated) {
                    outputs[index] = tokens;
                }
            }
        }
        outputs
            .into_iter()
            .map(|tokens| {
                let text = self
                    .tokenizer
                    .decode(&tokens, true)
                    .map_err(|error| self.run_error(error))?;
                Ok(Translation {
                    text,
                    tokens: tokens.len(),
                })
            })
            .collect()
    }

    /// Each text's ids as MADLAD-400's model card builds them: the target language's
    /// `<2xx>` token, the text's pieces, `</s>`.
    pub fn source_ids(&self, texts: &[&str], target: &str) -> Result<Vec<Vec<u32>>, MlError> {
        let language = self
            .tokenizer
            .token_to_id(&format!("<2{target}>"))
            .ok_or_else(|| self.run_error(format!("the model has no language '{target}'")))?;
        texts
            .iter()
            .map(|text| {
                let encoding = self
                    .tokenizer
                    .encode(*text, true)
                    .map_err(|error| self.run_error(error))?;
                let mut source = vec![language];
                source.extend_from_slice(encoding.get_ids());
                Ok(source)
            })
            .collect()
    }

    /// Greedy decoding of rows of the same length, each until its end token.
    fn generate(
        &self,
        model: &mut T5ForConditionalGeneration,
        sources: &[&[u32]],
        max_new_tokens: usize,
    ) -> candle_core::Result<Vec<Vec<u32>>> {
        model.clear_kv_cache();
        let input = Tensor::new(sources.concat().as_slice(), &self.device)?
            .reshape((sources.len(), sources.first().map_or(0, |row| row.len())))?;
        let encoded = model.encode(&input)?;
        let start = self
            .config
            .decoder_start_token_id
            .unwrap_or(self.config.pad_token_id) as u32;
        let eos = self.config.eos_token_id as u32;
        // Every token each row was fed; a finished row keeps decoding (its output
        // ignored) so that the batch stays rectangular.
        let mut history: Vec<Vec<u32>> = vec![Vec::new(); sources.len()];
        let mut finished = vec![false; sources.len()];
        for step in 0..max_new_tokens {
            let input = if step == 0 || !self.config.use_cache {
                let rows: Vec<u32> = history
                    .iter()
                    .flat_map(|row| std::iter::once(start).chain(row.iter().copied()))
                    .collect();
                Tensor::new(rows.as_slice(), &self.device)?.reshape((sources.len(), step + 1))?
            } else {
                let last: Vec<u32> = history.iter().map(|row| row[row.len() - 1]).collect();
                Tensor::new(last.as_slice(), &self.device)?.reshape((sources.len(), 1))?
            };
            let logits = model.decode(&input, &encoded)?;
            let next = crate::ml::greedy::greedy_tokens(&logits)?;
            for (row, &token) in next.iter().enumerate() {
                history[row].push(token);
                finished[row] |= token == eos;
            }
            if finished.iter().all(|done| *done) {
                break;
            }
        }
        model.clear_kv_cache();
        Ok(history
            .into_iter()
            .map(|row| row.into_iter().take_while(|token| *token != eos).collect())
            .collect())
    }
}

/// Rows decoded together at most.
const MAX_BATCH: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{MADLAD_ID, verified_fixture};

    #[test]
    fn a_source_is_the_language_token_the_pieces_and_the_end_token() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), MADLAD_ID, 7).unwrap();
        let translator =
            MadladTranslator::load(&ModelFiles::new(MADLAD_ID, &files), &Device::Cpu).unwrap();
        let id = |token: &str| translator.tokenizer.token_to_id(token).unwrap();
        let sources = translator
            .source_ids(&["red mug", "steel knife set"], "fr")
            .unwrap();
        assert_eq!(
            sources,
            [
                vec![
                    id("<2fr>"),
                    id("\u{2581}red"),
                    id("\u{2581}mug"),
                    id("</s>")
                ],
                vec![
                    id("<2fr>"),
                    id("\u{2581}steel"),
                    id("\u{2581}knife"),
                    id("\u{2581}set"),
                    id("</s>")
                ],
            ]
        );
        assert_eq!(id("</s>"), translator.config.eos_token_id as u32);
    }

    #[test]
    fn logits_match_transformers_on_the_same_weights() {
        use crate::ml::fixtures::reference::{assert_close, floats, ids, record};
        use candle_core::quantized::{GgmlDType, gguf_file};
        let dir = tempfile::tempdir().unwrap();
        let mut files = verified_fixture(dir.path(), MADLAD_ID, 7).unwrap();
        let quantized = ModelFiles::new(MADLAD_ID, &files)
            .ending_with(".gguf")
            .unwrap()
            .to_path_buf();
        let reference = record("t5", &quantized);
        // The reference ran in float32 on the Q4_K weights dequantized; so does this,
        // to compare the network rather than the rounding of its activations.
        let mut reader = std::fs::File::open(&quantized).unwrap();
        let content = gguf_file::Content::read(&mut reader).unwrap();
        let tensors = content
            .tensor_infos
            .keys()
            .map(|name| {
                let tensor = content.tensor(&mut reader, name, &Device::Cpu).unwrap();
                (name.clone(), tensor.dequantize(&Device::Cpu).unwrap())
            })
            .collect();
        let dequantized = dir.path().join("model-f32.gguf");
        crate::ml::weights::write_gguf(&dequantized, &tensors, GgmlDType::F32, |_| false, &[])
            .unwrap();
        for file in &mut files {
            if file.name.ends_with(".gguf") {
                file.path = dequantized.clone();
            }
        }
        let translator =
            MadladTranslator::load(&ModelFiles::new(MADLAD_ID, &files), &Device::Cpu).unwrap();
        let mut model = translator.model.lock().unwrap();
        let source = Tensor::new(ids(&reference["source"]), &Device::Cpu)
            .unwrap()
            .unsqueeze(0)
            .unwrap();
        let path = ids(&reference["decoder_path"]);
        for (length, theirs) in (1..=path.len()).zip(reference["logits"].as_array().unwrap()) {
            model.clear_kv_cache();
            let encoded = model.encode(&source).unwrap();
            let prefix = Tensor::new(&path[..length], &Device::Cpu)
                .unwrap()
                .unsqueeze(0)
                .unwrap();
            let ours = model
                .decode(&prefix, &encoded)
                .unwrap()
                .flatten_all()
                .unwrap()
                .to_vec1::<f32>()
                .unwrap();
            assert_close(&ours, &floats(theirs), &format!("step {length}"));
        }
    }

    #[test]
    fn translates_into_a_known_language_deterministically_and_refuses_an_unknown_one() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), MADLAD_ID, 7).unwrap();
        let load =
            || MadladTranslator::load(&ModelFiles::new(MADLAD_ID, &files), &Device::Cpu).unwrap();
        let translator = load();
        assert!(translator.knows("de") && !translator.knows("xx"));
        let texts = ["red leather handbag", "small mug"];
        let german = translator.translate(&texts, "de", 8).unwrap();
        assert_eq!(german.len(), 2);
        assert!(german.iter().all(|translation| translation.tokens <= 8));
        assert_eq!(load().translate(&texts, "de", 8).unwrap(), german);
        // The language token steers the decoder: another target, another output.
        let french = translator.translate(&texts, "fr", 8).unwrap();
        assert_ne!(french, german);
        let error = translator
            .translate(&texts, "xx", 8)
            .unwrap_err()
            .to_string();
        assert!(error.contains("no language 'xx'"), "{error}");
    }

    #[test]
    fn rows_of_equal_length_decoded_together_come_out_as_they_would_alone() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), MADLAD_ID, 7).unwrap();
        let translator =
            MadladTranslator::load(&ModelFiles::new(MADLAD_ID, &files), &Device::Cpu).unwrap();
        let texts = [
            "red mug",
            "tan mug",
            "small blue tote bag",
            "red mug",
            "a big jar",
        ];
        let length = |text: &str| translator.tokenizer.encode(text, true).unwrap().len();
        assert!(
            texts[1..]
                .iter()
                .any(|text| length(text) == length(texts[0])),
            "the test needs two texts of one length"
        );
        let together = translator.translate(&texts, "de", 12).unwrap();
        for (text, batched) in texts.iter().zip(&together) {
            let alone = translator.translate(&[text], "de", 12).unwrap().remove(0);
            assert_eq!(&alone, batched, "{text}");
        }
    }
}
