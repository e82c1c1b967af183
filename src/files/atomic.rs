//! Writing files so that a crash never leaves a half-written one behind: write a
//! temporary file beside the target, then rename it over the target.

use std::io::Write;
use std::path::Path;

use super::FileError;

pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    write_atomically_with(path, |file| file.write_all(bytes))
}

/// Streams into a temporary file beside `path` and renames it into place only when
/// `write` succeeded.
pub fn write_atomically_with<T>(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<&mut std::fs::File>) -> std::io::Result<T>,
) -> Result<T, FileError> {
    let failed = |source| FileError::Write {
        path: path.to_path_buf(),
        source,
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".tradewind-")
        .suffix(".tmp")
        .tempfile_in(folder)
        // Its message names the temporary file, which the seller never sees: the kind
        // ("read-only filesystem", "permission denied") is what they can act on.
        .map_err(|error| failed(std::io::Error::from(error.kind())))?;
    let value = {
        let mut writer = std::io::BufWriter::new(temporary.as_file_mut());
        let value = write(&mut writer).map_err(failed)?;
        writer.flush().map_err(failed)?;
        value
    };
    temporary.as_file().sync_all().map_err(failed)?;
    temporary
        .persist(path)
        .map_err(|error| failed(error.error))?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        write_atomically(&path, b"old").unwrap();
        let result = write_atomically_with(&path, |file| {
            file.write_all(b"half of the new")?;
            Err::<(), _>(std::io::Error::other("disk full"))
        });
        assert!(result.unwrap_err().to_string().contains("disk full"));
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
