//! The orders as columns in memory, for the analyses: a million order lines read once
//! from the store (a second or so), then every dashboard question is a scan of a few
//! arrays (milliseconds) instead of a query over the whole table (seconds). The frame is
//! kept until the orders change: every change to them goes through `fx::refresh_on` (or
//! the import's clearing of a file's orders), which counts a generation in `settings`;
//! a frame of an older generation is read again.

use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;

use super::AnalyticsError;
use super::channels::Channel;
use super::filter::Filter;
use super::fx;
use crate::store::Store;

const GENERATION_SETTING: &str = "orders_generation";
/// How a customer key known by e-mail starts (`store_orders::customer_key`).
const EMAIL_KEY: &str = "email:";

/// Says the orders changed, in the caller's transaction: frames read before are stale.
pub fn mark_changed(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
        [GENERATION_SETTING],
    )
    .map(|_| ())
}

fn generation(conn: &Connection) -> rusqlite::Result<String> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT value FROM settings WHERE key = ?1",
        [GENERATION_SETTING],
        |row| row.get(0),
    )
    .optional()
    .map(Option::unwrap_or_default)
}

/// Strings seen many times, each kept once and known by its number.
#[derive(Debug, Default)]
pub struct Dictionary {
    numbers: HashMap<Box<str>, u32>,
    pub texts: Vec<Box<str>>,
}

impl Dictionary {
    fn number(&mut self, text: &str) -> u32 {
        if let Some(number) = self.numbers.get(text) {
            return *number;
        }
        let number = self.texts.len() as u32;
        self.texts.push(text.into());
        self.numbers.insert(text.into(), number);
        number
    }

    pub fn find(&self, text: &str) -> Option<u32> {
        self.numbers.get(text).copied()
    }

    pub fn text(&self, number: u32) -> &str {
        &self.texts[number as usize]
    }
}

/// One customer of the store.
#[derive(Debug, Default)]
pub struct Customer {
    pub key: Box<str>,
    /// Who this is, for the seller: an e-mail, a buyer's name, the channel's buyer id, or
    /// the order's name when the export gave nothing else.
    pub name: Box<str>,
    /// Their first order ever that was not cancelled.
    pub first_order: Option<u32>,
    /// The channel buyers the seller confirmed are this customer (`matching`).
    pub merged: Vec<Box<str>>,
}

/// A product line as the exports named it.
#[derive(Debug)]
pub struct Item {
    pub sku: Box<str>,
    pub name: Box<str>,
    /// The product it counts for: its SKU, or its name where it has none.
    pub product: u32,
}

/// Every order, in the order they were placed (then by their number in the store); a
/// column per field. Money is in the reporting currency; `converted` says whether a rate
/// was known (the amounts are 0 where not).
#[derive(Debug, Default)]
pub struct OrderColumns {
    pub id: Vec<i64>,
    /// Days from the common era (chrono's), `i32::MIN` where the date is unreadable.
    pub day: Vec<i32>,
    /// The time in days since 1970, for the gaps between orders.
    pub moment: Vec<Option<f64>>,
    created_at: String,
    created_at_ends: Vec<u32>,
    pub channel: Vec<Channel>,
    pub country: Vec<u32>,
    pub currency: Vec<u32>,
    pub customer: Vec<u32>,
    pub cancelled: Vec<bool>,
    pub converted: Vec<bool>,
    pub gross: Vec<f64>,
    pub discount: Vec<f64>,
    pub refunded: Vec<f64>,
    pub net: Vec<f64>,
    /// Where each order's lines start in the line columns (one more entry than orders).
    pub lines_start: Vec<u32>,
}

impl OrderColumns {
    fn len(&self) -> usize {
        self.id.len()
    }

    /// The time the order was placed, as stored (RFC 3339, UTC).
    pub fn created_at(&self, order: u32) -> &str {
        let order = order as usize;
        let start = if order == 0 {
            0
        } else {
            self.created_at_ends[order - 1] as usize
        };
        &self.created_at[start..self.created_at_ends[order] as usize]
    }

    pub fn lines(&self, order: u32) -> std::ops::Range<usize> {
        self.lines_start[order as usize] as usize..self.lines_start[order as usize + 1] as usize
    }
}

/// Every order line, grouped by order.
#[derive(Debug, Default)]
pub struct LineColumns {
    pub item: Vec<u32>,
    pub quantity: Vec<i64>,
    /// The line's share of its order's gross sales, in the reporting currency.
    pub gross: Vec<f64>,
}

/// The orders and lines of the store, with the dictionaries their columns number into.
#[derive(Debug, Default)]
pub struct OrdersFrame {
    generation: String,
    pub reporting: String,
    pub orders: OrderColumns,
    pub lines: LineColumns,
    pub customers: Vec<Customer>,
    pub countries: Dictionary,
    pub currencies: Dictionary,
    pub items: Vec<Item>,
    /// Each product key (SKU, or name without one) and the largest SKU and name it had.
    pub products: Vec<(Box<str>, Box<str>, Box<str>)>,
}

/// The orders a filter keeps: those not cancelled, and those cancelled (counted apart).
#[derive(Debug, Default)]
pub struct Selection {
    pub orders: Vec<u32>,
    pub cancelled: u64,
}

fn day_number(text: &str) -> i32 {
    use chrono::Datelike;
    text.get(..10)
        .and_then(|day| chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .map_or(i32::MIN, |day| day.num_days_from_ce())
}

/// The UTC day (as `day_number`) and seconds since 1970 of a stored time. The import writes
/// `2025-03-14T09:30:00Z`, read here without a format parser; anything else goes
/// through chrono (an older store may hold `2025-03-14 09:30:00 +0100`).
fn stored_time(text: &str) -> (i32, Option<i64>) {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let bytes = text.as_bytes();
    if bytes.len() == 20 && bytes[4] == b'-' && bytes[10] == b'T' && bytes[19] == b'Z' {
        let date = chrono::NaiveDate::from_ymd_opt(
            number(0..4).unwrap_or(0) as i32,
            number(5..7).unwrap_or(0),
            number(8..10).unwrap_or(0),
        );
        let time = chrono::NaiveTime::from_hms_opt(
            number(11..13).unwrap_or(99),
            number(14..16).unwrap_or(99),
            number(17..19).unwrap_or(99),
        );
        if let (Some(date), Some(time)) = (date, time) {
            use chrono::Datelike;
            return (
                date.num_days_from_ce(),
                Some(date.and_time(time).and_utc().timestamp()),
            );
        }
    }
    let seconds = chrono::DateTime::parse_from_rfc3339(text)
        .or_else(|_| chrono::DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S %z"))
        .map(|time| time.timestamp())
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(text.get(..19)?, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|time| time.and_utc().timestamp())
        })
        .or_else(|| {
            let day = chrono::NaiveDate::from_num_days_from_ce_opt(day_number(text))?;
            Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp())
        });
    // The day is the UTC day of the moment, so that time order is day order too (the
    // filters find a range of days by bisecting the orders).
    let day = seconds
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .map_or(i32::MIN, |time| {
            use chrono::Datelike;
            time.date_naive().num_days_from_ce()
        });
    (day, seconds)
}

/// Orders as the store read them, before they are put in time order.
struct RawOrder {
    id: i64,
    /// Seconds since 1970: time order without comparing text.
    seconds: Option<i64>,
    day: i32,
    /// Where its time is in the text read (start, length).
    created_at: (u32, u32),
    channel: Channel,
    country: u32,
    currency: u32,
    customer: u32,
    cancelled: bool,
    gross: Option<f64>,
    discount_minor: i64,
    items_minor: i64,
    refunded: Option<f64>,
    net: Option<f64>,
}

/// The candidates for a customer's name, the largest of each as SQL's max() would keep.
#[derive(Default)]
struct NameParts {
    email: Box<str>,
    buyer_name: Box<str>,
    buyer_id: Box<str>,
    order: Box<str>,
}

impl NameParts {
    fn take(&mut self, email: &str, buyer_name: &str, buyer_id: &str, order: &str) {
        let keep = |kept: &mut Box<str>, seen: &str| {
            if seen > &**kept {
                *kept = seen.into();
            }
        };
        keep(&mut self.email, email);
        keep(&mut self.buyer_name, buyer_name);
        keep(&mut self.buyer_id, buyer_id);
        keep(&mut self.order, order);
    }

    fn name(self) -> Box<str> {
        [self.email, self.buyer_name, self.buyer_id]
            .into_iter()
            .find(|part| !part.is_empty())
            .unwrap_or(self.order)
    }
}

impl OrdersFrame {
    /// Reads every order and line of the store, in one read transaction.
    fn load(conn: &mut Connection) -> rusqlite::Result<OrdersFrame> {
        let tx = conn.transaction()?;
        let mut frame = OrdersFrame {
            generation: generation(&tx)?,
            reporting: {
                use rusqlite::OptionalExtension;
                tx.query_row(
                    "SELECT value FROM settings WHERE key = 'reporting_currency'",
                    [],
                    |row| row.get(0),
                )
                .optional()?
                .unwrap_or_else(|| fx::DEFAULT_REPORTING.to_string())
            },
            ..OrdersFrame::default()
        };
        let links = super::matching::links(&tx)?;
        let mut merged: HashMap<u32, Vec<Box<str>>> = HashMap::default();
        let mut customer_numbers = Dictionary::default();
        let mut names: Vec<NameParts> = Vec::new();
        let mut raw: Vec<RawOrder> = Vec::new();
        let mut read_times = String::new();
        {
            let mut statement = tx.prepare(
                "SELECT id, created_at, channel, shipping_country, currency, customer_key,
                        cancelled_at IS NOT NULL, gross_reporting, discount_minor, items_minor,
                        refunded_reporting, net_reporting, email, buyer_name, buyer_id, name
                 FROM orders",
            )?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let text = |index: usize| -> rusqlite::Result<&str> {
                    Ok(row.get_ref(index)?.as_str_or_null()?.unwrap_or(""))
                };
                let own_key = text(5)?;
                let linked = links.get(own_key);
                let key = linked.map_or(own_key, String::as_str);
                let customer = customer_numbers.number(key);
                if linked.is_some() {
                    let keys = merged.entry(customer).or_default();
                    if !keys.iter().any(|key| &**key == own_key) {
                        keys.push(own_key.into());
                    }
                }
                if customer as usize == names.len() {
                    names.push(NameParts::default());
                }
                // A customer known by e-mail is named by it; only the others need their
                // orders' names and ids weighed.
                if !key.starts_with(EMAIL_KEY) {
                    names[customer as usize].take(text(12)?, text(13)?, text(14)?, text(15)?);
                }
                let created_at = text(1)?;
                let (day, seconds) = stored_time(created_at);
                read_times.push_str(created_at);
                raw.push(RawOrder {
                    id: row.get(0)?,
                    seconds,
                    day,
                    created_at: (
                        (read_times.len() - created_at.len()) as u32,
                        created_at.len() as u32,
                    ),
                    channel: Channel::from_key(text(2)?).unwrap_or(Channel::Shopify),
                    country: frame.countries.number(text(3)?),
                    currency: frame.currencies.number(text(4)?),
                    customer,
                    cancelled: row.get(6)?,
                    gross: row.get(7)?,
                    discount_minor: row.get(8)?,
                    items_minor: row.get(9)?,
                    refunded: row.get(10)?,
                    net: row.get(11)?,
                });
            }
        }
        raw.sort_unstable_by_key(|order| (order.seconds.unwrap_or(i64::MIN), order.id));
        frame.customers = customer_numbers
            .texts
            .into_iter()
            .zip(names)
            .enumerate()
            .map(|(number, (key, parts))| Customer {
                name: key
                    .strip_prefix(EMAIL_KEY)
                    .map_or_else(|| parts.name(), Box::from),
                key,
                first_order: None,
                merged: merged.remove(&(number as u32)).unwrap_or_default(),
            })
            .collect();
        let mut index_of_id: HashMap<i64, u32> =
            HashMap::with_capacity_and_hasher(raw.len(), Default::default());
        let mut share_of_gross: Vec<Option<f64>> = Vec::with_capacity(raw.len());
        let orders = &mut frame.orders;
        for (index, order) in raw.iter().enumerate() {
            let index = index as u32;
            index_of_id.insert(order.id, index);
            orders.id.push(order.id);
            orders.day.push(order.day);
            orders
                .moment
                .push(order.seconds.map(|seconds| seconds as f64 / 86_400.0));
            let (start, length) = (order.created_at.0 as usize, order.created_at.1 as usize);
            orders
                .created_at
                .push_str(&read_times[start..start + length]);
            orders.created_at_ends.push(orders.created_at.len() as u32);
            orders.channel.push(order.channel);
            orders.country.push(order.country);
            orders.currency.push(order.currency);
            orders.customer.push(order.customer);
            orders.cancelled.push(order.cancelled);
            orders.converted.push(order.net.is_some());
            let gross = order.gross.unwrap_or(0.0);
            orders.gross.push(gross);
            let items = (order.items_minor != 0).then_some(order.items_minor as f64);
            orders
                .discount
                .push(items.map_or(0.0, |items| gross * order.discount_minor as f64 / items));
            share_of_gross.push(order.gross.zip(items).map(|(gross, items)| gross / items));
            orders.refunded.push(order.refunded.unwrap_or(0.0));
            orders.net.push(order.net.unwrap_or(0.0));
            let first = &mut frame.customers[order.customer as usize].first_order;
            if first.is_none() && !order.cancelled {
                *first = Some(index);
            }
        }
        drop(raw);
        frame.load_lines(&tx, &index_of_id, &share_of_gross)?;
        tx.commit()?;
        Ok(frame)
    }

    fn load_lines(
        &mut self,
        tx: &rusqlite::Transaction<'_>,
        index_of_id: &HashMap<i64, u32>,
        share_of_gross: &[Option<f64>],
    ) -> rusqlite::Result<()> {
        // Items by SKU and name joined with a unit separator, looked up without allocating.
        let mut items: HashMap<Box<str>, u32> = HashMap::default();
        let mut joined = String::new();
        let mut products = Dictionary::default();
        // (order, item, quantity, gross), then grouped by order below.
        let mut read: Vec<(u32, u32, i64, f64)> = Vec::new();
        let mut statement =
            tx.prepare("SELECT order_id, sku, name, quantity, total_minor FROM order_lines")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let Some(&order) = index_of_id.get(&row.get::<_, i64>(0)?) else {
                continue;
            };
            let sku = row.get_ref(1)?.as_str()?;
            let name = row.get_ref(2)?.as_str()?;
            joined.clear();
            joined.push_str(sku);
            joined.push('\u{1f}');
            joined.push_str(name);
            let item = match items.get(joined.as_str()) {
                Some(item) => *item,
                None => {
                    let product = products.number(if sku.is_empty() { name } else { sku });
                    if product as usize == self.products.len() {
                        self.products.push((
                            products.text(product).into(),
                            Box::from(""),
                            Box::from(""),
                        ));
                    }
                    let kept = &mut self.products[product as usize];
                    if sku > &*kept.1 {
                        kept.1 = sku.into();
                    }
                    if name > &*kept.2 {
                        kept.2 = name.into();
                    }
                    let item = self.items.len() as u32;
                    self.items.push(Item {
                        sku: sku.into(),
                        name: name.into(),
                        product,
                    });
                    items.insert(joined.as_str().into(), item);
                    item
                }
            };
            let total: i64 = row.get(4)?;
            let gross = share_of_gross[order as usize].map_or(0.0, |share| total as f64 * share);
            read.push((order, item, row.get(3)?, gross));
        }
        read.sort_unstable_by_key(|line| line.0);
        let orders = self.orders.len();
        self.orders.lines_start = Vec::with_capacity(orders + 1);
        let mut next = 0;
        for order in 0..orders as u32 {
            self.orders.lines_start.push(next as u32);
            while next < read.len() && read[next].0 == order {
                next += 1;
            }
        }
        self.orders.lines_start.push(read.len() as u32);
        for (_, item, quantity, gross) in read {
            self.lines.item.push(item);
            self.lines.quantity.push(quantity);
            self.lines.gross.push(gross);
        }
        Ok(())
    }

    /// The orders `filter` keeps, in time order.
    pub fn select(&self, filter: &Filter) -> Result<Selection, AnalyticsError> {
        let (from, to) = filter.days()?;
        let orders = &self.orders;
        // Orders are in time order: a range of days is a range of them.
        let start = from.as_deref().map_or(0, |from| {
            let from = day_number(from);
            orders.day.partition_point(|day| *day < from)
        });
        let end = to.as_deref().map_or(orders.len(), |to| {
            let to = day_number(to);
            orders.day.partition_point(|day| *day <= to)
        });
        let keep = |dictionary: &Dictionary, wanted: Vec<String>| -> Vec<bool> {
            if wanted.is_empty() {
                return vec![true; dictionary.texts.len()];
            }
            let mut keep = vec![false; dictionary.texts.len()];
            for number in wanted.iter().filter_map(|text| dictionary.find(text)) {
                keep[number as usize] = true;
            }
            keep
        };
        let countries = keep(&self.countries, filter.countries.clone());
        let currencies = keep(
            &self.currencies,
            filter
                .currencies
                .iter()
                .map(|code| code.to_ascii_uppercase())
                .collect(),
        );
        let items = self.items_matching(filter.product.as_deref());
        let mut selection = Selection::default();
        for order in start..end.max(start) {
            let channel_ok =
                filter.channels.is_empty() || filter.channels.contains(&orders.channel[order]);
            if !channel_ok
                || !countries[orders.country[order] as usize]
                || !currencies[orders.currency[order] as usize]
            {
                continue;
            }
            if let Some(items) = &items
                && !orders
                    .lines(order as u32)
                    .any(|line| items[self.lines.item[line] as usize])
            {
                continue;
            }
            if orders.cancelled[order] {
                selection.cancelled += 1;
            } else {
                selection.orders.push(order as u32);
            }
        }
        Ok(selection)
    }

    /// Which items a product filter keeps (its SKU, or a name containing it, in any
    /// case); None without one.
    fn items_matching(&self, product: Option<&str>) -> Option<Vec<bool>> {
        let product = product.map(str::trim).filter(|text| !text.is_empty())?;
        let lower = product.to_lowercase();
        Some(
            self.items
                .iter()
                .map(|item| &*item.sku == product || item.name.to_lowercase().contains(&lower))
                .collect(),
        )
    }
}

/// The frame of the store's orders, read again only when they changed.
#[derive(Debug, Default)]
pub struct Frames {
    kept: Mutex<Option<Arc<OrdersFrame>>>,
}

impl Frames {
    pub fn get(&self, store: &Store) -> Result<Arc<OrdersFrame>, AnalyticsError> {
        fx::ensure_rates(store)?;
        let mut conn = store.connect()?;
        let current = generation(&conn).map_err(|error| store.error(error))?;
        // One reader at a time: a second asking while the first reads waits for its frame.
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(frame) = kept.as_ref().filter(|frame| frame.generation == current) {
            return Ok(Arc::clone(frame));
        }
        let frame = Arc::new(OrdersFrame::load(&mut conn).map_err(|error| store.error(error))?);
        *kept = Some(Arc::clone(&frame));
        Ok(frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_times_read_alike_on_the_fast_path_and_through_chrono() {
        let fast = stored_time("2025-03-14T09:30:00Z");
        let parsed = chrono::DateTime::parse_from_rfc3339("2025-03-14T09:30:00Z").unwrap();
        assert_eq!(fast, (day_number("2025-03-14"), Some(parsed.timestamp())));
        // The same instant written by an older store, an hour ahead of UTC.
        let older = stored_time("2025-03-14T10:30:00+01:00");
        assert_eq!(older, fast);
        assert_eq!(stored_time("2025-02-30T09:30:00Z").1, None);
        // Half past midnight in Paris is still the day before in UTC, and sorts there.
        assert_eq!(
            stored_time("2025-03-01 00:30:00 +0100"),
            stored_time("2025-02-28T23:30:00Z")
        );
        let midnight = stored_time("2025-03-14");
        assert_eq!(midnight.0, day_number("2025-03-14"));
        assert_eq!(midnight.1, Some(fast.1.unwrap() - 9 * 3600 - 30 * 60));
        assert_eq!(stored_time(""), (i32::MIN, None));
    }
}
