//! A model's int8 matrices (`ml::int8`) kept on disk, packed as the kernel reads them,
//! so that a load maps them instead of packing ~70 million weights again (about
//! 0.15 s for opus-mt, paid by the first batch). Made once from the q8_0 cache beside
//! it; read only when it was made from the same source weights with the same packing.
//!
//! The file: 8 magic bytes, the header's length (u64, little-endian), the header as
//! JSON (what each matrix is and where its sections lie), then the sections, each
//! starting on a 64-byte boundary of the file: packed weights as bytes, scales as f32
//! and offsets as i32, little-endian.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::int8::{Int8Matrix, LAYOUT};
use super::mapped::{MappedBytes, MappedFile};
use crate::files::{FileError, write_atomically_with};

const MAGIC: &[u8; 8] = b"TWINT8\x00\x01";
const ALIGN: usize = 64;

#[derive(Serialize, Deserialize)]
struct Header {
    layout: String,
    source_sha256: String,
    matrices: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    name: String,
    outputs: usize,
    inputs: usize,
    packed: Section,
    scales: Section,
    offsets: Section,
}

/// Bytes `start..start + length` of the data that follows the header.
#[derive(Serialize, Deserialize, Clone, Copy)]
struct Section {
    start: usize,
    length: usize,
}

fn aligned(at: usize) -> usize {
    at.div_ceil(ALIGN) * ALIGN
}

/// Writes `matrices` to `path` (a temporary file, then renamed), marked as made from
/// the weights whose sha256 is `source_sha256`.
pub fn write(
    path: &Path,
    source_sha256: &str,
    matrices: &[(&str, &Int8Matrix)],
) -> Result<(), FileError> {
    let mut next = 0;
    let mut section = |length: usize| {
        let start = aligned(next);
        next = start + length;
        Section { start, length }
    };
    let entries = matrices
        .iter()
        .map(|(name, matrix)| {
            let parts = matrix.parts();
            Entry {
                name: name.to_string(),
                outputs: parts.outputs,
                inputs: parts.inputs,
                packed: section(parts.packed.len()),
                scales: section(parts.scales.len() * 4),
                offsets: section(parts.offsets.len() * 4),
            }
        })
        .collect();
    let header = serde_json::to_vec(&Header {
        layout: LAYOUT.to_string(),
        source_sha256: source_sha256.to_string(),
        matrices: entries,
    })
    .map_err(|error| FileError::Write {
        path: path.to_path_buf(),
        source: error.into(),
    })?;
    write_atomically_with(path, |out| {
        out.write_all(MAGIC)?;
        out.write_all(&(header.len() as u64).to_le_bytes())?;
        out.write_all(&header)?;
        let mut written = MAGIC.len() + 8 + header.len();
        let mut put = |bytes: &[u8], out: &mut dyn Write| -> std::io::Result<()> {
            let start = aligned(written);
            out.write_all(&[0; ALIGN][..start - written])?;
            out.write_all(bytes)?;
            written = start + bytes.len();
            Ok(())
        };
        put(&[], out)?;
        for (_, matrix) in matrices {
            let parts = matrix.parts();
            put(parts.packed, out)?;
            let scales: Vec<u8> = parts.scales.iter().flat_map(|v| v.to_le_bytes()).collect();
            put(&scales, out)?;
            let offsets: Vec<u8> = parts.offsets.iter().flat_map(|v| v.to_le_bytes()).collect();
            put(&offsets, out)?;
        }
        Ok(())
    })
}

/// The matrices of the cache at `path`, mapped; None when there is none, or it was
/// made from other weights or for another packing, or it is damaged (then it is made
/// again).
pub fn read(path: &Path, source_sha256: &str) -> Option<HashMap<String, Arc<Int8Matrix>>> {
    let file = MappedFile::open(path).ok()?;
    let matrices = matrices_of(&file, source_sha256);
    if matrices.is_none() {
        tracing::info!(path = %path.display(), "the int8 cache is stale or damaged; making it again");
    }
    matrices
}

fn matrices_of(
    file: &Arc<MappedFile>,
    source_sha256: &str,
) -> Option<HashMap<String, Arc<Int8Matrix>>> {
    let bytes = file.bytes();
    let (magic, rest) = bytes.split_at_checked(MAGIC.len())?;
    let (length, rest) = rest.split_at_checked(8)?;
    let header_length = usize::try_from(u64::from_le_bytes(length.try_into().ok()?)).ok()?;
    let header: Header = serde_json::from_slice(rest.get(..header_length)?).ok()?;
    if magic != MAGIC || header.layout != LAYOUT || header.source_sha256 != source_sha256 {
        return None;
    }
    let data_start = aligned(MAGIC.len() + 8 + header_length);
    let range = |section: Section| {
        let start = data_start.checked_add(section.start)?;
        Some(start..start.checked_add(section.length)?)
    };
    let words = |section: Section| -> Option<Vec<[u8; 4]>> {
        let values = bytes.get(range(section)?)?.chunks_exact(4);
        values.remainder().is_empty().then_some(())?;
        values.map(|word| word.try_into().ok()).collect()
    };
    header
        .matrices
        .into_iter()
        .map(|entry| {
            let packed = MappedBytes::new(file.clone(), range(entry.packed)?)?;
            let scales = words(entry.scales)?.into_iter().map(f32::from_le_bytes);
            let offsets = words(entry.offsets)?.into_iter().map(i32::from_le_bytes);
            let matrix = Int8Matrix::from_parts(
                entry.outputs,
                entry.inputs,
                packed,
                scales.collect(),
                offsets.collect(),
            )?;
            Some((entry.name, Arc::new(matrix)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::int8::{Epilogue, available};

    fn matrix(outputs: usize, inputs: usize, seed: u64) -> Int8Matrix {
        let mut rng = fastrand::Rng::with_seed(seed);
        let weights: Vec<f32> = (0..outputs * inputs).map(|_| rng.f32() - 0.5).collect();
        Int8Matrix::quantize(&weights, outputs, inputs)
    }

    fn same(a: &Int8Matrix, b: &Int8Matrix) -> bool {
        let (a, b) = (a.parts(), b.parts());
        (a.outputs, a.inputs, a.packed, a.scales, a.offsets)
            == (b.outputs, b.inputs, b.packed, b.scales, b.offsets)
    }

    #[test]
    fn matrices_read_back_as_written_and_multiply_alike() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q8_0.int8");
        let (first, second) = (matrix(70, 36, 1), matrix(16, 130, 2));
        write(&path, "abc", &[("first", &first), ("second", &second)]).unwrap();
        let read = read(&path, "abc").expect("the cache reads back");
        assert_eq!(read.len(), 2);
        assert!(same(&read["first"], &first));
        assert!(same(&read["second"], &second));
        if available() {
            let x: Vec<f32> = (0..3 * 36).map(|i| (i as f32 * 0.37).sin()).collect();
            assert_eq!(
                read["first"].matmul(&x, 3, &Epilogue::default()),
                first.matmul(&x, 3, &Epilogue::default())
            );
        }
    }

    #[test]
    fn a_cache_of_other_weights_or_a_damaged_one_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("q8_0.int8");
        assert!(read(&path, "abc").is_none(), "no file");
        write(&path, "abc", &[("only", &matrix(20, 8, 3))]).unwrap();
        assert!(read(&path, "abd").is_none(), "made from other weights");

        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert!(read(&path, "abc").is_none(), "cut short");

        let mut other_magic = bytes.clone();
        other_magic[0] = b'X';
        std::fs::write(&path, &other_magic).unwrap();
        assert!(read(&path, "abc").is_none(), "not this format");

        let field = b"\"outputs\":20";
        let at = bytes
            .windows(field.len())
            .position(|window| window == field)
            .unwrap();
        let mut inflated = bytes.clone();
        inflated[at + field.len() - 2] = b'9';
        std::fs::write(&path, &inflated).unwrap();
        assert!(
            read(&path, "abc").is_none(),
            "a matrix the sections do not fit"
        );

        // A shape so large its size overflows: refused, not a panic.
        let field = b"\"inputs\":8,";
        let at = bytes
            .windows(field.len())
            .position(|window| window == field)
            .unwrap();
        let mut huge = bytes[..at].to_vec();
        huge.extend_from_slice(b"\"inputs\":18446744073709551612,");
        huge.extend_from_slice(&bytes[at + field.len()..]);
        let header_length = u64::from_le_bytes(huge[8..16].try_into().unwrap());
        huge[8..16].copy_from_slice(&(header_length + 19).to_le_bytes());
        std::fs::write(&path, &huge).unwrap();
        assert!(read(&path, "abc").is_none(), "a shape whose size overflows");

        std::fs::write(&path, &bytes).unwrap();
        assert!(read(&path, "abc").is_some(), "the intact file");
    }
}
