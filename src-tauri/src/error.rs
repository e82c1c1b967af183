use serde::Serialize;
use tradewind::ErrorKind;

/// The one error shape the UI receives: a stable `kind` to branch on and a sentence
/// to show.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error, ts_rs::TS)]
#[error("{message}")]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
}

impl From<tradewind::Error> for CommandError {
    fn from(error: tradewind::Error) -> Self {
        CommandError {
            kind: error.kind(),
            message: error.to_string(),
        }
    }
}
