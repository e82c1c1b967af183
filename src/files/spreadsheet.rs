//! Text that a spreadsheet opening an exported CSV would run as a formula (`=`, `+`, `-`,
//! `@` first, or a tab or carriage return that some read past) made inert with a leading
//! apostrophe, the form spreadsheets themselves use for "this is text". For exports that
//! people open; not for files that go back into a shop, whose values must stay as they were.

pub fn spreadsheet_safe(text: &str) -> String {
    if needs_apostrophe(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// `text` as it was before `spreadsheet_safe`, for a file Tradewind wrote that comes back
/// (a glossary): the apostrophe a formula-like text was given is taken off again.
pub fn from_spreadsheet_safe(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if needs_apostrophe(rest) => rest,
        _ => text,
    }
}

/// Text a spreadsheet would run, or that reads as made inert already ("'=x"): the second
/// gets an apostrophe too, so that `from_spreadsheet_safe` gives back exactly the text.
fn needs_apostrophe(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    ) || text.strip_prefix('\'').is_some_and(needs_apostrophe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_made_inert_and_other_text_kept() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-5 cm strap"), "'-5 cm strap");
        assert_eq!(spreadsheet_safe("Linen cushion"), "Linen cushion");
        for text in ["=1+1", "-5 cm", "'quoted", "plain", "'=already"] {
            assert_eq!(from_spreadsheet_safe(&spreadsheet_safe(text)), text);
        }
        assert_eq!(spreadsheet_safe(""), "");
    }
}
