//! Where models run: the CPU by default, Metal or CUDA when this build has them (cargo
//! features `metal`, `cuda`) and the machine does; otherwise the CPU, saying why.

use candle_core::Device;
use serde::{Deserialize, Serialize};

use super::MlError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum DeviceChoice {
    #[default]
    Cpu,
    Metal,
    Cuda,
}

impl DeviceChoice {
    pub fn name(self) -> &'static str {
        match self {
            DeviceChoice::Cpu => "cpu",
            DeviceChoice::Metal => "metal",
            DeviceChoice::Cuda => "cuda",
        }
    }

    pub fn parse(text: &str) -> Result<DeviceChoice, MlError> {
        match text.to_ascii_lowercase().as_str() {
            "cpu" => Ok(DeviceChoice::Cpu),
            "metal" => Ok(DeviceChoice::Metal),
            "cuda" => Ok(DeviceChoice::Cuda),
            _ => Err(MlError::UnknownDevice(text.to_string())),
        }
    }
}

pub struct SelectedDevice {
    pub device: Device,
    pub name: &'static str,
    /// Why the chosen device is not the one used, when it is not.
    pub fallback: Option<String>,
}

/// The device for `choice`, or the CPU with the reason the choice could not be had.
pub fn select(choice: DeviceChoice) -> SelectedDevice {
    let cpu = |reason: String| SelectedDevice {
        device: Device::Cpu,
        name: "cpu",
        fallback: Some(reason),
    };
    match choice {
        DeviceChoice::Cpu => SelectedDevice {
            device: Device::Cpu,
            name: "cpu",
            fallback: None,
        },
        DeviceChoice::Cuda if !candle_core::utils::cuda_is_available() => cpu(
            "this build of Tradewind has no CUDA support (cargo feature `cuda`); using the CPU"
                .into(),
        ),
        DeviceChoice::Cuda => match Device::new_cuda(0) {
            Ok(device) => SelectedDevice {
                device,
                name: "cuda",
                fallback: None,
            },
            Err(error) => cpu(format!("no usable CUDA GPU ({error}); using the CPU")),
        },
        DeviceChoice::Metal if !candle_core::utils::metal_is_available() => cpu(
            "this build of Tradewind has no Metal support (cargo feature `metal`); using the CPU"
                .into(),
        ),
        DeviceChoice::Metal => match Device::new_metal(0) {
            Ok(device) => SelectedDevice {
                device,
                name: "metal",
                fallback: None,
            },
            Err(error) => cpu(format!("no usable Metal GPU ({error}); using the CPU")),
        },
    }
}

/// The devices this build can use.
pub fn compiled() -> Vec<&'static str> {
    let mut devices = vec!["cpu"];
    if candle_core::utils::metal_is_available() {
        devices.push("metal");
    }
    if candle_core::utils::cuda_is_available() {
        devices.push("cuda");
    }
    devices
}

/// What candle detected at run time, which decides the kernels it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KernelSimd {
    pub avx2: bool,
    pub f16c: bool,
    pub neon: bool,
    /// The instruction set the quantized (q4k, q8_0) matmul kernels run on.
    pub quantized_kernels: &'static str,
    pub threads: usize,
}

pub fn kernel_simd() -> KernelSimd {
    let avx2 = candle_core::utils::with_avx();
    let neon = candle_core::utils::with_neon();
    KernelSimd {
        avx2,
        f16c: candle_core::utils::with_f16c(),
        neon,
        quantized_kernels: if avx2 {
            "avx2"
        } else if neon {
            "neon"
        } else {
            "scalar"
        },
        threads: candle_core::utils::get_num_threads(),
    }
}

/// The SIMD features of this processor that the ML kernels can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
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

    #[test]
    fn the_cpu_is_always_there_and_a_missing_gpu_falls_back_with_a_reason() {
        let cpu = select(DeviceChoice::Cpu);
        assert!(cpu.device.is_cpu() && cpu.fallback.is_none());
        if !compiled().contains(&"cuda") {
            let cuda = select(DeviceChoice::Cuda);
            assert!(cuda.device.is_cpu());
            assert!(cuda.fallback.unwrap().contains("no CUDA support"));
        }
        assert_eq!(DeviceChoice::parse("CUDA").unwrap(), DeviceChoice::Cuda);
        assert!(
            DeviceChoice::parse("tpu")
                .unwrap_err()
                .to_string()
                .contains("cpu, metal or cuda")
        );
    }

    #[test]
    fn kernel_simd_agrees_with_the_cpu_check() {
        let simd = kernel_simd();
        assert_eq!(simd.avx2, cpu_features().avx2);
        assert!(simd.threads >= 1);
    }
}
