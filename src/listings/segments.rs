//! Translating a listing's fields segment by segment: each field is split into
//! sentences, sentences the translation memory knows are taken from it, the rest are
//! masked (brands, codes, measures… see `protect`), sent to the model in one batch,
//! unmasked and checked, and remembered. A sentence whose placeholders did not all
//! come back is flagged, and not remembered, so it is tried again next time.

use std::collections::HashMap;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::html::{self, HtmlError};
use super::memory::{MemoryKey, TranslationMemory, normalise};
use super::protect::{Protector, Span};
use crate::ml::MlError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Model(#[from] MlError),
    #[error(transparent)]
    Html(#[from] HtmlError),
}

/// Something a reviewer should look at in a translated field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Flag {
    /// The model dropped a protected span (or a glossary term): it is missing.
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

pub struct SegmentTranslator<'a> {
    memory: &'a TranslationMemory,
    key: MemoryKey,
    protector: &'a Protector,
    model: &'a mut Model<'a>,
    pub counts: SegmentCounts,
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
        protector: &'a Protector,
        model: &'a mut Model<'a>,
    ) -> SegmentTranslator<'a> {
        SegmentTranslator {
            memory,
            key,
            protector,
            model,
            counts: SegmentCounts::default(),
        }
    }

    /// Translates plain-text fields; one model call for all the new sentences.
    pub fn translate(&mut self, texts: &[&str]) -> Result<Vec<FieldTranslation>, SegmentError> {
        let fields: Vec<Vec<Part>> = texts.iter().map(|text| parts(text)).collect();
        let mut known: HashMap<String, (String, Vec<Flag>)> = HashMap::new();
        let mut unknown: Vec<String> = Vec::new();
        for core in fields
            .iter()
            .flatten()
            .filter_map(|part| part.core.as_ref())
        {
            let normal = normalise(core);
            if known.contains_key(&normal) || unknown.contains(&normal) {
                continue;
            }
            match self.memory.lookup(&self.key, &normal)? {
                Some(target) => {
                    self.counts.from_memory += 1;
                    known.insert(normal, (target, Vec::new()));
                }
                None => unknown.push(normal),
            }
        }
        if !unknown.is_empty() {
            let masked: Vec<_> = unknown
                .iter()
                .map(|sentence| self.protector.mask(sentence))
                .collect();
            let inputs: Vec<String> = masked.iter().map(|masked| masked.text.clone()).collect();
            let outputs = (self.model)(&inputs)?;
            if outputs.len() != inputs.len() {
                return Err(SegmentError::Model(MlError::Run {
                    id: self.key.engine.clone(),
                    detail: format!(
                        "{} translations for {} sentences",
                        outputs.len(),
                        inputs.len()
                    ),
                }));
            }
            self.counts.from_model += unknown.len();
            let mut complete = Vec::new();
            for ((sentence, masked), output) in unknown.iter().zip(&masked).zip(&outputs) {
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
                    complete.push((sentence.as_str(), restored.text.clone()));
                }
                known.insert(sentence.clone(), (restored.text, flags));
            }
            let pairs: Vec<(&str, &str)> = complete
                .iter()
                .map(|(source, target)| (*source, target.as_str()))
                .collect();
            self.memory.remember(&self.key, &pairs)?;
        }
        Ok(fields
            .iter()
            .map(|field| {
                let mut text = String::new();
                let mut flags = Vec::new();
                for part in field {
                    text.push_str(&part.leading);
                    if let Some(core) = &part.core
                        && let Some((target, found)) = known.get(&normalise(core))
                    {
                        text.push_str(target);
                        flags.extend(found.iter().cloned());
                    }
                    text.push_str(&part.trailing);
                }
                FieldTranslation { text, flags }
            })
            .collect())
    }

    /// Translates an HTML field: its text nodes and readable attributes, markup kept.
    pub fn translate_html(&mut self, source: &str) -> Result<FieldTranslation, SegmentError> {
        let pieces = html::pieces(source)?;
        let texts: Vec<&str> = pieces.iter().map(|piece| piece.text.as_str()).collect();
        let translated = self.translate(&texts)?;
        let flags = translated
            .iter()
            .flat_map(|field| field.flags.clone())
            .collect();
        let replacements: Vec<Option<String>> = translated
            .into_iter()
            .map(|field| Some(field.text))
            .collect();
        Ok(FieldTranslation {
            text: html::rebuild(source, &replacements)?,
            flags,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listings::protect::Kind;
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
        let mut translator = SegmentTranslator::new(&memory, key(1), &protector, &mut model);
        let first = translator.translate(&fields).unwrap();
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
        let mut translator = SegmentTranslator::new(&memory, key(1), &protector, &mut model);
        let again = translator
            .translate(&["Waxed canvas tote by Northwind. Fits a 13 in laptop."])
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
        let mut translator = SegmentTranslator::new(&memory, key(2), &protector, &mut model);
        translator
            .translate(&["Waxed canvas tote by Northwind."])
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
        let mut translator = SegmentTranslator::new(&memory, key(1), &protector, &mut forgetful);
        let field = translator
            .translate(&["A canvas tote bag."])
            .unwrap()
            .remove(0);
        assert_eq!(field.text, "A canvas Beutel.");
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
        let mut translator = SegmentTranslator::new(&memory, key(1), &protector, &mut model);
        let html = "<ul><li><strong>Canvas</strong> &amp; leather.</li></ul><img alt=\"A tote\">";
        let field = translator.translate_html(html).unwrap();
        assert_eq!(
            field.text,
            "<ul><li><strong>CANVAS</strong> &amp; LEATHER.</li></ul><img alt=\"A TOTE\">"
        );
    }
}
