use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tradewind::jobs::{Progress, Unit};
use tradewind::{JobEvent, JobObserver};

/// A progress bar on stderr for a running job; hidden for `--json` and when stderr is
/// not a terminal, so scripts and CI logs get only the result.
pub struct ProgressDisplay {
    bar: ProgressBar,
}

impl ProgressDisplay {
    pub fn new(json: bool) -> ProgressDisplay {
        let bar = if json {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(0)
        };
        bar.enable_steady_tick(Duration::from_millis(200));
        ProgressDisplay { bar }
    }

    pub fn observer(&self) -> JobObserver {
        let bar = self.bar.clone();
        let last_stage = Arc::new(std::sync::Mutex::new(String::new()));
        Arc::new(move |event| {
            let JobEvent::Progress { progress, .. } = event else {
                return;
            };
            let mut stage = last_stage
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if *stage != progress.stage {
                bar.set_style(style(progress.unit));
                bar.set_prefix(progress.stage.clone());
                bar.reset();
                *stage = progress.stage.clone();
            }
            bar.set_length(progress.total.unwrap_or(0));
            bar.set_position(progress.done);
            bar.set_message(rate_and_eta(&progress));
        })
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn style(unit: Unit) -> ProgressStyle {
    let counts = match unit {
        Unit::Bytes => "{bytes}/{total_bytes}",
        Unit::Items => "{pos}/{len}",
    };
    ProgressStyle::with_template(&format!("{{prefix:>9}} [{{bar:32}}] {counts} {{msg}}"))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

fn rate_and_eta(progress: &Progress) -> String {
    let mut rate = match (progress.rate_per_second, progress.unit) {
        (Some(rate), Unit::Bytes) => format!("{}/s", indicatif::HumanBytes(rate as u64)),
        (Some(rate), Unit::Items) => format!("{rate:.1}/s"),
        (None, _) => String::new(),
    };
    if let Some(throughput) = &progress.throughput {
        rate.push_str(&format!(", {} segments", throughput.segments));
        if let Some(tokens) = throughput.tokens_per_second {
            rate.push_str(&format!(", {tokens:.0} tokens/s"));
        }
    }
    match progress.eta_seconds {
        Some(eta) => format!(
            "{rate}, {} left",
            indicatif::HumanDuration(Duration::from_secs_f64(eta))
        ),
        None => rate,
    }
}
