use std::time::Instant;

use serde::Serialize;

use super::{JobId, JobState};
use crate::error_kind::ErrorKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Items,
    Bytes,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Items => "items",
            Unit::Bytes => "bytes",
        }
    }

    pub fn parse(text: &str) -> Unit {
        match text {
            "bytes" => Unit::Bytes,
            _ => Unit::Items,
        }
    }
}

/// Where a job stands: which stage, how far through it, and how fast it goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Progress {
    pub stage: String,
    pub done: u64,
    pub total: Option<u64>,
    pub unit: Unit,
    pub rate_per_second: Option<f64>,
    pub eta_seconds: Option<f64>,
    /// For model work: the segments done and the tokens made per second.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub throughput: Option<Throughput>,
}

/// How much a model job got through in this run of its stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Throughput {
    pub segments: u64,
    pub tokens: u64,
    pub tokens_per_second: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum JobEvent {
    Progress {
        job_id: JobId,
        progress: Progress,
    },
    Finished {
        job_id: JobId,
        state: JobState,
        /// What the job did, or why it stopped, in one English sentence.
        message: Option<String>,
        /// What a succeeded job did, as its work reported it.
        outcome: Option<serde_json::Value>,
        /// The stable kind of a failed job's error.
        error_kind: Option<ErrorKind>,
    },
}

/// Measures the rate over this run of the current stage only: work done by an earlier,
/// interrupted run must not make the rate look faster than it is.
#[derive(Debug)]
pub(super) struct RateMeter {
    started: Instant,
    done_at_start: u64,
}

impl RateMeter {
    pub(super) fn new(done_at_start: u64) -> RateMeter {
        RateMeter {
            started: Instant::now(),
            done_at_start,
        }
    }

    /// `amount` (made in this run) per second so far.
    pub(super) fn per_second(&self, amount: u64) -> Option<f64> {
        let seconds = self.started.elapsed().as_secs_f64();
        (seconds >= 0.05 && amount > 0).then(|| amount as f64 / seconds)
    }

    pub(super) fn estimate(&self, done: u64, total: Option<u64>) -> (Option<f64>, Option<f64>) {
        let seconds = self.started.elapsed().as_secs_f64();
        let progressed = done.saturating_sub(self.done_at_start);
        if seconds < 0.05 || progressed == 0 {
            return (None, None);
        }
        let rate = progressed as f64 / seconds;
        let eta = total.map(|total| total.saturating_sub(done) as f64 / rate);
        (Some(rate), eta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_rate_is_claimed_before_any_work_is_measured() {
        let meter = RateMeter::new(10);
        assert_eq!(meter.estimate(10, Some(100)), (None, None));
    }

    #[test]
    fn rate_counts_only_this_runs_work_and_eta_follows_from_it() {
        let meter = RateMeter {
            started: Instant::now() - std::time::Duration::from_secs(2),
            done_at_start: 100,
        };
        let (rate, eta) = meter.estimate(300, Some(500));
        let rate = rate.unwrap();
        assert!((rate - 100.0).abs() < 5.0, "{rate}");
        assert!((eta.unwrap() - 2.0).abs() < 0.2);
    }
}
