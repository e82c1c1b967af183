use std::path::PathBuf;

use super::translate::html::HtmlError;
use crate::error_kind::ErrorKind;
use crate::files::FileError;
use crate::jobs::JobError;
use crate::ml::MlError;
use crate::store::StoreError;

/// Anything that stops work on listings: importing them, translating them, reviewing
/// the translations, or writing them out. The failures of the layers below keep their
/// own sentences; the rest name the listing, field or file they are about.
#[derive(Debug, thiserror::Error)]
pub enum ListingsError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Job(#[from] JobError),
    #[error(transparent)]
    Model(#[from] MlError),
    #[error(
        "{path} is not a Shopify product CSV (it has no '{column}' column): say which column is which"
    )]
    NeedsMapping { path: PathBuf, column: String },
    #[error("{place} is HTML that Tradewind cannot read: {detail}")]
    Html { place: String, detail: String },
    #[error("listing {listing_id} has no {locale} translation of its {field}")]
    NoTranslation {
        listing_id: i64,
        field: String,
        locale: String,
    },
    #[error("the {field} of listing {listing_id} is empty now: there is nothing to translate")]
    NothingToTranslate { listing_id: i64, field: String },
    #[error("'{name}' is not a marketplace whose limits Tradewind knows; choose one of: {known}")]
    UnknownMarketplace { name: String, known: String },
    #[error("the marketplace rules built into Tradewind are not valid: {detail}")]
    Rules { detail: String },
}

impl From<HtmlError> for ListingsError {
    fn from(error: HtmlError) -> ListingsError {
        ListingsError::Html {
            place: "a description".into(),
            detail: error.to_string(),
        }
    }
}

impl ListingsError {
    /// The error, saying which listing's field it is about where it did not know.
    pub fn in_field(self, handle: &str, field: &str) -> ListingsError {
        match self {
            ListingsError::Html { detail, .. } => ListingsError::Html {
                place: format!("the {field} of {handle}"),
                detail,
            },
            other => other,
        }
    }

    /// Whether the work stopped because the seller asked it to.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, ListingsError::Job(JobError::Cancelled))
    }

    /// A stable name for what went wrong, for scripts and the interface.
    pub fn kind(&self) -> ErrorKind {
        match self {
            ListingsError::File(error) => error.kind(),
            ListingsError::Store(error) => error.kind(),
            ListingsError::Job(error) => error.kind(),
            ListingsError::Model(error) => error.kind(),
            ListingsError::NeedsMapping { .. } => ErrorKind::NeedsMapping,
            ListingsError::Html { .. } => ErrorKind::BadInput,
            ListingsError::NoTranslation { .. } | ListingsError::NothingToTranslate { .. } => {
                ErrorKind::NotFound
            }
            ListingsError::UnknownMarketplace { .. } => ErrorKind::InvalidSetting,
            ListingsError::Rules { .. } => ErrorKind::Internal,
        }
    }
}
