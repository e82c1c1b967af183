//! What a seller narrows every analysis to: a date range, channels, countries,
//! currencies and a product. One filter applies to every chart and table
//! (`frame::OrdersFrame::select` applies it).

use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use super::channels::Channel;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct Filter {
    /// The first day, like 2025-01-01 (inclusive).
    pub from: Option<String>,
    /// The last day (inclusive).
    pub to: Option<String>,
    /// Only these channels; all when empty.
    pub channels: Vec<Channel>,
    /// Only orders shipped to these countries (as the exports write them); all when empty.
    pub countries: Vec<String>,
    /// Only orders in these currencies; all when empty.
    pub currencies: Vec<String>,
    /// Only orders with a line whose SKU is this, or whose name contains it.
    pub product: Option<String>,
}

fn day(value: &Option<String>, what: &'static str) -> Result<Option<String>, AnalyticsError> {
    match value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        None => Ok(None),
        Some(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(|_| Some(text.to_string()))
            .map_err(|_| AnalyticsError::BadFilter {
                what,
                value: text.to_string(),
                expected: "a day like 2025-01-31",
            }),
    }
}

impl Filter {
    /// The first and last day, checked.
    pub fn days(&self) -> Result<(Option<String>, Option<String>), AnalyticsError> {
        let from = day(&self.from, "start day")?;
        let to = day(&self.to, "end day")?;
        if let (Some(from), Some(to)) = (&from, &to)
            && from > to
        {
            return Err(AnalyticsError::BadFilter {
                what: "date range",
                value: format!("{from} to {to}"),
                expected: "a start day on or before the end day",
            });
        }
        Ok((from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_that_is_not_one_is_named() {
        let filter = Filter {
            from: Some("2025-13-01".into()),
            ..Filter::default()
        };
        assert_eq!(
            filter.days().unwrap_err().to_string(),
            "'2025-13-01' is not a start day: a day like 2025-01-31"
        );
        let backwards = Filter {
            from: Some("2025-02-01".into()),
            to: Some("2025-01-01".into()),
            ..Filter::default()
        };
        assert!(backwards.days().is_err());
    }
}
