use std::collections::HashMap;
use std::fmt;
use std::fs::{File, TryLockError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use serde_json::{Map, Value};

use super::record::{self, Ending, JobRecord};
use super::{Failure, JobContext, JobError, JobEvent, JobId, JobState};
use crate::store::Store;

pub type JobObserver = Arc<dyn Fn(JobEvent) + Send + Sync>;

/// A job's work: returns what it did, which the runner keeps with the job both as
/// data (`O` serialised) and as one sentence (`O` displayed); or fails with `E`.
pub type Work<O, E> = Box<dyn FnOnce(&mut JobContext) -> Result<O, E> + Send>;

/// Starts, watches and cancels jobs. A running job holds an OS file lock; the kernel
/// drops it when the process dies, which is how a later process tells a job that is
/// running elsewhere from one that was interrupted.
#[derive(Clone)]
pub struct JobRunner {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    locks_dir: PathBuf,
    cancel_flags: Mutex<HashMap<JobId, Arc<AtomicBool>>>,
}

impl JobRunner {
    pub fn new(store: Store, locks_dir: PathBuf) -> JobRunner {
        JobRunner {
            inner: Arc::new(Inner {
                store,
                locks_dir,
                cancel_flags: Mutex::new(HashMap::new()),
            }),
        }
    }

    pub fn create(&self, kind: &str, spec: &str) -> Result<JobId, JobError> {
        Ok(record::insert(&self.inner.store, kind, spec)?)
    }

    pub fn get(&self, id: JobId) -> Result<JobRecord, JobError> {
        let conn = self.inner.store.connect()?;
        let job = record::load(&self.inner.store, &conn, id)?;
        self.reconcile(job)
    }

    /// Every job, newest first, with jobs whose process died shown as interrupted.
    pub fn list(&self) -> Result<Vec<JobRecord>, JobError> {
        record::load_all(&self.inner.store)?
            .into_iter()
            .map(|job| self.reconcile(job))
            .collect()
    }

    /// Asks a job running in this process to stop at its next checkpoint.
    /// Returns false when no such job runs here.
    pub fn cancel(&self, id: JobId) -> bool {
        match self.flags().get(&id) {
            Some(flag) => {
                flag.store(true, Ordering::Relaxed);
                true
            }
            None => false,
        }
    }

    /// Runs (or resumes) job `id` on the calling thread: [`JobRunner::prepare`], then
    /// [`PreparedJob::run`].
    pub fn run<O, E>(
        &self,
        id: JobId,
        work: Work<O, E>,
        observer: JobObserver,
    ) -> Result<JobRecord, E>
    where
        O: Serialize + fmt::Display,
        E: Failure,
    {
        self.prepare(id, work)?.run(observer)
    }

    /// Takes job `id`'s lock and checks that it may run, so that a refusal (already
    /// done, running elsewhere) reaches the caller before any work starts.
    pub fn prepare<O, E>(
        &self,
        id: JobId,
        work: Work<O, E>,
    ) -> Result<PreparedJob<O, E>, JobError> {
        let store = &self.inner.store;
        let lock = self.take_lock(id)?;
        let conn = store.connect()?;
        let job = record::load(store, &conn, id)?;
        // Holding the lock, a job still marked running was left so by a dead process.
        if !(job.state.is_resumable() || job.state == JobState::Running) {
            return Err(JobError::NotResumable {
                id,
                state: job.state,
            });
        }
        let checkpoint: Map<String, Value> =
            serde_json::from_str(&job.checkpoint).map_err(|error| JobError::BadRecord {
                id,
                detail: format!("checkpoint: {error}"),
            })?;
        Ok(PreparedJob {
            runner: self.clone(),
            id,
            lock,
            checkpoint,
            work,
        })
    }

    /// Does the work and saves how it ended: the outcome, a cancellation, or the
    /// failure (returned as the work's own error).
    fn execute<O, E>(
        &self,
        id: JobId,
        checkpoint: Map<String, Value>,
        work: Work<O, E>,
        observer: JobObserver,
    ) -> Result<(JobState, Ending), E>
    where
        O: Serialize + fmt::Display,
        E: Failure,
    {
        let store = &self.inner.store;
        let conn = store.connect().map_err(JobError::from)?;
        record::set_state(store, &conn, id, JobState::Running, &Ending::default())
            .map_err(JobError::from)?;
        let cancel = Arc::new(AtomicBool::new(false));
        self.flags().insert(id, cancel.clone());
        let mut context = JobContext::new(id, store.clone(), checkpoint, cancel, observer);
        let outcome = work(&mut context);
        self.flags().remove(&id);
        let (state, ending, failure) = match outcome {
            Ok(done) => (
                JobState::Succeeded,
                Ending {
                    message: Some(done.to_string()),
                    outcome: serde_json::to_string(&done).ok(),
                    error_kind: None,
                },
                None,
            ),
            Err(error) if error.is_cancelled() => (
                JobState::Cancelled,
                Ending {
                    message: Some(error.to_string()),
                    outcome: None,
                    error_kind: Some(error.kind()),
                },
                None,
            ),
            Err(error) => (
                JobState::Failed,
                Ending {
                    message: Some(error.to_string()),
                    outcome: None,
                    error_kind: Some(error.kind()),
                },
                Some(error),
            ),
        };
        record::set_state(store, &conn, id, state, &ending).map_err(JobError::from)?;
        match failure {
            Some(error) => Err(error),
            None => Ok((state, ending)),
        }
    }

    fn flags(&self) -> std::sync::MutexGuard<'_, HashMap<JobId, Arc<AtomicBool>>> {
        self.inner
            .cancel_flags
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_path(&self, id: JobId) -> PathBuf {
        self.inner.locks_dir.join(format!("job-{id}.lock"))
    }

    fn open_lock_file(&self, id: JobId) -> Result<File, JobError> {
        let path = self.lock_path(id);
        std::fs::create_dir_all(&self.inner.locks_dir)
            .and_then(|()| {
                File::options()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)
            })
            .map_err(|source| JobError::Lock { path, source })
    }

    fn take_lock(&self, id: JobId) -> Result<File, JobError> {
        let file = self.open_lock_file(id)?;
        match file.try_lock() {
            Ok(()) => Ok(file),
            Err(TryLockError::WouldBlock) => Err(JobError::RunningElsewhere(id)),
            Err(TryLockError::Error(source)) => Err(JobError::Lock {
                path: self.lock_path(id),
                source,
            }),
        }
    }

    /// A job marked running whose lock nobody holds was interrupted: say so, durably.
    fn reconcile(&self, mut job: JobRecord) -> Result<JobRecord, JobError> {
        if job.state != JobState::Running {
            return Ok(job);
        }
        match self.take_lock(job.id) {
            Ok(_lock) => {
                let conn = self.inner.store.connect()?;
                conn.execute(
                    "UPDATE jobs SET state = 'interrupted' WHERE id = ?1 AND state = 'running'",
                    [job.id],
                )
                .map_err(|error| self.inner.store.error(error))?;
                job.state = JobState::Interrupted;
                Ok(job)
            }
            Err(JobError::RunningElsewhere(_)) => Ok(job),
            Err(error) => Err(error),
        }
    }
}

/// A job that holds its lock and is cleared to run.
pub struct PreparedJob<O, E> {
    runner: JobRunner,
    id: JobId,
    lock: File,
    checkpoint: Map<String, Value>,
    work: Work<O, E>,
}

impl<O, E> PreparedJob<O, E>
where
    O: Serialize + fmt::Display,
    E: Failure,
{
    /// Does the work until it succeeds, fails or is cancelled, and always ends by
    /// reporting a `Finished` event. A failure is saved on the job and returned as
    /// the work's own error.
    pub fn run(self, observer: JobObserver) -> Result<JobRecord, E> {
        let PreparedJob {
            runner,
            id,
            lock,
            checkpoint,
            work,
        } = self;
        let ended = runner.execute(id, checkpoint, work, observer.clone());
        drop(lock);
        let (state, ending) = match &ended {
            Ok((state, ending)) => (*state, ending.clone()),
            Err(error) => (
                JobState::Failed,
                Ending {
                    message: Some(error.to_string()),
                    outcome: None,
                    error_kind: Some(error.kind()),
                },
            ),
        };
        if state == JobState::Succeeded {
            // A finished job needs no lock; a missing one is harmless, so the result is ignored.
            let _ = std::fs::remove_file(runner.lock_path(id));
        }
        observer(JobEvent::Finished {
            job_id: id,
            state,
            message: ending.message,
            outcome: ending
                .outcome
                .and_then(|text| serde_json::from_str(&text).ok()),
            error_kind: ending.error_kind,
        });
        ended?;
        Ok(runner.get(id)?)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use rusqlite::Connection;

    use super::*;
    use crate::jobs::Unit;
    use crate::store::{DATABASE_FILE, StoreOptions};

    struct Fixture {
        _dir: tempfile::TempDir,
        runner: JobRunner,
        store: Store,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE), StoreOptions::default()).unwrap();
        store
            .connect()
            .unwrap()
            .execute_batch("CREATE TABLE counted (n INTEGER PRIMARY KEY)")
            .unwrap();
        let runner = JobRunner::new(store.clone(), dir.path().join("locks"));
        Fixture {
            _dir: dir,
            runner,
            store,
        }
    }

    /// Inserts 1..=total into `counted`, one row per commit, resuming after the saved number.
    fn counting_work(total: u64, stop_after: Option<u64>) -> Work<String, JobError> {
        Box::new(move |context: &mut JobContext| {
            let start: u64 = context.saved("count")?.unwrap_or(0);
            context.begin_stage("count", Unit::Items, Some(total), start);
            let mut conn: Connection = context.store().connect()?;
            for n in start + 1..=total {
                if Some(n) == stop_after.map(|stop| stop + 1) {
                    return Err(JobError::Cancelled);
                }
                let tx = conn
                    .transaction()
                    .map_err(|error| context.store().error(error))?;
                tx.execute("INSERT INTO counted (n) VALUES (?1)", [n])
                    .map_err(|error| context.store().error(error))?;
                context.commit(tx, n, &n)?;
            }
            Ok(format!("counted to {total}"))
        })
    }

    fn silent() -> JobObserver {
        Arc::new(|_| {})
    }

    fn counted(store: &Store) -> i64 {
        store
            .connect()
            .unwrap()
            .query_row("SELECT count(*) FROM counted", [], |row| row.get(0))
            .unwrap()
    }

    #[test]
    fn a_job_runs_to_success_and_reports_every_commit() {
        let fixture = fixture();
        let id = fixture.runner.create("count", "{}").unwrap();
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        let observer: JobObserver = Arc::new(move |event| sink.lock().unwrap().push(event));
        let job = fixture
            .runner
            .run(id, counting_work(5, None), observer)
            .unwrap();
        assert_eq!(job.state, JobState::Succeeded);
        assert_eq!(job.message.as_deref(), Some("counted to 5"));
        assert_eq!(job.outcome, Some(serde_json::json!("counted to 5")));
        assert_eq!((job.progress.done, job.progress.total), (5, Some(5)));
        let events = events.lock().unwrap();
        assert_eq!(events.len(), 1 + 5 + 1, "begin, five commits, finish");
        assert!(matches!(
            events.last(),
            Some(JobEvent::Finished {
                state: JobState::Succeeded,
                ..
            })
        ));
    }

    #[test]
    fn a_cancelled_job_resumes_from_its_checkpoint_without_duplicates() {
        let fixture = fixture();
        let id = fixture.runner.create("count", "{}").unwrap();
        let job = fixture
            .runner
            .run(id, counting_work(10, Some(4)), silent())
            .unwrap();
        assert_eq!(job.state, JobState::Cancelled);
        assert_eq!(counted(&fixture.store), 4);
        let job = fixture
            .runner
            .run(id, counting_work(10, None), silent())
            .unwrap();
        assert_eq!(job.state, JobState::Succeeded);
        assert_eq!(counted(&fixture.store), 10);
    }

    #[test]
    fn cancel_stops_a_running_job_at_its_next_commit() {
        let fixture = fixture();
        let id = fixture.runner.create("count", "{}").unwrap();
        let runner = fixture.runner.clone();
        let observer: JobObserver = Arc::new(move |event| {
            if let JobEvent::Progress { progress, .. } = event
                && progress.done == 3
            {
                assert!(runner.cancel(id));
            }
        });
        let job = fixture
            .runner
            .run(id, counting_work(10, None), observer)
            .unwrap();
        assert_eq!(job.state, JobState::Cancelled);
        assert_eq!(counted(&fixture.store), 3);
        assert!(!fixture.runner.cancel(id), "nothing runs any more");
    }

    #[test]
    fn a_job_left_running_by_a_dead_process_shows_as_interrupted() {
        let fixture = fixture();
        let id = fixture.runner.create("count", "{}").unwrap();
        let conn = fixture.store.connect().unwrap();
        record::set_state(
            &fixture.store,
            &conn,
            id,
            JobState::Running,
            &Ending::default(),
        )
        .unwrap();
        assert_eq!(fixture.runner.get(id).unwrap().state, JobState::Interrupted);
        let job = fixture
            .runner
            .run(id, counting_work(3, None), silent())
            .unwrap();
        assert_eq!(job.state, JobState::Succeeded);
    }

    #[test]
    fn a_job_whose_lock_is_held_is_running_elsewhere_and_cannot_start_twice() {
        let fixture = fixture();
        let id = fixture.runner.create("count", "{}").unwrap();
        let conn = fixture.store.connect().unwrap();
        record::set_state(
            &fixture.store,
            &conn,
            id,
            JobState::Running,
            &Ending::default(),
        )
        .unwrap();
        let _held = fixture.runner.take_lock(id).unwrap();
        assert_eq!(fixture.runner.get(id).unwrap().state, JobState::Running);
        let error = fixture
            .runner
            .run(id, counting_work(3, None), silent())
            .unwrap_err();
        assert!(matches!(error, JobError::RunningElsewhere(_)), "{error}");
    }

    #[test]
    fn a_succeeded_job_cannot_be_resumed() {
        let fixture = fixture();
        let id = fixture.runner.create("count", "{}").unwrap();
        fixture
            .runner
            .run(id, counting_work(1, None), silent())
            .unwrap();
        let error = fixture
            .runner
            .run(id, counting_work(1, None), silent())
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("only an interrupted, cancelled or failed job"),
            "{error}"
        );
    }

    #[test]
    fn a_failing_job_is_saved_as_failed_with_its_message() {
        let fixture = fixture();
        let id = fixture.runner.create("count", "{}").unwrap();
        let work: Work<String, JobError> = Box::new(|_| {
            Err(JobError::Lock {
                path: "orders.csv".into(),
                source: std::io::Error::other("gone"),
            })
        });
        let error = fixture.runner.run(id, work, silent()).unwrap_err();
        assert!(error.to_string().contains("orders.csv"));
        let job = fixture.runner.get(id).unwrap();
        assert_eq!(job.state, JobState::Failed);
        assert_eq!(job.message, Some(error.to_string()));
        assert_eq!(job.error_kind, Some(crate::error_kind::ErrorKind::Job));
    }
}
