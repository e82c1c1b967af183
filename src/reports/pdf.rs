//! The report as a PDF, made here with krilla: each page of `pdf_layout.rs` is parsed by
//! usvg with the computer's own fonts and typeset by krilla-svg, text kept as text (the
//! fonts subset and embedded), so the file reads the same on any computer and the
//! headless CLI writes it as the app does.

use std::collections::BTreeSet;
use std::sync::Arc;

use krilla::Document;
use krilla::geom::Size;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla_svg::{SurfaceExt, SvgSettings};
use usvg::fontdb::Database;

use super::ReportError;
use super::document::Report;
use super::pdf_layout::{self, PAGE_HEIGHT, PAGE_WIDTH};

pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: u32,
}

fn failed(detail: impl std::fmt::Debug) -> ReportError {
    ReportError::Render {
        format: "PDF",
        detail: format!("{detail:?}"),
    }
}

pub fn render(report: &Report) -> Result<Pdf, ReportError> {
    let mut fonts = Database::new();
    fonts.load_system_fonts();
    if fonts.is_empty() {
        return Err(ReportError::NoFonts);
    }
    let pages = pdf_layout::pages(report);
    require_glyphs(&fonts, &pages)?;
    let options = usvg::Options {
        fontdb: Arc::new(fonts),
        ..usvg::Options::default()
    };
    let size =
        Size::from_wh(PAGE_WIDTH as f32, PAGE_HEIGHT as f32).ok_or_else(|| failed("page size"))?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(report.title.clone())
            .language(report.language.clone())
            .creator("Tradewind".to_string()),
    );
    for page in &pages {
        let tree = usvg::Tree::from_str(page, &options).map_err(failed)?;
        let mut pdf_page = document.start_page_with(PageSettings::new(size));
        let mut surface = pdf_page.surface();
        surface
            .draw_svg(&tree, size, SvgSettings::default())
            .ok_or_else(|| failed("a page could not be drawn"))?;
        surface.finish();
        pdf_page.finish();
    }
    let bytes = document.finish().map_err(failed)?;
    Ok(Pdf {
        bytes,
        pages: pages.len() as u32,
    })
}

/// Whether `c` is Chinese, Japanese or Korean: text a report cannot do without. Other
/// characters no font has (an emoji in a product's name) are left blank, not refused.
fn east_asian(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}'
            | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Fails, naming the character, when no installed font draws one of the pages' Chinese,
/// Japanese or Korean characters (usvg would leave them blank).
fn require_glyphs(fonts: &Database, pages: &[String]) -> Result<(), ReportError> {
    let mut wanted: BTreeSet<char> = pages
        .iter()
        .flat_map(|page| page.chars())
        .filter(|c| east_asian(*c))
        .collect();
    for face in fonts.faces() {
        if wanted.is_empty() {
            break;
        }
        fonts.with_face_data(face.id, |data, index| {
            if let Ok(parsed) = ttf_parser::Face::parse(data, index) {
                wanted.retain(|c| parsed.glyph_index(*c).is_none());
            }
        });
    }
    match wanted.into_iter().next() {
        Some(character) => Err(ReportError::MissingGlyph { character }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_east_asian_text_must_have_a_font() {
        assert!(east_asian('销') && east_asian('한') && east_asian('カ') && east_asian('，'));
        assert!(!east_asian('🎁') && !east_asian('é') && !east_asian('…'));
        let mut fonts = Database::new();
        fonts.load_system_fonts();
        // An emoji no font here draws is left blank rather than refusing the report.
        let page = "<text>🎁 Gift card 销售</text>".to_string();
        let checked = require_glyphs(&fonts, std::slice::from_ref(&page));
        match checked {
            Ok(()) => {}
            Err(ReportError::MissingGlyph { character }) => assert!(east_asian(character)),
            Err(other) => panic!("{other}"),
        }
    }
}
