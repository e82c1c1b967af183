use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};

use tradewind::store::location::MoveProgress;
use tradewind::{Engine, EngineConfig};

use crate::CommandError;

type Opened = Result<Engine, CommandError>;

/// What every command reaches: the engine, or the reason it could not open (a locked
/// or damaged database), which each command then reports instead of the app panicking.
/// A restore, a move of the data folder or "delete all my data" opens it again on the
/// new database.
pub struct AppState {
    /// What the engine opens: the data folder named at start follows a move.
    config: RwLock<EngineConfig>,
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
            config: RwLock::new(config),
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
        let changed = change(&self.config());
        *engine = open(&self.config());
        Ok(changed?)
    }

    fn config(&self) -> EngineConfig {
        match self.config.read() {
            Ok(config) => config.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Moves the data folder to `to` (as `reopen_after`: no job running, no engine
    /// handed out meanwhile) and opens the engine there; returns where it is now.
    pub fn move_data_folder(
        &self,
        to: &Path,
        progress: &mut dyn FnMut(MoveProgress),
    ) -> Result<PathBuf, CommandError> {
        self.reopen_after(|config| {
            let moved = Engine::move_data_folder(config, to, progress)?;
            // A folder named at start (--data-dir) is named anew; the default one is
            // found at its new place by the engine.
            if config.data_dir.is_some() {
                let mut named = match self.config.write() {
                    Ok(named) => named,
                    Err(poisoned) => poisoned.into_inner(),
                };
                named.data_dir = Some(moved.clone());
            }
            Ok(moved)
        })
    }
}
