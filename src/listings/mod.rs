//! Product listings: the seller's catalogue (`catalogue`: read from the shops' product
//! exports or a file of their own layout, kept in the store), its translation into
//! other languages (`translate`), and the translations written back out (`output`),
//! checked against the marketplaces' length limits (`rules`).

pub mod catalogue;
mod error;
pub mod output;
pub mod rules;
pub mod translate;

pub use catalogue::{ImportedListings, ListingSummary, import_listings, list, mapping_of};
pub use error::ListingsError;
