//! Translations sent back out: a copy of the seller's Shopify product CSV per language
//! (`shopify_copy`) or of a file of their own layout (`own_layout_copy`), both through
//! raw CSV cells that keep every other byte (`raw_csv`); Shopify's own translations
//! file filled in (`shopify_translations`); and every translation as a table
//! (`translations_table`).

pub mod own_layout_copy;
pub mod raw_csv;
pub mod shopify_copy;
pub mod shopify_translations;
pub mod translations_table;

pub use shopify_copy::CopyReport;

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::ListingsError;
use super::catalogue::mapping_of;
use super::translate::stored;
use crate::files::source_name;
use crate::store::Store;

/// A translated copy of the seller's product file, written.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WrittenCopy {
    pub locale: String,
    pub path: PathBuf,
    pub report: CopyReport,
}

/// Writes a copy of the seller's product file `original` with the cells translated
/// into `locale` in place: a Shopify CSV or another CSV with every other byte as it
/// was; a workbook or JSON file of the seller's own layout with every other value.
pub fn translated_copy(
    store: &Store,
    original: &Path,
    locale: &str,
    out: &Path,
) -> Result<CopyReport, ListingsError> {
    let source = source_name(original);
    let file = (original, source.as_str());
    match mapping_of(store, &source)? {
        Some(mapping) => own_layout_copy::translated_copy(store, file, &mapping, locale, out),
        None => shopify_copy::translated_copy(store, file, locale, out),
    }
}

/// A translated copy of `original` for each of `only` (none: every language there are
/// translations into), written beside it (or into `folder`) as NAME.LANG.EXT.
pub fn translated_copies(
    store: &Store,
    original: &Path,
    folder: Option<&Path>,
    only: &[String],
) -> Result<Vec<WrittenCopy>, ListingsError> {
    let mut locales: Vec<String> = stored(store)?
        .into_iter()
        .map(|row| row.locale)
        .filter(|locale| only.is_empty() || only.contains(locale))
        .collect();
    locales.sort();
    locales.dedup();
    locales
        .into_iter()
        .map(|locale| {
            let path = copy_path(original, folder, &locale);
            let report = translated_copy(store, original, &locale, &path)?;
            Ok(WrittenCopy {
                locale,
                path,
                report,
            })
        })
        .collect()
}

/// Where the copy of `original` in `locale` goes: NAME.LANG.EXT in `folder`, else
/// beside the original.
fn copy_path(original: &Path, folder: Option<&Path>, locale: &str) -> PathBuf {
    let folder = folder
        .map(Path::to_path_buf)
        .or_else(|| original.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let stem = original
        .file_stem()
        .map_or("listings".into(), |stem| stem.to_string_lossy());
    let extension = original
        .extension()
        .map_or("csv".into(), |extension| extension.to_string_lossy());
    folder.join(format!("{stem}.{locale}.{extension}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_is_named_after_the_original_and_its_language() {
        let original = Path::new("/shop/products.xlsx");
        assert_eq!(
            copy_path(original, None, "de"),
            Path::new("/shop/products.de.xlsx")
        );
        assert_eq!(
            copy_path(original, Some(Path::new("/out")), "pt-BR"),
            Path::new("/out/products.pt-BR.xlsx")
        );
        assert_eq!(
            copy_path(Path::new("catalogue"), None, "fr"),
            Path::new("catalogue.fr.csv")
        );
    }
}
