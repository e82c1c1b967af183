//! Running one measurement in a child process and reading back what it reports.

use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tradewind::jobs::JobState;
use tradewind::{Engine, EngineConfig, JobOutcome, JobSpec};

pub type BenchResult<T> = Result<T, Box<dyn std::error::Error>>;

/// What a child reports on its last line of output.
#[derive(Debug, Serialize, Deserialize)]
pub struct Measurement {
    pub load_seconds: f64,
    pub tokens: usize,
    pub seconds: f64,
    pub peak_rss_mb: f64,
}

impl Measurement {
    pub fn tokens_per_second(&self) -> f64 {
        self.tokens as f64 / self.seconds
    }
}

/// The process's peak resident memory (Linux `VmHWM`), in MiB.
pub fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|value| {
                    value
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<f64>()
                        .ok()
                })
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// Runs this executable with `args` on `threads` threads and parses its report.
pub fn in_child(args: &[String], threads: usize) -> BenchResult<Measurement> {
    in_child_json(args, threads)
}

/// Runs this executable with `args` on `threads` threads and parses the JSON on the
/// last line it prints.
pub fn in_child_json<T: serde::de::DeserializeOwned>(
    args: &[String],
    threads: usize,
) -> BenchResult<T> {
    let output = Command::new(std::env::current_exe()?)
        .args(args)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "{} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    let stdout = String::from_utf8(output.stdout)?;
    let last = stdout
        .lines()
        .last()
        .ok_or("the measurement printed nothing")?;
    Ok(serde_json::from_str(last)?)
}

/// Runs a job to its end; its wall time and outcome.
pub fn run_job(
    engine: &Engine,
    runtime: &tokio::runtime::Runtime,
    spec: &JobSpec,
) -> BenchResult<(f64, Option<JobOutcome>)> {
    let id = engine.create_job(spec)?;
    let began = Instant::now();
    let job = runtime.block_on(engine.run_job(id, Arc::new(|_| {})))?;
    if job.state != JobState::Succeeded {
        return Err(format!("the job ended {:?}: {:?}", job.state, job.message).into());
    }
    Ok((began.elapsed().as_secs_f64(), job.outcome))
}

/// An engine on a new, empty data folder `engine` under `dir`.
pub fn fresh_engine(
    dir: &std::path::Path,
    catalog: Option<std::path::PathBuf>,
) -> BenchResult<Engine> {
    let data = dir.join("engine");
    if data.exists() {
        std::fs::remove_dir_all(&data)?;
    }
    Ok(Engine::open(EngineConfig {
        data_dir: Some(data),
        catalog,
        ..EngineConfig::default()
    })?)
}

/// Runs a peer's Python script of `scripts/bench/` (`python` from
/// `scripts/bench/setup.sh`'s venv) with `args`; its last line of output is its JSON.
pub fn python_peer<T: serde::de::DeserializeOwned>(
    python: &std::path::Path,
    script: &str,
    args: &[String],
) -> BenchResult<T> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts/bench")
        .join(script);
    let output = Command::new(python)
        .arg(&script)
        .args(args)
        .output()
        .map_err(|error| {
            format!(
                "{} could not run ({error}); run scripts/bench/setup.sh first",
                python.display()
            )
        })?;
    if !output.status.success() {
        let detail = String::from_utf8_lossy(&output.stderr);
        let last = detail.lines().last().unwrap_or("it failed");
        return Err(format!("{}: {last}", script.display()).into());
    }
    let printed = String::from_utf8(output.stdout)?;
    let line = printed.lines().last().ok_or("it printed nothing")?;
    Ok(serde_json::from_str(line)?)
}
