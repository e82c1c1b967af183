//! Greedy decoding of a batch: the padding masked, each row with its own length
//! budget, and finished rows leaving the batch so a long straggler does not drag the
//! others through every layer.

use candle_core::Tensor;

use super::DecodeOptions;
use super::model::MarianNetwork;
use crate::ml::weights::padded_batch;

/// The output tokens of each source row, without the start and end tokens.
pub fn generate(
    network: &MarianNetwork,
    rows: &[Vec<u32>],
    options: &DecodeOptions,
) -> candle_core::Result<Vec<Vec<u32>>> {
    let config = &network.config;
    let device = &network.device;
    let (ids, _) = padded_batch(rows, config.pad_token_id, device)?;
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
    let mut source_mask = Tensor::from_vec(mask_values, (batch, 1, 1, source_length), device)?;
    let encoded = network.encode(&ids, &source_mask)?;

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
    let mut states = network.start_states(&encoded, max_new)?;

    let mut outputs = vec![Vec::new(); batch];
    // Which output row each row of the shrinking batch belongs to.
    let mut active: Vec<usize> = (0..batch).collect();
    let mut current = vec![config.decoder_start_token_id; batch];
    for step in 0..max_new {
        let input = Tensor::from_vec(current.clone(), (active.len(), 1), device)?;
        let logits = network.step(&input, step, &states, &source_mask)?;
        let next = crate::ml::greedy::greedy_tokens(&logits)?;

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
            let rows = Tensor::new(kept.as_slice(), device)?;
            for state in &mut states {
                state.keep_rows(&rows)?;
            }
            source_mask = source_mask.index_select(&rows, 0)?;
        }
    }
    Ok(outputs)
}
