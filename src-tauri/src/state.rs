use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};

use tradewind::{Engine, EngineConfig};

use crate::CommandError;

type Opened = Result<Engine, CommandError>;

/// What every command reaches: the engine, or the reason it could not open (a locked
/// or damaged database), which each command then reports instead of the app panicking.
/// A restore or "delete all my data" opens it again on the new database.
pub struct AppState {
    config: EngineConfig,
    engine: RwLock<Opened>,
    /// Set to stop the reply being written (one at a time: the Assistant view's).
    writing_stop: Arc<AtomicBool>,
}

fn open(config: &EngineConfig) -> Opened {
    let engine = Engine::open(config.clone()).map_err(CommandError::from);
    if let Err(error) = &engine {
        tracing::error!(%error, "the engine did not open");
    }
    engine
}

impl AppState {
    pub fn open(data_dir: Option<PathBuf>) -> AppState {
        AppState::with_config(EngineConfig {
            data_dir,
            ..EngineConfig::default()
        })
    }

    pub fn with_config(config: EngineConfig) -> AppState {
        AppState {
            engine: RwLock::new(open(&config)),
            config,
            writing_stop: Arc::default(),
        }
    }

    pub fn writing_stop(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.writing_stop)
    }

    /// The engine (a handle: clones share the database, jobs and models in memory).
    pub fn engine(&self) -> Result<Engine, CommandError> {
        match self.engine.read() {
            Ok(engine) => engine.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Runs `change` on the data folder with no engine handed out meanwhile (no job may
    /// be running), then opens the engine again on what it left.
    pub fn reopen_after<T>(
        &self,
        change: impl FnOnce(&EngineConfig) -> Result<T, tradewind::Error>,
    ) -> Result<T, CommandError> {
        let mut engine = match self.engine.write() {
            Ok(engine) => engine,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Ok(open) = engine.as_ref()
            && open
                .jobs()?
                .iter()
                .any(|job| job.state == tradewind::jobs::JobState::Running)
        {
            return Err(CommandError {
                kind: tradewind::ErrorKind::JobState,
                message: "a job is running: wait for it to end, or cancel it, first".into(),
            });
        }
        let changed = change(&self.config);
        *engine = open(&self.config);
        Ok(changed?)
    }
}
