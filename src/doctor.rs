//! What `tradewind doctor` and the Settings view report about this installation.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::files::{FileError, write_atomically};
use crate::jobs::{JobRecord, JobState};
use crate::ml::device::{self, CpuFeatures, KernelSimd};
use crate::ml::loaded::LoadedModels;
use crate::ml::weights::Precision;
use crate::overview::{self, Overview};
use crate::store::{Store, StoreError, StoreStatus};

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DoctorReport {
    pub version: &'static str,
    pub data_dir: PathBuf,
    pub database: StoreStatus,
    /// SQLite's integrity check findings; empty when the database is sound.
    pub integrity_problems: Vec<String>,
    pub cpu: CpuFeatures,
    /// The compute devices this build can use.
    pub devices: Vec<&'static str>,
    /// What the ML kernels detected at run time and use.
    pub kernels: KernelSimd,
    /// Models in memory in this process, with their load time and memory.
    pub loaded_models: Vec<crate::ml::loaded::LoadReport>,
    /// How much loaded models may hold before the least recently used is dropped.
    pub model_memory_budget_bytes: u64,
    /// f32 or q8_0, for Marian translators.
    pub translation_precision: &'static str,
    /// Catalog models present on this computer.
    pub models: Vec<String>,
    pub counts: Overview,
    pub jobs: JobCounts,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct JobCounts {
    pub total: u64,
    pub running: u64,
    pub interrupted: u64,
    pub failed: u64,
}

/// What the report is made of beyond the store: the data folder, the jobs, the models
/// in memory and on disk, and the precision setting.
pub struct Inputs<'a> {
    pub data_dir: &'a Path,
    pub jobs: &'a [JobRecord],
    pub loaded: &'a LoadedModels,
    pub present_models: Vec<String>,
    pub translation_precision: Precision,
}

pub fn report(store: &Store, inputs: Inputs) -> Result<DoctorReport, StoreError> {
    let count =
        |state: JobState| inputs.jobs.iter().filter(|job| job.state == state).count() as u64;
    Ok(DoctorReport {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: inputs.data_dir.to_path_buf(),
        database: store.status()?,
        integrity_problems: store.integrity_problems()?,
        cpu: device::cpu_features(),
        devices: device::compiled(),
        kernels: device::kernel_simd(),
        loaded_models: inputs.loaded.reports(),
        model_memory_budget_bytes: inputs.loaded.budget_bytes(),
        translation_precision: inputs.translation_precision.name(),
        models: inputs.present_models,
        counts: overview::overview(store)?,
        jobs: JobCounts {
            total: inputs.jobs.len() as u64,
            running: count(JobState::Running),
            interrupted: count(JobState::Interrupted),
            failed: count(JobState::Failed),
        },
    })
}

/// Writes `report` as JSON to `path`, atomically.
pub fn save(report: &DoctorReport, path: &Path) -> Result<(), FileError> {
    let json = serde_json::to_vec_pretty(report).map_err(|error| FileError::Write {
        path: path.to_path_buf(),
        source: std::io::Error::other(error),
    })?;
    write_atomically(path, &json)
}
