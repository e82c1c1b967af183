use serde::Serialize;

/// The one error shape the UI receives: a stable `kind` to branch on and a sentence
/// to show.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    pub kind: &'static str,
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
