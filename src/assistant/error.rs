use std::path::PathBuf;

use crate::error_kind::ErrorKind;
use crate::files::FileError;
use crate::ml::MlError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AssistantError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ml(#[from] MlError),
    #[error(transparent)]
    File(#[from] FileError),
    #[error("the buyer's message is empty: paste the message to answer")]
    EmptyMessage,
    #[error("the {field} is empty: there is nothing to shorten")]
    EmptyField { field: String },
    #[error("the listing has neither a title nor a description to write its {field} from")]
    NothingToWriteFrom { field: String },
    #[error(
        "no writing model is on this computer: get SmolLM2 or Qwen2.5 Instruct in the Models view (or `tradewind models pull ID`)"
    )]
    NoWriter,
    #[error("{marketplace} sets no length for the {field}: shorten a field it limits ({limited})")]
    NoLimit {
        marketplace: String,
        field: String,
        limited: String,
    },
    #[error(
        "{path}: no column holds the messages' text: name it message, text or body (its columns: {columns})"
    )]
    NoMessageColumn { path: PathBuf, columns: String },
    #[error("there is no imported message {id}: `tradewind messages` lists them")]
    NoSuchMessage { id: i64 },
    #[error("the shop policies could not be read ({detail}): write them again in Settings")]
    Policies { detail: String },
}

impl AssistantError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            AssistantError::Store(error) => error.kind(),
            AssistantError::Ml(error) => error.kind(),
            AssistantError::File(error) => error.kind(),
            AssistantError::EmptyMessage
            | AssistantError::EmptyField { .. }
            | AssistantError::NothingToWriteFrom { .. }
            | AssistantError::NoLimit { .. }
            | AssistantError::NoMessageColumn { .. } => ErrorKind::BadInput,
            AssistantError::NoSuchMessage { .. } => ErrorKind::NotFound,
            AssistantError::NoWriter => ErrorKind::ModelMissing,
            AssistantError::Policies { .. } => ErrorKind::InvalidSetting,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        matches!(self, AssistantError::Ml(MlError::Stopped))
    }
}
