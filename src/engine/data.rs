//! The seller's data as a whole: the database backed up to one file, restored from one,
//! the data folder moved elsewhere, or everything in it deleted. Restoring and deleting work on a data
//! folder no Tradewind has open, so they take its configuration rather than an engine.

use std::path::{Path, PathBuf};

use super::{Engine, EngineConfig};
use crate::Error;
use crate::store::location::{self, MoveProgress};
use crate::store::{DATABASE_FILE, StoreError, backup};

impl Engine {
    /// Writes the database (listings, orders, translations, settings, jobs) to
    /// `destination`, whole or not at all. Models and photos are not in it.
    pub fn back_up(&self, destination: &Path) -> Result<(), Error> {
        Ok(backup::backup(&self.store, destination)?)
    }

    /// Replaces the database of the configured data folder with the backup `file`;
    /// returns where the replaced database was kept.
    pub fn restore_backup(config: &EngineConfig, file: &Path) -> Result<Option<PathBuf>, Error> {
        Ok(backup::restore(&config.folder(), file)?)
    }

    /// Moves the configured data folder (database, models, jobs, the demo's files) to
    /// `to`, a new or empty folder, reporting the bytes copied when it is on another
    /// disk; refused while another Tradewind is writing to the database. A folder that
    /// was not named (the default one) is remembered as the one to use from now on.
    /// Returns where it is now.
    pub fn move_data_folder(
        config: &EngineConfig,
        to: &Path,
        progress: &mut dyn FnMut(MoveProgress),
    ) -> Result<PathBuf, Error> {
        let pointer = match config.data_dir {
            Some(_) => None,
            None => location::pointer_file(),
        };
        Ok(location::move_folder(
            &config.folder(),
            to,
            pointer.as_deref(),
            progress,
        )?)
    }

    /// Deletes everything in the configured data folder (the database, models, jobs,
    /// the demo's files), leaving it empty; refused while another Tradewind is
    /// writing to the database (one merely open is not seen: close the app first). Returns the entries removed.
    pub fn delete_all_data(config: &EngineConfig) -> Result<usize, Error> {
        let data_dir = config.folder();
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::DataDir { path, source }
        };
        let database = data_dir.join(DATABASE_FILE);
        if database.exists() {
            // Another Tradewind writing it would hold a lock: asking for it all tells.
            let conn = rusqlite::Connection::open(&database)
                .map_err(|error| StoreError::from_sqlite(&database, error))?;
            conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;")
                .map_err(|error| StoreError::from_sqlite(&database, error))?;
        }
        let Ok(entries) = std::fs::read_dir(&data_dir) else {
            return Ok(0);
        };
        let mut removed = 0;
        for entry in entries {
            let path = entry.map_err(io(&data_dir))?.path();
            if path.is_dir() {
                std::fs::remove_dir_all(&path).map_err(io(&path))?;
            } else {
                std::fs::remove_file(&path).map_err(io(&path))?;
            }
            removed += 1;
        }
        Ok(removed)
    }
}
