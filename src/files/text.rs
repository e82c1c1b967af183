//! Spreadsheet files as sellers have them: UTF-8 with or without a BOM, UTF-16 (what
//! Excel writes as "Unicode text"), or Windows-1252 (older Excel on Windows); cells
//! separated by commas, semicolons (European Excel) or tabs. Decoded to UTF-8 for
//! reading, and encoded back the same way when Tradewind writes a copy of the file.

use std::path::Path;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

use super::FileError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8 { bom: bool },
    Utf16Le,
    Utf16Be,
    Windows1252,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedText {
    /// The text without its byte-order mark.
    pub text: String,
    pub encoding: TextEncoding,
    pub delimiter: u8,
}

/// The separator the header line uses most, outside quotes: comma, semicolon or tab.
/// Blank lines above the header are passed over.
fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 3] = [b',', b';', b'\t'];
    // The most of each on one line of the first ten: the header has the most, even
    // below a title or blank rows (eBay's), and a quoted cell's commas do not count.
    let (mut most, mut line) = ([0usize; 3], [0usize; 3]);
    let (mut quoted, mut lines) = (false, 0);
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                most = std::array::from_fn(|index| most[index].max(line[index]));
                line = [0; 3];
                lines += 1;
                if lines == 10 {
                    break;
                }
            }
            _ if !quoted => {
                if let Some(index) = CANDIDATES.iter().position(|candidate| *candidate == byte) {
                    line[index] += 1;
                }
            }
            _ => {}
        }
    }
    most = std::array::from_fn(|index| most[index].max(line[index]));
    // A tie (a one-column file) goes to the comma.
    (0..3)
        .max_by_key(|index| (most[*index], *index == 0))
        .map_or(b',', |index| CANDIDATES[index])
}

/// UTF-16 written without its byte-order mark (some exporters do): text that is mostly
/// Latin has a zero byte beside nearly every character, the odd bytes in little-endian,
/// the even ones in big-endian; UTF-8 text has almost none. Judged on the first 4 KiB.
fn bomless_utf16(bytes: &[u8]) -> Option<TextEncoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zeros = |first: usize| {
        sample
            .iter()
            .skip(first)
            .step_by(2)
            .filter(|byte| **byte == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    // Four in ten characters at least with a zero byte on one side, few on the other.
    let many = |count: usize| count * 10 >= pairs * 4;
    let few = |count: usize| count * 10 < pairs;
    if many(odd) && few(even) {
        Some(TextEncoding::Utf16Le)
    } else if many(even) && few(odd) {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

pub fn decode(path: &Path, bytes: &[u8]) -> Result<DecodedText, FileError> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|error| FileError::Unreadable {
            path: path.to_path_buf(),
            detail: format!(
                "it starts as UTF-8 but byte {} is not UTF-8",
                error.valid_up_to() + 3
            ),
        })?;
        (text.to_string(), TextEncoding::Utf8 { bom: true })
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, had_errors) = UTF_16LE.decode_without_bom_handling(rest);
        if had_errors {
            return Err(FileError::Unreadable {
                path: path.to_path_buf(),
                detail: "it starts as UTF-16 but is not valid UTF-16".into(),
            });
        }
        (text.into_owned(), TextEncoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, had_errors) = UTF_16BE.decode_without_bom_handling(rest);
        if had_errors {
            return Err(FileError::Unreadable {
                path: path.to_path_buf(),
                detail: "it starts as UTF-16 but is not valid UTF-16".into(),
            });
        }
        (text.into_owned(), TextEncoding::Utf16Be)
    } else if let Some(encoding) = bomless_utf16(bytes) {
        let decoder = if encoding == TextEncoding::Utf16Le {
            UTF_16LE
        } else {
            UTF_16BE
        };
        let (text, had_errors) = decoder.decode_without_bom_handling(bytes);
        if had_errors {
            return Err(FileError::Unreadable {
                path: path.to_path_buf(),
                detail: "it reads as UTF-16 without a byte-order mark, but is not valid UTF-16"
                    .into(),
            });
        }
        (text.into_owned(), encoding)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_string(), TextEncoding::Utf8 { bom: false }),
            // Not UTF-8 and no BOM: the Windows code page older Excel writes.
            Err(_) => (
                WINDOWS_1252
                    .decode_without_bom_handling(bytes)
                    .0
                    .into_owned(),
                TextEncoding::Windows1252,
            ),
        }
    };
    if text.trim().is_empty() {
        return Err(FileError::Empty {
            path: path.to_path_buf(),
        });
    }
    let delimiter = sniff_delimiter(&text);
    Ok(DecodedText {
        text,
        encoding,
        delimiter,
    })
}

/// How much of a file `sniff_file` reads to find its separator and header.
const HEAD_BYTES: usize = 64 * 1024;

/// What a file is, found without holding all of it: its encoding, its separator, and its
/// first lines as text (up to 64 KiB, ending at a line break).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSniff {
    pub encoding: TextEncoding,
    pub delimiter: u8,
    pub head: String,
}

/// Sniffs `path`: a UTF-8 file is checked as it streams past (a large export is never
/// held whole); UTF-16 or Windows-1252 files, which need converting anyway, are decoded.
pub fn sniff_file(path: &Path) -> Result<FileSniff, FileError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).map_err(|error| FileError::io(path, error))?;
    let mut head = vec![0u8; HEAD_BYTES];
    let mut filled = 0;
    while filled < head.len() {
        let read = file
            .read(&mut head[filled..])
            .map_err(|error| FileError::io(path, error))?;
        if read == 0 {
            break;
        }
        filled += read;
    }
    head.truncate(filled);
    let whole = || -> Result<DecodedText, FileError> {
        let bytes = std::fs::read(path).map_err(|error| FileError::io(path, error))?;
        decode(path, &bytes)
    };
    let from_decoded = |decoded: DecodedText| {
        let mut end = decoded.text.len().min(HEAD_BYTES);
        while !decoded.text.is_char_boundary(end) {
            end -= 1;
        }
        FileSniff {
            encoding: decoded.encoding,
            delimiter: decoded.delimiter,
            head: decoded.text[..end].to_string(),
        }
    };
    if head.starts_with(b"\xFF\xFE")
        || head.starts_with(b"\xFE\xFF")
        || bomless_utf16(&head).is_some()
    {
        return Ok(from_decoded(whole()?));
    }
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    // Is the rest of the file UTF-8? Checked a chunk at a time, a character cut by a
    // chunk's end carried into the next.
    let mut pending: Vec<u8> = head.clone();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        match std::str::from_utf8(&pending) {
            Ok(_) => pending.clear(),
            Err(error) if error.error_len().is_none() => {
                pending.drain(..error.valid_up_to());
            }
            Err(_) => return Ok(from_decoded(whole()?)),
        }
        let read = file
            .read(&mut chunk)
            .map_err(|error| FileError::io(path, error))?;
        if read == 0 {
            break;
        }
        pending.extend_from_slice(&chunk[..read]);
    }
    if !pending.is_empty() {
        return Ok(from_decoded(whole()?));
    }
    let start = if bom { 3 } else { 0 };
    if filled < HEAD_BYTES && head[start..].trim_ascii().is_empty() {
        return Err(FileError::Empty {
            path: path.to_path_buf(),
        });
    }
    // The head as text, cut at its last complete line.
    let text = String::from_utf8_lossy(&head[start..]).into_owned();
    let text = match text.rfind('\n') {
        Some(end) if filled == HEAD_BYTES => text[..=end].to_string(),
        _ => text,
    };
    Ok(FileSniff {
        encoding: TextEncoding::Utf8 { bom },
        delimiter: sniff_delimiter(&text),
        head: text,
    })
}

/// `text` in `encoding`, with the byte-order mark the original had.
pub fn encode(text: &str, encoding: TextEncoding) -> Vec<u8> {
    match encoding {
        TextEncoding::Utf8 { bom } => {
            let mut bytes = if bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            };
            bytes.extend_from_slice(text.as_bytes());
            bytes
        }
        TextEncoding::Utf16Le => b"\xFF\xFE"
            .iter()
            .copied()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        TextEncoding::Utf16Be => b"\xFE\xFF"
            .iter()
            .copied()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        TextEncoding::Windows1252 => WINDOWS_1252.encode(text).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(text: &str) -> Vec<u8> {
        encode(text, TextEncoding::Utf16Le)
    }

    #[test]
    fn a_large_utf8_file_is_sniffed_as_it_streams_and_others_are_decoded() {
        let dir = tempfile::tempdir().unwrap();
        // Two-byte characters across the 1 MiB chunks' edges, a BOM, a tab separator.
        let mut text = String::from("\u{feff}Name\tCity\n");
        while text.len() < 3 << 20 {
            text.push_str("Zoë\tKöln\n");
        }
        let big = dir.path().join("big.txt");
        std::fs::write(&big, &text).unwrap();
        let sniffed = sniff_file(&big).unwrap();
        assert_eq!(sniffed.encoding, TextEncoding::Utf8 { bom: true });
        assert_eq!(sniffed.delimiter, b'\t');
        assert!(sniffed.head.starts_with("Name\tCity\nZoë"));
        assert!(sniffed.head.len() <= 64 * 1024 && sniffed.head.ends_with('\n'));
        // A byte that is no UTF-8 near the end: the code page older Excel writes.
        let mut latin = text.trim_start_matches('\u{feff}').as_bytes().to_vec();
        latin.extend_from_slice(b"Zo\xEB\tK\xF6ln\n");
        let latin_path = dir.path().join("latin.txt");
        std::fs::write(&latin_path, &latin).unwrap();
        assert_eq!(
            sniff_file(&latin_path).unwrap().encoding,
            TextEncoding::Windows1252
        );
    }

    #[test]
    fn the_separator_is_the_headers_under_title_rows_and_an_empty_file_is_named() {
        let ebay_de = "\"\"\r\nSeller Hub Bestellbericht\r\nVerkaufsprotokollnummer;Bestellnummer;Verkauft f\u{fc}r\r\n1;10-1;\"12,50\"\r\n";
        assert_eq!(sniff_delimiter(ebay_de), b';');
        assert_eq!(sniff_delimiter("Title\nmug\n"), b',');
        for empty in [&b""[..], b"\xEF\xBB\xBF", b"\r\n \r\n"] {
            let error = decode(Path::new("orders.csv"), empty).unwrap_err();
            assert_eq!(
                error.to_string(),
                "orders.csv is empty: it holds no rows, not even a header"
            );
        }
    }

    #[test]
    fn each_encoding_and_separator_is_recognised_and_written_back_byte_for_byte() {
        let path = Path::new("products.csv");
        let cases: Vec<(Vec<u8>, TextEncoding, u8)> = vec![
            (
                b"\xEF\xBB\xBFHandle,Title\r\nmug,Caf\xC3\xA9 mug\r\n".to_vec(),
                TextEncoding::Utf8 { bom: true },
                b',',
            ),
            (
                b"Handle;Title\nmug;Caf\xE9 mug \x80 5\n".to_vec(),
                TextEncoding::Windows1252,
                b';',
            ),
            (
                utf16le("Handle\tTitle\r\nmug\t\"Caf\u{e9}; mug, \u{20ac} 5\"\r\n"),
                TextEncoding::Utf16Le,
                b'\t',
            ),
            (
                b"Handle,Title\nmug,\"a;b;c;d\"\n".to_vec(),
                TextEncoding::Utf8 { bom: false },
                b',',
            ),
        ];
        for (bytes, encoding, delimiter) in cases {
            let decoded = decode(path, &bytes).unwrap();
            assert_eq!(
                (decoded.encoding, decoded.delimiter),
                (encoding, delimiter),
                "{:?}",
                decoded.text
            );
            assert!(decoded.text.starts_with("Handle"));
            assert!(decoded.text.contains("Caf\u{e9}") || decoded.text.contains("a;b"));
            assert_eq!(encode(&decoded.text, decoded.encoding), bytes);
        }
        assert!(
            decode(path, b"Handle,Title\nmug,\"Caf\xE9\"")
                .unwrap()
                .text
                .contains('\u{e9}')
        );
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_read_as_utf16() {
        let text = "Handle\tTitle\r\nmug\tCaf\u{e9} mug \u{20ac} 5\r\n";
        let dir = tempfile::tempdir().unwrap();
        for (encoding, bytes) in [
            (
                TextEncoding::Utf16Le,
                text.encode_utf16()
                    .flat_map(u16::to_le_bytes)
                    .collect::<Vec<u8>>(),
            ),
            (
                TextEncoding::Utf16Be,
                text.encode_utf16()
                    .flat_map(u16::to_be_bytes)
                    .collect::<Vec<u8>>(),
            ),
        ] {
            let decoded = decode(Path::new("products.txt"), &bytes).unwrap();
            assert_eq!((decoded.encoding, decoded.delimiter), (encoding, b'\t'));
            assert_eq!(decoded.text, text);
            let file = dir.path().join("bomless.txt");
            std::fs::write(&file, &bytes).unwrap();
            let sniffed = sniff_file(&file).unwrap();
            assert_eq!(sniffed.encoding, encoding);
            assert!(sniffed.head.starts_with("Handle\tTitle"));
        }
        // Text in a script of two-byte characters has few zero bytes: it stays UTF-8.
        let chinese = "商品,标题\n杯子,马克杯\n";
        assert_eq!(
            decode(Path::new("zh.csv"), chinese.as_bytes())
                .unwrap()
                .encoding,
            TextEncoding::Utf8 { bom: false }
        );
    }
}
