use std::path::PathBuf;

use crate::error_kind::ErrorKind;
use crate::files::FileError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum MlError {
    #[error("{path}: the model catalog is not valid: {detail}")]
    Catalog { path: PathBuf, detail: String },
    #[error("no model '{0}' in the catalog")]
    UnknownModel(String),
    #[error(
        "model '{id}' is not on this computer: download it, or import it from a folder or archive"
    )]
    NotPresent { id: String },
    #[error(
        "{path}: {detail}; the file is damaged or is not the one the catalog names (delete the model and get it again)"
    )]
    Damaged { path: PathBuf, detail: String },
    #[error("{folder} has no file named '{file}', which model '{id}' needs")]
    MissingFile {
        id: String,
        folder: PathBuf,
        file: String,
    },
    #[error(
        "{folder} holds none of the models asked for: put each in a folder named after it ({expected})"
    )]
    NoneInFolder { folder: PathBuf, expected: String },
    #[error(
        "{archive} is an archive: unpack it into a folder to import several models at once, or import them one at a time"
    )]
    SeveralFromArchive { archive: PathBuf },
    #[error("cannot load model '{id}' from {path}: {detail}")]
    Load {
        id: String,
        path: PathBuf,
        detail: String,
    },
    #[error("model '{id}' failed while running: {detail}")]
    Run { id: String, detail: String },
    #[error("downloading {url} failed: {detail}")]
    Download { url: String, detail: String },
    #[error(
        "{host} cannot be reached from this computer (is it offline?): connect it and resume the download, or import the model from a folder or archive copied here"
    )]
    Unreachable { host: String },
    #[error("no model in the catalog translates {from} into {to}, even through English")]
    NoRoute { from: String, to: String },
    #[error("stopped before the end")]
    Stopped,
    #[error("'{0}' is not a compute device; choose cpu, metal or cuda")]
    UnknownDevice(String),
    #[error("this model needs a photo")]
    NeedsPhoto,
    #[error("this model translates into many languages: say which one")]
    NeedsTargetLanguage,
    #[error(transparent)]
    Input(#[from] FileError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl MlError {
    /// A stable name for what went wrong, for scripts and the interface.
    pub fn kind(&self) -> ErrorKind {
        match self {
            MlError::Store(error) => error.kind(),
            MlError::Input(error) => error.kind(),
            MlError::UnknownModel(_) => ErrorKind::NotFound,
            MlError::UnknownDevice(_) => ErrorKind::InvalidSetting,
            MlError::NotPresent { .. } => ErrorKind::ModelMissing,
            MlError::Damaged { .. } | MlError::MissingFile { .. } => ErrorKind::ModelDamaged,
            MlError::NoneInFolder { .. } => ErrorKind::ModelMissing,
            MlError::SeveralFromArchive { .. } => ErrorKind::BadInput,
            MlError::NoRoute { .. } => ErrorKind::NoRoute,
            MlError::NeedsPhoto => ErrorKind::NeedsPhoto,
            MlError::NeedsTargetLanguage => ErrorKind::NeedsLanguage,
            MlError::Stopped => ErrorKind::Cancelled,
            MlError::Download { .. } | MlError::Unreachable { .. } => ErrorKind::Download,
            MlError::Catalog { .. } | MlError::Load { .. } | MlError::Run { .. } => {
                ErrorKind::Model
            }
        }
    }
}
