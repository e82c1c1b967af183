//! The seller's catalogue: Shopify's product export (`shopify_csv`) or a file of their
//! own layout read through a column mapping they confirm (`own_layout`), imported into
//! the store with each listing updated in place (`import`), and listed (`query`).

mod import;
pub mod own_layout;
mod query;
pub mod shopify_csv;

pub use import::{ImportedListings, import_listings, mapping_of};
pub use query::{ListingSummary, list};
