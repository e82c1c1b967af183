//! The filtered orders, their customers and the monthly metrics as Parquet files, for
//! DuckDB, Polars or a warehouse to read directly: real types (timestamps, dates,
//! integers, doubles), one file each, written beside their target and renamed into place.
//! Anonymised, customers are known only by their salted hash (`anonymise`) and carry no
//! name.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMillisecondBuilder, UInt8Builder, UInt64Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::AnalyticsError;
use super::anonymise::Anonymiser;
use super::filter::Filter;
use super::frame::OrdersFrame;
use super::metrics::{self, Granularity};
use super::rfm;
use crate::files::write_atomically_with;
use crate::store::Store;

/// Days from the common era to 1970-01-01 (chrono's count), for Parquet's dates.
const UNIX_EPOCH_DAY: i32 = 719_163;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ParquetFile {
    pub path: PathBuf,
    pub rows: u64,
}

fn parquet_error(path: &Path, error: impl std::fmt::Display) -> AnalyticsError {
    AnalyticsError::Parquet {
        path: path.to_path_buf(),
        detail: error.to_string(),
    }
}

fn write(path: &Path, columns: Vec<(&str, ArrayRef)>) -> Result<ParquetFile, AnalyticsError> {
    let batch = RecordBatch::try_from_iter(columns).map_err(|error| parquet_error(path, error))?;
    let rows = batch.num_rows() as u64;
    write_atomically_with(path, |file| {
        // Snappy: what DuckDB, Polars and Spark read everywhere, at little cost.
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .build();
        let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(properties))
            .map_err(std::io::Error::other)?;
        writer.write(&batch).map_err(std::io::Error::other)?;
        writer.close().map_err(std::io::Error::other)?;
        Ok(())
    })?;
    Ok(ParquetFile {
        path: path.to_path_buf(),
        rows,
    })
}

fn milliseconds(created_at: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(created_at)
        .ok()
        .map(|moment| moment.timestamp_millis())
}

fn day(text: &str) -> Option<i32> {
    use chrono::Datelike;
    chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d")
        .ok()
        .map(|day| day.num_days_from_ce() - UNIX_EPOCH_DAY)
}

/// Writes `orders.parquet`, `customers.parquet` and `monthly.parquet` into `folder`.
pub fn export_parquet(
    frame: &OrdersFrame,
    store: &Store,
    filter: &Filter,
    anonymise: bool,
    folder: &Path,
) -> Result<Vec<ParquetFile>, AnalyticsError> {
    std::fs::create_dir_all(folder).map_err(|source| crate::files::FileError::Write {
        path: folder.to_path_buf(),
        source,
    })?;
    let anonymiser = if anonymise {
        Some(Anonymiser::of(store)?)
    } else {
        None
    };
    let customer_of = |key: &str| match &anonymiser {
        Some(anonymiser) => anonymiser.hash(key),
        None => key.to_string(),
    };
    let names = order_names(store)?;
    let selection = frame.select(filter)?;
    let orders = &frame.orders;
    let (mut id, mut name, mut channel, mut placed) = (
        Int64Builder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        TimestampMillisecondBuilder::new().with_timezone("UTC"),
    );
    let (mut customer, mut country, mut currency, mut converted) = (
        StringBuilder::new(),
        StringBuilder::new(),
        StringBuilder::new(),
        BooleanBuilder::new(),
    );
    let (mut gross, mut discount, mut refunded, mut net, mut lines) = (
        Float64Builder::new(),
        Float64Builder::new(),
        Float64Builder::new(),
        Float64Builder::new(),
        UInt64Builder::new(),
    );
    for &order in &selection.orders {
        let index = order as usize;
        id.append_value(orders.id[index]);
        name.append_option(names.get(&orders.id[index]).map(String::as_str));
        channel.append_value(orders.channel[index].key());
        placed.append_option(milliseconds(orders.created_at(order)));
        customer.append_value(customer_of(
            &frame.customers[orders.customer[index] as usize].key,
        ));
        country.append_value(frame.countries.text(orders.country[index]));
        currency.append_value(frame.currencies.text(orders.currency[index]));
        converted.append_value(orders.converted[index]);
        let reporting = |value: f64| orders.converted[index].then_some(value);
        gross.append_option(reporting(orders.gross[index]));
        discount.append_option(reporting(orders.discount[index]));
        refunded.append_option(reporting(orders.refunded[index]));
        net.append_option(reporting(orders.net[index]));
        lines.append_value(orders.lines(order).len() as u64);
    }
    let reporting = frame.reporting.to_lowercase();
    let [gross_name, discount_name, refunded_name, net_name] =
        ["gross", "discounts", "refunds", "net_sales"].map(|what| format!("{what}_{reporting}"));
    let mut written = vec![write(
        &folder.join("orders.parquet"),
        vec![
            ("order_id", Arc::new(id.finish()) as ArrayRef),
            ("order_name", Arc::new(name.finish())),
            ("channel", Arc::new(channel.finish())),
            ("placed_at", Arc::new(placed.finish())),
            ("customer", Arc::new(customer.finish())),
            ("country", Arc::new(country.finish())),
            ("currency", Arc::new(currency.finish())),
            ("converted", Arc::new(converted.finish())),
            (&gross_name, Arc::new(gross.finish())),
            (&discount_name, Arc::new(discount.finish())),
            (&refunded_name, Arc::new(refunded.finish())),
            (&net_name, Arc::new(net.finish())),
            ("lines", Arc::new(lines.finish())),
        ],
    )?];

    let scores = rfm::rfm(frame, filter, usize::MAX)?;
    let mut seen = rustc_hash::FxHashSet::default();
    let (mut key, mut shown, mut count, mut first, mut last, mut value) = (
        StringBuilder::new(),
        StringBuilder::new(),
        UInt64Builder::new(),
        Date32Builder::new(),
        Date32Builder::new(),
        Float64Builder::new(),
    );
    let (mut r, mut f, mut m, mut group) = (
        UInt8Builder::new(),
        UInt8Builder::new(),
        UInt8Builder::new(),
        StringBuilder::new(),
    );
    for score in scores
        .customers
        .iter()
        .filter(|score| seen.insert(score.customer.clone()))
    {
        key.append_value(customer_of(&score.customer));
        shown.append_option((!anonymise).then_some(score.name.as_str()));
        count.append_value(score.orders);
        first.append_option(day(&score.first_order_at));
        last.append_option(day(&score.last_order_at));
        value.append_value(score.net_sales);
        r.append_value(score.r);
        f.append_value(score.f);
        m.append_value(score.m);
        group.append_value(score.group.name());
    }
    written.push(write(
        &folder.join("customers.parquet"),
        vec![
            ("customer", Arc::new(key.finish()) as ArrayRef),
            ("name", Arc::new(shown.finish())),
            ("orders", Arc::new(count.finish())),
            ("first_order", Arc::new(first.finish())),
            ("last_order", Arc::new(last.finish())),
            (&net_name, Arc::new(value.finish())),
            ("r", Arc::new(r.finish())),
            ("f", Arc::new(f.finish())),
            ("m", Arc::new(m.finish())),
            ("rfm_group", Arc::new(group.finish())),
        ],
    )?);

    let dashboard = metrics::dashboard(frame, filter, Granularity::Month)?;
    let (mut month, mut month_orders, mut month_net, mut month_customers) = (
        Date32Builder::new(),
        UInt64Builder::new(),
        Float64Builder::new(),
        UInt64Builder::new(),
    );
    for point in &dashboard.series {
        month.append_option(day(&format!("{}-01", point.period)));
        month_orders.append_value(point.orders);
        month_net.append_value(point.net_sales);
        month_customers.append_value(point.customers);
    }
    written.push(write(
        &folder.join("monthly.parquet"),
        vec![
            ("month", Arc::new(month.finish()) as ArrayRef),
            ("orders", Arc::new(month_orders.finish())),
            (&net_name, Arc::new(month_net.finish())),
            ("customers", Arc::new(month_customers.finish())),
        ],
    )?);
    Ok(written)
}

/// Each stored order's channel name for it (`#1001`), by id.
fn order_names(store: &Store) -> Result<HashMap<i64, String>, AnalyticsError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare("SELECT id, name FROM orders")
        .map_err(|error| store.error(error))?;
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error).into())
}
