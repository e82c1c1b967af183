//! A reviews file looked at before import: the layout Tradewind knows it by, or, for a
//! file of no known layout, its columns, first rows and a mapping proposed from the
//! column names, for the seller to confirm in the app (the CLI takes `--map`).

use std::path::Path;

use serde::Serialize;

use super::layout::{ReviewLayout, ReviewMapping, ReviewRole};
use crate::analytics::AnalyticsError;
use crate::files::Table;

/// Rows of the file shown beside its columns.
const SAMPLE_ROWS: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewsPreview {
    /// None: a file of the seller's own layout, to be mapped.
    pub layout: Option<ReviewLayout>,
    pub columns: Vec<String>,
    pub sample: Vec<Vec<String>>,
    pub rows: usize,
    pub proposed: ReviewMapping,
}

/// The words a column's name holds when it holds what a role is, most telling first:
/// the review apps', the marketplaces' and the public review datasets' names.
const NAMES: [(ReviewRole, &[&str]); 10] = [
    (ReviewRole::Id, &["review id", "review_id", "reviewid"]),
    (
        ReviewRole::Product,
        &[
            "handle",
            "product id",
            "product_id",
            "productid",
            "product",
            "item id",
            "asin",
            "clothing id",
            "listing",
        ],
    ),
    (ReviewRole::Sku, &["sku"]),
    (ReviewRole::Order, &["order"]),
    (ReviewRole::Rating, &["rating", "stars", "star", "score"]),
    (
        ReviewRole::Title,
        &["title", "summary", "headline", "subject"],
    ),
    (
        ReviewRole::Body,
        &[
            "review text",
            "review_text",
            "body",
            "text",
            "content",
            "comment",
            "message",
            "review",
        ],
    ),
    // Not "time": Amazon's datasets write seconds since 1970 there, not a day.
    (ReviewRole::Date, &["date", "created"]),
    (ReviewRole::Language, &["language", "lang", "locale"]),
    (
        ReviewRole::Reviewer,
        &["reviewer", "author", "customer", "user", "profile"],
    ),
];

/// The role a column's name suggests, if any.
fn role_named(column: &str) -> Option<ReviewRole> {
    let name = column.trim().to_lowercase();
    NAMES.iter().find_map(|(role, words)| {
        words
            .iter()
            .any(|word| name == *word || name.contains(word))
            .then_some(*role)
    })
}

/// Each role for the first column whose name suggests it (a role once).
fn propose(columns: &[String]) -> ReviewMapping {
    let mut mapping = ReviewMapping::default();
    for column in columns {
        if let Some(role) = role_named(column)
            && !mapping.columns.values().any(|taken| *taken == role)
        {
            mapping.columns.insert(column.clone(), role);
        }
    }
    mapping
}

/// The proposal for `columns` as the CLI's `--map` takes it: "Stars=rating,Text=body"
/// (columns whose names hold the separators left to the seller).
pub(super) fn as_map_argument(columns: &[String]) -> String {
    propose(columns)
        .columns
        .iter()
        .filter(|(column, _)| !column.contains([',', '=']))
        .map(|(column, role)| format!("{column}={}", role.name()))
        .collect::<Vec<_>>()
        .join(",")
}

pub fn preview(path: &Path) -> Result<ReviewsPreview, AnalyticsError> {
    let table = Table::read(path)?;
    let layout = ReviewLayout::detect(&table.columns);
    Ok(ReviewsPreview {
        layout,
        proposed: match layout {
            Some(_) => ReviewMapping::default(),
            None => propose(&table.columns),
        },
        sample: table.rows.iter().take(SAMPLE_ROWS).cloned().collect(),
        rows: table.rows.len(),
        columns: table.columns,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(names: &str) -> Vec<String> {
        names.split(',').map(str::to_string).collect()
    }

    #[test]
    fn a_public_review_dataset_gets_its_roles_from_its_column_names() {
        // The header of the Women's Clothing E-Commerce Reviews dataset.
        let proposed = propose(&columns(
            ",Clothing ID,Age,Title,Review Text,Rating,Recommended IND,Positive Feedback Count,Division Name,Department Name,Class Name",
        ));
        let role = |column: &str| proposed.columns.get(column).copied();
        assert_eq!(role("Clothing ID"), Some(ReviewRole::Product));
        assert_eq!(role("Title"), Some(ReviewRole::Title));
        assert_eq!(role("Review Text"), Some(ReviewRole::Body));
        assert_eq!(role("Rating"), Some(ReviewRole::Rating));
        for unknown in ["", "Age", "Division Name", "Recommended IND"] {
            assert_eq!(role(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn an_amazon_style_export_is_proposed_whole() {
        // Amazon's fine-food reviews as published on Kaggle.
        let proposed = propose(&columns(
            "Id,ProductId,UserId,ProfileName,HelpfulnessNumerator,HelpfulnessDenominator,Score,Time,Summary,Text",
        ));
        let role = |column: &str| proposed.columns.get(column).copied();
        assert_eq!(role("ProductId"), Some(ReviewRole::Product));
        assert_eq!(role("Score"), Some(ReviewRole::Rating));
        assert_eq!(role("Summary"), Some(ReviewRole::Title));
        assert_eq!(role("Text"), Some(ReviewRole::Body));
        assert_eq!(role("Time"), None, "seconds since 1970, not a day");
        assert_eq!(role("UserId"), Some(ReviewRole::Reviewer));
        assert_eq!(
            role("Id"),
            None,
            "the dataset's row number, not the app's review id"
        );
    }
}
