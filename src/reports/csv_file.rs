//! The report's tables as one CSV file: each table's title on a line of its own, its
//! header, its rows, then a blank line, as a spreadsheet opens it. Numbers are written
//! plainly (12345.6, 0.125), days as 2025-03-14; a text cell that a spreadsheet would
//! run as a formula gets a leading apostrophe.

use super::ReportError;
use super::document::{Cell, Report};
use crate::files::spreadsheet_safe;

/// A cell as the CSV writes it: numbers without grouping, so spreadsheets read them.
fn plain(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => spreadsheet_safe(text),
        Cell::Integer(value) => value.to_string(),
        Cell::Decimal(value) | Cell::Percent(value) => format!("{value:.4}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string(),
        Cell::Money(value) => format!("{value:.2}"),
        Cell::Day(_) | Cell::Empty => cell.display(),
    }
}

pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    let failed = |error: csv::Error| ReportError::Render {
        format: "CSV",
        detail: error.to_string(),
    };
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for table in &report.tables {
        writer
            .write_record([spreadsheet_safe(&table.title)])
            .map_err(failed)?;
        writer
            .write_record(
                table
                    .columns
                    .iter()
                    .map(|column| spreadsheet_safe(&column.name)),
            )
            .map_err(failed)?;
        for row in &table.rows {
            writer.write_record(row.iter().map(plain)).map_err(failed)?;
        }
        writer.write_record([""]).map_err(failed)?;
    }
    writer.into_inner().map_err(|error| ReportError::Render {
        format: "CSV",
        detail: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_made_inert_and_numbers_stay_plain_even_when_negative() {
        assert_eq!(plain(&Cell::text("=1+1")), "'=1+1");
        assert_eq!(plain(&Cell::Money(-12.5)), "-12.50");
        assert_eq!(plain(&Cell::Money(1234.5)), "1234.50");
        assert_eq!(plain(&Cell::Percent(0.125)), "0.125");
        assert_eq!(plain(&Cell::Integer(7)), "7");
    }
}
