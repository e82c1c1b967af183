//! Files mapped into memory read-only, so that weights are used where they lie in
//! the page cache instead of being copied into the process: a model loads in the time
//! it takes to map its file, and two processes (or a load after a load) share the
//! pages.
//!
//! The second module of the crate with `unsafe` (after `ml::int8`): mapping a file,
//! under the SAFETY comment below.
#![allow(unsafe_code)]

use std::fs::File;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// A whole file, mapped read-only.
pub struct MappedFile {
    map: memmap2::Mmap,
}

impl MappedFile {
    /// Maps `path`, its pages read in now (the first product would otherwise fault
    /// them in one by one).
    pub fn open(path: &Path) -> std::io::Result<Arc<MappedFile>> {
        let file = File::open(path)?;
        // SAFETY: a mapping is sound while no one truncates or writes the file under
        // it. The files mapped here are Tradewind's derived caches, which Tradewind
        // never writes in place: a new cache is written to a temporary file and
        // renamed over the old one, so a mapping keeps the old file's pages. (Another
        // program writing into the seller's model folder is outside what a process
        // can guard against; candle maps safetensors under the same terms.)
        let map = unsafe { memmap2::MmapOptions::new().populate().map(&file)? };
        Ok(Arc::new(MappedFile { map }))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.map
    }
}

/// A range of a mapped file, which keeps the mapping alive.
#[derive(Clone)]
pub struct MappedBytes {
    file: Arc<MappedFile>,
    range: Range<usize>,
}

impl MappedBytes {
    /// `range` of `file`; None when it is not inside the file.
    pub fn new(file: Arc<MappedFile>, range: Range<usize>) -> Option<MappedBytes> {
        file.bytes().get(range.clone())?;
        Some(MappedBytes { file, range })
    }

    pub fn bytes(&self) -> &[u8] {
        &self.file.bytes()[self.range.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_reads_the_files_bytes_and_one_past_the_end_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bytes");
        std::fs::write(&path, b"0123456789").unwrap();
        let file = MappedFile::open(&path).unwrap();
        assert_eq!(file.bytes(), b"0123456789");
        let middle = MappedBytes::new(file.clone(), 2..5).unwrap();
        assert_eq!(middle.bytes(), b"234");
        assert!(MappedBytes::new(file, 8..11).is_none());
    }

    #[test]
    fn a_file_replaced_by_rename_leaves_the_mapping_with_the_old_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache");
        std::fs::write(&path, b"old bytes").unwrap();
        let file = MappedFile::open(&path).unwrap();
        let replacement = dir.path().join("cache.partial");
        std::fs::write(&replacement, b"new").unwrap();
        std::fs::rename(&replacement, &path).unwrap();
        assert_eq!(file.bytes(), b"old bytes");
    }
}
