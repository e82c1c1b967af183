//! What photos are tagged with: the product taxonomy (`assets/taxonomy/`, a tree of
//! categories with the ids marketplaces use), the attribute vocabularies
//! (`assets/photo-vocabulary.toml`: colour, material, pattern, style, audience, season,
//! each with its prompts and threshold) and the seller's own labels.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{PhotosError, colours};
use crate::store::{Store, StoreError};

const TAXONOMY: &str = include_str!("../../assets/taxonomy/google-product-taxonomy.txt");
const VOCABULARY: &str = include_str!("../../assets/photo-vocabulary.toml");

/// The tag group of categories; the others are the vocabulary's groups.
pub const CATEGORY: &str = "category";

#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// The taxonomy's id (Google's numeric product category id).
    pub id: u32,
    /// The last step of the path ("Backpacks").
    pub name: String,
    /// The whole path ("Luggage & Bags > Backpacks").
    pub path: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub version: String,
    pub categories: Vec<Category>,
    pub roots: Vec<usize>,
    by_id: HashMap<u32, usize>,
}

impl Taxonomy {
    pub fn get(&self, id: u32) -> Option<&Category> {
        self.by_id.get(&id).map(|&index| &self.categories[index])
    }

    pub fn index_of(&self, id: u32) -> Option<usize> {
        self.by_id.get(&id).copied()
    }
}

/// The shipped taxonomy; a line that is not `ID - A > B` is an error naming it.
pub fn taxonomy() -> Result<Taxonomy, PhotosError> {
    parse_taxonomy(TAXONOMY)
}

fn parse_taxonomy(text: &str) -> Result<Taxonomy, PhotosError> {
    let mut taxonomy = Taxonomy {
        version: String::new(),
        categories: Vec::new(),
        roots: Vec::new(),
        by_id: HashMap::new(),
    };
    let mut by_path: HashMap<String, usize> = HashMap::new();
    for (number, line) in text.lines().enumerate() {
        if let Some(version) = line.strip_prefix("# Google_Product_Taxonomy_Version: ") {
            taxonomy.version = version.trim().to_string();
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || PhotosError::Rules {
            detail: format!(
                "taxonomy line {}: '{line}' is not 'ID - Category > …'",
                number + 1
            ),
        };
        let (id, path) = line.split_once(" - ").ok_or_else(bad)?;
        let id: u32 = id.trim().parse().map_err(|_| bad())?;
        let path = path.trim().to_string();
        let (parent, name) = match path.rsplit_once(" > ") {
            Some((parent, name)) => (
                Some(*by_path.get(parent).ok_or_else(bad)?),
                name.to_string(),
            ),
            None => (None, path.clone()),
        };
        let index = taxonomy.categories.len();
        taxonomy.categories.push(Category {
            id,
            name,
            path: path.clone(),
            parent,
            children: Vec::new(),
        });
        match parent {
            Some(parent) => taxonomy.categories[parent].children.push(index),
            None => taxonomy.roots.push(index),
        }
        by_path.insert(path, index);
        taxonomy.by_id.insert(id, index);
    }
    Ok(taxonomy)
}

/// A label of a group: its key (what is stored and exported, in English) and its name in
/// Simplified Chinese.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Label {
    pub key: String,
    pub zh: String,
    /// Added by the seller.
    pub custom: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Group {
    pub key: String,
    pub name_zh: String,
    pub prompts: Vec<String>,
    pub threshold: f32,
    pub labels: Vec<Label>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Vocabulary {
    pub category_prompts: Vec<String>,
    pub category_threshold: f32,
    pub groups: Vec<Group>,
    /// The seller's own categories, offered beside the taxonomy's roots.
    pub custom_categories: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    category: CategorySection,
    group: Vec<GroupSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategorySection {
    prompts: Vec<String>,
    threshold: f32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupSection {
    key: String,
    name_zh: String,
    prompts: Vec<String>,
    threshold: f32,
    labels: Vec<[String; 2]>,
}

/// The shipped vocabularies, with the seller's own labels added.
pub fn vocabulary(store: &Store) -> Result<Vocabulary, PhotosError> {
    let file: VocabularyFile = toml::from_str(VOCABULARY).map_err(|error| PhotosError::Rules {
        detail: format!("assets/photo-vocabulary.toml: {error}"),
    })?;
    let custom = custom_labels(store)?;
    let mut groups: Vec<Group> = file
        .group
        .into_iter()
        .map(|group| Group {
            labels: if group.key == "colour" {
                colours::palette_keys()
                    .map(|key| Label {
                        key: key.to_string(),
                        zh: colours::colour_name(key, "zh"),
                        custom: false,
                    })
                    .collect()
            } else {
                group
                    .labels
                    .into_iter()
                    .map(|[key, zh]| Label {
                        key,
                        zh,
                        custom: false,
                    })
                    .collect()
            },
            key: group.key,
            name_zh: group.name_zh,
            prompts: group.prompts,
            threshold: group.threshold,
        })
        .collect();
    let mut custom_categories = Vec::new();
    for (group, label) in custom {
        if group == CATEGORY {
            custom_categories.push(label);
        } else if let Some(found) = groups.iter_mut().find(|found| found.key == group)
            && !found.labels.iter().any(|existing| existing.key == label)
        {
            found.labels.push(Label {
                zh: label.clone(),
                key: label,
                custom: true,
            });
        }
    }
    Ok(Vocabulary {
        category_prompts: file.category.prompts,
        category_threshold: file.category.threshold,
        groups,
        custom_categories,
    })
}

fn custom_labels(store: &Store) -> Result<Vec<(String, String)>, StoreError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare("SELECT grp, label FROM custom_labels ORDER BY grp, label")
        .map_err(|error| store.error(error))?;
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))
}

/// Adds one of the seller's own labels to `group` (a vocabulary group, or `category`).
pub fn add_custom_label(store: &Store, group: &str, label: &str) -> Result<(), PhotosError> {
    let label = label.trim();
    let known = vocabulary(store)?;
    if group != CATEGORY && !known.groups.iter().any(|found| found.key == group) {
        return Err(PhotosError::UnknownGroup {
            group: group.to_string(),
        });
    }
    if label.is_empty() {
        return Err(PhotosError::EmptyLabel);
    }
    let conn = store.connect()?;
    conn.execute(
        "INSERT OR IGNORE INTO custom_labels (grp, label) VALUES (?1, ?2)",
        (group, label),
    )
    .map_err(|error| store.error(error))?;
    Ok(())
}

/// The text a label is scored by: a category's last step with its parent for context
/// ("Backpacks (Luggage & Bags)"), or the label itself.
pub fn category_text(taxonomy: &Taxonomy, category: &Category) -> String {
    match category.parent {
        Some(parent) => format!("{} ({})", category.name, taxonomy.categories[parent].name),
        None => category.name.clone(),
    }
}

/// Each prompt of `prompts` with `label` in its `{}`.
pub fn prompts_for(prompts: &[String], label: &str) -> Vec<String> {
    prompts
        .iter()
        .map(|prompt| prompt.replace("{}", label))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_taxonomy_is_a_tree_with_googles_ids() {
        let taxonomy = taxonomy().unwrap();
        assert_eq!(taxonomy.version, "2019-07-10");
        assert_eq!(taxonomy.categories.len(), 5545);
        assert_eq!(taxonomy.roots.len(), 20, "21 roots less Software");
        let backpacks = taxonomy.get(100).unwrap();
        assert_eq!(backpacks.path, "Luggage & Bags > Backpacks");
        let parent = &taxonomy.categories[backpacks.parent.unwrap()];
        assert_eq!((parent.id, parent.name.as_str()), (5181, "Luggage & Bags"));
        assert_eq!(
            category_text(&taxonomy, backpacks),
            "Backpacks (Luggage & Bags)"
        );
        assert!(
            taxonomy
                .categories
                .iter()
                .all(|category| !category.path.starts_with("Software"))
        );
    }

    #[test]
    fn a_line_that_is_not_a_category_is_named() {
        let error = parse_taxonomy("1 - Animals\n2 Animals > Pets\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("taxonomy line 2"), "{error}");
        let error = parse_taxonomy("3 - Nowhere > Pets\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("line 1"),
            "a child before its parent: {error}"
        );
    }

    #[test]
    fn the_vocabularies_read_and_take_the_sellers_labels() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(
            &dir.path().join("tradewind.db"),
            crate::store::StoreOptions::default(),
        )
        .unwrap();
        let shipped = vocabulary(&store).unwrap();
        let keys: Vec<&str> = shipped
            .groups
            .iter()
            .map(|group| group.key.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "colour", "material", "pattern", "style", "audience", "season"
            ]
        );
        assert!(
            shipped
                .groups
                .iter()
                .all(|group| group.prompts.iter().all(|prompt| prompt.contains("{}")))
        );
        add_custom_label(&store, "material", "cork").unwrap();
        add_custom_label(&store, CATEGORY, "Tea towels").unwrap();
        assert!(add_custom_label(&store, "flavour", "mint").is_err());
        assert!(add_custom_label(&store, "material", "  ").is_err());
        let mine = vocabulary(&store).unwrap();
        let material = mine
            .groups
            .iter()
            .find(|group| group.key == "material")
            .unwrap();
        assert!(
            material
                .labels
                .iter()
                .any(|label| label.key == "cork" && label.custom)
        );
        assert_eq!(mine.custom_categories, ["Tea towels"]);
        assert_eq!(
            prompts_for(&shipped.category_prompts, "mugs")[0],
            "a product photo of mugs."
        );
    }
}
