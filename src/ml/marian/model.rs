//! The opus-mt network: its configuration, its layers built from the checkpoint's
//! tensors (names as in the Hugging Face checkpoint), the encoder, and one step of the
//! decoder over a batch with its caches.

use candle_core::{DType, Device, Module, Tensor};
use candle_nn::LayerNorm;
use serde::Deserialize;

use super::attention;
use crate::ml::weights::{Activation, Embedding, Linear, Weights};

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

fn layer_norm(weights: &Weights, prefix: &str) -> candle_core::Result<LayerNorm> {
    Ok(LayerNorm::new(
        weights.tensor(&format!("{prefix}.weight"))?,
        weights.tensor(&format!("{prefix}.bias"))?,
        LAYER_NORM_EPS,
    ))
}

pub(super) struct Attention {
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

    pub(super) fn keys_values(&self, xs: &Tensor) -> candle_core::Result<(Tensor, Tensor)> {
        Ok((
            self.split_heads(&self.k.forward(xs)?)?,
            self.split_heads(&self.v.forward(xs)?)?,
        ))
    }

    /// Attends with the queries of `xs` (`[B, Tq, D]`, the layer's input) over
    /// keys/values `[B, H, Tk, Dh]`; `mask` is added to the scores (`[B, 1, 1, Tk]`, −∞
    /// at padding). One query position on the CPU takes the fused path
    /// (`attention::one_position`), anything else candle's ops.
    fn attend(
        &self,
        xs: &Tensor,
        keys: &Tensor,
        values: &Tensor,
        mask: Option<&Tensor>,
    ) -> candle_core::Result<Tensor> {
        let (batch, length, _) = xs.dims3()?;
        let projected = self.q.forward(xs)?;
        if length == 1 {
            let query = projected.reshape((batch, self.heads, 1, self.head_dim))?;
            let scaling = self.scaling as f32;
            if let Some(context) = attention::one_position(&query, keys, values, mask, scaling)? {
                return self.out.forward(&context);
            }
        }
        let query = self.split_heads(&(projected * self.scaling)?)?;
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

pub(super) struct FeedForward {
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
            .forward(&self.fc1.forward_activated(xs, Some(self.activation))?)
    }
}

pub(super) struct EncoderLayer {
    attention: Attention,
    attention_norm: LayerNorm,
    feed_forward: FeedForward,
    final_norm: LayerNorm,
}

impl EncoderLayer {
    pub(super) fn forward(&self, xs: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let (keys, values) = self.attention.keys_values(xs)?;
        let attended = self.attention.attend(xs, &keys, &values, Some(mask))?;
        let xs = self.attention_norm.forward(&(attended + xs)?)?;
        self.final_norm
            .forward(&(self.feed_forward.forward(&xs)? + &xs)?)
    }
}

pub(super) struct DecoderLayer {
    self_attention: Attention,
    self_attention_norm: LayerNorm,
    cross_attention: Attention,
    cross_attention_norm: LayerNorm,
    feed_forward: FeedForward,
    final_norm: LayerNorm,
}

/// One decoder layer's state for a batch: the preallocated self-attention cache and
/// the encoder's keys/values for cross-attention, all `[B, H, T, Dh]`.
pub(super) struct LayerState {
    keys: Tensor,
    values: Tensor,
    cross_keys: Tensor,
    cross_values: Tensor,
}

impl LayerState {
    pub(super) fn keep_rows(&mut self, rows: &Tensor) -> candle_core::Result<()> {
        self.keys = self.keys.index_select(rows, 0)?;
        self.values = self.values.index_select(rows, 0)?;
        self.cross_keys = self.cross_keys.index_select(rows, 0)?;
        self.cross_values = self.cross_values.index_select(rows, 0)?;
        Ok(())
    }
}

impl DecoderLayer {
    /// One decoding step for `xs` `[B, 1, D]` at position `step`.
    pub(super) fn step(
        &self,
        xs: &Tensor,
        step: usize,
        state: &LayerState,
        source_mask: &Tensor,
    ) -> candle_core::Result<Tensor> {
        let (key, value) = self.self_attention.keys_values(xs)?;
        state.keys.slice_set(&key, 2, step)?;
        state.values.slice_set(&value, 2, step)?;
        let keys = state.keys.narrow(2, 0, step + 1)?;
        let values = state.values.narrow(2, 0, step + 1)?;
        let attended = self.self_attention.attend(xs, &keys, &values, None)?;
        let xs = self.self_attention_norm.forward(&(attended + xs)?)?;

        let attended = self.cross_attention.attend(
            &xs,
            &state.cross_keys,
            &state.cross_values,
            Some(source_mask),
        )?;
        let xs = self.cross_attention_norm.forward(&(attended + &xs)?)?;
        self.final_norm
            .forward(&(self.feed_forward.forward(&xs)? + &xs)?)
    }
}

/// The network of one opus-mt model, ready to encode and decode.
pub struct MarianNetwork {
    pub config: MarianConfig,
    embeddings: Embedding,
    embed_scale: f64,
    positions: Tensor,
    encoder: Vec<EncoderLayer>,
    decoder: Vec<DecoderLayer>,
    /// The shared embeddings, with `final_logits_bias` as its bias (−∞ at the padding
    /// token, which must never be chosen).
    lm_head: Linear,
    pub device: Device,
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

impl MarianNetwork {
    /// The network from a checkpoint's tensors; every tensor the config implies must
    /// be there.
    pub fn build(
        config: &MarianConfig,
        activation: Activation,
        weights: &Weights,
        device: &Device,
    ) -> candle_core::Result<MarianNetwork> {
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
        Ok(MarianNetwork {
            config: config.clone(),
            embeddings: weights.embedding("model.shared.weight")?,
            embed_scale: if config.scale_embedding {
                (d_model as f64).sqrt()
            } else {
                1.0
            },
            positions: sinusoidal_positions(config.max_position_embeddings, d_model, device)?,
            encoder,
            decoder,
            lm_head: Linear::of(
                weights,
                "model.shared.weight",
                Some(Tensor::from_vec(bias, target_vocab, device)?),
            )?,
            device: device.clone(),
        })
    }

    fn embed(&self, ids: &Tensor, first_position: usize) -> candle_core::Result<Tensor> {
        let (batch, length) = ids.dims2()?;
        let tokens = self.embeddings.rows(&ids.flatten_all()?)?.reshape((
            batch,
            length,
            self.config.d_model,
        ))?;
        let positions = self.positions.narrow(0, first_position, length)?;
        (tokens * self.embed_scale)?.broadcast_add(&positions)
    }

    /// The encoder's output for a batch of token ids, `source_mask` hiding padding.
    pub fn encode(&self, ids: &Tensor, source_mask: &Tensor) -> candle_core::Result<Tensor> {
        let mut encoded = self.embed(ids, 0)?;
        for layer in &self.encoder {
            encoded = layer.forward(&encoded, source_mask)?;
        }
        Ok(encoded)
    }

    /// Each decoder layer's state for a batch: room for `max_new` tokens in the
    /// self-attention cache, and the encoder's keys/values, computed once.
    pub fn start_states(
        &self,
        encoded: &Tensor,
        max_new: usize,
    ) -> candle_core::Result<Vec<LayerState>> {
        let batch = encoded.dim(0)?;
        let heads = self.config.decoder_attention_heads;
        let head_dim = self.config.d_model / heads;
        self.decoder
            .iter()
            .map(|layer| {
                let (cross_keys, cross_values) = layer.cross_attention.keys_values(encoded)?;
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
            .collect()
    }

    /// One decoder step: the logits over the target vocabulary for the next token of
    /// each row, given its current token `input` (`[rows, 1]`) at position `step`.
    pub fn step(
        &self,
        input: &Tensor,
        step: usize,
        states: &[LayerState],
        source_mask: &Tensor,
    ) -> candle_core::Result<Tensor> {
        let mut xs = self.embed(input, step)?;
        for (layer, state) in self.decoder.iter().zip(states) {
            xs = layer.step(&xs, step, state, source_mask)?;
        }
        self.lm_head.forward(&xs.squeeze(1)?)
    }
}
