//! A customer's RFM group over time: at the end of each month from their first order on,
//! the group they were in as the shop stood then (every customer's orders up to that
//! day, scored by quintile within the shop, as `rfm` scores today). A seller sees a
//! Champion who is slipping, or a New customer who became Loyal.

use serde::Serialize;

use super::AnalyticsError;
use super::filter::Filter;
use super::frame::OrdersFrame;
use super::rfm::RfmGroup;

/// The group a customer was in at the end of a month.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroupAt {
    /// The month, like 2025-03 (the group as of its last day, or of the range's end).
    pub month: String,
    pub group: RfmGroup,
}

/// The score 1 to 5 that `rfm::quintiles` gives `value` among `values`: equal values
/// score alike, by how many are lower.
fn quintile_of(value: f64, values: impl Iterator<Item = f64>) -> u8 {
    let (mut lower, mut count) = (0usize, 0usize);
    for other in values {
        count += 1;
        lower += usize::from(other.total_cmp(&value).is_lt());
    }
    (1 + lower * 5 / count.max(1)).min(5) as u8
}

/// Per customer, up to a day: their orders, net sales and last order's day.
#[derive(Clone, Copy, Default)]
struct SoFar {
    orders: u32,
    net: f64,
    last_day: i32,
}

/// `customer`'s group at each month's end, in the filtered orders; empty for a customer
/// with none.
pub fn history(
    frame: &OrdersFrame,
    filter: &Filter,
    customer: &str,
) -> Result<Vec<GroupAt>, AnalyticsError> {
    use chrono::{Datelike, NaiveDate};
    let Some(wanted) = frame
        .customers
        .iter()
        .position(|known| &*known.key == customer)
    else {
        return Ok(Vec::new());
    };
    let selection = frame.select(filter)?;
    let orders = &frame.orders;
    let day_of = |order: &u32| orders.day[*order as usize];
    let dated: Vec<u32> = selection
        .orders
        .into_iter()
        .filter(|order| day_of(order) != i32::MIN)
        .collect();
    let Some(first) = dated
        .iter()
        .find(|order| orders.customer[**order as usize] as usize == wanted)
    else {
        return Ok(Vec::new());
    };
    let last_day = match filter.days()?.1 {
        Some(to) => NaiveDate::parse_from_str(&to, "%Y-%m-%d")
            .map(|day| day.num_days_from_ce())
            .unwrap_or(i32::MIN),
        None => dated.last().map_or(i32::MIN, day_of),
    };
    let month_end = |day: i32| -> Option<(String, i32)> {
        let date = NaiveDate::from_num_days_from_ce_opt(day)?;
        let next = if date.month() == 12 {
            NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)?
        };
        let end = (next.num_days_from_ce() - 1).min(last_day);
        Some((date.format("%Y-%m").to_string(), end))
    };
    let mut so_far = vec![SoFar::default(); frame.customers.len()];
    let mut seen: Vec<usize> = Vec::new();
    let mut next = 0;
    let mut history = Vec::new();
    let mut month_day = day_of(first);
    while let Some((month, end)) = month_end(month_day) {
        while next < dated.len() && day_of(&dated[next]) <= end {
            let order = dated[next] as usize;
            let customer = orders.customer[order] as usize;
            let row = &mut so_far[customer];
            if row.orders == 0 {
                seen.push(customer);
            }
            row.orders += 1;
            row.net += orders.net[order];
            row.last_day = orders.day[order];
            next += 1;
        }
        let them = seen.iter().map(|customer| so_far[*customer]);
        let own = so_far[wanted];
        let r = quintile_of(
            -f64::from(end - own.last_day),
            them.clone().map(|row| -f64::from(end - row.last_day)),
        );
        let f = quintile_of(
            f64::from(own.orders),
            them.clone().map(|row| f64::from(row.orders)),
        );
        let m = quintile_of(own.net, them.map(|row| row.net));
        history.push(GroupAt {
            month,
            group: RfmGroup::of(r, f + m),
        });
        if end >= last_day {
            break;
        }
        month_day = end + 1;
    }
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::rfm::quintiles;

    #[test]
    fn one_value_scores_as_the_quintiles_of_all_score_it() {
        let values = [1.0, 5.0, 5.0, 9.0, 2.0, 7.0, 7.0, 3.0];
        let all = quintiles(&values);
        for (index, value) in values.iter().enumerate() {
            assert_eq!(
                quintile_of(*value, values.iter().copied()),
                all[index],
                "{value}"
            );
        }
    }
}
