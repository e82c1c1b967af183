use std::path::PathBuf;

use tradewind::{Engine, EngineConfig};

use crate::CommandError;

/// What every command reaches: the engine, or the reason it could not open (a locked
/// or damaged database), which each command then reports instead of the app panicking.
pub struct AppState {
    engine: Result<Engine, CommandError>,
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
        AppState { engine }
    }

    pub fn engine(&self) -> Result<&Engine, CommandError> {
        self.engine.as_ref().map_err(Clone::clone)
    }
}
