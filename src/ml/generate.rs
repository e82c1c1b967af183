//! Text generation with a small instruction model in GGUF (Qwen2.5 Instruct through
//! candle-transformers' `quantized_qwen2`): rewriting listings, drafting replies.
//! Greedy by default so the same prompt gives the same text.

use std::sync::Mutex;

use candle_core::quantized::gguf_file;
use candle_core::{Device, Tensor};
use candle_transformers::generation::{LogitsProcessor, Sampling};
use candle_transformers::models::quantized_qwen2::ModelWeights;
use serde::Serialize;
use tokenizers::Tokenizer;

use super::MlError;
use super::weights::ModelFiles;

const END_OF_TURN: &str = "<|im_end|>";
const END_OF_TEXT: &str = "<|endoftext|>";

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Generation {
    pub text: String,
    pub tokens: usize,
}

pub struct Generator {
    id: String,
    model: Mutex<ModelWeights>,
    tokenizer: Tokenizer,
    stops: Vec<u32>,
    device: Device,
}

/// Qwen's chat layout (ChatML).
fn chat_prompt(system: &str, user: &str) -> String {
    format!(
        "<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"
    )
}

impl Generator {
    /// Loads from verified files: one `.gguf` and `tokenizer.json`.
    pub fn load(files: &ModelFiles, device: &Device) -> Result<Generator, MlError> {
        let tokenizer = files.tokenizer(files.path("tokenizer.json")?)?;
        let stops: Vec<u32> = [END_OF_TURN, END_OF_TEXT]
            .iter()
            .filter_map(|token| tokenizer.token_to_id(token))
            .collect();
        let weights_path = files.ending_with(".gguf")?;
        let model = (|| -> candle_core::Result<ModelWeights> {
            let mut file = std::io::BufReader::new(std::fs::File::open(weights_path)?);
            let content = gguf_file::Content::read(&mut file)?;
            ModelWeights::from_gguf(content, &mut file, device)
        })()
        .map_err(|error| files.failed(weights_path, error))?;
        Ok(Generator {
            id: files.id.to_string(),
            model: Mutex::new(model),
            tokenizer,
            stops,
            device: device.clone(),
        })
    }

    fn run_error(&self, detail: impl ToString) -> MlError {
        MlError::Run {
            id: self.id.clone(),
            detail: detail.to_string(),
        }
    }

    /// The assistant's answer to `user` under `system`, at most `max_tokens` long;
    /// `temperature` with a `seed` samples, `None` is greedy.
    pub fn generate(
        &self,
        system: &str,
        user: &str,
        max_tokens: usize,
        temperature: Option<(f64, u64)>,
    ) -> Result<Generation, MlError> {
        let prompt = self
            .tokenizer
            .encode(chat_prompt(system, user), false)
            .map_err(|error| self.run_error(error))?;
        let mut model = self
            .model
            .lock()
            .map_err(|_| self.run_error("an earlier generation failed midway"))?;
        let (sampling, seed) = match temperature {
            Some((temperature, seed)) => (Sampling::All { temperature }, seed),
            None => (Sampling::ArgMax, 0),
        };
        let mut sampler = LogitsProcessor::from_sampling(seed, sampling);
        let tokens = (|| -> candle_core::Result<Vec<u32>> {
            let mut input = prompt.get_ids().to_vec();
            let mut position = 0;
            let mut output = Vec::new();
            for _ in 0..max_tokens {
                let ids = Tensor::new(input.as_slice(), &self.device)?.unsqueeze(0)?;
                let logits = model.forward(&ids, position)?.squeeze(0)?;
                position += input.len();
                let token = sampler.sample(&logits)?;
                if self.stops.contains(&token) {
                    break;
                }
                output.push(token);
                input = vec![token];
            }
            Ok(output)
        })();
        model.clear_kv_cache();
        let tokens = tokens.map_err(|error| self.run_error(error))?;
        let text = self
            .tokenizer
            .decode(&tokens, true)
            .map_err(|error| self.run_error(error))?;
        Ok(Generation {
            text,
            tokens: tokens.len(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{QWEN2_ID, verified_fixture};

    #[test]
    fn greedy_generation_is_bounded_and_repeatable_and_sampling_follows_its_seed() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), QWEN2_ID, 7).unwrap();
        let generator = Generator::load(&ModelFiles::new(QWEN2_ID, &files), &Device::Cpu).unwrap();
        let system = "You rewrite product titles.";
        let user = "red leather handbag for women";
        let greedy = generator.generate(system, user, 10, None).unwrap();
        assert!(greedy.tokens <= 10);
        assert_eq!(generator.generate(system, user, 10, None).unwrap(), greedy);
        let sampled = generator
            .generate(system, user, 10, Some((1.0, 3)))
            .unwrap();
        assert_eq!(
            generator
                .generate(system, user, 10, Some((1.0, 3)))
                .unwrap(),
            sampled
        );
    }
}
