use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::Transaction;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::progress::{RateMeter, Throughput};
use super::record::now;
use super::runner::JobObserver;
use super::{JobError, JobEvent, JobId, Progress, Unit};
use crate::store::Store;

/// What a job's work sees: its saved checkpoint, a way to commit progress together
/// with its data, and the cancel flag.
pub struct JobContext {
    id: JobId,
    store: Store,
    checkpoint: Map<String, Value>,
    cancel: Arc<AtomicBool>,
    observer: JobObserver,
    progress: Progress,
    meter: RateMeter,
}

impl JobContext {
    pub(super) fn new(
        id: JobId,
        store: Store,
        checkpoint: Map<String, Value>,
        cancel: Arc<AtomicBool>,
        observer: JobObserver,
    ) -> JobContext {
        JobContext {
            id,
            store,
            checkpoint,
            cancel,
            observer,
            progress: Progress {
                stage: String::new(),
                done: 0,
                total: None,
                unit: Unit::Items,
                rate_per_second: None,
                eta_seconds: None,
                throughput: None,
            },
            meter: RateMeter::new(0),
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// What an earlier run of this job saved for `stage`, if it got that far.
    pub fn saved<T: DeserializeOwned>(&self, stage: &str) -> Result<Option<T>, JobError> {
        self.checkpoint
            .get(stage)
            .map(|value| {
                serde_json::from_value(value.clone()).map_err(|error| JobError::BadRecord {
                    id: self.id,
                    detail: format!("checkpoint of stage '{stage}': {error}"),
                })
            })
            .transpose()
    }

    /// Enters a stage, `done` being how far an earlier run already got.
    pub fn begin_stage(&mut self, stage: &str, unit: Unit, total: Option<u64>, done: u64) {
        self.progress = Progress {
            stage: stage.to_string(),
            done,
            total,
            unit,
            rate_per_second: None,
            eta_seconds: None,
            throughput: None,
        };
        self.meter = RateMeter::new(done);
        self.emit();
    }

    /// Commits `tx` together with this stage's checkpoint and progress, so that the
    /// data and the position it was written up to can never disagree; then reports the
    /// progress and stops the work if the seller cancelled.
    pub fn commit(
        &mut self,
        tx: Transaction<'_>,
        done: u64,
        stage_state: &impl Serialize,
    ) -> Result<(), JobError> {
        let state = serde_json::to_value(stage_state).map_err(|error| JobError::BadRecord {
            id: self.id,
            detail: format!("checkpoint of stage '{}': {error}", self.progress.stage),
        })?;
        self.checkpoint.insert(self.progress.stage.clone(), state);
        let checkpoint = Value::Object(self.checkpoint.clone()).to_string();
        let write = tx
            .execute(
                "UPDATE jobs SET stage = ?2, done = ?3, total = ?4, unit = ?5, checkpoint = ?6, updated_at = ?7
                 WHERE id = ?1",
                (
                    self.id,
                    &self.progress.stage,
                    done,
                    self.progress.total,
                    self.progress.unit.as_str(),
                    &checkpoint,
                    now(),
                ),
            )
            .and_then(|_| tx.commit());
        write.map_err(|error| self.store.error(error))?;
        self.progress.done = done;
        self.emit();
        if self.is_cancelled() {
            return Err(JobError::Cancelled);
        }
        Ok(())
    }

    /// Notes a model job's segments and tokens made in this run of the stage; the
    /// next report or commit sends them.
    pub fn record_throughput(&mut self, segments: u64, tokens: u64) {
        self.progress.throughput = Some(Throughput {
            segments,
            tokens,
            tokens_per_second: self.meter.per_second(tokens),
        });
    }

    /// Reports progress that is not a checkpoint (within a unit of work that restarts
    /// whole if interrupted, such as one file). Returns false once the seller cancelled.
    pub fn report(&mut self, done: u64, total: Option<u64>) -> bool {
        self.progress.done = done;
        self.progress.total = total;
        self.emit();
        !self.is_cancelled()
    }

    fn emit(&mut self) {
        let (rate, eta) = self.meter.estimate(self.progress.done, self.progress.total);
        self.progress.rate_per_second = rate;
        self.progress.eta_seconds = eta;
        (self.observer)(JobEvent::Progress {
            job_id: self.id,
            progress: self.progress.clone(),
        });
    }
}
