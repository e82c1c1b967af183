//! Product photos: imported from a folder or files (decoded with their EXIF orientation,
//! measured, hashed, with a thumbnail), checked against each marketplace's photo rules,
//! their colours named, tagged with the seller's taxonomy and vocabularies by CLIP, given
//! alt text, linked to listings and written back out.

pub mod checks;
pub mod colours;
pub mod decode;
mod error;
mod import;
pub mod measure;
mod query;
pub mod tag_job;
pub mod tagging;
pub mod vocabulary;

pub use error::PhotosError;
pub use import::{ImportedPhotos, SkippedPhoto, import_files, import_folder, photo_files};
pub use query::{PhotoSummary, list};
