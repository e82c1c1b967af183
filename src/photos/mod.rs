//! Product photos: importing a folder of pictures, with a thumbnail each for the UI.

mod error;
mod import;
mod query;

pub use error::PhotosError;
pub use import::{ImportedPhotos, import_folder};
pub use query::{PhotoSummary, list};
