//! The report's charts as SVG: columns over time, or horizontal bars by group. The same
//! drawing goes inline into the HTML page and, through usvg, into the PDF.

use std::fmt::Write;

use super::document::{Cell, CellKind, Chart};

/// The fonts the page, its charts and the PDF ask for: the Latin ones macOS, Windows and
/// Linux carry, then their Chinese ones. A glyph the first lacks comes from the next
/// (Latin first: a Chinese font's Latin letters are set from its fallback, and look it).
pub const FONTS: &str = "DejaVu Sans, Noto Sans, Liberation Sans, Arial, Helvetica, \
    Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, \
    WenQuanYi Micro Hei, Droid Sans Fallback, sans-serif";
const BAR: &str = "#2b6cb0";
const GRID: &str = "#d9dee5";
const INK: &str = "#1f2933";
const MUTED: &str = "#52606d";

pub fn escape(text: &str) -> String {
    html_escape::encode_text(text).replace('"', "&quot;")
}

/// A value short enough for an axis: 1.2k, 35k, 1.4M.
fn compact(value: f64, kind: CellKind) -> String {
    let magnitude = value.abs();
    if magnitude >= 1_000_000.0 {
        format!("{:.1}M", value / 1_000_000.0)
    } else if magnitude >= 10_000.0 {
        format!("{:.0}k", value / 1_000.0)
    } else if magnitude >= 1_000.0 {
        format!("{:.1}k", value / 1_000.0)
    } else if kind == CellKind::Money {
        format!("{value:.0}")
    } else {
        Cell::Decimal(value)
            .display()
            .trim_end_matches(".00")
            .to_string()
    }
}

/// A round step for about four grid lines up to `top`.
fn grid_step(top: f64) -> f64 {
    if top <= 0.0 {
        return 1.0;
    }
    let rough = top / 4.0;
    let power = 10f64.powf(rough.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|factor| factor * power)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * power)
}

/// The chart drawn in a `width` × `height` box at the origin (title included), as SVG
/// elements without the root element.
pub fn draw(chart: &Chart, width: f64, height: f64) -> String {
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<text x="0" y="14" font-size="13" font-weight="bold" fill="{INK}">{}</text>"#,
        escape(&chart.title)
    );
    if chart.over_time {
        columns(&mut svg, chart, width, height);
    } else {
        bars(&mut svg, chart, width, height);
    }
    svg
}

fn columns(svg: &mut String, chart: &Chart, width: f64, height: f64) {
    let (left, top, bottom) = (44.0, 28.0, height - 18.0);
    let plot_width = width - left;
    let highest = chart.bars.iter().map(|bar| bar.1).fold(0.0, f64::max);
    let step = grid_step(highest);
    let ceiling = (highest / step).ceil().max(1.0) * step;
    let y = |value: f64| bottom - (value.max(0.0) / ceiling) * (bottom - top);
    let mut line = 0.0;
    while line <= ceiling + step / 2.0 {
        let _ = write!(
            svg,
            r#"<line x1="{left}" x2="{width}" y1="{0:.1}" y2="{0:.1}" stroke="{GRID}" stroke-width="0.6"/><text x="{1}" y="{2:.1}" font-size="8" fill="{MUTED}" text-anchor="end">{3}</text>"#,
            y(line),
            left - 4.0,
            y(line) + 3.0,
            compact(line, chart.kind)
        );
        line += step;
    }
    let count = chart.bars.len().max(1) as f64;
    let slot = plot_width / count;
    // One label in every `every` columns, so that the months never overlap.
    let every = ((count * 34.0) / plot_width).ceil().max(1.0) as usize;
    for (index, (label, value)) in chart.bars.iter().enumerate() {
        let x = left + slot * index as f64;
        let _ = write!(
            svg,
            r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{BAR}"><title>{}: {}</title></rect>"#,
            x + slot * 0.15,
            y(*value),
            (slot * 0.7).max(0.5),
            bottom - y(*value),
            escape(label),
            escape(&display(*value, chart.kind))
        );
        if index % every == 0 {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" font-size="8" fill="{MUTED}" text-anchor="middle">{}</text>"#,
                x + slot / 2.0,
                height - 4.0,
                escape(label)
            );
        }
    }
}

fn bars(svg: &mut String, chart: &Chart, width: f64, height: f64) {
    let (label_width, value_width, top) = (110.0, 70.0, 26.0);
    let count = chart.bars.len().max(1) as f64;
    let row = ((height - top) / count).min(22.0);
    let highest = chart.bars.iter().map(|bar| bar.1).fold(0.0, f64::max);
    let plot_width = width - label_width - value_width;
    for (index, (label, value)) in chart.bars.iter().enumerate() {
        let y = top + row * index as f64;
        let length = if highest > 0.0 {
            (value.max(0.0) / highest) * plot_width
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r#"<text x="{0:.1}" y="{1:.1}" font-size="9" fill="{INK}" text-anchor="end">{2}</text><rect x="{3}" y="{4:.1}" width="{5:.1}" height="{6:.1}" fill="{BAR}"/><text x="{7:.1}" y="{1:.1}" font-size="9" fill="{MUTED}">{8}</text>"#,
            label_width - 6.0,
            y + row * 0.62,
            escape(label),
            label_width,
            y + row * 0.15,
            length.max(0.5),
            row * 0.7,
            label_width + length + 4.0,
            escape(&display(*value, chart.kind))
        );
    }
}

fn display(value: f64, kind: CellKind) -> String {
    match kind {
        CellKind::Integer => Cell::Integer(value.round() as i64).display(),
        CellKind::Percent => Cell::Percent(value).display(),
        _ => Cell::Money(value).display(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_steps_are_round_numbers() {
        assert_eq!(grid_step(9_000.0), 2_500.0);
        assert_eq!(grid_step(40.0), 10.0);
        assert_eq!(grid_step(0.0), 1.0);
        assert_eq!(compact(13_400.0, CellKind::Money), "13k");
        assert_eq!(compact(1_250.0, CellKind::Money), "1.2k");
    }

    #[test]
    fn a_label_with_markup_is_text_in_the_drawing() {
        let chart = Chart {
            title: "Sales <script>".into(),
            over_time: false,
            kind: CellKind::Integer,
            bars: vec![("A & \"B\"".into(), 3.0)],
        };
        let svg = draw(&chart, 400.0, 100.0);
        assert!(svg.contains("Sales &lt;script&gt;"));
        assert!(svg.contains("A &amp; &quot;B&quot;"));
        assert!(!svg.contains("<script>"));
    }
}
