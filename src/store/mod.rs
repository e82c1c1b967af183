//! The one SQLite database that remembers everything: settings, jobs, listings,
//! orders and photos. WAL mode, so the desktop app and the CLI can read while a job
//! writes; append-only migrations; errors a seller can act on.

pub mod backup;
mod error;
pub mod location;
pub mod many_rows;
mod migrations;
pub mod settings;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::StoreError;
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

pub const DATABASE_FILE: &str = "tradewind.db";

#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// How long a writer waits for another writer before reporting the database as locked.
    pub busy_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// A handle on the database file. Cheap to clone; every thread opens its own
/// connection with [`Store::connect`], since a SQLite connection is not shareable.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
    options: StoreOptions,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoreStatus {
    pub path: PathBuf,
    pub schema_version: usize,
    pub latest_schema_version: usize,
    pub size_bytes: u64,
    pub journal_mode: String,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path, options: StoreOptions) -> Result<Store, StoreError> {
        let store = Store {
            path: path.to_path_buf(),
            options,
        };
        let mut conn = store.connect()?;
        store.refuse_newer_schema(&conn)?;
        let journal_mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(|error| store.error(error))?;
        tracing::debug!(path = %path.display(), journal_mode, "database opened");
        migrations::migrations()
            .to_latest(&mut conn)
            .map_err(|error| match error {
                rusqlite_migration::Error::RusqliteError { err, .. } => store.error(err),
                other => StoreError::Migration {
                    path: store.path.clone(),
                    detail: other.to_string(),
                },
            })?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new connection with Tradewind's settings. Refuses a read-only file up front
    /// rather than failing on the first write.
    pub fn connect(&self) -> Result<Connection, StoreError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn =
            Connection::open_with_flags(&self.path, flags).map_err(|error| self.error(error))?;
        if conn
            .is_readonly(rusqlite::MAIN_DB)
            .map_err(|error| self.error(error))?
        {
            return Err(StoreError::ReadOnly {
                path: self.path.clone(),
            });
        }
        conn.busy_timeout(self.options.busy_timeout)
            .map_err(|error| self.error(error))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
            .map_err(|error| self.error(error))?;
        Ok(conn)
    }

    pub fn status(&self) -> Result<StoreStatus, StoreError> {
        let conn = self.connect()?;
        let schema_version: usize = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|error| self.error(error))?;
        let journal_mode: String = conn
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .map_err(|error| self.error(error))?;
        let size_bytes = std::fs::metadata(&self.path)
            .map(|meta| meta.len())
            .unwrap_or(0);
        Ok(StoreStatus {
            path: self.path.clone(),
            schema_version,
            latest_schema_version: migrations::latest_version(),
            size_bytes,
            journal_mode,
        })
    }

    /// Runs SQLite's full `PRAGMA integrity_check`; an empty list means the file is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.connect()?;
        let mut statement = conn
            .prepare("PRAGMA integrity_check")
            .map_err(|error| self.error(error))?;
        let lines = statement
            .query_map([], |row| row.get::<_, String>(0))
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(|error| self.error(error))?;
        Ok(lines.into_iter().filter(|line| line != "ok").collect())
    }

    /// Wraps a rusqlite error with this database's path.
    pub fn error(&self, error: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.path, error)
    }

    fn refuse_newer_schema(&self, conn: &Connection) -> Result<(), StoreError> {
        let found: usize = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|error| self.error(error))?;
        let known = migrations::latest_version();
        if found > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_in(dir: &Path) -> Result<Store, StoreError> {
        Store::open(&dir.join(DATABASE_FILE), StoreOptions::default())
    }

    #[test]
    fn a_new_database_uses_wal_and_the_latest_schema() {
        let dir = tempfile::tempdir().unwrap();
        let status = open_in(dir.path()).unwrap().status().unwrap();
        assert_eq!(status.journal_mode, "wal");
        assert_eq!(status.schema_version, status.latest_schema_version);
    }

    #[test]
    fn reopening_is_idempotent_and_the_file_is_sound() {
        let dir = tempfile::tempdir().unwrap();
        open_in(dir.path()).unwrap();
        let store = open_in(dir.path()).unwrap();
        assert!(store.integrity_problems().unwrap().is_empty());
    }

    #[test]
    fn a_database_from_a_newer_tradewind_is_refused_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA user_version = 999; CREATE TABLE future (x);")
            .unwrap();
        drop(conn);
        let error = open_in(dir.path()).unwrap_err();
        assert!(
            matches!(error, StoreError::TooNew { found: 999, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("newer Tradewind"));
    }

    #[test]
    fn a_file_that_is_not_a_database_is_named_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        let garbage = b"this is a spreadsheet, not a database; ".repeat(200);
        std::fs::write(&path, &garbage).unwrap();
        let error = open_in(dir.path()).unwrap_err();
        assert!(matches!(error, StoreError::NotADatabase { .. }), "{error}");
        assert!(error.to_string().contains(&path.display().to_string()));
        assert_eq!(std::fs::read(&path).unwrap(), garbage);
    }

    #[test]
    fn a_database_locked_by_another_writer_is_reported_as_locked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(DATABASE_FILE);
        open_in(dir.path()).unwrap();
        let holder = Connection::open(&path).unwrap();
        holder
            .execute_batch("BEGIN EXCLUSIVE; INSERT INTO settings VALUES ('a', 'b');")
            .unwrap();
        let store = Store::open(
            &path,
            StoreOptions {
                busy_timeout: Duration::from_millis(50),
            },
        )
        .unwrap();
        let error = settings::set(&store, "language", "en").unwrap_err();
        assert!(matches!(error, StoreError::Locked { .. }), "{error}");
    }
}
