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
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(count) = counts.iter_mut().find(|(delimiter, _)| *delimiter == byte) {
                    count.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(delimiter, count)| (*count, *delimiter == b','))
        .map_or(b',', |(delimiter, _)| *delimiter)
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
    let delimiter = sniff_delimiter(&text);
    Ok(DecodedText {
        text,
        encoding,
        delimiter,
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
}
