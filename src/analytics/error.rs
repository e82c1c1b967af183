use std::path::PathBuf;

use crate::error_kind::ErrorKind;
use crate::files::FileError;
use crate::jobs::JobError;
use crate::store::StoreError;

/// Anything that stops an orders import or an analysis.
#[derive(Debug, thiserror::Error)]
pub enum AnalyticsError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Job(#[from] JobError),
    #[error(
        "{path}: the file changed since this import started; import it again instead of resuming"
    )]
    ChangedSinceStarted { path: PathBuf },
    #[error(
        "{path} is not an orders export Tradewind knows (Shopify's orders export, Etsy's EtsySoldOrders or EtsySoldOrderItems, Amazon's All Orders report, eBay's Seller Hub orders report or WooCommerce's orders export): say which column is which"
    )]
    UnknownLayout { path: PathBuf },
    #[error(
        "{path} is not a reviews file Tradewind knows (Judge.me's export, Shopify Product Reviews' export or Etsy's reviews download): say which column is which"
    )]
    UnknownReviewsLayout {
        path: PathBuf,
        /// The mapping the column names suggest, as `--map` takes it (empty: none).
        proposed: String,
    },
    #[error("{path}: {detail}")]
    BadMapping { path: PathBuf, detail: String },
    #[error("{path} is {found}, not an export of {wanted}")]
    WrongChannel {
        path: PathBuf,
        found: &'static str,
        wanted: &'static str,
    },
    #[error("{path}, row {row}: order {order} has no date on any of its rows")]
    OrderWithoutDate {
        path: PathBuf,
        row: u64,
        order: String,
    },
    #[error("the exchange rates built into Tradewind cannot be read: {detail}")]
    Rates { detail: String },
    #[error(
        "{rate} {currency} per euro on {day} is not a rate: give a three-letter currency, a day like 2026-11-02 and a rate above 0"
    )]
    BadRate {
        currency: String,
        day: String,
        rate: f64,
    },
    #[error("no exchange rate is known for {currency}; import the ECB's rates or set one")]
    UnknownCurrency { currency: String },
    #[error(
        "{customer} and {with} are not a pair with the same name and postal code still to decide on"
    )]
    NoSuchMatch { customer: String, with: String },
    #[error("the operating system gave no randomness for the anonymising salt: {detail}")]
    NoRandomness { detail: String },
    #[error("{path}: the Parquet file could not be written: {detail}")]
    Parquet { path: PathBuf, detail: String },
    #[error("stock of {sku}: {detail}")]
    BadStock { sku: String, detail: String },
    #[error("no {what} '{key}' in the orders the filter keeps")]
    NotInOrders { what: &'static str, key: String },
    #[error("'{value}' is not a {what}: {expected}")]
    BadFilter {
        what: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl AnalyticsError {
    /// Whether the work stopped because the seller asked it to.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, AnalyticsError::Job(JobError::Cancelled))
    }

    /// A stable name for what went wrong, for scripts and the interface.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AnalyticsError::File(error) => error.kind(),
            AnalyticsError::Store(error) => error.kind(),
            AnalyticsError::Job(error) => error.kind(),
            AnalyticsError::ChangedSinceStarted { .. } => ErrorKind::FileChanged,
            AnalyticsError::UnknownLayout { .. } | AnalyticsError::UnknownReviewsLayout { .. } => {
                ErrorKind::NeedsMapping
            }
            AnalyticsError::BadMapping { .. }
            | AnalyticsError::WrongChannel { .. }
            | AnalyticsError::OrderWithoutDate { .. }
            | AnalyticsError::NoSuchMatch { .. }
            | AnalyticsError::NotInOrders { .. } => ErrorKind::BadInput,
            AnalyticsError::Rates { .. }
            | AnalyticsError::NoRandomness { .. }
            | AnalyticsError::Parquet { .. } => ErrorKind::Internal,
            AnalyticsError::BadRate { .. }
            | AnalyticsError::UnknownCurrency { .. }
            | AnalyticsError::BadFilter { .. }
            | AnalyticsError::BadStock { .. } => ErrorKind::InvalidSetting,
        }
    }
}
