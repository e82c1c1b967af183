//! Near-duplicates: photos of the same shot (a re-export, a crop, a retouch), found by
//! their difference hashes, which need no model, and by their image embeddings where
//! tagging made them. Photos are grouped transitively ("these 3 photos are the same
//! shot"); a group is named by its smallest photo id.

use std::collections::HashMap;

use super::measure::hash_distance;
use super::tagging::from_bytes;
use crate::ml::clip::dot;
use crate::store::{Store, StoreError};

/// Hashes this close (in bits of 64) are the same shot.
const SAME_HASH: u32 = 6;
/// Embeddings this alike (cosine) are the same shot.
const SAME_EMBEDDING: f32 = 0.95;
/// Below this many photos, "most are alike" says nothing about the model.
const MIN_PHOTOS_TO_JUDGE_MODEL: usize = 4;

fn find(parents: &mut [usize], mut item: usize) -> usize {
    while parents[item] != item {
        parents[item] = parents[parents[item]];
        item = parents[item];
    }
    item
}

/// The pairs of photos whose embeddings say "the same shot". A model that finds most of
/// the shop's photos alike cannot tell shots apart (an untrained or wrong model), so its
/// embeddings count for nothing rather than merging the whole shop into one group.
fn alike_pairs(vectors: &[(usize, Vec<f32>)]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    for (a, (first, left)) in vectors.iter().enumerate() {
        for (second, right) in &vectors[a + 1..] {
            if dot(left, right) >= SAME_EMBEDDING {
                pairs.push((*first, *second));
            }
        }
    }
    let all_pairs = vectors.len() * vectors.len().saturating_sub(1) / 2;
    if vectors.len() >= MIN_PHOTOS_TO_JUDGE_MODEL && pairs.len() * 2 > all_pairs {
        return Vec::new();
    }
    pairs
}

/// For each photo that has a near-duplicate, the smallest id of its group.
pub fn duplicate_groups(store: &Store) -> Result<HashMap<i64, i64>, StoreError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare("SELECT id, phash FROM photos WHERE phash != 0 ORDER BY id")
        .map_err(|error| store.error(error))?;
    let photos: Vec<(i64, i64)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))?;
    let index: HashMap<i64, usize> = photos
        .iter()
        .enumerate()
        .map(|(position, (id, _))| (*id, position))
        .collect();
    let mut parents: Vec<usize> = (0..photos.len()).collect();
    let union = |parents: &mut Vec<usize>, a: usize, b: usize| {
        let (root_a, root_b) = (find(parents, a), find(parents, b));
        if root_a != root_b {
            parents[root_a.max(root_b)] = root_a.min(root_b);
        }
    };
    for a in 0..photos.len() {
        for b in a + 1..photos.len() {
            if hash_distance(photos[a].1 as u64, photos[b].1 as u64) <= SAME_HASH {
                union(&mut parents, a, b);
            }
        }
    }
    let mut statement = conn
        .prepare("SELECT photo_id, model, vector FROM photo_embeddings ORDER BY model, photo_id")
        .map_err(|error| store.error(error))?;
    let embeddings: Vec<(i64, String, Vec<u8>)> = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .and_then(Iterator::collect)
        .map_err(|error| store.error(error))?;
    let mut by_model: HashMap<String, Vec<(usize, Vec<f32>)>> = HashMap::new();
    for (photo, model, vector) in embeddings {
        if let Some(&position) = index.get(&photo) {
            by_model
                .entry(model)
                .or_default()
                .push((position, from_bytes(&vector)));
        }
    }
    for vectors in by_model.values() {
        for (first, second) in alike_pairs(vectors) {
            union(&mut parents, first, second);
        }
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for position in 0..photos.len() {
        let root = find(&mut parents, position);
        members.entry(root).or_default().push(position);
    }
    let ids: Vec<i64> = photos.iter().map(|(id, _)| *id).collect();
    let mut groups = HashMap::new();
    for group in members.into_values().filter(|group| group.len() > 1) {
        let smallest = group
            .iter()
            .map(|&position| ids[position])
            .min()
            .unwrap_or(0);
        for position in group {
            groups.insert(ids[position], smallest);
        }
    }
    Ok(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(angle: f32) -> Vec<f32> {
        vec![angle.cos(), angle.sin()]
    }

    #[test]
    fn alike_embeddings_pair_up() {
        let vectors = vec![
            (0, unit(0.0)),
            (1, unit(0.05)),
            (2, unit(1.0)),
            (3, unit(2.0)),
        ];
        assert_eq!(alike_pairs(&vectors), [(0, 1)]);
    }

    #[test]
    fn a_model_that_finds_everything_alike_is_not_believed() {
        let vectors: Vec<_> = (0..6).map(|i| (i, unit(i as f32 * 0.01))).collect();
        assert!(alike_pairs(&vectors).is_empty());
        let few: Vec<_> = (0..3).map(|i| (i, unit(i as f32 * 0.01))).collect();
        assert_eq!(alike_pairs(&few).len(), 3, "three photos of one shot");
    }
}
