//! The facade the CLI and the desktop shell hold: the engine owns the data folder, the
//! store, the job runner and the models in memory, and each capability adds a file of
//! methods that delegate to the modules doing the work (`jobs`, `models`, `settings`,
//! `translation`, `exports`, `shop`, `health`). No logic lives here that a domain
//! module could hold.

mod assistant;
mod customers;
mod data;
mod exports;
mod first_run;
mod forecast;
mod health;
mod jobs;
mod models;
mod photos;
mod recommendations;
mod reports;
mod reviews;
mod segments;
mod settings;
mod shop;
mod translation;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use first_run::FirstRun;
pub use jobs::{Job, JobEvent, JobKind, JobObserver, JobOutcome, JobSpec, PreparedWork};
pub use models::{ModelRun, ModelStatus};
pub use photos::{CategoryChoice, PhotoVocabulary};
pub use settings::{ComputeSettings, DeviceStatus, Language};
pub use shop::ListingsFilePreview;

use crate::Error;
use crate::analytics::Frames;
use crate::jobs::JobRunner;
use crate::ml::catalog::Catalog;
use crate::ml::loaded::LoadedModels;
use crate::ml::store::ModelStore;
use crate::store::{DATABASE_FILE, Store, StoreError, StoreOptions};

#[derive(Debug, Clone, Default)]
pub struct EngineConfig {
    /// Where everything is kept; the OS's data folder for Tradewind when `None`.
    pub data_dir: Option<PathBuf>,
    /// How long to wait for another writer before reporting the database as locked.
    pub busy_timeout: Option<Duration>,
    /// The model catalog; `TRADEWIND_CATALOG`, else the built-in one, when `None`.
    pub catalog: Option<PathBuf>,
}

impl EngineConfig {
    /// The data folder this configuration names, or the OS's one for Tradewind.
    pub fn folder(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(Engine::default_data_dir)
    }
}

#[derive(Clone)]
pub struct Engine {
    data_dir: PathBuf,
    store: Store,
    jobs: JobRunner,
    loaded: Arc<LoadedModels>,
    /// The orders in memory for the analyses, read again when they change.
    frames: Arc<Frames>,
    catalog_path: Option<PathBuf>,
}

impl Engine {
    /// Opens the data folder (creating it on first use) and its database.
    pub fn open(config: EngineConfig) -> Result<Engine, Error> {
        let data_dir = config.folder();
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
        let compute = settings::startup(&store)?;
        Ok(Engine {
            data_dir,
            store,
            jobs,
            loaded: Arc::new(LoadedModels::new(compute.model_memory_mb * 1024 * 1024)),
            frames: Arc::default(),
            catalog_path: config.catalog,
        })
    }

    /// The OS's per-user data folder (e.g. `~/.local/share/tradewind` on Linux).
    /// The data folder when none is named: where the seller moved it, else the
    /// operating system's data folder for Tradewind.
    pub fn default_data_dir() -> PathBuf {
        crate::store::location::default_folder()
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The model catalog in force: the configured one, else `TRADEWIND_CATALOG`, else
    /// the built-in one.
    pub fn catalog(&self) -> Result<Catalog, Error> {
        Ok(catalog_at(self.catalog_path.as_deref())?)
    }

    pub fn model_store(&self) -> ModelStore {
        ModelStore::new(self.data_dir.join("models"), self.store.clone())
    }
}

/// The catalog at `path`, else `TRADEWIND_CATALOG`'s, else the built-in one.
fn catalog_at(path: Option<&Path>) -> Result<Catalog, crate::ml::MlError> {
    match path {
        Some(path) => Catalog::load(path),
        None => Catalog::from_env(),
    }
}
