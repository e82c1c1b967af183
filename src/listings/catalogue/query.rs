use serde::Serialize;

use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListingSummary {
    pub id: i64,
    pub handle: String,
    pub title: String,
    pub vendor: String,
    pub product_type: String,
    pub status: String,
    pub variants: u64,
    pub images: u64,
    pub min_price_cents: Option<i64>,
    pub max_price_cents: Option<i64>,
}

/// All listings, sorted by title.
pub fn list(store: &Store) -> Result<Vec<ListingSummary>, StoreError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(
            "SELECT l.id, l.handle, l.title, l.vendor, l.product_type, l.status,
                    (SELECT count(*) FROM listing_variants v WHERE v.listing_id = l.id),
                    (SELECT count(*) FROM listing_images i WHERE i.listing_id = l.id),
                    (SELECT min(price_cents) FROM listing_variants v WHERE v.listing_id = l.id),
                    (SELECT max(price_cents) FROM listing_variants v WHERE v.listing_id = l.id)
             FROM listings l ORDER BY l.title COLLATE NOCASE, l.id",
        )
        .map_err(|error| store.error(error))?;
    statement
        .query_map([], |row| {
            Ok(ListingSummary {
                id: row.get(0)?,
                handle: row.get(1)?,
                title: row.get(2)?,
                vendor: row.get(3)?,
                product_type: row.get(4)?,
                status: row.get(5)?,
                variants: row.get(6)?,
                images: row.get(7)?,
                min_price_cents: row.get(8)?,
                max_price_cents: row.get(9)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))
}
