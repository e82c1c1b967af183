use std::path::PathBuf;

use rusqlite::ErrorCode;

use crate::error_kind::ErrorKind;

/// Everything that can go wrong between Tradewind and its SQLite database.
/// Each message is one sentence that names the database file, so the CLI and the
/// desktop app can show it as is.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the database {path} is locked by another program (is Tradewind already running?); close it and try again"
    )]
    Locked { path: PathBuf },
    #[error(
        "the database {path} is read-only; check the file's permissions or choose another data folder"
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "the disk that holds the database {path} is full; free some space and run it again (what did not fit was not saved)"
    )]
    DiskFull { path: PathBuf },
    #[error("{path} is not a Tradewind database or it is damaged ({detail})")]
    NotADatabase { path: PathBuf, detail: String },
    #[error("the database {path} cannot be opened: {detail}")]
    CannotOpen { path: PathBuf, detail: String },
    #[error(
        "the database {path} was written by a newer Tradewind (schema {found}, this build knows {known}); update Tradewind"
    )]
    TooNew {
        path: PathBuf,
        found: usize,
        known: usize,
    },
    #[error("the database {path} could not be upgraded: {detail}")]
    Migration { path: PathBuf, detail: String },
    #[error("{to} is inside the data folder {from}, or holds it: choose a folder elsewhere")]
    MoveInside { from: PathBuf, to: PathBuf },
    #[error("{to} is not empty: choose an empty folder or a new one")]
    MoveNotEmpty { to: PathBuf },
    #[error("cannot move the data folder: {path}: {source}")]
    MoveFailed {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error in {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// A stable name for what went wrong, for scripts and the interface.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::Locked { .. } => ErrorKind::DatabaseLocked,
            StoreError::ReadOnly { .. } => ErrorKind::DatabaseReadOnly,
            StoreError::DiskFull { .. } => ErrorKind::DiskFull,
            StoreError::NotADatabase { .. } => ErrorKind::DatabaseDamaged,
            StoreError::TooNew { .. } => ErrorKind::DatabaseTooNew,
            StoreError::MoveInside { .. } | StoreError::MoveNotEmpty { .. } => ErrorKind::BadInput,
            StoreError::MoveFailed { .. } => ErrorKind::CannotWrite,
            StoreError::DataDir { .. }
            | StoreError::CannotOpen { .. }
            | StoreError::Migration { .. }
            | StoreError::Sqlite { .. } => ErrorKind::Database,
        }
    }

    /// Sorts a raw SQLite error into the cases a seller can act on.
    pub fn from_sqlite(path: &std::path::Path, error: rusqlite::Error) -> StoreError {
        let path = path.to_path_buf();
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Locked { path }
            }
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly { path },
            Some(ErrorCode::DiskFull) => StoreError::DiskFull { path },
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                StoreError::NotADatabase {
                    path,
                    detail: error.to_string(),
                }
            }
            Some(ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => StoreError::CannotOpen {
                path,
                detail: error.to_string(),
            },
            _ => StoreError::Sqlite {
                path,
                source: error,
            },
        }
    }
}
