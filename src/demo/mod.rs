//! The demo shop: a product CSV, two years of orders on four channels, reviews and a
//! dozen photos, built into the binary so `tradewind demo` works anywhere, offline.

mod channels;
mod generator;
mod reviews;

use std::fmt;
use std::path::{Path, PathBuf};

pub use channels::{ChannelFiles, write_channels};
pub use generator::{GeneratedOrders, OrdersPlan, write_orders};
pub use reviews::{ReviewFiles, write_reviews};
use serde::{Deserialize, Serialize};

use crate::analytics::reviews::{self as product_reviews, ImportedReviews};
use crate::analytics::{
    AnalyticsError, Channel, ImportedOrders, ORDERS_STAGE, OrdersRequest, import_orders,
};
use crate::error_kind::ErrorKind;
use crate::files::{FileError, write_atomically};
use crate::jobs::JobContext;
use crate::listings::{ImportedListings, ListingsError, import_listings};
use crate::photos::{ImportedPhotos, PhotosError, import_folder};

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

/// The demo's orders on its other channels, in the order they load (Etsy's items before
/// its orders, which join onto them), each with the channel it must be.
pub const CHANNEL_FILES: &[(&str, &[u8], Channel)] = &[
    (
        "EtsySoldOrderItems2026.csv",
        include_bytes!("../../assets/demo/EtsySoldOrderItems2026.csv"),
        Channel::Etsy,
    ),
    (
        "EtsySoldOrders2026.csv",
        include_bytes!("../../assets/demo/EtsySoldOrders2026.csv"),
        Channel::Etsy,
    ),
    (
        "amazon-all-orders.txt",
        include_bytes!("../../assets/demo/amazon-all-orders.txt"),
        Channel::Amazon,
    ),
    (
        "ebay-orders-report.csv",
        include_bytes!("../../assets/demo/ebay-orders-report.csv"),
        Channel::Ebay,
    ),
];

/// The demo's reviews: Judge.me's export of the Shopify listings' and Etsy's download
/// (whose orders the Etsy files above hold), in the order `write_reviews` makes them.
pub const REVIEW_FILES: &[(&str, &[u8])] = &[
    (
        "judgeme-reviews-export.csv",
        include_bytes!("../../assets/demo/judgeme-reviews-export.csv"),
    ),
    (
        "etsy-reviews.json",
        include_bytes!("../../assets/demo/etsy-reviews.json"),
    ),
];

macro_rules! photos {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../assets/demo/photos/", $name)))),*]
    };
}

const PHOTOS: &[(&str, &[u8])] = photos![
    "astronaut.jpg",
    "brick-texture.jpg",
    "camera-operator-grey.jpg",
    "pawprint-cat-bed-1.jpg",
    "kumo-stoneware-mug-1.jpg",
    "grass-texture.jpg",
    "gravel-texture.jpg",
    "atlas-trail-bottle-750-2.jpg",
    "atlas-trail-bottle-750-1.jpg",
    "sakura-stitch-tote-2.jpg",
    "sakura-stitch-tote-1.jpg",
    "rocket.jpg",
];

#[derive(Debug, Clone)]
pub struct DemoFiles {
    pub products: PathBuf,
    pub orders: PathBuf,
    pub shopify_translations: PathBuf,
    pub photos: PathBuf,
    /// The other channels' orders files, as `CHANNEL_FILES` lists them.
    pub channel_orders: Vec<PathBuf>,
    /// The reviews files, as `REVIEW_FILES` lists them.
    pub reviews: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DemoLoaded {
    pub listings: ImportedListings,
    /// The Shopify shop's orders.
    pub orders: ImportedOrders,
    /// Etsy's, Amazon's and eBay's, one import per file.
    #[serde(default)]
    pub other_orders: Vec<ImportedOrders>,
    pub photos: ImportedPhotos,
    /// Judge.me's and Etsy's reviews.
    #[serde(default)]
    pub reviews: Vec<ImportedReviews>,
}

impl DemoLoaded {
    /// Orders of every channel (Etsy's two files count its orders once).
    pub fn all_orders(&self) -> u64 {
        self.orders.orders
            + self
                .other_orders
                .iter()
                .filter(|imported| imported.layout != crate::analytics::Layout::EtsySoldOrders)
                .map(|imported| imported.orders)
                .sum::<u64>()
    }

    pub fn all_lines(&self) -> u64 {
        self.orders.lines
            + self
                .other_orders
                .iter()
                .map(|imported| imported.lines)
                .sum::<u64>()
    }
}

impl fmt::Display for DemoLoaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} listings ({} variants, {} images), {} orders ({} line items), {} photos, {} reviews",
            self.listings.listings,
            self.listings.variants,
            self.listings.images,
            self.all_orders(),
            self.all_lines(),
            self.photos.photos,
            self.reviews
                .iter()
                .map(|imported| imported.added + imported.updated)
                .sum::<usize>()
        )
    }
}

/// Writes the demo files into `folder`, leaving files that are already right alone.
pub fn unpack(folder: &Path) -> Result<DemoFiles, FileError> {
    let photos = folder.join("photos");
    std::fs::create_dir_all(&photos).map_err(|source| FileError::Write {
        path: photos.clone(),
        source,
    })?;
    let files = DemoFiles {
        products: folder.join(PRODUCTS_FILE),
        orders: folder.join(ORDERS_FILE),
        shopify_translations: folder.join(SHOPIFY_TRANSLATIONS_FILE),
        photos,
        channel_orders: CHANNEL_FILES
            .iter()
            .map(|(name, _, _)| folder.join(name))
            .collect(),
        reviews: REVIEW_FILES
            .iter()
            .map(|(name, _)| folder.join(name))
            .collect(),
    };
    for ((_, bytes, _), path) in CHANNEL_FILES.iter().zip(&files.channel_orders) {
        write_if_different(path, bytes)?;
    }
    for ((_, bytes), path) in REVIEW_FILES.iter().zip(&files.reviews) {
        write_if_different(path, bytes)?;
    }
    write_if_different(&files.products, PRODUCTS_CSV)?;
    write_if_different(&files.orders, ORDERS_CSV)?;
    write_if_different(&files.shopify_translations, SHOPIFY_TRANSLATIONS_CSV)?;
    for (name, bytes) in PHOTOS {
        write_if_different(&files.photos.join(name), bytes)?;
    }
    Ok(files)
}

fn write_if_different(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    match std::fs::read(path) {
        Ok(existing) if existing == bytes => Ok(()),
        _ => write_atomically(path, bytes),
    }
}

/// Anything that stops the demo from loading: what stopped one of its imports.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Listings(#[from] ListingsError),
    #[error(transparent)]
    Analytics(#[from] AnalyticsError),
    #[error(transparent)]
    Photos(#[from] PhotosError),
}

impl DemoError {
    /// Whether the work stopped because the seller asked it to.
    pub fn is_cancelled(&self) -> bool {
        match self {
            DemoError::File(_) => false,
            DemoError::Listings(error) => error.is_cancelled(),
            DemoError::Analytics(error) => error.is_cancelled(),
            DemoError::Photos(error) => error.is_cancelled(),
        }
    }

    /// A stable name for what went wrong, for scripts and the interface.
    pub fn kind(&self) -> ErrorKind {
        match self {
            DemoError::File(error) => error.kind(),
            DemoError::Listings(error) => error.kind(),
            DemoError::Analytics(error) => error.kind(),
            DemoError::Photos(error) => error.kind(),
        }
    }
}

/// The demo load job: unpack, then listings, each channel's orders and photos, each a
/// resumable stage, then the reviews (each file saved whole, and saved again alike when
/// the job resumes).
pub fn load(folder: &Path, context: &mut JobContext) -> Result<DemoLoaded, DemoError> {
    let files = unpack(folder)?;
    let copies = folder.join("imports");
    let listings = import_listings(&files.products, SOURCE, None, context)?;
    let orders = import_orders(
        OrdersRequest {
            path: &files.orders,
            source: SOURCE,
            channel: Some(Channel::Shopify),
            mapping: None,
        },
        &copies,
        ORDERS_STAGE,
        context,
    )?;
    let mut other_orders = Vec::new();
    for ((name, _, channel), path) in CHANNEL_FILES.iter().zip(&files.channel_orders) {
        other_orders.push(import_orders(
            OrdersRequest {
                path,
                source: &format!("{SOURCE}:{name}"),
                channel: Some(*channel),
                mapping: None,
            },
            &copies,
            &format!("{ORDERS_STAGE}:{name}"),
            context,
        )?);
    }
    let photos = import_folder(&files.photos, SOURCE, context)?;
    let reviews = files
        .reviews
        .iter()
        .map(|path| product_reviews::import(context.store(), path, None))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DemoLoaded {
        listings,
        orders,
        other_orders,
        photos,
        reviews,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listings::catalogue::shopify_csv;

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
    fn the_committed_channel_orders_are_what_the_generator_makes() {
        let dir = tempfile::tempdir().unwrap();
        let files = unpack(dir.path()).unwrap();
        let listings = shopify_csv::read(&files.products).unwrap();
        let made = write_channels(&listings, &OrdersPlan::demo()).unwrap();
        let made = [made.etsy_items, made.etsy_orders, made.amazon, made.ebay];
        for ((name, committed, _), generated) in CHANNEL_FILES.iter().zip(made) {
            assert!(
                generated == *committed,
                "assets/demo/{name} is stale: run `tradewind dev gen-channels assets/demo`"
            );
        }
    }

    #[test]
    fn the_committed_reviews_are_what_the_generator_makes() {
        let dir = tempfile::tempdir().unwrap();
        let files = unpack(dir.path()).unwrap();
        let listings = shopify_csv::read(&files.products).unwrap();
        let made = write_reviews(&listings, &OrdersPlan::demo(), CHANNEL_FILES[0].1).unwrap();
        for ((name, committed), generated) in REVIEW_FILES.iter().zip([made.judge_me, made.etsy]) {
            assert!(
                generated == *committed,
                "assets/demo/{name} is stale: run `tradewind dev gen-channels assets/demo`"
            );
        }
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
