//! Model files on this computer. Tradewind keeps each model in `<data>/models/<id>/`;
//! it also uses a model already in a catalog `local_dir` or in the Hugging Face cache
//! (`HF_HUB_CACHE`, `HF_HOME/hub`, `~/.cache/huggingface/hub`), after verifying it.
//!
//! Verification checks each file's size and sha256 against the catalog. Where the
//! catalog has no checksum, the first verified copy's checksum is recorded and every
//! later copy is held to it. An unchanged file (same size and modification time) is
//! not hashed again.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rusqlite::OptionalExtension;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::MlError;
use super::archive::{self, ArchiveKind};
use super::catalog::{Catalog, ModelEntry, ModelFile};
use crate::files::FileError;
use crate::store::Store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum Presence {
    NotPresent,
    /// Every file is there with the expected size (checksums not read).
    Present {
        location: PathBuf,
    },
    /// A file is there with the wrong size.
    Damaged {
        detail: String,
    },
}

/// How a verified file's checksum was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Trust {
    /// Matches the catalog's checksum.
    Catalog,
    /// Matches the checksum recorded when the file was first used.
    Recorded,
    /// No checksum was known: this one is now recorded.
    RecordedNow,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VerifiedFile {
    pub name: String,
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
    pub trust: Trust,
    /// What the file is to its loader, where the name does not say (the catalog's `role`).
    pub role: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ModelStore {
    root: PathBuf,
    hf_cache: Option<PathBuf>,
    db: Store,
}

impl ModelStore {
    pub fn new(root: PathBuf, db: Store) -> ModelStore {
        ModelStore {
            root,
            hf_cache: hugging_face_cache(),
            db,
        }
    }

    /// Where Tradewind keeps its own copies.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where files made from model `id`'s own (a quantized copy) are kept: removed
    /// with the model.
    pub fn derived_dir(&self, id: &str) -> PathBuf {
        self.root.join(id).join("derived")
    }

    pub fn with_hf_cache(mut self, hf_cache: Option<PathBuf>) -> ModelStore {
        self.hf_cache = hf_cache;
        self
    }

    fn own_dir(&self, model: &ModelEntry) -> PathBuf {
        self.root.join(&model.id)
    }

    /// The folders that may hold the model, in the order they are tried.
    fn candidates(&self, catalog: &Catalog, model: &ModelEntry, file: &ModelFile) -> Vec<PathBuf> {
        let mut places = vec![self.own_dir(model).join(&file.name)];
        if let Some(dir) = catalog.local_dir(model) {
            places.push(dir.join(&file.name));
        }
        if let Some(cache) = &self.hf_cache {
            let repo = file.repo.as_deref().unwrap_or(&model.repo);
            let revision = file.revision.as_deref().unwrap_or(&model.revision);
            if let Some(path) = hub_cache_path(cache, repo, revision, &file.name) {
                places.push(path);
            }
        }
        places
    }

    fn locate_file(
        &self,
        catalog: &Catalog,
        model: &ModelEntry,
        file: &ModelFile,
    ) -> Option<PathBuf> {
        self.candidates(catalog, model, file)
            .into_iter()
            .find(|path| path.is_file())
    }

    /// A quick look, reading no file: are all files there, with the right sizes?
    pub fn presence(&self, catalog: &Catalog, model: &ModelEntry) -> Presence {
        let mut location = None;
        for file in &model.files {
            let Some(path) = self.locate_file(catalog, model, file) else {
                return Presence::NotPresent;
            };
            let size = std::fs::metadata(&path).map(|meta| meta.len()).unwrap_or(0);
            if let Some(expected) = file.size
                && size != expected
            {
                return Presence::Damaged {
                    detail: format!("{} has {size} bytes instead of {expected}", path.display()),
                };
            }
            location
                .get_or_insert_with(|| path.parent().map(Path::to_path_buf).unwrap_or_default());
        }
        Presence::Present {
            location: location.unwrap_or_default(),
        }
    }

    /// Finds every file and checks its size and checksum; the paths to load from.
    pub fn verify(
        &self,
        catalog: &Catalog,
        model: &ModelEntry,
    ) -> Result<Vec<VerifiedFile>, MlError> {
        model
            .files
            .iter()
            .map(|file| {
                let path =
                    self.locate_file(catalog, model, file)
                        .ok_or_else(|| MlError::NotPresent {
                            id: model.id.clone(),
                        })?;
                self.verify_file(model, file, &path)
            })
            .collect()
    }

    pub(super) fn verify_file(
        &self,
        model: &ModelEntry,
        file: &ModelFile,
        path: &Path,
    ) -> Result<VerifiedFile, MlError> {
        let meta = std::fs::metadata(path).map_err(|error| FileError::io(path, error))?;
        let size = meta.len();
        if let Some(expected) = file.size
            && size != expected
        {
            return Err(MlError::Damaged {
                path: path.to_path_buf(),
                detail: format!("it has {size} bytes instead of {expected} (an interrupted copy?)"),
            });
        }
        let modified_ns = meta
            .modified()
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map(|since| since.as_nanos() as i64)
            .unwrap_or(0);
        let recorded = self.recorded(&model.id, &file.name)?;
        let sha256 = match &recorded {
            Some(record) if record.size == size && record.modified_ns == modified_ns => {
                record.sha256.clone()
            }
            _ => sha256_of(path)?,
        };
        let trust = match (&file.sha256, &recorded) {
            (Some(expected), _) if *expected == sha256 => Trust::Catalog,
            (Some(expected), _) => {
                return Err(MlError::Damaged {
                    path: path.to_path_buf(),
                    detail: format!("its sha256 is {sha256}, the catalog says {expected}"),
                });
            }
            (None, Some(record)) if record.sha256 == sha256 => Trust::Recorded,
            (None, Some(record)) => {
                return Err(MlError::Damaged {
                    path: path.to_path_buf(),
                    detail: format!(
                        "its sha256 is {sha256}, but {} was recorded when it was first used",
                        record.sha256
                    ),
                });
            }
            (None, None) => Trust::RecordedNow,
        };
        self.record(&model.id, &file.name, &sha256, size, modified_ns)?;
        Ok(VerifiedFile {
            name: file.name.clone(),
            path: path.to_path_buf(),
            size,
            sha256,
            trust,
            role: file.role.clone(),
        })
    }

    /// Copies the model's files from `folder` into Tradewind's models folder, checking
    /// each against the catalog before it takes the place of anything; a bad file
    /// leaves nothing behind. `progress(bytes done, bytes in all)` returns false to stop;
    /// files already imported and sound are not copied again.
    pub fn import(
        &self,
        model: &ModelEntry,
        folder: &Path,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Vec<VerifiedFile>, MlError> {
        if let Some(kind) = ArchiveKind::of(folder) {
            return self.import_archive(model, folder, kind, progress);
        }
        crate::files::require_folder(folder)?;
        let sources: Vec<(&ModelFile, PathBuf)> = model
            .files
            .iter()
            .map(|file| {
                find_in(folder, &file.name)
                    .map(|path| (file, path))
                    .ok_or_else(|| MlError::MissingFile {
                        id: model.id.clone(),
                        folder: folder.to_path_buf(),
                        file: file.name.clone(),
                    })
            })
            .collect::<Result<_, _>>()?;
        let destination = self.own_dir(model);
        std::fs::create_dir_all(&destination).map_err(|source| FileError::Write {
            path: destination.clone(),
            source,
        })?;
        let total: u64 = sources
            .iter()
            .map(|(_, source)| {
                std::fs::metadata(source)
                    .map(|meta| meta.len())
                    .unwrap_or(0)
            })
            .sum();
        let mut done = 0u64;
        let mut verified = Vec::new();
        for (file, source) in sources {
            let target = destination.join(&file.name);
            if target.is_file()
                && let Ok(already) = self.verify_file(model, file, &target)
            {
                done += already.size;
                verified.push(already);
                continue;
            }
            let mut on_chunk = |copied: u64| progress(done + copied, total);
            let mut input = File::open(&source).map_err(|error| FileError::io(&source, error))?;
            let placed =
                self.place_checked(model, file, &mut input, &source, &target, &mut on_chunk)?;
            done += placed.size;
            verified.push(placed);
        }
        Ok(verified)
    }

    /// Copies `input` to `target` if it is the file the catalog names.
    fn place_checked(
        &self,
        model: &ModelEntry,
        file: &ModelFile,
        input: &mut dyn Read,
        source: &Path,
        target: &Path,
        on_chunk: &mut dyn FnMut(u64) -> bool,
    ) -> Result<VerifiedFile, MlError> {
        copy_hashing(
            input,
            source,
            target,
            on_chunk,
            |temporary, sha256, size| {
                self.check_against_catalog(model, file, source, sha256, size)?;
                temporary.persist(target).map_err(|error| {
                    MlError::from(FileError::Write {
                        path: target.to_path_buf(),
                        source: error.error,
                    })
                })?;
                Ok(())
            },
        )?;
        self.verify_file(model, file, target)
    }

    /// Imports from an archive, streaming each file out of it through the same checks.
    fn import_archive(
        &self,
        model: &ModelEntry,
        archive: &Path,
        kind: ArchiveKind,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Vec<VerifiedFile>, MlError> {
        let wanted: Vec<&str> = model.files.iter().map(|file| file.name.as_str()).collect();
        let sizes = archive::sizes(archive, kind, &wanted)?;
        if let Some(missing) = model
            .files
            .iter()
            .find(|file| !sizes.iter().any(|(name, _)| *name == file.name))
        {
            return Err(MlError::MissingFile {
                id: model.id.clone(),
                folder: archive.to_path_buf(),
                file: missing.name.clone(),
            });
        }
        let total: u64 = sizes.iter().map(|(_, size)| size).sum();
        let destination = self.own_dir(model);
        std::fs::create_dir_all(&destination).map_err(|source| FileError::Write {
            path: destination.clone(),
            source,
        })?;
        let mut done = 0u64;
        let mut verified = Vec::new();
        archive::each_wanted(archive, kind, &wanted, &mut |name, input, _| {
            let Some(file) = model.files.iter().find(|file| file.name == name) else {
                return Ok(());
            };
            let target = destination.join(name);
            if target.is_file()
                && let Ok(already) = self.verify_file(model, file, &target)
            {
                done += already.size;
                verified.push(already);
                return Ok(());
            }
            let source = archive.join(name);
            let mut on_chunk = |copied: u64| progress(done + copied, total);
            let placed = self.place_checked(model, file, input, &source, &target, &mut on_chunk)?;
            done += placed.size;
            verified.push(placed);
            Ok(())
        })?;
        // In the catalog's order, as a folder import returns them.
        verified.sort_by_key(|placed| wanted.iter().position(|name| *name == placed.name));
        Ok(verified)
    }

    pub(super) fn check_against_catalog(
        &self,
        model: &ModelEntry,
        file: &ModelFile,
        source: &Path,
        sha256: &str,
        size: u64,
    ) -> Result<(), MlError> {
        if let Some(expected) = file.size
            && size != expected
        {
            return Err(MlError::Damaged {
                path: source.to_path_buf(),
                detail: format!("it has {size} bytes instead of {expected}"),
            });
        }
        let expected = match &file.sha256 {
            Some(expected) => Some(expected.clone()),
            None => self
                .recorded(&model.id, &file.name)?
                .map(|record| record.sha256),
        };
        match expected {
            Some(expected) if expected != sha256 => Err(MlError::Damaged {
                path: source.to_path_buf(),
                detail: format!("its sha256 is {sha256}, expected {expected}"),
            }),
            _ => Ok(()),
        }
    }

    /// Deletes Tradewind's own copy (never a Hugging Face cache or a seller's folder).
    /// Returns the bytes freed.
    pub fn remove(&self, model: &ModelEntry) -> Result<u64, MlError> {
        let dir = self.own_dir(model);
        let freed = disk_use(&dir);
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .map_err(|source| FileError::Write { path: dir, source })?;
        }
        Ok(freed)
    }

    /// Bytes used by Tradewind's own copy of the model.
    pub fn disk_use(&self, model: &ModelEntry) -> u64 {
        disk_use(&self.own_dir(model))
    }

    fn recorded(&self, model_id: &str, file: &str) -> Result<Option<Record>, MlError> {
        let conn = self.db.connect()?;
        conn.query_row(
            "SELECT sha256, size, modified_ns FROM model_files WHERE model_id = ?1 AND file = ?2",
            [model_id, file],
            |row| {
                Ok(Record {
                    sha256: row.get(0)?,
                    size: row.get(1)?,
                    modified_ns: row.get(2)?,
                })
            },
        )
        .optional()
        .map_err(|error| self.db.error(error).into())
    }

    fn record(
        &self,
        model_id: &str,
        file: &str,
        sha256: &str,
        size: u64,
        modified_ns: i64,
    ) -> Result<(), MlError> {
        let conn = self.db.connect()?;
        conn.execute(
            "INSERT INTO model_files (model_id, file, sha256, size, modified_ns, verified_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (model_id, file) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size,
                 modified_ns = excluded.modified_ns, verified_at = excluded.verified_at",
            rusqlite::params![model_id, file, sha256, size, modified_ns, chrono::Utc::now().to_rfc3339()],
        )
        .map(|_| ())
        .map_err(|error| self.db.error(error).into())
    }
}

struct Record {
    sha256: String,
    size: u64,
    modified_ns: i64,
}

/// `HF_HUB_CACHE`, else `HF_HOME/hub`, else `~/.cache/huggingface/hub`, if it exists.
fn hugging_face_cache() -> Option<PathBuf> {
    let from_env = std::env::var_os("HF_HUB_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HF_HOME").map(|home| PathBuf::from(home).join("hub")));
    let path = from_env.or_else(|| {
        directories::BaseDirs::new().map(|dirs| dirs.home_dir().join(".cache/huggingface/hub"))
    })?;
    path.is_dir().then_some(path)
}

/// The Hugging Face cache layout: `models--org--name/snapshots/<commit>/<file>`, the
/// commit read from `refs/<revision>` unless the revision is a commit itself.
fn hub_cache_path(cache: &Path, repo: &str, revision: &str, file: &str) -> Option<PathBuf> {
    let repo_dir = cache.join(format!("models--{}", repo.replace('/', "--")));
    let is_commit = revision.len() == 40 && revision.bytes().all(|byte| byte.is_ascii_hexdigit());
    let commit = if is_commit {
        revision.to_string()
    } else {
        std::fs::read_to_string(repo_dir.join("refs").join(revision))
            .ok()?
            .trim()
            .to_string()
    };
    Some(repo_dir.join("snapshots").join(commit).join(file))
}

/// `folder/name`, or `name` one or two levels down (a wheel or archive unpacked as is).
fn find_in(folder: &Path, name: &str) -> Option<PathBuf> {
    let direct = folder.join(name);
    if direct.is_file() {
        return Some(direct);
    }
    let mut level = vec![folder.to_path_buf()];
    for _ in 0..2 {
        let mut next = Vec::new();
        for dir in &level {
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut subdirs: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.is_dir())
                .collect();
            subdirs.sort();
            for subdir in subdirs {
                if subdir.join(name).is_file() {
                    return Some(subdir.join(name));
                }
                next.push(subdir);
            }
        }
        level = next;
    }
    None
}

/// How often, in bytes, a copy reports its progress.
const PROGRESS_EVERY: u64 = 8 << 20;

pub fn sha256_of(path: &Path) -> Result<String, MlError> {
    let mut file = File::open(path).map_err(|error| FileError::io(path, error))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(|error| FileError::io(path, error))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hex(&hasher.finalize()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Copies `source` into a temporary file beside `target`, hashing as it goes, and hands
/// the temporary file to `place` with its checksum and size; dropped unplaced, it
/// vanishes. `on_chunk(bytes copied)` returning false stops the copy.
/// Streams `input` (read from `source`, named in errors) into a temporary file beside
/// `target` while hashing it; `place` decides, from the checksum and size, whether
/// it takes `target`'s place.
fn copy_hashing(
    input: &mut dyn Read,
    source: &Path,
    target: &Path,
    on_chunk: &mut dyn FnMut(u64) -> bool,
    place: impl FnOnce(tempfile::NamedTempFile, &str, u64) -> Result<(), MlError>,
) -> Result<(), MlError> {
    let folder = target.parent().unwrap_or(Path::new("."));
    let write_error = |source| FileError::Write {
        path: target.to_path_buf(),
        source,
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".tradewind-")
        .suffix(".partial")
        .tempfile_in(folder)
        .map_err(write_error)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let read = input
            .read(&mut buffer)
            .map_err(|error| FileError::io(source, error))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        temporary.write_all(&buffer[..read]).map_err(write_error)?;
        size += read as u64;
        if size % PROGRESS_EVERY < read as u64 && !on_chunk(size) {
            return Err(MlError::Stopped);
        }
    }
    temporary.as_file().sync_all().map_err(write_error)?;
    place(temporary, &hex(&hasher.finalize()), size)
}

fn disk_use(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|entry| entry.metadata().ok())
                .filter(|meta| meta.is_file())
                .map(|meta| meta.len())
                .sum()
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{BERT_ID, write_fixtures};
    use crate::store::{DATABASE_FILE, StoreOptions};

    struct Fixture {
        dir: tempfile::TempDir,
        catalog: Catalog,
        store: ModelStore,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let catalog = write_fixtures(&dir.path().join("fixtures"), 7).unwrap();
        let db = Store::open(&dir.path().join(DATABASE_FILE), StoreOptions::default()).unwrap();
        let store = ModelStore::new(dir.path().join("models"), db).with_hf_cache(None);
        Fixture {
            dir,
            catalog,
            store,
        }
    }

    impl Fixture {
        /// A file of the fixture BERT, where the fixture catalog's `local_dir` points.
        fn model_file(&self, name: &str) -> PathBuf {
            self.dir.path().join("fixtures").join(BERT_ID).join(name)
        }

        fn copy_model_to(&self, folder: &Path) {
            std::fs::create_dir_all(folder).unwrap();
            for name in ["config.json", "tokenizer.json", "model.safetensors"] {
                std::fs::copy(self.model_file(name), folder.join(name)).unwrap();
            }
        }

        fn verify_error(&self, model: &ModelEntry) -> String {
            self.store
                .verify(&self.catalog, model)
                .unwrap_err()
                .to_string()
        }
    }

    fn flip_a_byte(path: &Path) {
        let mut bytes = std::fs::read(path).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x01;
        std::fs::write(path, bytes).unwrap();
    }

    #[test]
    fn fixture_models_verify_against_their_catalog() {
        let fixture = fixture();
        let model = fixture.catalog.get(BERT_ID).unwrap();
        assert!(matches!(
            fixture.store.presence(&fixture.catalog, model),
            Presence::Present { .. }
        ));
        let files = fixture.store.verify(&fixture.catalog, model).unwrap();
        assert_eq!(files.len(), 3);
        assert!(files.iter().all(|file| file.trust == Trust::Catalog));
    }

    #[test]
    fn a_flipped_byte_fails_verification_naming_the_file() {
        let fixture = fixture();
        let model = fixture.catalog.get(BERT_ID).unwrap();
        let weights = fixture.model_file("model.safetensors");
        flip_a_byte(&weights);
        let message = fixture.verify_error(model);
        assert!(
            message.contains("model.safetensors") && message.contains("the catalog says"),
            "{message}"
        );
    }

    #[test]
    fn a_truncated_file_is_reported_by_its_size_without_reading_it() {
        let fixture = fixture();
        let model = fixture.catalog.get(BERT_ID).unwrap();
        let weights = fixture.model_file("model.safetensors");
        let bytes = std::fs::read(&weights).unwrap();
        std::fs::write(&weights, &bytes[..bytes.len() - 100]).unwrap();
        assert!(matches!(
            fixture.store.presence(&fixture.catalog, model),
            Presence::Damaged { .. }
        ));
        let message = fixture.verify_error(model);
        assert!(
            message.contains("bytes instead of") && message.contains("interrupted"),
            "{message}"
        );
    }

    #[test]
    fn import_copies_a_verified_model_and_a_bad_one_leaves_nothing_behind() {
        let fixture = fixture();
        let mut model = fixture.catalog.get(BERT_ID).unwrap().clone();
        model.local_dir = None;
        let source = fixture.dir.path().join("fixtures").join(BERT_ID);

        let bad = fixture.dir.path().join("usb-stick/nested");
        fixture.copy_model_to(&bad);
        flip_a_byte(&bad.join("model.safetensors"));
        let error = fixture
            .store
            .import(
                &model,
                &fixture.dir.path().join("usb-stick"),
                &mut |_, _| true,
            )
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("usb-stick/nested/model.safetensors"),
            "{error}"
        );
        let own = fixture.store.root().join(BERT_ID);
        let leftovers: Vec<_> = std::fs::read_dir(&own)
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert!(
            !leftovers
                .iter()
                .any(|name| name == "model.safetensors"
                    || name.to_string_lossy().ends_with(".partial")),
            "{leftovers:?}"
        );

        let files = fixture
            .store
            .import(&model, &source, &mut |_, _| true)
            .unwrap();
        assert!(files.iter().all(|file| file.path.starts_with(&own)));
        assert_eq!(
            fixture.store.disk_use(&model),
            files.iter().map(|file| file.size).sum::<u64>()
        );
        assert!(fixture.store.remove(&model).unwrap() > 0);
        assert_eq!(
            fixture.store.presence(&fixture.catalog, &model),
            Presence::NotPresent
        );
    }

    /// The fixture BERT packed as a seller might have it: in a folder inside the archive.
    fn pack(fixture: &Fixture, archive: &Path, damaged: bool) {
        let entry = |name: &str| {
            let mut bytes = std::fs::read(fixture.model_file(name)).unwrap();
            if damaged && name == "model.safetensors" {
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x01;
            }
            bytes
        };
        let names = ["config.json", "tokenizer.json", "model.safetensors"];
        let file = std::fs::File::create(archive).unwrap();
        if archive
            .extension()
            .is_some_and(|extension| extension == "zip")
        {
            let mut zip = zip::ZipWriter::new(file);
            for name in names {
                zip.start_file(
                    format!("all-minilm/{name}"),
                    zip::write::SimpleFileOptions::default(),
                )
                .unwrap();
                zip.write_all(&entry(name)).unwrap();
            }
            zip.finish().unwrap();
        } else {
            let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
            let mut tar = tar::Builder::new(gz);
            for name in names {
                let bytes = entry(name);
                let mut header = tar::Header::new_gnu();
                header.set_size(bytes.len() as u64);
                header.set_mode(0o644);
                header.set_cksum();
                tar.append_data(&mut header, format!("model/{name}"), bytes.as_slice())
                    .unwrap();
            }
            tar.into_inner().unwrap().finish().unwrap();
        }
    }

    #[test]
    fn a_zip_or_tar_gz_imports_without_unpacking_and_a_damaged_one_places_nothing() {
        for archive_name in ["model.zip", "model.tar.gz"] {
            let fixture = fixture();
            let mut model = fixture.catalog.get(BERT_ID).unwrap().clone();
            model.local_dir = None;
            let own = fixture.store.root().join(BERT_ID);

            let damaged = fixture.dir.path().join(format!("damaged-{archive_name}"));
            pack(&fixture, &damaged, true);
            let error = fixture
                .store
                .import(&model, &damaged, &mut |_, _| true)
                .unwrap_err();
            assert!(
                error
                    .to_string()
                    .contains("model.safetensors: its sha256 is"),
                "{error}"
            );
            assert!(!own.join("model.safetensors").exists(), "{archive_name}");
            let leftovers = std::fs::read_dir(&own).unwrap().filter_map(Result::ok);
            assert!(
                leftovers
                    .into_iter()
                    .all(|entry| !entry.file_name().to_string_lossy().ends_with(".partial")),
                "{archive_name}"
            );

            let archive = fixture.dir.path().join(archive_name);
            pack(&fixture, &archive, false);
            let files = fixture
                .store
                .import(&model, &archive, &mut |done, total| done <= total)
                .unwrap();
            let names: Vec<&str> = files.iter().map(|file| file.name.as_str()).collect();
            assert_eq!(
                names,
                ["config.json", "tokenizer.json", "model.safetensors"]
            );
            assert!(
                files
                    .iter()
                    .all(|file| file.path.starts_with(&own) && file.trust == Trust::Catalog)
            );

            // An archive without one of the files says which.
            let mut extra = model.clone();
            extra.files.push(ModelFile {
                name: "vocab.txt".into(),
                size: None,
                sha256: None,
                repo: None,
                revision: None,
                role: None,
            });
            let error = fixture
                .store
                .import(&extra, &archive, &mut |_, _| true)
                .unwrap_err();
            assert!(
                error.to_string().contains("no file named 'vocab.txt'"),
                "{error}"
            );
        }
        let fixture = fixture();
        let not_an_archive = fixture.dir.path().join("model.zip");
        std::fs::write(&not_an_archive, "hello").unwrap();
        let model = fixture.catalog.get(BERT_ID).unwrap();
        let error = fixture
            .store
            .import(model, &not_an_archive, &mut |_, _| true)
            .unwrap_err();
        assert!(
            error
                .to_string()
                .contains("model.zip: not a readable archive"),
            "{error}"
        );
    }

    #[test]
    fn without_a_published_checksum_the_first_one_is_recorded_and_then_enforced() {
        let fixture = fixture();
        let mut model = fixture.catalog.get(BERT_ID).unwrap().clone();
        for file in &mut model.files {
            file.sha256 = None;
            file.size = None;
        }
        let trusts = |store: &ModelStore| -> Vec<Trust> {
            store
                .verify(&fixture.catalog, &model)
                .unwrap()
                .iter()
                .map(|file| file.trust)
                .collect()
        };
        assert_eq!(trusts(&fixture.store), [Trust::RecordedNow; 3]);
        assert_eq!(trusts(&fixture.store), [Trust::Recorded; 3]);
        flip_a_byte(&fixture.model_file("config.json"));
        let message = fixture.verify_error(&model);
        assert!(
            message.contains("was recorded when it was first used"),
            "{message}"
        );
    }

    #[test]
    fn a_model_in_the_hugging_face_cache_is_found_through_its_ref() {
        let fixture = fixture();
        let mut model = fixture.catalog.get(BERT_ID).unwrap().clone();
        model.local_dir = None;
        let cache = fixture.dir.path().join("hf/hub");
        let repo_dir = cache.join("models--tradewind--fixture-bert");
        let commit = "0123456789abcdef0123456789abcdef01234567";
        std::fs::create_dir_all(repo_dir.join("refs")).unwrap();
        std::fs::write(repo_dir.join("refs/fixture"), commit).unwrap();
        let snapshot = repo_dir.join("snapshots").join(commit);
        fixture.copy_model_to(&snapshot);
        let store = fixture.store.clone().with_hf_cache(Some(cache));
        assert_eq!(
            store.presence(&fixture.catalog, &model),
            Presence::Present {
                location: snapshot.clone()
            }
        );
        assert!(
            store
                .verify(&fixture.catalog, &model)
                .unwrap()
                .iter()
                .all(|file| file.path.starts_with(&snapshot))
        );
    }
}
