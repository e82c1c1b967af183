use std::collections::HashSet;
use std::path::Path;

use rusqlite::{OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::own_layout::{self, Mapping};
use super::shopify_csv::{self, ParsedListing};
use crate::files::{FileError, Table};
use crate::jobs::{JobContext, Unit};
use crate::listings::ListingsError;
use crate::store::{Store, StoreError};

const STAGE: &str = "listings";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportedListings {
    pub listings: u64,
    pub variants: u64,
    pub images: u64,
}

/// Replaces the listings imported from `source` by those of the file: a Shopify
/// product CSV, or with `mapping` a file of the seller's own layout. The whole file
/// commits as one transaction: a product file is small, and a half-imported
/// catalogue would be worse than none.
pub fn import_listings(
    path: &Path,
    source: &str,
    mapping: Option<&Mapping>,
    context: &mut JobContext,
) -> Result<ImportedListings, ListingsError> {
    if let Some(done) = context.saved::<ImportedListings>(STAGE)? {
        return Ok(done);
    }
    let listings = match mapping {
        Some(mapping) => own_layout::listings(&Table::read(path)?, mapping)?,
        None => shopify_csv::read(path).map_err(|error| match error {
            FileError::MissingColumn { path, column, .. } => {
                ListingsError::NeedsMapping { path, column }
            }
            other => other.into(),
        })?,
    };
    context.begin_stage(STAGE, Unit::Items, Some(listings.len() as u64), 0);
    let store = context.store().clone();
    let mut conn = store.connect()?;
    let tx = conn.transaction().map_err(|error| store.error(error))?;
    let imported = replace(&tx, source, &listings)
        .and_then(|imported| remember_mapping(&tx, source, mapping).map(|()| imported))
        .map_err(|error| store.error(error))?;
    context.commit(tx, imported.listings, &imported)?;
    Ok(imported)
}

/// Brings the listings from `source` to those of the file: a listing is updated in
/// place (keyed by its handle) so that its translations and reviews survive a
/// re-import, and the job retranslates only the fields whose text changed; listings
/// no longer in the file are removed.
fn replace(
    tx: &Transaction<'_>,
    source: &str,
    listings: &[ParsedListing],
) -> rusqlite::Result<ImportedListings> {
    let mut upsert_listing = tx.prepare(
        "INSERT INTO listings (source, handle, title, vendor, product_type, tags, body_html, seo_title, seo_description, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (source, handle) DO UPDATE SET
            title = excluded.title, vendor = excluded.vendor, product_type = excluded.product_type,
            tags = excluded.tags, body_html = excluded.body_html, seo_title = excluded.seo_title,
            seo_description = excluded.seo_description, status = excluded.status
         RETURNING id",
    )?;
    let mut insert_variant = tx.prepare(
        "INSERT INTO listing_variants (listing_id, position, sku, options, price_cents) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut insert_image = tx.prepare(
        "INSERT INTO listing_images (listing_id, position, src, alt_text) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut insert_field = tx.prepare(
        "INSERT INTO listing_fields (listing_id, name, text, html, position) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut forget_translations = tx.prepare(
        "DELETE FROM listing_translations WHERE listing_id = ?1
           AND (field LIKE 'option_name:%' OR field LIKE 'option_value:%'
                OR field LIKE 'metafield:%' OR field LIKE 'column:%')
           AND field NOT IN (SELECT name FROM listing_fields WHERE listing_id = ?1)",
    )?;
    let mut imported = ImportedListings {
        listings: 0,
        variants: 0,
        images: 0,
    };
    let before: HashSet<i64> = tx
        .prepare("SELECT id FROM listings WHERE source = ?1")?
        .query_map([source], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut kept = HashSet::with_capacity(listings.len());
    for listing in listings {
        let id: i64 = upsert_listing.query_row(
            (
                source,
                &listing.handle,
                &listing.title,
                &listing.vendor,
                &listing.product_type,
                &listing.tags,
                &listing.body_html,
                &listing.seo_title,
                &listing.seo_description,
                &listing.status,
            ),
            |row| row.get(0),
        )?;
        kept.insert(id);
        for table in ["listing_variants", "listing_images", "listing_fields"] {
            tx.execute(&format!("DELETE FROM {table} WHERE listing_id = ?1"), [id])?;
        }
        for (position, variant) in listing.variants.iter().enumerate() {
            insert_variant.execute((
                id,
                position as i64 + 1,
                &variant.sku,
                &variant.options,
                variant.price_cents,
            ))?;
        }
        for image in &listing.images {
            insert_image.execute((id, image.position, &image.src, &image.alt_text))?;
        }
        for (position, field) in listing.extra_fields.iter().enumerate() {
            insert_field.execute((id, &field.name, &field.text, field.html, position as i64))?;
        }
        // An option value or metafield the file no longer offers for translation (an
        // option now linked to a metafield, an app's metafield) takes its stale
        // translation with it, so no copy or review brings it back.
        forget_translations.execute([id])?;
        imported.listings += 1;
        imported.variants += listing.variants.len() as u64;
        imported.images += listing.images.len() as u64;
    }
    for id in before.difference(&kept) {
        tx.execute("DELETE FROM listings WHERE id = ?1", [id])?;
    }
    Ok(imported)
}

/// Keeps the mapping a file was read with, for writing its translated copies; a
/// Shopify file needs none.
fn remember_mapping(
    tx: &Transaction<'_>,
    source: &str,
    mapping: Option<&Mapping>,
) -> rusqlite::Result<()> {
    match mapping {
        Some(mapping) => {
            let json = serde_json::to_string(mapping)
                .map_err(|error| rusqlite::Error::ToSqlConversionFailure(Box::new(error)))?;
            tx.execute(
                "INSERT INTO listing_sources (source, mapping) VALUES (?1, ?2)
                 ON CONFLICT (source) DO UPDATE SET mapping = excluded.mapping",
                (source, json),
            )?;
        }
        None => {
            tx.execute("DELETE FROM listing_sources WHERE source = ?1", [source])?;
        }
    }
    Ok(())
}

/// The mapping the file imported as `source` was read with, if it was not Shopify's.
pub fn mapping_of(store: &Store, source: &str) -> Result<Option<Mapping>, StoreError> {
    let conn = store.connect()?;
    let json: Option<String> = conn
        .query_row(
            "SELECT mapping FROM listing_sources WHERE source = ?1",
            [source],
            |row| row.get(0),
        )
        .optional()
        .map_err(|error| store.error(error))?;
    json.map(|json| {
        serde_json::from_str(&json).map_err(|error| {
            store.error(rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                Box::new(error),
            ))
        })
    })
    .transpose()
}
