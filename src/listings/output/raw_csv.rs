//! A copy of the seller's own product CSV with some cells replaced and every other
//! byte as it was: quoting, line endings, BOM, column order, even odd spacing. The
//! file is split into raw cells with csv-core (which reports how many input bytes
//! each field took), and only the replaced cells are written anew.

use std::ops::Range;

/// One record: the byte range of each raw cell in the file (quotes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    pub cells: Vec<Range<usize>>,
    /// The decoded values of the cells (quotes removed, doubled quotes undone).
    pub values: Vec<String>,
}

fn is_line_end(byte: u8) -> bool {
    byte == b'\n' || byte == b'\r'
}

/// Every record of `bytes`, with its cells' byte ranges and values.
pub fn records(bytes: &[u8], delimiter: u8) -> Vec<RawRecord> {
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    // A decoded field is never longer than its raw bytes.
    let mut decoded = vec![0u8; bytes.len() + 1];
    let mut records = Vec::new();
    let mut current = RawRecord {
        cells: Vec::new(),
        values: Vec::new(),
    };
    let mut position = 0;
    loop {
        let (result, read, written) = reader.read_field(&bytes[position..], &mut decoded);
        let (mut start, mut end) = (position, position + read);
        position += read;
        match result {
            csv_core::ReadFieldResult::InputEmpty => {
                // The last field ran to the end of the file: an empty read finishes it.
                let (_, _, finished) = reader.read_field(&[], &mut decoded[written..]);
                if current.cells.is_empty() {
                    while start < end && is_line_end(bytes[start]) {
                        start += 1;
                    }
                }
                while end > start && is_line_end(bytes[end - 1]) {
                    end -= 1;
                }
                // Only the line end after the last record was left: no record there.
                if current.cells.is_empty() && start == end {
                    return records;
                }
                current.cells.push(start..end);
                current
                    .values
                    .push(String::from_utf8_lossy(&decoded[..written + finished]).into_owned());
                records.push(current);
                return records;
            }
            csv_core::ReadFieldResult::OutputFull => {
                unreachable!("the output buffer is as large as the input")
            }
            csv_core::ReadFieldResult::End => break,
            csv_core::ReadFieldResult::Field { record_end } => {
                if current.cells.is_empty() {
                    while start < end && is_line_end(bytes[start]) {
                        start += 1;
                    }
                }
                if record_end {
                    while end > start && is_line_end(bytes[end - 1]) {
                        end -= 1;
                    }
                } else {
                    end -= 1; // the delimiter
                }
                current.cells.push(start..end);
                current
                    .values
                    .push(String::from_utf8_lossy(&decoded[..written]).into_owned());
                if record_end {
                    records.push(std::mem::replace(
                        &mut current,
                        RawRecord {
                            cells: Vec::new(),
                            values: Vec::new(),
                        },
                    ));
                }
            }
        }
    }
    records
}

/// A cell as CSV writes it: always quoted, inner quotes doubled (so a separator in
/// it, whichever the file uses, stays inside the cell).
fn quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}

/// `bytes` with the cells at the given ranges replaced by the new values (quoted);
/// ranges must not overlap.
pub fn replace_cells(bytes: &[u8], mut replacements: Vec<(Range<usize>, String)>) -> Vec<u8> {
    replacements.sort_by_key(|(range, _)| range.start);
    let mut output = Vec::with_capacity(bytes.len());
    let mut last = 0;
    for (range, value) in replacements {
        output.extend_from_slice(&bytes[last..range.start]);
        output.extend_from_slice(quoted(&value).as_bytes());
        last = range.end;
    }
    output.extend_from_slice(&bytes[last..]);
    output
}

/// A seller's CSV read for copying: decoded whole (any encoding and separator) and
/// split into raw records, header first.
pub struct CsvCopy {
    decoded: crate::files::DecodedText,
    pub header: RawRecord,
    pub rows: Vec<RawRecord>,
}

impl CsvCopy {
    pub fn read(path: &std::path::Path) -> Result<CsvCopy, crate::files::FileError> {
        let raw = std::fs::read(path).map_err(|error| crate::files::FileError::io(path, error))?;
        let decoded = crate::files::decode(path, &raw)?;
        let mut all = records(decoded.text.as_bytes(), decoded.delimiter).into_iter();
        let header = all
            .next()
            .ok_or_else(|| crate::files::FileError::Unreadable {
                path: path.to_path_buf(),
                detail: "the file is empty".into(),
            })?;
        Ok(CsvCopy {
            header,
            rows: all.collect(),
            decoded,
        })
    }

    /// Writes the file to `out` (atomically) with the cells at the given ranges
    /// replaced, in the file's own encoding.
    pub fn write_replaced(
        &self,
        out: &std::path::Path,
        replacements: Vec<(Range<usize>, String)>,
    ) -> Result<(), crate::files::FileError> {
        let replaced = replace_cells(self.decoded.text.as_bytes(), replacements);
        let text = String::from_utf8_lossy(&replaced);
        crate::files::write_atomically(out, &crate::files::encode(&text, self.decoded.encoding))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &[u8] = b"\xEF\xBB\xBFHandle,Title,Body (HTML)\r\nmug,\"Kumo \"\"Stone\"\" Mug\",\"<p>Line one\r\nline two, with comma</p>\"\r\nmug,,\r\n\r\ntote,  Tote  ,plain";

    #[test]
    fn cells_are_found_with_their_exact_bytes() {
        let found = records(SAMPLE, b',');
        assert_eq!(found.len(), 4);
        let raw = |record: usize, cell: usize| &SAMPLE[found[record].cells[cell].clone()];
        assert_eq!(raw(0, 0), b"\xEF\xBB\xBFHandle");
        assert_eq!(raw(1, 1), b"\"Kumo \"\"Stone\"\" Mug\"");
        assert_eq!(found[1].values[1], "Kumo \"Stone\" Mug");
        assert_eq!(
            found[1].values[2],
            "<p>Line one\r\nline two, with comma</p>"
        );
        assert_eq!(raw(2, 2), b"");
        assert_eq!(raw(3, 1), b"  Tote  ");
        assert_eq!(raw(3, 2), b"plain");
    }

    #[test]
    fn replacing_nothing_gives_the_same_bytes_and_replacing_a_cell_changes_only_it() {
        let found = records(SAMPLE, b',');
        assert_eq!(replace_cells(SAMPLE, Vec::new()), SAMPLE);
        let changed = replace_cells(
            SAMPLE,
            vec![
                (found[1].cells[1].clone(), "Kumo \"Stein\" Becher".into()),
                (found[3].cells[2].clone(), "schlicht".into()),
            ],
        );
        let expected = b"\xEF\xBB\xBFHandle,Title,Body (HTML)\r\nmug,\"Kumo \"\"Stein\"\" Becher\",\"<p>Line one\r\nline two, with comma</p>\"\r\nmug,,\r\n\r\ntote,  Tote  ,\"schlicht\"";
        assert_eq!(changed, expected.to_vec());
    }
}

#[cfg(test)]
mod demo_file {
    use super::*;

    #[test]
    fn the_demo_catalogue_splits_into_the_cells_the_csv_crate_reads() {
        let bytes: &[u8] = include_bytes!("../../../assets/demo/products.csv");
        let found = records(bytes, b',');
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let expected: Vec<Vec<String>> = reader
            .records()
            .map(|record| record.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(found.len(), expected.len());
        for (raw, parsed) in found.iter().zip(&expected) {
            let values: Vec<&str> = raw
                .values
                .iter()
                .map(|value| value.trim_start_matches('\u{feff}'))
                .collect();
            let parsed: Vec<&str> = parsed
                .iter()
                .map(|value| value.trim_start_matches('\u{feff}'))
                .collect();
            assert_eq!(values, parsed);
        }
    }
}
