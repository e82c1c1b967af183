use std::fmt;

use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{JobError, Progress, Unit};
use crate::error_kind::ErrorKind;
use crate::store::{Store, StoreError};

pub type JobId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Interrupted,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Succeeded => "succeeded",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
            JobState::Interrupted => "interrupted",
        }
    }

    fn parse(text: &str) -> Option<JobState> {
        Some(match text {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "succeeded" => JobState::Succeeded,
            "failed" => JobState::Failed,
            "cancelled" => JobState::Cancelled,
            "interrupted" => JobState::Interrupted,
            _ => return None,
        })
    }

    /// States from which `resume` may start the job again.
    pub fn is_resumable(self) -> bool {
        matches!(
            self,
            JobState::Queued | JobState::Interrupted | JobState::Cancelled | JobState::Failed
        )
    }
}

impl fmt::Display for JobState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A job as stored. Its outcome is the work's own data (JSON) for whoever knows the
/// kind of job; `message` is the same in one English sentence, or the error's.
#[derive(Debug, Clone, Serialize)]
pub struct JobRecord {
    pub id: JobId,
    pub kind: String,
    pub state: JobState,
    pub progress: Progress,
    pub message: Option<String>,
    /// What a succeeded job did, as its work reported it.
    pub outcome: Option<serde_json::Value>,
    /// The stable kind of a failed job's error.
    pub error_kind: Option<ErrorKind>,
    pub created_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
    #[serde(skip)]
    pub spec: String,
    #[serde(skip)]
    pub checkpoint: String,
}

const COLUMNS: &str = "id, kind, state, stage, done, total, unit, message, created_at, updated_at, finished_at, spec, checkpoint, outcome, error_kind";

pub(super) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(super) fn insert(store: &Store, kind: &str, spec: &str) -> Result<JobId, StoreError> {
    let conn = store.connect()?;
    let now = now();
    conn.execute(
        "INSERT INTO jobs (kind, spec, state, created_at, updated_at) VALUES (?1, ?2, 'queued', ?3, ?3)",
        (kind, spec, &now),
    )
    .map_err(|error| store.error(error))?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn load(store: &Store, conn: &Connection, id: JobId) -> Result<JobRecord, JobError> {
    let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = ?1");
    let raw = conn
        .query_row(&sql, [id], read_row)
        .optional()
        .map_err(|error| store.error(error))?;
    raw.ok_or(JobError::NotFound(id))?
}

pub(super) fn load_all(store: &Store) -> Result<Vec<JobRecord>, JobError> {
    let conn = store.connect()?;
    let sql = format!("SELECT {COLUMNS} FROM jobs ORDER BY id DESC");
    let mut statement = conn.prepare(&sql).map_err(|error| store.error(error))?;
    let rows = statement
        .query_map([], read_row)
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|error| store.error(error))?;
    rows.into_iter().collect()
}

/// How a run of a job ended, as it is saved.
#[derive(Debug, Clone, Default)]
pub(super) struct Ending {
    pub message: Option<String>,
    pub outcome: Option<String>,
    pub error_kind: Option<ErrorKind>,
}

pub(super) fn set_state(
    store: &Store,
    conn: &Connection,
    id: JobId,
    state: JobState,
    ending: &Ending,
) -> Result<(), StoreError> {
    let now = now();
    let finished = matches!(
        state,
        JobState::Succeeded | JobState::Failed | JobState::Cancelled
    )
    .then_some(now.as_str());
    conn.execute(
        "UPDATE jobs SET state = ?2, message = ?3, updated_at = ?4, finished_at = ?5, outcome = ?6, error_kind = ?7 WHERE id = ?1",
        rusqlite::params![
            id,
            state.as_str(),
            ending.message,
            &now,
            finished,
            ending.outcome,
            ending.error_kind.map(ErrorKind::name)
        ],
    )
    .map(|_| ())
    .map_err(|error| store.error(error))
}

/// Reads a row; a state or checkpoint this build does not understand becomes an error
/// for that job alone, not for the whole list.
fn read_row(row: &Row<'_>) -> rusqlite::Result<Result<JobRecord, JobError>> {
    let id: JobId = row.get(0)?;
    let state_text: String = row.get(2)?;
    let Some(state) = JobState::parse(&state_text) else {
        return Ok(Err(JobError::BadRecord {
            id,
            detail: format!("unknown state '{state_text}'"),
        }));
    };
    let unit: String = row.get(6)?;
    Ok(Ok(JobRecord {
        id,
        kind: row.get(1)?,
        state,
        progress: Progress {
            stage: row.get(3)?,
            done: row.get(4)?,
            total: row.get(5)?,
            unit: Unit::parse(&unit),
            rate_per_second: None,
            eta_seconds: None,
            throughput: None,
        },
        message: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
        finished_at: row.get(10)?,
        spec: row.get(11)?,
        checkpoint: row.get(12)?,
        outcome: row
            .get::<_, Option<String>>(13)?
            .and_then(|text| serde_json::from_str(&text).ok()),
        error_kind: row
            .get::<_, Option<String>>(14)?
            .and_then(|name| ErrorKind::from_name(&name)),
    }))
}
