//! Photos: importing files, tagging and captioning them with the catalog's models, the
//! seller's corrections and alt text, their checks, and writing them out.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Engine;
use crate::Error;
use crate::files::source_name;
use crate::jobs::JobContext;
use crate::ml::MlError;
use crate::ml::catalog::Task;
use crate::ml::model::LoadedModel;
use crate::ml::route::{self, EngineChoice};
use crate::ml::store::Presence;
use crate::photos::captions::{self, BlipDescriber, CaptionTranslator, CaptionedPhotos};
use crate::photos::export::{self, ShopifyFilled, SidecarNaming, SidecarsWritten};
use crate::photos::tag_job::{self, TagAction, TaggedPhotos};
use crate::photos::tagging::ClipEmbedder;
use crate::photos::vocabulary::{self, Group};
use crate::photos::{self, ImportedPhotos, PhotoDetail, PhotoSummary, PhotosError};
use crate::store::settings;

const SIDECAR_SETTING: &str = "xmp_sidecar_naming";

/// What photos can be tagged with, for the interface's pickers.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhotoVocabulary {
    pub groups: Vec<Group>,
    pub custom_categories: Vec<String>,
    /// What the tagger has learned from: the seller's corrections since the last reset.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub corrections: u64,
}

/// A taxonomy category, as a picker offers it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CategoryChoice {
    pub id: String,
    pub path: String,
}

impl Engine {
    pub fn photos(&self) -> Result<Vec<PhotoSummary>, Error> {
        Ok(photos::list(&self.store)?)
    }

    pub fn photo(&self, id: i64) -> Result<PhotoDetail, Error> {
        Ok(photos::detail(&self.store, id)?)
    }

    pub fn photo_vocabulary(&self) -> Result<PhotoVocabulary, Error> {
        let words = vocabulary::vocabulary(&self.store)?;
        Ok(PhotoVocabulary {
            groups: words.groups,
            custom_categories: words.custom_categories,
            corrections: tag_job::corrections(&self.store)?,
        })
    }

    /// Taxonomy categories whose path has every word of `query`, at most `limit`.
    pub fn photo_categories(
        &self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<CategoryChoice>, Error> {
        let taxonomy = vocabulary::taxonomy()?;
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let custom = vocabulary::vocabulary(&self.store)?.custom_categories;
        Ok(custom
            .into_iter()
            .map(|name| CategoryChoice {
                id: name.clone(),
                path: name,
            })
            .chain(taxonomy.categories.iter().map(|category| CategoryChoice {
                id: category.id.to_string(),
                path: category.path.clone(),
            }))
            .filter(|choice| {
                let path = choice.path.to_lowercase();
                words.iter().all(|word| path.contains(word))
            })
            .take(limit)
            .collect())
    }

    /// The seller's word on a tag, for every photo of `photos`; returns how many changed.
    pub fn correct_photo_tags(
        &self,
        photos: &[i64],
        group: &str,
        label: &str,
        action: TagAction,
    ) -> Result<u64, Error> {
        Ok(tag_job::correct(&self.store, photos, group, label, action)?)
    }

    /// A label of the seller's own in `group` (or a category of their own).
    pub fn add_photo_label(&self, group: &str, label: &str) -> Result<(), Error> {
        Ok(vocabulary::add_custom_label(&self.store, group, label)?)
    }

    /// Forgets what the tagger learned from the seller's corrections.
    pub fn reset_photo_learning(&self) -> Result<(), Error> {
        Ok(tag_job::reset_learning(&self.store)?)
    }

    pub fn edit_photo_alt_text(&self, photo: i64, locale: &str, text: &str) -> Result<(), Error> {
        Ok(captions::edit_caption(&self.store, photo, locale, text)?)
    }

    pub fn sidecar_naming(&self) -> Result<SidecarNaming, Error> {
        Ok(settings::get(&self.store, SIDECAR_SETTING)?
            .and_then(|text| serde_json::from_value(serde_json::Value::String(text)).ok())
            .unwrap_or_default())
    }

    pub fn set_sidecar_naming(&self, naming: SidecarNaming) -> Result<(), Error> {
        let name = match naming {
            SidecarNaming::ReplaceExtension => "replace_extension",
            SidecarNaming::AppendExtension => "append_extension",
        };
        Ok(settings::set(&self.store, SIDECAR_SETTING, name)?)
    }

    /// XMP sidecars for the photos of `selection` (all when empty), beside each photo
    /// or into `folder`, named as the setting says.
    pub fn write_photo_sidecars(
        &self,
        selection: &[i64],
        folder: Option<&Path>,
    ) -> Result<SidecarsWritten, Error> {
        Ok(export::write_sidecars(
            &self.store,
            selection,
            self.sidecar_naming()?,
            folder,
        )?)
    }

    /// Every photo as a CSV table; returns how many rows.
    pub fn export_photos_table(&self, out: &Path) -> Result<usize, Error> {
        Ok(export::write_table(&self.store, out)?)
    }

    /// A copy of the seller's Shopify product CSV with their photos' reviewed tags,
    /// categories and alt text (in `locale`) where the file has none.
    pub fn fill_shopify_from_photos(
        &self,
        original: &Path,
        out: &Path,
        locale: &str,
    ) -> Result<ShopifyFilled, Error> {
        Ok(export::fill_shopify_csv(
            &self.store,
            original,
            out,
            locale,
        )?)
    }

    /// The marketplaces whose photo rules Tradewind checks.
    pub fn photo_marketplaces(&self) -> Result<Vec<String>, Error> {
        Ok(photos::checks::marketplaces(&photos::checks::rules()?))
    }

    /// The catalog model for `task`: `chosen`, else the first that is on this computer,
    /// else the first of the catalog (whose load then says it is missing).
    fn model_for(&self, task: Task, chosen: Option<&str>) -> Result<String, Error> {
        if let Some(chosen) = chosen {
            return Ok(chosen.to_string());
        }
        let models = self.models()?;
        let of_task = models.iter().filter(|status| status.model.task == task);
        of_task
            .clone()
            .find(|status| matches!(status.presence, Presence::Present { .. }))
            .or_else(|| of_task.clone().next())
            .map(|status| status.model.id.clone())
            .ok_or_else(|| Error::Ml(MlError::UnknownModel(format!("{task:?}"))))
    }

    fn model_key(&self, id: &str) -> Result<String, Error> {
        Ok(format!("{id}@{}", self.catalog()?.get(id)?.revision))
    }

    pub(super) fn import_photo_files(
        &self,
        files: &[PathBuf],
        context: &mut JobContext,
    ) -> Result<ImportedPhotos, PhotosError> {
        // Each file under its own folder, as a folder import would keep it.
        let source = |path: &Path| source_name(path.parent().unwrap_or(Path::new(".")));
        let mut imported = ImportedPhotos::default();
        let mut by_folder: std::collections::BTreeMap<String, Vec<PathBuf>> = Default::default();
        for file in files {
            by_folder
                .entry(source(file))
                .or_default()
                .push(file.clone());
        }
        for (folder, files) in by_folder {
            let done = photos::import_files(&files, &folder, context)?;
            imported.photos += done.photos;
            imported.unchanged += done.unchanged;
            imported.skipped.extend(done.skipped);
        }
        Ok(imported)
    }

    pub(super) fn tag_photos(
        &self,
        selection: &[i64],
        chosen: Option<&str>,
        context: &mut JobContext,
    ) -> Result<(String, TaggedPhotos), Error> {
        let id = self.model_for(Task::ZeroShotImage, chosen)?;
        let (model, _) = self.load_model(&id, None, None)?;
        let LoadedModel::Tagger(tagger) = &*model else {
            return Err(wrong_kind(&id, "tags photos"));
        };
        let embedder = ClipEmbedder {
            tagger,
            key: self.model_key(&id)?,
        };
        let tagged = tag_job::tag_photos(&embedder, selection, context)?;
        Ok((id, tagged))
    }

    pub(super) fn caption_photos(
        &self,
        selection: &[i64],
        locales: &[String],
        chosen: Option<&str>,
        context: &mut JobContext,
    ) -> Result<(String, CaptionedPhotos), Error> {
        let id = self.model_for(Task::Caption, chosen)?;
        let (model, _) = self.load_model(&id, None, None)?;
        let LoadedModel::Captioner(captioner) = &*model else {
            return Err(wrong_kind(&id, "writes captions"));
        };
        let describer = BlipDescriber {
            captioner,
            key: self.model_key(&id)?,
        };
        let engines = route::default_engines(&self.catalog()?, captions::CAPTION_LANGUAGE, locales);
        let mut targets = Vec::new();
        for locale in locales
            .iter()
            .filter(|locale| locale.as_str() != captions::CAPTION_LANGUAGE)
        {
            let prefer = engines.get(locale).copied().unwrap_or(EngineChoice::Marian);
            let (label, model) =
                self.route_model(captions::CAPTION_LANGUAGE, locale, prefer, None)?;
            targets.push(CaptionTranslator {
                locale: locale.clone(),
                label,
                model,
            });
        }
        let captioned = captions::caption_photos(&describer, &mut targets, selection, context)?;
        Ok((id, captioned))
    }
}

fn wrong_kind(id: &str, what: &str) -> Error {
    Error::Ml(MlError::Run {
        id: id.to_string(),
        detail: format!("this model is not one that {what}"),
    })
}
