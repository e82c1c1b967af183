//! Product listings: reading the shops' product exports and keeping them in the store.

mod import;
mod query;
pub mod shopify_csv;

pub use import::{ImportedListings, import_shopify_products};
pub use query::{ListingSummary, list};
