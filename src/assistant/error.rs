use crate::error_kind::ErrorKind;
use crate::ml::MlError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AssistantError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ml(#[from] MlError),
    #[error("the buyer's message is empty: paste the message to answer")]
    EmptyMessage,
    #[error("the {field} is empty: there is nothing to shorten")]
    EmptyField { field: String },
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
    #[error("the shop policies could not be read ({detail}): write them again in Settings")]
    Policies { detail: String },
}

impl AssistantError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            AssistantError::Store(error) => error.kind(),
            AssistantError::Ml(error) => error.kind(),
            AssistantError::EmptyMessage
            | AssistantError::EmptyField { .. }
            | AssistantError::NoLimit { .. } => ErrorKind::BadInput,
            AssistantError::NoWriter => ErrorKind::ModelMissing,
            AssistantError::Policies { .. } => ErrorKind::InvalidSetting,
        }
    }

    pub fn is_cancelled(&self) -> bool {
        matches!(self, AssistantError::Ml(MlError::Stopped))
    }
}
