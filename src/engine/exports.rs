//! Translations sent back out: copies of the seller's product file per language,
//! Shopify's translations file filled in, and every translation as a table.

use std::path::Path;

use super::Engine;
use crate::Error;
use crate::listings::output::{
    self, CopyReport, WrittenCopy, shopify_translations, translations_table,
};
use crate::listings::rules;

impl Engine {
    /// Writes a copy of the seller's product file `original` with the cells translated
    /// into `locale` in place: a Shopify CSV or another CSV with every other byte as it
    /// was; a workbook or JSON file of the seller's own layout with every other value.
    pub fn export_translated_copy(
        &self,
        original: &Path,
        locale: &str,
        out: &Path,
    ) -> Result<CopyReport, Error> {
        Ok(output::translated_copy(&self.store, original, locale, out)?)
    }

    /// A translated copy of `original` for each of `only` (none: every language
    /// there are translations into), written beside it (or into `folder`) as
    /// NAME.LANG.EXT.
    pub fn export_translated_copies(
        &self,
        original: &Path,
        folder: Option<&Path>,
        only: &[String],
    ) -> Result<Vec<WrittenCopy>, Error> {
        Ok(output::translated_copies(
            &self.store,
            original,
            folder,
            only,
        )?)
    }

    /// Fills in the shop's own translations export (Shopify admin or Translate &
    /// Adapt) with the stored translations, for the shop to import.
    pub fn fill_shopify_translations(
        &self,
        shop_export: &Path,
        out: &Path,
    ) -> Result<shopify_translations::FilledReport, Error> {
        Ok(shopify_translations::fill(
            &self.store,
            &rules::rules()?,
            shop_export,
            out,
        )?)
    }

    /// Writes every stored translation as a CSV, XLSX or JSON table (by `out`'s
    /// extension), each with the limits of `marketplace` it breaks; returns how many rows.
    pub fn export_translations_table(
        &self,
        out: &Path,
        marketplace: Option<&str>,
    ) -> Result<usize, Error> {
        let rows = rules::with_violations(&self.store, marketplace)?;
        Ok(translations_table::write(&rows, out)?)
    }
}
