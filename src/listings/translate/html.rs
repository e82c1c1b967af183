//! The translatable text of a product description's HTML: text nodes and the `alt`
//! and `title` attributes, outside `script`, `style` and `code`. Rebuilding puts
//! translations in their places and leaves every tag, attribute, entity and byte of
//! whitespace around them as it was (lol_html rewrites the stream; only the
//! translated pieces change).

use std::cell::RefCell;
use std::rc::Rc;

use lol_html::html_content::{ContentType, Element, TextChunk};
use lol_html::{HtmlRewriter, Settings, doc_text, element};
use serde::Serialize;

/// Attributes whose values people read.
const READABLE_ATTRIBUTES: &[&str] = &["alt", "title"];
/// Elements whose text is code, not prose.
const NOT_PROSE: &str = "script, style, code, pre, noscript, template";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum PieceKind {
    Text,
    Attribute(String),
}

/// One translatable piece: entities decoded, surrounding whitespace left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub kind: PieceKind,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HtmlError(String);

/// What to do with each piece: `None` keeps it as it is.
type Visit<'a> = dyn FnMut(&Piece) -> Option<String> + 'a;

/// Walks `html`, offering each translatable piece to `visit`, and returns the HTML
/// with the pieces `visit` replaced.
fn walk(html: &str, visit: &mut Visit) -> Result<String, HtmlError> {
    let visit = Rc::new(RefCell::new(visit));
    let not_prose_depth = Rc::new(RefCell::new(0usize));
    let pending = Rc::new(RefCell::new(String::new()));
    let mut output = Vec::with_capacity(html.len());

    let depth_in = not_prose_depth.clone();
    let attribute_visit = visit.clone();
    let text_visit = visit.clone();
    let depth_for_text = not_prose_depth.clone();
    let mut rewriter = HtmlRewriter::new(
        Settings {
            element_content_handlers: vec![
                element!(NOT_PROSE, move |el: &mut Element| {
                    *depth_in.borrow_mut() += 1;
                    let depth_out = depth_in.clone();
                    if let Some(handlers) = el.end_tag_handlers() {
                        handlers.push(Box::new(move |_end| {
                            let mut depth = depth_out.borrow_mut();
                            *depth = depth.saturating_sub(1);
                            Ok(())
                        }));
                    }
                    Ok(())
                }),
                element!("[alt], [title]", move |el: &mut Element| {
                    for name in READABLE_ATTRIBUTES {
                        let Some(raw) = el.get_attribute(name) else {
                            continue;
                        };
                        let text = html_escape::decode_html_entities(&raw).trim().to_string();
                        if !has_words(&text) {
                            continue;
                        }
                        let piece = Piece {
                            kind: PieceKind::Attribute(name.to_string()),
                            text,
                        };
                        let replacement = (attribute_visit.borrow_mut())(&piece);
                        if let Some(replacement) = replacement {
                            // lol_html escapes quotes; ampersands are ours to escape.
                            el.set_attribute(name, &replacement.replace('&', "&amp;"))?;
                        }
                    }
                    Ok(())
                }),
            ],
            document_content_handlers: vec![doc_text!(move |chunk: &mut TextChunk| {
                pending.borrow_mut().push_str(chunk.as_str());
                if !chunk.last_in_text_node() {
                    chunk.remove();
                    return Ok(());
                }
                let raw = std::mem::take(&mut *pending.borrow_mut());
                let replacement = if *depth_for_text.borrow() > 0 {
                    None
                } else {
                    translated_text_node(&raw, &mut **text_visit.borrow_mut())
                };
                chunk.replace(replacement.as_deref().unwrap_or(&raw), ContentType::Html);
                Ok(())
            })],
            ..Settings::new()
        },
        |bytes: &[u8]| output.extend_from_slice(bytes),
    );
    rewriter
        .write(html.as_bytes())
        .map_err(|error| HtmlError(error.to_string()))?;
    rewriter
        .end()
        .map_err(|error| HtmlError(error.to_string()))?;
    String::from_utf8(output).map_err(|error| HtmlError(error.to_string()))
}

/// Whether a piece has anything to translate (not only spaces, digits, punctuation).
fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
}

/// The raw text node with its prose replaced, whitespace around it kept; `None`
/// when there is nothing to translate or `visit` keeps it.
fn translated_text_node(raw: &str, visit: &mut Visit) -> Option<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return None;
    }
    let text = html_escape::decode_html_entities(trimmed).to_string();
    if !has_words(&text) {
        return None;
    }
    let leading = &raw[..raw.len() - raw.trim_start().len()];
    let trailing = &raw[raw.trim_end().len()..];
    let piece = Piece {
        kind: PieceKind::Text,
        text,
    };
    let replacement = visit(&piece)?;
    Some(format!(
        "{leading}{}{trailing}",
        html_escape::encode_text(&replacement)
    ))
}

/// The translatable pieces of `html`, in document order.
pub fn pieces(html: &str) -> Result<Vec<Piece>, HtmlError> {
    let mut found = Vec::new();
    walk(html, &mut |piece: &Piece| {
        found.push(piece.clone());
        None
    })?;
    Ok(found)
}

/// `html` with its pieces replaced, in the order `pieces` gave them, by
/// `translations` (`None` keeps a piece as it was).
pub fn rebuild(html: &str, translations: &[Option<String>]) -> Result<String, HtmlError> {
    let mut next = translations.iter();
    walk(html, &mut |_: &Piece| next.next().cloned().flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESCRIPTION: &str = "<p>Our <strong>waxed canvas</strong> tote &amp; a brass buckle.</p>\r\n\
        <ul>\r\n  <li><strong>Size:</strong> 40 × 35 cm</li>\r\n  <li>Made in Portugal&nbsp;🇵🇹</li>\r\n</ul>\r\n\
        <p><a href=\"https://shop.example/care?x=1&amp;y=2\" title=\"Care &amp; repair\">Care guide</a>\
        <img src=\"tote.jpg\" alt=\"Tote bag on a bench\"></p>\
        <script>var label = \"do not translate\";</script><style>p { color: red }</style>";

    /// The HTML with every translatable piece replaced by what `translate` makes of it.
    fn translate_with(
        html: &str,
        translate: &mut dyn FnMut(&Piece) -> String,
    ) -> Result<String, HtmlError> {
        walk(html, &mut |piece: &Piece| Some(translate(piece)))
    }

    fn tags(html: &str) -> Vec<String> {
        let tag = regex::Regex::new(r"<[^>]*>").unwrap();
        tag.find_iter(html)
            .map(|found| found.as_str().to_string())
            .collect()
    }

    #[test]
    fn finds_text_nodes_and_readable_attributes_in_order_but_not_code() {
        let found: Vec<(PieceKind, String)> = pieces(DESCRIPTION)
            .unwrap()
            .into_iter()
            .map(|piece| (piece.kind, piece.text))
            .collect();
        let text = |value: &str| (PieceKind::Text, value.to_string());
        let attribute =
            |name: &str, value: &str| (PieceKind::Attribute(name.into()), value.to_string());
        assert_eq!(
            found,
            [
                text("Our"),
                text("waxed canvas"),
                text("tote & a brass buckle."),
                text("Size:"),
                text("40 × 35 cm"),
                text("Made in Portugal\u{a0}🇵🇹"),
                attribute("title", "Care & repair"),
                text("Care guide"),
                attribute("alt", "Tote bag on a bench"),
            ]
        );
    }

    #[test]
    fn rebuilding_changes_only_the_translated_pieces() {
        // Keeping every piece gives back the very same bytes.
        assert_eq!(rebuild(DESCRIPTION, &[]).unwrap(), DESCRIPTION);

        let translated = translate_with(DESCRIPTION, &mut |piece: &Piece| {
            format!("«{}»", piece.text.to_uppercase())
        })
        .unwrap();
        // Every tag and attribute but the two translated attributes is intact.
        let before = tags(DESCRIPTION);
        let after = tags(&translated);
        assert_eq!(before.len(), after.len());
        for (old, new) in before.iter().zip(&after) {
            if old.contains("title=") || old.contains("alt=") {
                continue;
            }
            assert_eq!(old, new);
        }
        assert!(
            translated.contains(r#"title="«CARE &amp; REPAIR»""#),
            "{translated}"
        );
        assert!(
            translated.contains(r#"alt="«TOTE BAG ON A BENCH»""#),
            "{translated}"
        );
        // Entities are re-escaped, whitespace around text kept, code untouched.
        assert!(
            translated.contains(
                "<p>«OUR» <strong>«WAXED CANVAS»</strong> «TOTE &amp; A BRASS BUCKLE.»</p>\r\n"
            ),
            "{translated}"
        );
        assert!(
            translated.contains("<li><strong>«SIZE:»</strong> «40 × 35 CM»</li>"),
            "{translated}"
        );
        assert!(translated.contains("href=\"https://shop.example/care?x=1&amp;y=2\""));
        assert!(translated.ends_with(
            "<script>var label = \"do not translate\";</script><style>p { color: red }</style>"
        ));

        // A translation that looks like markup stays text.
        let hostile = translate_with("<p>Hello</p>", &mut |_: &Piece| {
            "<img src=x onerror=alert(1)>".into()
        })
        .unwrap();
        assert_eq!(hostile, "<p>&lt;img src=x onerror=alert(1)&gt;</p>");
    }

    #[test]
    fn rebuild_takes_translations_in_the_order_pieces_gave() {
        let html = "<p>One</p><p>Two <b>three</b></p>";
        let rebuilt = rebuild(html, &[Some("Eins".into()), None, Some("drei".into())]).unwrap();
        assert_eq!(rebuilt, "<p>Eins</p><p>Two <b>drei</b></p>");
    }
}
