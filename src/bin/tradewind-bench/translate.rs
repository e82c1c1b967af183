//! `tradewind-bench translate`: tokens/s and peak memory of Marian decoding at
//! opus-mt shape (d_model 512, 6+6 layers, 8 heads, ffn 2048, vocab 58101) with a
//! forced output length, batch 1 and batch 32, f32 and q8_0, beside candle's stock
//! `marian::MTModel` greedy loop.

use std::path::PathBuf;
use std::time::Instant;

use candle_core::{DType, Device};
use tradewind::ml::fixtures::{MARIAN_FILES, MarianShape, files_as_found, write_marian_files};
use tradewind::ml::marian::{DecodeOptions, MarianConfig, MarianTranslator};
use tradewind::ml::marian_baseline::StockMarian;
use tradewind::ml::weights::{ModelFiles, Precision};

use crate::measure::{BenchResult, Measurement, in_child, peak_rss_mb};

#[derive(clap::Args)]
pub struct Options {
    /// Threads for the matmuls (candle's rayon pool).
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Output tokens forced per segment.
    #[arg(long, default_value_t = 64)]
    tokens: usize,
    /// Source tokens per segment.
    #[arg(long, default_value_t = 24)]
    source_tokens: usize,
    /// Where the random-weight model is written (kept between runs).
    #[arg(long, default_value = "target/bench/opus-mt-shape")]
    model_dir: PathBuf,
}

#[derive(clap::Args)]
pub struct RunOptions {
    #[arg(long)]
    model_dir: PathBuf,
    /// `ours` or `stock`.
    #[arg(long)]
    engine: String,
    #[arg(long)]
    precision: String,
    #[arg(long)]
    batch: usize,
    #[arg(long)]
    segments: usize,
    #[arg(long)]
    tokens: usize,
    #[arg(long)]
    source_tokens: usize,
    /// Read the sources from this JSON list of id lists instead of making them.
    #[arg(long)]
    sources_file: Option<PathBuf>,
    /// Decode greedily to the end token (at most `tokens`) instead of forcing the length.
    #[arg(long)]
    until_end: bool,
    /// Write the output ids here (JSON), to compare them with a peer's.
    #[arg(long)]
    outputs: Option<PathBuf>,
}

/// Segments of random ids (not special tokens), each ending with `</s>` (id 0).
pub fn sources(count: usize, length: usize, vocab: usize) -> Vec<Vec<u32>> {
    let mut rng = fastrand::Rng::with_seed(42);
    (0..count)
        .map(|_| {
            let mut ids: Vec<u32> = (1..length).map(|_| rng.u32(2..vocab as u32 - 1)).collect();
            ids.push(0);
            ids
        })
        .collect()
}

pub fn compare(options: &Options) -> BenchResult<()> {
    let shape = MarianShape::OPUS_MT;
    if !options.model_dir.join("model.safetensors").exists() {
        eprintln!(
            "writing a random-weight opus-mt-shaped model to {}",
            options.model_dir.display()
        );
        write_marian_files(&options.model_dir, &shape, 1)?;
    }
    println!(
        "Marian decoding, opus-mt shape (d_model {}, {}+{} layers, {} heads, ffn {}, vocab {}), \
         {} source tokens, {} output tokens forced, {} threads",
        shape.d_model,
        shape.layers,
        shape.layers,
        shape.heads,
        shape.ffn,
        shape.vocab,
        options.source_tokens,
        options.tokens,
        options.threads
    );
    println!(
        "{:<8} {:<6} {:>5} {:>9} {:>10} {:>11} {:>9}",
        "engine", "prec.", "batch", "load s", "tokens/s", "peak MiB", "× stock"
    );
    let run_args = |engine: &str, precision: &str, batch: usize, segments: usize| -> Vec<String> {
        [
            "translate-run",
            "--model-dir",
            &options.model_dir.display().to_string(),
            "--engine",
            engine,
            "--precision",
            precision,
            "--batch",
            &batch.to_string(),
            "--segments",
            &segments.to_string(),
            "--tokens",
            &options.tokens.to_string(),
            "--source-tokens",
            &options.source_tokens.to_string(),
        ]
        .iter()
        .map(|arg| arg.to_string())
        .collect()
    };
    // The first q8_0 load quantizes and writes the cache; measure the loads after it.
    in_child(&run_args("ours", "q8_0", 1, 0), options.threads)?;
    for batch in [1usize, 32] {
        let segments = if batch == 1 { 8 } else { 32 };
        let mut stock_rate = None;
        for (engine, precision) in [("stock", "f32"), ("ours", "f32"), ("ours", "q8_0")] {
            let args = run_args(engine, precision, batch, segments);
            let measurement = in_child(&args, options.threads)?;
            let rate = measurement.tokens_per_second();
            let base = *stock_rate.get_or_insert(rate);
            println!(
                "{engine:<8} {precision:<6} {batch:>5} {:>9.2} {rate:>10.1} {:>11.0} {:>9.2}",
                measurement.load_seconds,
                measurement.peak_rss_mb,
                rate / base
            );
        }
    }
    Ok(())
}

pub fn run(options: &RunOptions) -> BenchResult<()> {
    let device = Device::Cpu;
    let precision = Precision::parse(&options.precision).ok_or("precision: f32 or q8_0")?;
    let files = files_as_found(&options.model_dir, MARIAN_FILES)?;
    let model_files = ModelFiles::new("opus-mt-shape", &files);
    let config: MarianConfig = model_files.json("config.json")?;
    let sources = match &options.sources_file {
        Some(path) => serde_json::from_slice(&std::fs::read(path)?)?,
        None => sources(options.segments, options.source_tokens, config.vocab_size),
    };
    let mut outputs = Vec::new();
    let started = Instant::now();
    let (tokens, load_seconds, seconds) = match options.engine.as_str() {
        "ours" => {
            let cache = options.model_dir.join(format!("{}.gguf", precision.name()));
            let translator =
                MarianTranslator::load(&model_files, &device, precision, Some(&cache))?;
            let load_seconds = started.elapsed().as_secs_f64();
            let decode = DecodeOptions {
                batch_size: options.batch,
                max_new_tokens: Some(options.tokens),
                ignore_eos: !options.until_end,
            };
            let started = Instant::now();
            for batch in sources.chunks(options.batch) {
                outputs.extend(translator.generate(batch, &decode)?);
            }
            let tokens = outputs.iter().map(Vec::len).sum();
            (tokens, load_seconds, started.elapsed().as_secs_f64())
        }
        "stock" => {
            let weights = model_files.tensors("model.safetensors", &device)?;
            let mut stock = StockMarian::new(
                &config,
                candle_nn::VarBuilder::from_tensors(weights, DType::F32, &device),
            )?;
            let load_seconds = started.elapsed().as_secs_f64();
            let started = Instant::now();
            let mut tokens = 0;
            for batch in sources.chunks(options.batch) {
                tokens += stock
                    .greedy(batch, options.tokens, true)?
                    .iter()
                    .map(Vec::len)
                    .sum::<usize>();
            }
            (tokens, load_seconds, started.elapsed().as_secs_f64())
        }
        other => return Err(format!("engine: ours or stock, not {other}").into()),
    };
    if let Some(path) = &options.outputs {
        std::fs::write(path, serde_json::to_vec(&outputs)?)?;
    }
    let report = Measurement {
        load_seconds,
        tokens,
        seconds,
        peak_rss_mb: peak_rss_mb(),
    };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}
