//! Local AI: the model catalog, model files on disk (verify, import, remove), compute
//! devices, and one loader per architecture over candle. Model code does no I/O beyond
//! reading the files it is given; where files come from lives in `store`.

pub mod archive;
mod bert_encoder;
pub mod caption;
pub mod catalog;
pub mod clip;
pub mod device;
pub mod download;
pub mod embed;
mod error;
pub mod fixtures;
pub mod generate;
pub mod loaded;
pub mod madlad;
pub mod marian;
pub mod marian_baseline;
pub mod route;
pub mod sentencepiece;
pub mod sentiment;
pub mod store;
pub mod weights;

pub use error::MlError;
