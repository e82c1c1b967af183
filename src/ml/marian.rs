//! Marian (opus-mt) translation with a decoder built for throughput rather than
//! candle-transformers' `marian::MTModel`, which re-projects the encoder output at
//! every step, grows its caches by concatenation and has no padding mask. Here:
//! - segments are sorted by length and batched, padding masked in every attention;
//! - cross-attention keys/values are computed once per batch;
//! - the self-attention cache is preallocated and written in place;
//! - finished rows leave the batch, so a long straggler does not drag the others;
//! - matrices are f32 or q8_0 (quantized once, cached as GGUF beside the model).
//!
//! All state of a translation lives in the call, so one loaded model serves any
//! number of callers.

use std::path::Path;

use candle_core::quantized::{GgmlDType, QMatMul, gguf_file};
use candle_core::{D, DType, Device, Module, Tensor};
use candle_nn::LayerNorm;
use serde::Deserialize;
use tokenizers::Tokenizer;

use super::MlError;
use super::weights::{Linear, ModelFiles, Precision, Weights, padded_batch, write_gguf};

const SOURCE_SHA_KEY: &str = "tradewind.source_sha256";
const LAYER_NORM_EPS: f64 = 1e-5;

/// The fields of an opus-mt `config.json` the model needs.
#[derive(Debug, Clone, Deserialize)]
pub struct MarianConfig {
    pub vocab_size: usize,
    pub decoder_vocab_size: Option<usize>,
    pub d_model: usize,
    pub encoder_layers: usize,
    pub decoder_layers: usize,
    pub encoder_attention_heads: usize,
    pub decoder_attention_heads: usize,
    pub encoder_ffn_dim: usize,
    pub decoder_ffn_dim: usize,
    pub max_position_embeddings: usize,
    #[serde(default = "swish")]
    pub activation_function: String,
    #[serde(default = "yes")]
    pub scale_embedding: bool,
    pub pad_token_id: u32,
    pub eos_token_id: u32,
    pub decoder_start_token_id: u32,
}

fn swish() -> String {
    "swish".into()
}

fn yes() -> bool {
    true
}

/// How a batch is decoded.
#[derive(Debug, Clone)]
pub struct DecodeOptions {
    /// Segments per batch; segments are sorted by length first.
    pub batch_size: usize,
    /// At most this many output tokens per segment; by default twice the segment's
    /// source tokens plus ten.
    pub max_new_tokens: Option<usize>,
    /// Keep decoding after the end-of-sentence token (benchmarks force a length).
    pub ignore_eos: bool,
}

impl Default for DecodeOptions {
    fn default() -> DecodeOptions {
        DecodeOptions {
            batch_size: 16,
            max_new_tokens: None,
            ignore_eos: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Translation {
    pub text: String,
    /// Tokens the decoder produced (for tokens/s).
    pub tokens: usize,
}

#[derive(Debug, Clone, Copy)]
enum Activation {
    Swish,
    Relu,
    Gelu,
}

impl Activation {
    fn parse(name: &str) -> Option<Activation> {
        match name {
            "swish" | "silu" => Some(Activation::Swish),
            "relu" => Some(Activation::Relu),
            "gelu" | "gelu_new" => Some(Activation::Gelu),
            _ => None,
        }
    }

    fn apply(self, xs: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Activation::Swish => candle_nn::ops::silu(xs),
            Activation::Relu => xs.relu(),
            Activation::Gelu => xs.gelu_erf(),
        }
    }
}

fn layer_norm(weights: &Weights, prefix: &str) -> candle_core::Result<LayerNorm> {
    Ok(LayerNorm::new(
        weights.tensor(&format!("{prefix}.weight"))?,
        weights.tensor(&format!("{prefix}.bias"))?,
        LAYER_NORM_EPS,
    ))
}

struct Attention {
    q: Linear,
    k: Linear,
    v: Linear,
    out: Linear,
    heads: usize,
    head_dim: usize,
    scaling: f64,
}

impl Attention {
    fn load(
        weights: &Weights,
        prefix: &str,
        heads: usize,
        d_model: usize,
    ) -> candle_core::Result<Attention> {
        let head_dim = d_model / heads;
        Ok(Attention {
            q: Linear::load(weights, &format!("{prefix}.q_proj"))?,
            k: Linear::load(weights, &format!("{prefix}.k_proj"))?,
            v: Linear::load(weights, &format!("{prefix}.v_proj"))?,
            out: Linear::load(weights, &format!("{prefix}.out_proj"))?,
            heads,
            head_dim,
            scaling: (head_dim as f64).powf(-0.5),
        })
    }

    /// `[B, T, D]` → `[B, H, T, D/H]`.
    fn split_heads(&self, xs: &Tensor) -> candle_core::Result<Tensor> {
        let (batch, length, _) = xs.dims3()?;
        xs.reshape((batch, length, self.heads, self.head_dim))?
            .transpose(1, 2)?
            .contiguous()
    }

    fn query(&self, xs: &Tensor) -> candle_core::Result<Tensor> {
        self.split_heads(&(self.q.forward(xs)? * self.scaling)?)
    }

    fn keys_values(&self, xs: &Tensor) -> candle_core::Result<(Tensor, Tensor)> {
        Ok((
            self.split_heads(&self.k.forward(xs)?)?,
            self.split_heads(&self.v.forward(xs)?)?,
        ))
    }

    /// Attends with queries `[B, H, Tq, Dh]` over keys/values `[B, H, Tk, Dh]`;
    /// `mask` is added to the scores (`[B, 1, 1, Tk]`, −∞ at padding).
    fn attend(
        &self,
        query: &Tensor,
        keys: &Tensor,
        values: &Tensor,
        mask: Option<&Tensor>,
    ) -> candle_core::Result<Tensor> {
        let (batch, _, length, _) = query.dims4()?;
        let mut scores = query.matmul(&keys.t()?)?;
        if let Some(mask) = mask {
            scores = scores.broadcast_add(mask)?;
        }
        let probabilities = candle_nn::ops::softmax_last_dim(&scores)?;
        let context = probabilities.matmul(values)?.transpose(1, 2)?.reshape((
            batch,
            length,
            self.heads * self.head_dim,
        ))?;
        self.out.forward(&context)
    }
}

struct FeedForward {
    fc1: Linear,
    fc2: Linear,
    activation: Activation,
}

impl FeedForward {
    fn load(
        weights: &Weights,
        prefix: &str,
        activation: Activation,
    ) -> candle_core::Result<FeedForward> {
        Ok(FeedForward {
            fc1: Linear::load(weights, &format!("{prefix}.fc1"))?,
            fc2: Linear::load(weights, &format!("{prefix}.fc2"))?,
            activation,
        })
    }

    fn forward(&self, xs: &Tensor) -> candle_core::Result<Tensor> {
        self.fc2
            .forward(&self.activation.apply(&self.fc1.forward(xs)?)?)
    }
}

struct EncoderLayer {
    attention: Attention,
    attention_norm: LayerNorm,
    feed_forward: FeedForward,
    final_norm: LayerNorm,
}

impl EncoderLayer {
    fn forward(&self, xs: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let query = self.attention.query(xs)?;
        let (keys, values) = self.attention.keys_values(xs)?;
        let attended = self.attention.attend(&query, &keys, &values, Some(mask))?;
        let xs = self.attention_norm.forward(&(attended + xs)?)?;
        self.final_norm
            .forward(&(self.feed_forward.forward(&xs)? + &xs)?)
    }
}

struct DecoderLayer {
    self_attention: Attention,
    self_attention_norm: LayerNorm,
    cross_attention: Attention,
    cross_attention_norm: LayerNorm,
    feed_forward: FeedForward,
    final_norm: LayerNorm,
}

/// One decoder layer's state for a batch: the preallocated self-attention cache and
/// the encoder's keys/values for cross-attention, all `[B, H, T, Dh]`.
struct LayerState {
    keys: Tensor,
    values: Tensor,
    cross_keys: Tensor,
    cross_values: Tensor,
}

impl LayerState {
    fn keep_rows(&mut self, rows: &Tensor) -> candle_core::Result<()> {
        self.keys = self.keys.index_select(rows, 0)?;
        self.values = self.values.index_select(rows, 0)?;
        self.cross_keys = self.cross_keys.index_select(rows, 0)?;
        self.cross_values = self.cross_values.index_select(rows, 0)?;
        Ok(())
    }
}

impl DecoderLayer {
    /// One decoding step for `xs` `[B, 1, D]` at position `step`.
    fn step(
        &self,
        xs: &Tensor,
        step: usize,
        state: &LayerState,
        source_mask: &Tensor,
    ) -> candle_core::Result<Tensor> {
        let query = self.self_attention.query(xs)?;
        let (key, value) = self.self_attention.keys_values(xs)?;
        state.keys.slice_set(&key, 2, step)?;
        state.values.slice_set(&value, 2, step)?;
        let keys = state.keys.narrow(2, 0, step + 1)?;
        let values = state.values.narrow(2, 0, step + 1)?;
        let attended = self.self_attention.attend(&query, &keys, &values, None)?;
        let xs = self.self_attention_norm.forward(&(attended + xs)?)?;

        let query = self.cross_attention.query(&xs)?;
        let attended = self.cross_attention.attend(
            &query,
            &state.cross_keys,
            &state.cross_values,
            Some(source_mask),
        )?;
        let xs = self.cross_attention_norm.forward(&(attended + &xs)?)?;
        self.final_norm
            .forward(&(self.feed_forward.forward(&xs)? + &xs)?)
    }
}

pub struct MarianTranslator {
    id: String,
    config: MarianConfig,
    precision: Precision,
    embeddings: Tensor,
    embed_scale: f64,
    positions: Tensor,
    encoder: Vec<EncoderLayer>,
    decoder: Vec<DecoderLayer>,
    lm_head: QMatMul,
    /// `final_logits_bias` with −∞ at the padding token, which must never be chosen.
    logits_bias: Tensor,
    source_tokenizer: Tokenizer,
    target_tokenizer: Tokenizer,
    device: Device,
}

/// The sinusoidal position table Marian uses (sines in the first half, cosines in
/// the second), `[positions, d_model]`.
fn sinusoidal_positions(
    positions: usize,
    dim: usize,
    device: &Device,
) -> candle_core::Result<Tensor> {
    let half = dim / 2;
    let mut table = vec![0f32; positions * dim];
    for position in 0..positions {
        for i in 0..half {
            let angle = position as f64 / 10000f64.powf(2.0 * i as f64 / dim as f64);
            table[position * dim + i] = angle.sin() as f32;
            table[position * dim + half + i] = angle.cos() as f32;
        }
    }
    Tensor::from_vec(table, (positions, dim), device)
}

impl MarianTranslator {
    /// Loads from verified files: `config.json`, `model.safetensors`, and the source
    /// and target tokenizers (roles `source-tokenizer`, `target-tokenizer`). For q8_0,
    /// `quantized_cache` names where the quantized weights are kept between loads.
    pub fn load(
        files: &ModelFiles,
        device: &Device,
        precision: Precision,
        quantized_cache: Option<&Path>,
    ) -> Result<MarianTranslator, MlError> {
        let config: MarianConfig = files.json("config.json")?;
        let activation = Activation::parse(&config.activation_function).ok_or_else(|| {
            files.failed(
                Path::new("config.json"),
                format!(
                    "unsupported activation_function '{}'",
                    config.activation_function
                ),
            )
        })?;
        let source_tokenizer = Self::tokenizer(files, "source")?;
        let target_tokenizer = Self::tokenizer(files, "target")?;
        let weights = Self::weights(files, device, precision, quantized_cache)?;
        let weights_path = files.path(Self::weights_name(files))?;
        let built = Self::build(
            &config,
            activation,
            &weights,
            device,
            source_tokenizer,
            target_tokenizer,
        )
        .map_err(|error| files.failed(weights_path, error))?;
        Ok(MarianTranslator {
            id: files.id.to_string(),
            precision,
            ..built
        })
    }

    /// A side's tokenizer: converted from `<side>.spm` and `vocab.json` as opus-mt
    /// ships them, else a tokenizer.json (role `<side>-tokenizer`).
    fn tokenizer(files: &ModelFiles, side: &str) -> Result<Tokenizer, MlError> {
        let spm = format!("{side}.spm");
        if files.has(&spm) {
            let spm = files.path(&spm)?;
            return super::sentencepiece::marian_tokenizer(spm, files.path("vocab.json")?)
                .map_err(|error| files.failed(spm, error));
        }
        let role = format!("{side}-tokenizer");
        files.tokenizer(files.by_role(&role, &format!("{role}.json"))?)
    }

    /// model.safetensors where the catalog has it, else the PyTorch checkpoint.
    fn weights_name(files: &ModelFiles) -> &'static str {
        if files.has("pytorch_model.bin") && !files.has("model.safetensors") {
            "pytorch_model.bin"
        } else {
            "model.safetensors"
        }
    }

    fn weights(
        files: &ModelFiles,
        device: &Device,
        precision: Precision,
        quantized_cache: Option<&Path>,
    ) -> Result<Weights, MlError> {
        let name = Self::weights_name(files);
        let (Precision::Q8_0, Some(cache)) = (precision, quantized_cache) else {
            return Ok(files
                .safetensors(name, device)?
                .quantized_on_load(precision));
        };
        let source_sha = files
            .files
            .iter()
            .find(|file| file.name == name)
            .map(|file| file.sha256.clone())
            .unwrap_or_default();
        if cached_source_sha(cache).as_deref() != Some(source_sha.as_str()) {
            write_gguf(
                cache,
                &files.tensors(name, device)?,
                GgmlDType::Q8_0,
                |name| {
                    name.ends_with("_proj.weight")
                        || name.ends_with("fc1.weight")
                        || name.ends_with("fc2.weight")
                        || name == "model.shared.weight"
                },
                &[(SOURCE_SHA_KEY, gguf_file::Value::String(source_sha))],
            )?;
        }
        files.gguf(cache, device)
    }

    fn build(
        config: &MarianConfig,
        activation: Activation,
        weights: &Weights,
        device: &Device,
        source_tokenizer: Tokenizer,
        target_tokenizer: Tokenizer,
    ) -> candle_core::Result<MarianTranslator> {
        let d_model = config.d_model;
        let encoder = (0..config.encoder_layers)
            .map(|index| {
                let prefix = format!("model.encoder.layers.{index}");
                Ok(EncoderLayer {
                    attention: Attention::load(
                        weights,
                        &format!("{prefix}.self_attn"),
                        config.encoder_attention_heads,
                        d_model,
                    )?,
                    attention_norm: layer_norm(weights, &format!("{prefix}.self_attn_layer_norm"))?,
                    feed_forward: FeedForward::load(weights, &prefix, activation)?,
                    final_norm: layer_norm(weights, &format!("{prefix}.final_layer_norm"))?,
                })
            })
            .collect::<candle_core::Result<_>>()?;
        let decoder = (0..config.decoder_layers)
            .map(|index| {
                let prefix = format!("model.decoder.layers.{index}");
                let heads = config.decoder_attention_heads;
                Ok(DecoderLayer {
                    self_attention: Attention::load(
                        weights,
                        &format!("{prefix}.self_attn"),
                        heads,
                        d_model,
                    )?,
                    self_attention_norm: layer_norm(
                        weights,
                        &format!("{prefix}.self_attn_layer_norm"),
                    )?,
                    cross_attention: Attention::load(
                        weights,
                        &format!("{prefix}.encoder_attn"),
                        heads,
                        d_model,
                    )?,
                    cross_attention_norm: layer_norm(
                        weights,
                        &format!("{prefix}.encoder_attn_layer_norm"),
                    )?,
                    feed_forward: FeedForward::load(weights, &prefix, activation)?,
                    final_norm: layer_norm(weights, &format!("{prefix}.final_layer_norm"))?,
                })
            })
            .collect::<candle_core::Result<_>>()?;

        let target_vocab = config.decoder_vocab_size.unwrap_or(config.vocab_size);
        let mut bias = weights
            .tensor("final_logits_bias")?
            .flatten_all()?
            .to_vec1::<f32>()?;
        if let Some(pad) = bias.get_mut(config.pad_token_id as usize) {
            *pad = f32::NEG_INFINITY;
        }
        if bias.len() != target_vocab {
            candle_core::bail!(
                "final_logits_bias has {} entries, the config says {target_vocab}",
                bias.len()
            );
        }
        Ok(MarianTranslator {
            id: String::new(),
            config: config.clone(),
            precision: Precision::F32,
            embeddings: weights.tensor("model.shared.weight")?,
            embed_scale: if config.scale_embedding {
                (d_model as f64).sqrt()
            } else {
                1.0
            },
            positions: sinusoidal_positions(config.max_position_embeddings, d_model, device)?,
            encoder,
            decoder,
            lm_head: weights.matrix("model.shared.weight")?,
            logits_bias: Tensor::from_vec(bias, target_vocab, device)?,
            source_tokenizer,
            target_tokenizer,
            device: device.clone(),
        })
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Token ids of `texts` as the encoder takes them: ending with `</s>`, no longer
    /// than the model's positions.
    pub fn source_ids(&self, texts: &[&str]) -> Result<Vec<Vec<u32>>, MlError> {
        let eos = self.config.eos_token_id;
        let longest = self.config.max_position_embeddings;
        let encodings = self
            .source_tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|error| self.run_error(error))?;
        Ok(encodings
            .iter()
            .map(|encoding| {
                let mut ids = encoding.get_ids().to_vec();
                if ids.last() != Some(&eos) {
                    ids.push(eos);
                }
                if ids.len() > longest {
                    ids.truncate(longest - 1);
                    ids.push(eos);
                }
                ids
            })
            .collect())
    }

    /// Translates every text, batching texts of similar length; results in input order.
    pub fn translate(
        &self,
        texts: &[&str],
        options: &DecodeOptions,
    ) -> Result<Vec<Translation>, MlError> {
        let sources = self.source_ids(texts)?;
        let mut order: Vec<usize> = (0..sources.len()).collect();
        order.sort_by_key(|&index| sources[index].len());
        let mut results = vec![None; sources.len()];
        for chunk in order.chunks(options.batch_size.max(1)) {
            let rows: Vec<Vec<u32>> = chunk.iter().map(|&index| sources[index].clone()).collect();
            let outputs = self
                .generate(&rows, options)
                .map_err(|error| self.run_error(error))?;
            for (&index, tokens) in chunk.iter().zip(outputs) {
                let text = self
                    .target_tokenizer
                    .decode(&tokens, true)
                    .map_err(|error| self.run_error(error))?;
                results[index] = Some(Translation {
                    text,
                    tokens: tokens.len(),
                });
            }
        }
        Ok(results.into_iter().flatten().collect())
    }

    fn run_error(&self, detail: impl ToString) -> MlError {
        MlError::Run {
            id: self.id.clone(),
            detail: detail.to_string(),
        }
    }

    fn embed(&self, ids: &Tensor, first_position: usize) -> candle_core::Result<Tensor> {
        let (batch, length) = ids.dims2()?;
        let tokens = self
            .embeddings
            .index_select(&ids.flatten_all()?, 0)?
            .reshape((batch, length, self.config.d_model))?;
        let positions = self.positions.narrow(0, first_position, length)?;
        (tokens * self.embed_scale)?.broadcast_add(&positions)
    }

    /// Greedy decoding of one batch of source rows; the output tokens of each row,
    /// without the start and end tokens.
    pub fn generate(
        &self,
        rows: &[Vec<u32>],
        options: &DecodeOptions,
    ) -> candle_core::Result<Vec<Vec<u32>>> {
        let config = &self.config;
        let (ids, _) = padded_batch(rows, config.pad_token_id, &self.device)?;
        let (batch, source_length) = ids.dims2()?;
        let mask_values: Vec<f32> = rows
            .iter()
            .flat_map(|row| {
                (0..source_length).map(move |position| {
                    if position < row.len() {
                        0.0
                    } else {
                        f32::NEG_INFINITY
                    }
                })
            })
            .collect();
        let mut source_mask =
            Tensor::from_vec(mask_values, (batch, 1, 1, source_length), &self.device)?;

        let mut encoded = self.embed(&ids, 0)?;
        for layer in &self.encoder {
            encoded = layer.forward(&encoded, &source_mask)?;
        }

        let room = config.max_position_embeddings;
        // Each row's own budget, so a row's output does not depend on its batch.
        let limits: Vec<usize> = rows
            .iter()
            .map(|row| {
                options
                    .max_new_tokens
                    .unwrap_or(2 * row.len() + 10)
                    .min(room)
            })
            .collect();
        let max_new = limits.iter().copied().max().unwrap_or(0);
        let heads = config.decoder_attention_heads;
        let head_dim = config.d_model / heads;
        let mut states = self
            .decoder
            .iter()
            .map(|layer| {
                let (cross_keys, cross_values) = layer.cross_attention.keys_values(&encoded)?;
                Ok(LayerState {
                    keys: Tensor::zeros(
                        (batch, heads, max_new, head_dim),
                        DType::F32,
                        &self.device,
                    )?,
                    values: Tensor::zeros(
                        (batch, heads, max_new, head_dim),
                        DType::F32,
                        &self.device,
                    )?,
                    cross_keys,
                    cross_values,
                })
            })
            .collect::<candle_core::Result<Vec<_>>>()?;

        let mut outputs = vec![Vec::new(); batch];
        // Which output row each row of the shrinking batch belongs to.
        let mut active: Vec<usize> = (0..batch).collect();
        let mut current = vec![config.decoder_start_token_id; batch];
        for step in 0..max_new {
            let input = Tensor::from_vec(current.clone(), (active.len(), 1), &self.device)?;
            let mut xs = self.embed(&input, step)?;
            for (layer, state) in self.decoder.iter().zip(&states) {
                xs = layer.step(&xs, step, state, &source_mask)?;
            }
            let logits = self
                .lm_head
                .forward(&xs.squeeze(1)?)?
                .broadcast_add(&self.logits_bias)?;
            let next = logits.argmax(D::Minus1)?.to_vec1::<u32>()?;

            let mut kept = Vec::with_capacity(active.len());
            current.clear();
            for (row, (&output, token)) in active.iter().zip(next).enumerate() {
                if token == config.eos_token_id && !options.ignore_eos {
                    continue;
                }
                outputs[output].push(token);
                if outputs[output].len() < limits[output] {
                    kept.push(row as u32);
                    current.push(token);
                }
            }
            if kept.is_empty() {
                break;
            }
            if kept.len() < active.len() {
                active = kept.iter().map(|&row| active[row as usize]).collect();
                let rows = Tensor::new(kept.as_slice(), &self.device)?;
                for state in &mut states {
                    state.keep_rows(&rows)?;
                }
                source_mask = source_mask.index_select(&rows, 0)?;
            }
        }
        Ok(outputs)
    }
}

/// The source checksum a quantized cache was made from, if it is a readable GGUF.
fn cached_source_sha(path: &Path) -> Option<String> {
    let mut file = std::io::BufReader::new(std::fs::File::open(path).ok()?);
    let content = gguf_file::Content::read(&mut file).ok()?;
    content
        .metadata
        .get(SOURCE_SHA_KEY)?
        .to_string()
        .ok()
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ml::fixtures::{MARIAN_EN_DE_ID, MARIAN_EN_FR_ID, verified_fixture};
    use crate::ml::marian_baseline::StockMarian;
    use crate::ml::store::VerifiedFile;

    const TEXTS: &[&str] = &[
        "red mug",
        "a large black canvas tote bag with a steel bottle for men and women",
        "the small white ceramic lamp",
        "blue wool",
    ];

    fn fixture(dir: &Path) -> Vec<VerifiedFile> {
        verified_fixture(dir, MARIAN_EN_DE_ID, 7).unwrap()
    }

    fn load(
        files: &[VerifiedFile],
        precision: Precision,
        cache: Option<&Path>,
    ) -> MarianTranslator {
        MarianTranslator::load(
            &ModelFiles::new(MARIAN_EN_DE_ID, files),
            &Device::Cpu,
            precision,
            cache,
        )
        .unwrap()
    }

    fn fixed_length(batch_size: usize) -> DecodeOptions {
        DecodeOptions {
            batch_size,
            max_new_tokens: Some(12),
            ignore_eos: true,
        }
    }

    #[test]
    fn agrees_token_for_token_with_candles_stock_marian() {
        let dir = tempfile::tempdir().unwrap();
        let files = fixture(dir.path());
        let translator = load(&files, Precision::F32, None);
        let model_files = ModelFiles::new(MARIAN_EN_DE_ID, &files);
        let config: MarianConfig = model_files.json("config.json").unwrap();
        let weights = model_files
            .tensors("model.safetensors", &Device::Cpu)
            .unwrap();
        let mut stock = StockMarian::new(
            &config,
            candle_nn::VarBuilder::from_tensors(weights, DType::F32, &Device::Cpu),
        )
        .unwrap();

        let sources = translator.source_ids(TEXTS).unwrap();
        let ours = translator.generate(&sources, &fixed_length(4)).unwrap();
        for (source, tokens) in sources.iter().zip(&ours) {
            assert_eq!(source.last(), Some(&0), "the source ends with </s>");
            assert_eq!(tokens.len(), 12);
            assert_eq!(
                *tokens,
                stock
                    .greedy(std::slice::from_ref(source), 12, true)
                    .unwrap()[0]
            );
        }
    }

    #[test]
    fn a_segment_translates_the_same_alone_and_in_a_padded_batch_and_on_every_load() {
        let dir = tempfile::tempdir().unwrap();
        let files = fixture(dir.path());
        let translator = load(&files, Precision::F32, None);
        let batched = translator
            .translate(TEXTS, &DecodeOptions::default())
            .unwrap();
        assert_eq!(batched.len(), TEXTS.len());
        for (text, translation) in TEXTS.iter().zip(&batched) {
            let alone = translator
                .translate(&[text], &DecodeOptions::default())
                .unwrap();
            assert_eq!(alone[0], *translation, "{text}");
            assert!(translation.tokens <= 2 * 64 + 10);
        }
        let again = load(&files, Precision::F32, None)
            .translate(
                TEXTS,
                &DecodeOptions {
                    batch_size: 3,
                    ..DecodeOptions::default()
                },
            )
            .unwrap();
        assert_eq!(again, batched);
        assert!(
            translator
                .translate(&[], &DecodeOptions::default())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn q8_0_weights_are_quantized_once_cached_and_rebuilt_when_the_model_changes() {
        let dir = tempfile::tempdir().unwrap();
        let files = fixture(dir.path());
        let cache = dir.path().join("q8_0.gguf");
        let first = load(&files, Precision::Q8_0, Some(&cache));
        assert_eq!(first.precision(), Precision::Q8_0);
        let written = std::fs::metadata(&cache).unwrap().modified().unwrap();
        let outputs = first.translate(TEXTS, &fixed_length(4)).unwrap();

        let second = load(&files, Precision::Q8_0, Some(&cache));
        assert_eq!(
            std::fs::metadata(&cache).unwrap().modified().unwrap(),
            written
        );
        assert_eq!(second.translate(TEXTS, &fixed_length(4)).unwrap(), outputs);

        // Another model's cache (its source checksum differs) is not used.
        let mut changed = files.clone();
        for file in &mut changed {
            if file.name == "model.safetensors" {
                file.sha256 = "0".repeat(64);
            }
        }
        load(&changed, Precision::Q8_0, Some(&cache));
        assert_eq!(cached_source_sha(&cache).unwrap(), "0".repeat(64));

        // Quantized matmuls stay close to f32: most greedy tokens agree.
        let f32_outputs = load(&files, Precision::F32, None)
            .translate(TEXTS, &fixed_length(4))
            .unwrap();
        let same = outputs
            .iter()
            .zip(&f32_outputs)
            .filter(|(q8, f32)| q8.text == f32.text)
            .count();
        assert!(same * 2 >= TEXTS.len(), "{outputs:?} vs {f32_outputs:?}");
    }

    #[test]
    fn sentencepiece_files_tokenize_as_the_converted_tokenizers_do() {
        let dir = tempfile::tempdir().unwrap();
        let converted = fixture(dir.path());
        let shipped = verified_fixture(dir.path(), MARIAN_EN_FR_ID, 7).unwrap();
        assert!(shipped.iter().any(|file| file.name == "source.spm"));
        let from_spm = MarianTranslator::load(
            &ModelFiles::new(MARIAN_EN_FR_ID, &shipped),
            &Device::Cpu,
            Precision::F32,
            None,
        )
        .unwrap();
        let texts = ["red leather handbag, for women!", "the small mug"];
        let expected = load(&converted, Precision::F32, None)
            .source_ids(&texts)
            .unwrap();
        assert_eq!(from_spm.source_ids(&texts).unwrap(), expected);
        // SentencePiece folds runs of spaces, as the real models were trained.
        assert_eq!(
            from_spm.source_ids(&["the   small  mug"]).unwrap()[0],
            expected[1]
        );
        let translated = from_spm.translate(&texts, &fixed_length(2)).unwrap();
        assert!(
            translated
                .iter()
                .all(|translation| translation.tokens == 12)
        );
    }

    #[test]
    fn a_missing_tensor_is_a_load_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut files = fixture(dir.path());
        let config = files
            .iter()
            .find(|file| file.name == "config.json")
            .unwrap()
            .path
            .clone();
        let text = std::fs::read_to_string(&config)
            .unwrap()
            .replace("\"decoder_layers\":2", "\"decoder_layers\":3");
        std::fs::write(&config, text).unwrap();
        files.retain(|file| file.name != "nothing");
        let Err(error) = MarianTranslator::load(
            &ModelFiles::new(MARIAN_EN_DE_ID, &files),
            &Device::Cpu,
            Precision::F32,
            None,
        ) else {
            panic!("a model with a missing layer loaded");
        };
        let message = error.to_string();
        assert!(message.contains("model.safetensors"), "{message}");
        assert!(message.contains("model.decoder.layers.2"), "{message}");
    }
}
