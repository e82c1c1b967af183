//! The q8_0 copy of an opus-mt model's matrices: quantized once, kept as GGUF in the
//! model's `derived` folder with the checksum of the weights it was made from, and
//! made again when those weights change. On CPUs with AVX-512 VNNI, the int8 matrices
//! the products go through are kept beside it too (`ml::int8_cache`), made once from
//! the q8_0 ones and mapped at each load.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use candle_core::Device;
use candle_core::quantized::{GgmlDType, gguf_file};

use crate::ml::int8::{self, Int8Matrix};
use crate::ml::weights::{ModelFiles, Precision, Weights, write_gguf};
use crate::ml::{MlError, int8_cache};

const SOURCE_SHA_KEY: &str = "tradewind.source_sha256";
/// The shared embeddings are also the output layer's matrix: its q8_0 rows are read
/// for the embedding lookup even when its products go through int8.
const EMBEDDINGS: &str = "model.shared.weight";

/// The matrices stored quantized (the rest, small, stay f32).
fn is_quantized(name: &str) -> bool {
    name.ends_with("_proj.weight")
        || name.ends_with("fc1.weight")
        || name.ends_with("fc2.weight")
        || name == EMBEDDINGS
}

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
            is_quantized,
            &[(SOURCE_SHA_KEY, gguf_file::Value::String(source_sha.clone()))],
        )?;
    }
    let int8 = if device.is_cpu() && int8::available() {
        int8_matrices(files, cache, &source_sha)?
    } else {
        HashMap::new()
    };
    files.gguf(cache, device, int8, &[EMBEDDINGS])
}

/// The int8 matrices of the q8_0 cache `cache`, mapped from the int8 cache beside it,
/// which is made first when it is missing or stale.
fn int8_matrices(
    files: &ModelFiles,
    cache: &Path,
    source_sha: &str,
) -> Result<HashMap<String, Arc<Int8Matrix>>, MlError> {
    let path = cache.with_extension("int8");
    if let Some(matrices) = int8_cache::read(&path, source_sha) {
        return Ok(matrices);
    }
    let Weights::Quantized { tensors, .. } =
        files.gguf(cache, &Device::Cpu, HashMap::new(), &[])?
    else {
        return Ok(HashMap::new());
    };
    let mut made = Vec::new();
    for (name, tensor) in &tensors {
        let Ok((outputs, inputs)) = tensor.shape().dims2() else {
            continue;
        };
        if tensor.dtype() != GgmlDType::Q8_0 || !is_quantized(name) {
            continue;
        }
        let bytes = tensor.data().map_err(|error| files.failed(cache, error))?;
        if let Some(matrix) = Int8Matrix::from_q8_0(&bytes, outputs, inputs) {
            made.push((name.as_str(), matrix));
        }
    }
    made.sort_by_key(|(name, _)| *name);
    let named: Vec<(&str, &Int8Matrix)> = made.iter().map(|(name, m)| (*name, m)).collect();
    // The cache only saves time: where it cannot be written (a full disk, a read-only
    // folder), the layers make their int8 copies at the first product as before.
    if let Err(error) = int8_cache::write(&path, source_sha, &named) {
        tracing::warn!(%error, "the int8 cache could not be written; packing at the first product");
        return Ok(HashMap::new());
    }
    // Read back, so that this load too uses mapped pages (and the file is proved).
    Ok(int8_cache::read(&path, source_sha).unwrap_or_default())
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
