//! Listings from a file of the seller's own layout: a CSV (any encoding and
//! separator), an XLSX workbook (its first sheet) or a JSON array of objects. Tradewind
//! proposes which column is which from their names; the seller confirms or corrects
//! that mapping before anything is imported. Rows sharing a handle, one after the
//! other, are one product's variants, as in Shopify's own file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::shopify_csv::{ExtraField, ParsedImage, ParsedListing, ParsedVariant};
use crate::files::{FileError, Table, TableFormat};
use crate::money::{parse_price_cents, plain_decimal};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Handle,
    Title,
    Description,
    Vendor,
    ProductType,
    Tags,
    SeoTitle,
    SeoDescription,
    Sku,
    Price,
    ImageSrc,
    ImageAlt,
    /// Other text to translate, kept under the column's name.
    Translate,
    /// Kept in the file, not imported.
    Ignore,
}

impl Role {
    pub const ALL: [Role; 14] = [
        Role::Handle,
        Role::Title,
        Role::Description,
        Role::Vendor,
        Role::ProductType,
        Role::Tags,
        Role::SeoTitle,
        Role::SeoDescription,
        Role::Sku,
        Role::Price,
        Role::ImageSrc,
        Role::ImageAlt,
        Role::Translate,
        Role::Ignore,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Role::Handle => "handle",
            Role::Title => "title",
            Role::Description => "description",
            Role::Vendor => "vendor",
            Role::ProductType => "product_type",
            Role::Tags => "tags",
            Role::SeoTitle => "seo_title",
            Role::SeoDescription => "seo_description",
            Role::Sku => "sku",
            Role::Price => "price",
            Role::ImageSrc => "image_src",
            Role::ImageAlt => "image_alt",
            Role::Translate => "translate",
            Role::Ignore => "ignore",
        }
    }

    /// A role at most one column may have.
    fn is_single(self) -> bool {
        !matches!(self, Role::Translate | Role::Ignore)
    }
}

/// Column name → role. Columns left out are ignored.
pub type Mapping = BTreeMap<String, Role>;

/// The role a column's name suggests, if any.
fn suggested_role(column: &str) -> Option<Role> {
    let name = column.trim().to_lowercase();
    let name = name.as_str();
    let has = |words: &[&str]| words.iter().any(|word| name.contains(word));
    Some(
        if has(&["seo title", "meta title", "seo_title", "meta_title"]) {
            Role::SeoTitle
        } else if has(&[
            "seo desc",
            "meta desc",
            "seo_desc",
            "meta_desc",
            "search description",
        ]) {
            Role::SeoDescription
        } else if has(&["alt"]) && has(&["image", "img", "photo", "alt text", "alt_text"]) {
            Role::ImageAlt
        } else if has(&["image", "photo", "picture", "img"]) {
            Role::ImageSrc
        } else if has(&["handle", "slug", "product id", "product_id", "parent"]) {
            Role::Handle
        } else if has(&["sku", "item number", "article number", "part number", "mpn"]) {
            Role::Sku
        } else if has(&["price", "cost", "preis", "prix"]) {
            Role::Price
        } else if has(&["description", "body", "html", "beschreibung", "details"]) {
            Role::Description
        } else if has(&["title", "name", "product", "titel", "titre"]) {
            Role::Title
        } else if has(&["brand", "vendor", "manufacturer", "marke", "marque"]) {
            Role::Vendor
        } else if has(&["tag", "keyword"]) {
            Role::Tags
        } else if has(&["category", "type"]) {
            Role::ProductType
        } else {
            return None;
        },
    )
}

/// A mapping proposed from the columns' names: each single role goes to the first
/// column that suggests it; the rest is ignored until the seller says otherwise.
pub fn propose(columns: &[String]) -> Mapping {
    let mut mapping = Mapping::new();
    for column in columns {
        let role = suggested_role(column)
            .filter(|role| !mapping.values().any(|taken| taken == role))
            .unwrap_or(Role::Ignore);
        mapping.insert(column.clone(), role);
    }
    mapping
}

/// What the seller sees before confirming: the columns, a few rows, the proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TablePreview {
    pub path: PathBuf,
    pub format: TableFormat,
    pub columns: Vec<String>,
    pub sample: Vec<Vec<String>>,
    pub rows: usize,
    pub proposed: Mapping,
}

pub fn preview(path: &Path) -> Result<TablePreview, FileError> {
    let table = Table::read(path)?;
    Ok(TablePreview {
        proposed: propose(&table.columns),
        sample: table.rows.iter().take(5).cloned().collect(),
        rows: table.rows.len(),
        path: table.path,
        format: table.format,
        columns: table.columns,
    })
}

/// Checks the mapping against the table: every mapped column exists, a single role
/// is given once, and there is a title.
fn check(table: &Table, mapping: &Mapping) -> Result<(), FileError> {
    let invalid = |detail: String| FileError::Unreadable {
        path: table.path.clone(),
        detail,
    };
    for (column, role) in mapping {
        if !table.columns.contains(column) {
            return Err(invalid(format!(
                "the mapping names a column '{column}' the file does not have (it has: {})",
                table.columns.join(", ")
            )));
        }
        let others: Vec<&String> = mapping
            .iter()
            .filter(|(other, other_role)| *other != column && *other_role == role)
            .map(|(other, _)| other)
            .collect();
        if role.is_single() && !others.is_empty() {
            return Err(invalid(format!(
                "both '{column}' and '{}' are mapped to {}",
                others[0],
                role.name()
            )));
        }
    }
    if !mapping.values().any(|role| *role == Role::Title) {
        return Err(invalid("map one column to title".into()));
    }
    Ok(())
}

/// A URL-safe handle from a title: "Linen Apron (Sand)" → "linen-apron-sand".
fn slug(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for character in title.chars().flat_map(char::to_lowercase) {
        if character.is_alphanumeric() {
            slug.push(character);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The listings of `table` read through `mapping`.
pub fn listings(table: &Table, mapping: &Mapping) -> Result<Vec<ParsedListing>, FileError> {
    Ok(listings_by_row(table, mapping)?.0)
}

/// Which listing a row of the table belongs to, and whether it starts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowOwner {
    pub listing: usize,
    pub first: bool,
    /// The position the row's image has among the listing's images.
    pub image_position: Option<i64>,
}

/// The listings of `table` read through `mapping`, and for each row its owner (none
/// for a blank row).
pub fn listings_by_row(
    table: &Table,
    mapping: &Mapping,
) -> Result<(Vec<ParsedListing>, Vec<Option<RowOwner>>), FileError> {
    check(table, mapping)?;
    let mut owners = Vec::with_capacity(table.rows.len());
    let index_of = |role: Role| {
        mapping
            .iter()
            .find(|(_, mapped)| **mapped == role)
            .and_then(|(column, _)| table.columns.iter().position(|name| name == column))
    };
    let translated: Vec<(usize, &String)> = mapping
        .iter()
        .filter(|(_, role)| **role == Role::Translate)
        .filter_map(|(column, _)| {
            let index = table.columns.iter().position(|name| name == column)?;
            Some((index, column))
        })
        .collect();
    let cell = |row: &[String], role: Role| -> String {
        index_of(role)
            .and_then(|index| row.get(index))
            .map(|text| text.trim().to_string())
            .unwrap_or_default()
    };
    let mut listings: Vec<ParsedListing> = Vec::new();
    for (index, row) in table.rows.iter().enumerate() {
        if row.iter().all(|cell| cell.trim().is_empty()) {
            owners.push(None);
            continue;
        }
        let invalid = |role: Role, value: &str, reason: &str| FileError::InvalidValue {
            path: table.path.clone(),
            row: table.row_number(index),
            column: mapping
                .iter()
                .find(|(_, mapped)| **mapped == role)
                .map(|(column, _)| column.clone())
                .unwrap_or_default(),
            value: value.to_string(),
            reason: reason.to_string(),
        };
        let title = cell(row, Role::Title);
        let own_handle = cell(row, Role::Handle);
        let handle = match own_handle.as_str() {
            "" if title.is_empty() => {
                return Err(invalid(Role::Title, "", "a product needs a title"));
            }
            "" => slug(&title),
            _ => own_handle.clone(),
        };
        let continues =
            !own_handle.is_empty() && listings.last().is_some_and(|last| last.handle == handle);
        if !continues {
            if title.is_empty() {
                return Err(invalid(
                    Role::Title,
                    "",
                    "the first row of a product needs its title",
                ));
            }
            let mut unique = handle.clone();
            let mut suffix = 2;
            while listings.iter().any(|listing| listing.handle == unique) {
                unique = format!("{handle}-{suffix}");
                suffix += 1;
            }
            listings.push(ParsedListing {
                handle: unique,
                title,
                body_html: cell(row, Role::Description),
                vendor: cell(row, Role::Vendor),
                product_type: cell(row, Role::ProductType),
                tags: cell(row, Role::Tags),
                seo_title: cell(row, Role::SeoTitle),
                seo_description: cell(row, Role::SeoDescription),
                status: String::new(),
                variants: Vec::new(),
                images: Vec::new(),
                extra_fields: translated
                    .iter()
                    .filter_map(|(index, column)| {
                        let text = row.get(*index)?.trim();
                        (!text.is_empty()).then(|| ExtraField {
                            name: format!("column:{column}"),
                            text: text.to_string(),
                            html: text.starts_with('<'),
                        })
                    })
                    .collect(),
            });
        }
        let price = cell(row, Role::Price);
        let price_cents = if price.is_empty() {
            None
        } else {
            Some(
                parse_price_cents(&plain_decimal(&price).unwrap_or_else(|| price.clone()))
                    .map_err(|reason| invalid(Role::Price, &price, &reason))?,
            )
        };
        let sku = cell(row, Role::Sku);
        let image_src = cell(row, Role::ImageSrc);
        let listings_len = listings.len();
        let Some(listing) = listings.last_mut() else {
            continue;
        };
        let mut owner = RowOwner {
            listing: listings_len - 1,
            first: !continues,
            image_position: None,
        };
        if !sku.is_empty() || price_cents.is_some() {
            listing.variants.push(ParsedVariant {
                sku,
                options: String::new(),
                price_cents,
            });
        }
        if !image_src.is_empty() {
            let position = listing.images.len() as i64 + 1;
            listing.images.push(ParsedImage {
                position,
                src: image_src,
                alt_text: cell(row, Role::ImageAlt),
            });
            owner.image_position = Some(position);
        }
        owners.push(Some(owner));
    }
    Ok((listings, owners))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(names: &[&str]) -> Vec<String> {
        names.iter().map(|name| name.to_string()).collect()
    }

    #[test]
    fn a_mapping_is_proposed_from_the_column_names() {
        let proposed = propose(&columns(&[
            "Product Name",
            "Long Description",
            "Brand",
            "Item SKU",
            "Retail Price",
            "Image URL",
            "Image Alt",
            "Keywords",
            "Warehouse",
        ]));
        let role = |column: &str| proposed[column];
        assert_eq!(role("Product Name"), Role::Title);
        assert_eq!(role("Long Description"), Role::Description);
        assert_eq!(role("Brand"), Role::Vendor);
        assert_eq!(role("Item SKU"), Role::Sku);
        assert_eq!(role("Retail Price"), Role::Price);
        assert_eq!(role("Image URL"), Role::ImageSrc);
        assert_eq!(role("Image Alt"), Role::ImageAlt);
        assert_eq!(role("Keywords"), Role::Tags);
        assert_eq!(role("Warehouse"), Role::Ignore);
    }

    fn table(format: TableFormat, names: &[&str], rows: &[&[&str]]) -> Table {
        Table {
            path: "catalogue.csv".into(),
            format,
            columns: columns(names),
            rows: rows.iter().map(|row| columns(row)).collect(),
        }
    }

    #[test]
    fn rows_sharing_a_handle_are_variants_and_translated_columns_become_fields() {
        let table = table(
            TableFormat::Csv,
            &["Parent", "Name", "Text", "SKU", "Price", "Material", "Note"],
            &[
                &[
                    "apron",
                    "Linen Apron",
                    "<p>Washed linen.</p>",
                    "LA-1",
                    "30,00",
                    "Linen",
                    "x",
                ],
                &["apron", "", "", "LA-2", "1,032.5", "", "y"],
                &["", "Tea Towel", "", "TT-1", "12", "Cotton", ""],
                &["", "Tea Towel", "", "TT-2", "12", "", ""],
            ],
        );
        let mapping = Mapping::from([
            ("Parent".to_string(), Role::Handle),
            ("Name".to_string(), Role::Title),
            ("Text".to_string(), Role::Description),
            ("SKU".to_string(), Role::Sku),
            ("Price".to_string(), Role::Price),
            ("Material".to_string(), Role::Translate),
            ("Note".to_string(), Role::Ignore),
        ]);
        let found = listings(&table, &mapping).unwrap();
        assert_eq!(
            found.iter().map(|l| l.handle.as_str()).collect::<Vec<_>>(),
            ["apron", "tea-towel", "tea-towel-2"],
            "without a handle each row is its own product, named from its title"
        );
        let apron = &found[0];
        assert_eq!(apron.variants.len(), 2);
        assert_eq!(apron.variants[0].price_cents, Some(3000));
        assert_eq!(apron.variants[1].price_cents, Some(103250));
        assert_eq!(
            apron.extra_fields,
            [ExtraField {
                name: "column:Material".into(),
                text: "Linen".into(),
                html: false
            }]
        );
    }

    #[test]
    fn a_bad_mapping_or_value_is_named() {
        let table = table(
            TableFormat::Json,
            &["Name", "Price"],
            &[&["Mug", "12"], &["Cup", "cheap"]],
        );
        let no_title = Mapping::from([("Price".to_string(), Role::Price)]);
        assert!(
            listings(&table, &no_title)
                .unwrap_err()
                .to_string()
                .contains("map one column to title")
        );
        let twice = Mapping::from([
            ("Name".to_string(), Role::Title),
            ("Price".to_string(), Role::Title),
        ]);
        assert!(
            listings(&table, &twice)
                .unwrap_err()
                .to_string()
                .contains("both 'Name' and 'Price' are mapped to title")
        );
        let unknown = Mapping::from([("Titel".to_string(), Role::Title)]);
        assert!(
            listings(&table, &unknown)
                .unwrap_err()
                .to_string()
                .contains("'Titel'")
        );
        let mapping = Mapping::from([
            ("Name".to_string(), Role::Title),
            ("Price".to_string(), Role::Price),
        ]);
        let error = listings(&table, &mapping).unwrap_err().to_string();
        assert!(
            error.contains("row 2") && error.contains("'Price'") && error.contains("cheap"),
            "{error}"
        );
    }
}
