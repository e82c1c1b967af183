//! Zero-shot tags with CLIP, improved by the seller's corrections. A photo's embedding is
//! compared with each label's (the mean of its prompts' embeddings, a prompt ensemble):
//! categories level by level down the taxonomy (the roots, then the children of the
//! likeliest, so thousands of leaves are never scored flat), and each attribute group
//! with a softmax over its labels. Photos the seller tagged act as examples: a label's
//! score rises near photos that have it and falls near photos it was removed from, and
//! each group's threshold moves to what the seller accepted and removed. Embeddings of
//! photos and of label prompts are cached in the store.

use std::collections::HashMap;

use image::DynamicImage;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::PhotosError;
use super::vocabulary::{self, CATEGORY, Taxonomy, Vocabulary};
use crate::ml::MlError;
use crate::ml::clip::{ZeroShotTagger, dot, softmax};
use crate::store::{Store, StoreError};

/// A model that puts photos and texts in one space.
pub trait Embedder {
    /// The model and its revision: what cached embeddings belong to.
    fn model_key(&self) -> &str;
    /// The side of the square the model looks at.
    fn image_size(&self) -> u32;
    /// What cosine similarities are multiplied by before a softmax.
    fn scale(&self) -> f32;
    fn embed_images(&self, images: &[DynamicImage]) -> Result<Vec<Vec<f32>>, MlError>;
    fn embed_texts(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, MlError>;
}

/// A loaded CLIP and the key its embeddings are cached under.
pub struct ClipEmbedder<'a> {
    pub tagger: &'a ZeroShotTagger,
    pub key: String,
}

impl Embedder for ClipEmbedder<'_> {
    fn model_key(&self) -> &str {
        &self.key
    }

    fn image_size(&self) -> u32 {
        self.tagger.image_size()
    }

    fn scale(&self) -> f32 {
        self.tagger.scale()
    }

    fn embed_images(&self, images: &[DynamicImage]) -> Result<Vec<Vec<f32>>, MlError> {
        self.tagger.embed_images(images)
    }

    fn embed_texts(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, MlError> {
        self.tagger.embed_texts(texts)
    }
}

/// A tag the tagger proposes: its group, its label's key and how sure it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub group: String,
    pub label: String,
    pub score: f32,
}

pub fn to_bytes(vector: &[f32]) -> Vec<u8> {
    vector
        .iter()
        .flat_map(|value| value.to_le_bytes())
        .collect()
}

pub fn from_bytes(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|chunk| f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]))
        .collect()
}

fn normalised(mut vector: Vec<f32>) -> Vec<f32> {
    let length = dot(&vector, &vector).sqrt();
    if length > 0.0 {
        vector.iter_mut().for_each(|value| *value /= length);
    }
    vector
}

/// How often the caches were used, for the job's report and the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CacheUse {
    pub hits: u64,
    pub misses: u64,
}

/// Label prompt embeddings: from memory, else the store, else the model (then stored).
pub struct LabelCache {
    store: Store,
    model: String,
    memo: HashMap<String, Vec<f32>>,
    pub used: CacheUse,
}

impl LabelCache {
    pub fn new(store: Store, model: &str) -> LabelCache {
        LabelCache {
            store,
            model: model.to_string(),
            memo: HashMap::new(),
            used: CacheUse::default(),
        }
    }

    /// The embedding of each of `prompts`.
    fn prompts(
        &mut self,
        embedder: &dyn Embedder,
        prompts: &[String],
    ) -> Result<Vec<Vec<f32>>, PhotosError> {
        let mut seen = std::collections::HashSet::new();
        let missing: Vec<&String> = prompts
            .iter()
            .filter(|prompt| !self.memo.contains_key(*prompt) && seen.insert(*prompt))
            .collect();
        if !missing.is_empty() {
            let conn = self.store.connect()?;
            let mut query = conn
                .prepare("SELECT vector FROM label_embeddings WHERE model = ?1 AND prompt = ?2")
                .map_err(|error| self.store.error(error))?;
            let mut unknown = Vec::new();
            for prompt in missing {
                let found: Option<Vec<u8>> = query
                    .query_row((&self.model, prompt), |row| row.get(0))
                    .optional()
                    .map_err(|error| self.store.error(error))?;
                match found {
                    Some(bytes) => {
                        self.used.hits += 1;
                        self.memo.insert(prompt.clone(), from_bytes(&bytes));
                    }
                    None => unknown.push(prompt.as_str()),
                }
            }
            for batch in unknown.chunks(64) {
                let vectors = embedder.embed_texts(batch)?;
                for (prompt, vector) in batch.iter().zip(vectors) {
                    self.used.misses += 1;
                    conn.execute(
                        "INSERT OR REPLACE INTO label_embeddings (model, prompt, vector) VALUES (?1, ?2, ?3)",
                        (&self.model, prompt, to_bytes(&vector)),
                    )
                    .map_err(|error| self.store.error(error))?;
                    self.memo.insert(prompt.to_string(), vector);
                }
            }
        } else {
            self.used.hits += prompts.len() as u64;
        }
        Ok(prompts
            .iter()
            .map(|prompt| self.memo.get(prompt).cloned().unwrap_or_default())
            .collect())
    }

    /// Each label's embedding: the normalised mean of its prompts'. All the labels'
    /// prompts the cache lacks go through the model together, in full batches.
    fn labels(
        &mut self,
        embedder: &dyn Embedder,
        templates: &[String],
        texts: &[&str],
    ) -> Result<Vec<Vec<f32>>, PhotosError> {
        let per_label: Vec<Vec<String>> = texts
            .iter()
            .map(|text| vocabulary::prompts_for(templates, text))
            .collect();
        let all: Vec<String> = per_label.iter().flatten().cloned().collect();
        let mut vectors = self.prompts(embedder, &all)?.into_iter();
        Ok(per_label
            .iter()
            .map(|prompts| {
                let mut mean: Vec<f32> = Vec::new();
                for vector in vectors.by_ref().take(prompts.len()) {
                    if mean.is_empty() {
                        mean = vec![0.0; vector.len()];
                    }
                    for (sum, value) in mean.iter_mut().zip(&vector) {
                        *sum += value;
                    }
                }
                normalised(mean)
            })
            .collect())
    }
}

/// What the seller's corrections teach: photos that have a label, photos a label was
/// removed from, and per group the threshold that best separates what they accepted
/// from what they removed.
#[derive(Debug, Clone, Default)]
pub struct Learned {
    examples: HashMap<(String, String), Examples>,
    thresholds: HashMap<String, f32>,
    pub corrections: u64,
}

#[derive(Debug, Clone, Default)]
struct Examples {
    with: Vec<Vec<f32>>,
    without: Vec<Vec<f32>>,
}

/// How much a photo's likeness to the seller's examples counts against the zero-shot
/// score (Tip-Adapter's residual, on the scaled logits).
const EXAMPLE_WEIGHT: f32 = 0.25;
/// How sharply likeness falls off: exp(-SHARPNESS · (1 − cosine)).
const SHARPNESS: f32 = 5.5;
/// Below this likeness to a tagged photo, a learned category is not proposed directly.
const NEAR: f32 = 0.8;
/// A category level must be at least this sure before the tagger goes down to its children.
const DESCEND: f32 = 0.35;
/// At most this many labels of a group per photo.
const PER_GROUP: usize = 3;

fn likeness(a: &[f32], b: &[f32]) -> f32 {
    (-SHARPNESS * (1.0 - dot(a, b))).exp()
}

impl Examples {
    /// How much nearer the photo is to photos with the label than to those without.
    fn pull(&self, photo: &[f32]) -> f32 {
        let nearest = |set: &[Vec<f32>]| {
            set.iter()
                .map(|example| likeness(photo, example))
                .fold(0.0, f32::max)
        };
        nearest(&self.with) - nearest(&self.without)
    }
}

/// A correction: group, label, state, the score proposed, the photo's embedding.
type Correction = (String, String, String, Option<f64>, Vec<u8>);

/// The corrections of photos embedded by `model`, made after `since` (the last reset).
pub fn learned(store: &Store, model: &str, since: &str) -> Result<Learned, StoreError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(
            "SELECT t.grp, t.label, t.state, t.score, e.vector FROM photo_tags t
             JOIN photo_embeddings e ON e.photo_id = t.photo_id AND e.model = ?1
             WHERE t.state IN ('accepted', 'added', 'removed') AND t.updated_at > ?2",
        )
        .map_err(|error| store.error(error))?;
    let rows: Vec<Correction> = statement
        .query_map((model, since), |row| {
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
    let mut learned = Learned {
        corrections: rows.len() as u64,
        ..Learned::default()
    };
    let mut scored: HashMap<String, Vec<(f32, bool)>> = HashMap::new();
    for (group, label, state, score, vector) in rows {
        let kept = state != "removed";
        let examples = learned.examples.entry((group.clone(), label)).or_default();
        if kept {
            examples.with.push(from_bytes(&vector));
        } else {
            examples.without.push(from_bytes(&vector));
        }
        if let Some(score) = score {
            scored.entry(group).or_default().push((score as f32, kept));
        }
    }
    for (group, decisions) in scored {
        if let Some(threshold) = best_threshold(&decisions) {
            learned.thresholds.insert(group, threshold);
        }
    }
    Ok(learned)
}

/// The cut between proposals' scores that agrees with the most of the seller's
/// decisions (kept at or above, removed below); none without both kinds.
fn best_threshold(decisions: &[(f32, bool)]) -> Option<f32> {
    if !decisions.iter().any(|(_, kept)| *kept) || decisions.iter().all(|(_, kept)| *kept) {
        return None;
    }
    let mut cuts: Vec<f32> = decisions.iter().map(|(score, _)| *score).collect();
    cuts.sort_by(f32::total_cmp);
    let agreeing = |cut: f32| {
        decisions
            .iter()
            .filter(|(score, kept)| (*score >= cut) == *kept)
            .count()
    };
    // Between neighbouring scores, so that neither side's example sits on the cut.
    let mut best: Option<(usize, f32)> = None;
    for pair in cuts.windows(2) {
        let cut = (pair[0] + pair[1]) / 2.0;
        let score = agreeing(cut);
        if best.is_none_or(|(most, _)| score > most) {
            best = Some((score, cut));
        }
    }
    best.map(|(_, cut)| cut)
}

/// What tagging needs at hand: the model, the vocabularies, the taxonomy, the caches and
/// what was learned.
pub struct Tagger<'a> {
    pub embedder: &'a dyn Embedder,
    pub taxonomy: &'a Taxonomy,
    pub vocabulary: &'a Vocabulary,
    pub labels: LabelCache,
    pub learned: Learned,
}

impl Tagger<'_> {
    /// The proposals for a photo of embedding `photo`.
    pub fn propose(&mut self, photo: &[f32]) -> Result<Vec<Proposal>, PhotosError> {
        let mut proposals = Vec::new();
        if let Some(category) = self.category(photo)? {
            proposals.push(category);
        }
        for group in &self.vocabulary.groups {
            let keys: Vec<&str> = group
                .labels
                .iter()
                .map(|label| label.key.as_str())
                .collect();
            let vectors = self.labels.labels(self.embedder, &group.prompts, &keys)?;
            let logits: Vec<f32> = keys
                .iter()
                .zip(&vectors)
                .map(|(key, vector)| self.logit(photo, vector, &group.key, key))
                .collect();
            let threshold = self
                .learned
                .thresholds
                .get(&group.key)
                .copied()
                .unwrap_or(group.threshold);
            let mut scored: Vec<(usize, f32)> = softmax(&logits).into_iter().enumerate().collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1));
            proposals.extend(
                scored
                    .into_iter()
                    .take(PER_GROUP)
                    .filter(|(_, score)| *score >= threshold)
                    .map(|(index, score)| Proposal {
                        group: group.key.clone(),
                        label: group.labels[index].key.clone(),
                        score,
                    }),
            );
        }
        Ok(proposals)
    }

    fn logit(&self, photo: &[f32], label: &[f32], group: &str, key: &str) -> f32 {
        let scale = self.embedder.scale();
        let pull = self
            .learned
            .examples
            .get(&(group.to_string(), key.to_string()))
            .map_or(0.0, |examples| examples.pull(photo));
        scale * dot(photo, label) + EXAMPLE_WEIGHT * scale * pull
    }

    /// The category: a learned one when the photo is very like one the seller tagged,
    /// else the taxonomy walked from the roots down while each level is sure enough.
    /// The score is the geometric mean of the levels' probabilities.
    fn category(&mut self, photo: &[f32]) -> Result<Option<Proposal>, PhotosError> {
        let near = self
            .learned
            .examples
            .iter()
            .filter(|((group, _), _)| group == CATEGORY)
            .map(|((_, label), examples)| (label, examples.pull(photo)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((label, pull)) = near
            && pull >= NEAR
        {
            return Ok(Some(Proposal {
                group: CATEGORY.into(),
                label: label.clone(),
                score: pull,
            }));
        }
        let taxonomy = self.taxonomy;
        let prompts = self.vocabulary.category_prompts.clone();
        // Candidates: (label key, text to score, index in the taxonomy).
        let mut candidates: Vec<(String, String, Option<usize>)> = taxonomy
            .roots
            .iter()
            .map(|&index| {
                let category = &taxonomy.categories[index];
                (category.id.to_string(), category.name.clone(), Some(index))
            })
            .collect();
        candidates.extend(
            self.vocabulary
                .custom_categories
                .iter()
                .map(|name| (name.clone(), name.clone(), None)),
        );
        let mut chosen: Option<(String, Vec<f32>)> = None;
        loop {
            let texts: Vec<&str> = candidates
                .iter()
                .map(|(_, text, _)| text.as_str())
                .collect();
            let vectors = self.labels.labels(self.embedder, &prompts, &texts)?;
            let logits: Vec<f32> = candidates
                .iter()
                .zip(&vectors)
                .map(|((key, _, _), vector)| self.logit(photo, vector, CATEGORY, key))
                .collect();
            let probabilities = softmax(&logits);
            let Some((best, probability)) = probabilities
                .iter()
                .copied()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(&b.1))
            else {
                break;
            };
            if chosen.is_some() && probability < DESCEND {
                break;
            }
            let (key, _, index) = candidates[best].clone();
            let mut levels = chosen.map(|(_, levels)| levels).unwrap_or_default();
            levels.push(probability);
            chosen = Some((key, levels));
            let children = index.map(|index| &taxonomy.categories[index].children);
            match children {
                Some(children) if !children.is_empty() && probability >= DESCEND => {
                    candidates = children
                        .iter()
                        .map(|&child| {
                            let category = &taxonomy.categories[child];
                            (
                                category.id.to_string(),
                                vocabulary::category_text(taxonomy, category),
                                Some(child),
                            )
                        })
                        .collect();
                }
                _ => break,
            }
        }
        Ok(chosen.and_then(|(label, levels)| {
            let score = levels.iter().map(|p| p.ln()).sum::<f32>() / levels.len() as f32;
            let score = score.exp();
            (score
                >= self
                    .learned
                    .thresholds
                    .get(CATEGORY)
                    .copied()
                    .unwrap_or(self.vocabulary.category_threshold))
            .then(|| Proposal {
                group: CATEGORY.into(),
                label,
                score,
            })
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_moves_to_what_the_seller_kept_and_removed() {
        let decisions = [
            (0.9, true),
            (0.7, true),
            (0.5, false),
            (0.45, false),
            (0.6, true),
        ];
        let cut = best_threshold(&decisions).unwrap();
        assert!(cut > 0.5 && cut < 0.6, "{cut}");
        assert_eq!(
            best_threshold(&[(0.9, true), (0.8, true)]),
            None,
            "nothing removed: no evidence"
        );
    }

    #[test]
    fn vectors_go_to_bytes_and_back() {
        let vector = vec![0.25, -1.5, 3.0];
        assert_eq!(from_bytes(&to_bytes(&vector)), vector);
    }
}
