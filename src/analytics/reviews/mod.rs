//! Product reviews: imported from the review apps' exports and Etsy's download (or any
//! file through a mapping), their language detected, their text read by the star model,
//! and summarised per product with the complaints and praise that recur.

mod layout;
mod phrases;
mod preview;
mod stored;
mod summary;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use layout::{ReviewLayout, ReviewMapping, ReviewRole};
pub use preview::{ReviewsPreview, preview};
pub use stored::{Saved, StoredReview, all, set_text_stars, unread};
pub use summary::{KeyPhrase, ProductReviews, ReviewsSummary, Said, summarise};

use super::AnalyticsError;
use crate::store::Store;

/// What importing a reviews file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportedReviews {
    pub layout: ReviewLayout,
    pub added: usize,
    pub updated: usize,
    /// Rows left out: marked spam, or with neither stars nor words.
    pub skipped: usize,
}

/// Reads the reviews of `path` (its layout detected, or through `mapping`) and saves
/// them, all or none.
pub fn import(
    store: &Store,
    path: &Path,
    mapping: Option<&ReviewMapping>,
) -> Result<ImportedReviews, AnalyticsError> {
    let read = layout::read(path, mapping)?;
    let saved = stored::save(store, read.layout, &read.rows)?;
    Ok(ImportedReviews {
        layout: read.layout,
        added: saved.added,
        updated: saved.updated,
        skipped: read.skipped,
    })
}
