//! Seller preferences (language, device, ...), one row per key.

use rusqlite::OptionalExtension;

use super::{Store, StoreError};

pub fn get(store: &Store, key: &str) -> Result<Option<String>, StoreError> {
    let conn = store.connect()?;
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
        row.get(0)
    })
    .optional()
    .map_err(|error| store.error(error))
}

pub fn set(store: &Store, key: &str, value: &str) -> Result<(), StoreError> {
    let conn = store.connect()?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
    .map(|_| ())
    .map_err(|error| store.error(error))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DATABASE_FILE, StoreOptions};

    #[test]
    fn a_setting_reads_back_and_can_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE), StoreOptions::default()).unwrap();
        assert_eq!(get(&store, "language").unwrap(), None);
        set(&store, "language", "zh-CN").unwrap();
        set(&store, "language", "en").unwrap();
        assert_eq!(get(&store, "language").unwrap().as_deref(), Some("en"));
    }
}
