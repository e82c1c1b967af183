use std::path::Path;

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};

use super::shopify_csv::{self, ParsedListing};
use crate::jobs::{JobContext, Unit};

const STAGE: &str = "listings";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedListings {
    pub listings: u64,
    pub variants: u64,
    pub images: u64,
}

/// Replaces the listings imported from `source` by those of a Shopify product CSV.
/// The whole file commits as one transaction: a product file is small, and a
/// half-imported catalogue would be worse than none.
pub fn import_shopify_products(
    path: &Path,
    source: &str,
    context: &mut JobContext,
) -> Result<ImportedListings, crate::Error> {
    if let Some(done) = context.saved::<ImportedListings>(STAGE)? {
        return Ok(done);
    }
    let listings = shopify_csv::read(path)?;
    context.begin_stage(STAGE, Unit::Items, Some(listings.len() as u64), 0);
    let store = context.store().clone();
    let mut conn = store.connect()?;
    let tx = conn.transaction().map_err(|error| store.error(error))?;
    let imported = replace(&tx, source, &listings).map_err(|error| store.error(error))?;
    context.commit(tx, imported.listings, &imported)?;
    Ok(imported)
}

fn replace(
    tx: &Transaction<'_>,
    source: &str,
    listings: &[ParsedListing],
) -> rusqlite::Result<ImportedListings> {
    tx.execute("DELETE FROM listings WHERE source = ?1", [source])?;
    let mut insert_listing = tx.prepare(
        "INSERT INTO listings (source, handle, title, vendor, product_type, tags, body_html, seo_title, seo_description, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut insert_variant = tx.prepare(
        "INSERT INTO listing_variants (listing_id, position, sku, options, price_cents) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut insert_image = tx.prepare(
        "INSERT INTO listing_images (listing_id, position, src, alt_text) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut imported = ImportedListings {
        listings: 0,
        variants: 0,
        images: 0,
    };
    for listing in listings {
        let id = insert_listing.insert((
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
        ))?;
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
        imported.listings += 1;
        imported.variants += listing.variants.len() as u64;
        imported.images += listing.images.len() as u64;
    }
    Ok(imported)
}
