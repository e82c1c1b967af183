//! Long work (imports, translation, tagging, downloads) runs as a job: its state lives
//! in SQLite, its progress streams to whoever watches (CLI bar, desktop channel), and a
//! job that died with its process is found again as interrupted and resumes from its
//! last checkpoint.
//!
//! Exactly-once: a job's work writes each chunk and its checkpoint in one transaction
//! ([`JobContext::commit`]), so a crash loses at most the chunk in flight, never
//! duplicates one.

mod context;
mod error;
mod progress;
mod record;
mod runner;

pub use context::JobContext;
pub use error::{Failure, JobError};
pub use progress::{JobEvent, Progress, Throughput, Unit};
pub use record::{JobId, JobRecord, JobState};
pub use runner::{JobObserver, JobRunner, PreparedJob, Work};
