//! `tradewind-bench models`: load time and a matmul-heavy forward for each loader at
//! the real models' widths (random weights), f32 against q8_0 where the loader offers
//! both. The largest models keep their real widths but fewer layers; the table says
//! how many.

use std::path::{Path, PathBuf};
use std::time::Instant;

use candle_core::Device;
use candle_core::quantized::GgmlDType;
use image::DynamicImage;
use serde::{Deserialize, Serialize};
use tradewind::ml::caption::Captioner;
use tradewind::ml::catalog::Architecture;
use tradewind::ml::clip::ZeroShotTagger;
use tradewind::ml::embed::SentenceEmbedder;
use tradewind::ml::fixtures::{
    BERT_FILES, BLIP_GGUF, BertShape, CLIP_FILES, ImageTextShape, MARIAN_FILES, MarianShape,
    QWEN2_GGUF, Qwen2Shape, T5_GGUF, T5Shape, files_as_found, write_blip_files, write_clip_files,
    write_embedder_files, write_marian_files, write_qwen2_files, write_sentiment_files,
    write_t5_files,
};
use tradewind::ml::generate::{GenerateOptions, Generator};
use tradewind::ml::madlad::MadladTranslator;
use tradewind::ml::marian::{DecodeOptions, MarianTranslator};
use tradewind::ml::sentiment::SentimentClassifier;
use tradewind::ml::weights::{ModelFiles, Precision};

use crate::measure::{BenchResult, in_child_json, peak_rss_mb};

#[derive(clap::Args)]
pub struct Options {
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Where the random-weight models are written (kept between runs; several GB).
    #[arg(long, default_value = "target/bench/models")]
    dir: PathBuf,
    /// Only these cases (minilm, sentiment, marian, madlad, clip, blip, qwen2).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

#[derive(clap::Args)]
pub struct RunOptions {
    #[arg(long)]
    case: String,
    #[arg(long)]
    precision: String,
    #[arg(long)]
    dir: PathBuf,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ModelMeasurement {
    load_seconds: f64,
    forward_seconds: f64,
    /// What the forward did, e.g. "32 texts".
    work: String,
    peak_rss_mb: f64,
}

const CASES: &[(&str, &str, &[&str])] = &[
    ("minilm", "all-MiniLM-L6-v2, full (6 layers)", &["f32"]),
    (
        "sentiment",
        "bert-base-multilingual sentiment, full (12 layers)",
        &["f32"],
    ),
    ("marian", "opus-mt, full (6+6 layers)", &["f32", "q8_0"]),
    (
        "madlad",
        "MADLAD-400 3B widths, 2+2 of 32+32 layers",
        &["f32", "q8_0"],
    ),
    ("clip", "CLIP ViT-B/32, full (12+12 layers)", &["f32"]),
    (
        "blip",
        "BLIP large widths, vision 4 of 24, text 2 of 12 layers",
        &["f32", "q8_0"],
    ),
    (
        "qwen2",
        "Qwen2.5-0.5B widths, 4 of 24 layers",
        &["f32", "q8_0"],
    ),
];

fn ggml(precision: &str) -> GgmlDType {
    if precision == "q8_0" {
        GgmlDType::Q8_0
    } else {
        GgmlDType::F32
    }
}

/// Writes the case's model into `dir` unless it is there; the files a loader takes.
fn prepare(case: &str, precision: &str, dir: &Path) -> BenchResult<Vec<&'static str>> {
    let ready = dir.join(".complete");
    let files: &[&'static str] = match case {
        "minilm" | "sentiment" => BERT_FILES,
        "marian" => MARIAN_FILES,
        "madlad" => &[T5_GGUF, "config.json", "tokenizer.json"],
        "clip" => CLIP_FILES,
        "blip" => &[BLIP_GGUF, "tokenizer.json", "config.json"],
        "qwen2" => &[QWEN2_GGUF, "tokenizer.json"],
        other => return Err(format!("no case '{other}'").into()),
    };
    if ready.exists() {
        return Ok(files.to_vec());
    }
    eprintln!(
        "writing the {case} ({precision}) model to {}",
        dir.display()
    );
    match case {
        "minilm" => write_embedder_files(dir, &BertShape::MINILM_L6, 1)?,
        "sentiment" => write_sentiment_files(dir, &BertShape::BERT_BASE_MULTILINGUAL, 1)?,
        "marian" => write_marian_files(dir, &MarianShape::OPUS_MT, 1)?,
        "madlad" => write_t5_files(dir, &T5Shape::madlad_3b(2), 1, T5_GGUF, ggml(precision))?,
        "clip" => write_clip_files(dir, &ImageTextShape::CLIP_VIT_B_32, 1)?,
        "blip" => write_blip_files(dir, &ImageTextShape::blip_large(4, 2), 1, ggml(precision))?,
        _ => write_qwen2_files(dir, &Qwen2Shape::qwen25_05b(4), 1, ggml(precision))?,
    }
    std::fs::write(&ready, b"")?;
    Ok(files.to_vec())
}

/// The folder of a case's model: one per precision where the file differs.
fn case_dir(root: &Path, case: &str, precision: &str) -> PathBuf {
    match case {
        "madlad" | "blip" | "qwen2" => root.join(format!("{case}-{precision}")),
        _ => root.join(case),
    }
}

pub fn compare(options: &Options) -> BenchResult<()> {
    println!(
        "Model load and forward at the real models' widths, random weights, {} threads",
        options.threads
    );
    println!(
        "{:<10} {:<6} {:>8} {:>10} {:>10}  {:<22} shape",
        "model", "prec.", "load s", "forward s", "peak MiB", "work"
    );
    for (case, shape, precisions) in CASES {
        if !options.only.is_empty() && !options.only.iter().any(|only| only == case) {
            continue;
        }
        let mut f32_forward = None;
        for precision in *precisions {
            let dir = case_dir(&options.dir, case, precision);
            prepare(case, precision, &dir)?;
            let args: Vec<String> = [
                "models-run",
                "--case",
                case,
                "--precision",
                precision,
                "--dir",
                &dir.display().to_string(),
            ]
            .iter()
            .map(|arg| arg.to_string())
            .collect();
            // The first q8_0 Marian load quantizes and caches; measure a load after it.
            if *case == "marian" && *precision == "q8_0" {
                in_child_json::<ModelMeasurement>(&args, options.threads)?;
            }
            let measured: ModelMeasurement = in_child_json(&args, options.threads)?;
            let speedup = match f32_forward {
                Some(base) => format!(" ({:.2}× f32)", base / measured.forward_seconds),
                None => {
                    f32_forward = Some(measured.forward_seconds);
                    String::new()
                }
            };
            println!(
                "{case:<10} {precision:<6} {:>8.2} {:>10.3} {:>10.0}  {:<22} {shape}{speedup}",
                measured.load_seconds,
                measured.forward_seconds,
                measured.peak_rss_mb,
                measured.work
            );
        }
    }
    Ok(())
}

fn photo(size: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(image::RgbImage::from_fn(size, size, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    }))
}

/// A product text of about `words` words from the fixture vocabulary.
fn text(words: usize) -> String {
    let pool = [
        "red", "leather", "handbag", "with", "a", "steel", "bottle", "for", "women", "and", "men",
    ];
    (0..words)
        .map(|index| pool[index % pool.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn run(options: &RunOptions) -> BenchResult<()> {
    let device = Device::Cpu;
    let names = prepare(&options.case, &options.precision, &options.dir)?;
    let files = files_as_found(&options.dir, &names)?;
    let files = ModelFiles::new(&options.case, &files);
    let started = Instant::now();
    let seconds = |since: Instant| since.elapsed().as_secs_f64();
    let (load_seconds, forward_seconds, work) = match options.case.as_str() {
        "minilm" => {
            let model = SentenceEmbedder::load(&files, &device)?;
            let load = seconds(started);
            let texts: Vec<String> = (0..32).map(|_| text(60)).collect();
            let inputs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let began = Instant::now();
            model.embed(&inputs)?;
            (load, seconds(began), "32 texts × 60 words".to_string())
        }
        "sentiment" => {
            let model = SentimentClassifier::load(&files, &device)?;
            let load = seconds(started);
            let texts: Vec<String> = (0..16).map(|_| text(60)).collect();
            let inputs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let began = Instant::now();
            model.classify(&inputs)?;
            (load, seconds(began), "16 reviews × 60 words".to_string())
        }
        "marian" => {
            let precision = Precision::parse(&options.precision).ok_or("precision")?;
            let cache = options.dir.join(format!("{}.gguf", precision.name()));
            let model = MarianTranslator::load(&files, &device, precision, Some(&cache))?;
            let load = seconds(started);
            let sources: Vec<Vec<u32>> = (0..8)
                .map(|row| {
                    (0..24)
                        .map(|id| 2 + (id * 7 + row) % 500)
                        .chain([0])
                        .collect()
                })
                .collect();
            let decode = DecodeOptions {
                batch_size: 8,
                max_new_tokens: Some(32),
                ignore_eos: true,
            };
            let began = Instant::now();
            model.generate(&sources, &decode)?;
            (load, seconds(began), "8 × 32 tokens".to_string())
        }
        "madlad" => {
            let model = MadladTranslator::load(&files, &device)?;
            let load = seconds(started);
            let began = Instant::now();
            let out = model.translate(&[text(20).as_str(), text(20).as_str()], "de", 16)?;
            let tokens: usize = out.iter().map(|translation| translation.tokens).sum();
            (load, seconds(began), format!("2 × ≤16 ({tokens}) tokens"))
        }
        "clip" => {
            let model = ZeroShotTagger::load(&files, &device)?;
            let load = seconds(started);
            let photos: Vec<DynamicImage> = (0..8).map(|_| photo(224)).collect();
            let labels = [
                "red bag",
                "blue mug",
                "steel knife",
                "white lamp",
                "black tote",
                "green cup",
                "wool scarf",
                "ceramic bowl",
            ];
            let began = Instant::now();
            model.tag(&photos, &labels)?;
            (load, seconds(began), "8 photos × 8 labels".to_string())
        }
        "blip" => {
            let model = Captioner::load(&files, &device)?;
            let load = seconds(started);
            let began = Instant::now();
            model.caption(&photo(384), 16)?;
            (load, seconds(began), "1 photo, ≤16 tokens".to_string())
        }
        "qwen2" => {
            let model = Generator::load(&files, Architecture::QuantizedQwen2, &device)?;
            let load = seconds(started);
            let began = Instant::now();
            let out = model.generate(
                "You rewrite product titles.",
                &text(40),
                GenerateOptions::greedy(16),
            )?;
            (
                load,
                seconds(began),
                format!("40-word prompt, {} tokens", out.tokens),
            )
        }
        other => return Err(format!("no case '{other}'").into()),
    };
    let report = ModelMeasurement {
        load_seconds,
        forward_seconds,
        work,
        peak_rss_mb: peak_rss_mb(),
    };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}
