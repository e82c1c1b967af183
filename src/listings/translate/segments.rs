//! Translating a listing's fields segment by segment: each field is split into
//! sentences, sentences the translation memory knows are taken from it, the rest are
//! masked (brands, codes, measures… see `protect`), sent to the model in one batch,
//! unmasked and checked, and remembered. A sentence whose placeholders did not all
//! come back is flagged, and not remembered, so it is tried again next time.

use std::collections::HashMap;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::html;
use super::memory::{MemoryKey, TranslationMemory, normalise};
use super::protect::{Masked, Protector, Span};
use crate::listings::ListingsError;
use crate::ml::MlError;

/// Something a reviewer should look at in a translated field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Flag {
    /// The model dropped a protected span (or a glossary term): it was put back at the
    /// end of the sentence, for the reviewer to place.
    Missing { sentence: String, span: Span },
    /// The model repeated a protected span; the copy was removed.
    Repeated { sentence: String, span: Span },
    /// The source is confidently in another language than the one declared.
    SourceLanguage { detected: String, confidence: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldTranslation {
    pub text: String,
    pub flags: Vec<Flag>,
}

/// Counts for progress reports and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SegmentCounts {
    pub from_memory: usize,
    pub from_model: usize,
}

/// Translates a batch of masked sentences; same length and order out as in.
pub type Model<'a> = dyn FnMut(&[String]) -> Result<Vec<String>, MlError> + 'a;

/// Translates fields sentence by sentence through the translation memory and the
/// model. Fields are first `prepare`d (their sentences found in the memory or queued
/// for the model), possibly from many listings; one `flush` sends every queued
/// sentence to the model in one batch (which sorts them by length); `render` then puts
/// each field back together.
pub struct SegmentTranslator<'a> {
    memory: &'a TranslationMemory,
    key: MemoryKey,
    model: &'a mut Model<'a>,
    /// Sentences translated (by the memory or the model), by normalised source.
    known: HashMap<String, (String, Vec<Flag>)>,
    /// Sentences waiting for the model: normalised source and its masked form.
    pending: Vec<(String, Masked)>,
    pub counts: SegmentCounts,
}

/// Plain-text fields whose sentences are known or queued.
pub struct Prepared(Vec<Vec<Part>>);

/// An HTML field whose text nodes and attributes are known or queued.
pub struct PreparedHtml {
    source: String,
    pieces: Prepared,
}

/// A sentence as it sits in its field: whitespace around it, and the core to translate
/// (`None` when it has nothing to translate).
struct Part {
    leading: String,
    core: Option<String>,
    trailing: String,
}

fn parts(text: &str) -> Vec<Part> {
    text.split_sentence_bounds()
        .map(|sentence| {
            let trimmed = sentence.trim();
            let leading = sentence[..sentence.len() - sentence.trim_start().len()].to_string();
            let trailing = sentence[sentence.trim_end().len()..].to_string();
            if trimmed.chars().any(char::is_alphabetic) {
                Part {
                    leading,
                    core: Some(trimmed.to_string()),
                    trailing,
                }
            } else {
                Part {
                    leading: sentence.to_string(),
                    core: None,
                    trailing: String::new(),
                }
            }
        })
        .collect()
}

impl<'a> SegmentTranslator<'a> {
    pub fn new(
        memory: &'a TranslationMemory,
        key: MemoryKey,
        model: &'a mut Model<'a>,
    ) -> SegmentTranslator<'a> {
        SegmentTranslator {
            memory,
            key,
            model,
            known: HashMap::new(),
            pending: Vec::new(),
            counts: SegmentCounts::default(),
        }
    }

    /// Splits plain-text fields into sentences, takes what the memory knows and queues
    /// the rest, masked by `protector`, for the model.
    pub fn prepare(
        &mut self,
        texts: &[&str],
        protector: &Protector,
    ) -> Result<Prepared, ListingsError> {
        let fields: Vec<Vec<Part>> = texts.iter().map(|text| parts(text)).collect();
        for core in fields
            .iter()
            .flatten()
            .filter_map(|part| part.core.as_ref())
        {
            let normal = normalise(core);
            if self.known.contains_key(&normal)
                || self.pending.iter().any(|(queued, _)| *queued == normal)
            {
                continue;
            }
            match self.memory.lookup(&self.key, &normal)? {
                Some(target) => {
                    self.counts.from_memory += 1;
                    self.known.insert(normal, (target, Vec::new()));
                }
                None => {
                    let masked = protector.mask(&normal);
                    self.pending.push((normal, masked));
                }
            }
        }
        Ok(Prepared(fields))
    }

    /// As `prepare`, for an HTML field: its text nodes and readable attributes.
    pub fn prepare_html(
        &mut self,
        source: &str,
        protector: &Protector,
    ) -> Result<PreparedHtml, ListingsError> {
        let pieces = html::pieces(source)?;
        let texts: Vec<&str> = pieces.iter().map(|piece| piece.text.as_str()).collect();
        Ok(PreparedHtml {
            source: source.to_string(),
            pieces: self.prepare(&texts, protector)?,
        })
    }

    /// Sends every queued sentence to the model in one call, restores what was
    /// masked, and remembers the complete translations.
    pub fn flush(&mut self) -> Result<(), ListingsError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        let inputs: Vec<String> = pending
            .iter()
            .map(|(_, masked)| masked.text.clone())
            .collect();
        let outputs = (self.model)(&inputs)?;
        if outputs.len() != inputs.len() {
            return Err(ListingsError::Model(MlError::Run {
                id: self.key.engine.clone(),
                detail: format!(
                    "{} translations for {} sentences",
                    outputs.len(),
                    inputs.len()
                ),
            }));
        }
        self.counts.from_model += pending.len();
        let mut complete = Vec::new();
        for ((sentence, masked), output) in pending.into_iter().zip(&outputs) {
            let restored = masked.restore(output);
            let mut flags: Vec<Flag> = restored
                .missing
                .iter()
                .map(|span| Flag::Missing {
                    sentence: sentence.clone(),
                    span: span.clone(),
                })
                .collect();
            flags.extend(restored.repeated.iter().map(|span| Flag::Repeated {
                sentence: sentence.clone(),
                span: span.clone(),
            }));
            if flags.is_empty() {
                complete.push((sentence.clone(), restored.text.clone()));
            }
            self.known.insert(sentence, (restored.text, flags));
        }
        let pairs: Vec<(&str, &str)> = complete
            .iter()
            .map(|(source, target)| (source.as_str(), target.as_str()))
            .collect();
        self.memory.remember(&self.key, &pairs)?;
        Ok(())
    }

    /// The prepared fields put back together, once their sentences are flushed.
    pub fn render(&self, prepared: &Prepared) -> Vec<FieldTranslation> {
        prepared
            .0
            .iter()
            .map(|field| {
                let mut text = String::new();
                let mut flags = Vec::new();
                for part in field {
                    text.push_str(&part.leading);
                    if let Some(core) = &part.core
                        && let Some((target, found)) = self.known.get(&normalise(core))
                    {
                        text.push_str(target);
                        flags.extend(found.iter().cloned());
                    }
                    text.push_str(&part.trailing);
                }
                FieldTranslation { text, flags }
            })
            .collect()
    }

    /// The prepared HTML field with its markup kept, once its sentences are flushed.
    pub fn render_html(&self, prepared: &PreparedHtml) -> Result<FieldTranslation, ListingsError> {
        let translated = self.render(&prepared.pieces);
        let flags = translated
            .iter()
            .flat_map(|field| field.flags.clone())
            .collect();
        let replacements: Vec<Option<String>> = translated
            .into_iter()
            .map(|field| Some(field.text))
            .collect();
        Ok(FieldTranslation {
            text: html::rebuild(&prepared.source, &replacements)?,
            flags,
        })
    }

    /// Translates plain-text fields at once: one model call for their new sentences.
    pub fn translate(
        &mut self,
        texts: &[&str],
        protector: &Protector,
    ) -> Result<Vec<FieldTranslation>, ListingsError> {
        let prepared = self.prepare(texts, protector)?;
        self.flush()?;
        Ok(self.render(&prepared))
    }

    /// Translates an HTML field at once: its text nodes and readable attributes, markup kept.
    pub fn translate_html(
        &mut self,
        source: &str,
        protector: &Protector,
    ) -> Result<FieldTranslation, ListingsError> {
        let prepared = self.prepare_html(source, protector)?;
        self.flush()?;
        self.render_html(&prepared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listings::translate::protect::Kind;
    use crate::store::{DATABASE_FILE, StoreOptions};

    fn memory(dir: &std::path::Path) -> TranslationMemory {
        TranslationMemory::new(
            Store::open(&dir.join(DATABASE_FILE), StoreOptions::default()).unwrap(),
        )
    }

    use crate::store::Store;

    fn key(glossary_version: i64) -> MemoryKey {
        MemoryKey {
            source_lang: "en".into(),
            target_lang: "de".into(),
            engine: "fixture@1".into(),
            glossary_version,
        }
    }

    /// A "model" that upper-cases and records what it was sent.
    fn shouting(
        sent: &mut Vec<String>,
    ) -> impl FnMut(&[String]) -> Result<Vec<String>, MlError> + '_ {
        move |batch: &[String]| {
            sent.extend(batch.iter().cloned());
            Ok(batch.iter().map(|text| text.to_uppercase()).collect())
        }
    }

    #[test]
    fn sentences_from_memory_never_reach_the_model_and_only_changed_ones_do() {
        let dir = tempfile::tempdir().unwrap();
        let memory = memory(dir.path());
        let protector = Protector::new(&["Northwind".into()], &[]);
        let fields = [
            "Waxed canvas tote by Northwind.  Fits a 15 in laptop.",
            "Waxed canvas tote by Northwind.",
        ];

        let mut sent = Vec::new();
        let mut model = shouting(&mut sent);
        let mut translator = SegmentTranslator::new(&memory, key(1), &mut model);
        let first = translator.translate(&fields, &protector).unwrap();
        assert_eq!(
            first[0].text,
            "WAXED CANVAS TOTE BY Northwind.  FITS A 15 in LAPTOP."
        );
        assert_eq!(first[1].text, "WAXED CANVAS TOTE BY Northwind.");
        assert_eq!(
            translator.counts,
            SegmentCounts {
                from_memory: 0,
                from_model: 2
            }
        );
        drop(translator);
        drop(model);
        assert_eq!(sent, ["Waxed canvas tote by ZX0.", "Fits a ZX0 laptop."]);

        let mut sent = Vec::new();
        let mut model = shouting(&mut sent);
        let mut translator = SegmentTranslator::new(&memory, key(1), &mut model);
        let again = translator
            .translate(
                &["Waxed canvas tote by Northwind. Fits a 13 in laptop."],
                &protector,
            )
            .unwrap();
        assert_eq!(
            translator.counts,
            SegmentCounts {
                from_memory: 1,
                from_model: 1
            }
        );
        assert_eq!(
            again[0].text,
            "WAXED CANVAS TOTE BY Northwind. FITS A 13 in LAPTOP."
        );
        drop(translator);
        drop(model);
        assert_eq!(sent, ["Fits a ZX0 laptop."], "only the changed sentence");

        // A new glossary version is another memory.
        let mut sent = Vec::new();
        let mut model = shouting(&mut sent);
        let mut translator = SegmentTranslator::new(&memory, key(2), &mut model);
        translator
            .translate(&["Waxed canvas tote by Northwind."], &protector)
            .unwrap();
        assert_eq!(translator.counts.from_model, 1);
    }

    #[test]
    fn a_lost_glossary_term_is_flagged_and_not_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let memory = memory(dir.path());
        let protector = Protector::new(&[], &[("tote bag".into(), "Tragetasche".into())]);
        let mut forgetful = |batch: &[String]| -> Result<Vec<String>, MlError> {
            Ok(batch
                .iter()
                .map(|text| text.replace("ZX0", "Beutel"))
                .collect())
        };
        let mut translator = SegmentTranslator::new(&memory, key(1), &mut forgetful);
        let field = translator
            .translate(&["A canvas tote bag."], &protector)
            .unwrap()
            .remove(0);
        assert_eq!(
            field.text, "A canvas Beutel Tragetasche.",
            "put back for the reviewer"
        );
        let [Flag::Missing { span, sentence }] = field.flags.as_slice() else {
            panic!("{:?}", field.flags);
        };
        assert_eq!(
            (span.kind, span.replacement.as_str()),
            (Kind::Glossary, "Tragetasche")
        );
        assert_eq!(sentence, "A canvas tote bag.");
        assert_eq!(memory.lookup(&key(1), "A canvas tote bag.").unwrap(), None);
    }

    #[test]
    fn html_fields_keep_their_markup() {
        let dir = tempfile::tempdir().unwrap();
        let memory = memory(dir.path());
        let protector = Protector::new(&[], &[]);
        let mut sent = Vec::new();
        let mut model = shouting(&mut sent);
        let mut translator = SegmentTranslator::new(&memory, key(1), &mut model);
        let html = "<ul><li><strong>Canvas</strong> &amp; leather.</li></ul><img alt=\"A tote\">";
        let field = translator.translate_html(html, &protector).unwrap();
        assert_eq!(
            field.text,
            "<ul><li><strong>CANVAS</strong> &amp; LEATHER.</li></ul><img alt=\"A TOTE\">"
        );
    }

    #[test]
    fn fields_of_many_listings_go_to_the_model_in_one_batch_each_masked_by_its_own_protector() {
        let dir = tempfile::tempdir().unwrap();
        let memory = memory(dir.path());
        let (kumo, atlas) = (
            Protector::new(&["Kumo".into()], &[]),
            Protector::new(&["Atlas".into()], &[]),
        );
        let mut batches = Vec::new();
        let mut model = |batch: &[String]| -> Result<Vec<String>, MlError> {
            batches.push(batch.to_vec());
            Ok(batch.iter().map(|text| text.to_uppercase()).collect())
        };
        let mut translator = SegmentTranslator::new(&memory, key(1), &mut model);
        let mug = translator
            .prepare(&["A Kumo mug.", "Shared line."], &kumo)
            .unwrap();
        let pack = translator
            .prepare_html("<p>An Atlas pack.</p><p>Shared line.</p>", &atlas)
            .unwrap();
        translator.flush().unwrap();
        let mug = translator.render(&mug);
        let pack = translator.render_html(&pack).unwrap();
        assert_eq!(
            (mug[0].text.as_str(), mug[1].text.as_str()),
            ("A Kumo MUG.", "SHARED LINE.")
        );
        assert_eq!(pack.text, "<p>AN Atlas PACK.</p><p>SHARED LINE.</p>");
        drop(translator);
        assert_eq!(
            batches,
            [["A ZX0 mug.", "Shared line.", "An ZX0 pack."]],
            "one call; a sentence shared by two listings is sent once"
        );
    }
}
