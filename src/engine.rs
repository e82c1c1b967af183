//! The core object: owns the data folder, the store and the job runner, and is what
//! the CLI and the desktop shell hold and call.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::analytics::{self, OrdersSummary};
use crate::doctor::{self, DoctorReport, JobCounts};
use crate::jobs::{
    JobError, JobId, JobObserver, JobRecord, JobRunner, JobState, PreparedJob, Work,
};
use crate::listings::export::{CopyReport, ExportError};
use crate::listings::memory::TranslationMemory;
use crate::listings::shopify_translations::FilledReport;
use crate::listings::translation::{self, StoredTranslation};
use crate::listings::{self, ListingSummary};
use crate::ml::catalog::{Architecture, Task};
use crate::ml::catalog::{Catalog, ModelEntry};
use crate::ml::device::{self, DeviceChoice};
use crate::ml::loaded::{LoadReport, LoadedModel, LoadedModels, ModelKey};
use crate::ml::marian::{DecodeOptions, Translation};
use crate::ml::route::{self, EngineChoice, Route};
use crate::ml::store::{ModelStore, Presence, VerifiedFile};
use crate::ml::weights::{ModelFiles, Precision};
use crate::ml::{
    MlError, caption::Captioner, clip::ZeroShotTagger, embed::SentenceEmbedder,
    generate::Generator, madlad::MadladTranslator, marian::MarianTranslator,
    sentiment::SentimentClassifier,
};
use crate::overview::{self, Overview};
use crate::photos::{self, PhotoSummary};
use crate::store::{DATABASE_FILE, Store, StoreError, StoreOptions, settings};
use crate::{Error, demo};

#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    /// Where everything is kept; the OS's data folder for Tradewind when `None`.
    pub data_dir: Option<PathBuf>,
    /// How long to wait for another writer before reporting the database as locked.
    pub busy_timeout: Option<Duration>,
    /// The model catalog; `TRADEWIND_CATALOG`, else the built-in one, when `None`.
    pub catalog: Option<PathBuf>,
}

/// Long work the engine can run as a job. Saved with the job, so a job can be resumed
/// by a later process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobSpec {
    LoadDemo,
    /// A Shopify product CSV, or with `mapping` a CSV, XLSX or JSON file of the
    /// seller's own layout.
    ImportListings {
        path: PathBuf,
        #[serde(default)]
        mapping: Option<listings::table_import::Mapping>,
    },
    ImportOrders {
        path: PathBuf,
    },
    ImportPhotos {
        folder: PathBuf,
    },
    ImportModel {
        id: String,
        folder: PathBuf,
    },
    DownloadModel {
        id: String,
    },
    /// Every imported listing from `source` into each of `locales`, with the family
    /// of models `prefer`, or the one `engines` names for a locale.
    TranslateListings {
        source: String,
        locales: Vec<String>,
        prefer: EngineChoice,
        #[serde(default)]
        engines: BTreeMap<String, EngineChoice>,
    },
}

impl JobSpec {
    fn kind(&self) -> &'static str {
        match self {
            JobSpec::LoadDemo => "load_demo",
            JobSpec::ImportListings { .. } => "import_listings",
            JobSpec::ImportOrders { .. } => "import_orders",
            JobSpec::ImportPhotos { .. } => "import_photos",
            JobSpec::ImportModel { .. } => "import_model",
            JobSpec::DownloadModel { .. } => "download_model",
            JobSpec::TranslateListings { .. } => "translate_listings",
        }
    }
}

/// A translated copy of the seller's product file, written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WrittenCopy {
    pub locale: String,
    pub path: PathBuf,
    pub report: CopyReport,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListingsFilePreview {
    pub shopify: bool,
    #[serde(flatten)]
    pub table: listings::table_import::TablePreview,
}

/// The languages of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Language {
    #[serde(rename = "en")]
    English,
    #[serde(rename = "zh-CN")]
    SimplifiedChinese,
}

impl Language {
    const SETTING: &'static str = "language";

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

const DEVICE_SETTING: &str = "device";
const PRECISION_SETTING: &str = "translation_precision";
const THREADS_SETTING: &str = "threads";
const MEMORY_SETTING: &str = "model_memory_mb";
/// Loaded models may hold this much when the seller has not said (see `model_memory_mb`).
const DEFAULT_MODEL_MEMORY_MB: u64 = 4096;
/// The longest MADLAD output per segment, in tokens.
const MADLAD_MAX_TOKENS: usize = 256;

/// The compute device setting and what it gives on this computer.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceStatus {
    pub choice: DeviceChoice,
    /// The device actually used.
    pub using: &'static str,
    /// Why the choice is not the device used, when it is not.
    pub fallback: Option<String>,
    /// The devices this build supports.
    pub compiled: Vec<&'static str>,
}

/// A catalog model and whether it is on this computer.
#[derive(Debug, Clone, Serialize)]
pub struct ModelStatus {
    pub model: ModelEntry,
    pub presence: Presence,
    /// Bytes of Tradewind's own copy.
    pub disk_bytes: u64,
    /// What loading it cost, while it is in memory.
    pub loaded: Option<LoadReport>,
}

/// How models compute: settings the seller may change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// A model's answer and what loading it cost.
#[derive(Debug, Clone, Serialize)]
pub struct ModelRun {
    pub load: LoadReport,
    pub output: crate::ml::loaded::ModelOutput,
}

#[derive(Clone)]
pub struct Engine {
    data_dir: PathBuf,
    store: Store,
    jobs: JobRunner,
    loaded: std::sync::Arc<LoadedModels>,
    catalog_path: Option<PathBuf>,
}

/// Applies the thread-count setting to the compute pool. The pool is made once per
/// process, so a change applies from the next start.
fn apply_threads(threads: usize) {
    if threads == 0 {
        return;
    }
    if let Err(error) = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()
    {
        tracing::debug!("the compute pool was already started: {error}");
    }
}

impl Engine {
    /// Opens the data folder (creating it on first use) and its database.
    pub fn open(config: EngineConfig) -> Result<Engine, Error> {
        let data_dir = config.data_dir.unwrap_or_else(Engine::default_data_dir);
        std::fs::create_dir_all(&data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.clone(),
            source,
        })?;
        let mut options = StoreOptions::default();
        if let Some(busy_timeout) = config.busy_timeout {
            options.busy_timeout = busy_timeout;
        }
        let store = Store::open(&data_dir.join(DATABASE_FILE), options)?;
        let jobs = JobRunner::new(store.clone(), data_dir.join("jobs"));
        let memory_mb = match settings::get(&store, MEMORY_SETTING)? {
            Some(text) => text.parse().unwrap_or(DEFAULT_MODEL_MEMORY_MB),
            None => DEFAULT_MODEL_MEMORY_MB,
        };
        if let Some(threads) = settings::get(&store, THREADS_SETTING)? {
            apply_threads(threads.parse().unwrap_or(0));
        }
        Ok(Engine {
            data_dir,
            store,
            jobs,
            loaded: std::sync::Arc::new(LoadedModels::new(memory_mb * 1024 * 1024)),
            catalog_path: config.catalog,
        })
    }

    /// The OS's per-user data folder (e.g. `~/.local/share/tradewind` on Linux).
    pub fn default_data_dir() -> PathBuf {
        directories::ProjectDirs::from("app", "Tradewind", "Tradewind")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .unwrap_or_else(|| PathBuf::from(".tradewind"))
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Records a new job; run it with [`Engine::run_job`].
    pub fn create_job(&self, spec: &JobSpec) -> Result<JobId, Error> {
        let spec_json = serde_json::to_string(spec).map_err(|error| JobError::BadRecord {
            id: 0,
            detail: error.to_string(),
        })?;
        Ok(self.jobs.create(spec.kind(), &spec_json)?)
    }

    /// Runs or resumes job `id` on tokio's blocking pool, reporting to `observer`.
    pub async fn run_job(&self, id: JobId, observer: JobObserver) -> Result<JobRecord, Error> {
        let prepared = self.prepare_job(id)?;
        Engine::run_prepared(prepared, observer).await
    }

    /// Takes the job's lock and checks it may run: refusals come back here, before
    /// any work or event.
    pub fn prepare_job(&self, id: JobId) -> Result<PreparedJob, Error> {
        let job = self.jobs.get(id)?;
        let spec: JobSpec =
            serde_json::from_str(&job.spec).map_err(|error| JobError::BadRecord {
                id,
                detail: format!("unknown job ({error})"),
            })?;
        Ok(self.jobs.prepare(id, self.work(spec))?)
    }

    /// Runs a prepared job on tokio's blocking pool; it ends with a `Finished` event.
    pub async fn run_prepared(
        prepared: PreparedJob,
        observer: JobObserver,
    ) -> Result<JobRecord, Error> {
        tokio::task::spawn_blocking(move || prepared.run(observer))
            .await
            .map_err(|error| JobError::Panicked(error.to_string()))?
    }

    pub fn cancel_job(&self, id: JobId) -> bool {
        self.jobs.cancel(id)
    }

    pub fn jobs(&self) -> Result<Vec<JobRecord>, Error> {
        Ok(self.jobs.list()?)
    }

    pub fn overview(&self) -> Result<Overview, Error> {
        Ok(overview::overview(&self.store)?)
    }

    pub fn listings(&self) -> Result<Vec<ListingSummary>, Error> {
        Ok(listings::list(&self.store)?)
    }

    pub fn photos(&self) -> Result<Vec<PhotoSummary>, Error> {
        Ok(photos::list(&self.store)?)
    }

    pub fn orders_summary(&self) -> Result<OrdersSummary, Error> {
        Ok(analytics::summarise(&self.store)?)
    }

    pub fn language(&self) -> Result<Language, Error> {
        match settings::get(&self.store, Language::SETTING)? {
            Some(code) => Language::parse(&code),
            None => Ok(Language::English),
        }
    }

    pub fn set_language(&self, language: Language) -> Result<(), Error> {
        Ok(settings::set(
            &self.store,
            Language::SETTING,
            language.code(),
        )?)
    }

    /// The model catalog in force: the configured one, else `TRADEWIND_CATALOG`, else
    /// the built-in one.
    pub fn catalog(&self) -> Result<Catalog, Error> {
        catalog_at(self.catalog_path.as_deref())
    }

    pub fn model_store(&self) -> ModelStore {
        ModelStore::new(self.data_dir.join("models"), self.store.clone())
    }

    /// Every catalog model with whether it is on this computer (no file is read).
    pub fn models(&self) -> Result<Vec<ModelStatus>, Error> {
        let catalog = self.catalog()?;
        let store = self.model_store();
        let loaded = self.loaded_models();
        Ok(catalog
            .models
            .iter()
            .map(|model| ModelStatus {
                presence: store.presence(&catalog, model),
                disk_bytes: store.disk_use(model),
                loaded: loaded
                    .iter()
                    .find(|report| report.key.id == model.id)
                    .cloned(),
                model: model.clone(),
            })
            .collect())
    }

    /// Checks every file of model `id` (size and sha256).
    pub fn verify_model(&self, id: &str) -> Result<Vec<VerifiedFile>, Error> {
        let catalog = self.catalog()?;
        Ok(self.model_store().verify(&catalog, catalog.get(id)?)?)
    }

    /// Copies model `id` from a folder (e.g. a USB stick), verifying every file first.
    pub fn import_model(&self, id: &str, folder: &Path) -> Result<Vec<VerifiedFile>, Error> {
        let catalog = self.catalog()?;
        Ok(self
            .model_store()
            .import(catalog.get(id)?, folder, &mut |_, _| true)?)
    }

    pub fn device_choice(&self) -> Result<DeviceChoice, Error> {
        match settings::get(&self.store, DEVICE_SETTING)? {
            Some(text) => Ok(DeviceChoice::parse(&text)?),
            None => Ok(DeviceChoice::default()),
        }
    }

    pub fn set_device_choice(&self, choice: DeviceChoice) -> Result<(), Error> {
        let name = serde_json::to_value(choice)
            .ok()
            .and_then(|value| value.as_str().map(str::to_string))
            .unwrap_or_default();
        Ok(settings::set(&self.store, DEVICE_SETTING, &name)?)
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

    /// Deletes Tradewind's copy of model `id`; returns the bytes freed.
    pub fn remove_model(&self, id: &str) -> Result<u64, Error> {
        let catalog = self.catalog()?;
        self.loaded.unload(id);
        Ok(self.model_store().remove(catalog.get(id)?)?)
    }

    /// How Marian translators hold their matrices (q8_0 unless the seller chose f32).
    pub fn translation_precision(&self) -> Result<Precision, Error> {
        Ok(settings::get(&self.store, PRECISION_SETTING)?
            .and_then(|text| Precision::parse(&text))
            .unwrap_or(Precision::Q8_0))
    }

    pub fn set_translation_precision(&self, precision: Precision) -> Result<(), Error> {
        Ok(settings::set(
            &self.store,
            PRECISION_SETTING,
            precision.name(),
        )?)
    }

    pub fn compute_settings(&self) -> Result<ComputeSettings, Error> {
        let number = |key: &str| -> Result<Option<u64>, Error> {
            Ok(settings::get(&self.store, key)?.and_then(|text| text.parse().ok()))
        };
        Ok(ComputeSettings {
            translation_precision: self.translation_precision()?,
            threads: number(THREADS_SETTING)?.unwrap_or(0) as usize,
            model_memory_mb: number(MEMORY_SETTING)?.unwrap_or(DEFAULT_MODEL_MEMORY_MB),
            threads_in_use: candle_core::utils::get_num_threads(),
        })
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

    /// Runs model `id` (loading it if needed) on the settings' device and precision.
    pub fn run_model(
        &self,
        id: &str,
        input: &crate::ml::loaded::ModelInput,
    ) -> Result<ModelRun, Error> {
        let (model, load) = self.load_model(id, None, None)?;
        Ok(ModelRun {
            load,
            output: model.run(input)?,
        })
    }

    /// Model `id` ready to run, from memory if it is loaded, else verified and loaded
    /// on `device` (default: the setting) at `precision` (default: the setting, for
    /// models that offer a choice).
    pub fn load_model(
        &self,
        id: &str,
        device: Option<DeviceChoice>,
        precision: Option<Precision>,
    ) -> Result<(std::sync::Arc<LoadedModel>, LoadReport), Error> {
        let catalog = self.catalog()?;
        let model = catalog.get(id)?.clone();
        let selected = device::select(match device {
            Some(choice) => choice,
            None => self.device_choice()?,
        });
        if let Some(reason) = &selected.fallback {
            tracing::warn!("{reason}");
        }
        let precision = match (model.architecture, precision) {
            (Architecture::Marian, Some(precision)) => precision,
            (Architecture::Marian, None) => self.translation_precision()?,
            _ => Precision::F32,
        };
        let precision_name = match model.architecture {
            Architecture::Marian => precision.name().to_string(),
            _ => model.quantization.clone(),
        };
        let key = ModelKey {
            id: id.to_string(),
            device: selected.name.to_string(),
            precision: precision_name,
        };
        let files = self.model_store().verify(&catalog, &model)?;
        let weight_bytes = files.iter().map(|file| file.size).sum();
        let derived = self.data_dir.join("models").join(id).join("derived");
        let (loaded, report) = self.loaded.get_or_load(key, weight_bytes, || {
            let files = ModelFiles::new(id, &files);
            let device = &selected.device;
            Ok(match (model.architecture, &model.task) {
                (Architecture::Bert, Task::Sentiment) => {
                    LoadedModel::Sentiment(SentimentClassifier::load(&files, device)?)
                }
                (Architecture::Bert, _) => {
                    LoadedModel::Embedder(SentenceEmbedder::load(&files, device)?)
                }
                (Architecture::Marian, _) => {
                    std::fs::create_dir_all(&derived).map_err(|source| {
                        MlError::from(crate::input::InputError::Write {
                            path: derived.clone(),
                            source,
                        })
                    })?;
                    let cache = derived.join(format!("{}.gguf", precision.name()));
                    LoadedModel::Marian(MarianTranslator::load(
                        &files,
                        device,
                        precision,
                        Some(&cache),
                    )?)
                }
                (Architecture::QuantizedT5, _) => {
                    LoadedModel::Madlad(MadladTranslator::load(&files, device)?)
                }
                (Architecture::Clip, _) => {
                    LoadedModel::Tagger(ZeroShotTagger::load(&files, device)?)
                }
                (Architecture::QuantizedBlip, _) => {
                    LoadedModel::Captioner(Captioner::load(&files, device)?)
                }
                (Architecture::QuantizedQwen2, _) => {
                    LoadedModel::Generator(Generator::load(&files, device)?)
                }
            })
        })?;
        Ok((loaded, report))
    }

    /// The route from `source` to `target` the catalog offers, `prefer` deciding
    /// between Marian pairs and MADLAD.
    pub fn translation_route(
        &self,
        source: &str,
        target: &str,
        prefer: EngineChoice,
    ) -> Result<Route, Error> {
        route::plan(&self.catalog()?, source, target, prefer).ok_or_else(|| {
            Error::Ml(MlError::NoRoute {
                from: source.to_string(),
                to: target.to_string(),
            })
        })
    }

    /// For each of `targets` the catalog can translate `source` into, the family of
    /// models used unless the seller picks another: opus-mt where a pair (or two through
    /// English) exists, else MADLAD. Targets no model reaches are left out.
    pub fn default_engines(
        &self,
        source: &str,
        targets: &[String],
    ) -> Result<BTreeMap<String, EngineChoice>, Error> {
        let catalog = self.catalog()?;
        Ok(targets
            .iter()
            .filter(|target| target.as_str() != source)
            .filter_map(|target| {
                let route = route::plan(&catalog, source, target, EngineChoice::Marian)?;
                let choice = match route {
                    Route::Many { .. } => EngineChoice::Madlad,
                    Route::Direct { .. } | Route::Pivot { .. } => EngineChoice::Marian,
                };
                Some((target.clone(), choice))
            })
            .collect())
    }

    /// The models of a route with their revisions, e.g. "opus-mt-en-de@refs/pr/4": what
    /// a translation memory entry belongs to.
    pub fn route_label(&self, route: &Route) -> Result<String, Error> {
        let catalog = self.catalog()?;
        let labels: Vec<String> = route
            .models()
            .into_iter()
            .map(|id| Ok(format!("{id}@{}", catalog.get(id)?.revision)))
            .collect::<Result<_, MlError>>()?;
        Ok(labels.join("+"))
    }

    /// Runs `texts` through the models of `route` into `target`, loading what it needs.
    pub fn run_route(
        &self,
        route: &Route,
        texts: &[String],
        target: &str,
    ) -> Result<Vec<Translation>, MlError> {
        let mut current: Vec<String> = texts.to_vec();
        let mut tokens = vec![0; texts.len()];
        for id in route.models() {
            let (model, _) = self
                .load_model(id, None, None)
                .map_err(|error| match error {
                    Error::Ml(error) => error,
                    other => MlError::Run {
                        id: id.to_string(),
                        detail: other.to_string(),
                    },
                })?;
            let inputs: Vec<&str> = current.iter().map(String::as_str).collect();
            let translations = match &*model {
                LoadedModel::Marian(translator) => {
                    translator.translate(&inputs, &DecodeOptions::default())?
                }
                LoadedModel::Madlad(translator) => {
                    translator.translate(&inputs, target, MADLAD_MAX_TOKENS)?
                }
                _ => {
                    return Err(MlError::Run {
                        id: id.to_string(),
                        detail: "this model does not translate".into(),
                    });
                }
            };
            for (total, translation) in tokens.iter_mut().zip(&translations) {
                *total += translation.tokens;
            }
            current = translations
                .into_iter()
                .map(|translation| translation.text)
                .collect();
        }
        Ok(current
            .into_iter()
            .zip(tokens)
            .map(|(text, tokens)| Translation { text, tokens })
            .collect())
    }

    /// Translates `texts` from `source` into `target` along the best route.
    pub fn translate(
        &self,
        texts: &[&str],
        source: &str,
        target: &str,
        prefer: EngineChoice,
    ) -> Result<(Route, Vec<Translation>), Error> {
        let route = self.translation_route(source, target, prefer)?;
        let texts: Vec<String> = texts.iter().map(|text| text.to_string()).collect();
        let translations = self.run_route(&route, &texts, target)?;
        Ok((route, translations))
    }

    /// Writes a copy of the seller's product file `original` with the cells translated
    /// into `locale` in place: a Shopify CSV or another CSV with every other byte as it
    /// was; a workbook or JSON file of the seller's own layout with every other value.
    pub fn export_translated_copy(
        &self,
        original: &Path,
        locale: &str,
        out: &Path,
    ) -> Result<CopyReport, Error> {
        let source = source_name(original);
        let file = (original, source.as_str());
        let copied = match listings::mapping_of(&self.store, &source)? {
            Some(mapping) => {
                listings::table_copy::translated_copy(&self.store, file, &mapping, locale, out)
            }
            None => listings::export::translated_copy(&self.store, file, locale, out),
        };
        copied.map_err(export_error)
    }

    /// A product file's columns, first rows and the mapping Tradewind proposes, and
    /// whether it is a Shopify product CSV (which needs no mapping).
    pub fn preview_listings_file(&self, path: &Path) -> Result<ListingsFilePreview, Error> {
        let table = listings::table_import::preview(path)?;
        Ok(ListingsFilePreview {
            shopify: listings::shopify_csv::is_shopify(&table.columns),
            table,
        })
    }

    /// A translated copy of `original` for each of `only` (none: every language
    /// there are translations into), written beside it (or into `folder`) as
    /// NAME.LANG.EXT.
    pub fn export_translated_copies(
        &self,
        original: &Path,
        folder: Option<&Path>,
        only: &[String],
    ) -> Result<Vec<WrittenCopy>, Error> {
        let mut locales: Vec<String> = self
            .listing_translations()?
            .into_iter()
            .map(|row| row.locale)
            .filter(|locale| only.is_empty() || only.contains(locale))
            .collect();
        locales.sort();
        locales.dedup();
        let folder = folder
            .map(Path::to_path_buf)
            .or_else(|| original.parent().map(Path::to_path_buf))
            .unwrap_or_default();
        let stem = original
            .file_stem()
            .map_or("listings".into(), |stem| stem.to_string_lossy());
        let extension = original
            .extension()
            .map_or("csv".into(), |extension| extension.to_string_lossy());
        locales
            .into_iter()
            .map(|locale| {
                let path = folder.join(format!("{stem}.{locale}.{extension}"));
                let report = self.export_translated_copy(original, &locale, &path)?;
                Ok(WrittenCopy {
                    locale,
                    path,
                    report,
                })
            })
            .collect()
    }

    /// Fills in the shop's own translations export (Shopify admin or Translate &
    /// Adapt) with the stored translations, for the shop to import.
    pub fn fill_shopify_translations(
        &self,
        shop_export: &Path,
        out: &Path,
    ) -> Result<FilledReport, Error> {
        let rules = marketplace_rules()?;
        listings::shopify_translations::fill(&self.store, &rules, shop_export, out)
            .map_err(export_error)
    }

    /// Writes every stored translation as a CSV, XLSX or JSON table (by `out`'s
    /// extension), each with the limits of `marketplace` it breaks; returns how many rows.
    pub fn export_translations_table(
        &self,
        out: &Path,
        marketplace: Option<&str>,
    ) -> Result<usize, Error> {
        let rows: Vec<_> = match marketplace {
            Some(marketplace) => {
                let over = self.marketplace_violations(marketplace)?;
                self.listing_translations()?
                    .into_iter()
                    .map(|row| {
                        let found = over
                            .iter()
                            .find(|(stored, _)| {
                                (stored.listing_id, &stored.field, &stored.locale)
                                    == (row.listing_id, &row.field, &row.locale)
                            })
                            .map(|(_, violations)| violations.clone())
                            .unwrap_or_default();
                        (row, found)
                    })
                    .collect()
            }
            None => self
                .listing_translations()?
                .into_iter()
                .map(|row| (row, Vec::new()))
                .collect(),
        };
        listings::table_export::write(&rows, out).map_err(export_error)
    }

    /// The seller's review of one translated field: their edit, or an approval.
    pub fn review_translation(
        &self,
        listing_id: i64,
        field: &str,
        locale: &str,
        text: Option<&str>,
        review: translation::Review,
    ) -> Result<(), Error> {
        if translation::review(&self.store, listing_id, field, locale, text, review)? {
            Ok(())
        } else {
            Err(Error::Input(crate::input::InputError::Unreadable {
                path: format!("listing {listing_id}").into(),
                detail: format!("there is no {locale} translation of its {field}"),
            }))
        }
    }

    /// The marketplaces whose length limits Tradewind knows.
    pub fn marketplaces(&self) -> Result<Vec<String>, Error> {
        Ok(listings::rules::marketplaces(&marketplace_rules()?))
    }

    /// The stored translations that break `marketplace`'s length limits.
    pub fn marketplace_violations(
        &self,
        marketplace: &str,
    ) -> Result<Vec<(StoredTranslation, Vec<listings::rules::Violation>)>, Error> {
        let rules = marketplace_rules()?;
        let known = listings::rules::marketplaces(&rules);
        if !known.iter().any(|name| name == marketplace) {
            return Err(Error::InvalidSetting {
                setting: "marketplace",
                value: marketplace.to_string(),
                allowed: known.join(", "),
            });
        }
        Ok(self
            .listing_translations()?
            .into_iter()
            .filter_map(|row| {
                let found =
                    listings::rules::check(&rules, marketplace, &row.field, &row.translated);
                (!found.is_empty()).then_some((row, found))
            })
            .collect())
    }

    /// Adds or replaces the entries of a glossary CSV (source, language, target).
    pub fn import_glossary(&self, path: &Path) -> Result<usize, Error> {
        listings::glossary::import(&self.store, path).map_err(glossary_error)
    }

    pub fn export_glossary(&self, path: &Path) -> Result<usize, Error> {
        listings::glossary::export(&self.store, path).map_err(glossary_error)
    }

    pub fn glossary(&self) -> Result<Vec<listings::glossary::Entry>, Error> {
        Ok(listings::glossary::entries(&self.store)?)
    }

    /// Adds or replaces one glossary entry; translations made under the old glossary
    /// are retranslated by the next job.
    pub fn set_glossary_entry(&self, entry: &listings::glossary::Entry) -> Result<(), Error> {
        listings::glossary::set(&self.store, entry).map_err(glossary_error)
    }

    /// Removes the glossary entry of `source` in `language`; returns whether there was one.
    pub fn remove_glossary_entry(&self, source: &str, language: &str) -> Result<bool, Error> {
        Ok(listings::glossary::remove(&self.store, source, language)?)
    }

    /// The model (and its label) that translates `source` into `target` along the
    /// best route, for the translation pipeline.
    fn route_model(
        &self,
        source: &str,
        target: &str,
        prefer: EngineChoice,
        tokens: Option<Arc<std::sync::atomic::AtomicU64>>,
    ) -> Result<(String, Box<translation::ModelFn>), Error> {
        let route = self.translation_route(source, target, prefer)?;
        let label = self.route_label(&route)?;
        let engine = self.clone();
        let target = target.to_string();
        let model: Box<translation::ModelFn> = Box::new(move |texts: &[String]| {
            let translations = engine.run_route(&route, texts, &target)?;
            if let Some(tokens) = &tokens {
                let made: usize = translations
                    .iter()
                    .map(|translation| translation.tokens)
                    .sum();
                tokens.fetch_add(made as u64, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(translations
                .into_iter()
                .map(|translation| translation.text)
                .collect())
        });
        Ok((label, model))
    }

    /// Translates one field of one listing again by machine, from the language and
    /// with the family of models its stored translation was made with, replacing what
    /// is stored (the seller's edit too).
    pub fn retranslate_field(
        &self,
        listing_id: i64,
        field: &str,
        locale: &str,
    ) -> Result<(), Error> {
        let missing = |detail: String| {
            Error::Input(crate::input::InputError::Unreadable {
                path: format!("listing {listing_id}").into(),
                detail,
            })
        };
        let origin =
            translation::origin(&self.store, listing_id, field, locale)?.ok_or_else(|| {
                missing(format!(
                    "there is no {locale} translation of its {field} to redo"
                ))
            })?;
        let (label, mut model) =
            self.route_model(&origin.source_lang, locale, origin.prefer, None)?;
        let memory = TranslationMemory::new(self.store.clone());
        let found = translation::retranslate(
            &self.store,
            &memory,
            (listing_id, field, locale),
            &origin,
            &label,
            &mut *model,
        )?;
        if found {
            Ok(())
        } else {
            Err(missing(format!(
                "its {field} is empty now: nothing to translate"
            )))
        }
    }

    /// Every stored listing translation, for review and export.
    pub fn listing_translations(&self) -> Result<Vec<StoredTranslation>, Error> {
        Ok(translation::stored(&self.store)?)
    }

    /// Models in memory now, most recently used first, with what loading them cost.
    pub fn loaded_models(&self) -> Vec<LoadReport> {
        self.loaded.reports()
    }

    pub fn doctor(&self) -> Result<DoctorReport, Error> {
        let jobs = self.jobs()?;
        let count = |state: JobState| jobs.iter().filter(|job| job.state == state).count() as u64;
        Ok(DoctorReport {
            version: env!("CARGO_PKG_VERSION"),
            data_dir: self.data_dir.clone(),
            database: self.store.status()?,
            integrity_problems: self.store.integrity_problems()?,
            cpu: doctor::cpu_features(),
            devices: device::compiled(),
            kernels: device::kernel_simd(),
            loaded_models: self.loaded_models(),
            model_memory_budget_bytes: self.loaded.budget_bytes(),
            translation_precision: self.translation_precision()?.name(),
            models: self
                .models()?
                .into_iter()
                .filter(|status| matches!(status.presence, Presence::Present { .. }))
                .map(|status| status.model.id)
                .collect(),
            counts: self.overview()?,
            jobs: JobCounts {
                total: jobs.len() as u64,
                running: count(JobState::Running),
                interrupted: count(JobState::Interrupted),
                failed: count(JobState::Failed),
            },
        })
    }

    /// Writes the health report as JSON to `path`, atomically.
    pub fn save_doctor_report(&self, path: &Path) -> Result<(), Error> {
        let report = self.doctor()?;
        let json = serde_json::to_vec_pretty(&report).map_err(|error| {
            crate::input::InputError::Write {
                path: path.to_path_buf(),
                source: std::io::Error::other(error),
            }
        })?;
        Ok(crate::files::write_atomically(path, &json)?)
    }

    fn work(&self, spec: JobSpec) -> Work {
        let demo_dir = self.data_dir.join("demo");
        let models = self.model_store();
        // Read when the job runs, so a job resumed later sees the catalog then in force.
        let catalog_path = self.catalog_path.clone();
        let engine = self.clone();
        Box::new(move |context| {
            let catalog = catalog_at(catalog_path.as_deref());
            match spec {
                JobSpec::LoadDemo => demo::load(&demo_dir, context)
                    .map(|loaded| format!("Loaded the demo shop: {loaded}")),
                JobSpec::ImportListings { path, mapping } => {
                    let source = source_name(&path);
                    listings::import_listings(&path, &source, mapping.as_ref(), context).map(
                        |imported| {
                            format!(
                                "Imported {} listings ({} variants, {} images) from {}",
                                imported.listings,
                                imported.variants,
                                imported.images,
                                path.display()
                            )
                        },
                    )
                }
                JobSpec::ImportOrders { path } => {
                    analytics::import_shopify_orders(&path, &source_name(&path), context).map(
                        |imported| {
                            format!(
                                "Imported {} orders ({} line items) from {}",
                                imported.orders,
                                imported.lines,
                                path.display()
                            )
                        },
                    )
                }
                JobSpec::ImportPhotos { folder } => {
                    photos::import_folder(&folder, &source_name(&folder), context).map(|imported| {
                        format!(
                            "Imported {} photos from {}",
                            imported.photos,
                            folder.display()
                        )
                    })
                }
                JobSpec::ImportModel { id, folder } => {
                    import_model_job(&models, &catalog?, &id, &folder, context)
                }
                JobSpec::DownloadModel { id } => {
                    download_model_job(&models, &catalog?, &id, context)
                }
                JobSpec::TranslateListings {
                    source,
                    locales,
                    prefer,
                    engines,
                } => translate_listings_job(&engine, &source, &locales, prefer, &engines, context),
            }
        })
    }
}

fn marketplace_rules() -> Result<Vec<listings::rules::Rule>, Error> {
    listings::rules::rules().map_err(|detail| {
        Error::Input(crate::input::InputError::Unreadable {
            path: "assets/marketplace-rules.toml".into(),
            detail,
        })
    })
}

fn export_error(error: ExportError) -> Error {
    match error {
        ExportError::Input(error) => Error::Input(error),
        ExportError::Store(error) => Error::Store(error),
    }
}

fn glossary_error(error: listings::glossary::GlossaryError) -> Error {
    match error {
        listings::glossary::GlossaryError::Input(error) => Error::Input(error),
        listings::glossary::GlossaryError::Store(error) => Error::Store(error),
    }
}

/// The catalog at `path`, else `TRADEWIND_CATALOG`'s, else the built-in one.
fn catalog_at(path: Option<&Path>) -> Result<Catalog, Error> {
    Ok(match path {
        Some(path) => Catalog::load(path)?,
        None => Catalog::from_env()?,
    })
}

fn import_model_job(
    models: &ModelStore,
    catalog: &Catalog,
    id: &str,
    folder: &Path,
    context: &mut crate::jobs::JobContext,
) -> Result<String, Error> {
    let model = catalog.get(id)?;
    context.begin_stage("model", crate::jobs::Unit::Bytes, None, 0);
    let imported = models.import(model, folder, &mut |done, total| {
        context.report(done, Some(total))
    });
    model_job_outcome("Imported", id, imported)
}

/// Translates every listing into every locale along the routes the catalog offers.
fn translate_listings_job(
    engine: &Engine,
    source: &str,
    locales: &[String],
    prefer: EngineChoice,
    engines: &BTreeMap<String, EngineChoice>,
    context: &mut crate::jobs::JobContext,
) -> Result<String, Error> {
    let mut targets = Vec::new();
    for locale in locales {
        let prefer = engines.get(locale).copied().unwrap_or(prefer);
        let tokens = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (label, model) = engine.route_model(source, locale, prefer, Some(tokens.clone()))?;
        targets.push(translation::LocaleEngine {
            locale: locale.clone(),
            prefer,
            label,
            model,
            tokens,
        });
    }
    let memory = TranslationMemory::new(engine.store.clone());
    let request = translation::Request {
        source_lang: source,
        targets: &mut targets,
    };
    let done = translation::translate_listings(request, &memory, context)?;
    Ok(format!(
        "Translated {} fields into {} ({} sentences from the translation memory, {} by the models; {} fields unchanged; {} to review)",
        done.fields,
        locales.join(", "),
        done.from_memory,
        done.from_model,
        done.unchanged,
        done.flagged
    ))
}

/// Downloads what is missing of model `id`; cancelled or interrupted, it resumes
/// from the bytes already on disk.
fn download_model_job(
    models: &ModelStore,
    catalog: &Catalog,
    id: &str,
    context: &mut crate::jobs::JobContext,
) -> Result<String, Error> {
    let model = catalog.get(id)?;
    let endpoint = std::env::var("TRADEWIND_HF_ENDPOINT").ok();
    let downloader = crate::ml::download::Downloader::new(endpoint.as_deref())?;
    let total = Some(model.known_size());
    context.begin_stage("download", crate::jobs::Unit::Bytes, total, 0);
    let mut progress = |done, total| context.report(done, Some(total));
    let downloaded = tokio::runtime::Handle::current().block_on(models.download(
        model,
        &downloader,
        &mut progress,
    ));
    model_job_outcome("Downloaded", id, downloaded)
}

/// A model job's summary line; a stop the seller asked for is a cancellation.
fn model_job_outcome(
    verb: &str,
    id: &str,
    outcome: Result<Vec<VerifiedFile>, crate::ml::MlError>,
) -> Result<String, Error> {
    let files = outcome.map_err(|error| match error {
        crate::ml::MlError::Stopped => Error::Job(JobError::Cancelled),
        other => other.into(),
    })?;
    let bytes: u64 = files.iter().map(|file| file.size).sum();
    Ok(format!(
        "{verb} model {id}: {} files, {bytes} bytes, each verified",
        files.len()
    ))
}

/// Rows remember the file they came from, so importing that file again replaces them.
fn source_name(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{MARIAN_EN_DE_ID, write_fixtures};
    use crate::ml::loaded::ModelInput;

    fn engine_on_fixtures(dir: &Path) -> Engine {
        write_fixtures(&dir.join("fixtures"), 7).unwrap();
        Engine::open(EngineConfig {
            data_dir: Some(dir.join("data")),
            catalog: Some(dir.join("fixtures").join("catalog.toml")),
            ..EngineConfig::default()
        })
        .unwrap()
    }

    #[test]
    fn a_model_loads_once_falls_back_to_the_cpu_and_honours_the_precision_setting() {
        let dir = tempfile::tempdir().unwrap();
        let engine = engine_on_fixtures(dir.path());
        assert_eq!(engine.translation_precision().unwrap(), Precision::Q8_0);
        let (_, first) = engine.load_model(MARIAN_EN_DE_ID, None, None).unwrap();
        assert!(!first.cache_hit);
        assert_eq!(first.key.precision, "q8_0");
        let cache = dir
            .path()
            .join("data/models")
            .join(MARIAN_EN_DE_ID)
            .join("derived/q8_0.gguf");
        assert!(cache.is_file(), "the quantized weights are kept");

        // Another view asking again gets the loaded model; a clone of the engine too.
        let (model, again) = engine
            .clone()
            .load_model(MARIAN_EN_DE_ID, None, None)
            .unwrap();
        assert!(again.cache_hit);
        assert_eq!(again.load_ms, first.load_ms);
        let input = ModelInput {
            texts: vec!["red mug".into()],
            max_tokens: 4,
            ..ModelInput::default()
        };
        assert!(model.run(&input).is_ok());

        // A GPU this build lacks: the CPU, and the same loaded model.
        if !device::compiled().contains(&"cuda") {
            let (_, on_cuda) = engine
                .load_model(MARIAN_EN_DE_ID, Some(DeviceChoice::Cuda), None)
                .unwrap();
            assert_eq!(on_cuda.key.device, "cpu");
            assert!(on_cuda.cache_hit);
        }

        engine.set_translation_precision(Precision::F32).unwrap();
        let (_, dense) = engine.load_model(MARIAN_EN_DE_ID, None, None).unwrap();
        assert_eq!(dense.key.precision, "f32");
        assert!(!dense.cache_hit);
        assert_eq!(engine.loaded_models().len(), 2);
        assert_eq!(engine.doctor().unwrap().loaded_models.len(), 2);

        let listed = engine.models().unwrap();
        let marian = listed
            .iter()
            .find(|status| status.model.id == MARIAN_EN_DE_ID)
            .unwrap();
        assert_eq!(marian.loaded.as_ref().unwrap().key.precision, "f32");

        engine.remove_model(MARIAN_EN_DE_ID).unwrap();
        assert!(
            engine.loaded_models().is_empty(),
            "a deleted model is unloaded"
        );
    }

    #[test]
    fn translation_goes_direct_through_english_or_through_madlad() {
        let dir = tempfile::tempdir().unwrap();
        let engine = engine_on_fixtures(dir.path());
        let texts = ["red leather bag", "small mug"];
        let (route, direct) = engine
            .translate(&texts, "en", "de", EngineChoice::Marian)
            .unwrap();
        assert_eq!(route.models(), ["fixture-opus-mt-en-de"]);
        assert_eq!(direct.len(), 2);
        let targets: Vec<String> = ["de", "fr", "ja", "xx"].map(String::from).to_vec();
        assert_eq!(
            engine.default_engines("de", &targets).unwrap(),
            BTreeMap::from([
                ("fr".to_string(), EngineChoice::Marian),
                ("ja".to_string(), EngineChoice::Madlad),
            ]),
            "de→fr through English; ja only with MADLAD; no model for xx (nor de→de)"
        );
        let (route, pivoted) = engine
            .translate(&texts, "de", "fr", EngineChoice::Marian)
            .unwrap();
        assert_eq!(
            route.models(),
            ["fixture-opus-mt-de-en", "fixture-opus-mt-en-fr"]
        );
        assert!(pivoted.iter().all(|translation| translation.tokens > 0));
        let (route, _) = engine
            .translate(&texts, "en", "ja", EngineChoice::Marian)
            .unwrap();
        assert_eq!(route.models(), ["fixture-madlad-q4k"]);
        let error = engine
            .translate(&texts, "en", "xx", EngineChoice::Marian)
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("no model in the catalog translates en into xx"),
            "{error}"
        );
    }

    fn run(engine: &Engine, id: JobId, observer: JobObserver) -> JobRecord {
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(engine.run_job(id, observer))
            .unwrap()
    }

    fn run_to_success(engine: &Engine, spec: &JobSpec) -> String {
        let job = engine.create_job(spec).unwrap();
        let record = run(engine, job, std::sync::Arc::new(|_| {}));
        assert_eq!(
            record.state,
            crate::jobs::JobState::Succeeded,
            "{:?}",
            record.message
        );
        record.message.unwrap_or_default()
    }

    #[test]
    fn a_reimported_catalogue_keeps_its_translations_and_reviews_and_retranslates_only_what_changed()
     {
        let dir = tempfile::tempdir().unwrap();
        let engine = engine_on_fixtures(dir.path());
        let products = dir.path().join("products.csv");
        let catalogue = |second_title: &str, with_second: bool| {
            let mut text = String::from(
                "Title,URL handle,Description,Vendor,SKU,Price,Option1 name,Option1 value,Care (product.metafields.custom.care),Color (product.metafields.shopify.color-pattern)\r\n\
                 Linen Apron,linen-apron,<p>Washed linen apron.</p>,Kumo,LA-1,30.00,Colour,Sand,Wash cold and hang to dry.,sand\r\n\
                 ,linen-apron,,,LA-2,30.00,,Slate,,\r\n",
            );
            if with_second {
                text.push_str(&format!(
                    "{second_title},tea-towel,<p>A towel.</p>,Kumo,TT-1,12.00,,,,\r\n"
                ));
            }
            std::fs::write(&products, text).unwrap();
        };
        let import = JobSpec::ImportListings {
            path: products.clone(),
            mapping: None,
        };
        let translate = JobSpec::TranslateListings {
            source: "en".into(),
            locales: vec!["de".into()],
            prefer: EngineChoice::Marian,
            engines: BTreeMap::new(),
        };
        catalogue("Tea Towel", true);
        run_to_success(&engine, &import);
        run_to_success(&engine, &translate);
        let stored = engine.listing_translations().unwrap();
        let fields = |handle: &str| -> Vec<String> {
            let mut names: Vec<String> = stored
                .iter()
                .filter(|row| row.handle == handle)
                .map(|row| row.field.clone())
                .collect();
            names.sort();
            names
        };
        assert_eq!(
            fields("linen-apron"),
            [
                "body_html",
                "metafield:custom.care",
                "option_name:1",
                "option_value:1:Sand",
                "option_value:1:Slate",
                "title"
            ],
            "options and the text metafield are translated; the colour reference is not"
        );
        let apron = stored
            .iter()
            .find(|row| row.handle == "linen-apron" && row.field == "title")
            .unwrap();
        engine
            .review_translation(
                apron.listing_id,
                "title",
                "de",
                Some("Leinenschürze"),
                translation::Review::Edited,
            )
            .unwrap();

        catalogue("Striped Tea Towel", true);
        run_to_success(&engine, &import);
        let message = run_to_success(&engine, &translate);
        assert!(message.starts_with("Translated 1 fields"), "{message}");
        let after = engine.listing_translations().unwrap();
        assert_eq!(after.len(), stored.len());
        let apron_title = after
            .iter()
            .find(|row| row.handle == "linen-apron" && row.field == "title")
            .unwrap();
        assert_eq!(
            (apron_title.listing_id, apron_title.translated.as_str()),
            (apron.listing_id, "Leinenschürze"),
            "the same listing, with the seller's edit"
        );

        // The per-language copy carries the option and metafield translations too.
        let copy = dir.path().join("products.de.csv");
        let report = engine
            .export_translated_copy(&products, "de", &copy)
            .unwrap();
        assert_eq!(report.stale, 0);
        let translated = |field: &str| {
            after
                .iter()
                .find(|row| row.handle == "linen-apron" && row.field == field)
                .unwrap()
                .translated
                .clone()
        };
        let rows: Vec<Vec<String>> = csv::Reader::from_path(&copy)
            .unwrap()
            .records()
            .map(|record| record.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows[0][6], translated("option_name:1"));
        assert_eq!(rows[0][7], translated("option_value:1:Sand"));
        assert_eq!(rows[1][7], translated("option_value:1:Slate"));
        assert_eq!(rows[0][8], translated("metafield:custom.care"));
        assert_eq!((rows[0][9].as_str(), rows[1][4].as_str()), ("sand", "LA-2"));

        catalogue("", false);
        run_to_success(&engine, &import);
        assert_eq!(engine.listings().unwrap().len(), 1);
        assert!(
            engine
                .listing_translations()
                .unwrap()
                .iter()
                .all(|row| row.handle == "linen-apron")
        );
    }

    #[test]
    fn each_target_language_takes_the_family_of_models_chosen_for_it() {
        let dir = tempfile::tempdir().unwrap();
        let engine = engine_on_fixtures(dir.path());
        let demo = engine.create_job(&JobSpec::LoadDemo).unwrap();
        run(&engine, demo, std::sync::Arc::new(|_| {}));
        // Two listings are enough, and keep the many-language fixture quick.
        engine
            .store
            .connect()
            .unwrap()
            .execute(
                "DELETE FROM listings WHERE id > (SELECT min(id) + 1 FROM listings)",
                [],
            )
            .unwrap();
        let spec = JobSpec::TranslateListings {
            source: "en".into(),
            locales: vec!["de".into(), "fr".into()],
            prefer: EngineChoice::Marian,
            engines: BTreeMap::from([("fr".to_string(), EngineChoice::Madlad)]),
        };
        let job = engine.create_job(&spec).unwrap();
        assert_eq!(
            run(&engine, job, std::sync::Arc::new(|_| {})).state,
            crate::jobs::JobState::Succeeded
        );
        let conn = engine.store.connect().unwrap();
        let made_with = |locale: &str| -> Vec<(String, String)> {
            conn.prepare(
                "SELECT DISTINCT engine, prefer FROM listing_translations WHERE locale = ?1",
            )
            .unwrap()
            .query_map([locale], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        let (de, fr) = (made_with("de"), made_with("fr"));
        assert_eq!(de.len(), 1);
        assert!(
            de[0].0.contains("fixture-opus-mt-en-de") && de[0].1 == "marian",
            "{de:?}"
        );
        assert_eq!(fr.len(), 1);
        assert!(
            fr[0].0.contains("fixture-madlad-q4k") && fr[0].1 == "madlad",
            "{fr:?}"
        );
    }

    #[test]
    fn listings_translate_as_a_job_that_resumes_without_redoing_anything_and_export_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let engine = engine_on_fixtures(dir.path());
        let demo = engine.create_job(&JobSpec::LoadDemo).unwrap();
        run(&engine, demo, std::sync::Arc::new(|_| {}));
        let spec = JobSpec::TranslateListings {
            source: "en".into(),
            locales: vec!["de".into(), "fr".into()],
            prefer: EngineChoice::Marian,
            engines: BTreeMap::new(),
        };
        // One SEO description already in German, as mixed catalogues have.
        let german = "Wasserdichte Tragetasche aus gewachstem Canvas mit einer Schnalle aus Messing, ideal für den täglichen Weg zur Arbeit.";
        engine
            .store
            .connect()
            .unwrap()
            .execute("UPDATE listings SET seo_description = ?1 WHERE id = (SELECT min(id) FROM listings)", [german])
            .unwrap();

        // Cancel after a few listings have been committed.
        let job = engine.create_job(&spec).unwrap();
        let canceller = engine.clone();
        let cancelled = run(
            &engine,
            job,
            std::sync::Arc::new(move |event| {
                if let crate::jobs::JobEvent::Progress { job_id, progress } = event
                    && progress.done >= 3
                {
                    canceller.cancel_job(job_id);
                }
            }),
        );
        assert_eq!(cancelled.state, JobState::Cancelled);
        let partial = engine.listing_translations().unwrap().len();
        assert!(
            partial > 0,
            "some listings were translated before the cancel"
        );

        let throughput = std::sync::Arc::new(std::sync::Mutex::new(None));
        let reported = throughput.clone();
        let resumed = run(
            &engine,
            job,
            std::sync::Arc::new(move |event| {
                if let crate::jobs::JobEvent::Progress { progress, .. } = event
                    && progress.throughput.is_some()
                {
                    *reported.lock().unwrap() = progress.throughput;
                }
            }),
        );
        assert_eq!(resumed.state, JobState::Succeeded, "{:?}", resumed.message);
        let last = throughput.lock().unwrap().unwrap();
        assert!(
            last.segments > 0 && last.tokens > 0 && last.tokens_per_second.unwrap() > 0.0,
            "the progress reports segments and tokens/s: {last:?}"
        );
        let stored = engine.listing_translations().unwrap();
        let mut keys: Vec<(i64, &str, &str)> = stored
            .iter()
            .map(|row| (row.listing_id, row.field.as_str(), row.locale.as_str()))
            .collect();
        let all = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), all);
        // The resumed run translated only what the cancelled one had not stored.
        let message = resumed.message.unwrap_or_default();
        let resumed_fields: usize = message
            .strip_prefix("Translated ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|count| count.parse().ok())
            .unwrap();
        assert_eq!(resumed_fields, all - partial, "{message}");
        assert!(
            stored
                .iter()
                .any(|row| row.locale == "fr" && row.field == "body_html")
        );
        assert!(stored.iter().any(|row| row.field.starts_with("image_alt:")));
        let mixed = stored
            .iter()
            .find(|row| row.field == "seo_description" && row.source == german)
            .unwrap();
        assert!(
            mixed
                .flags
                .as_array()
                .unwrap()
                .iter()
                .any(|flag| flag["kind"] == "source_language" && flag["detected"] == "de"),
            "{mixed:?}"
        );
        assert!(
            stored
                .iter()
                .filter(|row| row.source != german)
                .all(|row| !row.flags.to_string().contains("source_language")),
            "the English fields are not flagged"
        );
        // Markup survives whatever the model wrote.
        let body = stored.iter().find(|row| row.field == "body_html").unwrap();
        assert_eq!(
            body.source.matches("<li>").count(),
            body.translated.matches("<li>").count()
        );

        // The seller's file back, per language: translated cells in place, all else as it was.
        let original = dir.path().join("products.csv");
        std::fs::write(&original, crate::demo::PRODUCTS_CSV).unwrap();
        let copy = dir.path().join("products.de.csv");
        let report = engine
            .export_translated_copy(&original, "de", &copy)
            .unwrap();
        // The description changed in the store above is not what the file says: left.
        assert_eq!(report.stale, 1);
        let german: Vec<&StoredTranslation> =
            stored.iter().filter(|row| row.locale == "de").collect();
        // Every translation is in place at least once (an option value once per row of
        // its variants), but for the stale description.
        assert!(report.replaced as usize >= german.len() - 1);
        let (before, after) = (crate::demo::PRODUCTS_CSV, std::fs::read(&copy).unwrap());
        let (old, new) = (
            crate::listings::csv_copy::records(before, b','),
            crate::listings::csv_copy::records(&after, b','),
        );
        assert_eq!(old.len(), new.len());
        let mut changed = 0;
        for (old_record, new_record) in old.iter().zip(&new) {
            for (index, (old_cell, new_cell)) in
                old_record.cells.iter().zip(&new_record.cells).enumerate()
            {
                if before[old_cell.clone()] != after[new_cell.clone()] {
                    changed += 1;
                    let value = &new_record.values[index];
                    assert!(german.iter().any(|row| &row.translated == value), "{value}");
                }
            }
        }
        assert_eq!(changed, report.replaced, "only the translated cells differ");
        let title = german.iter().find(|row| row.field == "title").unwrap();
        assert!(
            new.iter()
                .any(|record| record.values.contains(&title.translated))
        );

        // The seller's edit survives a new run; an approval keeps the text.
        let edited = german.iter().find(|row| row.field == "title").unwrap();
        engine
            .review_translation(
                edited.listing_id,
                "title",
                "de",
                Some("Mein Titel"),
                translation::Review::Edited,
            )
            .unwrap();
        assert!(
            engine
                .review_translation(0, "title", "de", None, translation::Review::Approved)
                .is_err()
        );

        // A glossary makes its term come out as the seller wants, and retranslates.
        let glossary = dir.path().join("glossary.csv");
        std::fs::write(
            &glossary,
            "source,language,target\nAtlas Trail,de,Atlas-Pfad\n",
        )
        .unwrap();
        assert_eq!(engine.import_glossary(&glossary).unwrap(), 1);
        let regloss = engine.create_job(&spec).unwrap();
        run(&engine, regloss, std::sync::Arc::new(|_| {}));
        let after = engine.listing_translations().unwrap();
        let with_term = after
            .iter()
            .filter(|row| row.locale == "de" && row.source.contains("Atlas Trail"))
            .collect::<Vec<_>>();
        assert!(!with_term.is_empty());
        // Where the model kept the placeholder the term is the glossary's; where it
        // lost it the field is flagged. Never the English term silently.
        for row in with_term {
            let flagged = row.flags.as_array().is_some_and(|flags| !flags.is_empty());
            assert!(
                row.translated.contains("Atlas-Pfad") || flagged || row.status != "machine",
                "{row:?}"
            );
        }

        // Nothing changed: a second job translates nothing.
        let again = engine.create_job(&spec).unwrap();
        let record = run(&engine, again, std::sync::Arc::new(|_| {}));
        assert!(record.message.unwrap().starts_with("Translated 0 fields"));
        assert_eq!(engine.listing_translations().unwrap().len(), all);
        let german_title = || {
            engine
                .listing_translations()
                .unwrap()
                .into_iter()
                .find(|row| {
                    row.listing_id == edited.listing_id
                        && row.field == "title"
                        && row.locale == "de"
                })
                .unwrap()
        };
        let kept = german_title();
        assert_eq!(
            (kept.translated.as_str(), kept.status.as_str()),
            ("Mein Titel", "edited")
        );
        // Asked for, the machine translates the field again over the edit.
        engine
            .retranslate_field(edited.listing_id, "title", "de")
            .unwrap();
        let redone = german_title();
        assert_eq!(redone.status, "machine");
        assert_ne!(redone.translated, "Mein Titel");
        let error = engine
            .retranslate_field(0, "title", "de")
            .unwrap_err()
            .to_string();
        assert!(error.contains("no de translation of its title"), "{error}");
    }

    #[test]
    fn compute_settings_are_kept_and_a_tiny_memory_budget_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let engine = engine_on_fixtures(dir.path());
        let mut settings = engine.compute_settings().unwrap();
        assert_eq!(settings.threads, 0);
        assert_eq!(settings.model_memory_mb, DEFAULT_MODEL_MEMORY_MB);
        assert!(settings.threads_in_use >= 1);
        settings.translation_precision = Precision::F32;
        settings.threads = 1;
        settings.model_memory_mb = 1024;
        let saved = engine.set_compute_settings(&settings).unwrap();
        assert_eq!(
            (
                saved.translation_precision,
                saved.threads,
                saved.model_memory_mb
            ),
            (Precision::F32, 1, 1024)
        );
        settings.model_memory_mb = 10;
        let error = engine
            .set_compute_settings(&settings)
            .unwrap_err()
            .to_string();
        assert!(error.contains("256 or more"), "{error}");
    }
}
