//! A GGUF file's own tokenizer, for the models that come as one `.gguf` and nothing else
//! (SmolLM2's, most community quantizations): llama.cpp keeps a byte-level BPE tokenizer
//! in the metadata (`tokenizer.ggml.tokens`, `.merges`, `.token_type`, and `.pre`, the
//! name of how text is split before the merges), and this builds the same tokenizer as a
//! `tokenizers::Tokenizer`, so the rest of the code does not care where it came from.

use candle_core::quantized::gguf_file::{Content, Value};
use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::models::bpe::BPE;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::digits::Digits;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{AddedToken, PreTokenizerWrapper, SplitDelimiterBehavior, Tokenizer};

/// llama.cpp's token types that are not text: control tokens (`<|im_end|>`) and tokens a
/// model's authors added; both are matched whole before the merges, like `tokenizer.json`'s
/// added tokens.
const CONTROL: i32 = 3;
const USER_DEFINED: i32 = 4;

/// Qwen2's split (llama.cpp's `LLAMA_VOCAB_PRE_TYPE_QWEN2`, the `Split` of Qwen's own
/// tokenizer.json): letters with one leading non-letter, digits one by one, punctuation
/// runs, newlines apart.
const QWEN2_SPLIT: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// Why a GGUF's tokenizer could not be built: a sentence for the model's error.
pub type Unusable = String;

fn metadata<'a>(content: &'a Content, key: &str) -> Result<&'a Value, Unusable> {
    content
        .metadata
        .get(key)
        .ok_or_else(|| format!("its metadata has no {key}"))
}

fn strings(content: &Content, key: &str) -> Result<Vec<String>, Unusable> {
    let values = metadata(content, key)?
        .to_vec()
        .map_err(|_| format!("{key} is not a list"))?;
    values
        .iter()
        .map(|value| value.to_string().cloned())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("{key} holds something other than text"))
}

/// How the text is split before the merges, by the name llama.cpp gives it.
fn pre_tokenizer(name: &str) -> Result<PreTokenizerWrapper, Unusable> {
    let byte_level = |use_regex| ByteLevel::new(false, true, use_regex);
    Ok(match name {
        "gpt2" | "default" => byte_level(true).into(),
        // SmolLM's (and StarCoder's): each digit apart, then GPT-2's split.
        "smollm" | "starcoder" => {
            Sequence::new(vec![Digits::new(true).into(), byte_level(true).into()]).into()
        }
        "qwen2" => Sequence::new(vec![
            Split::new(
                SplitPattern::Regex(QWEN2_SPLIT.into()),
                SplitDelimiterBehavior::Isolated,
                false,
            )
            .map_err(|error| format!("the qwen2 split does not compile ({error})"))?
            .into(),
            byte_level(false).into(),
        ])
        .into(),
        other => {
            return Err(format!(
                "its tokenizer splits text the \"{other}\" way, which Tradewind does not know: \
                 put the model's tokenizer.json beside it"
            ));
        }
    })
}

/// The tokenizer a GGUF file describes in its metadata.
pub fn from_gguf(content: &Content) -> Result<Tokenizer, Unusable> {
    let model = metadata(content, "tokenizer.ggml.model")?
        .to_string()
        .map_err(|_| "tokenizer.ggml.model is not text".to_string())?;
    if model != "gpt2" {
        return Err(format!(
            "its tokenizer is of the \"{model}\" kind; Tradewind reads the byte-level BPE \
             (\"gpt2\") kind from a GGUF: put the model's tokenizer.json beside it"
        ));
    }
    let tokens = strings(content, "tokenizer.ggml.tokens")?;
    let merges = strings(content, "tokenizer.ggml.merges")?
        .into_iter()
        .map(|merge| {
            merge
                .split_once(' ')
                .map(|(left, right)| (left.to_string(), right.to_string()))
                .ok_or_else(|| format!("the merge \"{merge}\" is not two tokens"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let types: Vec<i32> = match content.metadata.get("tokenizer.ggml.token_type") {
        Some(value) => value
            .to_vec()
            .map_err(|_| "tokenizer.ggml.token_type is not a list".to_string())?
            .iter()
            .map(|kind| kind.to_i32().unwrap_or(1))
            .collect(),
        None => Vec::new(),
    };
    let vocab: tokenizers::models::bpe::Vocab = tokens
        .iter()
        .enumerate()
        .map(|(id, token)| (token.clone(), id as u32))
        .collect();
    let bpe = BPE::builder()
        .vocab_and_merges(vocab, merges)
        .build()
        .map_err(|error| format!("its vocabulary and merges do not agree ({error})"))?;
    let split = match content.metadata.get("tokenizer.ggml.pre") {
        Some(name) => name
            .to_string()
            .map_err(|_| "tokenizer.ggml.pre is not text".to_string())?
            .clone(),
        None => "default".to_string(),
    };
    let mut tokenizer = Tokenizer::new(bpe);
    tokenizer.with_pre_tokenizer(Some(pre_tokenizer(&split)?));
    tokenizer.with_decoder(Some(ByteLevelDecoder::default()));
    let specials: Vec<AddedToken> = tokens
        .iter()
        .zip(&types)
        .filter(|(_, kind)| matches!(**kind, CONTROL | USER_DEFINED))
        .map(|(token, _)| AddedToken::from(token.clone(), true))
        .collect();
    tokenizer.add_special_tokens(&specials);
    Ok(tokenizer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::byte_level_vocabulary;

    fn content(vocabulary: &crate::ml::fixtures::ByteLevelVocabulary, split: &str) -> Content {
        let list =
            |items: &[String]| Value::Array(items.iter().cloned().map(Value::String).collect());
        let metadata = [
            ("tokenizer.ggml.model", Value::String("gpt2".into())),
            ("tokenizer.ggml.pre", Value::String(split.into())),
            ("tokenizer.ggml.tokens", list(&vocabulary.tokens)),
            ("tokenizer.ggml.merges", list(&vocabulary.merges)),
            (
                "tokenizer.ggml.token_type",
                Value::Array(vocabulary.types.iter().copied().map(Value::I32).collect()),
            ),
        ];
        Content {
            magic: candle_core::quantized::gguf_file::VersionedMagic::GgufV3,
            metadata: metadata
                .into_iter()
                .map(|(key, value)| (key.to_string(), value))
                .collect(),
            tensor_infos: Default::default(),
            tensor_data_offset: 0,
        }
    }

    #[test]
    fn text_round_trips_through_each_known_split_and_specials_stay_whole() {
        let vocabulary = byte_level_vocabulary();
        let text = "Größe 42 — fits a 15\" laptop?\n<|im_end|> ok";
        for split in ["gpt2", "smollm", "qwen2"] {
            let tokenizer = from_gguf(&content(&vocabulary, split)).unwrap();
            let ids = tokenizer.encode(text, false).unwrap().get_ids().to_vec();
            assert_eq!(tokenizer.decode(&ids, false).unwrap(), text, "{split}");
            let end = tokenizer.token_to_id("<|im_end|>").unwrap();
            assert_eq!(ids.iter().filter(|id| **id == end).count(), 1, "{split}");
            assert_eq!(
                tokenizer.decode(&ids, true).unwrap(),
                text.replace("<|im_end|>", ""),
                "{split}: specials are left out when asked"
            );
        }
        let smollm = from_gguf(&content(&vocabulary, "smollm")).unwrap();
        let pieces = smollm
            .encode("the 42", false)
            .unwrap()
            .get_tokens()
            .to_vec();
        assert_eq!(pieces, ["the", "Ġ", "4", "2"], "merged words, digits apart");
    }

    #[test]
    fn an_unknown_split_or_kind_is_refused_with_what_to_do() {
        let vocabulary = byte_level_vocabulary();
        let error = from_gguf(&content(&vocabulary, "tekken")).unwrap_err();
        assert!(
            error.contains("\"tekken\"") && error.contains("tokenizer.json"),
            "{error}"
        );
        let mut llama = content(&vocabulary, "gpt2");
        llama
            .metadata
            .insert("tokenizer.ggml.model".into(), Value::String("llama".into()));
        let error = from_gguf(&llama).unwrap_err();
        assert!(error.contains("\"llama\" kind"), "{error}");
    }
}
