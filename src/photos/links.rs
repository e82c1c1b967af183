//! Which listing images a photo is: found by file name, as a shop's photo folder and its
//! product file name them (`…/files/sakura-stitch-tote-1.jpg?v=1714550400` is the
//! photo `sakura-stitch-tote-1.jpg`; Shopify's CDN adds `_` and a UUID when a name
//! repeats). Worked out when asked, so a new product file or photo folder needs no step.

use std::collections::HashMap;

use serde::Serialize;

use crate::store::{Store, StoreError};

/// A listing image a photo is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ListingLink {
    pub listing_id: i64,
    pub handle: String,
    pub title: String,
    /// The image's position in the listing (1 is the main image).
    pub position: i64,
}

/// The name an image is known by: the last part of its URL or path, without a query,
/// a CDN's repeat suffix (`_` and a UUID) or letter case.
pub fn image_name(src: &str) -> String {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    let name = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_lowercase();
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) => (stem.to_string(), format!(".{extension}")),
        None => (name.clone(), String::new()),
    };
    let stem = match stem.rsplit_once('_') {
        Some((base, suffix)) if is_uuid(suffix) => base.to_string(),
        _ => stem,
    };
    format!("{stem}{extension}")
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text
            .chars()
            .enumerate()
            .all(|(index, character)| match index {
                8 | 13 | 18 | 23 => character == '-',
                _ => character.is_ascii_hexdigit(),
            })
}

/// For each photo with any, the listing images it is.
pub fn listing_links(store: &Store) -> Result<HashMap<i64, Vec<ListingLink>>, StoreError> {
    let conn = store.connect()?;
    let mut images: HashMap<String, Vec<ListingLink>> = HashMap::new();
    let mut statement = conn
        .prepare(
            "SELECT i.src, l.id, l.handle, l.title, i.position FROM listing_images i
             JOIN listings l ON l.id = i.listing_id WHERE i.src != '' ORDER BY l.id, i.position",
        )
        .map_err(|error| store.error(error))?;
    let rows: Vec<(String, ListingLink)> = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                ListingLink {
                    listing_id: row.get(1)?,
                    handle: row.get(2)?,
                    title: row.get(3)?,
                    position: row.get(4)?,
                },
            ))
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))?;
    for (src, link) in rows {
        images.entry(image_name(&src)).or_default().push(link);
    }
    let mut photos = conn
        .prepare("SELECT id, file_name FROM photos")
        .map_err(|error| store.error(error))?;
    let names: Vec<(i64, String)> = photos
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))?;
    Ok(names
        .into_iter()
        .filter_map(|(id, name)| {
            images
                .get(&image_name(&name))
                .map(|links| (id, links.clone()))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_is_known_by_its_file_name_whatever_its_url_says() {
        for src in [
            "https://cdn.shopify.com/s/files/1/0658/4471/files/Tote-1.JPG?v=1714550400",
            "https://cdn.shopify.com/s/files/1/0658/files/tote-1_92fc6755-6ebb-48d3-9999-f05a41499eb7.jpg",
            "C:\\Photos\\tote-1.jpg",
            "tote-1.jpg",
        ] {
            assert_eq!(image_name(src), "tote-1.jpg", "{src}");
        }
        assert_eq!(image_name("linen_apron_front.jpg"), "linen_apron_front.jpg");
    }
}
