use serde::Serialize;

use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhotoSummary {
    pub id: i64,
    pub file_name: String,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    /// A small JPEG for display.
    #[serde(skip)]
    pub thumbnail_jpeg: Vec<u8>,
}

pub fn list(store: &Store) -> Result<Vec<PhotoSummary>, StoreError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare("SELECT id, file_name, width, height, bytes, thumbnail FROM photos ORDER BY file_name, id")
        .map_err(|error| store.error(error))?;
    statement
        .query_map([], |row| {
            Ok(PhotoSummary {
                id: row.get(0)?,
                file_name: row.get(1)?,
                width: row.get(2)?,
                height: row.get(3)?,
                bytes: row.get(4)?,
                thumbnail_jpeg: row.get(5)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))
}
