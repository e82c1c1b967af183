//! Long work as jobs: the kinds of job (`JobSpec`, saved with the job so a later
//! process can resume it; its serde tags are stored and must not change), what each
//! kind reports when it is done (`JobOutcome`, data the interface renders in the
//! seller's language), and the dispatch from a spec to the module that does the work.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use serde::{Deserialize, Serialize};

use super::Engine;
use crate::analytics::order_mapping::OrderMapping;
use crate::analytics::{self, Channel, ImportedOrders};
use crate::demo::{self, DemoLoaded};
use crate::error_kind::ErrorKind;
use crate::files::source_name;
use crate::jobs::{
    self, JobContext, JobError, JobId, JobRecord, JobState, PreparedJob, Progress, Work,
};
use crate::listings::catalogue::own_layout::Mapping;
use crate::listings::translate::memory::TranslationMemory;
use crate::listings::translate::{self, LocaleEngine, TranslatedListings};
use crate::listings::{self, ImportedListings};
use crate::ml::MlError;
use crate::ml::jobs::{ModelFetched, ModelsFetched};
use crate::ml::route::EngineChoice;
use crate::photos::captions::CaptionedPhotos;
use crate::photos::tag_job::TaggedPhotos;
use crate::photos::{self, ImportedPhotos, SkippedPhoto};
use crate::{Error, ml};

/// Long work the engine can run as a job. Saved with the job, so a job can be resumed
/// by a later process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobSpec {
    LoadDemo,
    /// A Shopify product CSV, or with `mapping` a CSV, XLSX or JSON file of the
    /// seller's own layout.
    ImportListings {
        path: PathBuf,
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        mapping: Option<Mapping>,
    },
    ImportOrders {
        path: PathBuf,
        /// The channel the file must be an export of; found from its header when None.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        channel: Option<Channel>,
        /// Which column is which, for a file of the seller's own layout.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "ts", ts(optional))]
        mapping: Option<OrderMapping>,
    },
    ImportPhotos {
        folder: PathBuf,
    },
    /// Photos chosen one by one (each kept under its own folder).
    ImportPhotoFiles {
        files: Vec<PathBuf>,
    },
    /// Tags the photos of `photos` (every photo when empty) with the zero-shot model
    /// `model` (the first present one when `None`).
    TagPhotos {
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(as = "Option<Vec<i64>>", optional))]
        photos: Vec<i64>,
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        model: Option<String>,
    },
    /// Alt text for the photos of `photos` (all when empty): a caption by `model` (the
    /// first present captioner when `None`), translated into each of `locales`.
    CaptionPhotos {
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(as = "Option<Vec<i64>>", optional))]
        photos: Vec<i64>,
        locales: Vec<String>,
        #[serde(default)]
        #[cfg_attr(feature = "ts", ts(optional))]
        model: Option<String>,
    },
    ImportModel {
        id: String,
        folder: PathBuf,
    },
    DownloadModel {
        id: String,
    },
    /// The models of a first run's plan, downloaded one after another.
    DownloadModels {
        ids: Vec<String>,
    },
    /// The models of a first run's plan, copied from their folders under `folder`.
    ImportModels {
        ids: Vec<String>,
        folder: PathBuf,
    },
    /// Every imported listing from `source` into each of `locales`, with the family
    /// of models `prefer`, or the one `engines` names for a locale.
    TranslateListings {
        source: String,
        locales: Vec<String>,
        prefer: EngineChoice,
        #[serde(default)]
        #[cfg_attr(
            feature = "ts",
            ts(as = "Option<BTreeMap<String, EngineChoice>>", optional)
        )]
        engines: BTreeMap<String, EngineChoice>,
    },
}

/// Which kind of work a job is: the tag of its `JobSpec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    LoadDemo,
    ImportListings,
    ImportOrders,
    ImportPhotos,
    ImportPhotoFiles,
    TagPhotos,
    CaptionPhotos,
    ImportModel,
    DownloadModel,
    DownloadModels,
    ImportModels,
    TranslateListings,
}

impl JobSpec {
    pub fn kind(&self) -> JobKind {
        match self {
            JobSpec::LoadDemo => JobKind::LoadDemo,
            JobSpec::ImportListings { .. } => JobKind::ImportListings,
            JobSpec::ImportOrders { .. } => JobKind::ImportOrders,
            JobSpec::ImportPhotos { .. } => JobKind::ImportPhotos,
            JobSpec::ImportPhotoFiles { .. } => JobKind::ImportPhotoFiles,
            JobSpec::TagPhotos { .. } => JobKind::TagPhotos,
            JobSpec::CaptionPhotos { .. } => JobKind::CaptionPhotos,
            JobSpec::ImportModel { .. } => JobKind::ImportModel,
            JobSpec::DownloadModel { .. } => JobKind::DownloadModel,
            JobSpec::DownloadModels { .. } => JobKind::DownloadModels,
            JobSpec::ImportModels { .. } => JobKind::ImportModels,
            JobSpec::TranslateListings { .. } => JobKind::TranslateListings,
        }
    }
}

impl JobKind {
    /// The name the job's row keeps: the spec's serde tag.
    pub fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            _ => String::new(),
        }
    }
}

/// What a job did, by kind: the interface words it in the seller's language; the
/// English sentence (`Display`) is what the command line prints and the job keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobOutcome {
    LoadDemo {
        loaded: DemoLoaded,
    },
    ImportListings {
        file: PathBuf,
        imported: ImportedListings,
    },
    ImportOrders {
        file: PathBuf,
        imported: ImportedOrders,
    },
    ImportPhotos {
        folder: PathBuf,
        imported: ImportedPhotos,
    },
    ImportPhotoFiles {
        imported: ImportedPhotos,
    },
    TagPhotos {
        model: String,
        tagged: TaggedPhotos,
    },
    CaptionPhotos {
        model: String,
        locales: Vec<String>,
        captioned: CaptionedPhotos,
    },
    ImportModel {
        model: ModelFetched,
    },
    DownloadModel {
        model: ModelFetched,
    },
    DownloadModels {
        fetched: ModelsFetched,
    },
    ImportModels {
        folder: PathBuf,
        fetched: ModelsFetched,
    },
    TranslateListings {
        locales: Vec<String>,
        done: TranslatedListings,
    },
}

/// "2 models (opus-mt-en-de, clip-vit-base-patch32: 5 files, 900000 bytes)".
fn fetched_list(fetched: &ModelsFetched) -> String {
    let ids: Vec<&str> = fetched
        .models
        .iter()
        .map(|model| model.id.as_str())
        .collect();
    let files: usize = fetched.models.iter().map(|model| model.files).sum();
    let bytes: u64 = fetched.models.iter().map(|model| model.bytes).sum();
    format!(
        "{} models ({}: {files} files, {bytes} bytes)",
        ids.len(),
        ids.join(", ")
    )
}

impl fmt::Display for JobOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobOutcome::LoadDemo { loaded } => write!(f, "Loaded the demo shop: {loaded}"),
            JobOutcome::ImportListings { file, imported } => write!(
                f,
                "Imported {} listings ({} variants, {} images) from {}",
                imported.listings,
                imported.variants,
                imported.images,
                file.display()
            ),
            JobOutcome::ImportOrders { file, imported } => {
                write!(
                    f,
                    "Imported {} orders ({} line items) from {} ({})",
                    imported.orders,
                    imported.lines,
                    file.display(),
                    imported.layout.name()
                )?;
                if imported.skipped_rows > 0 {
                    write!(
                        f,
                        "; {} rows that belong to no order left out",
                        imported.skipped_rows
                    )?;
                }
                Ok(())
            }
            JobOutcome::ImportPhotos { folder, imported } => {
                write!(
                    f,
                    "Imported {} photos from {}",
                    imported.photos,
                    folder.display()
                )?;
                photos_left(f, imported)
            }
            JobOutcome::ImportPhotoFiles { imported } => {
                write!(f, "Imported {} photos", imported.photos)?;
                photos_left(f, imported)
            }
            JobOutcome::TagPhotos { model, tagged } => {
                write!(
                    f,
                    "Tagged {} photos with {model}: {} tags proposed (learning from {} of your corrections)",
                    tagged.photos, tagged.proposed, tagged.learned_from
                )?;
                skipped(f, &tagged.skipped)
            }
            JobOutcome::CaptionPhotos {
                model,
                locales,
                captioned,
            } => {
                write!(
                    f,
                    "Wrote alt text for {} photos with {model}, {} translations into {}; {} of your edits kept",
                    captioned.captioned,
                    captioned.translated,
                    locales.join(", "),
                    captioned.kept
                )?;
                skipped(f, &captioned.skipped)
            }
            JobOutcome::ImportModel { model } => write!(
                f,
                "Imported model {}: {} files, {} bytes, each verified",
                model.id, model.files, model.bytes
            ),
            JobOutcome::DownloadModel { model } => write!(
                f,
                "Downloaded model {}: {} files, {} bytes, each verified",
                model.id, model.files, model.bytes
            ),
            JobOutcome::DownloadModels { fetched } => {
                write!(
                    f,
                    "Downloaded {}, each file verified",
                    fetched_list(fetched)
                )
            }
            JobOutcome::ImportModels { folder, fetched } => {
                write!(
                    f,
                    "Imported {} from {}, each file verified",
                    fetched_list(fetched),
                    folder.display()
                )?;
                if !fetched.missing.is_empty() {
                    write!(f, "; not in that folder: {}", fetched.missing.join(", "))?;
                }
                Ok(())
            }
            JobOutcome::TranslateListings { locales, done } => write!(
                f,
                "Translated {} fields into {} ({} sentences from the translation memory, {} by the models; {} fields unchanged; {} to review)",
                done.fields,
                locales.join(", "),
                done.from_memory,
                done.from_model,
                done.unchanged,
                done.flagged
            ),
        }
    }
}

/// A job as the CLI and the interface see it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Job {
    pub id: JobId,
    pub kind: JobKind,
    pub state: JobState,
    pub progress: Progress,
    /// What a succeeded job did.
    pub outcome: Option<JobOutcome>,
    /// Why a failed job stopped, as a kind the interface has words for…
    pub error_kind: Option<ErrorKind>,
    /// …and the job's own English sentence: its outcome or its error.
    pub message: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub finished_at: Option<String>,
}

impl Job {
    /// The record as a job of a kind this build knows; `None` for another kind.
    fn from_record(record: JobRecord) -> Option<Job> {
        let kind = serde_json::from_value(serde_json::Value::String(record.kind.clone())).ok();
        let Some(kind) = kind else {
            tracing::warn!(
                "job {} is of a kind this build does not know: {}",
                record.id,
                record.kind
            );
            return None;
        };
        Some(Job {
            id: record.id,
            kind,
            state: record.state,
            progress: record.progress,
            outcome: record
                .outcome
                .and_then(|value| serde_json::from_value(value).ok()),
            error_kind: record.error_kind,
            message: record.message,
            created_at: record.created_at,
            updated_at: record.updated_at,
            finished_at: record.finished_at,
        })
    }
}

/// What a running job reports: progress, then once how it finished.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum JobEvent {
    Progress {
        job_id: JobId,
        progress: Progress,
    },
    Finished {
        job_id: JobId,
        state: JobState,
        outcome: Option<JobOutcome>,
        error_kind: Option<ErrorKind>,
        /// The English sentence of the outcome or of the error.
        message: Option<String>,
    },
}

impl From<jobs::JobEvent> for JobEvent {
    fn from(event: jobs::JobEvent) -> JobEvent {
        match event {
            jobs::JobEvent::Progress { job_id, progress } => {
                JobEvent::Progress { job_id, progress }
            }
            jobs::JobEvent::Finished {
                job_id,
                state,
                message,
                outcome,
                error_kind,
            } => JobEvent::Finished {
                job_id,
                state,
                outcome: outcome.and_then(|value| serde_json::from_value(value).ok()),
                error_kind,
                message,
            },
        }
    }
}

pub type JobObserver = Arc<dyn Fn(JobEvent) + Send + Sync>;

/// A job that holds its lock and is cleared to run (see [`Engine::prepare_job`]).
pub type PreparedWork = PreparedJob<JobOutcome, Error>;

impl Engine {
    /// Records a new job; run it with [`Engine::run_job`].
    pub fn create_job(&self, spec: &JobSpec) -> Result<JobId, Error> {
        let spec_json = serde_json::to_string(spec).map_err(|error| JobError::BadRecord {
            id: 0,
            detail: error.to_string(),
        })?;
        Ok(self.jobs.create(&spec.kind().name(), &spec_json)?)
    }

    /// Runs or resumes job `id` on tokio's blocking pool, reporting to `observer`.
    pub async fn run_job(&self, id: JobId, observer: JobObserver) -> Result<Job, Error> {
        let prepared = self.prepare_job(id)?;
        Engine::run_prepared(prepared, observer).await
    }

    /// Takes the job's lock and checks it may run: refusals come back here, before
    /// any work or event.
    pub fn prepare_job(&self, id: JobId) -> Result<PreparedWork, Error> {
        let job = self.jobs.get(id)?;
        let spec: JobSpec =
            serde_json::from_str(&job.spec).map_err(|error| JobError::BadRecord {
                id,
                detail: format!("unknown job ({error})"),
            })?;
        Ok(self.jobs.prepare(id, self.work(spec))?)
    }

    /// Runs a prepared job on tokio's blocking pool; it ends with a `Finished` event.
    pub async fn run_prepared(prepared: PreparedWork, observer: JobObserver) -> Result<Job, Error> {
        let forward: jobs::JobObserver = Arc::new(move |event| observer(JobEvent::from(event)));
        let record = tokio::task::spawn_blocking(move || prepared.run(forward))
            .await
            .map_err(|error| JobError::Panicked(error.to_string()))??;
        let id = record.id;
        Job::from_record(record).ok_or_else(|| {
            Error::Job(JobError::BadRecord {
                id,
                detail: "unknown job".into(),
            })
        })
    }

    pub fn cancel_job(&self, id: JobId) -> bool {
        self.jobs.cancel(id)
    }

    /// Every job this build knows the kind of, newest first.
    pub fn jobs(&self) -> Result<Vec<Job>, Error> {
        Ok(self
            .jobs
            .list()?
            .into_iter()
            .filter_map(Job::from_record)
            .collect())
    }

    fn work(&self, spec: JobSpec) -> Work<JobOutcome, Error> {
        let engine = self.clone();
        Box::new(move |context| engine.dispatch(spec, context))
    }

    /// Runs the work `spec` asks for; the catalog is read when the job runs, so a job
    /// resumed later sees the catalog then in force.
    fn dispatch(&self, spec: JobSpec, context: &mut JobContext) -> Result<JobOutcome, Error> {
        Ok(match spec {
            JobSpec::LoadDemo => {
                let loaded = demo::load(&self.data_dir.join("demo"), context)?;
                self.read_review_sentiment()?;
                JobOutcome::LoadDemo { loaded }
            }
            JobSpec::ImportListings { path, mapping } => JobOutcome::ImportListings {
                imported: listings::import_listings(
                    &path,
                    &source_name(&path),
                    mapping.as_ref(),
                    context,
                )?,
                file: path,
            },
            JobSpec::ImportOrders {
                path,
                channel,
                mapping,
            } => JobOutcome::ImportOrders {
                imported: analytics::import_orders(
                    analytics::OrdersRequest {
                        path: &path,
                        source: &source_name(&path),
                        channel,
                        mapping: mapping.as_ref(),
                    },
                    &self.data_dir.join("imports"),
                    analytics::ORDERS_STAGE,
                    context,
                )?,
                file: path,
            },
            JobSpec::ImportPhotos { folder } => JobOutcome::ImportPhotos {
                imported: photos::import_folder(&folder, &source_name(&folder), context)?,
                folder,
            },
            JobSpec::ImportPhotoFiles { files } => JobOutcome::ImportPhotoFiles {
                imported: self.import_photo_files(&files, context)?,
            },
            JobSpec::TagPhotos { photos, model } => {
                let (model, tagged) = self.tag_photos(&photos, model.as_deref(), context)?;
                JobOutcome::TagPhotos { model, tagged }
            }
            JobSpec::CaptionPhotos {
                photos,
                locales,
                model,
            } => {
                let (model, captioned) =
                    self.caption_photos(&photos, &locales, model.as_deref(), context)?;
                JobOutcome::CaptionPhotos {
                    model,
                    locales,
                    captioned,
                }
            }
            JobSpec::ImportModel { id, folder } => JobOutcome::ImportModel {
                model: ml::jobs::import(
                    &self.model_store(),
                    &self.catalog()?,
                    &id,
                    &folder,
                    context,
                )
                .map_err(stopped_is_cancelled)?,
            },
            JobSpec::DownloadModel { id } => {
                let endpoint = std::env::var("TRADEWIND_HF_ENDPOINT").ok();
                JobOutcome::DownloadModel {
                    model: ml::jobs::download(
                        &self.model_store(),
                        &self.catalog()?,
                        &id,
                        endpoint.as_deref(),
                        context,
                    )
                    .map_err(stopped_is_cancelled)?,
                }
            }
            JobSpec::DownloadModels { ids } => {
                let endpoint = std::env::var("TRADEWIND_HF_ENDPOINT").ok();
                JobOutcome::DownloadModels {
                    fetched: ml::jobs::download_all(
                        &self.model_store(),
                        &self.catalog()?,
                        &ids,
                        endpoint.as_deref(),
                        context,
                    )
                    .map_err(stopped_is_cancelled)?,
                }
            }
            JobSpec::ImportModels { ids, folder } => JobOutcome::ImportModels {
                fetched: ml::jobs::import_all(
                    &self.model_store(),
                    &self.catalog()?,
                    &ids,
                    &folder,
                    context,
                )
                .map_err(stopped_is_cancelled)?,
                folder,
            },
            JobSpec::TranslateListings {
                source,
                locales,
                prefer,
                engines,
            } => JobOutcome::TranslateListings {
                done: self.translate_listings(&source, &locales, prefer, &engines, context)?,
                locales,
            },
        })
    }

    /// Translates every listing into every locale along the routes the catalog offers.
    fn translate_listings(
        &self,
        source: &str,
        locales: &[String],
        prefer: EngineChoice,
        engines: &BTreeMap<String, EngineChoice>,
        context: &mut JobContext,
    ) -> Result<TranslatedListings, Error> {
        let mut targets = Vec::new();
        for locale in locales {
            let prefer = engines.get(locale).copied().unwrap_or(prefer);
            let tokens = Arc::new(AtomicU64::new(0));
            let (label, model) = self.route_model(source, locale, prefer, Some(tokens.clone()))?;
            targets.push(LocaleEngine {
                locale: locale.clone(),
                prefer,
                label,
                model,
                tokens,
            });
        }
        let memory = TranslationMemory::new(self.store.clone());
        let request = translate::Request {
            source_lang: source,
            targets: &mut targets,
        };
        Ok(translate::translate_listings(request, &memory, context)?)
    }
}

/// The end of a photo import's sentence: what was unchanged and what was passed over.
fn photos_left(f: &mut fmt::Formatter<'_>, imported: &ImportedPhotos) -> fmt::Result {
    if imported.unchanged > 0 {
        write!(f, "; {} unchanged", imported.unchanged)?;
    }
    skipped(f, &imported.skipped)
}

fn skipped(f: &mut fmt::Formatter<'_>, skipped: &[SkippedPhoto]) -> fmt::Result {
    for photo in skipped {
        write!(f, "; skipped {}", photo.reason)?;
    }
    Ok(())
}

/// A model job the seller stopped is cancelled, not failed, and says so as every job does.
fn stopped_is_cancelled(error: MlError) -> Error {
    match error {
        MlError::Stopped => Error::Job(JobError::Cancelled),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_kind_is_the_tag_of_its_spec() {
        let specs = [
            JobSpec::LoadDemo,
            JobSpec::ImportListings {
                path: "p.csv".into(),
                mapping: None,
            },
            JobSpec::ImportOrders {
                path: "o.csv".into(),
                channel: None,
                mapping: None,
            },
            JobSpec::ImportPhotos {
                folder: "photos".into(),
            },
            JobSpec::ImportPhotoFiles {
                files: vec!["a.jpg".into()],
            },
            JobSpec::TagPhotos {
                photos: Vec::new(),
                model: None,
            },
            JobSpec::CaptionPhotos {
                photos: vec![1],
                locales: vec!["de".into()],
                model: None,
            },
            JobSpec::ImportModel {
                id: "m".into(),
                folder: "f".into(),
            },
            JobSpec::DownloadModel { id: "m".into() },
            JobSpec::DownloadModels {
                ids: vec!["m".into()],
            },
            JobSpec::ImportModels {
                ids: vec!["m".into()],
                folder: "f".into(),
            },
            JobSpec::TranslateListings {
                source: "en".into(),
                locales: vec!["de".into()],
                prefer: EngineChoice::Marian,
                engines: BTreeMap::new(),
            },
        ];
        for spec in specs {
            let tag = serde_json::to_value(&spec).unwrap()["kind"].clone();
            assert_eq!(tag, serde_json::json!(spec.kind().name()), "{spec:?}");
        }
    }

    #[test]
    fn specs_saved_by_earlier_builds_still_read() {
        let spec: JobSpec = serde_json::from_str(
            r#"{"kind":"translate_listings","source":"en","locales":["de"],"prefer":"marian"}"#,
        )
        .unwrap();
        assert_eq!(spec.kind(), JobKind::TranslateListings);
        let spec: JobSpec =
            serde_json::from_str(r#"{"kind":"import_listings","path":"/shop/products.csv"}"#)
                .unwrap();
        assert_eq!(spec.kind(), JobKind::ImportListings);
    }
}
