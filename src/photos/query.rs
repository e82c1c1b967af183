//! What the store holds of the photos: the grid's summaries and each photo's whole
//! record (measures, tags, alt text, listings, checks per marketplace).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::PhotosError;
use super::captions::{self, Caption};
use super::checks::{self, CheckResult, Status};
use super::links::{self, ListingLink};
use super::measure::Measures;
use super::similar;
use crate::listings::rules::{self as length_rules, Violation};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TagState {
    Proposed,
    Accepted,
    Removed,
    Added,
}

impl TagState {
    pub fn name(self) -> &'static str {
        match self {
            TagState::Proposed => "proposed",
            TagState::Accepted => "accepted",
            TagState::Removed => "removed",
            TagState::Added => "added",
        }
    }

    fn parse(text: &str) -> TagState {
        match text {
            "accepted" => TagState::Accepted,
            "removed" => TagState::Removed,
            "added" => TagState::Added,
            _ => TagState::Proposed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Tag {
    pub group: String,
    /// The label's key: a taxonomy id for a category, else the word.
    pub label: String,
    /// The category's path, for a category.
    pub path: Option<String>,
    pub score: Option<f32>,
    pub state: TagState,
}

/// A photo as the grid shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhotoSummary {
    pub id: i64,
    pub file_name: String,
    pub width: u32,
    pub height: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// A small JPEG for display.
    #[serde(skip)]
    pub thumbnail_jpeg: Vec<u8>,
    pub tags: Vec<Tag>,
    pub colours: Vec<super::colours::DominantColour>,
    /// The worst check result per marketplace.
    pub checks: BTreeMap<String, Status>,
    /// Photos of the same shot share a group (the smallest id in it); none when alone.
    pub duplicate_of: Option<i64>,
    pub listings: Vec<ListingLink>,
    /// Languages it has alt text in.
    pub alt_text_locales: Vec<String>,
}

/// A photo's whole record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhotoDetail {
    pub id: i64,
    pub file_name: String,
    pub path: String,
    pub measures: Measures,
    pub tags: Vec<Tag>,
    pub captions: BTreeMap<String, Caption>,
    /// Per language, the marketplaces' alt text limits its alt text breaks.
    pub alt_text_limits: BTreeMap<String, Vec<Violation>>,
    pub listings: Vec<ListingLink>,
    pub checks: BTreeMap<String, Vec<CheckResult>>,
    pub duplicates: Vec<i64>,
}

/// What each caption breaks of the marketplaces' `image_alt` length limits (the
/// listings' rules, `assets/marketplace-rules.toml`).
fn alt_text_limits(
    rules: &[length_rules::Rule],
    captions: &BTreeMap<String, Caption>,
) -> BTreeMap<String, Vec<Violation>> {
    captions
        .iter()
        .map(|(locale, caption)| {
            let broken = length_rules::marketplaces(rules)
                .iter()
                .flat_map(|marketplace| {
                    length_rules::check(rules, marketplace, "image_alt", &caption.text)
                })
                .collect::<Vec<_>>();
            (locale.clone(), broken)
        })
        .filter(|(_, broken)| !broken.is_empty())
        .collect()
}

struct Row {
    id: i64,
    file_name: String,
    path: String,
    bytes: u64,
    thumbnail: Vec<u8>,
    measures: Measures,
}

fn rows(store: &Store, selection: &[i64]) -> Result<Vec<Row>, StoreError> {
    let conn = store.connect()?;
    let ids = serde_json::to_string(selection).unwrap_or_else(|_| "[]".into());
    let mut statement = conn
        .prepare(
            "SELECT id, file_name, path, bytes, thumbnail, measures, width, height, format FROM photos
             WHERE ?1 = '[]' OR id IN (SELECT value FROM json_each(?1)) ORDER BY file_name, id",
        )
        .map_err(|error| store.error(error))?;
    statement
        .query_map([ids], |row| {
            let mut measures: Measures =
                serde_json::from_str(&row.get::<_, String>(5)?).unwrap_or_default();
            // Photos imported before measures were kept still have their size.
            if measures.width == 0 {
                measures.width = row.get(6)?;
                measures.height = row.get(7)?;
                measures.bytes = row.get(3)?;
                measures.format = row.get(8)?;
            }
            Ok(Row {
                id: row.get(0)?,
                file_name: row.get(1)?,
                path: row.get(2)?,
                bytes: row.get(3)?,
                thumbnail: row.get(4)?,
                measures,
            })
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))
}

fn tags(store: &Store) -> Result<HashMap<i64, Vec<Tag>>, PhotosError> {
    let taxonomy = super::vocabulary::taxonomy()?;
    let conn = store.connect()?;
    let mut statement = conn
        .prepare("SELECT photo_id, grp, label, score, state FROM photo_tags ORDER BY photo_id, grp, score DESC, label")
        .map_err(|error| store.error(error))?;
    let rows: Vec<(i64, String, String, Option<f64>, String)> = statement
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))?;
    let mut by_photo: HashMap<i64, Vec<Tag>> = HashMap::new();
    for (photo, group, label, score, state) in rows {
        let path = (group == super::vocabulary::CATEGORY)
            .then(|| label.parse::<u32>().ok().and_then(|id| taxonomy.get(id)))
            .flatten()
            .map(|category| category.path.clone());
        by_photo.entry(photo).or_default().push(Tag {
            group,
            label,
            path,
            score: score.map(|score| score as f32),
            state: TagState::parse(&state),
        });
    }
    Ok(by_photo)
}

fn all_checks(measures: &Measures, rules: &[checks::Rule]) -> BTreeMap<String, Vec<CheckResult>> {
    checks::marketplaces(rules)
        .into_iter()
        .map(|marketplace| {
            let results = checks::check(rules, &marketplace, measures);
            (marketplace, results)
        })
        .collect()
}

/// Every photo, for the grid.
pub fn list(store: &Store) -> Result<Vec<PhotoSummary>, PhotosError> {
    let rules = checks::rules()?;
    let mut tags = tags(store)?;
    let mut linked = links::listing_links(store)?;
    let groups = similar::duplicate_groups(store)?;
    let locales = caption_locales(store)?;
    Ok(rows(store, &[])?
        .into_iter()
        .map(|row| PhotoSummary {
            checks: all_checks(&row.measures, &rules)
                .into_iter()
                .map(|(marketplace, results)| (marketplace, checks::worst(&results)))
                .collect(),
            tags: tags.remove(&row.id).unwrap_or_default(),
            colours: row.measures.colours.clone(),
            duplicate_of: groups.get(&row.id).copied(),
            listings: linked.remove(&row.id).unwrap_or_default(),
            alt_text_locales: locales.get(&row.id).cloned().unwrap_or_default(),
            id: row.id,
            file_name: row.file_name,
            width: row.measures.width,
            height: row.measures.height,
            bytes: row.bytes,
            thumbnail_jpeg: row.thumbnail,
        })
        .collect())
}

fn caption_locales(store: &Store) -> Result<HashMap<i64, Vec<String>>, StoreError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare("SELECT photo_id, locale FROM photo_captions ORDER BY photo_id, locale")
        .map_err(|error| store.error(error))?;
    let rows: Vec<(i64, String)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))?;
    let mut by_photo: HashMap<i64, Vec<String>> = HashMap::new();
    for (photo, locale) in rows {
        by_photo.entry(photo).or_default().push(locale);
    }
    Ok(by_photo)
}

/// The whole record of each photo of `selection` (every photo when it is empty).
pub fn details(store: &Store, selection: &[i64]) -> Result<Vec<PhotoDetail>, PhotosError> {
    let rules = checks::rules()?;
    let limits = length_rules::rules()?;
    let mut tags = tags(store)?;
    let mut linked = links::listing_links(store)?;
    let groups = similar::duplicate_groups(store)?;
    rows(store, selection)?
        .into_iter()
        .map(|row| {
            let duplicates = match groups.get(&row.id) {
                Some(group) => groups
                    .iter()
                    .filter(|(other, of)| *of == group && **other != row.id)
                    .map(|(other, _)| *other)
                    .collect(),
                None => Vec::new(),
            };
            let captions = captions::captions(store, row.id)?;
            Ok(PhotoDetail {
                checks: all_checks(&row.measures, &rules),
                tags: tags.remove(&row.id).unwrap_or_default(),
                alt_text_limits: alt_text_limits(&limits, &captions),
                captions,
                listings: linked.remove(&row.id).unwrap_or_default(),
                duplicates,
                id: row.id,
                file_name: row.file_name,
                path: row.path,
                measures: row.measures,
            })
        })
        .collect()
}

/// One photo's whole record.
pub fn detail(store: &Store, id: i64) -> Result<PhotoDetail, PhotosError> {
    details(store, &[id])?
        .into_iter()
        .next()
        .ok_or(PhotosError::NoPhoto { id })
}
