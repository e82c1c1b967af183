//! Translating listings: what models must not touch (`protect`), the text of HTML
//! descriptions (`html`), sentences and the translation memory (`segments`, `memory`),
//! the seller's glossary, the language a field is really in (`language`), the
//! resumable job over the catalogue (`job`) and the stored translations with their
//! review (`stored`).

pub mod glossary;
pub mod html;
pub mod job;
pub mod language;
pub mod memory;
pub mod protect;
pub mod segments;
pub mod stored;

pub use job::{
    LocaleEngine, ModelFn, Request, TranslatedListings, retranslate, translate_listings,
    translate_texts,
};
pub use stored::{Origin, Review, StoredTranslation, origin, review, stored};
