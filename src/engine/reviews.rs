//! Product reviews, for the Analytics view's Reviews and `tradewind reviews
//! import|summary`: a file imported, its texts read by the installed star model, and
//! the summary per product with key phrases translated into the seller's language.

use std::collections::BTreeMap;
use std::path::Path;

use super::Engine;
use crate::Error;
use crate::analytics::recommend;
use crate::analytics::reviews::{
    self, ImportedReviews, ReviewMapping, ReviewsPreview, ReviewsSummary,
};
use crate::ml::catalog::Task;
use crate::ml::model::LoadedModel;
use crate::ml::route::{self, EngineChoice};

/// Reviews the star model reads at once.
const SENTIMENT_BATCH: usize = 16;

/// The sentence model preferred for key phrases: it places the same complaint in
/// different languages together; an English-only model is used where it is the one
/// installed.
const MULTILINGUAL_EMBEDDER: &str = "paraphrase-multilingual-minilm-l12-v2";

impl Engine {
    /// The layout of a reviews file, or its columns and a proposed mapping when it has
    /// none Tradewind knows.
    pub fn preview_reviews_file(&self, path: &Path) -> Result<ReviewsPreview, Error> {
        Ok(reviews::preview(path)?)
    }

    /// Imports the reviews of `path` (its layout detected, or through `mapping`), then
    /// has the installed star model read every text it has not read yet.
    pub fn import_reviews(
        &self,
        path: &Path,
        mapping: Option<&ReviewMapping>,
    ) -> Result<ImportedReviews, Error> {
        let imported = reviews::import(&self.store, path, mapping)?;
        self.read_review_sentiment()?;
        Ok(imported)
    }

    /// Has the installed star model read the reviews it has not; how many it read
    /// (none without a star model). Each batch is saved as it is read, so an
    /// interrupted run goes on where it stopped.
    pub fn read_review_sentiment(&self) -> Result<usize, Error> {
        let Some(id) = self.installed(Task::Sentiment)?.into_iter().next() else {
            return Ok(0);
        };
        let (model, _) = self.load_model(&id, None, None)?;
        let LoadedModel::Sentiment(classifier) = model.as_ref() else {
            return Ok(0);
        };
        let mut read = 0;
        loop {
            let batch = reviews::unread(&self.store, &id, SENTIMENT_BATCH)?;
            if batch.is_empty() {
                return Ok(read);
            }
            let texts: Vec<String> = batch.iter().map(|review| review.text()).collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let sentiments = classifier.classify(&texts)?;
            let readings: Vec<(i64, f32)> = batch
                .iter()
                .zip(&sentiments)
                .map(|(review, sentiment)| (review.id, sentiment.stars))
                .collect();
            reviews::set_text_stars(&self.store, &id, &readings)?;
            read += batch.len();
        }
    }

    /// The reviews per product (or of `product` alone), with the complaints and praise
    /// that recur, translated into the seller's language where a model is installed.
    pub fn reviews_summary(&self, product: Option<&str>) -> Result<ReviewsSummary, Error> {
        let seller = match self.language()?.code() {
            "zh-CN" => "zh",
            other => other,
        };
        self.reviews_summary_in(product, seller)
    }

    /// The same, its phrases translated into `language` (ISO 639-1): a report's.
    pub(super) fn reviews_summary_in(
        &self,
        product: Option<&str>,
        language: &str,
    ) -> Result<ReviewsSummary, Error> {
        let stored = reviews::all(&self.store)?;
        let catalogue = recommend::catalogue(&self.store)?;
        let embedders = self.installed(Task::Embed)?;
        let embedder = embedders
            .iter()
            .find(|id| *id == MULTILINGUAL_EMBEDDER)
            .or(embedders.first())
            .cloned();
        let mut summary = match &embedder {
            Some(id) => {
                let (model, _) = self.load_model(id, None, None)?;
                let LoadedModel::Embedder(embedder) = model.as_ref() else {
                    return Err(Error::Ml(crate::ml::MlError::UnknownModel(id.clone())));
                };
                let mut embed =
                    |texts: &[&str]| -> Result<Vec<Vec<f32>>, Error> { Ok(embedder.embed(texts)?) };
                reviews::summarise(&stored, &catalogue, product, Some(&mut embed))?
            }
            None => reviews::summarise::<Error>(&stored, &catalogue, product, None)?,
        };
        summary.phrase_model = embedder;
        summary.sentiment_model = self.installed(Task::Sentiment)?.into_iter().next();
        summary.translated_into = language.to_string();
        summary.untranslated = self.translate_phrases(&mut summary, language)?;
        Ok(summary)
    }

    /// Translates the summary's phrases into `seller`'s language, one run per language;
    /// the languages no installed model translates.
    fn translate_phrases(
        &self,
        summary: &mut ReviewsSummary,
        seller: &str,
    ) -> Result<Vec<String>, Error> {
        let catalog = self.catalog()?;
        let installed = self.installed(Task::Translate)?;
        let mut by_language: BTreeMap<String, Vec<&mut reviews::Said>> = BTreeMap::new();
        for said in summary.foreign_sentences_mut(seller) {
            if let Some(language) = said.language.clone() {
                by_language.entry(language).or_default().push(said);
            }
        }
        let mut untranslated = Vec::new();
        for (language, sentences) in by_language {
            let route =
                route::plan(&catalog, &language, seller, EngineChoice::Marian).filter(|route| {
                    route
                        .models()
                        .iter()
                        .all(|id| installed.iter().any(|i| i == id))
                });
            let Some(route) = route else {
                untranslated.push(language);
                continue;
            };
            let texts: Vec<String> = sentences.iter().map(|said| said.text.clone()).collect();
            let translations = self.run_route(&route, &texts, seller)?;
            for (said, translation) in sentences.into_iter().zip(translations) {
                said.translated = Some(translation.text);
            }
        }
        Ok(untranslated)
    }
}
