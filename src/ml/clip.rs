//! Zero-shot photo tags with CLIP (candle-transformers' `clip`): the probability of
//! each candidate label for each photo. The configuration comes from the Hub's
//! config.json, with ViT-B/32's values for anything it leaves out.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::clip::text_model::{Activation, ClipTextConfig};
use candle_transformers::models::clip::vision_model::ClipVisionConfig;
use candle_transformers::models::clip::{ClipConfig, ClipModel};
use image::DynamicImage;
use serde::Deserialize;
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer};

use super::MlError;
use super::weights::ModelFiles;

/// CLIP's pixel normalisation (OpenAI's training statistics).
const MEAN: [f32; 3] = [0.481_454_66, 0.457_827_5, 0.408_210_73];
const STD: [f32; 3] = [0.268_629_54, 0.261_302_6, 0.275_777_1];

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

/// `[3, S, S]`: resized to `size`², scaled to 0..1 and normalised per channel with
/// CLIP's statistics (BLIP uses the same).
pub fn normalised_pixels(
    image: &DynamicImage,
    size: usize,
    device: &Device,
) -> candle_core::Result<Tensor> {
    let rgb = image
        .resize_exact(
            size as u32,
            size as u32,
            image::imageops::FilterType::Triangle,
        )
        .to_rgb8();
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
        let weights_path = files.path("model.safetensors")?;
        let tensors = files.tensors("model.safetensors", device)?;
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
            device: device.clone(),
        })
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
        let encodings = self
            .tokenizer
            .encode_batch(labels.to_vec(), true)
            .map_err(|error| self.run_error(error))?;
        (|| -> candle_core::Result<Vec<Vec<f32>>> {
            let ids: Vec<Vec<u32>> = encodings
                .iter()
                .map(|encoding| encoding.get_ids().to_vec())
                .collect();
            let ids = Tensor::new(ids, &self.device)?;
            let pixels = images
                .iter()
                .map(|image| normalised_pixels(image, self.image_size, &self.device))
                .collect::<candle_core::Result<Vec<_>>>()?;
            let pixels = Tensor::stack(&pixels, 0)?;
            let (_, per_image) = self.model.forward(&pixels, &ids)?;
            candle_nn::ops::softmax_last_dim(&per_image.contiguous()?)?.to_vec2::<f32>()
        })()
        .map_err(|error| self.run_error(error))
    }
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
}
