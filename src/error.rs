use crate::analytics::AnalyticsError;
use crate::assistant::AssistantError;
use crate::demo::DemoError;
use crate::error_kind::ErrorKind;
use crate::files::FileError;
use crate::jobs::{Failure, JobError};
use crate::listings::ListingsError;
use crate::ml::MlError;
use crate::photos::PhotosError;
use crate::reports::ReportError;
use crate::store::StoreError;

/// Any engine failure: what one of the capabilities below failed with, or a setting
/// the engine refused. Each variant's message is one sentence a seller can act on;
/// [`Error::kind`] gives scripts and the desktop app a stable name for it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Job(#[from] JobError),
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Ml(#[from] MlError),
    #[error(transparent)]
    Listings(#[from] ListingsError),
    #[error(transparent)]
    Analytics(#[from] AnalyticsError),
    #[error(transparent)]
    Photos(#[from] PhotosError),
    #[error(transparent)]
    Demo(#[from] DemoError),
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error(transparent)]
    Assistant(#[from] AssistantError),
    #[error("'{value}' is not a valid {setting}; choose one of: {allowed}")]
    InvalidSetting {
        setting: &'static str,
        value: String,
        allowed: String,
    },
}

impl Error {
    pub fn is_cancelled(&self) -> bool {
        match self {
            Error::Job(error) => matches!(error, JobError::Cancelled),
            Error::Ml(error) => matches!(error, MlError::Stopped),
            Error::Listings(error) => error.is_cancelled(),
            Error::Analytics(error) => error.is_cancelled(),
            Error::Photos(error) => error.is_cancelled(),
            Error::Demo(error) => error.is_cancelled(),
            Error::Assistant(error) => error.is_cancelled(),
            Error::Store(_) | Error::File(_) | Error::Report(_) | Error::InvalidSetting { .. } => {
                false
            }
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Store(error) => error.kind(),
            Error::Job(error) => error.kind(),
            Error::File(error) => error.kind(),
            Error::Ml(error) => error.kind(),
            Error::Listings(error) => error.kind(),
            Error::Analytics(error) => error.kind(),
            Error::Photos(error) => error.kind(),
            Error::Demo(error) => error.kind(),
            Error::Report(error) => error.kind(),
            Error::Assistant(error) => error.kind(),
            Error::InvalidSetting { .. } => ErrorKind::InvalidSetting,
        }
    }
}

impl Failure for Error {
    fn is_cancelled(&self) -> bool {
        Error::is_cancelled(self)
    }

    fn kind(&self) -> ErrorKind {
        Error::kind(self)
    }
}
