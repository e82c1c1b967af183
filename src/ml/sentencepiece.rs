//! Marian tokenizers from the files opus-mt models ship (`source.spm`, `target.spm`,
//! `vocab.json`), converted in memory to a `tokenizers` Unigram tokenizer, the way
//! transformers' MarianTokenizer behaves: SentencePiece segments the text, and each
//! piece takes its id from the shared `vocab.json`. This spares shipping converted
//! tokenizer.json files, which exist for only a few pairs.

use std::collections::HashMap;
use std::path::Path;

use prost::Message;
use tokenizers::Tokenizer;
use tokenizers::models::unigram::Unigram;
use tokenizers::normalizers::{NormalizerWrapper, Precompiled, Replace, Sequence};
use tokenizers::pre_tokenizers::metaspace::{Metaspace, PrependScheme};

/// The parts of SentencePiece's `ModelProto` a tokenizer needs (field numbers from
/// sentencepiece_model.proto; other fields are skipped).
#[derive(Clone, PartialEq, Message)]
pub struct ModelProto {
    #[prost(message, repeated, tag = "1")]
    pub pieces: Vec<Piece>,
    #[prost(message, optional, tag = "3")]
    pub normalizer_spec: Option<NormalizerSpec>,
}

#[derive(Clone, PartialEq, Message)]
pub struct Piece {
    #[prost(string, tag = "1")]
    pub piece: String,
    #[prost(float, tag = "2")]
    pub score: f32,
}

#[derive(Clone, PartialEq, Message)]
pub struct NormalizerSpec {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(bytes = "vec", tag = "2")]
    pub precompiled_charsmap: Vec<u8>,
}

/// A score low enough that a piece of the shared vocabulary this SentencePiece model
/// does not have is never chosen while the model's own pieces can cover the text.
const FOREIGN_PIECE_SCORE: f64 = -1e6;

/// The tokenizer for one side of a Marian model: `spm` segments, `vocab_json` numbers.
pub fn marian_tokenizer(spm: &Path, vocab_json: &Path) -> Result<Tokenizer, String> {
    let bytes = std::fs::read(spm).map_err(|error| format!("{}: {error}", spm.display()))?;
    let proto = ModelProto::decode(bytes.as_slice())
        .map_err(|error| format!("{}: not a SentencePiece model ({error})", spm.display()))?;
    let text = std::fs::read_to_string(vocab_json)
        .map_err(|error| format!("{}: {error}", vocab_json.display()))?;
    let ids: HashMap<String, u32> = serde_json::from_str(&text)
        .map_err(|error| format!("{}: not a vocabulary ({error})", vocab_json.display()))?;
    tokenizer_from(&proto, &ids).map_err(|error| format!("{}: {error}", spm.display()))
}

fn tokenizer_from(proto: &ModelProto, ids: &HashMap<String, u32>) -> Result<Tokenizer, String> {
    let size = ids.values().max().map_or(0, |&id| id as usize + 1);
    let scores: HashMap<&str, f32> = proto
        .pieces
        .iter()
        .map(|piece| (piece.piece.as_str(), piece.score))
        .collect();
    let mut vocab = vec![(String::new(), FOREIGN_PIECE_SCORE); size];
    for (piece, &id) in ids {
        let score = scores
            .get(piece.as_str())
            .map_or(FOREIGN_PIECE_SCORE, |&score| f64::from(score));
        vocab[id as usize] = (piece.clone(), score);
    }
    for (index, (piece, _)) in vocab.iter_mut().enumerate() {
        if piece.is_empty() {
            *piece = format!("<unused-{index}>");
        }
    }
    let unk = ids.get("<unk>").map(|&id| id as usize);
    let model = Unigram::from(vocab, unk, false).map_err(|error| error.to_string())?;
    let mut tokenizer = Tokenizer::new(model);

    let mut normalizers: Vec<NormalizerWrapper> = Vec::new();
    if let Some(spec) = &proto.normalizer_spec
        && !spec.precompiled_charsmap.is_empty()
    {
        let precompiled = Precompiled::from(&spec.precompiled_charsmap)
            .map_err(|error| format!("its normalisation table is unreadable ({error})"))?;
        normalizers.push(precompiled.into());
    }
    // SentencePiece folds runs of spaces into one.
    normalizers.push(
        Replace::new(
            tokenizers::normalizers::replace::ReplacePattern::Regex(" {2,}".into()),
            " ",
        )
        .map_err(|error| error.to_string())?
        .into(),
    );
    let metaspace = Metaspace::new('\u{2581}', PrependScheme::Always, true);
    tokenizer
        .with_normalizer(Some(Sequence::new(normalizers)))
        .with_pre_tokenizer(Some(metaspace.clone()))
        .with_decoder(Some(metaspace));
    Ok(tokenizer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proto(pieces: &[(&str, f32)]) -> ModelProto {
        ModelProto {
            pieces: pieces
                .iter()
                .map(|(piece, score)| Piece {
                    piece: piece.to_string(),
                    score: *score,
                })
                .collect(),
            normalizer_spec: None,
        }
    }

    #[test]
    fn pieces_are_segmented_by_the_model_and_numbered_by_the_shared_vocabulary() {
        // The shared vocabulary numbers pieces of both languages; this side's model
        // knows only its own.
        let ids: HashMap<String, u32> = [
            ("</s>", 0),
            ("<unk>", 1),
            ("▁Tasche", 2),
            ("▁red", 3),
            ("▁bag", 4),
            ("▁re", 5),
            ("d", 6),
            ("▁", 7),
            ("T", 8),
            ("a", 9),
            ("s", 10),
            ("c", 11),
            ("h", 12),
            ("e", 13),
            ("<pad>", 14),
        ]
        .iter()
        .map(|(piece, id)| (piece.to_string(), *id))
        .collect();
        let mut pieces = vec![
            ("<unk>", 0.0),
            ("▁red", -2.0),
            ("▁bag", -2.5),
            ("▁re", -4.0),
            ("d", -4.0),
        ];
        pieces.extend(["▁", "T", "a", "s", "c", "h", "e"].map(|piece| (piece, -5.0)));
        let model = proto(&pieces);
        let tokenizer = tokenizer_from(&model, &ids).unwrap();
        let encoding = tokenizer.encode("red  bag", false).unwrap();
        assert_eq!(encoding.get_ids(), [3, 4], "{:?}", encoding.get_tokens());
        assert_eq!(tokenizer.decode(&[3, 4], true).unwrap(), "red bag");
        // A piece only the other side has is not used on this side.
        assert_eq!(
            tokenizer.encode("Tasche", false).unwrap().get_ids(),
            [7, 8, 9, 10, 11, 12, 13]
        );
    }

    #[test]
    fn a_file_that_is_not_a_sentencepiece_model_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let spm = dir.path().join("source.spm");
        std::fs::write(&spm, [0xff, 0xff, 0xff]).unwrap();
        let vocab = dir.path().join("vocab.json");
        std::fs::write(&vocab, "{}").unwrap();
        let error = marian_tokenizer(&spm, &vocab).unwrap_err();
        assert!(
            error.contains("source.spm: not a SentencePiece model"),
            "{error}"
        );
    }
}
