//! The stable names of what can go wrong, one per case a seller or a script handles
//! differently. Every module's error says which it is (`kind()`); the desktop app shows
//! a message per kind in the seller's language, with the error's own sentence beside it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Another program holds the database.
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseDamaged,
    /// Written by a newer Tradewind.
    DatabaseTooNew,
    Database,
    /// The seller stopped the work; it resumes from where it stopped.
    Cancelled,
    /// A job, listing translation, model id or field that is not there.
    NotFound,
    /// A job that cannot start now (done already, or running elsewhere).
    JobState,
    Job,
    FileMissing,
    CannotWrite,
    /// The disk (of the data folder, or where a file was to go) has no room left.
    DiskFull,
    /// A file or value Tradewind cannot read as what it should be.
    BadInput,
    /// A product file of the seller's own layout, imported without saying which column
    /// is which.
    NeedsMapping,
    /// The file changed since its import started.
    FileChanged,
    InvalidSetting,
    ModelMissing,
    ModelDamaged,
    /// No model in the catalog translates between the two languages.
    NoRoute,
    NeedsPhoto,
    NeedsLanguage,
    /// No installed font draws what a PDF report needs (Chinese characters, say).
    MissingFont,
    Download,
    Model,
    /// A defect of Tradewind's own, not of the seller's input.
    Internal,
}

impl ErrorKind {
    /// The kind's name as scripts and the interface see it: its serialised form.
    pub fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            _ => String::new(),
        }
    }

    pub fn from_name(name: &str) -> Option<ErrorKind> {
        serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_goes_by_its_snake_case_name_and_back() {
        assert_eq!(ErrorKind::DatabaseLocked.name(), "database_locked");
        assert_eq!(
            ErrorKind::from_name("needs_mapping"),
            Some(ErrorKind::NeedsMapping)
        );
        assert_eq!(ErrorKind::from_name("no such kind"), None);
    }
}
