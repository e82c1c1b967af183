//! Photos' tags, colours, alt text and checks written out, never into the photos
//! themselves: a CSV of every photo; XMP sidecars that photo managers read
//! (`dc:subject`, per-language `dc:description`, Lightroom's `lr:hierarchicalSubject`,
//! digiKam's `TagsList`); and a copy of the seller's Shopify product CSV with the
//! reviewed tags, categories and alt text of the linked photos filled in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::PhotosError;
use super::query::{self, PhotoDetail, TagState};
use super::vocabulary::{CATEGORY, Taxonomy};
use crate::files::{FileError, spreadsheet_safe, write_atomically};
use crate::listings::output::raw_csv::CsvCopy;
use crate::store::Store;

/// How sidecars are named: Adobe's `photo.xmp` or darktable's and digiKam's
/// `photo.jpg.xmp`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SidecarNaming {
    #[default]
    ReplaceExtension,
    AppendExtension,
}

impl SidecarNaming {
    pub fn path(self, photo: &Path, folder: Option<&Path>) -> PathBuf {
        let name = match self {
            SidecarNaming::ReplaceExtension => photo.with_extension("xmp"),
            SidecarNaming::AppendExtension => {
                let mut name = photo.as_os_str().to_os_string();
                name.push(".xmp");
                PathBuf::from(name)
            }
        };
        match (folder, name.file_name()) {
            (Some(folder), Some(file)) => folder.join(file),
            _ => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SidecarsWritten {
    pub written: u64,
    /// Photos whose sidecar another program wrote: left alone.
    pub skipped: Vec<super::SkippedPhoto>,
}

/// What `dc:subject` and the hierarchies hold: the category's path, then each kept
/// attribute as `group|label`.
fn keywords(photo: &PhotoDetail, taxonomy: &Taxonomy) -> (Vec<String>, Vec<Vec<String>>) {
    let mut flat = Vec::new();
    let mut hierarchical = Vec::new();
    for tag in photo
        .tags
        .iter()
        .filter(|tag| tag.state != TagState::Removed)
    {
        if tag.group == CATEGORY {
            let path: Vec<String> = match tag
                .label
                .parse::<u32>()
                .ok()
                .and_then(|id| taxonomy.get(id))
            {
                Some(category) => category.path.split(" > ").map(str::to_string).collect(),
                None => vec![tag.label.clone()],
            };
            if let Some(leaf) = path.last() {
                flat.push(leaf.clone());
            }
            hierarchical.push(path);
        } else {
            flat.push(tag.label.clone());
            hierarchical.push(vec![tag.group.clone(), tag.label.clone()]);
        }
    }
    flat.extend(
        photo
            .measures
            .colours
            .iter()
            .map(|colour| colour.name.clone()),
    );
    flat.sort();
    flat.dedup();
    (flat, hierarchical)
}

/// `text` as an XML document can hold it, and as a parser reads it back: less the
/// control characters XML 1.0 forbids (a NUL pasted into an alt text would make the
/// whole sidecar unreadable to a photo manager), its line ends line feeds.
pub fn xml_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| {
            !(c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}')) || matches!(c, '\t' | '\n')
        })
        .collect()
}

fn xml(text: &str) -> String {
    html_escape::encode_quoted_attribute(&xml_text(text)).into_owned()
}

/// The sidecar of `photo`: an XMP packet with its keywords and alt texts.
pub fn sidecar(photo: &PhotoDetail, taxonomy: &Taxonomy) -> String {
    let (flat, hierarchical) = keywords(photo, taxonomy);
    let items = |values: &mut dyn Iterator<Item = String>| {
        values
            .map(|value| format!("     <rdf:li>{}</rdf:li>\n", xml(&value)))
            .collect::<String>()
    };
    let subjects = items(&mut flat.into_iter());
    let lightroom = items(&mut hierarchical.iter().map(|path| path.join("|")));
    let digikam = items(&mut hierarchical.iter().map(|path| path.join("/")));
    let mut descriptions = String::new();
    let default = photo
        .captions
        .get("en")
        .or_else(|| photo.captions.values().next());
    if let Some(caption) = default {
        descriptions.push_str(&format!(
            "     <rdf:li xml:lang=\"x-default\">{}</rdf:li>\n",
            xml(&caption.text)
        ));
    }
    for caption in photo.captions.values() {
        descriptions.push_str(&format!(
            "     <rdf:li xml:lang=\"{}\">{}</rdf:li>\n",
            xml(&caption.locale),
            xml(&caption.text)
        ));
    }
    format!(
        r#"<?xpacket begin="﻿" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Tradewind">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
    xmlns:digiKam="http://www.digikam.org/ns/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmp:CreatorTool="Tradewind">
   <dc:subject>
    <rdf:Bag>
{subjects}    </rdf:Bag>
   </dc:subject>
   <dc:description>
    <rdf:Alt>
{descriptions}    </rdf:Alt>
   </dc:description>
   <lr:hierarchicalSubject>
    <rdf:Bag>
{lightroom}    </rdf:Bag>
   </lr:hierarchicalSubject>
   <digiKam:TagsList>
    <rdf:Seq>
{digikam}    </rdf:Seq>
   </digiKam:TagsList>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>
"#
    )
}

/// Writes a sidecar for every photo of `selection` (all when empty), beside the photo or
/// into `folder`. A sidecar another program wrote is not replaced.
pub fn write_sidecars(
    store: &Store,
    selection: &[i64],
    naming: SidecarNaming,
    folder: Option<&Path>,
) -> Result<SidecarsWritten, PhotosError> {
    let taxonomy = super::vocabulary::taxonomy()?;
    if let Some(folder) = folder {
        std::fs::create_dir_all(folder).map_err(|source| FileError::Write {
            path: folder.to_path_buf(),
            source,
        })?;
    }
    let mut report = SidecarsWritten::default();
    for photo in query::details(store, selection)? {
        let path = naming.path(Path::new(&photo.path), folder);
        if let Ok(existing) = std::fs::read_to_string(&path)
            && !existing.contains("xmp:CreatorTool=\"Tradewind\"")
        {
            report.skipped.push(super::SkippedPhoto {
                file: photo.file_name.clone(),
                reason: format!(
                    "{} was written by another program; write the sidecars into a folder instead",
                    path.display()
                ),
            });
            continue;
        }
        write_atomically(&path, sidecar(&photo, &taxonomy).as_bytes())?;
        report.written += 1;
    }
    Ok(report)
}

/// Every photo as a CSV row: file, size, category (id and path), tags by group with
/// their state, colours, alt text per language, the colours named in each of those
/// languages, and each marketplace's check results.
pub fn write_table(store: &Store, out: &Path) -> Result<usize, PhotosError> {
    let taxonomy = super::vocabulary::taxonomy()?;
    let photos = query::details(store, &[])?;
    let locales: Vec<String> = {
        let mut all: Vec<String> = photos
            .iter()
            .flat_map(|photo| photo.captions.keys().cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let marketplaces = super::checks::marketplaces(&super::checks::rules()?);
    let groups = [
        "material", "pattern", "style", "audience", "season", "colour",
    ];
    let mut header: Vec<String> = [
        "file",
        "width",
        "height",
        "format",
        "category_id",
        "category",
    ]
    .iter()
    .map(|name| name.to_string())
    .collect();
    header.extend(groups.iter().map(|group| format!("tags_{group}")));
    header.extend(["colours".to_string(), "listings".to_string()]);
    header.extend(locales.iter().map(|locale| format!("alt_text_{locale}")));
    // The colours' names in each listing language, for the listing's own colour field.
    let named_in: Vec<&String> = locales.iter().filter(|locale| *locale != "en").collect();
    header.extend(named_in.iter().map(|locale| format!("colours_{locale}")));
    header.extend(
        marketplaces
            .iter()
            .map(|marketplace| format!("checks_{marketplace}")),
    );
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |error: csv::Error| FileError::Write {
        path: out.to_path_buf(),
        source: std::io::Error::other(error),
    };
    writer.write_record(&header).map_err(failed)?;
    for photo in &photos {
        let kept = |group: &str| {
            photo
                .tags
                .iter()
                .filter(|tag| tag.group == group && tag.state != TagState::Removed)
                .map(|tag| format!("{} ({})", tag.label, tag.state.name()))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let category = photo
            .tags
            .iter()
            .find(|tag| tag.group == CATEGORY && tag.state != TagState::Removed);
        let (category_id, category_path) = match category {
            Some(tag) => match tag
                .label
                .parse::<u32>()
                .ok()
                .and_then(|id| taxonomy.get(id))
            {
                Some(found) => (found.id.to_string(), found.path.clone()),
                None => (String::new(), tag.label.clone()),
            },
            None => (String::new(), String::new()),
        };
        let mut row = vec![
            photo.file_name.clone(),
            photo.measures.width.to_string(),
            photo.measures.height.to_string(),
            photo.measures.format.clone(),
            category_id,
            category_path,
        ];
        row.extend(groups.iter().map(|group| kept(group)));
        row.push(
            photo
                .measures
                .colours
                .iter()
                .map(|colour| {
                    format!(
                        "{} {} {:.0}%",
                        colour.name,
                        colour.hex,
                        colour.share * 100.0
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        );
        row.push(
            photo
                .listings
                .iter()
                .map(|link| format!("{} #{}", link.handle, link.position))
                .collect::<Vec<_>>()
                .join("; "),
        );
        row.extend(locales.iter().map(|locale| {
            photo
                .captions
                .get(locale)
                .map(|caption| caption.text.clone())
                .unwrap_or_default()
        }));
        row.extend(named_in.iter().map(|locale| {
            photo
                .measures
                .colours
                .iter()
                .map(|colour| super::colours::colour_name(&colour.name, locale))
                .collect::<Vec<_>>()
                .join("; ")
        }));
        row.extend(marketplaces.iter().map(|marketplace| {
            let results = photo.checks.get(marketplace).cloned().unwrap_or_default();
            let worst = super::checks::worst(&results);
            let problems: Vec<String> = results
                .iter()
                .filter(|result| result.status != super::checks::Status::Pass)
                .map(|result| result.sentence.clone())
                .collect();
            if problems.is_empty() {
                format!("{worst:?}").to_lowercase()
            } else {
                format!(
                    "{}: {}",
                    format!("{worst:?}").to_lowercase(),
                    problems.join(" | ")
                )
            }
        }));
        // A table people open: text a spreadsheet would run as a formula is made inert.
        writer
            .write_record(row.iter().map(|cell| spreadsheet_safe(cell)))
            .map_err(failed)?;
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(writer.into_inner().map_err(|error| FileError::Write {
        path: out.to_path_buf(),
        source: std::io::Error::other(error.to_string()),
    })?);
    write_atomically(out, &bytes)?;
    Ok(photos.len())
}

/// What filling a Shopify product CSV from the photos did.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ShopifyFilled {
    /// Empty image alt texts filled with the photo's.
    pub alt_texts: u64,
    /// Products given tags of their photos they did not have.
    pub tags: u64,
    /// Empty Google product categories filled with the photo's.
    pub categories: u64,
}

/// A copy of the seller's Shopify product CSV `original` (every other byte as it was)
/// with, for images linked to photos: empty alt texts filled with the photo's alt text
/// in `locale`, the product's tags extended with the photo tags the seller accepted or
/// added, and an empty Google product category filled with the photo's reviewed one.
/// The seller's own cells are never overwritten.
pub fn fill_shopify_csv(
    store: &Store,
    original: &Path,
    out: &Path,
    locale: &str,
) -> Result<ShopifyFilled, PhotosError> {
    let file = CsvCopy::read(original)?;
    let column = |names: &[&str]| {
        file.header.values.iter().position(|value| {
            let value = value.trim_start_matches('\u{feff}').trim();
            names.contains(&value)
        })
    };
    let handle_column =
        column(&["Handle", "URL handle"]).ok_or_else(|| FileError::MissingColumn {
            path: original.to_path_buf(),
            column: "Handle".into(),
            format: "Shopify product CSV",
        })?;
    let image_column = column(&["Image Src", "Product image URL"]);
    let alt_column = column(&["Image Alt Text", "Image alt text"]);
    let tags_column = column(&["Tags"]);
    let category_column = column(&[
        "Google Shopping / Google Product Category",
        "Google Shopping / Google product category",
    ]);
    // Photos by the name of the image they are.
    let mut by_image: BTreeMap<String, PhotoDetail> = BTreeMap::new();
    for photo in query::details(store, &[])? {
        by_image.insert(super::links::image_name(&photo.file_name), photo);
    }
    let reviewed = |photo: &PhotoDetail, group_is_category: bool| -> Vec<String> {
        photo
            .tags
            .iter()
            .filter(|tag| matches!(tag.state, TagState::Accepted | TagState::Added))
            .filter(|tag| (tag.group == CATEGORY) == group_is_category)
            .map(|tag| tag.label.clone())
            .collect()
    };
    let mut report = ShopifyFilled::default();
    let mut replacements = Vec::new();
    let mut first_row_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut product_tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut product_category: BTreeMap<String, String> = BTreeMap::new();
    for (index, record) in file.rows.iter().enumerate() {
        let Some(handle) = record.values.get(handle_column).cloned() else {
            continue;
        };
        first_row_of.entry(handle.clone()).or_insert(index);
        let photo = image_column
            .and_then(|column| record.values.get(column))
            .filter(|src| !src.trim().is_empty())
            .and_then(|src| by_image.get(&super::links::image_name(src)));
        let Some(photo) = photo else {
            continue;
        };
        if let (Some(column), Some(caption)) = (alt_column, photo.captions.get(locale))
            && record
                .values
                .get(column)
                .is_some_and(|value| value.trim().is_empty())
            && let Some(range) = record.cells.get(column)
        {
            replacements.push((range.clone(), caption.text.clone()));
            report.alt_texts += 1;
        }
        product_tags
            .entry(handle.clone())
            .or_default()
            .extend(reviewed(photo, false));
        if let Some(category) = reviewed(photo, true)
            .into_iter()
            .find(|label| label.parse::<u32>().is_ok())
        {
            product_category.entry(handle).or_insert(category);
        }
    }
    for (handle, index) in &first_row_of {
        let record = &file.rows[*index];
        if let (Some(column), Some(tags)) = (tags_column, product_tags.get(handle)) {
            let existing = record.values.get(column).cloned().unwrap_or_default();
            let mut all: Vec<String> = existing
                .split(',')
                .map(str::trim)
                .filter(|tag| !tag.is_empty())
                .map(str::to_string)
                .collect();
            let before = all.len();
            for tag in tags {
                if !all.iter().any(|known| known.eq_ignore_ascii_case(tag)) {
                    all.push(tag.clone());
                }
            }
            if all.len() > before
                && let Some(range) = record.cells.get(column)
            {
                replacements.push((range.clone(), all.join(", ")));
                report.tags += 1;
            }
        }
        if let (Some(column), Some(category)) = (category_column, product_category.get(handle))
            && record
                .values
                .get(column)
                .is_some_and(|value| value.trim().is_empty())
            && let Some(range) = record.cells.get(column)
        {
            replacements.push((range.clone(), category.clone()));
            report.categories += 1;
        }
    }
    file.write_replaced(out, replacements)?;
    Ok(report)
}
