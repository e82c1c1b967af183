//! Customer analytics from the shops' order exports.

pub mod money;
mod orders_import;
mod summary;

pub use orders_import::{ImportedOrders, import_shopify_orders};
pub use summary::{CountryOrders, CurrencyRevenue, OrdersSummary, summarise};
