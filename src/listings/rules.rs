//! Marketplace length limits (`assets/marketplace-rules.toml`, with their sources),
//! checked on translated fields: a translation is often longer than its source.

use serde::{Deserialize, Serialize};

use super::ListingsError;
use super::translate::{StoredTranslation, stored};
use crate::store::Store;

const RULES: &str = include_str!("../../assets/marketplace-rules.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub marketplace: String,
    /// A field name, or `tag` for each item of `tags`.
    pub field: String,
    pub chars: Option<usize>,
    pub bytes: Option<usize>,
    /// At most this many comma-separated items.
    pub items: Option<usize>,
    #[serde(default)]
    pub guidance: bool,
    pub source: String,
}

#[derive(Deserialize)]
struct RuleFile {
    rule: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Violation {
    pub marketplace: String,
    pub field: String,
    /// What is too long: the field, or one tag.
    pub text: String,
    pub limit: String,
    pub actual: String,
    /// A search-engine recommendation, not a limit the marketplace enforces.
    pub guidance: bool,
    pub source: String,
}

/// Every rule, as shipped.
pub fn rules() -> Result<Vec<Rule>, ListingsError> {
    toml::from_str::<RuleFile>(RULES)
        .map(|file| file.rule)
        .map_err(|error| ListingsError::Rules {
            detail: error.to_string(),
        })
}

/// The stored translations that break `marketplace`'s length limits, each with what
/// is too long.
pub fn violations(
    store: &Store,
    marketplace: &str,
) -> Result<Vec<(StoredTranslation, Vec<Violation>)>, ListingsError> {
    let rules = rules()?;
    require_marketplace(&rules, marketplace)?;
    Ok(stored(store)?
        .into_iter()
        .filter_map(|row| {
            let found = check(&rules, marketplace, &row.field, &row.translated);
            (!found.is_empty()).then_some((row, found))
        })
        .collect())
}

/// Every stored translation, each with the limits of `marketplace` it breaks (none
/// without a marketplace).
pub fn with_violations(
    store: &Store,
    marketplace: Option<&str>,
) -> Result<Vec<(StoredTranslation, Vec<Violation>)>, ListingsError> {
    let over = match marketplace {
        Some(marketplace) => violations(store, marketplace)?,
        None => Vec::new(),
    };
    Ok(stored(store)?
        .into_iter()
        .map(|row| {
            let found = over
                .iter()
                .find(|(stored, _)| {
                    (stored.listing_id, &stored.field, &stored.locale)
                        == (row.listing_id, &row.field, &row.locale)
                })
                .map(|(_, violations)| violations.clone())
                .unwrap_or_default();
            (row, found)
        })
        .collect())
}

/// Refuses a marketplace the rules do not know, naming those they do.
pub fn require_marketplace(rules: &[Rule], marketplace: &str) -> Result<(), ListingsError> {
    let known = marketplaces(rules);
    if known.iter().any(|name| name == marketplace) {
        Ok(())
    } else {
        Err(ListingsError::UnknownMarketplace {
            name: marketplace.to_string(),
            known: known.join(", "),
        })
    }
}

/// The marketplaces the rules know.
pub fn marketplaces(rules: &[Rule]) -> Vec<String> {
    let mut names: Vec<String> = rules.iter().map(|rule| rule.marketplace.clone()).collect();
    names.sort();
    names.dedup();
    names
}

fn violation(rule: &Rule, text: &str, limit: String, actual: String) -> Violation {
    Violation {
        marketplace: rule.marketplace.clone(),
        field: rule.field.clone(),
        text: text.to_string(),
        limit,
        actual,
        guidance: rule.guidance,
        source: rule.source.clone(),
    }
}

fn check_one(rule: &Rule, text: &str) -> Vec<Violation> {
    let mut found = Vec::new();
    if let Some(limit) = rule.chars {
        let count = text.chars().count();
        if count > limit {
            found.push(violation(
                rule,
                text,
                format!("{limit} characters"),
                format!("{count} characters"),
            ));
        }
    }
    if let Some(limit) = rule.bytes
        && text.len() > limit
    {
        found.push(violation(
            rule,
            text,
            format!("{limit} bytes"),
            format!("{} bytes", text.len()),
        ));
    }
    found
}

/// What `text` in `field` breaks on `marketplace`.
pub fn check(rules: &[Rule], marketplace: &str, field: &str, text: &str) -> Vec<Violation> {
    let tags = || text.split(',').map(str::trim).filter(|tag| !tag.is_empty());
    let mut found = Vec::new();
    // Every image's alt text ("image_alt:2") answers to the alt text's rules.
    let field = match field.split_once(':') {
        Some(("image_alt", _)) => "image_alt",
        _ => field,
    };
    for rule in rules.iter().filter(|rule| rule.marketplace == marketplace) {
        if rule.field == field {
            found.extend(check_one(rule, text));
            if let Some(limit) = rule.items {
                let count = tags().count();
                if count > limit {
                    found.push(violation(
                        rule,
                        text,
                        format!("{limit} items"),
                        format!("{count} items"),
                    ));
                }
            }
        } else if rule.field == "tag" && field == "tags" {
            found.extend(tags().flat_map(|tag| check_one(rule, tag)));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_rules_parse_and_each_names_its_source() {
        let rules = rules().unwrap();
        assert_eq!(marketplaces(&rules), ["amazon", "ebay", "etsy", "shopify"]);
        assert!(rules.iter().all(|rule| !rule.source.is_empty()));
        assert!(
            rules
                .iter()
                .all(|rule| rule.chars.is_some() || rule.bytes.is_some() || rule.items.is_some())
        );
    }

    #[test]
    fn limits_count_characters_bytes_and_tags_as_each_marketplace_does() {
        let rules = rules().unwrap();
        let long_title =
            "Wasserdichte Tragetasche aus gewachstem Canvas mit Messingschnalle und Lederriemen";
        assert_eq!(long_title.chars().count(), 82);
        let ebay = check(&rules, "ebay", "title", long_title);
        assert_eq!((ebay.len(), ebay[0].actual.as_str()), (1, "82 characters"));
        assert!(check(&rules, "etsy", "title", long_title).is_empty());

        // 200 characters of "ü" are 400 bytes: over Amazon's search-terms bytes.
        let umlauts = "ü".repeat(200);
        let terms = check(&rules, "amazon", "search_terms", &umlauts);
        assert_eq!(terms[0].actual, "400 bytes");

        let tags = (1..=14)
            .map(|index| format!("tag{index}"))
            .collect::<Vec<_>>()
            .join(", ")
            + ", ein sehr langer Schlagwortname";
        let etsy = check(&rules, "etsy", "tags", &tags);
        assert!(
            etsy.iter()
                .any(|violation| violation.limit == "13 items" && violation.actual == "15 items")
        );
        assert!(
            etsy.iter()
                .any(|violation| violation.text == "ein sehr langer Schlagwortname")
        );

        let seo = check(&rules, "shopify", "seo_title", &"x".repeat(71));
        assert!(seo[0].guidance);
    }
}
