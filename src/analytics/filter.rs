//! What a seller narrows every analysis to: a date range, channels, countries,
//! currencies and a product. One filter applies to every chart and table.

use rusqlite::types::Value;
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

/// A filter as SQL over `orders` (aliased `o`): the condition and its values. Cancelled
/// orders are never sales.
#[derive(Debug, Clone)]
pub struct Sql {
    pub condition: String,
    pub values: Vec<Value>,
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

    pub fn sql(&self) -> Result<Sql, AnalyticsError> {
        let (from, to) = self.days()?;
        let mut parts = vec!["o.cancelled_at IS NULL".to_string()];
        let mut values: Vec<Value> = Vec::new();
        let bind = |values: &mut Vec<Value>, value: String| {
            values.push(Value::Text(value));
            format!("?{}", values.len())
        };
        if let Some(from) = from {
            let at = bind(&mut values, from);
            parts.push(format!("o.created_at >= {at}"));
        }
        if let Some(to) = to {
            // Every time on the last day: "2025-01-31T…" sorts below "2025-01-31U".
            let at = bind(&mut values, format!("{to}U"));
            parts.push(format!("o.created_at < {at}"));
        }
        let mut any_of = |column: &str, items: Vec<String>, values: &mut Vec<Value>| {
            if !items.is_empty() {
                let json = serde_json::to_string(&items).unwrap_or_else(|_| "[]".into());
                let at = bind(values, json);
                parts.push(format!("{column} IN (SELECT value FROM json_each({at}))"));
            }
        };
        any_of(
            "o.channel",
            self.channels
                .iter()
                .map(|channel| channel.key().to_string())
                .collect(),
            &mut values,
        );
        any_of("o.shipping_country", self.countries.clone(), &mut values);
        any_of(
            "o.currency",
            self.currencies
                .iter()
                .map(|code| code.to_ascii_uppercase())
                .collect(),
            &mut values,
        );
        if let Some(product) = self
            .product
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
        {
            let sku = bind(&mut values, product.to_string());
            let name = bind(&mut values, format!("%{product}%"));
            parts.push(format!(
                "EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND (l.sku = {sku} OR l.name LIKE {name}))"
            ));
        }
        Ok(Sql {
            condition: parts.join(" AND "),
            values,
        })
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
            filter.sql().unwrap_err().to_string(),
            "'2025-13-01' is not a start day: a day like 2025-01-31"
        );
        let backwards = Filter {
            from: Some("2025-02-01".into()),
            to: Some("2025-01-01".into()),
            ..Filter::default()
        };
        assert!(backwards.sql().is_err());
    }
}
