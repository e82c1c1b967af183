//! Text that a spreadsheet opening an exported CSV would run as a formula (`=`, `+`, `-`,
//! `@` first, or a tab or carriage return that some read past) made inert with a leading
//! apostrophe, the form spreadsheets themselves use for "this is text". For exports that
//! people open; not for files that go back into a shop, whose values must stay as they were.

pub fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
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
        assert_eq!(spreadsheet_safe(""), "");
    }
}
