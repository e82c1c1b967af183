//! Product photos: importing a folder of pictures, with a thumbnail each for the UI.

mod import;
mod query;

pub use import::{ImportedPhotos, import_folder, is_photo};
pub use query::{PhotoSummary, list};
