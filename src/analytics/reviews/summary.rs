//! What the reviews say, per product: how many, the stars given and the stars the text
//! reads as, the languages, and the complaints and praise that recur (key phrases with
//! their counts and example sentences).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::phrases::{self, SAME_THING};
use super::stored::StoredReview;
use crate::analytics::AnalyticsError;
use crate::analytics::recommend::CatalogueVariant;

/// Key phrases kept per product and side.
const PHRASES_PER_SIDE: usize = 5;
/// Example sentences shown beside a key phrase.
const EXAMPLES: usize = 3;
/// Reviews of this many stars or fewer are read for complaints; four or five for praise.
const COMPLAINT_STARS: f32 = 3.0;
/// A review rated 4 or 5 whose text the star model reads as this or lower: a complaint
/// behind good stars, worth reading.
const HIDDEN_COMPLAINT_STARS: f32 = 2.5;

/// A sentence as a review wrote it, with its translation into the seller's language
/// where that differs and a model for the pair is installed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Said {
    pub text: String,
    pub language: Option<String>,
    pub translated: Option<String>,
}

/// Something several reviews of a product say.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct KeyPhrase {
    /// The group's most central sentence.
    pub phrase: Said,
    /// How many reviews say it.
    pub reviews: usize,
    /// Other sentences that say it, as their reviews wrote them.
    pub examples: Vec<Said>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProductReviews {
    /// The listing's handle (a SKU the catalogue lacks stays itself); empty for reviews
    /// of the whole shop.
    pub product: String,
    pub title: String,
    pub reviews: usize,
    /// The reviewers' stars; None when no review of it has any.
    pub average_rating: Option<f32>,
    /// The star model's reading of the texts; None before a star model read them.
    pub average_text_stars: Option<f32>,
    /// How many reviews gave 1, 2, 3, 4 and 5 stars.
    pub stars: [usize; 5],
    /// Reviews per language, most first ("?" for texts too short to tell).
    pub languages: Vec<(String, usize)>,
    pub complaints: Vec<KeyPhrase>,
    pub praise: Vec<KeyPhrase>,
    /// Reviews of 4 or 5 stars whose text reads as a complaint.
    pub hidden_complaints: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewsSummary {
    pub reviews: usize,
    pub average_rating: Option<f32>,
    /// Products with reviews, the most complained about first.
    pub products: Vec<ProductReviews>,
    /// The model whose readings `average_text_stars` are; None when none is installed.
    pub sentiment_model: Option<String>,
    /// The sentence model that grouped the key phrases; None when none is installed
    /// (then there are no key phrases).
    pub phrase_model: Option<String>,
    /// The seller's language the phrases are translated into.
    pub translated_into: String,
    /// Languages of phrases no installed model translates into the seller's.
    pub untranslated: Vec<String>,
}

/// The sentence model: one vector per text.
pub type Embed<'a, E> = dyn FnMut(&[&str]) -> Result<Vec<Vec<f32>>, E> + 'a;

/// A sentence to embed, and where it came from.
struct Sentence {
    review: i64,
    text: String,
    language: Option<String>,
}

/// The reviews of each product summarised; `embed` gives the sentence model's vectors
/// for key phrases (None when no model is installed: no key phrases then).
pub fn summarise<E: From<AnalyticsError>>(
    reviews: &[StoredReview],
    catalogue: &[CatalogueVariant],
    product: Option<&str>,
    mut embed: Option<&mut Embed<'_, E>>,
) -> Result<ReviewsSummary, E> {
    let handle_of = |key: &str| -> String {
        catalogue
            .iter()
            .find(|variant| variant.sku == key)
            .map_or_else(|| key.to_string(), |variant| variant.handle.clone())
    };
    let mut by_product: BTreeMap<String, Vec<&StoredReview>> = BTreeMap::new();
    for review in reviews {
        by_product
            .entry(handle_of(&review.product))
            .or_default()
            .push(review);
    }
    if let Some(wanted) = product {
        let wanted = handle_of(wanted);
        if !by_product.contains_key(&wanted) {
            return Err(AnalyticsError::NotInOrders {
                what: "product with reviews",
                key: wanted,
            }
            .into());
        }
        by_product.retain(|key, _| *key == wanted);
    }
    let mut products = Vec::with_capacity(by_product.len());
    for (key, reviews) in &by_product {
        let title = if key.is_empty() {
            String::new()
        } else {
            catalogue
                .iter()
                .find(|variant| variant.handle == *key)
                .map_or_else(|| key.clone(), |variant| variant.title.clone())
        };
        let mut summary = counts(key, title, reviews);
        if let Some(embed) = embed.as_deref_mut() {
            summary.complaints =
                key_phrases(reviews, |stars| stars <= COMPLAINT_STARS, &mut *embed)?;
            summary.praise = key_phrases(reviews, |stars| stars > COMPLAINT_STARS, &mut *embed)?;
        }
        products.push(summary);
    }
    products.sort_by(|a, b| {
        let complained = |product: &ProductReviews| {
            product
                .complaints
                .iter()
                .map(|phrase| phrase.reviews)
                .sum::<usize>()
        };
        complained(b)
            .cmp(&complained(a))
            .then(b.reviews.cmp(&a.reviews))
            .then(a.product.cmp(&b.product))
    });
    let rated: Vec<f32> = by_product
        .values()
        .flatten()
        .filter_map(|review| review.rating.map(f32::from))
        .collect();
    Ok(ReviewsSummary {
        reviews: by_product.values().map(Vec::len).sum(),
        average_rating: mean(&rated),
        products,
        sentiment_model: None,
        phrase_model: None,
        translated_into: String::new(),
        untranslated: Vec::new(),
    })
}

fn counts(key: &str, title: String, reviews: &[&StoredReview]) -> ProductReviews {
    let mut stars = [0usize; 5];
    let mut languages: BTreeMap<String, usize> = BTreeMap::new();
    let mut hidden_complaints = 0;
    for review in reviews {
        if let Some(rating) = review.rating {
            stars[usize::from(rating.clamp(1, 5)) - 1] += 1;
        }
        *languages
            .entry(review.language.clone().unwrap_or_else(|| "?".into()))
            .or_default() += 1;
        if review.rating.is_some_and(|rating| rating >= 4)
            && review
                .text_stars
                .is_some_and(|read| read <= HIDDEN_COMPLAINT_STARS)
        {
            hidden_complaints += 1;
        }
    }
    let mut languages: Vec<(String, usize)> = languages.into_iter().collect();
    languages.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let ratings: Vec<f32> = reviews
        .iter()
        .filter_map(|review| review.rating.map(f32::from))
        .collect();
    let read: Vec<f32> = reviews
        .iter()
        .filter_map(|review| review.text_stars)
        .collect();
    ProductReviews {
        product: key.to_string(),
        title,
        reviews: reviews.len(),
        average_rating: mean(&ratings),
        average_text_stars: mean(&read),
        stars,
        languages,
        complaints: Vec::new(),
        praise: Vec::new(),
        hidden_complaints,
    }
}

/// The groups of alike sentences from the reviews whose stars `side` keeps, that at
/// least two reviews say.
fn key_phrases<E>(
    reviews: &[&StoredReview],
    side: impl Fn(f32) -> bool,
    embed: &mut Embed<'_, E>,
) -> Result<Vec<KeyPhrase>, E> {
    let sentences: Vec<Sentence> = reviews
        .iter()
        .filter(|review| review.stars().is_some_and(&side))
        .flat_map(|review| {
            phrases::sentences(&review.text())
                .into_iter()
                .map(|text| Sentence {
                    review: review.id,
                    text,
                    language: review.language.clone(),
                })
        })
        .collect();
    if sentences.len() < 2 {
        return Ok(Vec::new());
    }
    let mut vectors = Vec::with_capacity(sentences.len());
    for batch in sentences.chunks(64) {
        let texts: Vec<&str> = batch
            .iter()
            .map(|sentence| sentence.text.as_str())
            .collect();
        vectors.extend(embed(&texts)?);
    }
    let mut found: Vec<KeyPhrase> = phrases::group(&vectors, SAME_THING)
        .into_iter()
        .filter_map(|group| {
            let distinct: HashSet<i64> = group
                .members
                .iter()
                .map(|index| sentences[*index].review)
                .collect();
            let members = named_in_a_known_language(&sentences, group.members);
            (distinct.len() >= 2).then(|| KeyPhrase {
                phrase: said(&sentences[members[0]]),
                reviews: distinct.len(),
                examples: examples(&sentences, &members),
            })
        })
        .collect();
    found.sort_by_key(|phrase| std::cmp::Reverse(phrase.reviews));
    found.truncate(PHRASES_PER_SIDE);
    Ok(found)
}

/// The group's members with the most central sentence whose language is known first: a
/// phrase in an unknown language (a review too short to tell) could not be translated
/// for the seller, and one of its rewordings in a known language says the same.
fn named_in_a_known_language(sentences: &[Sentence], mut members: Vec<usize>) -> Vec<usize> {
    if let Some(at) = members
        .iter()
        .position(|index| sentences[*index].language.is_some())
    {
        let named = members.remove(at);
        members.insert(0, named);
    }
    members
}

/// Up to `EXAMPLES` of a group's other sentences, each worded differently from the
/// phrase and from one another (many buyers write the very same words).
fn examples(sentences: &[Sentence], members: &[usize]) -> Vec<Said> {
    let mut seen: HashSet<&str> = HashSet::from([sentences[members[0]].text.as_str()]);
    members[1..]
        .iter()
        .map(|index| &sentences[*index])
        .filter(|sentence| seen.insert(sentence.text.as_str()))
        .take(EXAMPLES)
        .map(said)
        .collect()
}

fn said(sentence: &Sentence) -> Said {
    Said {
        text: sentence.text.clone(),
        language: sentence.language.clone(),
        translated: None,
    }
}

fn mean(values: &[f32]) -> Option<f32> {
    (!values.is_empty()).then(|| values.iter().sum::<f32>() / values.len() as f32)
}

impl ReviewsSummary {
    /// Every phrase and example not already in `language`, for translation.
    pub fn foreign_sentences_mut(&mut self, language: &str) -> Vec<&mut Said> {
        self.products
            .iter_mut()
            .flat_map(|product| {
                product
                    .complaints
                    .iter_mut()
                    .chain(product.praise.iter_mut())
            })
            .flat_map(|phrase| {
                std::iter::once(&mut phrase.phrase).chain(phrase.examples.iter_mut())
            })
            .filter(|said| {
                said.language
                    .as_deref()
                    .is_some_and(|said| said != language)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(id: i64, body: &str, language: Option<&str>) -> StoredReview {
        StoredReview {
            id,
            source: "judge_me".into(),
            product: "atlas-daypack".into(),
            rating: Some(2),
            title: String::new(),
            body: body.into(),
            reviewed_on: None,
            reviewer: String::new(),
            language: language.map(str::to_string),
            text_stars: None,
        }
    }

    #[test]
    fn a_complaint_is_named_by_a_sentence_whose_language_is_known() {
        // The first review is too short to tell its language; the second says the same.
        let reviews = [
            review(1, "Strap broke", None),
            review(2, "The strap broke after a week", Some("en")),
        ];
        let mut embed = |texts: &[&str]| -> Result<Vec<Vec<f32>>, AnalyticsError> {
            Ok(texts.iter().map(|_| vec![1.0, 0.0]).collect())
        };
        let summary = summarise(&reviews, &[], None, Some(&mut embed)).unwrap();
        let complaint = &summary.products[0].complaints[0];
        assert_eq!(complaint.reviews, 2);
        assert_eq!(complaint.phrase.text, "The strap broke after a week");
        assert_eq!(complaint.phrase.language.as_deref(), Some("en"));
        assert_eq!(complaint.examples[0].text, "Strap broke");
    }
}
