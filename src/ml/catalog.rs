//! What each supported model is and where its files come from (`models/catalog.toml`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::MlError;

/// The catalog built into the binary; `TRADEWIND_CATALOG` names another file.
const BUILTIN: &str = include_str!("../../models/catalog.toml");
const BUILTIN_PATH: &str = "models/catalog.toml";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Task {
    Translate,
    Caption,
    ZeroShotImage,
    Embed,
    Sentiment,
    Generate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum Architecture {
    Bert,
    Marian,
    QuantizedT5,
    Clip,
    QuantizedBlip,
    QuantizedQwen2,
    /// Llama-architecture GGUF (SmolLM2), its tokenizer in the GGUF when no tokenizer.json comes with it.
    QuantizedLlama,
}

/// Where a file comes from and what it must be. `size` and `sha256` are absent where
/// they could not be verified against the Hub; they are then recorded on first use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ModelFile {
    pub name: String,
    pub size: Option<u64>,
    pub sha256: Option<String>,
    /// Another repository than the model's (e.g. tokenizers converted for candle).
    pub repo: Option<String>,
    pub revision: Option<String>,
    /// What the file is to its loader, where the name does not say.
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    pub id: String,
    pub name: String,
    pub task: Task,
    pub architecture: Architecture,
    pub repo: String,
    pub revision: String,
    pub quantization: String,
    pub ram_mb: u32,
    pub licence: String,
    pub languages: Vec<String>,
    pub note: Option<String>,
    /// The sentence-initial token a multi-target translation model reads the language
    /// to write from, as its model card prescribes (`>>cmn_Hans<<` for opus-mt en→zh).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub target_token: Option<String>,
    /// A folder holding the files already (relative to the catalog file), as in
    /// fixture catalogs and folders a seller copies in.
    pub local_dir: Option<PathBuf>,
    pub files: Vec<ModelFile>,
}

impl ModelEntry {
    /// Total size of the files whose size is known.
    pub fn known_size(&self) -> u64 {
        self.files.iter().filter_map(|file| file.size).sum()
    }

    pub fn file_with_role(&self, role: &str) -> Option<&ModelFile> {
        self.files
            .iter()
            .find(|file| file.role.as_deref() == Some(role))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CatalogFile {
    #[serde(rename = "model", default)]
    models: Vec<ModelEntry>,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    /// The catalog file, against which `local_dir`s are resolved.
    pub path: PathBuf,
    pub models: Vec<ModelEntry>,
}

impl Catalog {
    pub fn builtin() -> Result<Catalog, MlError> {
        Catalog::parse(BUILTIN, Path::new(BUILTIN_PATH))
    }

    /// The catalog named by `TRADEWIND_CATALOG`, else the built-in one.
    pub fn from_env() -> Result<Catalog, MlError> {
        match std::env::var_os("TRADEWIND_CATALOG") {
            Some(path) => Catalog::load(Path::new(&path)),
            None => Catalog::builtin(),
        }
    }

    pub fn load(path: &Path) -> Result<Catalog, MlError> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| crate::files::FileError::io(path, error))?;
        Catalog::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Catalog, MlError> {
        let invalid = |detail: String| MlError::Catalog {
            path: path.to_path_buf(),
            detail,
        };
        let file: CatalogFile = toml::from_str(text).map_err(|error| invalid(error.to_string()))?;
        let mut ids = HashSet::new();
        for model in &file.models {
            if !ids.insert(model.id.as_str()) {
                return Err(invalid(format!("the id '{}' is used twice", model.id)));
            }
            if model.files.is_empty() {
                return Err(invalid(format!("model '{}' lists no files", model.id)));
            }
            for checksum in model.files.iter().filter_map(|file| file.sha256.as_deref()) {
                let is_hex = checksum.len() == 64
                    && checksum
                        .bytes()
                        .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
                if !is_hex {
                    return Err(invalid(format!(
                        "model '{}': '{checksum}' is not a lowercase sha256",
                        model.id
                    )));
                }
            }
        }
        Ok(Catalog {
            path: path.to_path_buf(),
            models: file.models,
        })
    }

    pub fn get(&self, id: &str) -> Result<&ModelEntry, MlError> {
        self.models
            .iter()
            .find(|model| model.id == id)
            .ok_or_else(|| MlError::UnknownModel(id.to_string()))
    }

    /// The folder a `local_dir` names, resolved against the catalog's own folder.
    pub fn local_dir(&self, model: &ModelEntry) -> Option<PathBuf> {
        let folder = self.path.parent().unwrap_or(Path::new("."));
        model.local_dir.as_ref().map(|dir| folder.join(dir))
    }

    pub fn to_toml(&self) -> Result<String, MlError> {
        toml::to_string_pretty(&CatalogFile {
            models: self.models.clone(),
        })
        .map_err(|error| MlError::Catalog {
            path: self.path.clone(),
            detail: error.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalog_parses_and_covers_every_task() {
        let catalog = Catalog::builtin().unwrap();
        for task in [
            Task::Translate,
            Task::Caption,
            Task::ZeroShotImage,
            Task::Embed,
            Task::Sentiment,
            Task::Generate,
        ] {
            assert!(
                catalog.models.iter().any(|model| model.task == task),
                "{task:?}"
            );
        }
        let minilm = catalog.get("all-minilm-l6-v2").unwrap();
        assert_eq!(minilm.known_size(), 612 + 466_247 + 90_868_376);
        assert!(minilm.files.iter().all(|file| file.sha256.is_some()));
        for model in catalog
            .models
            .iter()
            .filter(|model| model.architecture == Architecture::Marian)
        {
            let names: Vec<&str> = model.files.iter().map(|file| file.name.as_str()).collect();
            let converted = model.file_with_role("source-tokenizer").is_some()
                && model.file_with_role("target-tokenizer").is_some();
            let shipped = ["source.spm", "target.spm", "vocab.json"]
                .iter()
                .all(|name| names.contains(name));
            assert!(converted || shipped, "{}: no tokenizers", model.id);
            assert!(
                names.contains(&"model.safetensors") || names.contains(&"pytorch_model.bin"),
                "{}: no weights",
                model.id
            );
            // A pair into Chinese is multi-target (its card: "a sentence initial language
            // token is required in the form of >>id<<"): it names the token, and takes
            // the vocab.json that holds it; the other pairs write one language.
            match model.languages[1].as_str() {
                "zh" => {
                    assert_eq!(model.target_token.as_deref(), Some(">>cmn_Hans<<"));
                    assert!(shipped, "{}: the token is in vocab.json", model.id);
                }
                _ => assert_eq!(model.target_token, None, "{}", model.id),
            }
        }
    }

    fn check_invalid(text: &str, expected: &str) {
        let message = Catalog::parse(text, Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            message.starts_with("c.toml: the model catalog is not valid"),
            "{message}"
        );
        assert!(message.contains(expected), "{message}");
    }

    const ENTRY: &str = r#"
        [[model]]
        id = "m"
        name = "M"
        task = "embed"
        architecture = "bert"
        repo = "o/m"
        revision = "main"
        quantization = "f32"
        ram_mb = 1
        licence = "MIT"
        languages = ["en"]
        files = [{ name = "model.safetensors", sha256 = "SHA" }]
    "#;

    #[test]
    fn a_bad_catalog_says_what_is_wrong() {
        check_invalid(
            &ENTRY.replace("SHA", "abc"),
            "'abc' is not a lowercase sha256",
        );
        check_invalid(
            &format!("{ENTRY}{ENTRY}").replace("SHA", &"a".repeat(64)),
            "the id 'm' is used twice",
        );
        check_invalid(&ENTRY.replace("\"embed\"", "\"dance\""), "dance");
        check_invalid(
            &ENTRY.replace("ram_mb = 1", "ram_mb = 1\nsecret = 2"),
            "unknown field `secret`",
        );
    }

    #[test]
    fn an_unknown_model_is_named_and_not_found() {
        let catalog = Catalog::builtin().unwrap();
        let error = catalog.get("gpt-9").unwrap_err();
        assert_eq!(error.to_string(), "no model 'gpt-9' in the catalog");
        assert_eq!(error.kind(), crate::error_kind::ErrorKind::NotFound);
    }
}
