//! The demo shop: a product CSV, two years of orders and a dozen photos, built into
//! the binary so `tradewind demo` works anywhere, offline.

mod generator;

use std::fmt;
use std::path::{Path, PathBuf};

pub use generator::{GeneratedOrders, OrdersPlan, write_orders};
use serde::{Deserialize, Serialize};

use crate::analytics::{ImportedOrders, import_shopify_orders};
use crate::files::write_atomically;
use crate::input::InputError;
use crate::jobs::JobContext;
use crate::listings::{ImportedListings, import_listings};
use crate::photos::{ImportedPhotos, import_folder};

/// The `source` the demo's rows carry, so loading it again replaces only them.
pub const SOURCE: &str = "demo";

pub const PRODUCTS_FILE: &str = "products.csv";
pub const ORDERS_FILE: &str = "orders_export_1.csv";
/// The demo shop's translations export (de, fr, es), as Shopify's admin writes it, for
/// trying the export back to Shopify.
pub const SHOPIFY_TRANSLATIONS_FILE: &str = "shopify-translations-export.csv";
pub const PRODUCTS_CSV: &[u8] = include_bytes!("../../assets/demo/products.csv");
const ORDERS_CSV: &[u8] = include_bytes!("../../assets/demo/orders_export_1.csv");
const SHOPIFY_TRANSLATIONS_CSV: &[u8] =
    include_bytes!("../../assets/demo/shopify-translations-export.csv");

macro_rules! photos {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../assets/demo/photos/", $name)))),*]
    };
}

const PHOTOS: &[(&str, &[u8])] = photos![
    "astronaut.jpg",
    "brick-texture.jpg",
    "camera-operator-grey.jpg",
    "cat.jpg",
    "coffee-cup.jpg",
    "grass-texture.jpg",
    "gravel-texture.jpg",
    "rendered-blue-bottle-dark-small.jpg",
    "rendered-blue-bottle.jpg",
    "rendered-red-tote-blurry.jpg",
    "rendered-red-tote.jpg",
    "rocket.jpg",
];

#[derive(Debug, Clone)]
pub struct DemoFiles {
    pub products: PathBuf,
    pub orders: PathBuf,
    pub shopify_translations: PathBuf,
    pub photos: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoLoaded {
    pub listings: ImportedListings,
    pub orders: ImportedOrders,
    pub photos: ImportedPhotos,
}

impl fmt::Display for DemoLoaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} listings ({} variants, {} images), {} orders ({} line items), {} photos",
            self.listings.listings,
            self.listings.variants,
            self.listings.images,
            self.orders.orders,
            self.orders.lines,
            self.photos.photos
        )
    }
}

/// Writes the demo files into `folder`, leaving files that are already right alone.
pub fn unpack(folder: &Path) -> Result<DemoFiles, InputError> {
    let photos = folder.join("photos");
    std::fs::create_dir_all(&photos).map_err(|source| InputError::Write {
        path: photos.clone(),
        source,
    })?;
    let files = DemoFiles {
        products: folder.join(PRODUCTS_FILE),
        orders: folder.join(ORDERS_FILE),
        shopify_translations: folder.join(SHOPIFY_TRANSLATIONS_FILE),
        photos,
    };
    write_if_different(&files.products, PRODUCTS_CSV)?;
    write_if_different(&files.orders, ORDERS_CSV)?;
    write_if_different(&files.shopify_translations, SHOPIFY_TRANSLATIONS_CSV)?;
    for (name, bytes) in PHOTOS {
        write_if_different(&files.photos.join(name), bytes)?;
    }
    Ok(files)
}

fn write_if_different(path: &Path, bytes: &[u8]) -> Result<(), InputError> {
    match std::fs::read(path) {
        Ok(existing) if existing == bytes => Ok(()),
        _ => write_atomically(path, bytes),
    }
}

/// The demo load job: unpack, then listings, orders and photos, each a resumable stage.
pub fn load(folder: &Path, context: &mut JobContext) -> Result<DemoLoaded, crate::Error> {
    let files = unpack(folder)?;
    Ok(DemoLoaded {
        listings: import_listings(&files.products, SOURCE, None, context)?,
        orders: import_shopify_orders(&files.orders, SOURCE, context)?,
        photos: import_folder(&files.photos, SOURCE, context)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listings::shopify_csv;

    #[test]
    fn the_committed_demo_orders_are_what_the_generator_makes() {
        let dir = tempfile::tempdir().unwrap();
        let files = unpack(dir.path()).unwrap();
        let listings = shopify_csv::read(&files.products).unwrap();
        let mut generated = Vec::new();
        write_orders(&listings, &OrdersPlan::demo(), &mut generated).unwrap();
        assert!(
            generated == ORDERS_CSV,
            "assets/demo/{ORDERS_FILE} is stale: run `tradewind dev gen-orders --out assets/demo/{ORDERS_FILE}`"
        );
    }

    #[test]
    fn unpacking_twice_rewrites_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let files = unpack(dir.path()).unwrap();
        let modified = std::fs::metadata(&files.orders)
            .unwrap()
            .modified()
            .unwrap();
        unpack(dir.path()).unwrap();
        assert_eq!(
            std::fs::metadata(&files.orders)
                .unwrap()
                .modified()
                .unwrap(),
            modified
        );
        assert_eq!(
            std::fs::read_dir(&files.photos).unwrap().count(),
            PHOTOS.len()
        );
    }
}
