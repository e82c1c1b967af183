//! The writing assistant: replies to buyers (pasted, or imported from a messages file),
//! the shop policies they rely on, listing fields shortened, and which model writes.
//! The pipelines are in `assistant`; this gives them the installed models.

use std::ops::ControlFlow;
use std::path::Path;

use super::Engine;
use super::settings::Language;
use crate::Error;
use crate::assistant::copy::{CopyLimits, CopySource};
use crate::assistant::{
    self, AssistantError, BuyerMessage, MessagesImported, ReplyDraft, ReplyTools, ShopPolicies,
};
use crate::assistant::{CopyDraft, CopyKind};
use crate::ml::MlError;
use crate::ml::catalog::Task;
use crate::ml::embed::cosine;
use crate::ml::generate::{GenerateOptions, Generation};
use crate::ml::model::LoadedModel;
use crate::ml::route::{self, EngineChoice};
use crate::store::settings;

/// The longest draft, in tokens: a reply of a few sentences.
const REPLY_TOKENS: usize = 200;
/// The setting naming the writing model the seller chose.
const WRITER_SETTING: &str = "writer";
/// How freely a retried shortening samples.
const RETRY_TEMPERATURE: f64 = 0.7;

impl Engine {
    pub fn shop_policies(&self) -> Result<ShopPolicies, Error> {
        Ok(assistant::policies::load(&self.store)?)
    }

    pub fn set_shop_policies(&self, policies: &ShopPolicies) -> Result<(), Error> {
        Ok(assistant::policies::save(&self.store, policies)?)
    }

    /// Imports the buyers' messages of a file (buyer, order number, text, date).
    pub fn import_messages(&self, path: &Path) -> Result<MessagesImported, Error> {
        Ok(assistant::messages::import(&self.store, path)?)
    }

    /// The imported messages, the newest first.
    pub fn buyer_messages(&self) -> Result<Vec<BuyerMessage>, Error> {
        Ok(assistant::messages::list(&self.store)?)
    }

    pub fn buyer_message(&self, id: i64) -> Result<BuyerMessage, Error> {
        Ok(assistant::messages::get(&self.store, id)?)
    }

    /// Drafts the reply to a buyer's `message` (about `order`, when the seller or the
    /// file it came from says) with `writer` (the seller's chosen writing model when
    /// None), streaming the draft through `on_text`.
    pub fn draft_reply(
        &self,
        message: &str,
        order: Option<&str>,
        writer: Option<&str>,
        on_text: &mut dyn FnMut(&str) -> ControlFlow<()>,
    ) -> Result<ReplyDraft, Error> {
        let writer = self.writer(writer)?;
        let seller = match self.language()? {
            Language::English => "en",
            Language::SimplifiedChinese => "zh",
        };
        let catalog = self.catalog()?;
        let translators = self.installed(Task::Translate)?;
        let embedder = self.installed(Task::Embed)?.into_iter().next();
        let translate = |texts: &[String], from: &str, to: &str| {
            let route = route::plan(&catalog, from, to, EngineChoice::Marian).filter(|route| {
                route
                    .models()
                    .iter()
                    .all(|id| translators.iter().any(|installed| installed == id))
            });
            let Some(route) = route else {
                return Ok(None);
            };
            let translations = self.run_route(&route, texts, to)?;
            Ok(Some(translations.into_iter().map(|t| t.text).collect()))
        };
        let likeness = |message: &str, titles: &[String]| match &embedder {
            Some(id) => self.embedded_likeness(id, message, titles),
            None => Ok(assistant::reply::shared_words(message, titles)),
        };
        let write = |system: &str, user: &str, on_text: &mut dyn FnMut(&str) -> ControlFlow<()>| {
            let (model, _) = self
                .load_model(&writer, None, None)
                .map_err(ml_error(&writer))?;
            let LoadedModel::Generator(generator) = model.as_ref() else {
                return Err(not_a_writer(&writer));
            };
            let generation: Generation = generator.generate_streaming(
                system,
                user,
                GenerateOptions::prose(REPLY_TOKENS),
                on_text,
            )?;
            Ok(generation)
        };
        let tools = ReplyTools {
            translate: &translate,
            likeness: &likeness,
            write: &write,
        };
        let policies = self.shop_policies()?;
        Ok(assistant::draft_reply(
            &self.store,
            message,
            order,
            seller,
            &policies,
            &tools,
            on_text,
        )?)
    }

    /// `text`, the `field` of a listing in `language`, shortened to `marketplace`'s
    /// limit for it, keeping `terms` (the brand) and every code and measure.
    pub fn shorten_field(
        &self,
        text: &str,
        field: &str,
        marketplace: &str,
        language: &str,
        terms: &[String],
        writer: Option<&str>,
    ) -> Result<CopyDraft, Error> {
        let rules = crate::listings::rules::rules()?;
        crate::listings::rules::require_marketplace(&rules, marketplace)?;
        let limit = rules
            .iter()
            .filter(|rule| rule.marketplace == marketplace && rule.field == field)
            .find_map(|rule| rule.chars)
            .ok_or_else(|| AssistantError::NoLimit {
                marketplace: marketplace.to_string(),
                field: field.to_string(),
                limited: rules
                    .iter()
                    .filter(|rule| rule.marketplace == marketplace && rule.chars.is_some())
                    .map(|rule| rule.field.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let writer = self.writer(writer)?;
        let write = self.drafting(&writer, limit / 2 + 16);
        Ok(assistant::shorten::shorten(
            text, field, language, limit, terms, &write,
        )?)
    }

    /// The `kind` of search copy (SEO title, meta description, tags) for a listing
    /// `title` and description in `language`, within `marketplace`'s limits (Shopify's
    /// for SEO fields, Etsy's for tags, where it sets none), keeping `terms` (the brand).
    pub fn draft_listing_copy(
        &self,
        kind: CopyKind,
        source: CopySource,
        marketplace: &str,
        terms: &[String],
        writer: Option<&str>,
    ) -> Result<CopyDraft, Error> {
        let rules = crate::listings::rules::rules()?;
        crate::listings::rules::require_marketplace(&rules, marketplace)?;
        let limits = CopyLimits::on(kind, marketplace, &rules)?;
        let writer = self.writer(writer)?;
        let tokens = match kind {
            CopyKind::Tags => limits.items * 8,
            _ => limits.chars / 2 + 16,
        };
        let write = self.drafting(&writer, tokens);
        Ok(assistant::copy::draft_copy(
            kind, source, terms, limits, &write,
        )?)
    }

    /// The writing model `writer` as a drafter of at most `tokens` tokens: greedy, or
    /// sampled from a seed for a try after the first.
    fn drafting<'a>(
        &'a self,
        writer: &'a str,
        tokens: usize,
    ) -> impl Fn(&str, &str, Option<u64>) -> Result<String, AssistantError> + 'a {
        move |system, user, seed| {
            let mut options = GenerateOptions::prose(tokens);
            options.sampling = seed.map(|seed| (RETRY_TEMPERATURE, seed));
            let (model, _) = self
                .load_model(writer, None, None)
                .map_err(ml_error(writer))?;
            let LoadedModel::Generator(generator) = model.as_ref() else {
                return Err(not_a_writer(writer));
            };
            Ok(generator.generate(system, user, options)?.text)
        }
    }

    /// `asked`, or the model the seller chose to write (the first writing model on this
    /// computer when they have not, or it is gone).
    fn writer(&self, asked: Option<&str>) -> Result<String, Error> {
        match asked {
            Some(id) => Ok(id.to_string()),
            None => Ok(self
                .models()?
                .into_iter()
                .find(|status| status.writes)
                .map(|status| status.model.id)
                .ok_or(AssistantError::NoWriter)?),
        }
    }

    /// The writing model the seller chose, as stored (it may since have been removed).
    pub(super) fn chosen_writer(&self) -> Result<Option<String>, Error> {
        Ok(settings::get(&self.store, WRITER_SETTING)?)
    }

    /// Makes model `id`, a writing model on this computer, the one that writes replies
    /// and listing copy.
    pub fn choose_writer(&self, id: &str) -> Result<(), Error> {
        let writers = self.installed(Task::Generate)?;
        if !writers.iter().any(|writer| writer == id) {
            return Err(Error::InvalidSetting {
                setting: "writer",
                value: id.to_string(),
                allowed: if writers.is_empty() {
                    "a writing model on this computer (none is yet)".into()
                } else {
                    writers.join(", ")
                },
            });
        }
        Ok(settings::set(&self.store, WRITER_SETTING, id)?)
    }

    /// The cosine of the message's sentence embedding with each title's.
    fn embedded_likeness(
        &self,
        id: &str,
        message: &str,
        titles: &[String],
    ) -> Result<Vec<f32>, AssistantError> {
        let (model, _) = self.load_model(id, None, None).map_err(ml_error(id))?;
        let LoadedModel::Embedder(embedder) = model.as_ref() else {
            return Ok(assistant::reply::shared_words(message, titles));
        };
        let asked = embedder.embed(&[message])?;
        let mut scores = Vec::with_capacity(titles.len());
        for batch in titles.chunks(64) {
            let texts: Vec<&str> = batch.iter().map(String::as_str).collect();
            for title in embedder.embed(&texts)? {
                scores.push(asked.first().map_or(0.0, |asked| cosine(asked, &title)));
            }
        }
        Ok(scores)
    }
}

fn not_a_writer(id: &str) -> AssistantError {
    AssistantError::Ml(MlError::Run {
        id: id.to_string(),
        detail: "this model does not write text".into(),
    })
}

/// An engine error met while loading a model, as the pipeline's.
fn ml_error(id: &str) -> impl Fn(Error) -> AssistantError + '_ {
    move |error| match error {
        Error::Ml(error) => AssistantError::Ml(error),
        Error::Store(error) => AssistantError::Store(error),
        other => AssistantError::Ml(MlError::Run {
            id: id.to_string(),
            detail: other.to_string(),
        }),
    }
}
