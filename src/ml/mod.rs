//! Local AI: the model catalog, model files on disk (verify, import, remove), compute
//! devices, and one loader per architecture over candle. Model code reads the files it
//! is given (and Marian writes its quantized copy where it is told); where files come
//! from lives in `store`. `fixtures` (tiny random-weight models for tests, benches and
//! `tradewind dev`) is compiled only with the `fixtures` feature.

pub mod archive;
mod bert_encoder;
pub mod caption;
pub mod catalog;
pub mod clip;
pub mod device;
pub mod download;
pub mod embed;
mod error;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod generate;
pub mod gguf_tokenizer;
pub mod greedy;
pub mod int8;
pub mod int8_cache;
pub mod jobs;
pub mod loaded;
pub mod machine;
pub mod madlad;
pub mod mapped;
pub mod marian;
pub mod marian_baseline;
pub mod model;
pub mod plan;
pub mod route;
pub mod sentencepiece;
pub mod sentiment;
pub mod store;
pub mod weights;

pub use error::MlError;
