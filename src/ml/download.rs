//! Getting a model from the Hugging Face Hub (or a mirror: `HF_ENDPOINT`) through
//! hf-hub, resumable: each file streams into `<id>/.<name>.partial`, kept across
//! interruptions, and a later attempt asks only for the bytes still missing (an HTTP
//! range request). A complete file is verified like an imported one before it is
//! renamed into place, so a half-written or wrong file is never used.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use futures_util::StreamExt;
use hf_hub::HFClient;

use super::MlError;
use super::catalog::{ModelEntry, ModelFile};
use super::store::{ModelStore, VerifiedFile, sha256_of};
use crate::files::FileError;

pub struct Downloader {
    client: HFClient,
    /// The Hub's address when not huggingface.co (`HF_ENDPOINT` is hf-hub's own).
    endpoint: Option<String>,
}

/// Whether a request failed because no connection could be made at all (no network, no
/// name resolution, refused), as opposed to the server answering with an error.
fn unreachable(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if let Some(io) = error.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::NetworkUnreachable
                    | std::io::ErrorKind::HostUnreachable
                    | std::io::ErrorKind::NotConnected
                    | std::io::ErrorKind::TimedOut
            )
        {
            return true;
        }
        // Name resolution fails as an untyped error whose words say so (hyper's).
        let words = error.to_string();
        if words.contains("dns error") || words.contains("failed to lookup address") {
            return true;
        }
        cause = error.source();
    }
    false
}

/// The host a download goes to, for the message that it cannot be reached.
fn host_of(endpoint: Option<&str>) -> String {
    let address = endpoint
        .map(str::to_string)
        .or_else(|| std::env::var("HF_ENDPOINT").ok())
        .unwrap_or_else(|| "https://huggingface.co".to_string());
    let host = address
        .split("://")
        .last()
        .unwrap_or(&address)
        .trim_end_matches('/');
    format!("The model hub ({host})")
}

impl Downloader {
    /// `endpoint` overrides the Hub's address (a mirror, or a test server); by default
    /// hf-hub reads `HF_ENDPOINT`, else uses huggingface.co.
    pub fn new(endpoint: Option<&str>) -> Result<Downloader, MlError> {
        let mut builder = HFClient::builder().retry_max_attempts(3);
        if let Some(endpoint) = endpoint {
            builder = builder.endpoint(endpoint);
        }
        let client = builder.build().map_err(|error| MlError::Download {
            url: endpoint.unwrap_or("the Hugging Face Hub").to_string(),
            detail: error.to_string(),
        })?;
        Ok(Downloader {
            client,
            endpoint: endpoint.map(str::to_string),
        })
    }
}

impl ModelStore {
    /// Downloads whatever files of `model` are missing. `progress(bytes done, bytes
    /// known in all)` returns false to stop; what arrived is kept for the next attempt.
    pub async fn download(
        &self,
        model: &ModelEntry,
        downloader: &Downloader,
        progress: &mut (dyn FnMut(u64, u64) -> bool + Send),
    ) -> Result<Vec<VerifiedFile>, MlError> {
        let folder = self.root().join(&model.id);
        std::fs::create_dir_all(&folder).map_err(|source| FileError::Write {
            path: folder.clone(),
            source,
        })?;
        let mut total: u64 = model.known_size();
        let mut done = 0u64;
        let mut verified = Vec::new();
        for file in &model.files {
            let target = folder.join(&file.name);
            if target.is_file()
                && let Ok(already) = self.verify_file(model, file, &target)
            {
                done += already.size;
                verified.push(already);
                continue;
            }
            let partial = folder.join(format!(".{}.partial", file.name));
            let size = self
                .fetch(
                    model,
                    file,
                    downloader,
                    &partial,
                    &mut |file_done, file_size| {
                        if file.size.is_none() && file_size > 0 {
                            total = total.max(done + file_size);
                        }
                        progress(done + file_done, total)
                    },
                )
                .await?;
            if let Err(error) = self.check_download(model, file, &partial) {
                // Wrong bytes: nothing worth resuming from.
                let _ = std::fs::remove_file(&partial);
                return Err(error);
            }
            std::fs::rename(&partial, &target).map_err(|source| FileError::Write {
                path: target.clone(),
                source,
            })?;
            done += size;
            verified.push(self.verify_file(model, file, &target)?);
        }
        Ok(verified)
    }

    /// Streams the missing part of one file into `partial`; returns the file's size.
    async fn fetch(
        &self,
        model: &ModelEntry,
        file: &ModelFile,
        downloader: &Downloader,
        partial: &Path,
        progress: &mut (dyn FnMut(u64, u64) -> bool + Send),
    ) -> Result<u64, MlError> {
        let mut have = std::fs::metadata(partial)
            .map(|meta| meta.len())
            .unwrap_or(0);
        if file.size.is_some_and(|size| have > size) {
            have = 0;
        }
        if file.size == Some(have) && have > 0 {
            return Ok(have);
        }
        let repo = file.repo.as_deref().unwrap_or(&model.repo);
        let revision = file.revision.as_deref().unwrap_or(&model.revision);
        let url = format!("{repo}/resolve/{revision}/{}", file.name);
        let failed = |detail: String| MlError::Download {
            url: url.clone(),
            detail,
        };
        let (owner, name) = repo.split_once('/').unwrap_or(("", repo));
        let repository = downloader.client.model(owner, name);
        let request = repository
            .download_file_stream()
            .filename(file.name.clone())
            .revision(revision.to_string());
        let response = if have > 0 {
            let end = file.size.unwrap_or(u64::MAX);
            request.range(have..end).send().await
        } else {
            request.send().await
        };
        let (length, mut stream) = response.map_err(|error| {
            if unreachable(&error) {
                MlError::Unreachable {
                    host: host_of(downloader.endpoint.as_deref()),
                }
            } else {
                failed(error.to_string())
            }
        })?;
        let size = file.size.unwrap_or(have + length.unwrap_or(0));
        let mut output = OpenOptions::new()
            .create(true)
            .append(true)
            .open(partial)
            .map_err(|source| FileError::Write {
                path: partial.to_path_buf(),
                source,
            })?;
        if have == 0 {
            output.set_len(0).map_err(|source| FileError::Write {
                path: partial.to_path_buf(),
                source,
            })?;
        }
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|error| {
                failed(format!(
                    "the connection broke ({error}); run it again to resume"
                ))
            })?;
            output
                .write_all(&chunk)
                .map_err(|source| FileError::Write {
                    path: partial.to_path_buf(),
                    source,
                })?;
            have += chunk.len() as u64;
            if !progress(have, size) {
                output.flush().ok();
                return Err(MlError::Stopped);
            }
        }
        output.sync_all().map_err(|source| FileError::Write {
            path: partial.to_path_buf(),
            source,
        })?;
        if have < size {
            return Err(failed(format!(
                "the server sent {have} of {size} bytes; run it again to resume"
            )));
        }
        Ok(have)
    }

    /// The complete download must match the catalog before it takes its place.
    fn check_download(
        &self,
        model: &ModelEntry,
        file: &ModelFile,
        partial: &Path,
    ) -> Result<(), MlError> {
        let size = std::fs::metadata(partial)
            .map_err(|error| FileError::io(partial, error))?
            .len();
        let sha256 = sha256_of(partial)?;
        self.check_against_catalog(model, file, partial, &sha256, size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::catalog::Catalog;
    use crate::ml::fixtures::hub::{HubServer, Serve};
    use crate::ml::fixtures::{BERT_ID, write_fixtures};
    use crate::store::{DATABASE_FILE, Store, StoreOptions};

    struct Fixture {
        _dir: tempfile::TempDir,
        model: ModelEntry,
        store: ModelStore,
        server: HubServer,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let catalog: Catalog = write_fixtures(&dir.path().join("fixtures"), 7).unwrap();
        let mut model = catalog.get(BERT_ID).unwrap().clone();
        let source = catalog.local_dir(&model).unwrap();
        model.local_dir = None;
        let files = model
            .files
            .iter()
            .map(|file| {
                (
                    file.name.clone(),
                    std::fs::read(source.join(&file.name)).unwrap(),
                )
            })
            .collect();
        let db = Store::open(&dir.path().join(DATABASE_FILE), StoreOptions::default()).unwrap();
        let store = ModelStore::new(dir.path().join("models"), db).with_hf_cache(None);
        Fixture {
            _dir: dir,
            model,
            store,
            server: HubServer::start(files),
        }
    }

    async fn download(fixture: &Fixture) -> Result<Vec<VerifiedFile>, MlError> {
        let downloader = Downloader::new(Some(&fixture.server.address)).unwrap();
        fixture
            .store
            .download(&fixture.model, &downloader, &mut |_, _| true)
            .await
    }

    fn weights_partial(fixture: &Fixture) -> std::path::PathBuf {
        fixture
            .store
            .root()
            .join(BERT_ID)
            .join(".model.safetensors.partial")
    }

    #[tokio::test]
    async fn an_interrupted_download_resumes_with_a_range_request_and_verifies() {
        let fixture = fixture();
        fixture.server.set(Serve::BreakAfter(40_000));
        let error = download(&fixture).await.unwrap_err().to_string();
        assert!(error.contains("run it again to resume"), "{error}");
        assert!(
            !fixture
                .store
                .root()
                .join(BERT_ID)
                .join("model.safetensors")
                .exists()
        );
        let kept = std::fs::metadata(weights_partial(&fixture)).unwrap().len();
        assert_eq!(kept, 40_000, "what arrived is kept");

        fixture.server.set(Serve::Faithfully);
        let files = download(&fixture).await.unwrap();
        assert!(fixture.server.ranges().contains(&format!(
            "{kept}-{}",
            fixture.model.files[2].size.unwrap() - 1
        )));
        assert_eq!(files.len(), 3);
        assert!(
            files
                .iter()
                .all(|file| file.trust == crate::ml::store::Trust::Catalog)
        );
        assert!(!weights_partial(&fixture).exists());
    }

    #[tokio::test]
    async fn a_download_with_a_wrong_byte_is_refused_and_nothing_is_placed() {
        let fixture = fixture();
        fixture.server.set(Serve::Tampered);
        let error = download(&fixture).await.unwrap_err().to_string();
        assert!(
            error.contains("sha256") && error.contains(".partial"),
            "{error}"
        );
        let folder = fixture.store.root().join(BERT_ID);
        assert!(!folder.join("config.json").exists() && !weights_partial(&fixture).exists());
    }
}
