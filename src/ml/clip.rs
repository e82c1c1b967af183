//! Zero-shot photo tags with CLIP (candle-transformers' `clip`): the probability of
//! each candidate label for each photo. The configuration comes from the Hub's
//! config.json, with ViT-B/32's values for anything it leaves out.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::clip::text_model::{Activation, ClipTextConfig};
use candle_transformers::models::clip::vision_model::ClipVisionConfig;
use candle_transformers::models::clip::{ClipConfig, ClipModel, div_l2_norm};
use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, RgbImage};
use serde::Deserialize;
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use super::MlError;
use super::weights::ModelFiles;

/// CLIP's pixel normalisation (OpenAI's training statistics).
const MEAN: [f32; 3] = [0.481_454_66, 0.457_827_5, 0.408_210_73];
const STD: [f32; 3] = [0.268_629_54, 0.261_302_6, 0.275_777_1];

/// Tensors every CLIP checkpoint has that candle makes up when they are missing (a
/// random class embedding at each load): a checkpoint without them is refused.
pub const CLASS_EMBEDDING: &str = "vision_model.embeddings.class_embedding";
pub const LOGIT_SCALE: &str = "logit_scale";

#[derive(Deserialize)]
#[serde(default)]
struct TextSection {
    vocab_size: usize,
    hidden_size: usize,
    intermediate_size: usize,
    max_position_embeddings: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    projection_dim: usize,
}

impl Default for TextSection {
    fn default() -> TextSection {
        let base = ClipTextConfig::vit_base_patch32();
        TextSection {
            vocab_size: base.vocab_size,
            hidden_size: base.embed_dim,
            intermediate_size: base.intermediate_size,
            max_position_embeddings: base.max_position_embeddings,
            num_hidden_layers: base.num_hidden_layers,
            num_attention_heads: base.num_attention_heads,
            projection_dim: base.projection_dim,
        }
    }
}

#[derive(Deserialize)]
#[serde(default)]
struct VisionSection {
    hidden_size: usize,
    intermediate_size: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    image_size: usize,
    patch_size: usize,
    projection_dim: usize,
}

impl Default for VisionSection {
    fn default() -> VisionSection {
        let base = ClipVisionConfig::vit_base_patch32();
        VisionSection {
            hidden_size: base.embed_dim,
            intermediate_size: base.intermediate_size,
            num_hidden_layers: base.num_hidden_layers,
            num_attention_heads: base.num_attention_heads,
            image_size: base.image_size,
            patch_size: base.patch_size,
            projection_dim: base.projection_dim,
        }
    }
}

#[derive(Deserialize)]
struct HubConfig {
    #[serde(default)]
    text_config: TextSection,
    #[serde(default)]
    vision_config: VisionSection,
    #[serde(default = "logit_scale")]
    logit_scale_init_value: f32,
}

fn logit_scale() -> f32 {
    2.6592
}

impl HubConfig {
    fn to_candle(&self) -> ClipConfig {
        let text = &self.text_config;
        let vision = &self.vision_config;
        ClipConfig {
            text_config: ClipTextConfig {
                vocab_size: text.vocab_size,
                embed_dim: text.hidden_size,
                activation: Activation::QuickGelu,
                intermediate_size: text.intermediate_size,
                max_position_embeddings: text.max_position_embeddings,
                pad_with: None,
                num_hidden_layers: text.num_hidden_layers,
                num_attention_heads: text.num_attention_heads,
                projection_dim: text.projection_dim,
            },
            vision_config: ClipVisionConfig {
                embed_dim: vision.hidden_size,
                activation: Activation::QuickGelu,
                intermediate_size: vision.intermediate_size,
                num_hidden_layers: vision.num_hidden_layers,
                num_attention_heads: vision.num_attention_heads,
                projection_dim: vision.projection_dim,
                num_channels: 3,
                image_size: vision.image_size,
                patch_size: vision.patch_size,
            },
            logit_scale_init_value: self.logit_scale_init_value,
            image_size: vision.image_size,
        }
    }
}

/// How a photo is brought to the model's square input, as each model was trained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The shortest side to the size, then the centre cut out (CLIP).
    CentreCrop,
    /// Both sides to the size, the proportions given up (BLIP).
    Squash,
}

/// The photo at `size`² (bicubic), as `fit` says.
pub fn fitted(image: &DynamicImage, size: u32, fit: Fit) -> image::RgbImage {
    resized(image, size, size, fit == Fit::CentreCrop)
}

/// `image` resized to `width` × `height` (bicubic, SIMD), cut to the centre first where
/// `crop` and the proportions differ.
pub fn resized(image: &DynamicImage, width: u32, height: u32, crop: bool) -> RgbImage {
    let rgb = image.to_rgb8();
    let (source_width, source_height) = rgb.dimensions();
    let fallback = || {
        image::imageops::resize(
            &image.to_rgb8(),
            width,
            height,
            image::imageops::FilterType::CatmullRom,
        )
    };
    let Ok(source) =
        Image::from_vec_u8(source_width, source_height, rgb.into_raw(), PixelType::U8x3)
    else {
        return fallback();
    };
    let mut target = Image::new(width, height, PixelType::U8x3);
    let mut options =
        ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    if crop {
        options = options.fit_into_destination(Some((0.5, 0.5)));
    }
    match Resizer::new().resize(&source, &mut target, &options) {
        Ok(()) => RgbImage::from_raw(width, height, target.into_vec()).unwrap_or_else(fallback),
        Err(_) => fallback(),
    }
}

/// `[3, S, S]`: fitted to `size`², scaled to 0..1 and normalised per channel with
/// CLIP's statistics (BLIP uses the same).
pub fn normalised_pixels(
    image: &DynamicImage,
    size: usize,
    fit: Fit,
    device: &Device,
) -> candle_core::Result<Tensor> {
    let rgb = fitted(image, size as u32, fit);
    let mut planes = vec![0f32; 3 * size * size];
    for (x, y, pixel) in rgb.enumerate_pixels() {
        for channel in 0..3 {
            let value = f32::from(pixel[channel]) / 255.0;
            planes[channel * size * size + y as usize * size + x as usize] =
                (value - MEAN[channel]) / STD[channel];
        }
    }
    Tensor::from_vec(planes, (3, size, size), device)
}

/// The candle configuration a Hub `config.json` describes.
pub fn candle_config(path: &std::path::Path) -> Result<ClipConfig, MlError> {
    let failed = |detail: String| MlError::Load {
        id: "clip".into(),
        path: path.to_path_buf(),
        detail,
    };
    let text = std::fs::read_to_string(path).map_err(|error| failed(error.to_string()))?;
    let config: HubConfig =
        serde_json::from_str(&text).map_err(|error| failed(error.to_string()))?;
    Ok(config.to_candle())
}

pub struct ZeroShotTagger {
    id: String,
    model: ClipModel,
    tokenizer: Tokenizer,
    image_size: usize,
    /// exp(logit_scale): what cosine similarities are multiplied by before the softmax.
    scale: f32,
    device: Device,
}

impl ZeroShotTagger {
    /// Loads from verified files: `config.json`, `model.safetensors`, `tokenizer.json`.
    pub fn load(files: &ModelFiles, device: &Device) -> Result<ZeroShotTagger, MlError> {
        let config = files.json::<HubConfig>("config.json")?.to_candle();
        let tokenizer_path = files.path("tokenizer.json")?;
        let mut tokenizer = files.tokenizer(tokenizer_path)?;
        // CLIP pools at the end-of-text token, the vocabulary's highest id; padding with
        // it keeps that position the first maximum.
        let end_of_text = "<|endoftext|>";
        let pad_id = tokenizer
            .token_to_id(end_of_text)
            .ok_or_else(|| files.failed(tokenizer_path, format!("no '{end_of_text}' token")))?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id,
            pad_token: end_of_text.into(),
            ..PaddingParams::default()
        }));
        // A label longer than the text model's positions keeps its start (and its
        // end-of-text token), as CLIP's own tokenizer truncates.
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: config.text_config.max_position_embeddings,
                ..TruncationParams::default()
            }))
            .map_err(|error| files.failed(tokenizer_path, error))?;
        let weights_path = files.path("model.safetensors")?;
        let tensors = files.tensors("model.safetensors", device)?;
        for name in [CLASS_EMBEDDING, LOGIT_SCALE] {
            if !tensors.contains_key(name) {
                return Err(files.failed(
                    weights_path,
                    format!("it has no tensor '{name}', which every CLIP checkpoint carries"),
                ));
            }
        }
        let scale = tensors
            .get(LOGIT_SCALE)
            .map(|tensor| tensor.flatten_all().and_then(|flat| flat.to_vec1::<f32>()))
            .transpose()
            .map_err(|error| files.failed(weights_path, error))?
            .and_then(|values| values.first().copied())
            .map_or(1.0, f32::exp);
        let model = ClipModel::new(
            VarBuilder::from_tensors(tensors, DType::F32, device),
            &config,
        )
        .map_err(|error| files.failed(weights_path, error))?;
        Ok(ZeroShotTagger {
            id: files.id.to_string(),
            model,
            tokenizer,
            image_size: config.image_size,
            scale,
            device: device.clone(),
        })
    }

    /// The side of the square photos go in at.
    pub fn image_size(&self) -> u32 {
        self.image_size as u32
    }

    /// What cosine similarities are multiplied by before a softmax over labels.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Each photo's embedding, of unit length.
    pub fn embed_images(&self, images: &[DynamicImage]) -> Result<Vec<Vec<f32>>, MlError> {
        if images.is_empty() {
            return Ok(Vec::new());
        }
        (|| -> candle_core::Result<Vec<Vec<f32>>> {
            let pixels = images
                .iter()
                .map(|image| {
                    normalised_pixels(image, self.image_size, Fit::CentreCrop, &self.device)
                })
                .collect::<candle_core::Result<Vec<_>>>()?;
            let features = self.model.get_image_features(&Tensor::stack(&pixels, 0)?)?;
            div_l2_norm(&features)?.to_vec2::<f32>()
        })()
        .map_err(|error| self.run_error(error))
    }

    /// Each text's embedding, of unit length.
    pub fn embed_texts(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, MlError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|error| self.run_error(error))?;
        (|| -> candle_core::Result<Vec<Vec<f32>>> {
            let ids: Vec<Vec<u32>> = encodings
                .iter()
                .map(|encoding| encoding.get_ids().to_vec())
                .collect();
            let features = self
                .model
                .get_text_features(&Tensor::new(ids, &self.device)?)?;
            div_l2_norm(&features)?.to_vec2::<f32>()
        })()
        .map_err(|error| self.run_error(error))
    }

    fn run_error(&self, detail: impl ToString) -> MlError {
        MlError::Run {
            id: self.id.clone(),
            detail: detail.to_string(),
        }
    }

    /// For each image, the probability of each label (softmax over the labels).
    pub fn tag(&self, images: &[DynamicImage], labels: &[&str]) -> Result<Vec<Vec<f32>>, MlError> {
        if images.is_empty() || labels.is_empty() {
            return Ok(vec![Vec::new(); images.len()]);
        }
        let texts = self.embed_texts(labels)?;
        Ok(self
            .embed_images(images)?
            .iter()
            .map(|image| probabilities(image, &texts, self.scale))
            .collect())
    }
}

/// The softmax over `labels` of the scaled cosine similarities to `image` (all of unit
/// length).
pub fn probabilities(image: &[f32], labels: &[Vec<f32>], scale: f32) -> Vec<f32> {
    let logits: Vec<f32> = labels
        .iter()
        .map(|label| scale * dot(image, label))
        .collect();
    softmax(&logits)
}

pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

pub fn softmax(logits: &[f32]) -> Vec<f32> {
    let top = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = logits.iter().map(|logit| (logit - top).exp()).collect();
    let total: f32 = exps.iter().sum();
    exps.into_iter().map(|value| value / total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{CLIP_ID, verified_fixture};

    fn solid(red: u8, green: u8, blue: u8) -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            40,
            30,
            image::Rgb([red, green, blue]),
        ))
    }

    /// The photo `scripts/bench/references.py` draws, at the model's own size so no
    /// resampling stands between the two.
    fn drawn_photo(size: u32) -> DynamicImage {
        DynamicImage::ImageRgb8(image::RgbImage::from_fn(size, size, |x, y| {
            image::Rgb([
                ((x * 7 + y * 3) % 256) as u8,
                ((x * y) % 256) as u8,
                ((x + 10 * y) % 256) as u8,
            ])
        }))
    }

    #[test]
    fn a_label_is_start_words_end_and_a_long_one_keeps_its_start_within_the_positions() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), CLIP_ID, 7).unwrap();
        let model_files = ModelFiles::new(CLIP_ID, &files);
        let tagger = ZeroShotTagger::load(&model_files, &Device::Cpu).unwrap();
        let id = |token: &str| tagger.tokenizer.token_to_id(token).unwrap();
        let (start, end) = (id("<|startoftext|>"), id("<|endoftext|>"));
        let ids = |text: &str| {
            tagger
                .tokenizer
                .encode(text, true)
                .unwrap()
                .get_ids()
                .to_vec()
        };
        assert_eq!(ids("red bag"), [start, id("red"), id("bag"), end]);
        // CLIP's text limit (77 positions in openai's checkpoints, 16 in the fixture's
        // config): a longer label is cut, its end-of-text token kept for the pooling.
        let limit = model_files
            .json::<HubConfig>("config.json")
            .unwrap()
            .to_candle()
            .text_config
            .max_position_embeddings;
        let long = ["red", "leather", "bag"].repeat(limit).join(" ");
        let cut = ids(&long);
        assert_eq!(cut.len(), limit);
        assert_eq!((cut[0], cut[1], cut[limit - 1]), (start, id("red"), end));
        assert_eq!(tagger.embed_texts(&[&long]).unwrap()[0].len(), 16);
    }

    #[test]
    fn image_and_text_embeddings_match_transformers_on_the_same_weights() {
        use crate::ml::fixtures::reference::{assert_close, floats, ids, record};
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), CLIP_ID, 7).unwrap();
        let model_files = ModelFiles::new(CLIP_ID, &files);
        let tagger = ZeroShotTagger::load(&model_files, &Device::Cpu).unwrap();
        let reference = record("clip", model_files.path("model.safetensors").unwrap());
        let image = tagger
            .embed_images(&[drawn_photo(tagger.image_size())])
            .unwrap();
        assert_close(&image[0], &floats(&reference["image"]), "image embedding");
        let texts: Vec<&str> = reference["texts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|text| text.as_str().unwrap())
            .collect();
        for (text, expected) in texts.iter().zip(reference["text_ids"].as_array().unwrap()) {
            let encoding = tagger.tokenizer.encode(*text, true).unwrap();
            assert_eq!(encoding.get_ids(), ids(expected), "{text}");
        }
        // Together, so the shorter texts are padded as the tagger pads them.
        let embeddings = tagger.embed_texts(&texts).unwrap();
        for ((text, ours), theirs) in texts
            .iter()
            .zip(&embeddings)
            .zip(reference["text_embeddings"].as_array().unwrap())
        {
            assert_close(ours, &floats(theirs), text);
        }
    }

    #[test]
    fn gives_each_photo_a_distribution_over_the_labels() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), CLIP_ID, 7).unwrap();
        let tagger = ZeroShotTagger::load(&ModelFiles::new(CLIP_ID, &files), &Device::Cpu).unwrap();
        let photos = [solid(200, 20, 20), solid(20, 20, 200)];
        let labels = ["red leather bag", "blue mug", "a steel knife set"];
        let scores = tagger.tag(&photos, &labels).unwrap();
        assert_eq!(scores.len(), 2);
        for row in &scores {
            assert_eq!(row.len(), 3);
            assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
        }
        assert_ne!(scores[0], scores[1], "different photos, different scores");
        let alone = tagger.tag(&photos[1..], &labels).unwrap();
        for (a, b) in alone[0].iter().zip(&scores[1]) {
            assert!((a - b).abs() < 1e-5);
        }
        assert!(tagger.tag(&photos, &[]).unwrap().iter().all(Vec::is_empty));
    }

    #[test]
    fn the_same_photo_and_labels_score_the_same_on_every_load() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), CLIP_ID, 7).unwrap();
        let load =
            || ZeroShotTagger::load(&ModelFiles::new(CLIP_ID, &files), &Device::Cpu).unwrap();
        let labels = ["red leather bag", "blue mug"];
        let photo = [solid(200, 20, 20)];
        let first = load().tag(&photo, &labels).unwrap();
        for _ in 0..2 {
            assert_eq!(load().tag(&photo, &labels).unwrap(), first);
        }
    }

    #[test]
    fn a_checkpoint_without_the_class_embedding_is_refused_not_made_up() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), CLIP_ID, 7).unwrap();
        let weights = files
            .iter()
            .find(|file| file.name == "model.safetensors")
            .unwrap();
        let mut tensors = candle_core::safetensors::load(&weights.path, &Device::Cpu).unwrap();
        tensors.remove(CLASS_EMBEDDING);
        candle_core::safetensors::save(&tensors, &weights.path).unwrap();
        let Err(error) = ZeroShotTagger::load(&ModelFiles::new(CLIP_ID, &files), &Device::Cpu)
        else {
            panic!("a checkpoint without its class embedding loaded");
        };
        let message = error.to_string();
        assert!(
            message.contains("model.safetensors") && message.contains(CLASS_EMBEDDING),
            "{message}"
        );
    }

    #[test]
    fn a_label_longer_than_the_text_model_is_cut_not_refused() {
        let dir = tempfile::tempdir().unwrap();
        let files = verified_fixture(dir.path(), CLIP_ID, 7).unwrap();
        let tagger = ZeroShotTagger::load(&ModelFiles::new(CLIP_ID, &files), &Device::Cpu).unwrap();
        let long = "red ".repeat(200);
        let scores = tagger
            .tag(&[solid(10, 10, 10)], &[long.as_str(), "blue mug"])
            .unwrap();
        assert_eq!(scores[0].len(), 2);
    }

    #[test]
    fn resizing_cuts_to_the_centre_when_asked() {
        let image = wide_red_left();
        let cut = resized(&image, 16, 16, true);
        assert!(
            cut.pixels().all(|pixel| pixel[0] > 200 && pixel[1] > 200),
            "the white middle only"
        );
        let squashed = resized(&image, 16, 16, false);
        assert!(squashed.get_pixel(0, 8)[1] < 80, "the red side stays");
    }

    fn wide_red_left() -> DynamicImage {
        let mut rgb = RgbImage::from_pixel(64, 32, image::Rgb([255, 255, 255]));
        for y in 0..32 {
            for x in 0..16 {
                rgb.put_pixel(x, y, image::Rgb([220, 0, 0]));
            }
        }
        DynamicImage::ImageRgb8(rgb)
    }

    #[test]
    fn a_photo_is_cut_to_its_centre_as_clip_was_trained_and_squashed_for_blip() {
        let mut wide = image::RgbImage::from_pixel(300, 100, image::Rgb([0, 0, 255]));
        for x in 100..200 {
            for y in 0..100 {
                wide.put_pixel(x, y, image::Rgb([255, 0, 0]));
            }
        }
        let wide = DynamicImage::ImageRgb8(wide);
        let centre = fitted(&wide, 32, Fit::CentreCrop);
        assert_eq!(centre.dimensions(), (32, 32));
        assert!(
            centre.pixels().all(|pixel| pixel[0] > 200 && pixel[2] < 60),
            "only the red middle"
        );
        let squashed = fitted(&wide, 32, Fit::Squash);
        assert_eq!(squashed.dimensions(), (32, 32));
        assert!(squashed.get_pixel(1, 16)[2] > 200, "the blue sides stay");
    }
}
