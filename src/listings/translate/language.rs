//! Which language a field is really in (whatlang, trigram statistics): a catalogue
//! often mixes languages, and a field already in the target language, or in a third
//! one, should be looked at rather than pushed through the wrong model.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detected {
    /// ISO 639-1 where there is one ("de"), else whatlang's ISO 639-3 code.
    pub language: String,
    pub confidence: f64,
    /// Whether the statistics are decisive (long enough text, clear winner).
    pub reliable: bool,
}

/// whatlang's ISO 639-3 codes for the languages sellers translate between, as the
/// two-letter codes the rest of Tradewind uses.
fn two_letter(code: &str) -> &str {
    match code {
        "eng" => "en",
        "deu" => "de",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "nld" => "nl",
        "swe" => "sv",
        "pol" => "pl",
        "jpn" => "ja",
        "cmn" => "zh",
        "por" => "pt",
        "rus" => "ru",
        "kor" => "ko",
        "dan" => "da",
        "fin" => "fi",
        "ces" => "cs",
        "tur" => "tr",
        other => other,
    }
}

pub fn detect(text: &str) -> Option<Detected> {
    let info = whatlang::detect(text)?;
    Some(Detected {
        language: two_letter(info.lang().code()).to_string(),
        confidence: info.confidence(),
        reliable: info.is_reliable(),
    })
}

/// The language `text` is confidently in when that is not `expected`.
pub fn other_than(text: &str, expected: &str) -> Option<Detected> {
    detect(text).filter(|detected| detected.reliable && detected.language != expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_in_another_language_than_declared_is_named_with_its_confidence() {
        let german = "Wasserdichte Tragetasche aus gewachstem Canvas mit einer Schnalle aus Messing, ideal für den täglichen Weg zur Arbeit.";
        let found = other_than(german, "en").unwrap();
        assert_eq!(found.language, "de");
        assert!(found.confidence > 0.5);
        let english = "A waterproof tote bag made of waxed canvas with a brass buckle, made for the daily commute to work.";
        assert!(other_than(english, "en").is_none());
        // Too short to tell: not flagged.
        assert!(other_than("Mug", "en").is_none());
    }
}
