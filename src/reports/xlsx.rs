//! The report as a workbook: a summary sheet (the lines about it and the headline
//! figures), then one sheet per table with its title, its note and a frozen header. Every
//! number is a number cell (amounts with two decimals, shares as percentages) and every
//! day a date cell, so the accountant's formulas work on them.

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::ReportError;
use super::document::{Cell, Report, Table};

/// The row of each sheet's header: the title and the note come first.
const HEADER_ROW: u32 = 2;
const WIDEST_COLUMN: u32 = 60;

struct Formats {
    bold: Format,
    title: Format,
    money: Format,
    decimal: Format,
    percent: Format,
    day: Format,
}

pub fn render(report: &Report) -> Result<Vec<u8>, ReportError> {
    workbook(report).map_err(|error| ReportError::Render {
        format: "XLSX",
        detail: error.to_string(),
    })
}

fn workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats {
        bold: Format::new().set_bold(),
        title: Format::new().set_bold().set_font_size(14),
        money: Format::new().set_num_format("#,##0.00"),
        decimal: Format::new().set_num_format("0.00"),
        percent: Format::new().set_num_format("0.0%"),
        day: Format::new().set_num_format("yyyy-mm-dd"),
    };
    let mut workbook = Workbook::new();
    let summary = workbook.add_worksheet();
    summary.set_name(sheet_name(&report.summary_sheet))?;
    summary.write_string_with_format(0, 0, &report.title, &formats.title)?;
    let mut row = 1;
    for line in &report.about {
        summary.write_string(row, 0, line)?;
        row += 1;
    }
    row += 1;
    for figure in &report.figures {
        summary.write_string_with_format(row, 0, &figure.label, &formats.bold)?;
        write_cell(summary, row, 1, &figure.value, &formats)?;
        row += 1;
    }
    summary.set_column_width(0, 28)?;
    summary.set_column_width(1, 16)?;
    for table in &report.tables {
        let sheet = workbook.add_worksheet();
        write_table(sheet, table, &formats)?;
    }
    workbook.save_to_buffer()
}

/// A name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect()
}

fn write_table(sheet: &mut Worksheet, table: &Table, formats: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(sheet_name(&table.sheet))?;
    sheet.write_string_with_format(0, 0, &table.title, &formats.title)?;
    if let Some(note) = &table.note {
        sheet.write_string(1, 0, note)?;
    }
    for (column, spec) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, column as u16, &spec.name, &formats.bold)?;
    }
    for (index, row) in table.rows.iter().enumerate() {
        let at = HEADER_ROW + 1 + index as u32;
        for (column, cell) in row.iter().enumerate() {
            write_cell(sheet, at, column as u16, cell, formats)?;
        }
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.set_autofit_max_width(WIDEST_COLUMN * 7);
    sheet.autofit();
    Ok(())
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        // Written as a string cell, so a text that starts with '=' is never a formula.
        Cell::Text(text) => sheet.write_string(row, column, text).map(|_| ()),
        Cell::Integer(value) => sheet.write_number(row, column, *value as f64).map(|_| ()),
        Cell::Decimal(value) => sheet
            .write_number_with_format(row, column, *value, &formats.decimal)
            .map(|_| ()),
        Cell::Money(value) => sheet
            .write_number_with_format(row, column, *value, &formats.money)
            .map(|_| ()),
        Cell::Percent(value) => sheet
            .write_number_with_format(row, column, *value, &formats.percent)
            .map(|_| ()),
        Cell::Day(day) => {
            let date =
                ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)?;
            sheet
                .write_datetime_with_format(row, column, &date, &formats.day)
                .map(|_| ())
        }
        Cell::Empty => Ok(()),
    }
}
