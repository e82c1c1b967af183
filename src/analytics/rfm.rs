//! Customers scored by recency, frequency and money (RFM), 1 to 5 by quintile within the
//! shop, and sorted into Shopify's eleven groups from R and FM = (F + M) / 2.
//!
//! Shopify names the groups but does not publish their ranges; these are Tradewind's,
//! chosen so that every (R, FM) falls in exactly one group:
//!
//! | R \ FM | 1–1.5     | 2         | 2.5–3.5         | 4              | 4.5–5      |
//! |--------|-----------|-----------|-----------------|----------------|------------|
//! | 5      | New       | Promising | Active          | Champions      | Champions  |
//! | 4      | Promising | Promising | Active          | Loyal          | Champions  |
//! | 3      | Almost lost | Almost lost | Needs attention | Loyal      | Loyal      |
//! | 2      | Dormant   | Dormant   | At risk         | Previously loyal | Previously loyal |
//! | 1      | Dormant   | Dormant   | At risk         | Previously loyal | Previously loyal |
//!
//! Prospects (no order yet) exist in Shopify's list but never in order exports: every
//! customer here has bought. Recency is counted to the end of the filter's range, or to
//! the last order when the range is open, so that an old export still has recent buyers.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use super::filter::Filter;
use super::frame::{OrdersFrame, Selection};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RfmGroup {
    Champions,
    Loyal,
    Active,
    New,
    Promising,
    NeedsAttention,
    AtRisk,
    PreviouslyLoyal,
    AlmostLost,
    Dormant,
    Prospects,
}

impl RfmGroup {
    pub const ALL: [RfmGroup; 11] = [
        RfmGroup::Champions,
        RfmGroup::Loyal,
        RfmGroup::Active,
        RfmGroup::New,
        RfmGroup::Promising,
        RfmGroup::NeedsAttention,
        RfmGroup::AtRisk,
        RfmGroup::PreviouslyLoyal,
        RfmGroup::AlmostLost,
        RfmGroup::Dormant,
        RfmGroup::Prospects,
    ];

    /// The group of scores `r` and `fm_twice` (FM × 2, so 2 to 10), by the table above.
    pub fn of(r: u8, fm_twice: u8) -> RfmGroup {
        use RfmGroup::*;
        match (r, fm_twice) {
            (5, 0..=3) => New,
            (5, 4) | (4, 0..=4) => Promising,
            (4 | 5, 5..=7) => Active,
            (5, 8..) | (4, 9..) => Champions,
            (4, 8) | (3, 8..) => Loyal,
            (3, 5..=7) => NeedsAttention,
            (3, _) => AlmostLost,
            (_, 8..) => PreviouslyLoyal,
            (_, 5..=7) => AtRisk,
            _ => Dormant,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RfmGroup::Champions => "Champions",
            RfmGroup::Loyal => "Loyal",
            RfmGroup::Active => "Active",
            RfmGroup::New => "New",
            RfmGroup::Promising => "Promising",
            RfmGroup::NeedsAttention => "Needs attention",
            RfmGroup::AtRisk => "At risk",
            RfmGroup::PreviouslyLoyal => "Previously loyal",
            RfmGroup::AlmostLost => "Almost lost",
            RfmGroup::Dormant => "Dormant",
            RfmGroup::Prospects => "Prospects",
        }
    }
}

/// One customer's scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CustomerScore {
    pub customer: String,
    /// An e-mail, a buyer's name or the channel's buyer id: who this is, for the seller.
    pub name: String,
    pub channels: Vec<String>,
    pub countries: Vec<String>,
    /// The channel buyers (`etsy:…`) the seller confirmed are this customer.
    pub merged_from: Vec<String>,
    pub orders: u64,
    pub first_order_at: String,
    pub last_order_at: String,
    pub days_since_last_order: i64,
    /// Net sales in the reporting currency (the customer's value so far).
    pub net_sales: f64,
    pub r: u8,
    pub f: u8,
    pub m: u8,
    pub group: RfmGroup,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GroupSize {
    pub group: RfmGroup,
    pub customers: u64,
    pub net_sales: f64,
}

/// A cell of the R × FM grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GridCell {
    pub r: u8,
    /// FM × 2 (2 to 10): FM goes in halves.
    pub fm_twice: u8,
    pub customers: u64,
    pub group: RfmGroup,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RfmReport {
    pub reporting_currency: String,
    /// The day recency is counted to.
    pub as_of: Option<String>,
    pub groups: Vec<GroupSize>,
    pub grid: Vec<GridCell>,
    /// The customers with the largest net sales, overall and in each group (as many of
    /// each as asked for), largest first.
    pub customers: Vec<CustomerScore>,
}

/// Scores 1 to 5 by quintile of `values` (higher is better); equal values score alike.
pub fn quintiles(values: &[f64]) -> Vec<u8> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
    let mut scores = vec![0u8; values.len()];
    let count = values.len().max(1);
    let mut rank = 0;
    while rank < order.len() {
        let value = values[order[rank]];
        let mut end = rank;
        while end < order.len() && values[order[end]] == value {
            end += 1;
        }
        let score = (1 + rank * 5 / count).min(5) as u8;
        for &index in &order[rank..end] {
            scores[index] = score;
        }
        rank = end;
    }
    scores
}

/// A customer's orders among the filtered ones.
struct Bought {
    customer: u32,
    orders: u64,
    net: f64,
    first: u32,
    last: u32,
}

/// Each customer's orders among `selection`, in the order they first appear.
fn gather(frame: &OrdersFrame, selection: &Selection) -> Vec<Bought> {
    let orders = &frame.orders;
    // Per customer of the store: where they are in the list, once they have an order.
    let mut slots: Vec<u32> = vec![u32::MAX; frame.customers.len()];
    let mut bought: Vec<Bought> = Vec::new();
    for &order in &selection.orders {
        let index = order as usize;
        let customer = orders.customer[index];
        let slot = &mut slots[customer as usize];
        if *slot == u32::MAX {
            *slot = bought.len() as u32;
            bought.push(Bought {
                customer,
                orders: 0,
                net: 0.0,
                first: order,
                last: order,
            });
        }
        let row = &mut bought[*slot as usize];
        row.orders += 1;
        row.net += orders.net[index];
        // Orders come in time order: this one is the last so far.
        row.last = order;
    }
    bought
}

/// The channels and countries (in the order first seen) of the listed customers.
fn places(
    frame: &OrdersFrame,
    selection: &Selection,
    listed: &[u32],
) -> HashMap<u32, (Vec<String>, Vec<String>)> {
    let mut places: HashMap<u32, (Vec<String>, Vec<String>)> = listed
        .iter()
        .map(|customer| (*customer, Default::default()))
        .collect();
    for &order in &selection.orders {
        let index = order as usize;
        let Some((channels, countries)) = places.get_mut(&frame.orders.customer[index]) else {
            continue;
        };
        let channel = frame.orders.channel[index].key();
        if !channels.iter().any(|known| known == channel) {
            channels.push(channel.to_string());
        }
        let country = frame.countries.text(frame.orders.country[index]);
        if !country.is_empty() && !countries.iter().any(|known| known == country) {
            countries.push(country.to_string());
        }
    }
    places
}

/// Every customer of the filtered orders, scored, in group sizes and the grid; the
/// `listed` with the largest net sales, overall and in each group, in full.
pub fn rfm(
    frame: &OrdersFrame,
    filter: &Filter,
    listed: usize,
) -> Result<RfmReport, AnalyticsError> {
    let selection = frame.select(filter)?;
    let bought = gather(frame, &selection);
    let orders = &frame.orders;
    let as_of_day = match filter.days()?.1 {
        Some(to) => Some(to),
        None => bought
            .iter()
            .map(|row| {
                orders
                    .created_at(row.last)
                    .get(..10)
                    .unwrap_or("")
                    .to_string()
            })
            .max(),
    };
    let as_of = as_of_day
        .as_deref()
        .and_then(|day| chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .map(|day| day.num_days_from_ce());
    let days: Vec<i64> = bought
        .iter()
        .map(|row| match (as_of, orders.day[row.last as usize]) {
            (Some(as_of), last) if last != i32::MIN => i64::from(as_of - last).max(0),
            _ => 0,
        })
        .collect();
    let recency: Vec<f64> = days.iter().map(|days| -(*days as f64)).collect();
    let frequency: Vec<f64> = bought.iter().map(|row| row.orders as f64).collect();
    let money: Vec<f64> = bought.iter().map(|row| row.net).collect();
    let (r, f, m) = (
        quintiles(&recency),
        quintiles(&frequency),
        quintiles(&money),
    );
    let group = |index: usize| RfmGroup::of(r[index], f[index] + m[index]);
    let mut sizes: BTreeMap<RfmGroup, (u64, f64)> = BTreeMap::new();
    let mut grid: BTreeMap<(u8, u8), u64> = BTreeMap::new();
    for (index, row) in bought.iter().enumerate() {
        let size = sizes.entry(group(index)).or_default();
        size.0 += 1;
        size.1 += row.net;
        *grid.entry((r[index], f[index] + m[index])).or_default() += 1;
    }
    // The best `listed` overall and of each group.
    let key = |index: usize| &*frame.customers[bought[index].customer as usize].key;
    let mut ranked: Vec<usize> = (0..bought.len()).collect();
    ranked.sort_unstable_by(|a, b| {
        bought[*b]
            .net
            .total_cmp(&bought[*a].net)
            .then_with(|| key(*a).cmp(key(*b)))
    });
    let mut per_group: BTreeMap<RfmGroup, usize> = BTreeMap::new();
    let chosen: Vec<usize> = ranked
        .into_iter()
        .enumerate()
        .filter(|(rank, index)| {
            let in_group = per_group.entry(group(*index)).or_default();
            *in_group += 1;
            *rank < listed || *in_group <= listed
        })
        .map(|(_, index)| index)
        .collect();
    let customers_listed: Vec<u32> = chosen.iter().map(|index| bought[*index].customer).collect();
    let mut places = places(frame, &selection, &customers_listed);
    let customers = chosen
        .into_iter()
        .map(|index| {
            let row = &bought[index];
            let known = &frame.customers[row.customer as usize];
            let (channels, countries) = places.remove(&row.customer).unwrap_or_default();
            CustomerScore {
                customer: known.key.to_string(),
                name: known.name.to_string(),
                channels,
                countries,
                merged_from: known.merged.iter().map(|key| key.to_string()).collect(),
                orders: row.orders,
                first_order_at: orders.created_at(row.first).to_string(),
                last_order_at: orders.created_at(row.last).to_string(),
                days_since_last_order: days[index],
                net_sales: row.net,
                r: r[index],
                f: f[index],
                m: m[index],
                group: group(index),
            }
        })
        .collect();
    Ok(RfmReport {
        reporting_currency: frame.reporting.clone(),
        as_of: as_of_day,
        groups: RfmGroup::ALL
            .iter()
            .map(|group| {
                let (customers, net_sales) = sizes.get(group).copied().unwrap_or_default();
                GroupSize {
                    group: *group,
                    customers,
                    net_sales,
                }
            })
            .collect(),
        grid: (1..=5u8)
            .flat_map(|r| (2..=10u8).map(move |fm| (r, fm)))
            .map(|(r, fm_twice)| GridCell {
                r,
                fm_twice,
                customers: grid.get(&(r, fm_twice)).copied().unwrap_or(0),
                group: RfmGroup::of(r, fm_twice),
            })
            .collect(),
        customers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_of_the_grid_has_one_group_and_each_group_but_prospects_some_cell() {
        let mut seen = std::collections::BTreeSet::new();
        for r in 1..=5 {
            for fm in 2..=10 {
                seen.insert(RfmGroup::of(r, fm));
            }
        }
        assert_eq!(seen.len(), 10);
        assert!(!seen.contains(&RfmGroup::Prospects));
        assert_eq!(RfmGroup::of(5, 10), RfmGroup::Champions);
        assert_eq!(RfmGroup::of(5, 2), RfmGroup::New);
        assert_eq!(RfmGroup::of(1, 10), RfmGroup::PreviouslyLoyal);
        assert_eq!(RfmGroup::of(2, 6), RfmGroup::AtRisk);
        assert_eq!(RfmGroup::of(3, 3), RfmGroup::AlmostLost);
        assert_eq!(RfmGroup::of(1, 2), RfmGroup::Dormant);
    }

    #[test]
    fn quintiles_score_by_rank_and_ties_alike() {
        assert_eq!(
            quintiles(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]),
            [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        );
        assert_eq!(quintiles(&[7.0, 7.0, 7.0]), [1, 1, 1]);
        assert_eq!(quintiles(&[1.0, 5.0, 5.0, 9.0, 2.0]), [1, 3, 3, 5, 2]);
    }
}
