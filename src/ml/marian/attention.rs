//! Attention for one query position per row on the CPU, the decoder's case at every
//! step: scores, mask, softmax and the weighted sum of values in one pass per row and
//! head, reading the caches where they lie and writing the heads side by side. Done
//! with candle's ops, each step was a batched matmul of 1 × 64 matrices, a transpose,
//! a mask, a softmax and another matmul: a fifth of a batch's time at 32 rows.

use candle_core::{DType, Layout, Storage, Tensor};
use rayon::prelude::*;

/// Lanes a dot product is summed in, so that it vectorizes.
const LANES: usize = 16;
/// The widest head the fused path takes (opus-mt's are 64); wider ones use candle's
/// ops.
const MAX_HEAD_DIM: usize = 256;

/// A 4-D f32 tensor's values on the CPU with where each index lies.
struct Strided<'a> {
    values: &'a [f32],
    offset: usize,
    strides: [usize; 4],
}

impl Strided<'_> {
    /// The `length` values from index `(b, h, t, 0)` on (the last stride is 1).
    fn row(&self, b: usize, h: usize, t: usize, length: usize) -> &[f32] {
        let [sb, sh, st, _] = self.strides;
        &self.values[self.offset + b * sb + h * sh + t * st..][..length]
    }
}

fn strided<'a>(storage: &'a Storage, layout: &Layout) -> Option<Strided<'a>> {
    let Storage::Cpu(storage) = storage else {
        return None;
    };
    let values = storage.as_slice::<f32>().ok()?;
    let strides: [usize; 4] = layout.stride().try_into().ok()?;
    (strides[3] == 1 || layout.dims()[3] == 1).then_some(Strided {
        values,
        offset: layout.start_offset(),
        strides,
    })
}

/// The attention context `[B, 1, H × Dh]` of queries `[B, H, 1, Dh]` over keys and
/// values `[B, H, T, Dh]`, each score scaled by `scaling` first (as the query is in
/// the reference) and added `mask` `[B, 1, 1, T]` (−∞ at padding). None where the
/// tensors are not f32 on the CPU; the caller then uses candle's ops.
pub(super) fn one_position(
    query: &Tensor,
    keys: &Tensor,
    values: &Tensor,
    mask: Option<&Tensor>,
    scaling: f32,
) -> candle_core::Result<Option<Tensor>> {
    let (batch, heads, positions, head_dim) = keys.dims4()?;
    let device = keys.device().clone();
    if query.dims4()? != (batch, heads, 1, head_dim)
        || head_dim > MAX_HEAD_DIM
        || [query.dtype(), keys.dtype(), values.dtype()] != [DType::F32; 3]
        || !query.device().is_cpu()
    {
        return Ok(None);
    }
    let mask = match mask {
        Some(mask) => Some(mask.broadcast_as((batch, 1, 1, positions))?.contiguous()?),
        None => None,
    };
    let (query_storage, query_layout) = query.storage_and_layout();
    let (key_storage, key_layout) = keys.storage_and_layout();
    let (value_storage, value_layout) = values.storage_and_layout();
    let mask_storage = mask.as_ref().map(Tensor::storage_and_layout);
    let (Some(query), Some(keys), Some(values)) = (
        strided(&query_storage, query_layout),
        strided(&key_storage, key_layout),
        strided(&value_storage, value_layout),
    ) else {
        return Ok(None);
    };
    let mask = match &mask_storage {
        Some((storage, layout)) => match strided(storage, layout) {
            Some(mask) => Some(mask),
            None => return Ok(None),
        },
        None => None,
    };

    let mut context = vec![0f32; batch * heads * head_dim];
    context.par_chunks_mut(head_dim).enumerate().for_each_init(
        || vec![0f32; positions],
        |scores, (row_head, into)| {
            let (b, h) = (row_head / heads, row_head % heads);
            let mut scaled = [0f32; MAX_HEAD_DIM];
            let scaled = &mut scaled[..head_dim];
            for (scaled, &value) in scaled.iter_mut().zip(query.row(b, h, 0, head_dim)) {
                *scaled = value * scaling;
            }
            let mask = mask.as_ref().map(|mask| mask.row(b, 0, 0, positions));
            for (t, score) in scores.iter_mut().enumerate() {
                *score =
                    dot(scaled, keys.row(b, h, t, head_dim)) + mask.map_or(0.0, |mask| mask[t]);
            }
            softmax(scores);
            for (t, &weight) in scores.iter().enumerate() {
                for (sum, &value) in into.iter_mut().zip(values.row(b, h, t, head_dim)) {
                    *sum += weight * value;
                }
            }
        },
    );
    drop((query_storage, key_storage, value_storage, mask_storage));
    Ok(Some(Tensor::from_vec(
        context,
        (batch, 1, heads * head_dim),
        &device,
    )?))
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; LANES];
    let (a_chunks, b_chunks) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = a_chunks
        .remainder()
        .iter()
        .zip(b_chunks.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (a, b) in a_chunks.zip(b_chunks) {
        for ((lane, x), y) in lanes.iter_mut().zip(a).zip(b) {
            *lane += x * y;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// In place, as candle's `softmax_last_dim` computes it.
fn softmax(scores: &mut [f32]) {
    let largest = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let mut sum = 0.0;
    for score in scores.iter_mut() {
        *score = (*score - largest).exp();
        sum += *score;
    }
    for score in scores.iter_mut() {
        *score /= sum;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    fn random(shape: (usize, usize, usize, usize), seed: u64) -> Tensor {
        let mut rng = fastrand::Rng::with_seed(seed);
        let count = shape.0 * shape.1 * shape.2 * shape.3;
        let values: Vec<f32> = (0..count).map(|_| rng.f32() * 2.0 - 1.0).collect();
        Tensor::from_vec(values, shape, &Device::Cpu).unwrap()
    }

    /// The reference formula in candle's ops, as the layer computes it for a prompt.
    fn with_candle_ops(query: &Tensor, keys: &Tensor, values: &Tensor, mask: &Tensor) -> Vec<f32> {
        let (batch, heads, _, head_dim) = query.dims4().unwrap();
        let scores = (query * 0.125)
            .unwrap()
            .matmul(&keys.t().unwrap())
            .unwrap()
            .broadcast_add(mask)
            .unwrap();
        candle_nn::ops::softmax_last_dim(&scores)
            .unwrap()
            .matmul(&values.contiguous().unwrap())
            .unwrap()
            .reshape((batch, heads * head_dim))
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1()
            .unwrap()
    }

    #[test]
    fn one_position_equals_candles_ops_over_a_cache_view_with_padding_masked() {
        let (batch, heads, head_dim, room, filled) = (3, 4, 20, 9, 6);
        let query = random((batch, heads, 1, head_dim), 1);
        // The filled part of a preallocated cache: a view with the cache's strides.
        let keys = random((batch, heads, room, head_dim), 2)
            .narrow(2, 0, filled)
            .unwrap();
        let values = random((batch, heads, room, head_dim), 3)
            .narrow(2, 0, filled)
            .unwrap();
        let lengths = [6, 4, 1];
        let mask: Vec<f32> = lengths
            .iter()
            .flat_map(|&length| {
                (0..filled).map(move |t| if t < length { 0.0 } else { f32::NEG_INFINITY })
            })
            .collect();
        let mask = Tensor::from_vec(mask, (batch, 1, 1, filled), &Device::Cpu).unwrap();

        let ours = one_position(&query, &keys, &values, Some(&mask), 0.125)
            .unwrap()
            .expect("f32 on the CPU takes the fused path");
        assert_eq!(ours.dims(), &[batch, 1, heads * head_dim]);
        let ours = ours.flatten_all().unwrap().to_vec1::<f32>().unwrap();
        let expected = with_candle_ops(&query, &keys, &values, &mask);
        for (index, (a, b)) in ours.iter().zip(&expected).enumerate() {
            assert!((a - b).abs() < 1e-6, "at {index}: {a} against {b}");
        }
    }

    #[test]
    fn other_dtypes_are_left_to_candles_ops() {
        let query = random((1, 2, 1, 4), 4).to_dtype(DType::F16).unwrap();
        let keys = random((1, 2, 3, 4), 5).to_dtype(DType::F16).unwrap();
        assert!(
            one_position(&query, &keys, &keys, None, 0.5)
                .unwrap()
                .is_none()
        );
    }
}
