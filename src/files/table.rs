//! A seller's own file read as a table of text: a CSV or text export (any encoding and
//! separator, see `text`), the first sheet of an XLSX workbook, or a JSON array of flat
//! objects. The listings and the orders of the seller's own layout are read from it
//! through the column mapping they confirm.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::FileError;
use super::csv_export::with_nul;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TableFormat {
    Csv,
    Xlsx,
    Json,
}

impl TableFormat {
    /// The format a file is read as, by its extension: .xlsx/.xlsm, .json, else a CSV or
    /// text export.
    pub fn of(path: &Path) -> TableFormat {
        let extension = path
            .extension()
            .map(|extension| extension.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("xlsx" | "xlsm") => TableFormat::Xlsx,
            Some("json") => TableFormat::Json,
            _ => TableFormat::Csv,
        }
    }
}

/// A file read as a table: its column names, then its rows of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub path: PathBuf,
    pub format: TableFormat,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The file by its extension: .xlsx, .json, else a CSV or text export.
    pub fn read(path: &Path) -> Result<Table, FileError> {
        let format = TableFormat::of(path);
        let (columns, rows) = match format {
            TableFormat::Xlsx => read_xlsx(path)?,
            TableFormat::Json => read_json(path)?,
            TableFormat::Csv => read_csv(path)?,
        };
        let table = Table {
            path: path.to_path_buf(),
            format,
            columns,
            rows,
        };
        table.refuse_nul()?;
        Ok(table)
    }

    /// A cell holding a NUL is refused, naming its row and column (`with_nul`).
    fn refuse_nul(&self) -> Result<(), FileError> {
        for (index, row) in self.rows.iter().enumerate() {
            if let Some((at, value)) = row
                .iter()
                .enumerate()
                .find(|(_, value)| value.contains('\0'))
            {
                let column = self.columns.get(at).cloned().unwrap_or_default();
                return Err(with_nul(&self.path, self.row_number(index), &column, value));
            }
        }
        Ok(())
    }

    /// The row number a spreadsheet shows (the header is row 1), or for JSON the
    /// item's position counting from 1.
    pub fn row_number(&self, index: usize) -> u64 {
        match self.format {
            TableFormat::Json => index as u64 + 1,
            _ => index as u64 + 2,
        }
    }
}

/// The key of a row that carries no id of its own: a digest of the cells that make it
/// the row it is, so the same row in the next export of the file finds it again.
pub fn row_key(parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher
        .finalize()
        .iter()
        .take(12)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

type Cells = (Vec<String>, Vec<Vec<String>>);

fn read_csv(path: &Path) -> Result<Cells, FileError> {
    let raw = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
    let decoded = crate::files::decode(path, &raw)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(decoded.delimiter)
        .from_reader(decoded.text.as_bytes());
    let columns = reader
        .headers()
        .map_err(|error| FileError::csv(path, error))?
        .iter()
        .map(|name| name.trim().to_string())
        .collect();
    let rows = reader
        .records()
        .map(|record| {
            record
                .map(|record| record.iter().map(str::to_string).collect())
                .map_err(|error| FileError::csv(path, error))
        })
        .collect::<Result<_, _>>()?;
    Ok((columns, rows))
}

fn read_xlsx(path: &Path) -> Result<Cells, FileError> {
    use calamine::Reader;
    let unreadable = |detail: String| FileError::Unreadable {
        path: path.to_path_buf(),
        detail,
    };
    let mut workbook = calamine::open_workbook_auto(path)
        .map_err(|error| unreadable(format!("not a readable workbook: {error}")))?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| unreadable("the workbook has no sheet".into()))?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|error| unreadable(format!("sheet '{sheet}': {error}")))?;
    let mut rows = range.rows().map(|row| {
        row.iter()
            .map(|cell| match cell {
                // Whole numbers as a seller typed them: 12, not 12.0.
                calamine::Data::Float(value) if value.fract() == 0.0 && value.abs() < 1e15 => {
                    format!("{}", *value as i64)
                }
                // A date cell as the day and time it shows, not Excel's day number.
                calamine::Data::DateTime(value) => match value.as_datetime() {
                    Some(time) if value.is_datetime() => {
                        time.format("%Y-%m-%d %H:%M:%S").to_string()
                    }
                    _ => value.to_string(),
                },
                other => other.to_string(),
            })
            .collect::<Vec<String>>()
    });
    let columns: Vec<String> = rows
        .next()
        .ok_or_else(|| unreadable(format!("sheet '{sheet}' is empty")))?
        .into_iter()
        .map(|name| name.trim().to_string())
        .collect();
    Ok((columns, rows.collect()))
}

/// An array of flat objects; a list of strings (tags) becomes "a, b".
fn read_json(path: &Path) -> Result<Cells, FileError> {
    let raw = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
    let unreadable = |detail: String| FileError::Unreadable {
        path: path.to_path_buf(),
        detail,
    };
    let value: serde_json::Value =
        serde_json::from_slice(&raw).map_err(|error| unreadable(format!("not JSON: {error}")))?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        _ => return Err(unreadable("expected an array of products".into())),
    };
    let mut columns: Vec<String> = Vec::new();
    let mut objects = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let serde_json::Value::Object(object) = item else {
            return Err(FileError::Malformed {
                path: path.to_path_buf(),
                row: index as u64 + 1,
                detail: "this item is not an object".into(),
            });
        };
        for key in object.keys() {
            if !columns.contains(key) {
                columns.push(key.clone());
            }
        }
        objects.push(object);
    }
    let mut rows = Vec::with_capacity(objects.len());
    for (index, object) in objects.iter().enumerate() {
        let mut row = Vec::with_capacity(columns.len());
        for column in &columns {
            let text = match object.get(column) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(text)) => text.clone(),
                Some(serde_json::Value::Number(number)) => number.to_string(),
                Some(serde_json::Value::Bool(flag)) => flag.to_string(),
                Some(serde_json::Value::Array(values))
                    if values.iter().all(serde_json::Value::is_string) =>
                {
                    values
                        .iter()
                        .filter_map(serde_json::Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                }
                Some(_) => {
                    return Err(FileError::InvalidValue {
                        path: path.to_path_buf(),
                        row: index as u64 + 1,
                        column: column.clone(),
                        value: object
                            .get(column)
                            .map(|v| v.to_string())
                            .unwrap_or_default(),
                        reason: "expected text, a number or a list of texts".into(),
                    });
                }
            };
            row.push(text);
        }
        rows.push(row);
    }
    Ok((columns, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn csv_xlsx_and_json_files_read_into_the_same_table() {
        let dir = tempfile::tempdir().unwrap();
        let expected_columns = columns(&["Name", "Tags", "Price"]);
        let expected_rows = vec![columns(&["Kumo Mug", "mug, tea", "12"])];

        let csv_path = dir.path().join("c.csv");
        std::fs::write(&csv_path, "Name;Tags;Price\r\nKumo Mug;mug, tea;12\r\n").unwrap();

        let json_path = dir.path().join("c.json");
        std::fs::write(
            &json_path,
            r#"[{"Name": "Kumo Mug", "Tags": ["mug", "tea"], "Price": 12}]"#,
        )
        .unwrap();

        let xlsx_path = dir.path().join("c.xlsx");
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (column, name) in ["Name", "Tags", "Price"].iter().enumerate() {
            sheet.write_string(0, column as u16, *name).unwrap();
        }
        sheet.write_string(1, 0, "Kumo Mug").unwrap();
        sheet.write_string(1, 1, "mug, tea").unwrap();
        sheet.write_number(1, 2, 12.0).unwrap();
        workbook.save(&xlsx_path).unwrap();

        for path in [csv_path, json_path, xlsx_path] {
            let table = Table::read(&path).unwrap();
            assert_eq!(
                (&table.columns, &table.rows),
                (&expected_columns, &expected_rows),
                "{}",
                path.display()
            );
        }
        let nested = dir.path().join("n.json");
        std::fs::write(&nested, r#"[{"Name": "Mug"}, {"Name": {"en": "Cup"}}]"#).unwrap();
        let error = Table::read(&nested).unwrap_err().to_string();
        assert!(
            error.contains("row 2") && error.contains("'Name'"),
            "{error}"
        );
    }
}
