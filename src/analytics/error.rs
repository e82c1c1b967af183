use std::path::PathBuf;

use crate::error_kind::ErrorKind;
use crate::files::FileError;
use crate::jobs::JobError;
use crate::store::StoreError;

/// Anything that stops an orders import or an analysis.
#[derive(Debug, thiserror::Error)]
pub enum AnalyticsError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Job(#[from] JobError),
    #[error(
        "{path}: the file changed since this import started; import it again instead of resuming"
    )]
    ChangedSinceStarted { path: PathBuf },
}

impl AnalyticsError {
    /// Whether the work stopped because the seller asked it to.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, AnalyticsError::Job(JobError::Cancelled))
    }

    /// A stable name for what went wrong, for scripts and the interface.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AnalyticsError::File(error) => error.kind(),
            AnalyticsError::Store(error) => error.kind(),
            AnalyticsError::Job(error) => error.kind(),
            AnalyticsError::ChangedSinceStarted { .. } => ErrorKind::FileChanged,
        }
    }
}
