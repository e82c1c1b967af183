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

fn find(parents: &mut [usize], mut item: usize) -> usize {
    while parents[item] != item {
        parents[item] = parents[parents[item]];
        item = parents[item];
    }
    item
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
        for (a, (first, left)) in vectors.iter().enumerate() {
            for (second, right) in &vectors[a + 1..] {
                if dot(left, right) >= SAME_EMBEDDING {
                    union(&mut parents, *first, *second);
                }
            }
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
