use crate::error_kind::ErrorKind;
use crate::files::FileError;
use crate::jobs::JobError;
use crate::ml::MlError;
use crate::store::StoreError;

/// Anything that stops work on photos: importing, tagging, captioning, exporting them.
#[derive(Debug, thiserror::Error)]
pub enum PhotosError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Job(#[from] JobError),
    #[error(transparent)]
    Model(#[from] MlError),
    #[error("the photo rules built into Tradewind are not valid: {detail}")]
    Rules { detail: String },
    #[error(
        "'{group}' is not a group of photo tags; choose category, colour, material, pattern, style, audience or season"
    )]
    UnknownGroup { group: String },
    #[error("a tag needs a word or two")]
    EmptyLabel,
    #[error("there is no photo {id}")]
    NoPhoto { id: i64 },
    #[error(transparent)]
    Listings(#[from] crate::listings::ListingsError),
}

impl PhotosError {
    /// Whether the work stopped because the seller asked it to.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, PhotosError::Job(JobError::Cancelled))
    }

    /// A stable name for what went wrong, for scripts and the interface.
    pub fn kind(&self) -> ErrorKind {
        match self {
            PhotosError::File(error) => error.kind(),
            PhotosError::Store(error) => error.kind(),
            PhotosError::Job(error) => error.kind(),
            PhotosError::Model(error) => error.kind(),
            PhotosError::Rules { .. } => ErrorKind::Internal,
            PhotosError::UnknownGroup { .. } => ErrorKind::InvalidSetting,
            PhotosError::EmptyLabel => ErrorKind::BadInput,
            PhotosError::NoPhoto { .. } => ErrorKind::NotFound,
            PhotosError::Listings(error) => error.kind(),
        }
    }
}
