//! Model files brought onto this computer as jobs: copied from a folder or archive, or
//! downloaded from the Hugging Face Hub, with byte progress; a cancelled or interrupted
//! download resumes from the bytes already on disk.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::MlError;
use super::catalog::Catalog;
use super::download::Downloader;
use super::store::{ModelStore, VerifiedFile};
use crate::jobs::{JobContext, Unit};

/// A model's files, there and verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelFetched {
    pub id: String,
    pub files: usize,
    pub bytes: u64,
}

impl ModelFetched {
    fn of(id: &str, files: &[VerifiedFile]) -> ModelFetched {
        ModelFetched {
            id: id.to_string(),
            files: files.len(),
            bytes: files.iter().map(|file| file.size).sum(),
        }
    }
}

/// Copies model `id` from `folder` (or an archive), verifying every file first.
pub fn import(
    models: &ModelStore,
    catalog: &Catalog,
    id: &str,
    folder: &Path,
    context: &mut JobContext,
) -> Result<ModelFetched, MlError> {
    let model = catalog.get(id)?;
    context.begin_stage("model", Unit::Bytes, None, 0);
    let files = models.import(model, folder, &mut |done, total| {
        context.report(done, Some(total))
    })?;
    Ok(ModelFetched::of(id, &files))
}

/// Downloads what is missing of model `id` from `endpoint` (the Hub when `None`).
pub fn download(
    models: &ModelStore,
    catalog: &Catalog,
    id: &str,
    endpoint: Option<&str>,
    context: &mut JobContext,
) -> Result<ModelFetched, MlError> {
    let model = catalog.get(id)?;
    let downloader = Downloader::new(endpoint)?;
    context.begin_stage("download", Unit::Bytes, Some(model.known_size()), 0);
    let mut progress = |done, total| context.report(done, Some(total));
    let files = tokio::runtime::Handle::current().block_on(models.download(
        model,
        &downloader,
        &mut progress,
    ))?;
    Ok(ModelFetched::of(id, &files))
}
