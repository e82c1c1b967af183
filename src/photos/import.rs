use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::ImageFormat;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::PhotosError;
use crate::files::{FileError, require_folder};
use crate::jobs::{JobContext, Unit};

const STAGE: &str = "photos";
const THUMBNAIL_EDGE: u32 = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportedPhotos {
    pub photos: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Checkpoint {
    /// Photos are taken in file-name order; this many are in the store.
    files_done: u64,
}

fn is_photo(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            matches!(
                extension.to_ascii_lowercase().as_str(),
                "jpg" | "jpeg" | "png"
            )
        })
}

/// Replaces the photos imported from `source` by the JPEG and PNG files of `folder`.
/// Each photo commits on its own, so a resumed import skips those already in.
pub fn import_folder(
    folder: &Path,
    source: &str,
    context: &mut JobContext,
) -> Result<ImportedPhotos, PhotosError> {
    require_folder(folder)?;
    let files = photo_files(folder)?;
    let store = context.store().clone();
    let mut conn = store.connect()?;
    let total = files.len() as u64;
    let mut checkpoint = match context.saved::<Checkpoint>(STAGE)? {
        Some(saved) => {
            context.begin_stage(STAGE, Unit::Items, Some(total), saved.files_done);
            saved
        }
        None => {
            context.begin_stage(STAGE, Unit::Items, Some(total), 0);
            let tx = conn.transaction().map_err(|error| store.error(error))?;
            tx.execute("DELETE FROM photos WHERE source = ?1", [source])
                .map_err(|error| store.error(error))?;
            let fresh = Checkpoint::default();
            context.commit(tx, 0, &fresh)?;
            fresh
        }
    };
    for path in files.iter().skip(checkpoint.files_done as usize) {
        let photo = read_photo(path)?;
        let tx = conn.transaction().map_err(|error| store.error(error))?;
        tx.execute(
            "INSERT INTO photos (source, file_name, path, width, height, bytes, sha256, thumbnail)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                source,
                photo.file_name,
                path.display().to_string(),
                photo.width,
                photo.height,
                photo.bytes,
                photo.sha256,
                photo.thumbnail
            ],
        )
        .map_err(|error| store.error(error))?;
        checkpoint.files_done += 1;
        context.commit(tx, checkpoint.files_done, &checkpoint)?;
    }
    Ok(ImportedPhotos { photos: total })
}

fn photo_files(folder: &Path) -> Result<Vec<PathBuf>, FileError> {
    let entries = std::fs::read_dir(folder).map_err(|error| FileError::io(folder, error))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|error| FileError::io(folder, error))?.path();
        if path.is_file() && is_photo(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

struct Photo {
    file_name: String,
    width: u32,
    height: u32,
    bytes: u64,
    sha256: String,
    thumbnail: Vec<u8>,
}

fn read_photo(path: &Path) -> Result<Photo, FileError> {
    let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
    let unreadable = |detail: String| FileError::Unreadable {
        path: path.to_path_buf(),
        detail,
    };
    let picture = image::load_from_memory(&bytes)
        .map_err(|error| unreadable(format!("not a readable photo ({error})")))?;
    let mut thumbnail = Vec::new();
    picture
        .thumbnail(THUMBNAIL_EDGE, THUMBNAIL_EDGE)
        .to_rgb8()
        .write_to(&mut Cursor::new(&mut thumbnail), ImageFormat::Jpeg)
        .map_err(|error| unreadable(format!("cannot make its thumbnail ({error})")))?;
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    Ok(Photo {
        file_name: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        width: picture.width(),
        height: picture.height(),
        bytes: bytes.len() as u64,
        sha256,
        thumbnail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demo_photo_reads_with_its_size_and_a_small_thumbnail() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/photos/coffee-cup.jpg");
        let photo = read_photo(&path).unwrap();
        assert_eq!((photo.width, photo.height), (600, 400));
        let thumbnail = image::load_from_memory(&photo.thumbnail).unwrap();
        assert_eq!((thumbnail.width(), thumbnail.height()), (256, 171));
        assert_eq!(photo.sha256.len(), 64);
    }

    #[test]
    fn a_file_that_is_not_a_photo_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.jpg");
        std::fs::write(&path, b"not a jpeg").unwrap();
        let message = read_photo(&path).err().unwrap().to_string();
        assert!(
            message.contains("broken.jpg") && message.contains("not a readable photo"),
            "{message}"
        );
    }
}
