//! The reviews files Tradewind reads: the review apps' exports in their real layouts
//! (Judge.me's, Shopify Product Reviews'), Etsy's reviews download (a JSON array), and
//! any other table through a mapping of its columns; each row read into a `ReviewRow`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::super::AnalyticsError;
use super::super::channels::dates;
use crate::files::{FileError, Table, row_key};

/// Where a reviews file comes from, known by its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReviewLayout {
    /// Judge.me's export: `title, body, rating, review_date, …, product_handle, …`.
    JudgeMe,
    /// The Shopify Product Reviews app's export: `product_handle, state, rating, title,
    /// author, email, location, body, reply, created_at, replied_at`.
    ShopifyProductReviews,
    /// Etsy's "Download your reviews": `reviewer, date_reviewed, star_rating, message,
    /// order_id` per review, US dates; the product is the Etsy order's.
    Etsy,
    /// Any other file, through the seller's mapping.
    Mapped,
}

impl ReviewLayout {
    /// The name stored with each review, so one app's reviews update only its own.
    pub fn key(self) -> &'static str {
        match self {
            ReviewLayout::JudgeMe => "judge_me",
            ReviewLayout::ShopifyProductReviews => "shopify_product_reviews",
            ReviewLayout::Etsy => "etsy",
            ReviewLayout::Mapped => "mapped",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ReviewLayout::JudgeMe => "Judge.me reviews export",
            ReviewLayout::ShopifyProductReviews => "Shopify Product Reviews export",
            ReviewLayout::Etsy => "Etsy reviews download",
            ReviewLayout::Mapped => "reviews file of your own layout",
        }
    }

    /// The layout of a file with these columns, None when it is none of the known ones.
    pub fn detect(columns: &[String]) -> Option<ReviewLayout> {
        let has = |name: &str| columns.iter().any(|column| column == name);
        if has("product_handle") && has("state") && has("author") && has("body") {
            Some(ReviewLayout::ShopifyProductReviews)
        } else if has("body") && has("rating") && has("review_date") {
            Some(ReviewLayout::JudgeMe)
        } else if has("star_rating") && has("date_reviewed") && has("order_id") {
            Some(ReviewLayout::Etsy)
        } else {
            None
        }
    }

    fn mapping(self) -> Vec<(&'static str, ReviewRole)> {
        use ReviewRole::*;
        match self {
            ReviewLayout::JudgeMe => vec![
                ("title", Title),
                ("body", Body),
                ("rating", Rating),
                ("review_date", Date),
                ("reviewer_name", Reviewer),
                ("product_handle", Product),
                ("curated", State),
            ],
            ReviewLayout::ShopifyProductReviews => vec![
                ("product_handle", Product),
                ("state", State),
                ("rating", Rating),
                ("title", Title),
                ("author", Reviewer),
                ("body", Body),
                ("created_at", Date),
            ],
            ReviewLayout::Etsy => vec![
                ("reviewer", Reviewer),
                ("date_reviewed", Date),
                ("star_rating", Rating),
                ("message", Body),
                ("order_id", Order),
            ],
            ReviewLayout::Mapped => Vec::new(),
        }
    }
}

/// What a column of a reviews file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReviewRole {
    /// The review's own id in the app that exported it.
    Id,
    /// The listing's handle.
    Product,
    Sku,
    /// The order the review is of, for a file that names no product.
    Order,
    /// 1 to 5 stars.
    Rating,
    Title,
    Body,
    Date,
    /// The language the app says the review is in.
    Language,
    Reviewer,
    /// Published, unpublished or spam; spam is left out.
    State,
    Ignore,
}

impl ReviewRole {
    pub const ALL: [ReviewRole; 12] = [
        ReviewRole::Id,
        ReviewRole::Product,
        ReviewRole::Sku,
        ReviewRole::Order,
        ReviewRole::Rating,
        ReviewRole::Title,
        ReviewRole::Body,
        ReviewRole::Date,
        ReviewRole::Language,
        ReviewRole::Reviewer,
        ReviewRole::State,
        ReviewRole::Ignore,
    ];

    /// The name in the CLI's `--map` and in messages (as serialised).
    pub fn name(self) -> &'static str {
        match self {
            ReviewRole::Id => "id",
            ReviewRole::Product => "product",
            ReviewRole::Sku => "sku",
            ReviewRole::Order => "order",
            ReviewRole::Rating => "rating",
            ReviewRole::Title => "title",
            ReviewRole::Body => "body",
            ReviewRole::Date => "date",
            ReviewRole::Language => "language",
            ReviewRole::Reviewer => "reviewer",
            ReviewRole::State => "state",
            ReviewRole::Ignore => "ignore",
        }
    }
}

/// How the seller's own reviews file reads: which column holds what, and whether its
/// dates write the month first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewMapping {
    pub columns: BTreeMap<String, ReviewRole>,
    #[serde(default)]
    pub month_first: bool,
}

/// One review as a file gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    pub key: String,
    pub product: String,
    pub order: String,
    pub rating: Option<u8>,
    pub title: String,
    pub body: String,
    /// YYYY-MM-DD.
    pub date: Option<String>,
    pub language: Option<String>,
    pub reviewer: String,
}

/// The reviews a file holds, and how many rows it left out (spam, or neither stars nor
/// words).
#[derive(Debug)]
pub struct ReadReviews {
    pub layout: ReviewLayout,
    pub rows: Vec<ReviewRow>,
    pub skipped: usize,
}

/// Reads `path` in its detected layout, or through `mapping` when one is given.
pub fn read(path: &Path, mapping: Option<&ReviewMapping>) -> Result<ReadReviews, AnalyticsError> {
    let table = Table::read(path)?;
    let (layout, roles, month_first) = match mapping {
        Some(mapping) => {
            check(path, &table.columns, mapping)?;
            let roles: Vec<(String, ReviewRole)> = mapping
                .columns
                .iter()
                .map(|(column, role)| (column.clone(), *role))
                .collect();
            (ReviewLayout::Mapped, roles, mapping.month_first)
        }
        None => {
            let layout = ReviewLayout::detect(&table.columns).ok_or_else(|| {
                AnalyticsError::UnknownReviewsLayout {
                    path: path.to_path_buf(),
                    proposed: super::preview::as_map_argument(&table.columns),
                }
            })?;
            let roles = layout
                .mapping()
                .into_iter()
                .filter(|(column, _)| table.columns.iter().any(|name| name == column))
                .map(|(column, role)| (column.to_string(), role))
                .collect();
            (layout, roles, layout == ReviewLayout::Etsy)
        }
    };
    let index: Vec<(usize, ReviewRole)> = roles
        .iter()
        .filter_map(|(column, role)| {
            let at = table.columns.iter().position(|name| name == column)?;
            Some((at, *role))
        })
        .collect();
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut skipped = 0;
    // Rows alike in every field a key is made of (ratings left without a word, say)
    // are different buyers' reviews: the n-th of them gets its own key, the same n-th
    // in the next export of the file.
    let mut alike: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for (position, cells) in table.rows.iter().enumerate() {
        let row = table.row_number(position);
        let value = |wanted: ReviewRole| -> &str {
            index
                .iter()
                .find(|(_, role)| *role == wanted)
                .and_then(|(at, _)| cells.get(*at))
                .map_or("", |text| text.trim())
        };
        let column_of = |wanted: ReviewRole| -> String {
            roles
                .iter()
                .find(|(_, role)| *role == wanted)
                .map_or_else(String::new, |(column, _)| column.clone())
        };
        if value(ReviewRole::State).eq_ignore_ascii_case("spam") {
            skipped += 1;
            continue;
        }
        let rating =
            rating_of(value(ReviewRole::Rating)).map_err(|reason| FileError::InvalidValue {
                path: path.to_path_buf(),
                row,
                column: column_of(ReviewRole::Rating),
                value: value(ReviewRole::Rating).to_string(),
                reason: reason.to_string(),
            })?;
        let (title, body) = (value(ReviewRole::Title), value(ReviewRole::Body));
        if rating.is_none() && title.is_empty() && body.is_empty() {
            skipped += 1;
            continue;
        }
        let written_date = value(ReviewRole::Date);
        let date = if written_date.is_empty() {
            None
        } else {
            Some(
                day_of(written_date, month_first).ok_or_else(|| FileError::InvalidValue {
                    path: path.to_path_buf(),
                    row,
                    column: column_of(ReviewRole::Date),
                    value: written_date.to_string(),
                    reason: "not a date".into(),
                })?,
            )
        };
        let product = match value(ReviewRole::Product) {
            "" => value(ReviewRole::Sku),
            handle => handle,
        };
        let reviewer = value(ReviewRole::Reviewer);
        let order = value(ReviewRole::Order).trim_start_matches('#');
        let key = match value(ReviewRole::Id) {
            "" => {
                let key = row_key(&[
                    product,
                    order,
                    date.as_deref().unwrap_or(""),
                    reviewer,
                    title,
                    body,
                ]);
                let earlier = alike.entry(key.clone()).or_insert(0);
                *earlier += 1;
                match *earlier {
                    1 => key,
                    n => format!("{key}-{n}"),
                }
            }
            id => id.to_string(),
        };
        let language = Some(value(ReviewRole::Language).to_ascii_lowercase())
            .filter(|language| !language.is_empty());
        rows.push(ReviewRow {
            key,
            product: product.to_string(),
            order: order.to_string(),
            rating,
            title: title.to_string(),
            body: body.to_string(),
            date,
            language,
            reviewer: reviewer.to_string(),
        });
    }
    Ok(ReadReviews {
        layout,
        rows,
        skipped,
    })
}

/// The seller's mapping checked against the file: every column in it, each role once,
/// and something to review (a rating or the text) and something reviewed (a product,
/// SKU or order).
fn check(path: &Path, columns: &[String], mapping: &ReviewMapping) -> Result<(), AnalyticsError> {
    let bad = |detail: String| AnalyticsError::BadMapping {
        path: path.to_path_buf(),
        detail,
    };
    for column in mapping.columns.keys() {
        if !columns.contains(column) {
            return Err(bad(format!("the file has no column '{column}'")));
        }
    }
    let mut seen = Vec::new();
    for role in mapping.columns.values() {
        if *role != ReviewRole::Ignore && seen.contains(role) {
            return Err(bad(format!("two columns are given as {}", role.name())));
        }
        seen.push(*role);
    }
    if !seen.contains(&ReviewRole::Rating) && !seen.contains(&ReviewRole::Body) {
        return Err(bad(
            "say which column holds the rating or the review's text".into(),
        ));
    }
    if ![ReviewRole::Product, ReviewRole::Sku, ReviewRole::Order]
        .iter()
        .any(|role| seen.contains(role))
    {
        return Err(bad(
            "say which column holds the product's handle, its SKU or the order".into(),
        ));
    }
    Ok(())
}

/// Stars as the apps write them: "5", "4.0", "★★★★☆"; nothing for an empty cell.
fn rating_of(text: &str) -> Result<Option<u8>, &'static str> {
    if text.is_empty() {
        return Ok(None);
    }
    let stars = text.chars().filter(|c| *c == '★').count();
    let value = if stars > 0 {
        stars as f64
    } else {
        text.parse::<f64>()
            .map_err(|_| "a rating is a number of stars from 1 to 5")?
    };
    if !(1.0..=5.0).contains(&value) {
        return Err("a rating is a number of stars from 1 to 5");
    }
    Ok(Some(value.round() as u8))
}

/// The day of a review's date: ISO forms ("2025-03-02 10:12:00 UTC", Judge.me's, or
/// RFC 3339), else three numbers in the file's order.
fn day_of(text: &str, month_first: bool) -> Option<String> {
    let text = text.trim();
    let text = text.strip_suffix(" UTC").unwrap_or(text);
    dates::written(text, month_first).map(|time| time[..10].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_stars_from_one_to_five() {
        assert_eq!(rating_of("5"), Ok(Some(5)));
        assert_eq!(rating_of("4.0"), Ok(Some(4)));
        assert_eq!(rating_of("★★★☆☆"), Ok(Some(3)));
        assert_eq!(rating_of(""), Ok(None));
        assert!(rating_of("0").is_err());
        assert!(rating_of("10").is_err());
        assert!(rating_of("great").is_err());
    }

    #[test]
    fn review_dates_become_days() {
        assert_eq!(
            day_of("2025-03-02 10:12:00 UTC", false).as_deref(),
            Some("2025-03-02")
        );
        assert_eq!(
            day_of("2023-06-01T10:00:00-04:00", false).as_deref(),
            Some("2023-06-01")
        );
        assert_eq!(day_of("05/14/2024", true).as_deref(), Some("2024-05-14"));
        assert_eq!(day_of("14.05.2024", false).as_deref(), Some("2024-05-14"));
        assert_eq!(day_of("soon", false), None);
    }

    #[test]
    fn ratings_alike_in_every_field_stay_separate_reviews_and_import_again_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ratings.csv");
        std::fs::write(
            &path,
            "Item,Stars,Text\nmug,5,\nmug,5,\nmug,2,Chipped rim\nmug,5,\n",
        )
        .unwrap();
        let mapping = ReviewMapping {
            columns: [
                ("Item".to_string(), ReviewRole::Product),
                ("Stars".to_string(), ReviewRole::Rating),
                ("Text".to_string(), ReviewRole::Body),
            ]
            .into_iter()
            .collect(),
            month_first: false,
        };
        let keys = |read: ReadReviews| -> Vec<String> {
            read.rows.into_iter().map(|row| row.key).collect()
        };
        let first = keys(read(&path, Some(&mapping)).unwrap());
        let distinct: std::collections::HashSet<&String> = first.iter().collect();
        assert_eq!(distinct.len(), 4, "{first:?}");
        assert_eq!(keys(read(&path, Some(&mapping)).unwrap()), first);
    }

    #[test]
    fn layouts_are_known_by_their_columns() {
        let columns = |names: &str| names.split(',').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(
            ReviewLayout::detect(&columns(
                "title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address,location"
            )),
            Some(ReviewLayout::JudgeMe)
        );
        assert_eq!(
            ReviewLayout::detect(&columns(
                "product_handle,state,rating,title,author,email,location,body,reply,created_at,replied_at"
            )),
            Some(ReviewLayout::ShopifyProductReviews)
        );
        assert_eq!(
            ReviewLayout::detect(&columns(
                "reviewer,date_reviewed,star_rating,message,order_id"
            )),
            Some(ReviewLayout::Etsy)
        );
        assert_eq!(
            ReviewLayout::detect(&columns("Product,Stars,Comment")),
            None
        );
    }
}
