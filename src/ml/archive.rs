//! Reading model files straight out of a `.zip`, `.tar`, `.tar.gz` or `.tgz` a seller
//! copied over, so an import needs no unpacking and no second copy on disk.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use super::MlError;
use crate::files::FileError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    Zip,
    Tar,
    TarGz,
}

impl ArchiveKind {
    /// The kind a file's name says, for a file (not a folder).
    pub fn of(path: &Path) -> Option<ArchiveKind> {
        if !path.is_file() {
            return None;
        }
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".zip") {
            Some(ArchiveKind::Zip)
        } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
            Some(ArchiveKind::TarGz)
        } else if name.ends_with(".tar") {
            Some(ArchiveKind::Tar)
        } else {
            None
        }
    }
}

/// The base name of an entry at most three levels deep (`name`, `dir/name`,
/// `dir/dir/name`), as a folder import finds files.
fn wanted_name<'a>(entry: &'a str, wanted: &[&str]) -> Option<&'a str> {
    let parts: Vec<&str> = entry.trim_end_matches('/').split('/').collect();
    let name = *parts.last()?;
    (parts.len() <= 3 && wanted.contains(&name)).then_some(name)
}

fn unreadable(path: &Path, error: impl ToString) -> MlError {
    MlError::Input(FileError::Unreadable {
        path: path.to_path_buf(),
        detail: format!("not a readable archive ({})", error.to_string()),
    })
}

/// The sizes of the `wanted` files the archive holds, by name.
pub fn sizes(
    path: &Path,
    kind: ArchiveKind,
    wanted: &[&str],
) -> Result<Vec<(String, u64)>, MlError> {
    let mut found = Vec::new();
    each_wanted(path, kind, wanted, &mut |name, _, size| {
        found.push((name.to_string(), size));
        Ok(())
    })?;
    Ok(found)
}

/// What an archive walk does with each wanted entry: `(name, contents, size)`.
pub type TakeEntry<'a> = dyn FnMut(&str, &mut dyn Read, u64) -> Result<(), MlError> + 'a;

/// Calls `take(name, contents, size)` for each entry whose base name is `wanted`
/// (the first one met, if several).
pub fn each_wanted(
    path: &Path,
    kind: ArchiveKind,
    wanted: &[&str],
    take: &mut TakeEntry,
) -> Result<(), MlError> {
    let file = File::open(path).map_err(|error| FileError::io(path, error))?;
    let mut seen: Vec<String> = Vec::new();
    let mut offer = |entry_name: &str, contents: &mut dyn Read, size: u64| match wanted_name(
        entry_name, wanted,
    ) {
        Some(name) if !seen.iter().any(|done| done == name) => {
            seen.push(name.to_string());
            take(name, contents, size)
        }
        _ => Ok(()),
    };
    match kind {
        ArchiveKind::Zip => {
            let mut archive = zip::ZipArchive::new(BufReader::new(file))
                .map_err(|error| unreadable(path, error))?;
            for index in 0..archive.len() {
                let mut entry = archive
                    .by_index(index)
                    .map_err(|error| unreadable(path, error))?;
                if !entry.is_file() {
                    continue;
                }
                let entry_name = entry
                    .name()
                    .map_err(|error| unreadable(path, error))?
                    .into_owned();
                let size = entry.size();
                offer(&entry_name, &mut entry, size)?;
            }
        }
        ArchiveKind::Tar | ArchiveKind::TarGz => {
            let reader: Box<dyn Read> = match kind {
                ArchiveKind::TarGz => Box::new(flate2::read::GzDecoder::new(BufReader::new(file))),
                _ => Box::new(BufReader::new(file)),
            };
            let mut archive = tar::Archive::new(reader);
            for entry in archive.entries().map_err(|error| unreadable(path, error))? {
                let mut entry = entry.map_err(|error| unreadable(path, error))?;
                if !entry.header().entry_type().is_file() {
                    continue;
                }
                let entry_name = entry
                    .path()
                    .map_err(|error| unreadable(path, error))?
                    .to_string_lossy()
                    .into_owned();
                let size = entry.size();
                offer(&entry_name, &mut entry, size)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_found_up_to_three_levels_deep_by_base_name() {
        let wanted = ["config.json", "model.safetensors"];
        assert_eq!(wanted_name("config.json", &wanted), Some("config.json"));
        assert_eq!(
            wanted_name("minilm/model/config.json", &wanted),
            Some("config.json")
        );
        assert_eq!(wanted_name("a/b/c/config.json", &wanted), None);
        assert_eq!(wanted_name("notes.txt", &wanted), None);
    }
}
