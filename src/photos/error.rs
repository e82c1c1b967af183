use crate::error_kind::ErrorKind;
use crate::files::FileError;
use crate::jobs::JobError;
use crate::store::StoreError;

/// Anything that stops a photo import.
#[derive(Debug, thiserror::Error)]
pub enum PhotosError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Job(#[from] JobError),
}

impl PhotosError {
    /// Whether the work stopped because the seller asked it to.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, PhotosError::Job(JobError::Cancelled))
    }

    /// A stable name for what went wrong, for scripts and the interface.
    pub fn kind(&self) -> ErrorKind {
        match self {
            PhotosError::File(error) => error.kind(),
            PhotosError::Store(error) => error.kind(),
            PhotosError::Job(error) => error.kind(),
        }
    }
}
