//! Customer analytics from the shops' order exports.

mod error;
mod orders_import;
mod summary;

pub use error::AnalyticsError;
pub use orders_import::{ImportedOrders, import_shopify_orders};
pub use summary::{CountryOrders, CurrencyRevenue, OrdersSummary, summarise};
