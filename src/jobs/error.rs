use std::path::PathBuf;

use super::{JobId, JobState};
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
