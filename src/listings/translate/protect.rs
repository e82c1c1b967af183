//! What a translation model must not touch: brand and product-line names, SKUs and
//! model numbers, barcodes, URLs, e-mail addresses, numbers with units, sizes and
//! emoji. Each is replaced by a placeholder the models copy as they copy product
//! codes, and put back afterwards; a placeholder the model lost is reported, never
//! silently dropped. Glossary terms ride the same mechanism: the source term is
//! masked and comes back as the glossary's target term.

use regex::Regex;
use serde::Serialize;

/// What a protected span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "ts", ts(rename = "SpanKind"))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A do-not-translate term (the brand, a product line).
    Term,
    /// A glossary term, replaced by its translation.
    Glossary,
    Url,
    Email,
    /// A number with its unit: 90 × 90 cm, 30 °C, 120 ml.
    Measure,
    /// A garment or shoe size: EU 38, 2XL.
    Size,
    /// A SKU, model number or barcode.
    Code,
    Emoji,
    /// An order number in a buyer's message: #1042, eBay's 12-34567-89012, Amazon's
    /// 123-1234567-1234567.
    Order,
    /// An amount with its currency: €24.90, 24,90 €, USD 5.
    Price,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Span {
    pub kind: Kind,
    /// The source text the placeholder stands for.
    pub original: String,
    /// What the placeholder becomes in the translation.
    pub replacement: String,
}

/// A text ready for the model, and what its placeholders stand for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    pub text: String,
    pub spans: Vec<Span>,
}

/// A translation with its placeholders put back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restored {
    pub text: String,
    /// Spans whose placeholder the model dropped; they were put back at the end of
    /// the sentence, where a reviewer should check them.
    pub missing: Vec<Span>,
    /// Placeholders the model repeated; each extra copy was removed.
    pub repeated: Vec<Span>,
}

impl Restored {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.repeated.is_empty()
    }
}

static PLACEHOLDER: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"ZX(\d+)").unwrap_or_else(|error| unreachable!("a fixed pattern: {error}"))
});

/// The placeholder text for span `index`: letters and digits, like the product codes
/// translation models copy through unchanged.
fn placeholder(index: usize) -> String {
    format!("ZX{index}")
}

const UNITS: &str = r#"(?:mm|cm|km|m|inch(?:es)?|in|ft|ml|mL|cl|l|L|fl\.?\s?oz|oz|lbs?|mg|kg|g|kW|W|V|mAh|Ah|GB|TB|MB|Hz|px|pcs|pc)\b|°\s?[CF]|℃|%|″|""#;
const SIZES: &str =
    r"\b(?:EU|US|UK|FR|IT|JP|CN)\s?\d{1,2}(?:[.,]5)?\b|\b(?:X{1,2}S|X{1,3}L|[2-6]XL)\b";
const CODES: &str =
    r"\b[A-Z0-9]{2,}(?:[-_/][A-Z0-9]+)+\b|\b(?:[A-Z]+\d[A-Z0-9]*|\d+[A-Z][A-Z0-9]*)\b|\b\d{8,14}\b";
const EMOJI: &str =
    r"\p{Extended_Pictographic}(?:\x{FE0F}|\x{200D}\p{Extended_Pictographic}|\p{Emoji_Modifier})*";

/// Order numbers and prices, which only messages to and from buyers protect (listings
/// keep their numbers with the measures and codes above).
const ORDERS: &str = r"#\d{3,}\b|\b\d{3}-\d{7}-\d{7}\b|\b\d{2}-\d{5}-\d{5}\b";
const PRICES: &str = r"[€$£¥]\s?\d+(?:[.,]\d{1,2})?|\b(?:EUR|USD|GBP|CHF|PLN|JPY|CAD|AUD)\s?\d+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?\s?(?:€|\b(?:EUR|USD|GBP|CHF|PLN|JPY|CAD|AUD|zł)\b)";

pub struct Protector {
    pattern: Regex,
    /// Glossary targets by source term, for this target language.
    glossary: Vec<(String, String)>,
}

fn literal_alternation(terms: &[&str]) -> Option<String> {
    let mut sorted: Vec<&str> = terms
        .iter()
        .copied()
        .filter(|term| !term.trim().is_empty())
        .collect();
    // Longest first, so "Acme Pro" wins over "Acme".
    sorted.sort_by_key(|term| std::cmp::Reverse(term.len()));
    (!sorted.is_empty()).then(|| {
        sorted
            .iter()
            .map(|term| format!(r"\b{}\b", regex::escape(term)))
            .collect::<Vec<_>>()
            .join("|")
    })
}

impl Protector {
    /// Protects `terms` as they are, and replaces each glossary source term with its
    /// target. Terms match whole words, case-sensitively.
    pub fn new(terms: &[String], glossary: &[(String, String)]) -> Protector {
        Protector::with(terms, glossary, &[])
    }

    /// For messages between seller and buyer: order numbers and prices are kept too.
    pub fn for_messages(terms: &[String]) -> Protector {
        Protector::with(
            terms,
            &[],
            &[
                format!("(?P<order>{ORDERS})"),
                format!("(?P<price>{PRICES})"),
            ],
        )
    }

    fn with(terms: &[String], glossary: &[(String, String)], first: &[String]) -> Protector {
        let term_refs: Vec<&str> = terms.iter().map(String::as_str).collect();
        let glossary_refs: Vec<&str> = glossary.iter().map(|(source, _)| source.as_str()).collect();
        let number = r"\d+(?:[.,]\d+)?";
        let measure = format!(r"{number}(?:\s?[×xX*]\s?{number})*\s?(?:{UNITS})");
        // Text that reads as a placeholder is masked like a code, so that restoring
        // never takes the seller's "ZX12" for a span.
        let mut alternatives = vec![r"ZX\d+".to_string()];
        alternatives.extend_from_slice(first);
        if let Some(terms) = literal_alternation(&term_refs) {
            alternatives.push(format!("(?P<term>{terms})"));
        }
        if let Some(glossary) = literal_alternation(&glossary_refs) {
            alternatives.push(format!("(?P<glossary>{glossary})"));
        }
        alternatives.extend([
            r#"(?P<url>https?://[^\s<>"']+|www\.[^\s<>"']+)"#.to_string(),
            r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)".to_string(),
            format!("(?P<measure>{measure})"),
            format!("(?P<size>{SIZES})"),
            format!("(?P<code>{CODES})"),
            format!("(?P<emoji>{EMOJI})"),
        ]);
        let pattern = Regex::new(&alternatives.join("|")).unwrap_or_else(|error| {
            unreachable!("the protection pattern is fixed and escaped: {error}")
        });
        Protector {
            pattern,
            glossary: glossary.to_vec(),
        }
    }

    /// `text` with a placeholder for each protected span, for a model that translates
    /// it: each span once, so that a span the model drops or doubles is seen.
    pub fn mask(&self, text: &str) -> Masked {
        self.mask_spans(text, false)
    }

    /// `text` with one placeholder for every span of the same text, for a model that
    /// writes from it (a reply may name an order number the facts give twice, or not).
    pub fn mask_for_writing(&self, text: &str) -> Masked {
        self.mask_spans(text, true)
    }

    fn mask_spans(&self, text: &str, shared: bool) -> Masked {
        let mut masked = String::with_capacity(text.len());
        let mut spans = Vec::new();
        let mut last = 0;
        for captures in self.pattern.captures_iter(text) {
            let Some(whole) = captures.get(0) else {
                continue;
            };
            // A placeholder followed by a digit would read as another one ("ZX1" then
            // "0" is "ZX10"): such a span (the "€24.90" of "€24.900") stays as it is.
            if text[whole.end()..].starts_with(|next: char| next.is_ascii_digit()) {
                continue;
            }
            let kind = [
                ("term", Kind::Term),
                ("glossary", Kind::Glossary),
                ("url", Kind::Url),
                ("email", Kind::Email),
                ("measure", Kind::Measure),
                ("size", Kind::Size),
                ("code", Kind::Code),
                ("emoji", Kind::Emoji),
                ("order", Kind::Order),
                ("price", Kind::Price),
            ]
            .into_iter()
            .find(|(name, _)| captures.name(name).is_some())
            .map_or(Kind::Code, |(_, kind)| kind);
            let original = whole.as_str().to_string();
            let replacement = match kind {
                Kind::Glossary => self
                    .glossary
                    .iter()
                    .find(|(source, _)| *source == original)
                    .map_or_else(|| original.clone(), |(_, target)| target.clone()),
                _ => original.clone(),
            };
            masked.push_str(&text[last..whole.start()]);
            let same = shared
                .then(|| {
                    spans
                        .iter()
                        .position(|span: &Span| span.original == original)
                })
                .flatten();
            masked.push_str(&placeholder(same.unwrap_or(spans.len())));
            if same.is_none() {
                spans.push(Span {
                    kind,
                    original,
                    replacement,
                });
            }
            last = whole.end();
        }
        masked.push_str(&text[last..]);
        Masked {
            text: masked,
            spans,
        }
    }
}

/// Spans the model dropped, put back at the end of the sentence (before its closing
/// punctuation) rather than lost: a brand, a size or an emoji in the wrong place is
/// for the reviewer to move; one that is gone is easily missed.
fn put_back(text: &str, missing: &[Span]) -> String {
    if missing.is_empty() {
        return text.to_string();
    }
    let body = text.trim_end();
    let ending = body.len()
        - body
            .trim_end_matches(['.', '!', '?', '。', '！', '？', '…'])
            .len();
    let (sentence, punctuation) = body.split_at(body.len() - ending);
    let mut restored = sentence.trim_end().to_string();
    for span in missing {
        if !restored.is_empty() {
            restored.push(' ');
        }
        restored.push_str(&span.replacement);
    }
    restored.push_str(punctuation);
    restored.push_str(&text[body.len()..]);
    restored
}

impl Masked {
    /// What a model wrote from the masked text, each placeholder it used (any number of
    /// times) turned back into its span; placeholders that stand for nothing (the model
    /// made them up) are taken out and returned, for the seller to check the sentence.
    pub fn fill_in(&self, written: &str) -> (String, Vec<String>) {
        let mut text = String::with_capacity(written.len());
        let mut invented = Vec::new();
        let mut last = 0;
        for captures in PLACEHOLDER.captures_iter(written) {
            let (Some(whole), Some(number)) = (captures.get(0), captures.get(1)) else {
                continue;
            };
            text.push_str(&written[last..whole.start()]);
            match number
                .as_str()
                .parse::<usize>()
                .ok()
                .and_then(|index| self.spans.get(index))
            {
                Some(span) => text.push_str(&span.replacement),
                None => invented.push(whole.as_str().to_string()),
            }
            last = whole.end();
        }
        text.push_str(&written[last..]);
        (text, invented)
    }

    /// Puts every span back into `translated`, and reports any the model dropped or
    /// repeated.
    pub fn restore(&self, translated: &str) -> Restored {
        let pattern = &*PLACEHOLDER;
        let mut seen = vec![0usize; self.spans.len()];
        let mut text = String::with_capacity(translated.len());
        let mut last = 0;
        let mut repeated = Vec::new();
        for captures in pattern.captures_iter(translated) {
            let (Some(whole), Some(number)) = (captures.get(0), captures.get(1)) else {
                continue;
            };
            let Some(index) = number
                .as_str()
                .parse::<usize>()
                .ok()
                .filter(|index| *index < self.spans.len())
            else {
                continue;
            };
            text.push_str(&translated[last..whole.start()]);
            seen[index] += 1;
            if seen[index] == 1 {
                text.push_str(&self.spans[index].replacement);
            } else {
                repeated.push(self.spans[index].clone());
            }
            last = whole.end();
        }
        text.push_str(&translated[last..]);
        let missing: Vec<Span> = self
            .spans
            .iter()
            .zip(&seen)
            .filter(|(_, count)| **count == 0)
            .map(|(span, _)| span.clone())
            .collect();
        let text = put_back(&text, &missing);
        Restored {
            text,
            missing,
            repeated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protector() -> Protector {
        Protector::new(
            &["Northwind".into(), "Northwind Trail".into()],
            &[("tote bag".into(), "Tragetasche".into())],
        )
    }

    #[test]
    fn each_kind_of_span_is_masked_and_comes_back_unchanged() {
        let cases: &[(&str, &[(Kind, &str)])] = &[
            (
                "Northwind Trail backpack",
                &[(Kind::Term, "Northwind Trail")],
            ),
            ("by Northwind, 2024", &[(Kind::Term, "Northwind")]),
            (
                "Tablecloth 90 × 90 cm, wash at 30 °C",
                &[(Kind::Measure, "90 × 90 cm"), (Kind::Measure, "30 °C")],
            ),
            (
                "Bottle 120 ml, 40% off",
                &[(Kind::Measure, "120 ml"), (Kind::Measure, "40%")],
            ),
            (
                "Shoes EU 38 and 2XL shirts",
                &[(Kind::Size, "EU 38"), (Kind::Size, "2XL")],
            ),
            (
                "Sizes XXS to XXXL",
                &[(Kind::Size, "XXS"), (Kind::Size, "XXXL")],
            ),
            (
                "SKU NW-TOTE-01, model X200, EAN 4006381333931",
                &[
                    (Kind::Code, "NW-TOTE-01"),
                    (Kind::Code, "X200"),
                    (Kind::Code, "4006381333931"),
                ],
            ),
            (
                "See https://shop.example/p?id=1 or mail help@example.com",
                &[
                    (Kind::Url, "https://shop.example/p?id=1"),
                    (Kind::Email, "help@example.com"),
                ],
            ),
            (
                "Gift ready 🎁 and 👍🏽",
                &[(Kind::Emoji, "🎁"), (Kind::Emoji, "👍🏽")],
            ),
            ("A plain sentence with nothing to keep.", &[]),
        ];
        let protector = protector();
        for (text, expected) in cases {
            let masked = protector.mask(text);
            let found: Vec<(Kind, &str)> = masked
                .spans
                .iter()
                .map(|span| (span.kind, span.original.as_str()))
                .collect();
            assert_eq!(found, *expected, "{text} → {}", masked.text);
            for span in &masked.spans {
                assert!(
                    !masked.text.contains(&span.original),
                    "{text} → {}",
                    masked.text
                );
            }
            let restored = masked.restore(&masked.text);
            assert!(restored.is_complete());
            assert_eq!(restored.text, *text);
        }
    }

    #[test]
    fn a_glossary_term_comes_back_as_its_translation() {
        let masked = protector().mask("Canvas tote bag by Northwind");
        assert_eq!(masked.text, "Canvas ZX0 by ZX1");
        let restored = masked.restore("ZX0 aus Canvas von ZX1");
        assert_eq!(restored.text, "Tragetasche aus Canvas von Northwind");
        assert!(restored.is_complete());
    }

    #[test]
    fn placeholders_the_model_drops_or_repeats_are_reported_not_hidden() {
        let masked = protector().mask("Northwind mug, 350 ml");
        let restored = masked.restore("Becher ZX1 ZX1");
        assert_eq!(
            restored.text, "Becher 350 ml Northwind ",
            "put back, not lost"
        );
        assert_eq!(restored.missing.len(), 1);
        assert_eq!(restored.missing[0].original, "Northwind");
        assert_eq!(restored.repeated.len(), 1);
        assert!(!restored.is_complete());
        // A number the model made up that no span has is left as the model wrote it.
        assert_eq!(masked.restore("ZX0 ZX1 ZX7").text, "Northwind 350 ml ZX7");
        let emoji = protector().mask("A gift for you 🎁.");
        assert_eq!(emoji.restore("Ein Geschenk.").text, "Ein Geschenk 🎁.");
    }

    #[test]
    fn a_message_keeps_order_numbers_and_prices_and_a_written_reply_may_use_them_freely() {
        let protector = Protector::for_messages(&["Kumo".into()]);
        let message =
            "Order #1042 (eBay 12-34567-89012) cost €48.00, the Kumo mug 24,90 € and USD 5.";
        let masked = protector.mask_for_writing(&format!("{message} Again: #1042."));
        let kinds: Vec<(Kind, &str)> = masked
            .spans
            .iter()
            .map(|span| (span.kind, span.original.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Kind::Order, "#1042"),
                (Kind::Order, "12-34567-89012"),
                (Kind::Price, "€48.00"),
                (Kind::Term, "Kumo"),
                (Kind::Price, "24,90 €"),
                (Kind::Price, "USD 5"),
            ],
            "the second #1042 shares the first one's placeholder"
        );
        assert!(masked.text.ends_with("Again: ZX0."), "{}", masked.text);
        let (reply, invented) =
            masked.fill_in("Your order ZX0 for ZX2 ships today; ZX0 is paid. ZX9 is odd.");
        assert_eq!(
            reply,
            "Your order #1042 for €48.00 ships today; #1042 is paid.  is odd."
        );
        assert_eq!(invented, ["ZX9"]);
        // Listings keep their own rules: no order numbers or prices.
        assert!(
            Protector::new(&[], &[])
                .mask("#1042 for €48.00")
                .spans
                .is_empty()
        );
    }

    /// Found by the fuzz target `protector`: a span followed by a digit made a
    /// placeholder that read as another ("ZX1" + "0"), and the seller's own "ZX…"
    /// text read as a placeholder.
    #[test]
    fn placeholders_never_run_into_the_text_around_them() {
        let protector = Protector::for_messages(&[]);
        for text in [
            "cost €24.900 (24,90 €)",
            "50%1 off",
            "see aZX5 and ZX0 here 🎁7",
        ] {
            let masked = protector.mask(text);
            let restored = masked.restore(&masked.text);
            assert_eq!(restored.text, text, "masked as {}", masked.text);
            assert!(restored.is_complete());
        }
        let masked = protector.mask("aZX5 then USD 5");
        assert_eq!(masked.spans[0].original, "ZX5");
        assert_eq!(masked.spans[1].kind, Kind::Price);
    }
}
