//! Forecasts of weekly demand that suit a small shop's products, most of which sell in
//! some weeks and not others (intermittent demand):
//!
//! - simple exponential smoothing (SES), for products that sell most weeks;
//! - Croston's method: the size of a sale and the gap between sales smoothed apart,
//!   demand per week = size / gap;
//! - SBA (Syntetos–Boylan approximation): Croston's estimate × (1 − α/2), which removes
//!   its known upward bias;
//! - TSB (Teunter–Syntetos–Babai): the probability of a sale in a week smoothed instead
//!   of the gap, so a product that stopped selling fades to zero;
//! - the mean of the history, the baseline.
//!
//! Each gives a flat forecast (the same demand for every week ahead) and its one-step
//! errors over the history, from which the prediction interval comes.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ForecastMethod {
    Mean,
    Ses,
    Croston,
    Sba,
    Tsb,
}

impl ForecastMethod {
    pub const ALL: [ForecastMethod; 5] = [
        ForecastMethod::Mean,
        ForecastMethod::Ses,
        ForecastMethod::Croston,
        ForecastMethod::Sba,
        ForecastMethod::Tsb,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ForecastMethod::Mean => "mean",
            ForecastMethod::Ses => "ses",
            ForecastMethod::Croston => "croston",
            ForecastMethod::Sba => "sba",
            ForecastMethod::Tsb => "tsb",
        }
    }
}

/// The smoothing constants tried; the one with the smallest one-step error is kept.
const ALPHAS: [f64; 4] = [0.05, 0.1, 0.2, 0.3];

/// A method fitted to a history: the demand per week it forecasts, and its one-step
/// forecasts' errors (history minus forecast) from the second week on.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub weekly: f64,
    pub errors: Vec<f64>,
}

impl Fitted {
    pub fn mean_absolute_error(&self) -> f64 {
        mean(self.errors.iter().map(|error| error.abs()))
    }
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = values.fold((0.0, 0usize), |(sum, count), value| {
        (sum + value, count + 1)
    });
    if count == 0 { 0.0 } else { sum / count as f64 }
}

/// Runs a one-step-ahead forecaster over `history`: `step` takes the week's demand and
/// updates its state; `forecast` reads the state.
fn one_step<S>(
    history: &[f64],
    mut state: S,
    step: impl Fn(&mut S, f64),
    forecast: impl Fn(&S) -> f64,
) -> Fitted {
    let mut errors = Vec::with_capacity(history.len());
    for (week, demand) in history.iter().enumerate() {
        if week > 0 {
            errors.push(demand - forecast(&state));
        }
        step(&mut state, *demand);
    }
    Fitted {
        weekly: forecast(&state).max(0.0),
        errors,
    }
}

fn ses(history: &[f64], alpha: f64) -> Fitted {
    let first = history.first().copied().unwrap_or(0.0);
    one_step(
        history,
        first,
        |level, demand| *level += alpha * (demand - *level),
        |level| *level,
    )
}

/// Croston's state: smoothed sale size, smoothed gap in weeks, weeks since the last sale.
#[derive(Clone, Copy)]
struct Croston {
    size: Option<f64>,
    gap: f64,
    since: f64,
}

fn croston(history: &[f64], alpha: f64, debias: f64) -> Fitted {
    one_step(
        history,
        Croston {
            size: None,
            gap: 1.0,
            since: 0.0,
        },
        |state, demand| {
            state.since += 1.0;
            if demand > 0.0 {
                match state.size {
                    None => {
                        state.size = Some(demand);
                        state.gap = state.since;
                    }
                    Some(size) => {
                        state.size = Some(size + alpha * (demand - size));
                        state.gap += alpha * (state.since - state.gap);
                    }
                }
                state.since = 0.0;
            }
        },
        |state| {
            state
                .size
                .map_or(0.0, |size| debias * size / state.gap.max(1.0))
        },
    )
}

/// TSB's state: the probability of a sale in a week and the smoothed sale size.
fn tsb(history: &[f64], alpha: f64, beta: f64) -> Fitted {
    let sold = history.iter().filter(|demand| **demand > 0.0).count();
    let size = mean(history.iter().copied().filter(|demand| *demand > 0.0));
    one_step(
        history,
        (sold as f64 / history.len().max(1) as f64, size),
        |(probability, size), demand| {
            let sold = if demand > 0.0 { 1.0 } else { 0.0 };
            *probability += beta * (sold - *probability);
            if demand > 0.0 {
                *size += alpha * (demand - *size);
            }
        },
        |(probability, size)| probability * size,
    )
}

fn history_mean(history: &[f64]) -> Fitted {
    one_step(
        history,
        (0.0, 0.0),
        |(sum, weeks), demand| {
            *sum += demand;
            *weeks += 1.0;
        },
        |(sum, weeks)| if *weeks > 0.0 { sum / weeks } else { 0.0 },
    )
}

/// `method` fitted to `history`, its smoothing constants chosen by one-step error.
pub fn fit(method: ForecastMethod, history: &[f64]) -> Fitted {
    let best = |candidates: Vec<Fitted>| {
        candidates
            .into_iter()
            .min_by(|a, b| a.mean_absolute_error().total_cmp(&b.mean_absolute_error()))
            .unwrap_or_else(|| history_mean(history))
    };
    match method {
        ForecastMethod::Mean => history_mean(history),
        ForecastMethod::Ses => best(ALPHAS.iter().map(|alpha| ses(history, *alpha)).collect()),
        ForecastMethod::Croston => best(
            ALPHAS
                .iter()
                .map(|alpha| croston(history, *alpha, 1.0))
                .collect(),
        ),
        ForecastMethod::Sba => best(
            ALPHAS
                .iter()
                .map(|alpha| croston(history, *alpha, 1.0 - alpha / 2.0))
                .collect(),
        ),
        ForecastMethod::Tsb => best(
            ALPHAS
                .iter()
                .flat_map(|alpha| ALPHAS.iter().map(move |beta| tsb(history, *alpha, *beta)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steady_demand_is_forecast_as_itself_and_sba_a_little_under() {
        let history = vec![3.0; 20];
        for method in ForecastMethod::ALL {
            let fitted = fit(method, &history);
            // SBA's correction is for intermittent demand: on steady demand it forecasts
            // 1 − α/2 of it, with the smallest α.
            let expected = if method == ForecastMethod::Sba {
                3.0 * (1.0 - ALPHAS[0] / 2.0)
            } else {
                3.0
            };
            assert!(
                (fitted.weekly - expected).abs() < 1e-9,
                "{method:?}: {fitted:?}"
            );
        }
    }

    #[test]
    fn croston_is_size_over_gap_and_sba_removes_its_bias() {
        // Four units every fourth week: Croston's demand is 4 / 4 = 1 a week.
        let history: Vec<f64> = (0..40)
            .map(|week| if week % 4 == 3 { 4.0 } else { 0.0 })
            .collect();
        let croston = croston(&history, 0.1, 1.0);
        assert!((croston.weekly - 1.0).abs() < 1e-9, "{croston:?}");
        let sba = croston_sba(&history);
        assert!((sba - 0.95).abs() < 1e-9, "{sba}");
    }

    fn croston_sba(history: &[f64]) -> f64 {
        croston(history, 0.1, 1.0 - 0.1 / 2.0).weekly
    }

    #[test]
    fn tsb_fades_a_product_that_stopped_selling_and_croston_does_not() {
        let mut history = vec![2.0; 20];
        history.extend(vec![0.0; 30]);
        let tsb = fit(ForecastMethod::Tsb, &history).weekly;
        let croston = fit(ForecastMethod::Croston, &history).weekly;
        assert!(tsb < 0.2, "{tsb}");
        assert!(croston > 1.0, "{croston}");
    }
}
