//! Product listings: reading the shops' product exports and keeping them in the store.

pub mod csv_copy;
pub mod export;
pub mod glossary;
pub mod html;
mod import;
pub mod language;
pub mod memory;
pub mod protect;
mod query;
pub mod rules;
pub mod segments;
pub mod shopify_csv;
pub mod shopify_translations;
pub mod table_copy;
pub mod table_export;
pub mod table_import;
pub mod translation;

pub use import::{ImportedListings, import_listings, mapping_of};
pub use query::{ListingSummary, list};
