use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use tradewind::{Engine, EngineConfig};

use crate::CommandError;

/// What every command reaches: the engine, or the reason it could not open (a locked
/// or damaged database), which each command then reports instead of the app panicking.
pub struct AppState {
    engine: Result<Engine, CommandError>,
    /// Set to stop the reply being written (one at a time: the Assistant view's).
    writing_stop: Arc<AtomicBool>,
}

impl AppState {
    pub fn open(data_dir: Option<PathBuf>) -> AppState {
        AppState::with_config(EngineConfig {
            data_dir,
            ..EngineConfig::default()
        })
    }

    pub fn with_config(config: EngineConfig) -> AppState {
        let engine = Engine::open(config).map_err(CommandError::from);
        if let Err(error) = &engine {
            tracing::error!(%error, "the engine did not open");
        }
        AppState {
            engine,
            writing_stop: Arc::default(),
        }
    }

    pub fn writing_stop(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.writing_stop)
    }

    pub fn engine(&self) -> Result<&Engine, CommandError> {
        self.engine.as_ref().map_err(Clone::clone)
    }
}
