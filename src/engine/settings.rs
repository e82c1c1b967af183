//! The seller's settings: the interface language, the compute device, and how models
//! compute (precision, threads, memory for loaded models).

use serde::{Deserialize, Serialize};

use super::Engine;
use crate::Error;
use crate::ml::device::{self, DeviceChoice};
use crate::ml::weights::Precision;
use crate::store::{Store, StoreError, settings};

const LANGUAGE_SETTING: &str = "language";
const DEVICE_SETTING: &str = "device";
const PRECISION_SETTING: &str = "translation_precision";
const THREADS_SETTING: &str = "threads";
const MEMORY_SETTING: &str = "model_memory_mb";
/// Loaded models may hold this much when the seller has not said (see `model_memory_mb`).
pub(super) const DEFAULT_MODEL_MEMORY_MB: u64 = 4096;

/// The languages of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Language {
    #[serde(rename = "en")]
    English,
    #[serde(rename = "zh-CN")]
    SimplifiedChinese,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::SimplifiedChinese => "zh-CN",
        }
    }

    pub fn parse(code: &str) -> Result<Language, Error> {
        match code {
            "en" => Ok(Language::English),
            "zh-CN" => Ok(Language::SimplifiedChinese),
            other => Err(Error::InvalidSetting {
                setting: "language",
                value: other.to_string(),
                allowed: "en, zh-CN".to_string(),
            }),
        }
    }
}

/// The compute device setting and what it gives on this computer.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceStatus {
    pub choice: DeviceChoice,
    /// The device actually used.
    pub using: &'static str,
    /// Why the choice is not the device used, when it is not.
    pub fallback: Option<String>,
    /// The devices this build supports.
    pub compiled: Vec<&'static str>,
}

/// How models compute: settings the seller may change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComputeSettings {
    /// f32 or q8_0 matrices for Marian translators.
    pub translation_precision: Precision,
    /// Compute threads from the next start; 0 is one per core.
    pub threads: usize,
    /// How much memory loaded models may hold, from the next start.
    pub model_memory_mb: u64,
    /// Threads the compute pool runs now (read only).
    #[serde(default)]
    pub threads_in_use: usize,
}

/// The compute settings an engine starts with; the thread count is applied to the
/// compute pool, which is made once per process (so a change applies from the next
/// start).
pub(super) fn startup(store: &Store) -> Result<ComputeSettings, StoreError> {
    let compute = stored_compute(store)?;
    if compute.threads > 0
        && let Err(error) = rayon::ThreadPoolBuilder::new()
            .num_threads(compute.threads)
            .build_global()
    {
        tracing::debug!("the compute pool was already started: {error}");
    }
    Ok(compute)
}

fn stored_compute(store: &Store) -> Result<ComputeSettings, StoreError> {
    let number = |key: &str| -> Result<Option<u64>, StoreError> {
        Ok(settings::get(store, key)?.and_then(|text| text.parse().ok()))
    };
    Ok(ComputeSettings {
        translation_precision: settings::get(store, PRECISION_SETTING)?
            .and_then(|text| Precision::parse(&text))
            .unwrap_or(Precision::Q8_0),
        threads: number(THREADS_SETTING)?.unwrap_or(0) as usize,
        model_memory_mb: number(MEMORY_SETTING)?.unwrap_or(DEFAULT_MODEL_MEMORY_MB),
        threads_in_use: candle_core::utils::get_num_threads(),
    })
}

impl Engine {
    pub fn language(&self) -> Result<Language, Error> {
        match settings::get(&self.store, LANGUAGE_SETTING)? {
            Some(code) => Language::parse(&code),
            None => Ok(Language::English),
        }
    }

    pub fn set_language(&self, language: Language) -> Result<(), Error> {
        Ok(settings::set(
            &self.store,
            LANGUAGE_SETTING,
            language.code(),
        )?)
    }

    pub fn device_choice(&self) -> Result<DeviceChoice, Error> {
        match settings::get(&self.store, DEVICE_SETTING)? {
            Some(text) => Ok(DeviceChoice::parse(&text)?),
            None => Ok(DeviceChoice::default()),
        }
    }

    pub fn set_device_choice(&self, choice: DeviceChoice) -> Result<(), Error> {
        Ok(settings::set(&self.store, DEVICE_SETTING, choice.name())?)
    }

    /// The device models run on: the seller's choice, or the CPU and why.
    pub fn device_status(&self) -> Result<DeviceStatus, Error> {
        let choice = self.device_choice()?;
        let selected = device::select(choice);
        Ok(DeviceStatus {
            choice,
            using: selected.name,
            fallback: selected.fallback,
            compiled: device::compiled(),
        })
    }

    /// How Marian translators hold their matrices (q8_0 unless the seller chose f32).
    pub fn translation_precision(&self) -> Result<Precision, Error> {
        Ok(stored_compute(&self.store)?.translation_precision)
    }

    pub fn set_translation_precision(&self, precision: Precision) -> Result<(), Error> {
        Ok(settings::set(
            &self.store,
            PRECISION_SETTING,
            precision.name(),
        )?)
    }

    pub fn compute_settings(&self) -> Result<ComputeSettings, Error> {
        Ok(stored_compute(&self.store)?)
    }

    pub fn set_compute_settings(&self, chosen: &ComputeSettings) -> Result<ComputeSettings, Error> {
        if chosen.model_memory_mb < 256 {
            return Err(Error::InvalidSetting {
                setting: "model_memory_mb",
                value: chosen.model_memory_mb.to_string(),
                allowed: "256 or more".into(),
            });
        }
        self.set_translation_precision(chosen.translation_precision)?;
        settings::set(&self.store, THREADS_SETTING, &chosen.threads.to_string())?;
        settings::set(
            &self.store,
            MEMORY_SETTING,
            &chosen.model_memory_mb.to_string(),
        )?;
        self.compute_settings()
    }
}
