//! Benchmarks, not tests: speed and memory of Tradewind's model code at the real
//! models' shapes (random weights), beside candle-transformers' stock code where one
//! exists, and of the analytics beside DuckDB. Each measurement runs in a child process of its own so that its peak
//! memory is its own. Run with `--release`.

mod analytics;
mod measure;
mod models;
mod peers;
mod photos;
mod translate;
mod writer;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "tradewind-bench",
    about = "Speed and memory of Tradewind's model code"
)]
struct Bench {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Side by side with the peers (CTranslate2, transformers) on the same weights and
    /// inputs: Marian, CLIP, MiniLM; outputs compared first. Peers: scripts/bench/setup.sh.
    Peers(peers::Options),
    /// One measurement (what `peers` runs in its children).
    #[command(hide = true)]
    PeersRun(peers::RunOptions),
    /// Marian translation at opus-mt shape: ours (f32, q8_0) against candle's stock greedy loop.
    Translate(translate::Options),
    /// One measurement (what `translate` runs in its children).
    #[command(hide = true)]
    TranslateRun(translate::RunOptions),
    /// Load time and a forward pass of every loader at the real models' widths, f32 vs q8_0.
    Models(models::Options),
    /// One measurement (what `models` runs in its children).
    #[command(hide = true)]
    ModelsRun(models::RunOptions),
    /// Photos into CLIP ViT-B/32: decode, the image tower and the tag job, beside candle's example.
    Photos(photos::Options),
    /// One measurement (what `photos` runs in its children).
    #[command(hide = true)]
    PhotosRun(photos::RunOptions),
    /// A million order lines: import and the Analytics view's questions, beside DuckDB.
    Analytics(analytics::Options),
    /// One measurement (what `analytics` runs in its child).
    #[command(hide = true)]
    AnalyticsRun(analytics::RunOptions),
    /// The tag job on two shoots (what `photos` runs in a child).
    #[command(hide = true)]
    PhotosJob(photos::JobOptions),
    /// The writing models' tokens per second, prompt and generation apart: ours beside
    /// candle's stock quantized loop, on the real SmolLM2-135M and a Qwen2.5-0.5B shape.
    Writer(writer::Options),
    /// One measurement (what `writer` runs in its children).
    #[command(hide = true)]
    WriterRun(writer::RunOptions),
}

/// The app's allocator, so that what is measured is what the seller runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let outcome = match Bench::parse().command {
        Command::Peers(options) => peers::compare(&options),
        Command::PeersRun(options) => peers::run(&options),
        Command::Translate(options) => translate::compare(&options),
        Command::TranslateRun(options) => translate::run(&options),
        Command::Models(options) => models::compare(&options),
        Command::ModelsRun(options) => models::run(&options),
        Command::Photos(options) => photos::compare(&options),
        Command::PhotosRun(options) => photos::run(&options),
        Command::PhotosJob(options) => photos::tag_job(&options),
        Command::Analytics(options) => analytics::compare(&options),
        Command::AnalyticsRun(options) => analytics::run(&options),
        Command::Writer(options) => writer::compare(&options),
        Command::WriterRun(options) => writer::run(&options),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
