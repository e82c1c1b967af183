use std::path::PathBuf;

use crate::input::InputError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum MlError {
    #[error("{path}: the model catalog is not valid: {detail}")]
    Catalog { path: PathBuf, detail: String },
    #[error("no model '{0}' in the catalog; `tradewind models list` shows the ids")]
    UnknownModel(String),
    #[error(
        "model '{id}' is not on this computer: import it with `tradewind models import {id} FOLDER`"
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
    #[error("no model in the catalog translates {from} into {to}, even through English")]
    NoRoute { from: String, to: String },
    #[error("stopped before the end")]
    Stopped,
    #[error("'{0}' is not a compute device; choose cpu, metal or cuda")]
    UnknownDevice(String),
    #[error(transparent)]
    Input(#[from] InputError),
    #[error(transparent)]
    Store(#[from] StoreError),
}
