//! The report laid out on A4 pages, each page drawn as one SVG (text, figure boxes,
//! the charts of `chart_svg.rs`, tables whose header repeats on every page they run
//! onto). Text widths are estimated from the characters (a Chinese character is about
//! one em, a Latin letter about 0.6), which is close enough to fit columns and cut
//! overlong cells with an ellipsis.

use std::fmt::Write;

use super::chart_svg::{self, FONTS, escape};
use super::document::{CellKind, Report, Table};

pub const PAGE_WIDTH: f64 = 595.0;
pub const PAGE_HEIGHT: f64 = 842.0;
const MARGIN: f64 = 40.0;
const CONTENT_WIDTH: f64 = PAGE_WIDTH - 2.0 * MARGIN;
/// The bottom of the content: the page number goes below it.
const CONTENT_BOTTOM: f64 = PAGE_HEIGHT - MARGIN - 10.0;
const CHART_HEIGHT: f64 = 170.0;
const TABLE_FONT: f64 = 7.5;
const ROW_HEIGHT: f64 = 13.0;
const CELL_PADDING: f64 = 4.0;
/// How much wider bold text runs than regular.
const BOLD_WIDTH: f64 = 1.12;
/// The narrowest a text column is squeezed to when a table is too wide for the page.
const NARROWEST_TEXT: f64 = 48.0;
const INK: &str = "#1f2933";
const MUTED: &str = "#52606d";
const RULE: &str = "#e4e7eb";

/// The estimated width of `text` set at `size` points.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' => 1.0,
            '\u{FF00}'..='\u{FFEF}' => 1.0,
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.32,
            'A'..='Z' | 'm' | 'w' | '%' | '@' => 0.72,
            _ => 0.58,
        })
        .sum::<f64>()
        * size
}

/// `text` cut with an ellipsis to fit `width` at `size`.
fn fitted(text: &str, size: f64, width: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let mut kept = String::new();
    for c in text.chars() {
        kept.push(c);
        if text_width(&kept, size) + text_width("…", size) > width {
            kept.pop();
            break;
        }
    }
    format!("{}…", kept.trim_end())
}

/// `text` broken into lines that fit `width` at `size`: at spaces, or anywhere in
/// Chinese, which has none.
fn wrapped(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        line.push(c);
        if text_width(&line, size) <= width {
            continue;
        }
        // Too wide: break at the line's last space, else before this character.
        match line.rfind(' ') {
            Some(at) if at > 0 => {
                let rest = line[at + 1..].to_string();
                line.truncate(at);
                lines.push(std::mem::replace(&mut line, rest));
            }
            _ => {
                line.pop();
                lines.push(std::mem::replace(&mut line, c.to_string()));
            }
        }
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines
}

struct Pages {
    done: Vec<String>,
    page: String,
    y: f64,
}

impl Pages {
    fn new() -> Pages {
        Pages {
            done: Vec::new(),
            page: String::new(),
            y: MARGIN,
        }
    }

    /// Starts a new page unless `height` fits below what the page holds.
    fn room(&mut self, height: f64) {
        if self.y + height > CONTENT_BOTTOM && !self.page.is_empty() {
            self.done.push(std::mem::take(&mut self.page));
            self.y = MARGIN;
        }
    }

    fn text(&mut self, x: f64, y: f64, size: f64, style: &str, text: &str) {
        let _ = write!(
            self.page,
            r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" {style}>{}</text>"#,
            escape(text)
        );
    }

    fn finish(mut self, title: &str) -> Vec<String> {
        if !self.page.is_empty() {
            self.done.push(self.page);
        }
        let total = self.done.len();
        self.done
            .into_iter()
            .enumerate()
            .map(|(index, body)| {
                format!(
                    r#"<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_WIDTH}" height="{PAGE_HEIGHT}" viewBox="0 0 {PAGE_WIDTH} {PAGE_HEIGHT}" font-family="{FONTS}"><rect width="{PAGE_WIDTH}" height="{PAGE_HEIGHT}" fill="white"/>{body}<text x="{MARGIN}" y="{:.1}" font-size="7" fill="{MUTED}">{}</text><text x="{:.1}" y="{:.1}" font-size="7" fill="{MUTED}" text-anchor="end">{} / {total}</text></svg>"#,
                    PAGE_HEIGHT - MARGIN + 12.0,
                    escape(title),
                    PAGE_WIDTH - MARGIN,
                    PAGE_HEIGHT - MARGIN + 12.0,
                    index + 1
                )
            })
            .collect()
    }
}

/// The report's pages, each a complete SVG document.
pub fn pages(report: &Report) -> Vec<String> {
    let mut pages = Pages::new();
    pages.y += 20.0;
    let bold_ink = format!(r#"font-weight="bold" fill="{INK}""#);
    let muted = format!(r#"fill="{MUTED}""#);
    pages.text(MARGIN, pages.y, 20.0, &bold_ink, &report.title);
    pages.y += 16.0;
    for line in &report.about {
        for part in wrapped(line, 9.0, CONTENT_WIDTH) {
            pages.text(MARGIN, pages.y, 9.0, &muted, &part);
            pages.y += 12.0;
        }
    }
    pages.y += 8.0;
    figures(&mut pages, report);
    for chart in &report.charts {
        pages.room(CHART_HEIGHT + 14.0);
        let _ = write!(
            pages.page,
            r#"<g transform="translate({MARGIN} {:.1})">{}</g>"#,
            pages.y,
            chart_svg::draw(chart, CONTENT_WIDTH, CHART_HEIGHT)
        );
        pages.y += CHART_HEIGHT + 14.0;
    }
    for table in &report.tables {
        self::table(&mut pages, table);
    }
    pages.finish(&report.title)
}

fn figures(pages: &mut Pages, report: &Report) {
    const PER_ROW: usize = 4;
    const GAP: f64 = 8.0;
    const HEIGHT: f64 = 40.0;
    let width = (CONTENT_WIDTH - GAP * (PER_ROW as f64 - 1.0)) / PER_ROW as f64;
    for row in report.figures.chunks(PER_ROW) {
        pages.room(HEIGHT + GAP);
        for (index, figure) in row.iter().enumerate() {
            let x = MARGIN + (width + GAP) * index as f64;
            let _ = write!(
                pages.page,
                r##"<rect x="{x:.1}" y="{:.1}" width="{width:.1}" height="{HEIGHT}" rx="4" fill="none" stroke="#d9dee5"/>"##,
                pages.y
            );
            let label = fitted(&figure.label, 7.5, width - 12.0);
            let value = fitted(&figure.value.display(), 13.0, width - 12.0);
            pages.text(
                x + 6.0,
                pages.y + 13.0,
                7.5,
                &format!(r#"fill="{MUTED}""#),
                &label,
            );
            pages.text(
                x + 6.0,
                pages.y + 31.0,
                13.0,
                &format!(r#"font-weight="bold" fill="{INK}""#),
                &value,
            );
        }
        pages.y += HEIGHT + GAP;
    }
    pages.y += 6.0;
}

/// Each column's width: what its widest cell needs, text columns narrowed to fit the
/// page when the whole is too wide.
fn column_widths(table: &Table) -> Vec<f64> {
    let mut widths: Vec<f64> = table
        .columns
        .iter()
        .enumerate()
        .map(|(index, column)| {
            let cells = table
                .rows
                .iter()
                .filter_map(|row| row.get(index))
                .map(|cell| text_width(&cell.display(), TABLE_FONT));
            // Headers are bold, a little wider than the estimate; one point of slack
            // keeps a cell that just fits from being cut by rounding.
            let header = text_width(&column.name, TABLE_FONT) * BOLD_WIDTH;
            cells.fold(header, f64::max) + 2.0 * CELL_PADDING + 1.0
        })
        .collect();
    let total: f64 = widths.iter().sum();
    if total < CONTENT_WIDTH {
        let scale = CONTENT_WIDTH / total;
        widths.iter_mut().for_each(|width| *width *= scale);
        return widths;
    }
    // Too wide: text columns give up what they have beyond their header's width (or
    // `NARROWEST_TEXT`), each in proportion; numbers keep theirs.
    let floors: Vec<f64> = table
        .columns
        .iter()
        .zip(&widths)
        .map(|(column, width)| match column.kind {
            CellKind::Text => {
                (text_width(&column.name, TABLE_FONT) * BOLD_WIDTH + 2.0 * CELL_PADDING + 1.0)
                    .max(NARROWEST_TEXT)
                    .min(*width)
            }
            _ => *width,
        })
        .collect();
    let spare: f64 = widths.iter().zip(&floors).map(|(w, f)| w - f).sum();
    let excess = total - CONTENT_WIDTH;
    if spare > excess {
        let keep = (spare - excess) / spare;
        for (width, floor) in widths.iter_mut().zip(&floors) {
            *width = floor + (*width - floor) * keep;
        }
    } else {
        let scale = CONTENT_WIDTH / total;
        widths.iter_mut().for_each(|width| *width *= scale);
    }
    widths
}

fn table_header(pages: &mut Pages, table: &Table, widths: &[f64]) {
    let _ = write!(
        pages.page,
        r##"<rect x="{MARGIN}" y="{:.1}" width="{CONTENT_WIDTH}" height="{ROW_HEIGHT}" fill="#f5f7fa"/>"##,
        pages.y
    );
    row(pages, table, widths, None);
}

/// One row of `table` (its header when `cells` is None) at the current height.
fn row(pages: &mut Pages, table: &Table, widths: &[f64], cells: Option<&[super::Cell]>) {
    let mut x = MARGIN;
    let baseline = pages.y + ROW_HEIGHT - 3.5;
    for (index, (column, width)) in table.columns.iter().zip(widths).enumerate() {
        let (text, style) = match cells {
            None => (
                column.name.clone(),
                format!(r#"font-weight="bold" fill="{INK}""#),
            ),
            Some(cells) => (
                cells
                    .get(index)
                    .map(|cell| cell.display())
                    .unwrap_or_default(),
                format!(r#"fill="{INK}""#),
            ),
        };
        let text = fitted(&text, TABLE_FONT, width - 2.0 * CELL_PADDING);
        let numeric = !matches!(column.kind, CellKind::Text | CellKind::Day);
        if numeric {
            pages.text(
                x + width - CELL_PADDING,
                baseline,
                TABLE_FONT,
                &format!(r#"{style} text-anchor="end""#),
                &text,
            );
        } else {
            pages.text(x + CELL_PADDING, baseline, TABLE_FONT, &style, &text);
        }
        x += width;
    }
    let _ = write!(
        pages.page,
        r#"<line x1="{MARGIN}" x2="{:.1}" y1="{1:.1}" y2="{1:.1}" stroke="{RULE}" stroke-width="0.6"/>"#,
        PAGE_WIDTH - MARGIN,
        pages.y + ROW_HEIGHT
    );
    pages.y += ROW_HEIGHT;
}

fn table(pages: &mut Pages, table: &Table) {
    let note = table
        .note
        .as_deref()
        .map(|note| wrapped(note, 8.0, CONTENT_WIDTH))
        .unwrap_or_default();
    // The title, its note, the header and a few rows stay together.
    let lead = 22.0 + note.len() as f64 * 11.0;
    pages.room(lead + ROW_HEIGHT * 4.0);
    pages.y += 12.0;
    pages.text(
        MARGIN,
        pages.y,
        12.0,
        &format!(r#"font-weight="bold" fill="{INK}""#),
        &table.title,
    );
    pages.y += 6.0;
    for line in &note {
        pages.y += 10.0;
        pages.text(MARGIN, pages.y, 8.0, &format!(r#"fill="{MUTED}""#), line);
    }
    pages.y += 5.0;
    let widths = column_widths(table);
    table_header(pages, table, &widths);
    for cells in &table.rows {
        if pages.y + ROW_HEIGHT > CONTENT_BOTTOM {
            pages.room(ROW_HEIGHT * 2.0);
            table_header(pages, table, &widths);
        }
        row(pages, table, &widths, Some(cells));
    }
    pages.y += 8.0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_fit_and_notes_wrap_at_spaces() {
        let cut = fitted("Waxed canvas daypack with leather straps", 8.0, 60.0);
        assert!(cut.ends_with('…'));
        assert!(text_width(&cut, 8.0) <= 60.0);
        assert_eq!(fitted("Mug", 8.0, 60.0), "Mug");
        let lines = wrapped("one two three four five six seven", 10.0, 60.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|line| !line.starts_with(' ')));
        assert_eq!(lines.join(" "), "one two three four five six seven");
        let chinese = wrapped(
            "每月新顾客在一、二、三、六、十二个月后再次下单的比例",
            10.0,
            60.0,
        );
        assert!(chinese.len() > 1);
        assert!(chinese.iter().all(|line| text_width(line, 10.0) <= 60.0));
    }
}
