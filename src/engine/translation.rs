//! Translating listings: the routes the catalog offers, translating texts along them,
//! the stored translations and their review, the glossary and the marketplaces'
//! limits. Translating the whole catalogue is a job (`JobSpec::TranslateListings`).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Engine;
use crate::Error;
use crate::listings::rules::{self, Violation};
use crate::listings::translate::glossary::{self, Entry};
use crate::listings::translate::memory::TranslationMemory;
use crate::listings::translate::{self, ModelFn, Review, StoredTranslation};
use crate::ml::MlError;
use crate::ml::marian::Translation;
use crate::ml::route::{self, EngineChoice, Route};

impl Engine {
    /// The route from `source` to `target` the catalog offers, `prefer` deciding
    /// between Marian pairs and MADLAD.
    pub fn translation_route(
        &self,
        source: &str,
        target: &str,
        prefer: EngineChoice,
    ) -> Result<Route, Error> {
        Ok(route::require(&self.catalog()?, source, target, prefer)?)
    }

    /// For each of `targets` the catalog can translate `source` into, the family of
    /// models used unless the seller picks another.
    pub fn default_engines(
        &self,
        source: &str,
        targets: &[String],
    ) -> Result<BTreeMap<String, EngineChoice>, Error> {
        Ok(route::default_engines(&self.catalog()?, source, targets))
    }

    /// Runs `texts` through the models of `route` into `target`, loading what it needs.
    pub fn run_route(
        &self,
        route: &Route,
        texts: &[String],
        target: &str,
    ) -> Result<Vec<Translation>, MlError> {
        let load = |id: &str| match self.load_model(id, None, None) {
            Ok((model, _)) => Ok(model),
            Err(Error::Ml(error)) => Err(error),
            Err(other) => Err(MlError::Run {
                id: id.to_string(),
                detail: other.to_string(),
            }),
        };
        route::run(route, texts, target, &load)
    }

    /// Translates `texts` from `source` into `target` along the best route.
    pub fn translate(
        &self,
        texts: &[&str],
        source: &str,
        target: &str,
        prefer: EngineChoice,
    ) -> Result<(Route, Vec<Translation>), Error> {
        let route = self.translation_route(source, target, prefer)?;
        let texts: Vec<String> = texts.iter().map(|text| text.to_string()).collect();
        let translations = self.run_route(&route, &texts, target)?;
        Ok((route, translations))
    }

    /// The model (and its label, the models and revisions) that translates `source`
    /// into `target` along the best route, for the translation pipeline; it adds the
    /// tokens it makes to `tokens`.
    pub(super) fn route_model(
        &self,
        source: &str,
        target: &str,
        prefer: EngineChoice,
        tokens: Option<Arc<AtomicU64>>,
    ) -> Result<(String, Box<ModelFn>), MlError> {
        let catalog = super::catalog_at(self.catalog_path.as_deref())?;
        let route = route::require(&catalog, source, target, prefer)?;
        let label = route::label(&catalog, &route)?;
        let engine = self.clone();
        let target = target.to_string();
        let model: Box<ModelFn> = Box::new(move |texts: &[String]| {
            let translations = engine.run_route(&route, texts, &target)?;
            if let Some(tokens) = &tokens {
                let made: usize = translations
                    .iter()
                    .map(|translation| translation.tokens)
                    .sum();
                tokens.fetch_add(made as u64, Ordering::Relaxed);
            }
            Ok(translations
                .into_iter()
                .map(|translation| translation.text)
                .collect())
        });
        Ok((label, model))
    }

    /// Translates one field of one listing again by machine, from the language and
    /// with the family of models its stored translation was made with, replacing what
    /// is stored (the seller's edit too).
    pub fn retranslate_field(
        &self,
        listing_id: i64,
        field: &str,
        locale: &str,
    ) -> Result<(), Error> {
        let memory = TranslationMemory::new(self.store.clone());
        Ok(translate::retranslate(
            &self.store,
            &memory,
            (listing_id, field, locale),
            |origin| Ok(self.route_model(&origin.source_lang, locale, origin.prefer, None)?),
        )?)
    }

    /// Every stored listing translation, for review and export.
    pub fn listing_translations(&self) -> Result<Vec<StoredTranslation>, Error> {
        Ok(translate::stored(&self.store)?)
    }

    /// The seller's review of one translated field: their edit, or an approval.
    pub fn review_translation(
        &self,
        listing_id: i64,
        field: &str,
        locale: &str,
        text: Option<&str>,
        review: Review,
    ) -> Result<(), Error> {
        Ok(translate::review(
            &self.store,
            listing_id,
            field,
            locale,
            text,
            review,
        )?)
    }

    /// The marketplaces whose length limits Tradewind knows.
    pub fn marketplaces(&self) -> Result<Vec<String>, Error> {
        Ok(rules::marketplaces(&rules::rules()?))
    }

    /// The stored translations that break `marketplace`'s length limits.
    pub fn marketplace_violations(
        &self,
        marketplace: &str,
    ) -> Result<Vec<(StoredTranslation, Vec<Violation>)>, Error> {
        Ok(rules::violations(&self.store, marketplace)?)
    }

    /// Adds or replaces the entries of a glossary CSV (source, language, target).
    pub fn import_glossary(&self, path: &std::path::Path) -> Result<usize, Error> {
        Ok(glossary::import(&self.store, path)?)
    }

    pub fn export_glossary(&self, path: &std::path::Path) -> Result<usize, Error> {
        Ok(glossary::export(&self.store, path)?)
    }

    pub fn glossary(&self) -> Result<Vec<Entry>, Error> {
        Ok(glossary::entries(&self.store)?)
    }

    /// Adds or replaces one glossary entry; translations made under the old glossary
    /// are retranslated by the next job.
    pub fn set_glossary_entry(&self, entry: &Entry) -> Result<(), Error> {
        Ok(glossary::set(&self.store, entry)?)
    }

    /// Removes the glossary entry of `source` in `language`; returns whether there was one.
    pub fn remove_glossary_entry(&self, source: &str, language: &str) -> Result<bool, Error> {
        Ok(glossary::remove(&self.store, source, language)?)
    }
}
