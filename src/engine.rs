//! The core object: owns the data folder, the store and the job runner, and is what
//! the CLI and the desktop shell hold and call.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::analytics::{self, OrdersSummary};
use crate::doctor::{self, DoctorReport, JobCounts};
use crate::jobs::{
    JobError, JobId, JobObserver, JobRecord, JobRunner, JobState, PreparedJob, Work,
};
use crate::listings::{self, ListingSummary};
use crate::ml::catalog::{Catalog, ModelEntry};
use crate::ml::device::{self, DeviceChoice};
use crate::ml::embed::SentenceEmbedder;
use crate::ml::store::{ModelStore, Presence, VerifiedFile};
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
}

/// Long work the engine can run as a job. Saved with the job, so a job can be resumed
/// by a later process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobSpec {
    LoadDemo,
    ImportListings { path: PathBuf },
    ImportOrders { path: PathBuf },
    ImportPhotos { folder: PathBuf },
    ImportModel { id: String, folder: PathBuf },
    DownloadModel { id: String },
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
        }
    }
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
}

#[derive(Clone)]
pub struct Engine {
    data_dir: PathBuf,
    store: Store,
    jobs: JobRunner,
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
        Ok(Engine {
            data_dir,
            store,
            jobs,
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

    /// The model catalog in force (`TRADEWIND_CATALOG`, else the built-in one).
    pub fn catalog(&self) -> Result<Catalog, Error> {
        Ok(Catalog::from_env()?)
    }

    pub fn model_store(&self) -> ModelStore {
        ModelStore::new(self.data_dir.join("models"), self.store.clone())
    }

    /// Every catalog model with whether it is on this computer (no file is read).
    pub fn models(&self) -> Result<Vec<ModelStatus>, Error> {
        let catalog = self.catalog()?;
        let store = self.model_store();
        Ok(catalog
            .models
            .iter()
            .map(|model| ModelStatus {
                presence: store.presence(&catalog, model),
                disk_bytes: store.disk_use(model),
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
        Ok(self.model_store().remove(catalog.get(id)?)?)
    }

    /// Verifies and loads a sentence-embedding model on the chosen device.
    pub fn sentence_embedder(
        &self,
        id: &str,
        choice: DeviceChoice,
    ) -> Result<SentenceEmbedder, Error> {
        let files = self.verify_model(id)?;
        let selected = device::select(choice);
        if let Some(reason) = &selected.fallback {
            tracing::warn!("{reason}");
        }
        Ok(SentenceEmbedder::load(id, &files, &selected.device)?)
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
        Box::new(move |context| match spec {
            JobSpec::LoadDemo => demo::load(&demo_dir, context)
                .map(|loaded| format!("Loaded the demo shop: {loaded}")),
            JobSpec::ImportListings { path } => {
                listings::import_shopify_products(&path, &source_name(&path), context).map(
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
            JobSpec::ImportModel { id, folder } => import_model_job(&models, &id, &folder, context),
            JobSpec::DownloadModel { id } => download_model_job(&models, &id, context),
        })
    }
}

fn import_model_job(
    models: &ModelStore,
    id: &str,
    folder: &Path,
    context: &mut crate::jobs::JobContext,
) -> Result<String, Error> {
    let catalog = Catalog::from_env()?;
    let model = catalog.get(id)?;
    context.begin_stage("model", crate::jobs::Unit::Bytes, None, 0);
    let imported = models.import(model, folder, &mut |done, total| {
        context.report(done, Some(total))
    });
    model_job_outcome("Imported", id, imported)
}

/// Downloads what is missing of model `id`; cancelled or interrupted, it resumes
/// from the bytes already on disk.
fn download_model_job(
    models: &ModelStore,
    id: &str,
    context: &mut crate::jobs::JobContext,
) -> Result<String, Error> {
    let catalog = Catalog::from_env()?;
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
