//! Customers to reach with a campaign: the RFM groups (or the customers of one month's
//! cohort, or every customer) of the filtered orders, each with the action that suits
//! it, exported as the CSV an e-mail tool imports (`export.rs`), anonymised unless the
//! seller asks for contacts.

mod export;

use serde::{Deserialize, Serialize};

pub use export::{EmailTool, SegmentExport, export};

use super::AnalyticsError;
use super::filter::Filter;
use super::frame::OrdersFrame;
use super::recommend;
use super::rfm::{self, CustomerScore, RfmGroup};
use crate::store::Store;
use rustc_hash::FxHashSet as HashSet;

/// What a campaign to a group should offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SegmentAction {
    /// Champions: early access to new products, and a request for a review.
    EarlyAccess,
    /// Loyal: a loyalty reward.
    LoyaltyReward,
    /// Active: products that go with what they bought.
    CrossSell,
    /// New and Promising: a welcome series that earns the second order.
    SecondOrder,
    /// Needs attention: a reminder with their favourite products, limited in time.
    Reminder,
    /// At risk, Previously loyal: a win-back offer on their favourite products.
    WinBack,
    /// Almost lost, Dormant: one last offer, then fewer mails.
    LastChance,
}

pub fn action(group: RfmGroup) -> SegmentAction {
    match group {
        RfmGroup::Champions => SegmentAction::EarlyAccess,
        RfmGroup::Loyal => SegmentAction::LoyaltyReward,
        RfmGroup::Active => SegmentAction::CrossSell,
        RfmGroup::New | RfmGroup::Promising | RfmGroup::Prospects => SegmentAction::SecondOrder,
        RfmGroup::NeedsAttention => SegmentAction::Reminder,
        RfmGroup::AtRisk | RfmGroup::PreviouslyLoyal => SegmentAction::WinBack,
        RfmGroup::AlmostLost | RfmGroup::Dormant => SegmentAction::LastChance,
    }
}

impl SegmentAction {
    pub fn sentence(self) -> &'static str {
        match self {
            SegmentAction::EarlyAccess => "early access to new products, and ask for a review",
            SegmentAction::LoyaltyReward => "a loyalty reward",
            SegmentAction::CrossSell => "products that go with what they bought",
            SegmentAction::SecondOrder => "a welcome series that earns the second order",
            SegmentAction::Reminder => "a reminder of their favourite products, limited in time",
            SegmentAction::WinBack => "a win-back offer on their favourite products",
            SegmentAction::LastChance => "one last offer, then fewer e-mails",
        }
    }
}

/// Which customers: an RFM group, a month's cohort (first order that month), those a
/// product is among the ten suggestions for (by the recommender that does best on these
/// orders), or all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum SegmentChoice {
    All,
    Group(RfmGroup),
    /// `YYYY-MM`.
    Cohort(String),
    /// A listing's handle, or a SKU.
    Suggested(String),
}

impl SegmentChoice {
    /// From the CLI's words: `all`, a group (`champions`, `at-risk`…), `cohort:2025-03`,
    /// `suggested:HANDLE`.
    pub fn named(name: &str) -> Result<SegmentChoice, AnalyticsError> {
        let bad = || AnalyticsError::BadFilter {
            what: "segment",
            value: name.to_string(),
            expected: "all, an RFM group (champions, loyal, active, new, promising, needs-attention, at-risk, previously-loyal, almost-lost, dormant), cohort:YYYY-MM or suggested:HANDLE",
        };
        if name == "all" {
            return Ok(SegmentChoice::All);
        }
        if let Some(product) = name
            .strip_prefix("suggested:")
            .filter(|product| !product.is_empty())
        {
            return Ok(SegmentChoice::Suggested(product.to_string()));
        }
        if let Some(month) = name.strip_prefix("cohort:") {
            let valid = month.len() == 7
                && chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok();
            return if valid {
                Ok(SegmentChoice::Cohort(month.to_string()))
            } else {
                Err(bad())
            };
        }
        serde_json::from_value(serde_json::Value::String(name.replace('-', "_")))
            .map(SegmentChoice::Group)
            .map_err(|_| bad())
    }

    /// Whether `customer` is in the segment; `suggested` holds the customers a
    /// `Suggested` segment's product is suggested to.
    fn holds(&self, customer: &CustomerScore, suggested: &HashSet<&str>) -> bool {
        match self {
            SegmentChoice::All => true,
            SegmentChoice::Group(group) => customer.group == *group,
            SegmentChoice::Cohort(month) => customer.first_order_at.starts_with(month.as_str()),
            SegmentChoice::Suggested(_) => suggested.contains(customer.customer.as_str()),
        }
    }
}

/// One RFM group as a campaign segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SegmentSummary {
    pub group: RfmGroup,
    pub customers: u64,
    pub net_sales: f64,
    pub action: SegmentAction,
}

/// Every group of the filtered orders' customers with its action, largest first.
pub fn segments(
    frame: &OrdersFrame,
    filter: &Filter,
) -> Result<Vec<SegmentSummary>, AnalyticsError> {
    let report = rfm::rfm(frame, filter, 0)?;
    let mut segments: Vec<SegmentSummary> = report
        .groups
        .iter()
        .filter(|group| group.customers > 0)
        .map(|group| SegmentSummary {
            group: group.group,
            customers: group.customers,
            net_sales: group.net_sales,
            action: action(group.group),
        })
        .collect();
    segments.sort_by_key(|segment| std::cmp::Reverse(segment.customers));
    Ok(segments)
}

/// The customers `product` is among the ten suggestions for, by the recommender that
/// does best on the filtered orders (descriptions left out: no model is loaded here).
fn suggested_to<'a>(
    frame: &'a OrdersFrame,
    store: &Store,
    filter: &Filter,
    product: &str,
) -> Result<HashSet<&'a str>, AnalyticsError> {
    let baskets = recommend::baskets_of(frame, filter, &recommend::catalogue(store)?)?;
    let wanted = baskets
        .products
        .iter()
        .position(|known| known.key == product)
        .ok_or_else(|| AnalyticsError::NotInOrders {
            what: "product",
            key: product.to_string(),
        })? as u32;
    let method = recommend::report(&baskets, None).best;
    let models = recommend::Models::fit(&baskets, None, &[method]);
    let (histories, customers) = baskets.histories();
    Ok(histories
        .iter()
        .zip(customers)
        .filter(|(history, _)| {
            models
                .top(method, history, recommend::TOP)
                .iter()
                .any(|(suggested, _)| *suggested == wanted)
        })
        .map(|(_, customer)| &*frame.customers[customer as usize].key)
        .collect())
}

/// The customers of `choice` among the filtered orders', most valuable first.
pub fn members(
    frame: &OrdersFrame,
    store: &Store,
    filter: &Filter,
    choice: &SegmentChoice,
) -> Result<(Vec<CustomerScore>, String), AnalyticsError> {
    let report = rfm::rfm(frame, filter, usize::MAX)?;
    let suggested = match choice {
        SegmentChoice::Suggested(product) => suggested_to(frame, store, filter, product)?,
        _ => HashSet::default(),
    };
    let mut members: Vec<CustomerScore> = report
        .customers
        .into_iter()
        .filter(|customer| choice.holds(customer, &suggested))
        .collect();
    members.sort_by(|a, b| {
        b.net_sales
            .total_cmp(&a.net_sales)
            .then(a.customer.cmp(&b.customer))
    });
    members.dedup_by(|a, b| a.customer == b.customer);
    Ok((members, report.reporting_currency))
}
