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
    let sqlite = |error| store.error(error);
    let mut overview = conn
        .query_row(
            "SELECT (SELECT count(*) FROM listings), (SELECT count(*) FROM listing_variants),
                    (SELECT count(*) FROM listing_images), (SELECT count(*) FROM orders),
                    (SELECT count(*) FROM order_lines), (SELECT count(*) FROM photos)",
            [],
            |row| {
                Ok(Overview {
                    listings: row.get(0)?,
                    variants: row.get(1)?,
                    images: row.get(2)?,
                    orders: row.get(3)?,
                    order_lines: row.get(4)?,
                    customers: 0,
                    photos: row.get(5)?,
                })
            },
        )
        .map_err(sqlite)?;
    overview.customers = customers(&conn).map_err(sqlite)?;
    Ok(overview)
}

/// Distinct customers, counted in a hash set: SQLite's `count(DISTINCT …)` sorts every
/// order's key first, almost a second at a million lines, and the badges ask often.
fn customers(conn: &rusqlite::Connection) -> rusqlite::Result<u64> {
    let mut statement = conn.prepare("SELECT customer_key FROM orders")?;
    let mut rows = statement.query([])?;
    let mut seen = rustc_hash::FxHashSet::default();
    while let Some(row) = rows.next()? {
        let key = row.get_ref(0)?.as_str()?;
        if !seen.contains(key) {
            seen.insert(key.to_owned());
        }
    }
    Ok(seen.len() as u64)
}
