//! Alt text for photos: a caption model's sentence (in English), translated into the
//! listings' languages through the listings' translation (protected spans, glossary,
//! memory), as a resumable job; the seller edits any language, and an edit is never
//! overwritten.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::PhotosError;
use super::decode::decode_for_model;
use super::import::SkippedPhoto;
use crate::files::FileError;
use crate::jobs::{JobContext, Unit};
use crate::listings::translate::memory::TranslationMemory;
use crate::listings::translate::{ModelFn, translate_texts};
use crate::ml::MlError;
use crate::ml::caption::Captioner;
use crate::store::{Store, StoreError};

const STAGE: &str = "caption";
/// The caption model writes English.
pub const CAPTION_LANGUAGE: &str = "en";
/// The longest caption, in tokens.
const CAPTION_TOKENS: usize = 32;

/// A model that describes a photo in a sentence.
pub trait Describer {
    /// The model and its revision: what a caption was made with.
    fn model_key(&self) -> &str;
    fn image_size(&self) -> u32;
    fn describe(&self, image: &image::DynamicImage, max_tokens: usize) -> Result<String, MlError>;
}

/// A loaded BLIP and the key its captions are remembered under.
pub struct BlipDescriber<'a> {
    pub captioner: &'a Captioner,
    pub key: String,
}

impl Describer for BlipDescriber<'_> {
    fn model_key(&self) -> &str {
        &self.key
    }

    fn image_size(&self) -> u32 {
        self.captioner.image_size()
    }

    fn describe(&self, image: &image::DynamicImage, max_tokens: usize) -> Result<String, MlError> {
        self.captioner.caption(image, max_tokens)
    }
}

/// How to translate captions into one language: the label of its route (what the
/// translation memory keys on) and the model.
pub struct CaptionTranslator {
    pub locale: String,
    pub label: String,
    pub model: Box<ModelFn>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CaptionedPhotos {
    /// Photos given a new caption by the model.
    pub captioned: u64,
    /// Alt texts written in other languages.
    pub translated: u64,
    /// Alt texts the seller edited: left as they are.
    pub kept: u64,
    pub skipped: Vec<SkippedPhoto>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Checkpoint {
    after_id: i64,
    done: u64,
    made: CaptionedPhotos,
}

/// A photo's alt text in one language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Caption {
    pub locale: String,
    pub text: String,
    /// `machine` or `edited`.
    pub status: String,
}

fn stored(
    conn: &rusqlite::Connection,
    photo: i64,
    locale: &str,
) -> rusqlite::Result<Option<(String, String, String)>> {
    conn.query_row(
        "SELECT text, status, made_from FROM photo_captions WHERE photo_id = ?1 AND locale = ?2",
        (photo, locale),
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
    .optional()
}

fn put(
    conn: &rusqlite::Connection,
    photo: i64,
    locale: &str,
    text: &str,
    made_from: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO photo_captions (photo_id, locale, text, status, made_from, updated_at)
         VALUES (?1, ?2, ?3, 'machine', ?4, ?5)
         ON CONFLICT (photo_id, locale) DO UPDATE SET text = excluded.text, status = 'machine',
             made_from = excluded.made_from, updated_at = excluded.updated_at",
        rusqlite::params![
            photo,
            locale,
            text,
            made_from,
            chrono::Utc::now().to_rfc3339()
        ],
    )
    .map(|_| ())
}

/// Captions the photos of `selection` (all when empty) and writes their alt text in each
/// of `targets`' languages. A caption the model made before from the same photo is kept,
/// so is a translation of the same caption; the seller's edits always are.
pub fn caption_photos(
    describer: &dyn Describer,
    targets: &mut [CaptionTranslator],
    selection: &[i64],
    context: &mut JobContext,
) -> Result<CaptionedPhotos, PhotosError> {
    let store = context.store().clone();
    let memory = TranslationMemory::new(store.clone());
    let photos = photo_files(&store, selection)?;
    let mut checkpoint: Checkpoint = context.saved(STAGE)?.unwrap_or_default();
    context.begin_stage(
        STAGE,
        Unit::Items,
        Some(photos.len() as u64),
        checkpoint.done,
    );
    let mut conn = store.connect()?;
    let resume_after = checkpoint.after_id;
    for (id, file_name, path, sha256) in photos.into_iter().filter(|photo| photo.0 > resume_after) {
        let made_with = format!("{}#{sha256}", describer.model_key());
        let existing = stored(&conn, id, CAPTION_LANGUAGE).map_err(|error| store.error(error))?;
        let caption = match existing {
            Some((text, status, _)) if status == "edited" => Some(text),
            Some((text, _, from)) if from == made_with => Some(text),
            _ => {
                let path = Path::new(&path);
                let described = std::fs::read(path)
                    .map_err(|error| PhotosError::from(FileError::io(path, error)))
                    .and_then(|bytes| Ok(decode_for_model(path, &bytes, describer.image_size())?))
                    .and_then(|image| Ok(describer.describe(&image, CAPTION_TOKENS)?));
                match described {
                    Ok(text) => {
                        put(&conn, id, CAPTION_LANGUAGE, text.trim(), &made_with)
                            .map_err(|error| store.error(error))?;
                        checkpoint.made.captioned += 1;
                        Some(text.trim().to_string())
                    }
                    Err(PhotosError::File(error)) => {
                        checkpoint.made.skipped.push(SkippedPhoto {
                            file: file_name.clone(),
                            reason: error.to_string(),
                        });
                        None
                    }
                    Err(other) => return Err(other),
                }
            }
        };
        // Translated before the transaction: the translation memory writes on its own
        // connection, which the transaction would block.
        let mut translated = Vec::new();
        if let Some(caption) = &caption {
            for target in targets.iter_mut() {
                if target.locale == CAPTION_LANGUAGE {
                    continue;
                }
                match stored(&conn, id, &target.locale).map_err(|error| store.error(error))? {
                    Some((_, status, _)) if status == "edited" => checkpoint.made.kept += 1,
                    Some((_, _, from)) if from == *caption => {}
                    _ => {
                        let text = translate_texts(
                            &store,
                            &memory,
                            (CAPTION_LANGUAGE, &target.locale),
                            &target.label,
                            &mut *target.model,
                            &[caption.as_str()],
                        )?
                        .into_iter()
                        .next()
                        .map(|translation| translation.text)
                        .unwrap_or_default();
                        translated.push((target.locale.clone(), text, caption.clone()));
                    }
                }
            }
        }
        let tx = conn.transaction().map_err(|error| store.error(error))?;
        for (locale, text, caption) in &translated {
            put(&tx, id, locale, text, caption).map_err(|error| store.error(error))?;
            checkpoint.made.translated += 1;
        }
        checkpoint.after_id = id;
        checkpoint.done += 1;
        context.commit(tx, checkpoint.done, &checkpoint)?;
    }
    Ok(checkpoint.made)
}

fn photo_files(
    store: &Store,
    selection: &[i64],
) -> Result<Vec<(i64, String, String, String)>, StoreError> {
    let conn = store.connect()?;
    let ids = serde_json::to_string(selection).unwrap_or_else(|_| "[]".into());
    let mut statement = conn
        .prepare(
            "SELECT id, file_name, path, sha256 FROM photos
             WHERE ?1 = '[]' OR id IN (SELECT value FROM json_each(?1)) ORDER BY id",
        )
        .map_err(|error| store.error(error))?;
    statement
        .query_map([ids], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))
}

/// Every alt text of `photo`, by language.
pub fn captions(store: &Store, photo: i64) -> Result<BTreeMap<String, Caption>, StoreError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(
            "SELECT locale, text, status FROM photo_captions WHERE photo_id = ?1 ORDER BY locale",
        )
        .map_err(|error| store.error(error))?;
    statement
        .query_map([photo], |row| {
            let caption = Caption {
                locale: row.get(0)?,
                text: row.get(1)?,
                status: row.get(2)?,
            };
            Ok((caption.locale.clone(), caption))
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))
}

/// The seller's own alt text for `photo` in `locale`; the machine leaves it alone from
/// now on.
pub fn edit_caption(
    store: &Store,
    photo: i64,
    locale: &str,
    text: &str,
) -> Result<(), PhotosError> {
    let conn = store.connect()?;
    let exists: bool = conn
        .query_row(
            "SELECT count(*) FROM photos WHERE id = ?1",
            [photo],
            |row| row.get::<_, i64>(0),
        )
        .map(|count| count > 0)
        .map_err(|error| store.error(error))?;
    if !exists {
        return Err(PhotosError::NoPhoto { id: photo });
    }
    conn.execute(
        "INSERT INTO photo_captions (photo_id, locale, text, status, made_from, updated_at)
         VALUES (?1, ?2, ?3, 'edited', '', ?4)
         ON CONFLICT (photo_id, locale) DO UPDATE SET text = excluded.text, status = 'edited',
             updated_at = excluded.updated_at",
        rusqlite::params![photo, locale, text.trim(), chrono::Utc::now().to_rfc3339()],
    )
    .map_err(|error| store.error(error))?;
    Ok(())
}
