//! What the store holds of the shop, for the Listings, Photos and Analytics views, and
//! a product file looked at before it is imported.

use std::path::Path;

use serde::Serialize;

use super::Engine;
use crate::Error;
use crate::analytics::{self, OrdersSummary};
use crate::listings::catalogue::{own_layout, shopify_csv};
use crate::listings::{self, ListingSummary};
use crate::overview::{self, Overview};

/// A product file before import: whether it is a Shopify product CSV (which needs no
/// mapping), its columns, first rows and the mapping Tradewind proposes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListingsFilePreview {
    pub shopify: bool,
    #[serde(flatten)]
    pub table: own_layout::TablePreview,
}

impl Engine {
    pub fn overview(&self) -> Result<Overview, Error> {
        Ok(overview::overview(&self.store)?)
    }

    pub fn listings(&self) -> Result<Vec<ListingSummary>, Error> {
        Ok(listings::list(&self.store)?)
    }

    pub fn orders_summary(&self) -> Result<OrdersSummary, Error> {
        Ok(analytics::summarise(&self.store)?)
    }

    pub fn preview_listings_file(&self, path: &Path) -> Result<ListingsFilePreview, Error> {
        let table = own_layout::preview(path)?;
        Ok(ListingsFilePreview {
            shopify: shopify_csv::is_shopify(&table.columns),
            table,
        })
    }
}
