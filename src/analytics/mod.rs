//! Customer analytics from the shops' order exports: every channel's orders in one
//! store, money converted to one reporting currency, and what a seller asks of them:
//! the dashboard's figures, RFM groups and cohorts.

pub mod anonymise;
mod channels;
pub mod cohorts;
mod error;
mod filter;
pub mod forecast;
pub mod frame;
pub mod fx;
pub mod matching;
pub mod metrics;
mod new_orders;
pub mod order_mapping;
mod orders_import;
pub mod orders_list;
pub mod parquet_export;
pub mod recommend;
pub mod reviews;
pub mod rfm;
pub mod rfm_history;
pub mod segments;
mod source;
mod store_orders;
mod summary;

pub(crate) use channels::dates;
pub use channels::{Channel, Layout};
pub use error::AnalyticsError;
pub use filter::Filter;
pub use frame::Frames;
pub use orders_import::{ImportedOrders, OrdersRequest, STAGE as ORDERS_STAGE, import_orders};
pub use source::{OrdersPreview, preview};
pub use summary::{CountryOrders, CurrencyRevenue, OrdersSummary, summarise};
