//! candle-transformers' stock Marian model driven the way candle's own example does
//! (one sentence at a time, greedy, caches reset per sentence): the reference our
//! decoder must agree with in tests, and the baseline `tradewind-bench translate`
//! measures it against.

use candle_core::{D, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::marian;

use super::marian::MarianConfig;

impl MarianConfig {
    pub fn to_candle(&self) -> marian::Config {
        marian::Config {
            vocab_size: self.vocab_size,
            decoder_vocab_size: self.decoder_vocab_size,
            max_position_embeddings: self.max_position_embeddings,
            encoder_layers: self.encoder_layers,
            encoder_ffn_dim: self.encoder_ffn_dim,
            encoder_attention_heads: self.encoder_attention_heads,
            decoder_layers: self.decoder_layers,
            decoder_ffn_dim: self.decoder_ffn_dim,
            decoder_attention_heads: self.decoder_attention_heads,
            use_cache: true,
            is_encoder_decoder: true,
            activation_function: candle_nn::Activation::Swish,
            d_model: self.d_model,
            decoder_start_token_id: self.decoder_start_token_id,
            scale_embedding: self.scale_embedding,
            pad_token_id: self.pad_token_id,
            eos_token_id: self.eos_token_id,
            forced_eos_token_id: self.eos_token_id,
            share_encoder_decoder_embeddings: true,
        }
    }
}

pub struct StockMarian {
    model: marian::MTModel,
    config: MarianConfig,
    device: Device,
}

impl StockMarian {
    pub fn new(config: &MarianConfig, weights: VarBuilder) -> candle_core::Result<StockMarian> {
        Ok(StockMarian {
            model: marian::MTModel::new(&config.to_candle(), weights.clone())?,
            config: config.clone(),
            device: weights.device().clone(),
        })
    }

    /// Greedy output tokens for a batch of equal-length sources (ids ending with
    /// `</s>`): the stock model has no padding mask, so it cannot batch anything else.
    pub fn greedy(
        &mut self,
        sources: &[Vec<u32>],
        max_new_tokens: usize,
        ignore_eos: bool,
    ) -> candle_core::Result<Vec<Vec<u32>>> {
        let input = Tensor::new(sources.to_vec(), &self.device)?;
        let encoded = self.model.encoder().forward(&input, 0)?;
        let start = self.config.decoder_start_token_id;
        let mut outputs = vec![vec![start]; sources.len()];
        let mut finished = vec![false; sources.len()];
        for _ in 0..max_new_tokens {
            // The decoder's cache holds every earlier token: feed only the newest.
            let position = outputs[0].len() - 1;
            let last: Vec<Vec<u32>> = outputs
                .iter()
                .map(|tokens| tokens[position..].to_vec())
                .collect();
            let input = Tensor::new(last, &self.device)?;
            let logits = self.model.decode(&input, &encoded, position)?;
            let next = logits
                .narrow(1, logits.dim(1)? - 1, 1)?
                .squeeze(1)?
                .argmax(D::Minus1)?
                .to_vec1::<u32>()?;
            for ((tokens, done), token) in outputs.iter_mut().zip(&mut finished).zip(next) {
                *done |= token == self.config.eos_token_id && !ignore_eos;
                tokens.push(token);
            }
            if finished.iter().all(|done| *done) {
                break;
            }
        }
        self.model.reset_kv_cache();
        Ok(outputs
            .into_iter()
            .map(|tokens| {
                tokens[1..]
                    .iter()
                    .copied()
                    .take_while(|&token| ignore_eos || token != self.config.eos_token_id)
                    .collect()
            })
            .collect())
    }
}
