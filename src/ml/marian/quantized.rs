//! The q8_0 copy of an opus-mt model's matrices: quantized once, kept as GGUF in the
//! model's `derived` folder with the checksum of the weights it was made from, and
//! made again when those weights change.

use std::path::Path;

use candle_core::Device;
use candle_core::quantized::{GgmlDType, gguf_file};

use crate::ml::MlError;
use crate::ml::weights::{ModelFiles, Precision, Weights, write_gguf};

const SOURCE_SHA_KEY: &str = "tradewind.source_sha256";

/// The weights in `name`, at `precision`. For q8_0 with a `quantized_cache`, the
/// quantized matrices are read from it, written first when it is missing or was
/// made from another file.
pub fn weights(
    files: &ModelFiles,
    name: &str,
    device: &Device,
    precision: Precision,
    quantized_cache: Option<&Path>,
) -> Result<Weights, MlError> {
    let (Precision::Q8_0, Some(cache)) = (precision, quantized_cache) else {
        return Ok(files
            .safetensors(name, device)?
            .quantized_on_load(precision));
    };
    let source_sha = files
        .files
        .iter()
        .find(|file| file.name == name)
        .map(|file| file.sha256.clone())
        .unwrap_or_default();
    if cached_source_sha(cache).as_deref() != Some(source_sha.as_str()) {
        write_gguf(
            cache,
            &files.tensors(name, device)?,
            GgmlDType::Q8_0,
            |name| {
                name.ends_with("_proj.weight")
                    || name.ends_with("fc1.weight")
                    || name.ends_with("fc2.weight")
                    || name == "model.shared.weight"
            },
            &[(SOURCE_SHA_KEY, gguf_file::Value::String(source_sha))],
        )?;
    }
    files.gguf(cache, device)
}

/// The source checksum a quantized cache was made from, if it is a readable GGUF.
pub(super) fn cached_source_sha(path: &Path) -> Option<String> {
    let mut file = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    let content = gguf_file::Content::read(&mut file).ok()?;
    content
        .metadata
        .get(SOURCE_SHA_KEY)?
        .to_string()
        .ok()
        .cloned()
}
