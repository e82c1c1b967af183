//! Product photos: imported from a folder or files (decoded with their EXIF orientation,
//! measured, hashed, with a thumbnail), checked against each marketplace's photo rules,
//! their colours named, tagged with the taxonomy and vocabularies by CLIP (learning from
//! the seller's corrections), given alt text in the listings' languages, linked to
//! listings by file name, grouped with their near-duplicates and written back out (CSV,
//! XMP sidecars, the seller's Shopify product CSV).

pub mod captions;
pub mod checks;
pub mod colours;
pub mod decode;
mod error;
pub mod export;
mod import;
pub mod links;
pub mod measure;
mod query;
pub mod similar;
pub mod tag_job;
pub mod tagging;
pub mod vocabulary;

pub use error::PhotosError;
pub use import::{ImportedPhotos, SkippedPhoto, import_files, import_folder, photo_files};
pub use query::{PhotoDetail, PhotoSummary, Tag, TagState, detail, details, list};
