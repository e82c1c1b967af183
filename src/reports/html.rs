//! The report as one self-contained HTML page: styles and SVG charts inline, no script,
//! and a Content-Security-Policy that forbids the page any request, so opening it (or
//! mailing it to an accountant) never reaches the network.

use std::fmt::Write;

use super::chart_svg::{self, FONTS, escape};
use super::document::{CellKind, Report, Table};

const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
const CHART_WIDTH: f64 = 720.0;
const CHART_HEIGHT: f64 = 220.0;

pub fn render(report: &Report) -> String {
    let mut page = String::new();
    let _ = write!(
        page,
        r#"<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: {FONTS}; color: #1f2933; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }}
h1 {{ margin-bottom: 0.2rem; }}
.about {{ color: #52606d; margin: 0.1rem 0; }}
.figures {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 0.6rem; margin: 1.2rem 0; }}
.figure {{ border: 1px solid #d9dee5; border-radius: 6px; padding: 0.6rem; }}
.figure .label {{ color: #52606d; font-size: 0.85rem; }}
.figure .value {{ font-size: 1.3rem; font-weight: 600; }}
svg {{ display: block; margin: 1rem 0; max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 0.4rem; font-size: 0.9rem; }}
th, td {{ border-bottom: 1px solid #e4e7eb; padding: 0.25rem 0.5rem; text-align: left; }}
th {{ background: #f5f7fa; }}
td.number {{ text-align: right; font-variant-numeric: tabular-nums; }}
.note {{ color: #52606d; font-size: 0.85rem; }}
section {{ margin-top: 1.6rem; }}
@media print {{ section {{ break-inside: avoid; }} }}
</style>
</head>
<body>
<h1>{title}</h1>
"#,
        language = escape(&report.language),
        title = escape(&report.title),
    );
    for line in &report.about {
        let _ = writeln!(page, r#"<p class="about">{}</p>"#, escape(line));
    }
    page.push_str("<div class=\"figures\">\n");
    for figure in &report.figures {
        let _ = writeln!(
            page,
            r#"<div class="figure"><div class="label">{}</div><div class="value">{}</div></div>"#,
            escape(&figure.label),
            escape(&figure.value.display())
        );
    }
    page.push_str("</div>\n");
    for chart in &report.charts {
        let _ = writeln!(
            page,
            r#"<svg viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" role="img" aria-label="{label}" font-family="{FONTS}">{drawing}</svg>"#,
            label = escape(&chart.title),
            drawing = chart_svg::draw(chart, CHART_WIDTH, CHART_HEIGHT)
        );
    }
    for table in &report.tables {
        write_table(&mut page, table);
    }
    page.push_str("</body>\n</html>\n");
    page
}

fn write_table(page: &mut String, table: &Table) {
    let _ = writeln!(page, "<section>\n<h2>{}</h2>", escape(&table.title));
    if let Some(note) = &table.note {
        let _ = writeln!(page, r#"<p class="note">{}</p>"#, escape(note));
    }
    page.push_str("<table>\n<thead><tr>");
    for column in &table.columns {
        let _ = write!(page, "<th>{}</th>", escape(&column.name));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        page.push_str("<tr>");
        for (cell, column) in row.iter().zip(&table.columns) {
            let class = match column.kind {
                CellKind::Text | CellKind::Day => "",
                _ => " class=\"number\"",
            };
            let _ = write!(page, "<td{class}>{}</td>", escape(&cell.display()));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}
