//! Alt-text captions with a quantized BLIP (candle-transformers' `quantized_blip`):
//! a ViT encodes the photo, a BERT-style decoder writes the caption greedily.

use std::sync::Mutex;

use candle_core::{D, Device, Module, Tensor};
use candle_transformers::models::blip;
use candle_transformers::models::quantized_blip::{BlipForConditionalGeneration, VarBuilder};
use image::DynamicImage;
use tokenizers::Tokenizer;

use super::MlError;
use super::clip::{Fit, normalised_pixels};
use super::weights::ModelFiles;

/// BLIP's decoder starts at `[DEC]` and stops at `[SEP]` (their ids in BLIP's tokenizer).
const DEFAULT_START: u32 = 30522;
const DEFAULT_STOP: u32 = 102;
/// The fewest tokens a caption has: BLIP's own captioning demo generates with
/// `min_length=5`, as a shorter sentence says nothing of the photo.
const MIN_TOKENS: usize = 5;

pub struct Captioner {
    id: String,
    model: Mutex<BlipForConditionalGeneration>,
    tokenizer: Tokenizer,
    image_size: usize,
    start: u32,
    stop: u32,
    /// 0, or −∞ at the tokenizer's special tokens but the stop token: a caption is words,
    /// and a padding or unknown token would be dropped from it unseen.
    no_specials: Tensor,
    /// 0, or −∞ at the stop token, while the caption is shorter than `MIN_TOKENS`.
    no_stop: Tensor,
    device: Device,
}

impl Captioner {
    /// Loads from verified files: one `.gguf` and `tokenizer.json`, with `config.json`
    /// if the catalog lists one (else BLIP-large's configuration, as lmz/candle-blip
    /// ships none).
    pub fn load(files: &ModelFiles, device: &Device) -> Result<Captioner, MlError> {
        let config: blip::Config = if files.files.iter().any(|file| file.name == "config.json") {
            files.json("config.json")?
        } else {
            blip::Config::image_captioning_large()
        };
        let tokenizer = files.tokenizer(files.path("tokenizer.json")?)?;
        let weights_path = files.ending_with(".gguf")?;
        let weights = VarBuilder::from_gguf(weights_path, device)
            .map_err(|error| files.failed(weights_path, error))?;
        let model = BlipForConditionalGeneration::new(&config, weights)
            .map_err(|error| files.failed(weights_path, error))?;
        let stop = tokenizer.token_to_id("[SEP]").unwrap_or(DEFAULT_STOP);
        let mut mask = vec![0f32; config.text_config.vocab_size];
        for (id, token) in tokenizer.get_added_tokens_decoder() {
            if token.special
                && id != stop
                && let Some(slot) = mask.get_mut(id as usize)
            {
                *slot = f32::NEG_INFINITY;
            }
        }
        let vocab = mask.len();
        let mut stop_mask = vec![0f32; vocab];
        if let Some(slot) = stop_mask.get_mut(stop as usize) {
            *slot = f32::NEG_INFINITY;
        }
        let (no_specials, no_stop) = Tensor::from_vec(mask, vocab, device)
            .and_then(|specials| Ok((specials, Tensor::from_vec(stop_mask, vocab, device)?)))
            .map_err(|error| files.failed(weights_path, error))?;
        Ok(Captioner {
            id: files.id.to_string(),
            model: Mutex::new(model),
            start: tokenizer.token_to_id("[DEC]").unwrap_or(DEFAULT_START),
            stop,
            no_specials,
            no_stop,
            tokenizer,
            image_size: config.vision_config.image_size,
            device: device.clone(),
        })
    }

    /// The side of the square photos go in at.
    pub fn image_size(&self) -> u32 {
        self.image_size as u32
    }

    fn run_error(&self, detail: impl ToString) -> MlError {
        MlError::Run {
            id: self.id.clone(),
            detail: detail.to_string(),
        }
    }

    /// A caption of at most `max_tokens` tokens.
    pub fn caption(&self, image: &DynamicImage, max_tokens: usize) -> Result<String, MlError> {
        let mut model = self
            .model
            .lock()
            .map_err(|_| self.run_error("an earlier caption failed midway"))?;
        let tokens = (|| -> candle_core::Result<Vec<u32>> {
            let pixels = normalised_pixels(image, self.image_size, Fit::Squash, &self.device)?;
            let image_embeds = model.vision_model().forward(&pixels.unsqueeze(0)?)?;
            let mut tokens = vec![self.start];
            for step in 0..max_tokens {
                let context = if step == 0 { tokens.len() } else { 1 };
                let input =
                    Tensor::new(&tokens[tokens.len() - context..], &self.device)?.unsqueeze(0)?;
                let logits = model
                    .text_decoder()
                    .forward(&input, &image_embeds)?
                    .squeeze(0)?;
                let last = logits.get(logits.dim(0)? - 1)?;
                let mut last = last.broadcast_add(&self.no_specials)?;
                if step < MIN_TOKENS.min(max_tokens) {
                    last = last.broadcast_add(&self.no_stop)?;
                }
                let token = last.argmax(D::Minus1)?.to_scalar::<u32>()?;
                if token == self.stop {
                    break;
                }
                tokens.push(token);
            }
            model.reset_kv_cache();
            Ok(tokens[1..].to_vec())
        })()
        .map_err(|error| {
            model.reset_kv_cache();
            self.run_error(error)
        })?;
        self.tokenizer
            .decode(&tokens, true)
            .map_err(|error| self.run_error(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{BLIP_ID, verified_fixture};

    #[test]
    fn the_decoder_starts_at_dec_and_stops_at_sep_as_blips_card_says() {
        // Salesforce/blip-image-captioning-large: generation starts from the text
        // config's bos_token_id, [DEC] (30522), and ends at [SEP] (102).
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), BLIP_ID, 7).unwrap();
        let captioner = Captioner::load(&ModelFiles::new(BLIP_ID, &files), &Device::Cpu).unwrap();
        let id = |token: &str| captioner.tokenizer.token_to_id(token).unwrap();
        assert_eq!(
            (captioner.start, captioner.stop),
            (id("[DEC]"), id("[SEP]"))
        );
        assert_ne!(
            captioner.start,
            id("[CLS]"),
            "BERT's start is not BLIP's decoder's"
        );
        // A special token never ends up in a caption; the stop token ends it.
        let specials = captioner.no_specials.to_vec1::<f32>().unwrap();
        for token in ["[PAD]", "[CLS]", "[MASK]", "[DEC]", "[UNK]"] {
            assert_eq!(specials[id(token) as usize], f32::NEG_INFINITY, "{token}");
        }
        assert_eq!(specials[captioner.stop as usize], 0.0);
    }

    #[test]
    fn captions_are_bounded_and_the_same_for_the_same_photo() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), BLIP_ID, 7).unwrap();
        let captioner = Captioner::load(&ModelFiles::new(BLIP_ID, &files), &Device::Cpu).unwrap();
        let photo = DynamicImage::ImageRgb8(image::RgbImage::from_fn(48, 40, |x, y| {
            image::Rgb([(x * 5) as u8, (y * 6) as u8, 90])
        }));
        let first = captioner.caption(&photo, 6).unwrap();
        assert!(first.split_whitespace().count() <= 6, "{first}");
        assert_eq!(
            captioner.caption(&photo, 6).unwrap(),
            first,
            "the cache was reset"
        );
    }
}
