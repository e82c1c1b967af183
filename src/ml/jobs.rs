//! Model files brought onto this computer as jobs: copied from a folder or archive, or
//! downloaded from the Hugging Face Hub, with byte progress; a cancelled or interrupted
//! download resumes from the bytes already on disk.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::MlError;
use super::archive::ArchiveKind;
use super::catalog::{Catalog, ModelEntry};
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
    let downloader = Downloader::new(endpoint)?;
    download_one(models, catalog.get(id)?, &downloader, "download", context)
}

/// Downloads what is missing of `model` as the job's stage `stage`.
fn download_one(
    models: &ModelStore,
    model: &ModelEntry,
    downloader: &Downloader,
    stage: &str,
    context: &mut JobContext,
) -> Result<ModelFetched, MlError> {
    context.begin_stage(stage, Unit::Bytes, Some(model.known_size()), 0);
    let mut progress = |done, total| context.report(done, Some(total));
    let files = tokio::runtime::Handle::current().block_on(models.download(
        model,
        downloader,
        &mut progress,
    ))?;
    Ok(ModelFetched::of(&model.id, &files))
}

/// The models of a first run's plan brought here in one job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelsFetched {
    pub models: Vec<ModelFetched>,
    /// Models asked for that the folder does not hold (an import's).
    #[serde(default)]
    pub missing: Vec<String>,
}

/// Downloads what is missing of each of `ids` in turn (a model whose files are here and
/// whole is only checked), each its own stage; resuming the job resumes the download
/// where it stopped.
pub fn download_all(
    models: &ModelStore,
    catalog: &Catalog,
    ids: &[String],
    endpoint: Option<&str>,
    context: &mut JobContext,
) -> Result<ModelsFetched, MlError> {
    let downloader = Downloader::new(endpoint)?;
    let mut fetched = Vec::new();
    for id in ids {
        let model = catalog.get(id)?;
        let stage = format!("download:{}", model.name);
        fetched.push(download_one(models, model, &downloader, &stage, context)?);
    }
    Ok(ModelsFetched {
        models: fetched,
        missing: Vec::new(),
    })
}

/// Copies each of `ids` from its own folder under `folder` (named after the model, after
/// its Hub repository, or as the Hugging Face cache names it; the folder itself when one
/// model is asked for), verifying every file. The models the folder does not hold are
/// listed; none at all is an error.
pub fn import_all(
    models: &ModelStore,
    catalog: &Catalog,
    ids: &[String],
    folder: &Path,
    context: &mut JobContext,
) -> Result<ModelsFetched, MlError> {
    if ids.len() > 1 && ArchiveKind::of(folder).is_some() {
        return Err(MlError::SeveralFromArchive {
            archive: folder.to_path_buf(),
        });
    }
    let mut fetched = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        let model = catalog.get(id)?;
        let source = match model_folder(folder, model) {
            Some(source) => source,
            None if ids.len() == 1 => folder.to_path_buf(),
            None => {
                missing.push(id.clone());
                continue;
            }
        };
        context.begin_stage(&format!("model:{}", model.name), Unit::Bytes, None, 0);
        let files = models.import(model, &source, &mut |done, total| {
            context.report(done, Some(total))
        })?;
        fetched.push(ModelFetched::of(id, &files));
    }
    if fetched.is_empty() && !ids.is_empty() {
        return Err(MlError::NoneInFolder {
            folder: folder.to_path_buf(),
            expected: ids.join(", "),
        });
    }
    Ok(ModelsFetched {
        models: fetched,
        missing,
    })
}

/// Where `model`'s files are under `folder`, when they have a folder of their own: named
/// after its id or its Hub repository ("opus-mt-en-de"), or the Hugging Face cache's
/// `models--Org--Name/snapshots/<revision>`.
fn model_folder(folder: &Path, model: &ModelEntry) -> Option<PathBuf> {
    let repo_name = model.repo.rsplit('/').next().unwrap_or(&model.repo);
    let named = [model.id.as_str(), repo_name]
        .into_iter()
        .map(|name| folder.join(name))
        .find(|candidate| candidate.is_dir());
    named.or_else(|| {
        let snapshots = folder
            .join(format!("models--{}", model.repo.replace('/', "--")))
            .join("snapshots");
        let mut revisions: Vec<PathBuf> = std::fs::read_dir(snapshots)
            .ok()?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_dir())
            .collect();
        revisions.sort();
        revisions.pop()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_models_folder_is_found_by_its_id_its_repository_or_the_hub_cache() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::builtin().unwrap();
        let model = |id: &str| catalog.get(id).unwrap();
        std::fs::create_dir_all(dir.path().join("opus-mt-en-de")).unwrap();
        std::fs::create_dir_all(dir.path().join("all-MiniLM-L6-v2")).unwrap();
        let cache = dir
            .path()
            .join("models--openai--clip-vit-base-patch32/snapshots/3d74acf9");
        std::fs::create_dir_all(&cache).unwrap();
        assert_eq!(
            model_folder(dir.path(), model("opus-mt-en-de")),
            Some(dir.path().join("opus-mt-en-de"))
        );
        assert_eq!(
            model_folder(dir.path(), model("all-minilm-l6-v2")),
            Some(dir.path().join("all-MiniLM-L6-v2"))
        );
        assert_eq!(
            model_folder(dir.path(), model("clip-vit-base-patch32")),
            Some(cache)
        );
        assert_eq!(model_folder(dir.path(), model("opus-mt-fr-en")), None);
    }
}
