//! What `tradewind doctor` and the Settings view report about this installation.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::overview::Overview;
use crate::store::StoreStatus;

#[derive(Debug, Clone, Serialize)]
pub struct DoctorReport {
    pub version: &'static str,
    pub data_dir: PathBuf,
    pub database: StoreStatus,
    /// SQLite's integrity check findings; empty when the database is sound.
    pub integrity_problems: Vec<String>,
    pub cpu: CpuFeatures,
    /// The compute devices this build can use.
    pub devices: Vec<&'static str>,
    /// Model folders found in the data folder's `models/`.
    pub models: Vec<String>,
    pub counts: Overview,
    pub jobs: JobCounts,
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct JobCounts {
    pub total: u64,
    pub running: u64,
    pub interrupted: u64,
    pub failed: u64,
}

/// The SIMD features of this processor that the ML kernels can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CpuFeatures {
    pub arch: &'static str,
    pub avx2: bool,
    pub fma: bool,
    pub f16c: bool,
    pub neon: bool,
}

pub fn cpu_features() -> CpuFeatures {
    #[cfg(target_arch = "x86_64")]
    let (avx2, fma, f16c) = (
        std::arch::is_x86_feature_detected!("avx2"),
        std::arch::is_x86_feature_detected!("fma"),
        std::arch::is_x86_feature_detected!("f16c"),
    );
    #[cfg(not(target_arch = "x86_64"))]
    let (avx2, fma, f16c) = (false, false, false);
    #[cfg(target_arch = "aarch64")]
    let neon = std::arch::is_aarch64_feature_detected!("neon");
    #[cfg(not(target_arch = "aarch64"))]
    let neon = false;
    CpuFeatures {
        arch: std::env::consts::ARCH,
        avx2,
        fma,
        f16c,
        neon,
    }
}

pub fn compiled_devices() -> Vec<&'static str> {
    vec!["cpu"]
}

/// Names of the model folders present; a missing `models/` folder means none.
pub fn models_present(models_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(models_dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_features_match_the_architecture() {
        let cpu = cpu_features();
        assert_eq!(cpu.arch, std::env::consts::ARCH);
        if cpu.arch != "aarch64" {
            assert!(!cpu.neon);
        }
    }

    #[test]
    fn model_folders_are_listed_sorted_and_files_ignored() {
        let dir = tempfile::tempdir().unwrap();
        assert!(models_present(&dir.path().join("models")).is_empty());
        for name in ["opus-mt-en-de", "clip-vit-b32"] {
            std::fs::create_dir_all(dir.path().join("models").join(name)).unwrap();
        }
        std::fs::write(dir.path().join("models/readme.txt"), "").unwrap();
        assert_eq!(
            models_present(&dir.path().join("models")),
            ["clip-vit-b32", "opus-mt-en-de"]
        );
    }
}
