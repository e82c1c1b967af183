//! The dashboard's numbers over the filtered orders, in the reporting currency.
//!
//! Net sales, defined here once: the items' prices times quantities (gross sales), less
//! discounts and refunds, of orders that were not cancelled. Shipping and taxes are
//! not sales; they are kept on each order apart. Orders in a currency without a known
//! rate count as orders but not in the money figures (`unconverted_orders` says how many).

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use super::channels::Channel;
use super::filter::Filter;
use super::frame::{Dictionary, OrdersFrame, Selection};

/// The headline figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Metrics {
    pub reporting_currency: String,
    pub orders: u64,
    pub units: u64,
    pub customers: u64,
    /// Customers whose first order ever is in the range.
    pub new_customers: u64,
    /// Customers in the range who had ordered before it.
    pub returning_customers: u64,
    /// Customers with two orders or more in the range, over all customers in it.
    pub repeat_purchase_rate: f64,
    /// The median days between one order of a customer and their next, in the range.
    pub median_days_between_orders: Option<f64>,
    pub gross_sales: f64,
    pub discounts: f64,
    pub refunds: f64,
    pub net_sales: f64,
    /// Net sales per order.
    pub average_order_value: f64,
    /// Refunds over gross sales.
    pub refund_rate: f64,
    pub cancelled_orders: u64,
    pub unconverted_orders: u64,
}

/// How the time series is bucketed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Day,
    Week,
    Month,
}

impl Granularity {
    /// The bucket of a day (days from the common era): the day, the Monday of its ISO
    /// week, or its month (as months from year 0).
    fn bucket(self, day: i32) -> i32 {
        let Some(date) = NaiveDate::from_num_days_from_ce_opt(day) else {
            return i32::MIN;
        };
        match self {
            Granularity::Day => day,
            Granularity::Week => day - date.weekday().num_days_from_monday() as i32,
            Granularity::Month => date.year() * 12 + date.month0() as i32,
        }
    }

    /// A bucket as the charts name it: 2025-03-14, the Monday 2025-03-10, or 2025-03.
    fn period(self, bucket: i32) -> String {
        if bucket == i32::MIN {
            return String::new();
        }
        match self {
            Granularity::Day | Granularity::Week => NaiveDate::from_num_days_from_ce_opt(bucket)
                .map(|day| day.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            Granularity::Month => format!(
                "{:04}-{:02}",
                bucket.div_euclid(12),
                bucket.rem_euclid(12) + 1
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Point {
    /// The day, the Monday of the week, or the month (2025-03).
    pub period: String,
    pub orders: u64,
    pub net_sales: f64,
    pub customers: u64,
}

/// Orders and net sales per group (country, channel, currency).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Share {
    pub key: String,
    pub orders: u64,
    pub customers: u64,
    pub net_sales: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProductSales {
    pub sku: String,
    pub name: String,
    pub units: u64,
    pub orders: u64,
    /// The lines' share of their orders' gross sales, in the reporting currency.
    pub gross_sales: f64,
}

/// Everything the dashboard shows for one filter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Dashboard {
    pub filter: Filter,
    pub metrics: Metrics,
    pub granularity: Granularity,
    pub series: Vec<Point>,
    /// The same length of time just before the range, for comparison (empty without a range).
    pub previous: Vec<Point>,
    pub previous_metrics: Option<Metrics>,
    pub by_country: Vec<Share>,
    pub by_channel: Vec<Share>,
    pub by_currency: Vec<Share>,
    pub top_products: Vec<ProductSales>,
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

/// How many distinct customers each key has, from (key, customer) pairs.
fn customers_per_key(mut pairs: Vec<(u32, u32)>) -> HashMap<u32, u64> {
    pairs.sort_unstable();
    pairs.dedup();
    let mut counts = HashMap::new();
    for (key, _) in pairs {
        *counts.entry(key).or_default() += 1;
    }
    counts
}

fn metrics(frame: &OrdersFrame, filter: &Filter) -> Result<Metrics, AnalyticsError> {
    let selection = frame.select(filter)?;
    let orders = &frame.orders;
    let from = filter.days()?.0.unwrap_or_default();
    let (mut gross, mut discounts, mut refunds, mut net) = (0.0, 0.0, 0.0, 0.0);
    let (mut unconverted, mut units) = (0u64, 0i64);
    // Per customer: their orders in the range and when the last of them was.
    let mut seen: Vec<(u32, Option<f64>)> = vec![(0, None); frame.customers.len()];
    let mut gaps = Vec::new();
    for &order in &selection.orders {
        let index = order as usize;
        gross += orders.gross[index];
        discounts += orders.discount[index];
        refunds += orders.refunded[index];
        net += orders.net[index];
        unconverted += u64::from(!orders.converted[index]);
        units += orders
            .lines(order)
            .map(|line| frame.lines.quantity[line])
            .sum::<i64>();
        let (count, last) = &mut seen[orders.customer[index] as usize];
        *count += 1;
        let moment = orders.moment[index];
        if let (Some(last), Some(now)) = (*last, moment) {
            gaps.push(now - last);
        }
        *last = moment;
    }
    let (mut customers, mut new_customers, mut repeat) = (0u64, 0u64, 0u64);
    for (customer, (count, _)) in seen.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        customers += 1;
        repeat += u64::from(*count > 1);
        // A customer is new when their first order ever (not cancelled) is in the range.
        new_customers += u64::from(
            frame.customers[customer]
                .first_order
                .is_some_and(|first| orders.created_at(first) >= from.as_str()),
        );
    }
    let count = selection.orders.len() as u64;
    let ratio = |a: f64, b: f64| if b == 0.0 { 0.0 } else { a / b };
    Ok(Metrics {
        reporting_currency: frame.reporting.clone(),
        orders: count,
        units: units.max(0) as u64,
        customers,
        new_customers,
        returning_customers: customers - new_customers.min(customers),
        repeat_purchase_rate: ratio(repeat as f64, customers as f64),
        median_days_between_orders: median(gaps),
        gross_sales: gross,
        discounts,
        refunds,
        net_sales: net,
        average_order_value: ratio(net, (count - unconverted) as f64),
        refund_rate: ratio(refunds, gross),
        cancelled_orders: selection.cancelled,
        unconverted_orders: unconverted,
    })
}

fn series(frame: &OrdersFrame, selection: &Selection, granularity: Granularity) -> Vec<Point> {
    let orders = &frame.orders;
    let mut buckets: BTreeMap<i32, (u64, f64)> = BTreeMap::new();
    let mut pairs = Vec::with_capacity(selection.orders.len());
    for &order in &selection.orders {
        let index = order as usize;
        let bucket = granularity.bucket(orders.day[index]);
        let entry = buckets.entry(bucket).or_default();
        entry.0 += 1;
        entry.1 += orders.net[index];
        pairs.push((bucket as u32, orders.customer[index]));
    }
    let customers = customers_per_key(pairs);
    buckets
        .into_iter()
        .map(|(bucket, (count, net))| Point {
            period: granularity.period(bucket),
            orders: count,
            net_sales: net,
            customers: customers.get(&(bucket as u32)).copied().unwrap_or(0),
        })
        .collect()
}

/// Orders, customers and net sales per value of one column, largest sales first.
fn shares(
    frame: &OrdersFrame,
    selection: &Selection,
    key: impl Fn(usize) -> u32,
    name: impl Fn(u32) -> String,
    limit: usize,
) -> Vec<Share> {
    let mut totals: HashMap<u32, (u64, f64)> = HashMap::new();
    let mut pairs = Vec::with_capacity(selection.orders.len());
    for &order in &selection.orders {
        let index = order as usize;
        let key = key(index);
        let entry = totals.entry(key).or_default();
        entry.0 += 1;
        entry.1 += frame.orders.net[index];
        pairs.push((key, frame.orders.customer[index]));
    }
    let customers = customers_per_key(pairs);
    let mut shares: Vec<Share> = totals
        .into_iter()
        .map(|(key, (orders, net_sales))| Share {
            key: name(key),
            orders,
            customers: customers.get(&key).copied().unwrap_or(0),
            net_sales,
        })
        .collect();
    shares.sort_by(|a, b| {
        b.net_sales
            .total_cmp(&a.net_sales)
            .then(b.orders.cmp(&a.orders))
            .then_with(|| a.key.cmp(&b.key))
    });
    shares.truncate(limit);
    shares
}

fn top_products(frame: &OrdersFrame, selection: &Selection, limit: usize) -> Vec<ProductSales> {
    // Per product: units, orders, gross sales, and the last order counted (so an order
    // with two lines of a product counts once).
    let mut totals: HashMap<u32, (i64, u64, f64, u32)> = HashMap::new();
    for &order in &selection.orders {
        for line in frame.orders.lines(order) {
            let product = frame.items[frame.lines.item[line] as usize].product;
            let entry = totals.entry(product).or_insert((0, 0, 0.0, u32::MAX));
            entry.0 += frame.lines.quantity[line];
            entry.2 += frame.lines.gross[line];
            if entry.3 != order {
                entry.1 += 1;
                entry.3 = order;
            }
        }
    }
    let mut products: Vec<(u32, ProductSales)> = totals
        .into_iter()
        .map(|(product, (units, orders, gross_sales, _))| {
            let (_, sku, name) = &frame.products[product as usize];
            (
                product,
                ProductSales {
                    sku: sku.to_string(),
                    name: name.to_string(),
                    units: units.max(0) as u64,
                    orders,
                    gross_sales,
                },
            )
        })
        .collect();
    products.sort_by(|(a_key, a), (b_key, b)| {
        b.gross_sales
            .total_cmp(&a.gross_sales)
            .then(b.units.cmp(&a.units))
            .then_with(|| {
                frame.products[*a_key as usize]
                    .0
                    .cmp(&frame.products[*b_key as usize].0)
            })
    });
    products.truncate(limit);
    products.into_iter().map(|(_, sales)| sales).collect()
}

/// The range just before `filter`'s, as long as it: none without both ends.
fn previous_range(filter: &Filter) -> Result<Option<Filter>, AnalyticsError> {
    let (Some(from), Some(to)) = filter.days()? else {
        return Ok(None);
    };
    let parse = |day: &str| chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();
    let (Some(start), Some(end)) = (parse(&from), parse(&to)) else {
        return Ok(None);
    };
    let length = end - start + chrono::Duration::days(1);
    Ok(Some(Filter {
        from: Some((start - length).format("%Y-%m-%d").to_string()),
        to: Some(
            (start - chrono::Duration::days(1))
                .format("%Y-%m-%d")
                .to_string(),
        ),
        ..filter.clone()
    }))
}

/// The dashboard for `filter`, over the store's orders as `frame` holds them.
pub fn dashboard(
    frame: &OrdersFrame,
    filter: &Filter,
    granularity: Granularity,
) -> Result<Dashboard, AnalyticsError> {
    let selection = frame.select(filter)?;
    let previous = previous_range(filter)?;
    let previous_selection = previous
        .as_ref()
        .map(|previous| frame.select(previous))
        .transpose()?;
    let orders = &frame.orders;
    let by_dictionary = |column: &[u32], dictionary: &Dictionary, limit| {
        let name = |key| dictionary.text(key).to_string();
        shares(frame, &selection, |order| column[order], name, limit)
    };
    Ok(Dashboard {
        metrics: metrics(frame, filter)?,
        series: series(frame, &selection, granularity),
        previous: previous_selection
            .as_ref()
            .map(|selection| series(frame, selection, granularity))
            .unwrap_or_default(),
        previous_metrics: previous
            .as_ref()
            .map(|previous| metrics(frame, previous))
            .transpose()?,
        by_country: by_dictionary(&orders.country, &frame.countries, 50),
        by_channel: shares(
            frame,
            &selection,
            |order| {
                let channel = orders.channel[order];
                Channel::ALL
                    .iter()
                    .position(|one| *one == channel)
                    .unwrap_or(0) as u32
            },
            |key| Channel::ALL[key as usize].key().to_string(),
            10,
        ),
        by_currency: by_dictionary(&orders.currency, &frame.currencies, 30),
        top_products: top_products(frame, &selection, 20),
        granularity,
        filter: filter.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_range_is_as_long_and_just_before() {
        let filter = Filter {
            from: Some("2025-03-01".into()),
            to: Some("2025-03-31".into()),
            ..Filter::default()
        };
        let previous = previous_range(&filter).unwrap().unwrap();
        assert_eq!(
            (previous.from.as_deref(), previous.to.as_deref()),
            (Some("2025-01-29"), Some("2025-02-28"))
        );
        assert!(previous_range(&Filter::default()).unwrap().is_none());
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![3.0, 1.0, 10.0, 4.0]), Some(3.5));
        assert_eq!(median(Vec::new()), None);
    }
}
