//! Which models translate one language into another: a direct opus-mt pair, two
//! pairs through English, or MADLAD-400 for everything else.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use super::MlError;
use super::catalog::{Architecture, Catalog, ModelEntry, Task};
use super::marian::{DecodeOptions, Translation};
use super::model::LoadedModel;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Route {
    /// One Marian model.
    Direct { model: String },
    /// Source → English, then English → target.
    Pivot { first: String, second: String },
    /// A many-language model, told the target language.
    Many { model: String },
}

impl Route {
    /// The models the route runs, in order.
    pub fn models(&self) -> Vec<&str> {
        match self {
            Route::Direct { model } | Route::Many { model } => vec![model],
            Route::Pivot { first, second } => vec![first, second],
        }
    }
}

/// Which family of models to prefer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum EngineChoice {
    Marian,
    Madlad,
}

fn marian_pair<'a>(catalog: &'a Catalog, source: &str, target: &str) -> Option<&'a ModelEntry> {
    catalog.models.iter().find(|model| {
        model.task == Task::Translate
            && model.architecture == Architecture::Marian
            && model.languages.len() == 2
            && model.languages[0] == source
            && model.languages[1] == target
    })
}

fn many_languages<'a>(catalog: &'a Catalog, target: &str) -> Option<&'a ModelEntry> {
    catalog.models.iter().find(|model| {
        model.task == Task::Translate
            && model.architecture == Architecture::QuantizedT5
            && (model.languages.iter().any(|language| language == target)
                || model
                    .languages
                    .iter()
                    .any(|language| language.starts_with("400+")))
    })
}

/// The best route from `source` to `target` with the preferred family: Marian
/// direct, then Marian through English, then MADLAD; MADLAD first when preferred.
pub fn plan(catalog: &Catalog, source: &str, target: &str, prefer: EngineChoice) -> Option<Route> {
    let many = || {
        many_languages(catalog, target).map(|model| Route::Many {
            model: model.id.clone(),
        })
    };
    let marian = || {
        if let Some(model) = marian_pair(catalog, source, target) {
            return Some(Route::Direct {
                model: model.id.clone(),
            });
        }
        if source != "en" && target != "en" {
            let first = marian_pair(catalog, source, "en")?;
            let second = marian_pair(catalog, "en", target)?;
            return Some(Route::Pivot {
                first: first.id.clone(),
                second: second.id.clone(),
            });
        }
        None
    };
    match prefer {
        EngineChoice::Marian => marian().or_else(many),
        EngineChoice::Madlad => many().or_else(marian),
    }
}

/// `plan`, or the error saying no model translates `source` into `target`.
pub fn require(
    catalog: &Catalog,
    source: &str,
    target: &str,
    prefer: EngineChoice,
) -> Result<Route, MlError> {
    plan(catalog, source, target, prefer).ok_or_else(|| MlError::NoRoute {
        from: source.to_string(),
        to: target.to_string(),
    })
}

/// For each of `targets` the catalog can translate `source` into, the family of models
/// used unless the seller picks another: opus-mt where a pair (or two through English)
/// exists, else MADLAD. Targets no model reaches are left out.
pub fn default_engines(
    catalog: &Catalog,
    source: &str,
    targets: &[String],
) -> BTreeMap<String, EngineChoice> {
    targets
        .iter()
        .filter(|target| target.as_str() != source)
        .filter_map(|target| {
            let choice = match plan(catalog, source, target, EngineChoice::Marian)? {
                Route::Many { .. } => EngineChoice::Madlad,
                Route::Direct { .. } | Route::Pivot { .. } => EngineChoice::Marian,
            };
            Some((target.clone(), choice))
        })
        .collect()
}

/// The models of a route with their revisions, e.g. "opus-mt-en-de@refs/pr/4": what a
/// translation memory entry belongs to.
pub fn label(catalog: &Catalog, route: &Route) -> Result<String, MlError> {
    let labels: Vec<String> = route
        .models()
        .into_iter()
        .map(|id| Ok(format!("{id}@{}", catalog.get(id)?.revision)))
        .collect::<Result<_, MlError>>()?;
    Ok(labels.join("+"))
}

/// The longest MADLAD output per segment, in tokens.
const MADLAD_MAX_TOKENS: usize = 256;

/// Runs `texts` through the models of `route` into `target`, each model from `load`;
/// every translation counts the tokens all the route's models made for it.
pub fn run(
    route: &Route,
    texts: &[String],
    target: &str,
    load: &dyn Fn(&str) -> Result<Arc<LoadedModel>, MlError>,
) -> Result<Vec<Translation>, MlError> {
    let mut current: Vec<String> = texts.to_vec();
    let mut tokens = vec![0; texts.len()];
    for id in route.models() {
        let model = load(id)?;
        let inputs: Vec<&str> = current.iter().map(String::as_str).collect();
        let translations = match &*model {
            LoadedModel::Marian(translator) => {
                translator.translate(&inputs, &DecodeOptions::default())?
            }
            LoadedModel::Madlad(translator) => {
                translator.translate(&inputs, target, MADLAD_MAX_TOKENS)?
            }
            _ => {
                return Err(MlError::Run {
                    id: id.to_string(),
                    detail: "this model does not translate".into(),
                });
            }
        };
        for (total, translation) in tokens.iter_mut().zip(&translations) {
            *total += translation.tokens;
        }
        current = translations
            .into_iter()
            .map(|translation| translation.text)
            .collect();
    }
    Ok(current
        .into_iter()
        .zip(tokens)
        .map(|(text, tokens)| Translation { text, tokens })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_catalog_routes_every_seller_language_from_english_and_back() {
        let catalog = Catalog::builtin().unwrap();
        let route = |source, target| plan(&catalog, source, target, EngineChoice::Marian).unwrap();
        assert_eq!(
            route("en", "de"),
            Route::Direct {
                model: "opus-mt-en-de".into()
            }
        );
        assert_eq!(
            route("de", "fr"),
            Route::Pivot {
                first: "opus-mt-de-en".into(),
                second: "opus-mt-en-fr".into()
            }
        );
        // No Helsinki-NLP en→ja or en→pl: MADLAD.
        assert_eq!(
            route("en", "ja"),
            Route::Many {
                model: "madlad400-3b-mt-q4k".into()
            }
        );
        assert_eq!(
            route("en", "pl"),
            Route::Many {
                model: "madlad400-3b-mt-q4k".into()
            }
        );
        for language in ["de", "fr", "es", "it", "nl", "sv", "pl", "ja", "zh"] {
            assert!(
                matches!(route(language, "en"), Route::Direct { .. }),
                "{language}→en"
            );
        }
        assert_eq!(
            plan(&catalog, "en", "de", EngineChoice::Madlad).unwrap(),
            Route::Many {
                model: "madlad400-3b-mt-q4k".into()
            }
        );
        assert_eq!(
            route("de", "fr").models(),
            ["opus-mt-de-en", "opus-mt-en-fr"]
        );
    }
}
