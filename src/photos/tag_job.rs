//! Tagging photos as a resumable job, sixteen photos a batch and checkpoint: each photo
//! embedded once per model and content (cached), its proposals replacing the tagger's
//! earlier ones and never the seller's own word; and the seller's corrections, one photo
//! or a selection at a time.

use std::path::Path;

use rayon::prelude::*;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::PhotosError;
use super::decode::decode_for_model;
use super::import::SkippedPhoto;
use super::tagging::{self, CacheUse, Embedder, LabelCache, Tagger};
use super::vocabulary::{self, CATEGORY};
use crate::files::FileError;
use crate::jobs::{JobContext, Unit};
use crate::store::{Store, StoreError, settings};

const STAGE: &str = "tag";
const PHOTOS_PER_BATCH: usize = 16;
/// When the seller last reset what the tagger learned from them.
const LEARNING_SINCE: &str = "photo_learning_since";

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaggedPhotos {
    pub photos: u64,
    /// Tags proposed across those photos.
    pub proposed: u64,
    pub skipped: Vec<SkippedPhoto>,
    /// Corrections of the seller's the proposals learned from.
    pub learned_from: u64,
    pub photo_embeddings: CacheUse,
    pub label_embeddings: CacheUse,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Checkpoint {
    after_id: i64,
    done: u64,
    tagged: TaggedPhotos,
}

struct PhotoRow {
    id: i64,
    file_name: String,
    path: String,
    sha256: String,
}

fn photos_to_tag(store: &Store, selection: &[i64]) -> Result<Vec<PhotoRow>, StoreError> {
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
            Ok(PhotoRow {
                id: row.get(0)?,
                file_name: row.get(1)?,
                path: row.get(2)?,
                sha256: row.get(3)?,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))
}

fn cached_embedding(
    store: &Store,
    photo: &PhotoRow,
    model: &str,
) -> Result<Option<Vec<f32>>, StoreError> {
    let conn = store.connect()?;
    conn.query_row(
        "SELECT vector FROM photo_embeddings WHERE photo_id = ?1 AND model = ?2 AND sha256 = ?3",
        (photo.id, model, &photo.sha256),
        |row| row.get::<_, Vec<u8>>(0),
    )
    .optional()
    .map(|found| found.map(|bytes| tagging::from_bytes(&bytes)))
    .map_err(|error| store.error(error))
}

/// Tags the photos of `selection` (every photo when it is empty) with `embedder`.
pub fn tag_photos(
    embedder: &dyn Embedder,
    selection: &[i64],
    context: &mut JobContext,
) -> Result<TaggedPhotos, PhotosError> {
    let store = context.store().clone();
    let photos = photos_to_tag(&store, selection)?;
    let taxonomy = vocabulary::taxonomy()?;
    let words = vocabulary::vocabulary(&store)?;
    let since = settings::get(&store, LEARNING_SINCE)?.unwrap_or_default();
    let learned = tagging::learned(&store, embedder.model_key(), &since)?;
    let mut checkpoint: Checkpoint = context.saved(STAGE)?.unwrap_or_default();
    checkpoint.tagged.learned_from = learned.corrections;
    let mut tagger = Tagger {
        embedder,
        taxonomy: &taxonomy,
        vocabulary: &words,
        labels: LabelCache::new(store.clone(), embedder.model_key()),
        learned,
    };
    context.begin_stage(
        STAGE,
        Unit::Items,
        Some(photos.len() as u64),
        checkpoint.done,
    );
    let remaining: Vec<&PhotoRow> = photos
        .iter()
        .filter(|photo| photo.id > checkpoint.after_id)
        .collect();
    let mut conn = store.connect()?;
    for batch in remaining.chunks(PHOTOS_PER_BATCH) {
        let mut vectors: Vec<Option<Vec<f32>>> = Vec::with_capacity(batch.len());
        let mut uncached = Vec::new();
        for (index, photo) in batch.iter().enumerate() {
            let cached = cached_embedding(&store, photo, embedder.model_key())?;
            if cached.is_some() {
                checkpoint.tagged.photo_embeddings.hits += 1;
            } else {
                uncached.push(index);
            }
            vectors.push(cached);
        }
        // The batch's photos decode side by side: decoding is most of a photo's time
        // outside the model, and each photo is independent.
        let image_size = embedder.image_size();
        let decoded: Vec<(usize, Result<image::DynamicImage, FileError>)> = uncached
            .par_iter()
            .map(|&index| {
                let path = Path::new(&batch[index].path);
                let read = std::fs::read(path)
                    .map_err(|error| FileError::io(path, error))
                    .and_then(|bytes| decode_for_model(path, &bytes, image_size));
                (index, read)
            })
            .collect();
        let mut to_embed = Vec::with_capacity(decoded.len());
        let mut images = Vec::with_capacity(decoded.len());
        for (index, read) in decoded {
            match read {
                Ok(image) => {
                    to_embed.push(index);
                    images.push(image);
                }
                Err(error) => checkpoint.tagged.skipped.push(SkippedPhoto {
                    file: batch[index].file_name.clone(),
                    reason: error.to_string(),
                }),
            }
        }
        let embedded = embedder.embed_images(&images)?;
        let mut fresh = Vec::with_capacity(to_embed.len());
        for (index, vector) in to_embed.into_iter().zip(embedded) {
            fresh.push((batch[index], vector.clone()));
            vectors[index] = Some(vector);
        }
        // Proposals first: label embeddings the tagger meets for the first time are
        // stored on their own connection, which the batch's transaction would block.
        let mut proposed = Vec::with_capacity(batch.len());
        for (photo, vector) in batch.iter().zip(&vectors) {
            if let Some(vector) = vector {
                proposed.push((*photo, tagger.propose(vector)?));
            }
        }
        let tx = conn.transaction().map_err(|error| store.error(error))?;
        for (photo, vector) in fresh {
            checkpoint.tagged.photo_embeddings.misses += 1;
            tx.execute(
                "INSERT OR REPLACE INTO photo_embeddings (photo_id, model, sha256, vector) VALUES (?1, ?2, ?3, ?4)",
                (photo.id, embedder.model_key(), &photo.sha256, tagging::to_bytes(&vector)),
            )
            .map_err(|error| store.error(error))?;
        }
        for (photo, proposals) in proposed {
            tx.execute(
                "DELETE FROM photo_tags WHERE photo_id = ?1 AND state = 'proposed'",
                [photo.id],
            )
            .map_err(|error| store.error(error))?;
            for proposal in &proposals {
                // The seller's own word on a label (kept, removed, added) stays.
                let changed = tx
                    .execute(
                        "INSERT INTO photo_tags (photo_id, grp, label, score, state, updated_at)
                         VALUES (?1, ?2, ?3, ?4, 'proposed', ?5) ON CONFLICT DO NOTHING",
                        rusqlite::params![
                            photo.id,
                            proposal.group,
                            proposal.label,
                            f64::from(proposal.score),
                            chrono::Utc::now().to_rfc3339()
                        ],
                    )
                    .map_err(|error| store.error(error))?;
                checkpoint.tagged.proposed += changed as u64;
            }
            checkpoint.tagged.photos += 1;
        }
        checkpoint.after_id = batch.last().map_or(checkpoint.after_id, |photo| photo.id);
        checkpoint.done += batch.len() as u64;
        checkpoint.tagged.label_embeddings = tagger.labels.used;
        context.commit(tx, checkpoint.done, &checkpoint)?;
    }
    Ok(checkpoint.tagged)
}

/// What the seller does with a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TagAction {
    /// A proposal is right.
    Accept,
    /// The photo does not have it.
    Remove,
    /// The photo has it, though nobody proposed it.
    Add,
}

/// Applies the seller's `action` on `label` of `group` to every photo of `photos`;
/// returns how many photos changed. A photo has one category: adding or accepting one
/// removes the others, which the tagger learns from too.
pub fn correct(
    store: &Store,
    photos: &[i64],
    group: &str,
    label: &str,
    action: TagAction,
) -> Result<u64, PhotosError> {
    let label = label.trim();
    if label.is_empty() {
        return Err(PhotosError::EmptyLabel);
    }
    let words = vocabulary::vocabulary(store)?;
    if group != CATEGORY && !words.groups.iter().any(|found| found.key == group) {
        return Err(PhotosError::UnknownGroup {
            group: group.to_string(),
        });
    }
    let mut conn = store.connect()?;
    let tx = conn.transaction().map_err(|error| store.error(error))?;
    let now = chrono::Utc::now().to_rfc3339();
    let mut changed = 0;
    for &photo in photos {
        let state = match action {
            TagAction::Accept => "accepted",
            TagAction::Remove => "removed",
            TagAction::Add => "added",
        };
        let rows = match action {
            // Only a tag the photo has can be kept or removed.
            TagAction::Accept | TagAction::Remove => tx.execute(
                "UPDATE photo_tags SET state = ?4, updated_at = ?5
                 WHERE photo_id = ?1 AND grp = ?2 AND label = ?3 AND state != ?4",
                rusqlite::params![photo, group, label, state, now],
            ),
            TagAction::Add => tx.execute(
                "INSERT INTO photo_tags (photo_id, grp, label, score, state, updated_at)
                 VALUES (?1, ?2, ?3, NULL, 'added', ?4)
                 ON CONFLICT DO UPDATE SET state = CASE WHEN state = 'removed' OR state = 'proposed'
                     THEN 'added' ELSE state END, updated_at = excluded.updated_at",
                rusqlite::params![photo, group, label, now],
            ),
        }
        .map_err(|error| store.error(error))?;
        if group == CATEGORY && action != TagAction::Remove && rows > 0 {
            tx.execute(
                "UPDATE photo_tags SET state = 'removed', updated_at = ?3
                 WHERE photo_id = ?1 AND grp = 'category' AND label != ?2 AND state != 'removed'",
                rusqlite::params![photo, label, now],
            )
            .map_err(|error| store.error(error))?;
        }
        changed += rows as u64;
    }
    tx.commit().map_err(|error| store.error(error))?;
    Ok(changed)
}

/// Every tag the seller removed or added after the last reset: what the tagger learns from.
pub fn corrections(store: &Store) -> Result<u64, PhotosError> {
    let since = settings::get(store, LEARNING_SINCE)?.unwrap_or_default();
    let conn = store.connect()?;
    conn.query_row(
        "SELECT count(*) FROM photo_tags WHERE state IN ('accepted', 'added', 'removed') AND updated_at > ?1",
        [since],
        |row| row.get::<_, i64>(0),
    )
    .map(|count| count as u64)
    .map_err(|error| store.error(error).into())
}

/// Forgets what the tagger learned from the seller (their tags stay as they are).
pub fn reset_learning(store: &Store) -> Result<(), PhotosError> {
    Ok(settings::set(
        store,
        LEARNING_SINCE,
        &chrono::Utc::now().to_rfc3339(),
    )?)
}
