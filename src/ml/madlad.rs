//! MADLAD-400 translation (quantized T5 through candle-transformers' `quantized_t5`):
//! one model for any pair, slower than Marian. The target language is a leading
//! `<2xx>` token; one segment at a time, since the stock encoder has no padding mask.

use std::sync::Mutex;

use candle_core::{D, Device, Tensor};
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

    /// Translates each text into `target` (a language code the model knows).
    pub fn translate(
        &self,
        texts: &[&str],
        target: &str,
        max_new_tokens: usize,
    ) -> Result<Vec<Translation>, MlError> {
        let language = self
            .tokenizer
            .token_to_id(&format!("<2{target}>"))
            .ok_or_else(|| self.run_error(format!("the model has no language '{target}'")))?;
        let mut model = self
            .model
            .lock()
            .map_err(|_| self.run_error("an earlier translation failed midway"))?;
        texts
            .iter()
            .map(|text| {
                let encoding = self
                    .tokenizer
                    .encode(*text, true)
                    .map_err(|error| self.run_error(error))?;
                let mut source = vec![language];
                source.extend_from_slice(encoding.get_ids());
                let tokens = self
                    .generate(&mut model, &source, max_new_tokens)
                    .map_err(|error| self.run_error(error))?;
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

    fn generate(
        &self,
        model: &mut T5ForConditionalGeneration,
        source: &[u32],
        max_new_tokens: usize,
    ) -> candle_core::Result<Vec<u32>> {
        model.clear_kv_cache();
        let input = Tensor::new(source, &self.device)?.unsqueeze(0)?;
        let encoded = model.encode(&input)?;
        let start = self
            .config
            .decoder_start_token_id
            .unwrap_or(self.config.pad_token_id) as u32;
        let eos = self.config.eos_token_id as u32;
        let mut tokens = Vec::new();
        let mut last = start;
        for step in 0..max_new_tokens {
            let input = if step == 0 || !self.config.use_cache {
                let mut all = vec![start];
                all.extend(&tokens);
                all
            } else {
                vec![last]
            };
            let input = Tensor::new(input.as_slice(), &self.device)?.unsqueeze(0)?;
            let logits = model.decode(&input, &encoded)?.squeeze(0)?;
            last = logits.argmax(D::Minus1)?.to_scalar::<u32>()?;
            if last == eos {
                break;
            }
            tokens.push(last);
        }
        model.clear_kv_cache();
        Ok(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{MADLAD_ID, verified_fixture};

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
}
