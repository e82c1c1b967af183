//! The Tradewind engine: everything the desktop app and the `tradewind` CLI do, with
//! no user interface of its own. It knows nothing of Tauri; the shell adapts it.
//!
//! Start with [`Engine`]: it owns the data folder, the SQLite store and the job runner.

pub mod analytics;
pub mod assistant;
pub mod demo;
pub mod doctor;
mod engine;
mod error;
pub mod error_kind;
pub mod files;
pub mod jobs;
pub mod listings;
pub mod ml;
pub mod money;
pub mod overview;
pub mod photos;
pub mod reports;
pub mod store;

pub use engine::{
    CategoryChoice, ComputeSettings, DeviceStatus, Engine, EngineConfig, FirstRun, Job, JobEvent,
    JobKind, JobObserver, JobOutcome, JobSpec, Language, ListingsFilePreview, ModelRun,
    ModelStatus, PhotoVocabulary, PreparedWork,
};
pub use error::Error;
pub use error_kind::ErrorKind;
