//! Listing copy for search, drafted by the writing model from the listing's title and
//! description in the listing's language: an SEO title, a meta description, and tags.
//! Codes and measures are masked as for a translation (the model cannot alter them);
//! the brand the title names must be in an SEO title; a draft over its length, or tags
//! too few, are tried again, then handed over flagged.

use serde::{Deserialize, Serialize};

use super::AssistantError;
use super::context::plain_text;
use super::draft::{CopyDraft, DraftFn, best_of_tries, first_line};
use super::prompts;
use crate::listings::rules::Rule;
use crate::listings::translate::protect::Protector;

/// A meta description is asked no longer than this: search engines show about as much
/// under a result, though Shopify keeps up to 320.
const DESCRIPTION_ASKED: usize = 160;
/// The description's start the copy is written from.
const SOURCE_CHARS: usize = 600;
/// Fewer tags than this (or than the limit allows), or fewer than half of them speaking
/// of the listing, are tried again.
const FEWEST_TAGS: usize = 5;

/// Which copy to draft, named as the listing field it fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CopyKind {
    SeoTitle,
    SeoDescription,
    Tags,
}

impl CopyKind {
    pub const ALL: [CopyKind; 3] = [CopyKind::SeoTitle, CopyKind::SeoDescription, CopyKind::Tags];

    pub fn field(self) -> &'static str {
        match self {
            CopyKind::SeoTitle => "seo_title",
            CopyKind::SeoDescription => "seo_description",
            CopyKind::Tags => "tags",
        }
    }

    pub fn parse(field: &str) -> Option<CopyKind> {
        CopyKind::ALL.into_iter().find(|kind| kind.field() == field)
    }
}

/// How long the copy may be: the field's characters (for tags, each tag's) and, for
/// tags, how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyLimits {
    pub chars: usize,
    pub items: usize,
}

impl CopyLimits {
    /// `kind`'s limits on `marketplace`, or where it sets none, Shopify's for the SEO
    /// fields (the shop whose pages carry them) and Etsy's for tags (the strictest).
    pub fn on(
        kind: CopyKind,
        marketplace: &str,
        rules: &[Rule],
    ) -> Result<CopyLimits, AssistantError> {
        let limit = |field: &str, fallback: &str, value: fn(&Rule) -> Option<usize>| {
            [marketplace, fallback]
                .iter()
                .find_map(|shop| {
                    rules
                        .iter()
                        .filter(|rule| rule.marketplace == *shop && rule.field == field)
                        .find_map(value)
                })
                .ok_or_else(|| AssistantError::NoLimit {
                    marketplace: marketplace.to_string(),
                    field: field.replace('_', " "),
                    limited: fallback.to_string(),
                })
        };
        Ok(match kind {
            CopyKind::SeoTitle | CopyKind::SeoDescription => CopyLimits {
                chars: limit(kind.field(), "shopify", |rule| rule.chars)?,
                items: 1,
            },
            CopyKind::Tags => CopyLimits {
                chars: limit("tag", "etsy", |rule| rule.chars)?,
                items: limit("tags", "etsy", |rule| rule.items)?,
            },
        })
    }
}

/// The listing the copy is written from, in the language the copy is written in.
#[derive(Debug, Clone, Copy)]
pub struct CopySource<'a> {
    pub title: &'a str,
    /// HTML or plain text.
    pub description_html: &'a str,
    pub language: &'a str,
}

/// The tags of a model's answer: split at commas, semicolons, lines and hash signs
/// (#mug #coffee), what comes before a colon and list marks taken off, each once (whatever its case), those over
/// `chars` left out, at most `items`.
fn tags_of(answer: &str, limits: CopyLimits) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in answer.split([',', ';', '\n', '#', '、', '，']) {
        // "Tags: mug" is the tag "mug"; "Here are the tags:" none.
        let tag = tag.rsplit_once(':').map_or(tag, |(_, after)| after).trim();
        let unnumbered = tag
            .split_once(['.', ')'])
            .filter(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
            .map_or(tag, |(_, rest)| rest);
        let tag = unnumbered
            .trim()
            .trim_start_matches(['-', '*', '•'])
            .trim()
            .trim_matches(['"', '\u{201c}', '\u{201d}']);
        let seen = tags
            .iter()
            .any(|kept| kept.to_lowercase() == tag.to_lowercase());
        if !tag.is_empty() && tag.chars().count() <= limits.chars && !seen {
            tags.push(tag.to_string());
        }
    }
    tags.truncate(limits.items);
    tags
}

/// Whether `tag` speaks of the listing: one of its words (for writing without spaces,
/// two characters together) is in the listing's own `words` (lower case). A small model
/// can write tags of something else entirely; those are not passed off as usable.
fn speaks_of(tag: &str, words: &str) -> bool {
    tag.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-')
        .any(|word| {
            let chars: Vec<char> = word.chars().collect();
            if chars.iter().all(char::is_ascii) {
                chars.len() >= 3 && words.contains(word)
            } else {
                chars
                    .windows(2)
                    .any(|pair| words.contains(&pair.iter().collect::<String>()))
            }
        })
}

/// The `kind` of copy for `source`, within `limits`, keeping `terms` (the brand).
/// `write` is the writing model, called with a seed per try (greedy first).
pub fn draft_copy(
    kind: CopyKind,
    source: CopySource,
    terms: &[String],
    limits: CopyLimits,
    write: &DraftFn,
) -> Result<CopyDraft, AssistantError> {
    let nothing = || AssistantError::NothingToWriteFrom {
        field: kind.field().replace('_', " "),
    };
    let description = plain_text(source.description_html, SOURCE_CHARS);
    if source.title.trim().is_empty() && description.trim().is_empty() {
        return Err(nothing());
    }
    let protector = Protector::new(terms, &[]);
    let masked = protector.mask_for_writing(&prompts::copy_user(source.title, &description));
    // The brand the title names must be in an SEO title; a description or tags may do
    // without it.
    let required: Vec<&String> = match kind {
        CopyKind::SeoTitle => terms
            .iter()
            .filter(|term| source.title.contains(term.as_str()))
            .collect(),
        CopyKind::SeoDescription | CopyKind::Tags => Vec::new(),
    };
    let language = source.language;
    let words = format!("{} {description}", source.title).to_lowercase();
    let drafted = best_of_tries(|attempt| {
        let system = match kind {
            CopyKind::SeoTitle => prompts::seo_title_system(language, limits.chars),
            CopyKind::SeoDescription => {
                prompts::seo_description_system(language, limits.chars.min(DESCRIPTION_ASKED))
            }
            CopyKind::Tags => prompts::tags_system(language, limits.items, limits.chars),
        };
        let written = write(
            &system,
            &masked.text,
            (attempt > 0).then_some(attempt as u64),
        )?;
        let (text, fits) = match kind {
            CopyKind::Tags => {
                // Tags may come one per line: the whole answer is read.
                let (filled, _) = masked.fill_in(&written);
                let tags = tags_of(&filled, limits);
                let enough = tags.len() >= FEWEST_TAGS.min(limits.items);
                let related = tags.iter().filter(|tag| speaks_of(tag, &words)).count();
                (tags.join(", "), enough && related * 2 >= tags.len())
            }
            CopyKind::SeoTitle | CopyKind::SeoDescription => {
                let (filled, _) = masked.fill_in(first_line(&written));
                let chars = filled.chars().count();
                let fits = chars > 0 && chars <= limits.chars;
                (filled, fits)
            }
        };
        Ok(CopyDraft {
            chars: text.chars().count(),
            lost: required
                .iter()
                .filter(|term| !text.contains(term.as_str()))
                .map(|term| term.to_string())
                .collect(),
            text,
            limit: limits.chars,
            fits,
            tries: attempt + 1,
            prompt_version: prompts::COPY_VERSION.to_string(),
        })
    })?;
    drafted.ok_or_else(nothing)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLE: &str = "Kumo Stoneware Mug 350 ml, SKU KSM-1001";
    const BODY: &str = "<p>A heavy, <strong>hand-thrown</strong> mug for slow mornings.</p>";

    fn source() -> CopySource<'static> {
        CopySource {
            title: TITLE,
            description_html: BODY,
            language: "en",
        }
    }

    /// An SEO title of `TITLE` within Shopify's 70 characters, keeping "Kumo".
    fn seo_title(write: &DraftFn) -> CopyDraft {
        let limits = CopyLimits {
            chars: 70,
            items: 1,
        };
        draft_copy(
            CopyKind::SeoTitle,
            source(),
            &["Kumo".into()],
            limits,
            write,
        )
        .unwrap()
    }

    #[test]
    fn an_seo_title_is_written_from_the_title_and_plain_description_with_codes_masked() {
        let write = |system: &str, user: &str, seed: Option<u64>| {
            assert_eq!(seed, None);
            assert!(system.contains("at most 70 characters"), "{system}");
            assert!(
                user.contains("Description: A heavy, hand-thrown mug"),
                "{user}"
            );
            assert!(
                !user.contains("KSM-1001") && !user.contains("350 ml"),
                "{user}"
            );
            Ok("Hand-Thrown Stoneware Mug ZX1 | ZX0\nDone.".to_string())
        };
        let draft = seo_title(&write);
        assert_eq!(draft.text, "Hand-Thrown Stoneware Mug 350 ml | Kumo");
        assert!(draft.is_usable() && draft.tries == 1, "{draft:?}");
        assert_eq!(draft.prompt_version, "copy-v1");
    }

    #[test]
    fn an_seo_title_without_the_brand_or_too_long_is_retried_then_flagged() {
        let write = |_: &str, _: &str, _: Option<u64>| Ok("Stoneware Mug for Coffee".to_string());
        let draft = seo_title(&write);
        assert_eq!(draft.lost, ["Kumo"]);
        assert_eq!(draft.tries, 3);
        assert!(!draft.is_usable());
    }

    #[test]
    fn tags_are_split_cleaned_kept_once_within_etsys_limits() {
        let limits = CopyLimits {
            chars: 20,
            items: 13,
        };
        let tags = tags_of(
            "Tags: 1. Ceramic mug, #coffee cup; Coffee Cup\n- handmade pottery, a tag far longer than twenty, 3d printed #gift #mug",
            limits,
        );
        assert_eq!(
            tags,
            [
                "Ceramic mug",
                "coffee cup",
                "handmade pottery",
                "3d printed",
                "gift",
                "mug"
            ]
        );
        let few = CopyLimits {
            chars: 20,
            items: 2,
        };
        assert_eq!(tags_of("a, b, c", few), ["a", "b"]);
    }

    #[test]
    fn limits_are_the_marketplaces_own_else_shopifys_for_seo_and_etsys_for_tags() {
        let rules = crate::listings::rules::rules().unwrap();
        let on = |kind, shop| CopyLimits::on(kind, shop, &rules).unwrap();
        assert_eq!(on(CopyKind::SeoTitle, "amazon").chars, 70);
        assert_eq!(on(CopyKind::SeoDescription, "shopify").chars, 320);
        let tags = on(CopyKind::Tags, "shopify");
        assert_eq!((tags.chars, tags.items), (20, 13));
        let error = CopyLimits::on(CopyKind::Tags, "etsy", &[]).unwrap_err();
        assert!(matches!(error, AssistantError::NoLimit { .. }), "{error}");
    }

    #[test]
    fn tags_of_something_else_are_not_passed_off_as_usable() {
        let write = |_: &str, _: &str, _: Option<u64>| {
            Ok("python, javascript, react, mongodb, aws, mug".to_string())
        };
        let limits = CopyLimits {
            chars: 20,
            items: 13,
        };
        let draft = draft_copy(CopyKind::Tags, source(), &[], limits, &write).unwrap();
        assert!(!draft.is_usable(), "{draft:?}");
        assert!(speaks_of("Hand Thrown Cup", "a heavy, hand-thrown mug"));
        assert!(speaks_of("马克杯", "陶瓷马克杯 350 ml"));
        assert!(!speaks_of("gift", "a heavy mug"));
    }

    #[test]
    fn too_few_tags_are_asked_again_and_nothing_to_write_from_is_refused() {
        let tries = std::cell::Cell::new(0);
        let write = |_: &str, _: &str, _: Option<u64>| {
            tries.set(tries.get() + 1);
            Ok(match tries.get() {
                1 => "mug".to_string(),
                _ => "mug, coffee mug, stoneware, handmade, gift for her".to_string(),
            })
        };
        let limits = CopyLimits {
            chars: 20,
            items: 13,
        };
        let draft = draft_copy(CopyKind::Tags, source(), &[], limits, &write).unwrap();
        assert_eq!(draft.tries, 2);
        assert_eq!(
            draft.text,
            "mug, coffee mug, stoneware, handmade, gift for her"
        );
        let empty = CopySource {
            title: " ",
            description_html: "<p></p>",
            language: "en",
        };
        let error = draft_copy(CopyKind::Tags, empty, &[], limits, &write).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the listing has neither a title nor a description to write its tags from"
        );
    }
}
