//! A report as every format renders it: headline figures, charts, and tables whose cells
//! keep their type (a number stays a number in the workbook, a day a date).

use chrono::NaiveDate;

/// What a column holds, for formatting: the workbook's number formats, the text's digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Text,
    Integer,
    /// A plain number (a lift, units per week).
    Decimal,
    /// An amount in the report's currency.
    Money,
    /// A share, 0 to 1.
    Percent,
    Day,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Integer(i64),
    Decimal(f64),
    Money(f64),
    Percent(f64),
    Day(NaiveDate),
    Empty,
}

impl Cell {
    /// The cell as the HTML page, the PDF and the CSV write it.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Integer(value) => grouped(*value as f64, 0),
            Cell::Decimal(value) => grouped(*value, 2),
            Cell::Money(value) => grouped(*value, 2),
            Cell::Percent(share) => format!("{:.1} %", share * 100.0),
            Cell::Day(day) => day.format("%Y-%m-%d").to_string(),
            Cell::Empty => String::new(),
        }
    }

    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    /// A day written like 2025-03-14 (the stores' form), or empty when it is not one.
    pub fn day(value: &str) -> Cell {
        value
            .get(..10)
            .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
            .map_or(Cell::Empty, Cell::Day)
    }
}

/// `value` with `decimals` digits and thousands separated by commas: 12,345.60.
fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut digits = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            digits.push(',');
        }
        digits.push(digit);
    }
    let sign = if value < 0.0 && text.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{digits}")
    } else {
        format!("{sign}{digits}.{fraction}")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub kind: CellKind,
}

impl Column {
    pub fn new(name: &str, kind: CellKind) -> Column {
        Column {
            name: name.to_string(),
            kind,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// A short name (the workbook's sheet, at most 31 characters).
    pub sheet: String,
    pub title: String,
    /// One sentence under the title: what the rows are, how they were measured.
    pub note: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

/// A headline number.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub label: String,
    pub value: Cell,
}

/// Bars of one measure: months left to right, or groups top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// Columns over time (true) or horizontal bars by group.
    pub over_time: bool,
    pub kind: CellKind,
    pub bars: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    /// The language's code as HTML names it (en, zh-CN).
    pub language: String,
    /// The lines under the title: period, channels, currency, when it was made, privacy.
    pub about: Vec<String>,
    pub figures: Vec<Figure>,
    /// The workbook's name for the sheet of the figures and the lines about the report.
    pub summary_sheet: String,
    pub charts: Vec<Chart>,
    pub tables: Vec<Table>,
    pub anonymised: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_with_grouped_thousands() {
        assert_eq!(Cell::Money(1234567.891).display(), "1,234,567.89");
        assert_eq!(Cell::Integer(999).display(), "999");
        assert_eq!(Cell::Integer(-12000).display(), "-12,000");
        assert_eq!(Cell::Money(-0.001).display(), "0.00");
        assert_eq!(Cell::Percent(0.1234).display(), "12.3 %");
        assert_eq!(Cell::day("2025-03-14T10:00:00Z").display(), "2025-03-14");
        assert_eq!(Cell::day("soon"), Cell::Empty);
    }
}
