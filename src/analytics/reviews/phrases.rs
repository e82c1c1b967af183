//! Key phrases of a product's reviews: the reviews' sentences, embedded by a sentence
//! model, grouped where they say the same thing ("the strap broke", "Riemen nach zwei
//! Wochen gerissen"), each group named by its most central sentence and counted in
//! reviews, so a recurring complaint surfaces however each buyer worded it.

use unicode_segmentation::UnicodeSegmentation;

/// Sentences this alike (cosine of their embeddings) or more say the same thing. Set on
/// all-MiniLM-L6-v2 with the demo's reviews: at this level each recurring complaint
/// gathers its rewordings and no other complaint (checked in `tests/reviews.rs`).
pub const SAME_THING: f32 = 0.55;

/// A sentence's end that Unicode's rules leave joined: buyers often go on in lower case
/// ("it runs small. i sent it back") or trail off ("cute...but thin").
static SLOPPY_END: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"[.!?]+\s+|\.{2,}|…")
        .unwrap_or_else(|error| unreachable!("a fixed pattern: {error}"))
});

/// The sentences of a review's text worth grouping: at least two words (or four
/// characters of a script written without spaces), trimmed of closing punctuation.
pub fn sentences(text: &str) -> Vec<String> {
    text.split_sentence_bounds()
        .flat_map(|sentence| SLOPPY_END.split(sentence))
        .flat_map(|sentence| sentence.split(['\n', ';']))
        .map(|sentence| {
            sentence
                .trim()
                .trim_end_matches(['.', '!', '?', '。', '！', '？', '…', ',', ':'])
                .trim()
                .to_string()
        })
        .filter(|sentence| {
            let words = sentence.unicode_words().count();
            words >= 2 || (words == 1 && sentence.chars().count() >= 4 && !sentence.is_ascii())
        })
        .collect()
}

/// A group of sentences that say the same thing.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Indices into the sentences given, the most central first.
    pub members: Vec<usize>,
}

/// Groups sentences by their embeddings: each joins the group whose mean it is most
/// like, if at least `threshold`, else starts one; the members of each group are then
/// ordered by how like the rest of the group they are, so the first is the one that
/// says it most plainly. Largest groups first.
pub fn group(vectors: &[Vec<f32>], threshold: f32) -> Vec<Group> {
    let unit: Vec<Vec<f32>> = vectors.iter().map(|vector| normalised(vector)).collect();
    let mut sums: Vec<Vec<f32>> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (index, vector) in unit.iter().enumerate() {
        let best = sums
            .iter()
            .enumerate()
            .map(|(group, sum)| (group, dot(&normalised(sum), vector)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        match best {
            Some((group, likeness)) if likeness >= threshold => {
                for (total, value) in sums[group].iter_mut().zip(vector) {
                    *total += value;
                }
                members[group].push(index);
            }
            _ => {
                sums.push(vector.clone());
                members.push(vec![index]);
            }
        }
    }
    let mut groups: Vec<Group> = members
        .into_iter()
        .map(|mut members| {
            let centrality = |index: usize| -> f32 {
                members
                    .iter()
                    .map(|other| dot(&unit[index], &unit[*other]))
                    .sum()
            };
            let mut scored: Vec<(usize, f32)> = members
                .iter()
                .map(|index| (*index, centrality(*index)))
                .collect();
            scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            members = scored.into_iter().map(|(index, _)| index).collect();
            Group { members }
        })
        .collect();
    groups.sort_by_key(|group| std::cmp::Reverse(group.members.len()));
    groups
}

fn normalised(vector: &[f32]) -> Vec<f32> {
    let norm = dot(vector, vector).sqrt();
    if norm == 0.0 {
        return vector.to_vec();
    }
    vector.iter().map(|value| value / norm).collect()
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_splits_into_sentences_of_two_words_or_more() {
        assert_eq!(
            sentences("Lovely colour! The strap broke after a week.\nOk. 质量很差"),
            vec!["Lovely colour", "The strap broke after a week", "质量很差"]
        );
        assert!(sentences("Great").is_empty());
        // As many buyers write: lower case after a full stop, dots trailing off.
        assert_eq!(
            sentences("Dress runs small. i ordered the sp and it was very tight! cute...but thin"),
            vec![
                "Dress runs small",
                "i ordered the sp and it was very tight",
                "but thin"
            ]
        );
    }

    #[test]
    fn alike_sentences_group_and_the_central_one_leads() {
        // Three sentences near one direction, one elsewhere.
        let vectors = vec![
            vec![1.0, 0.1, 0.0],
            vec![0.0, 0.0, 1.0],
            vec![1.0, 0.0, 0.0],
            vec![1.0, -0.1, 0.0],
        ];
        let groups = group(&vectors, 0.9);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].members.len(), 3);
        assert_eq!(
            groups[0].members[0], 2,
            "the middle sentence names the group"
        );
        assert_eq!(groups[1].members, vec![1]);
    }
}
