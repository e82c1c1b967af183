use crate::input::InputError;
use crate::jobs::JobError;
use crate::ml::MlError;
use crate::store::StoreError;

/// Any engine failure. Each variant's message is one sentence a seller can act on;
/// [`Error::kind`] gives scripts and the desktop app a stable name for it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Job(#[from] JobError),
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Ml(#[from] MlError),
    #[error("'{value}' is not a valid {setting}; choose one of: {allowed}")]
    InvalidSetting {
        setting: &'static str,
        value: String,
        allowed: String,
    },
}

impl Error {
    pub fn is_cancelled(&self) -> bool {
        matches!(self, Error::Job(JobError::Cancelled))
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Error::Store(error) | Error::Job(JobError::Store(error)) => store_kind(error),
            Error::Job(JobError::Cancelled) => "cancelled",
            Error::Job(JobError::NotFound(_)) => "not_found",
            Error::Job(JobError::NotResumable { .. } | JobError::RunningElsewhere(_)) => {
                "job_state"
            }
            Error::Job(_) => "job",
            Error::Input(InputError::Missing { .. }) => "file_missing",
            Error::Input(_) => "bad_input",
            Error::InvalidSetting { .. } => "invalid_setting",
            Error::Ml(MlError::Store(error)) => store_kind(error),
            Error::Ml(MlError::Input(InputError::Missing { .. })) => "file_missing",
            Error::Ml(MlError::Input(_)) => "bad_input",
            Error::Ml(MlError::UnknownModel(_)) => "not_found",
            Error::Ml(MlError::UnknownDevice(_)) => "invalid_setting",
            Error::Ml(MlError::NotPresent { .. }) => "model_missing",
            Error::Ml(MlError::Damaged { .. } | MlError::MissingFile { .. }) => "model_damaged",
            Error::Ml(_) => "model",
        }
    }
}

fn store_kind(error: &StoreError) -> &'static str {
    match error {
        StoreError::Locked { .. } => "database_locked",
        StoreError::ReadOnly { .. } => "database_read_only",
        StoreError::NotADatabase { .. } => "database_damaged",
        StoreError::TooNew { .. } => "database_too_new",
        _ => "database",
    }
}

impl From<crate::listings::translation::TranslationError> for Error {
    fn from(error: crate::listings::translation::TranslationError) -> Error {
        use crate::listings::segments::SegmentError;
        use crate::listings::translation::TranslationError;
        match error {
            TranslationError::Job(error) => Error::Job(error),
            TranslationError::Store(error)
            | TranslationError::Segment(SegmentError::Store(error)) => Error::Store(error),
            TranslationError::Segment(SegmentError::Model(error)) => Error::Ml(error),
            TranslationError::Segment(SegmentError::Html(error)) => {
                Error::Input(InputError::Unreadable {
                    path: "body_html".into(),
                    detail: error.to_string(),
                })
            }
        }
    }
}
