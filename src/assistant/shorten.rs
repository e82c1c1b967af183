//! A field over a marketplace's limit, shortened by the writing model in the field's own
//! language, keeping the brand, SKUs, measures and sizes: they are masked as for a
//! translation and must all come back. A draft that does not fit or lost one is tried
//! again (sampled, a little shorter asked); after the last try the best one is returned
//! flagged, never passed off as fitting.

use super::AssistantError;
use super::draft::{CopyDraft, DraftFn, best_of_tries, first_line};
use super::prompts;
use crate::listings::translate::protect::Protector;

/// `text`, a `field` in `language`, shortened to at most `limit` characters keeping
/// `terms` (the brand) and every code and measure. `write` is the writing model; it is
/// called with a seed per try (greedy first).
pub fn shorten(
    text: &str,
    field: &str,
    language: &str,
    limit: usize,
    terms: &[String],
    write: &DraftFn,
) -> Result<CopyDraft, AssistantError> {
    let empty = || AssistantError::EmptyField {
        field: field.replace('_', " "),
    };
    if text.trim().is_empty() {
        return Err(empty());
    }
    let protector = Protector::new(terms, &[]);
    let masked = protector.mask_for_writing(text);
    // The model counts the placeholders' characters, not the spans they stand for.
    let longer_by: usize = masked
        .spans
        .iter()
        .enumerate()
        .map(|(index, span)| {
            span.original
                .chars()
                .count()
                .saturating_sub(format!("ZX{index}").len())
        })
        .sum();
    let drafted = best_of_tries(|attempt| {
        // Each try asks for a tenth less than the one before.
        let asked = (limit.saturating_sub(longer_by) * (10 - attempt) / 10).max(10);
        let system = prompts::shorten_system(field, language);
        let user = prompts::shorten_user(&masked.text, asked);
        let written = write(&system, &user, (attempt > 0).then_some(attempt as u64))?;
        let (filled, _) = masked.fill_in(first_line(&written));
        let lost: Vec<String> = masked
            .spans
            .iter()
            .filter(|span| !filled.contains(&span.original))
            .map(|span| span.original.clone())
            .collect();
        let chars = filled.chars().count();
        Ok(CopyDraft {
            fits: chars <= limit && chars > 0,
            text: filled,
            chars,
            limit,
            lost,
            tries: attempt + 1,
            prompt_version: prompts::SHORTEN_VERSION.to_string(),
        })
    })?;
    drafted.ok_or_else(empty)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assistant::draft::TRIES;

    const TITLE: &str = "Kumo Handmade Ceramic Coffee Mug with Speckled Glaze, Large Cup for Tea and Latte, 350 ml, SKU MUG-350";

    #[test]
    fn a_draft_that_fits_and_keeps_every_span_is_taken_at_once() {
        let write = |_: &str, user: &str, seed: Option<u64>| {
            assert_eq!(seed, None, "the first try is greedy");
            assert!(user.contains("ZX0") && user.contains("ZX2"), "{user}");
            Ok("\"ZX0 Ceramic Mug, Speckled Glaze, ZX1, ZX2\"\nThat is shorter.".to_string())
        };
        let shortened = shorten(TITLE, "title", "en", 80, &["Kumo".into()], &write).unwrap();
        assert_eq!(
            shortened.text,
            "Kumo Ceramic Mug, Speckled Glaze, 350 ml, MUG-350"
        );
        assert!(
            shortened.is_usable() && shortened.tries == 1,
            "{shortened:?}"
        );
    }

    #[test]
    fn an_empty_field_is_refused_naming_it() {
        let write = |_: &str, _: &str, _: Option<u64>| -> Result<String, AssistantError> {
            unreachable!("no model runs for an empty field")
        };
        let error = shorten("  ", "seo_title", "en", 70, &[], &write).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the seo title is empty: there is nothing to shorten"
        );
    }

    #[test]
    fn drafts_that_lose_a_span_or_run_long_are_retried_then_flagged() {
        let tries = std::cell::Cell::new(0);
        let write = |_: &str, _: &str, _: Option<u64>| {
            tries.set(tries.get() + 1);
            Ok(match tries.get() {
                1 => "ZX0 Mug ZX1".to_string(),
                _ => format!("ZX0 ZX1 ZX2 {}", "very long words ".repeat(8)),
            })
        };
        let shortened = shorten(TITLE, "title", "en", 80, &["Kumo".into()], &write).unwrap();
        assert_eq!(tries.get(), TRIES);
        assert!(!shortened.is_usable());
        assert_eq!(shortened.text, "Kumo Mug 350 ml", "the one that fits");
        assert_eq!(shortened.lost, ["MUG-350"]);
        assert_eq!(shortened.tries, TRIES);
    }
}
