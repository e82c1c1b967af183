//! What `tradewind doctor` and the Settings view report about this installation.

use std::path::PathBuf;

use serde::Serialize;

use crate::ml::device::KernelSimd;
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
}
