//! Photos into the store, from a folder or chosen files: each one decoded once (EXIF
//! orientation applied), measured, hashed and given a thumbnail. A photo is kept by its
//! source and file name, so importing again skips an unchanged file (same content hash)
//! and keeps the seller's tags and alt text; a changed file keeps them too but loses
//! what the machine made of the old picture. A file that cannot be read is reported in
//! one sentence and the batch goes on.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::ImageFormat;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::PhotosError;
use super::decode::{self, is_photo_file};
use super::measure::{self, Measures};
use crate::files::{FileError, require_folder};
use crate::jobs::{JobContext, Unit};
use crate::store::Store;

const STAGE: &str = "photos";
const THUMBNAIL_EDGE: u32 = 256;

/// A file the import passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SkippedPhoto {
    pub file: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportedPhotos {
    /// Photos new or changed since the last import, stored now.
    pub photos: u64,
    /// Photos already in the store with the same content: left as they were.
    #[serde(default)]
    pub unchanged: u64,
    /// Files that could not be read.
    #[serde(default)]
    pub skipped: Vec<SkippedPhoto>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Checkpoint {
    /// Files are taken in name order; this many are done.
    files_done: u64,
    #[serde(default)]
    imported: ImportedPhotos,
}

/// The photos of a folder (not its subfolders), in name order.
pub fn photo_files(folder: &Path) -> Result<Vec<PathBuf>, FileError> {
    require_folder(folder)?;
    let entries = std::fs::read_dir(folder).map_err(|error| FileError::io(folder, error))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|error| FileError::io(folder, error))?.path();
        if path.is_file() && is_photo_file(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Imports the photos of `folder` as `source`; photos of that source whose file is no
/// longer in the folder are removed (with their tags).
pub fn import_folder(
    folder: &Path,
    source: &str,
    context: &mut JobContext,
) -> Result<ImportedPhotos, PhotosError> {
    let files = photo_files(folder)?;
    let imported = import_files(&files, source, context)?;
    let names: Vec<String> = files.iter().map(|path| file_name(path)).collect();
    let store = context.store().clone();
    let conn = store.connect()?;
    let kept = serde_json::to_string(&names).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "DELETE FROM photos WHERE source = ?1 AND file_name NOT IN (SELECT value FROM json_each(?2))",
        (source, kept),
    )
    .map_err(|error| store.error(error))?;
    Ok(imported)
}

/// Imports `files` (each kept as `source` and its file name), one commit per photo, so a
/// resumed import goes on after the last one stored.
pub fn import_files(
    files: &[PathBuf],
    source: &str,
    context: &mut JobContext,
) -> Result<ImportedPhotos, PhotosError> {
    for file in files {
        crate::files::require_file(file)?;
    }
    let store = context.store().clone();
    let mut conn = store.connect()?;
    let mut checkpoint = context.saved::<Checkpoint>(STAGE)?.unwrap_or_default();
    context.begin_stage(
        STAGE,
        Unit::Items,
        Some(files.len() as u64),
        checkpoint.files_done,
    );
    for path in files.iter().skip(checkpoint.files_done as usize) {
        let tx = conn.transaction().map_err(|error| store.error(error))?;
        match import_one(&store, &tx, path, source) {
            Ok(true) => checkpoint.imported.photos += 1,
            Ok(false) => checkpoint.imported.unchanged += 1,
            Err(PhotosError::File(error)) => checkpoint.imported.skipped.push(SkippedPhoto {
                file: file_name(path),
                reason: error.to_string(),
            }),
            Err(other) => return Err(other),
        }
        checkpoint.files_done += 1;
        context.commit(tx, checkpoint.files_done, &checkpoint)?;
    }
    Ok(checkpoint.imported)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Stores one photo; false when it was there already with the same content.
fn import_one(
    store: &Store,
    tx: &rusqlite::Transaction<'_>,
    path: &Path,
    source: &str,
) -> Result<bool, PhotosError> {
    let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
    let sha256: String = Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let name = file_name(path);
    let existing: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, sha256 FROM photos WHERE source = ?1 AND file_name = ?2",
            (source, &name),
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()
        .map_err(|error| store.error(error))?;
    if existing.as_ref().is_some_and(|(_, known)| *known == sha256) {
        return Ok(false);
    }
    let photo = read_photo(path, &bytes)?;
    let measures = serde_json::to_string(&photo.measures).unwrap_or_else(|_| "{}".into());
    let sql = || -> rusqlite::Result<()> {
        match existing {
            Some((id, _)) => {
                tx.execute(
                    "UPDATE photos SET path = ?2, width = ?3, height = ?4, bytes = ?5, sha256 = ?6,
                     thumbnail = ?7, format = ?8, measures = ?9, phash = ?10 WHERE id = ?1",
                    rusqlite::params![
                        id,
                        path.display().to_string(),
                        photo.measures.width,
                        photo.measures.height,
                        photo.measures.bytes,
                        sha256,
                        photo.thumbnail,
                        photo.measures.format,
                        measures,
                        photo.hash as i64
                    ],
                )?;
                // The machine's word on the old picture no longer holds; the seller's does.
                tx.execute(
                    "DELETE FROM photo_tags WHERE photo_id = ?1 AND state = 'proposed'",
                    [id],
                )?;
                tx.execute(
                    "DELETE FROM photo_captions WHERE photo_id = ?1 AND status = 'machine'",
                    [id],
                )?;
            }
            None => {
                tx.execute(
                    "INSERT INTO photos (source, file_name, path, width, height, bytes, sha256, thumbnail, format, measures, phash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    rusqlite::params![
                        source,
                        name,
                        path.display().to_string(),
                        photo.measures.width,
                        photo.measures.height,
                        photo.measures.bytes,
                        sha256,
                        photo.thumbnail,
                        photo.measures.format,
                        measures,
                        photo.hash as i64
                    ],
                )?;
            }
        }
        Ok(())
    };
    sql().map_err(|error| store.error(error))?;
    Ok(true)
}

struct Photo {
    measures: Measures,
    hash: u64,
    thumbnail: Vec<u8>,
}

fn read_photo(path: &Path, bytes: &[u8]) -> Result<Photo, FileError> {
    let decoded = decode::decode(path, bytes)?;
    let thumbnail_image = {
        let (width, height) = (decoded.image.width(), decoded.image.height());
        let scale = f64::from(THUMBNAIL_EDGE) / f64::from(width.max(height).max(1));
        if scale < 1.0 {
            let fit = |side: u32| ((f64::from(side) * scale).round() as u32).max(1);
            image::DynamicImage::ImageRgb8(crate::ml::clip::resized(
                &decoded.image,
                fit(width),
                fit(height),
                false,
            ))
        } else {
            image::DynamicImage::ImageRgb8(decoded.image.to_rgb8())
        }
    };
    let mut thumbnail = Vec::new();
    thumbnail_image
        .write_to(&mut Cursor::new(&mut thumbnail), ImageFormat::Jpeg)
        .map_err(|error| FileError::Unreadable {
            path: path.to_path_buf(),
            detail: format!("cannot make its thumbnail ({error})"),
        })?;
    Ok(Photo {
        measures: measure::measure(&decoded.image, bytes.len() as u64, decoded.format),
        hash: measure::difference_hash(&thumbnail_image),
        thumbnail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_photo_reads_with_its_size_and_a_small_thumbnail() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/demo/photos/kumo-stoneware-mug-1.jpg");
        let bytes = std::fs::read(&path).unwrap();
        let photo = read_photo(&path, &bytes).unwrap();
        assert_eq!((photo.measures.width, photo.measures.height), (600, 400));
        assert_eq!(photo.measures.format, "jpeg");
        let thumbnail = image::load_from_memory(&photo.thumbnail).unwrap();
        assert_eq!((thumbnail.width(), thumbnail.height()), (256, 171));
    }

    #[test]
    fn a_file_that_is_not_a_photo_is_named() {
        let message = read_photo(Path::new("broken.jpg"), b"not a jpeg")
            .err()
            .unwrap()
            .to_string();
        assert!(
            message.contains("broken.jpg") && message.contains("not a photo Tradewind can read"),
            "{message}"
        );
    }
}
