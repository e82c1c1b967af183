use std::path::PathBuf;

use super::{JobId, JobState};
use crate::error_kind::ErrorKind;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("the job was cancelled; resume it to continue from where it stopped")]
    Cancelled,
    #[error("job {0} does not exist")]
    NotFound(JobId),
    #[error("job {id} is {state}; only an interrupted, cancelled or failed job can be resumed")]
    NotResumable { id: JobId, state: JobState },
    #[error("job {0} is running in another Tradewind process")]
    RunningElsewhere(JobId),
    #[error("cannot use the job lock file {path}: {source}")]
    Lock {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the saved state of job {id} is unreadable: {detail}")]
    BadRecord { id: JobId, detail: String },
    #[error("the job's background task stopped unexpectedly: {0}")]
    Panicked(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl JobError {
    /// A stable name for what went wrong, for scripts and the interface.
    pub fn kind(&self) -> ErrorKind {
        match self {
            JobError::Cancelled => ErrorKind::Cancelled,
            JobError::NotFound(_) => ErrorKind::NotFound,
            JobError::NotResumable { .. } | JobError::RunningElsewhere(_) => ErrorKind::JobState,
            JobError::Store(error) => error.kind(),
            JobError::Lock { .. } | JobError::BadRecord { .. } | JobError::Panicked(_) => {
                ErrorKind::Job
            }
        }
    }
}

/// What a job's work may fail with: the runner needs to tell a cancellation from a
/// failure, and keeps the failure's kind with the job.
pub trait Failure: std::fmt::Display + From<JobError> {
    fn is_cancelled(&self) -> bool;
    fn kind(&self) -> ErrorKind;
}

impl Failure for JobError {
    fn is_cancelled(&self) -> bool {
        matches!(self, JobError::Cancelled)
    }

    fn kind(&self) -> ErrorKind {
        JobError::kind(self)
    }
}
