use serde::Serialize;

use crate::store::{Store, StoreError};

/// How much the store holds: what the navigation badges and `doctor` show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overview {
    pub listings: u64,
    pub variants: u64,
    pub images: u64,
    pub orders: u64,
    pub order_lines: u64,
    pub customers: u64,
    pub photos: u64,
}

pub fn overview(store: &Store) -> Result<Overview, StoreError> {
    let conn = store.connect()?;
    conn.query_row(
        "SELECT (SELECT count(*) FROM listings), (SELECT count(*) FROM listing_variants),
                (SELECT count(*) FROM listing_images), (SELECT count(*) FROM orders),
                (SELECT count(*) FROM order_lines), (SELECT count(DISTINCT customer_key) FROM orders),
                (SELECT count(*) FROM photos)",
        [],
        |row| {
            Ok(Overview {
                listings: row.get(0)?,
                variants: row.get(1)?,
                images: row.get(2)?,
                orders: row.get(3)?,
                order_lines: row.get(4)?,
                customers: row.get(5)?,
                photos: row.get(6)?,
            })
        },
    )
    .map_err(|error| store.error(error))
}
