//! Translating the imported listings into other languages as a job: listing by
//! listing, each listing's fields and its translations committed together with the
//! job's position, so a cancelled or interrupted job resumes without translating or
//! storing anything twice. A field whose source has not changed since it was last
//! translated, or that the seller edited or approved, is left alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::memory::{MemoryKey, TranslationMemory};
use super::protect::Protector;
use super::segments::{FieldTranslation, Prepared, PreparedHtml, SegmentTranslator};
use super::stored::{Origin, prefer_name};
use crate::jobs::{JobContext, Unit};
use crate::listings::ListingsError;
use crate::ml::route::EngineChoice;
use crate::store::{Store, StoreError};

/// One translatable field of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// title, body_html, seo_title, seo_description, tags, image_alt:<position>, or one
    /// of listing_fields' (options, metafields, mapped columns)
    pub name: String,
    pub text: String,
    pub html: bool,
}

/// Who a listing is: its handle (for messages) and its brand (never translated).
pub struct ListingName {
    pub handle: String,
    pub vendor: String,
}

/// A listing's fields worth translating (the non-empty ones); codes such as the
/// handle, SKUs, prices, the product category and URLs are not among them.
pub fn fields(store: &Store, listing_id: i64) -> Result<(ListingName, Vec<Field>), StoreError> {
    let conn = store.connect()?;
    let (handle, vendor, title, body, seo_title, seo_description, tags): (String, String, String, String, String, String, String) = conn
        .query_row(
            "SELECT handle, vendor, title, body_html, seo_title, seo_description, tags FROM listings WHERE id = ?1",
            [listing_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?)),
        )
        .map_err(|error| store.error(error))?;
    let mut found = vec![
        Field {
            name: "title".into(),
            text: title,
            html: false,
        },
        Field {
            name: "body_html".into(),
            text: body,
            html: true,
        },
        Field {
            name: "seo_title".into(),
            text: seo_title,
            html: false,
        },
        Field {
            name: "seo_description".into(),
            text: seo_description,
            html: false,
        },
        Field {
            name: "tags".into(),
            text: tags,
            html: false,
        },
    ];
    let mut images = conn
        .prepare(
            "SELECT position, alt_text FROM listing_images WHERE listing_id = ?1 ORDER BY position",
        )
        .map_err(|error| store.error(error))?;
    let alts = images
        .query_map([listing_id], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
        })
        .and_then(Iterator::collect::<Result<Vec<_>, _>>)
        .map_err(|error| store.error(error))?;
    found.extend(alts.into_iter().map(|(position, alt)| Field {
        name: format!("image_alt:{position}"),
        text: alt,
        html: false,
    }));
    let extra = conn
        .prepare(
            "SELECT name, text, html FROM listing_fields WHERE listing_id = ?1 ORDER BY position",
        )
        .and_then(|mut statement| {
            statement
                .query_map([listing_id], |row| {
                    Ok(Field {
                        name: row.get(0)?,
                        text: row.get(1)?,
                        html: row.get(2)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(|error| store.error(error))?;
    found.extend(extra);
    found.retain(|field| !field.text.trim().is_empty());
    Ok((ListingName { handle, vendor }, found))
}

/// A model as the job holds it: owned, for one locale.
pub type ModelFn = dyn FnMut(&[String]) -> Result<Vec<String>, crate::ml::MlError>;

/// How one target language is translated: the family of models asked for (kept
/// with each translation), the models' label (models and revisions) and the model.
pub struct LocaleEngine {
    pub locale: String,
    pub prefer: EngineChoice,
    pub label: String,
    pub model: Box<ModelFn>,
    /// Tokens the model has made (it counts them), for the job's tokens/s.
    pub tokens: Arc<AtomicU64>,
}

/// Listings whose new sentences go to the model together: enough for full batches,
/// few enough that a cancel or a crash loses little.
const LISTINGS_PER_BATCH: usize = 8;

/// What the job asks for: from which language, into which, with which models.
pub struct Request<'a> {
    pub source_lang: &'a str,
    pub targets: &'a mut [LocaleEngine],
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Checkpoint {
    /// Listings (by id) done in the current locale.
    after_id: i64,
    done: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TranslatedListings {
    pub fields: u64,
    pub unchanged: u64,
    pub from_memory: usize,
    pub from_model: usize,
    pub flagged: u64,
}

/// A field with its sentences known or queued for the model.
enum PreparedField {
    Plain(Prepared),
    /// A comma-separated list: each tag is its own segment.
    Tags(Prepared),
    Html(PreparedHtml),
}

fn prepare_field(
    translator: &mut SegmentTranslator,
    field: &Field,
    protector: &Protector,
) -> Result<PreparedField, ListingsError> {
    if field.html {
        return Ok(PreparedField::Html(
            translator.prepare_html(&field.text, protector)?,
        ));
    }
    if field.name == "tags" {
        let tags: Vec<&str> = field
            .text
            .split(',')
            .map(str::trim)
            .filter(|tag| !tag.is_empty())
            .collect();
        return Ok(PreparedField::Tags(translator.prepare(&tags, protector)?));
    }
    Ok(PreparedField::Plain(
        translator.prepare(&[field.text.as_str()], protector)?,
    ))
}

/// The field translated, once the translator is flushed; flagged when its source is
/// in another language than declared.
fn render_field(
    translator: &SegmentTranslator,
    field: &Field,
    prepared: &PreparedField,
    source_lang: &str,
) -> Result<FieldTranslation, ListingsError> {
    let mut translated =
        match prepared {
            PreparedField::Html(prepared) => translator.render_html(prepared)?,
            PreparedField::Tags(prepared) => {
                let tags = translator.render(prepared);
                FieldTranslation {
                    text: tags
                        .iter()
                        .map(|tag| tag.text.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    flags: tags.into_iter().flat_map(|tag| tag.flags).collect(),
                }
            }
            PreparedField::Plain(prepared) => translator
                .render(prepared)
                .into_iter()
                .next()
                .unwrap_or(FieldTranslation {
                    text: String::new(),
                    flags: Vec::new(),
                }),
        };
    let prose = if field.html {
        super::html::pieces(&field.text)
            .map(|pieces| {
                pieces
                    .into_iter()
                    .map(|piece| piece.text)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    } else {
        field.text.clone()
    };
    if let Some(detected) = super::language::other_than(&prose, source_lang) {
        translated
            .flags
            .push(super::segments::Flag::SourceLanguage {
                detected: detected.language,
                confidence: detected.confidence,
            });
    }
    Ok(translated)
}

/// What translations into one locale are made with.
struct LocaleSetup {
    key: MemoryKey,
    /// Models, revisions and glossary version: another of any retranslates.
    made_with: String,
    glossary: Vec<(String, String)>,
}

fn locale_setup(
    store: &Store,
    source_lang: &str,
    locale: &str,
    engine: &str,
) -> Result<LocaleSetup, StoreError> {
    let glossary_version = super::glossary::version(store)?;
    Ok(LocaleSetup {
        key: MemoryKey {
            source_lang: source_lang.to_string(),
            target_lang: locale.to_string(),
            engine: engine.to_string(),
            glossary_version,
        },
        made_with: format!("{engine}#glossary-{glossary_version}"),
        glossary: super::glossary::pairs(store, locale)?,
    })
}

/// Stores a machine translation of a field, replacing what was there.
#[allow(clippy::too_many_arguments)] // one row's columns
fn store_machine(
    conn: &rusqlite::Connection,
    id: i64,
    field: &Field,
    locale: &str,
    translated: &FieldTranslation,
    made_with: &str,
    origin: &Origin,
) -> rusqlite::Result<()> {
    let flags = serde_json::to_string(&translated.flags).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "INSERT INTO listing_translations (listing_id, field, locale, source, translated, status, flags, engine, updated_at, source_lang, prefer)
         VALUES (?1, ?2, ?3, ?4, ?5, 'machine', ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (listing_id, field, locale) DO UPDATE SET source = excluded.source,
             translated = excluded.translated, status = 'machine', flags = excluded.flags,
             engine = excluded.engine, updated_at = excluded.updated_at,
             source_lang = excluded.source_lang, prefer = excluded.prefer",
        rusqlite::params![
            id,
            field.name,
            locale,
            field.text,
            translated.text,
            flags,
            made_with,
            chrono::Utc::now().to_rfc3339(),
            origin.source_lang,
            prefer_name(origin.prefer)
        ],
    )
    .map(|_| ())
}

/// The job: every listing into every locale.
pub fn translate_listings(
    request: Request,
    memory: &TranslationMemory,
    context: &mut JobContext,
) -> Result<TranslatedListings, ListingsError> {
    let store = context.store().clone();
    let mut conn = store.connect()?;
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM listings ORDER BY id")
        .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
        .map_err(|error| store.error(error))?;
    let mut outcome = TranslatedListings::default();
    for target in request.targets.iter_mut() {
        let stage = format!("translate:{}", target.locale);
        let mut checkpoint: Checkpoint = context.saved(&stage)?.unwrap_or_default();
        context.begin_stage(&stage, Unit::Items, Some(ids.len() as u64), checkpoint.done);
        let setup = locale_setup(&store, request.source_lang, &target.locale, &target.label)?;
        let origin = Origin {
            source_lang: request.source_lang.to_string(),
            prefer: target.prefer,
        };
        let resume_after = checkpoint.after_id;
        let tokens_at_start = target.tokens.load(Ordering::Relaxed);
        let mut segments = 0u64;
        let remaining: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|&id| id > resume_after)
            .collect();
        for chunk in remaining.chunks(LISTINGS_PER_BATCH) {
            let mut results = Vec::new();
            {
                let mut translator =
                    SegmentTranslator::new(memory, setup.key.clone(), &mut *target.model);
                let mut prepared = Vec::new();
                for &id in chunk {
                    let (name, fields) = fields(&store, id)?;
                    let protector =
                        Protector::new(std::slice::from_ref(&name.vendor), &setup.glossary);
                    for field in fields {
                        let existing: Option<(String, String, String)> = conn
                            .query_row(
                                "SELECT source, status, engine FROM listing_translations WHERE listing_id = ?1 AND field = ?2 AND locale = ?3",
                                rusqlite::params![id, field.name, target.locale],
                                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                            )
                            .optional()
                            .map_err(|error| store.error(error))?;
                        let keep = existing.is_some_and(|(source, status, made)| {
                            (source == field.text && made == setup.made_with) || status != "machine"
                        });
                        if keep {
                            outcome.unchanged += 1;
                            continue;
                        }
                        let ready = prepare_field(&mut translator, &field, &protector)
                            .map_err(|error| error.in_field(&name.handle, &field.name))?;
                        prepared.push((id, name.handle.clone(), field, ready));
                    }
                }
                translator.flush()?;
                for (id, handle, field, ready) in &prepared {
                    let translated = render_field(&translator, field, ready, request.source_lang)
                        .map_err(|error| error.in_field(handle, &field.name))?;
                    results.push((*id, field.clone(), translated));
                }
                outcome.from_memory += translator.counts.from_memory;
                outcome.from_model += translator.counts.from_model;
                segments += (translator.counts.from_memory + translator.counts.from_model) as u64;
            }
            let tx = conn.transaction().map_err(|error| store.error(error))?;
            for (id, field, translated) in &results {
                store_machine(
                    &tx,
                    *id,
                    field,
                    &target.locale,
                    translated,
                    &setup.made_with,
                    &origin,
                )
                .map_err(|error| store.error(error))?;
                outcome.fields += 1;
                outcome.flagged += u64::from(!translated.flags.is_empty());
            }
            checkpoint.after_id = chunk.last().copied().unwrap_or(checkpoint.after_id);
            checkpoint.done += chunk.len() as u64;
            let tokens = target.tokens.load(Ordering::Relaxed) - tokens_at_start;
            context.record_throughput(segments, tokens);
            context.commit(tx, checkpoint.done, &checkpoint)?;
        }
    }
    Ok(outcome)
}

/// Plain texts (a photo's alt text, say) from `source_lang` into `locale` with what
/// listing fields get: protected spans, the glossary, the translation memory.
pub fn translate_texts(
    store: &Store,
    memory: &TranslationMemory,
    (source_lang, locale): (&str, &str),
    engine: &str,
    model: &mut ModelFn,
    texts: &[&str],
) -> Result<Vec<FieldTranslation>, ListingsError> {
    let setup = locale_setup(store, source_lang, locale, engine)?;
    let protector = Protector::new(&[], &setup.glossary);
    let mut translator = SegmentTranslator::new(memory, setup.key.clone(), model);
    let prepared = translator.prepare(texts, &protector)?;
    translator.flush()?;
    Ok(translator.render(&prepared))
}

/// One field of one listing translated again by the machine, from the language and
/// with the family of models its stored translation was made with (`model_for` gives
/// that route's label and model), replacing what is stored, the seller's own edit
/// included.
pub fn retranslate(
    store: &Store,
    memory: &TranslationMemory,
    (listing_id, field_name, locale): (i64, &str, &str),
    model_for: impl FnOnce(&Origin) -> Result<(String, Box<ModelFn>), ListingsError>,
) -> Result<(), ListingsError> {
    let origin =
        super::stored::origin(store, listing_id, field_name, locale)?.ok_or_else(|| {
            ListingsError::NoTranslation {
                listing_id,
                field: field_name.to_string(),
                locale: locale.to_string(),
            }
        })?;
    let (name, fields) = fields(store, listing_id)?;
    let Some(field) = fields.iter().find(|field| field.name == field_name) else {
        return Err(ListingsError::NothingToTranslate {
            listing_id,
            field: field_name.to_string(),
        });
    };
    let (engine, mut model) = model_for(&origin)?;
    let setup = locale_setup(store, &origin.source_lang, locale, &engine)?;
    let protector = Protector::new(std::slice::from_ref(&name.vendor), &setup.glossary);
    let translated = {
        let mut translator = SegmentTranslator::new(memory, setup.key.clone(), &mut *model);
        let prepared = prepare_field(&mut translator, field, &protector)
            .map_err(|error| error.in_field(&name.handle, field_name))?;
        translator.flush()?;
        render_field(&translator, field, &prepared, &origin.source_lang)
            .map_err(|error| error.in_field(&name.handle, field_name))?
    };
    let conn = store.connect()?;
    store_machine(
        &conn,
        listing_id,
        field,
        locale,
        &translated,
        &setup.made_with,
        &origin,
    )
    .map_err(|error| store.error(error))?;
    Ok(())
}
