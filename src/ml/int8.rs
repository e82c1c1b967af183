//! Int8 matrix products for batches on CPUs with AVX-512 VNNI, where candle has only
//! f32 GEMM and q8_0 vector dots (fast for one row, slower than f32 for 32): weights
//! quantized once per output row (symmetric, scale = max |w| / 127), each input row
//! quantized at every call (scale = max |x| / 127, stored as u8 with an offset of 128,
//! the unsigned operand `vpdpbusd` takes), products summed in i32 by `vpdpbusd` (64
//! multiply-adds an instruction, no saturation), and the offset taken back with each
//! row's weight sum. CTranslate2 and oneDNN quantize the same way.
//!
//! The one module of the crate with `unsafe`: unaligned vector loads and stores, and
//! calls into functions compiled for AVX-512, each under a SAFETY comment. Everything
//! else here is safe Rust, and the products are checked against plain integer sums in
//! the tests.
#![allow(unsafe_code)]

use rayon::prelude::*;

/// Outputs per vector of i32 sums.
const LANES: usize = 16;
/// Inputs one `vpdpbusd` lane sums.
const GROUP: usize = 4;
/// Output blocks of `LANES` a kernel call computes (its accumulators: ROWS × BLOCKS).
const BLOCKS: usize = 4;
/// Input rows a kernel call computes (ROWS × BLOCKS accumulators, BLOCKS weight
/// vectors and a broadcast fit AVX-512's 32 registers).
const ROWS: usize = 6;

/// A weight matrix `[outputs, inputs]` in int8, packed for the kernel.
pub struct Int8Matrix {
    outputs: usize,
    inputs: usize,
    /// `inputs` rounded up to a multiple of `GROUP`.
    padded_inputs: usize,
    /// Per block of `LANES` outputs (padded to a multiple of `BLOCKS`), per group of
    /// `GROUP` inputs: `LANES × GROUP` weights, output-major within the group.
    packed: Vec<i8>,
    /// Per output (padded as `packed`, zeros there): its scale, and 128 × the sum of
    /// its quantized weights.
    scales: Vec<f32>,
    offsets: Vec<i32>,
}

/// Whether this CPU runs the int8 kernel.
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vnni")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// `values` quantized symmetrically to ±127; the scale that brings them back. A row
/// with a NaN or an infinity gets a NaN scale, so its products are NaN as in f32
/// rather than plausible numbers.
fn quantize_row(values: &[f32], into: &mut [i8]) -> f32 {
    let largest = values.iter().fold(0f32, |max, value| max.max(value.abs()));
    let broken = !largest.is_finite() || values.iter().any(|value| value.is_nan());
    if largest == 0.0 || broken {
        into.iter_mut().for_each(|slot| *slot = 0);
        return if broken { f32::NAN } else { 0.0 };
    }
    let inverse = 127.0 / largest;
    for (slot, value) in into.iter_mut().zip(values) {
        *slot = round_small(value * inverse).clamp(-127.0, 127.0) as i8;
    }
    largest / 127.0
}

/// `x` rounded to the nearest integer (ties to even) for |x| < 2²², without the libm
/// call `f32::round` is on baseline x86-64: adding and taking back 1.5 × 2²³ leaves
/// no fraction. Vectorizes, where the call took a fifth of a batch's time.
fn round_small(x: f32) -> f32 {
    const SHIFT: f32 = 12_582_912.0;
    (x + SHIFT) - SHIFT
}

/// ggml's q8_0: blocks of 32 weights, an f16 scale then 32 int8.
const Q8_0_BLOCK: usize = 32;
const Q8_0_BYTES: usize = 34;

impl Int8Matrix {
    /// Quantizes `weights`, `[outputs, inputs]` row-major.
    pub fn quantize(weights: &[f32], outputs: usize, inputs: usize) -> Int8Matrix {
        Int8Matrix::from_rows(outputs, inputs, |output, _, row| {
            quantize_row(&weights[output * inputs..(output + 1) * inputs], row)
        })
    }

    /// The same matrix from ggml q8_0 bytes (`[outputs, inputs]`, `inputs` a multiple
    /// of 32), a row at a time, without an f32 copy of the whole. None when the bytes
    /// are not that.
    pub fn from_q8_0(bytes: &[u8], outputs: usize, inputs: usize) -> Option<Int8Matrix> {
        let row_bytes = inputs / Q8_0_BLOCK * Q8_0_BYTES;
        if !inputs.is_multiple_of(Q8_0_BLOCK) || bytes.len() != outputs * row_bytes {
            return None;
        }
        Some(Int8Matrix::from_rows(
            outputs,
            inputs,
            |output, values, row| {
                let blocks =
                    bytes[output * row_bytes..(output + 1) * row_bytes].chunks_exact(Q8_0_BYTES);
                for (block, into) in blocks.zip(values.chunks_exact_mut(Q8_0_BLOCK)) {
                    let scale = half::f16::from_le_bytes([block[0], block[1]]).to_f32();
                    for (value, &quantized) in into.iter_mut().zip(&block[2..]) {
                        *value = f32::from(quantized as i8) * scale;
                    }
                }
                quantize_row(values, row)
            },
        ))
    }

    /// Packs the rows `quantize` writes (given the output, a scratch row of `inputs`
    /// f32, and its slice of `inputs` int8; returning the scale), a block of outputs
    /// per task.
    fn from_rows(
        outputs: usize,
        inputs: usize,
        quantize: impl Fn(usize, &mut [f32], &mut [i8]) -> f32 + Sync,
    ) -> Int8Matrix {
        let padded_inputs = inputs.div_ceil(GROUP) * GROUP;
        let blocks = outputs.div_ceil(LANES).div_ceil(BLOCKS) * BLOCKS;
        let groups = padded_inputs / GROUP;
        let mut packed = vec![0i8; blocks * LANES * padded_inputs];
        let per_block: Vec<Vec<(f32, i32)>> = packed
            .par_chunks_mut(LANES * padded_inputs)
            .enumerate()
            .map_init(
                || (vec![0f32; inputs], vec![0i8; padded_inputs]),
                |(scratch, row), (block, into)| {
                    let first = block * LANES;
                    (first..outputs.min(first + LANES))
                        .map(|output| {
                            let scale = quantize(output, scratch, &mut row[..inputs]);
                            let lane = output - first;
                            for group in 0..groups {
                                let at = group * LANES * GROUP + lane * GROUP;
                                into[at..at + GROUP]
                                    .copy_from_slice(&row[group * GROUP..(group + 1) * GROUP]);
                            }
                            let sum: i32 = row.iter().map(|&weight| i32::from(weight)).sum();
                            (scale, 128 * sum)
                        })
                        .collect()
                },
            )
            .collect();
        let (mut scales, mut offsets): (Vec<f32>, Vec<i32>) =
            per_block.into_iter().flatten().unzip();
        scales.resize(blocks * LANES, 0.0);
        offsets.resize(blocks * LANES, 0);
        Int8Matrix {
            outputs,
            inputs,
            padded_inputs,
            packed,
            scales,
            offsets,
        }
    }

    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// `x · Wᵀ` for `x` `[rows, inputs]` row-major: `[rows, outputs]` row-major.
    /// Only where `available()`; the caller keeps its own path elsewhere.
    pub fn matmul(&self, x: &[f32], rows: usize) -> Vec<f32> {
        let inputs = self.inputs;
        let mut row_scales = vec![0f32; rows];
        // Each row as words of GROUP unsigned bytes (value + 128; padding 128, a zero),
        // the operand the kernel broadcasts.
        let mut words = Vec::with_capacity(rows * self.padded_inputs / GROUP);
        let mut signed = vec![0i8; self.padded_inputs];
        for row in 0..rows {
            row_scales[row] =
                quantize_row(&x[row * inputs..(row + 1) * inputs], &mut signed[..inputs]);
            words.extend(signed.chunks_exact(GROUP).map(|group| {
                i32::from_le_bytes([
                    (i16::from(group[0]) + 128) as u8,
                    (i16::from(group[1]) + 128) as u8,
                    (i16::from(group[2]) + 128) as u8,
                    (i16::from(group[3]) + 128) as u8,
                ])
            }));
        }
        // Work is split by output columns, a chunk of blocks per task; each task
        // returns its columns of every row, finished, put in place after.
        let groups = self.padded_inputs / GROUP;
        let block_bytes = LANES * self.padded_inputs;
        let chunk_blocks = BLOCKS * 8;
        let columns: Vec<(usize, Vec<f32>)> = self
            .packed
            .par_chunks(chunk_blocks * block_bytes)
            .enumerate()
            .map(|(chunk, weights)| {
                let blocks = weights.len() / block_bytes;
                let width = blocks * LANES;
                let first_output = chunk * chunk_blocks * LANES;
                let mut finished = vec![0f32; rows * width];
                for first_block in (0..blocks).step_by(BLOCKS) {
                    let panel =
                        &weights[first_block * block_bytes..(first_block + BLOCKS) * block_bytes];
                    let outputs = first_output + first_block * LANES..;
                    let (scales, offsets) = (&self.scales[outputs.clone()], &self.offsets[outputs]);
                    for first_row in (0..rows).step_by(ROWS) {
                        let count = ROWS.min(rows - first_row);
                        let activations = &words[first_row * groups..][..count * groups];
                        let mut tile = [[0i32; BLOCKS * LANES]; ROWS];
                        kernel(panel, activations, count, groups, &mut tile);
                        for (offset, tile_row) in tile.iter().take(count).enumerate() {
                            let row = first_row + offset;
                            let at = row * width + first_block * LANES;
                            let into = &mut finished[at..at + BLOCKS * LANES];
                            for (((value, &sum), &scale), &offset) in
                                into.iter_mut().zip(tile_row).zip(scales).zip(offsets)
                            {
                                *value = (sum - offset) as f32 * row_scales[row] * scale;
                            }
                        }
                    }
                }
                (first_output, finished)
            })
            .collect();
        let mut out = vec![0f32; rows * self.outputs];
        for (first_output, finished) in columns {
            let width = finished.len() / rows.max(1);
            let kept = width.min(self.outputs.saturating_sub(first_output));
            for row in 0..rows {
                out[row * self.outputs + first_output..][..kept]
                    .copy_from_slice(&finished[row * width..][..kept]);
            }
        }
        out
    }
}

/// Sums for up to `ROWS` rows of `activations` (`count` of them, `groups` words
/// each) against a panel of `BLOCKS` blocks of weights.
fn kernel(
    panel: &[i8],
    activations: &[i32],
    count: usize,
    groups: usize,
    tile: &mut [[i32; BLOCKS * LANES]; ROWS],
) {
    assert!(available(), "the int8 kernel needs AVX-512 VNNI");
    assert_eq!(panel.len(), BLOCKS * groups * GROUP * LANES);
    assert!(count <= ROWS && activations.len() >= count * groups);
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `available()` checked the CPU has the features `vnni` is compiled for,
    // and the lengths asserted above are the bounds every load in it stays within.
    unsafe {
        // The row count as a constant, so the accumulators stay in registers.
        match count {
            1 => vnni::panel::<1>(panel, activations, groups, tile),
            2 => vnni::panel::<2>(panel, activations, groups, tile),
            3 => vnni::panel::<3>(panel, activations, groups, tile),
            4 => vnni::panel::<4>(panel, activations, groups, tile),
            5 => vnni::panel::<5>(panel, activations, groups, tile),
            _ => vnni::panel::<ROWS>(panel, activations, groups, tile),
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod vnni {
    use std::arch::x86_64::*;

    use super::{BLOCKS, GROUP, LANES, ROWS};

    /// See `kernel`, for `COUNT` rows. Every access is within `panel` (`BLOCKS ×
    /// groups` vectors of 64 bytes) and `activations` (`COUNT × groups` words), as
    /// asserted there.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub(super) fn panel<const COUNT: usize>(
        panel: &[i8],
        activations: &[i32],
        groups: usize,
        tile: &mut [[i32; BLOCKS * LANES]; ROWS],
    ) {
        let mut sums = [[_mm512_setzero_si512(); BLOCKS]; COUNT];
        let block_stride = groups * GROUP * LANES;
        for group in 0..groups {
            let mut weights = [_mm512_setzero_si512(); BLOCKS];
            for (block, vector) in weights.iter_mut().enumerate() {
                let at = block * block_stride + group * GROUP * LANES;
                // SAFETY: at + 64 ≤ (block + 1) × block_stride ≤ panel.len().
                *vector = unsafe { _mm512_loadu_si512(panel.as_ptr().add(at).cast()) };
            }
            for (row, row_sums) in sums.iter_mut().enumerate() {
                let broadcast = _mm512_set1_epi32(activations[row * groups + group]);
                for (sum, vector) in row_sums.iter_mut().zip(&weights) {
                    *sum = _mm512_dpbusd_epi32(*sum, broadcast, *vector);
                }
            }
        }
        for (row, row_sums) in sums.iter().enumerate() {
            for (block, sum) in row_sums.iter().enumerate() {
                let out = &mut tile[row][block * LANES..(block + 1) * LANES];
                // SAFETY: `out` is LANES = 16 i32, the 64 bytes stored.
                unsafe { _mm512_storeu_si512(out.as_mut_ptr().cast(), *sum) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(count: usize, seed: u64) -> Vec<f32> {
        let mut rng = fastrand::Rng::with_seed(seed);
        (0..count).map(|_| rng.f32() * 2.0 - 1.0).collect()
    }

    /// What the kernel must compute, in plain integers from the same quantization.
    fn exact(matrix: &Int8Matrix, weights: &[f32], x: &[f32], rows: usize) -> Vec<f32> {
        let (outputs, inputs) = (matrix.outputs, matrix.inputs);
        let mut out = vec![0f32; rows * outputs];
        let mut qx = vec![0i8; inputs];
        let mut qw = vec![0i8; inputs];
        for row in 0..rows {
            let sx = quantize_row(&x[row * inputs..(row + 1) * inputs], &mut qx);
            for output in 0..outputs {
                let sw = quantize_row(&weights[output * inputs..(output + 1) * inputs], &mut qw);
                let sum: i32 = qx
                    .iter()
                    .zip(&qw)
                    .map(|(a, b)| i32::from(*a) * i32::from(*b))
                    .sum();
                out[row * outputs + output] = sum as f32 * sx * sw;
            }
        }
        out
    }

    #[test]
    fn products_equal_integer_sums_of_the_quantized_values_at_awkward_sizes() {
        if !available() {
            eprintln!("no AVX-512 VNNI here: the int8 kernel is not used on this CPU");
            return;
        }
        // Outputs not a multiple of 16 or 64, inputs not of 4, rows not of 4.
        for (rows, outputs, inputs) in [(1, 5, 3), (3, 70, 66), (7, 200, 130), (32, 1000, 512)] {
            let weights = values(outputs * inputs, 1);
            let x = values(rows * inputs, 2);
            let matrix = Int8Matrix::quantize(&weights, outputs, inputs);
            let ours = matrix.matmul(&x, rows);
            let expected = exact(&matrix, &weights, &x, rows);
            for (index, (a, b)) in ours.iter().zip(&expected).enumerate() {
                assert!(
                    (a - b).abs() <= 1e-5 * b.abs().max(1.0),
                    "{rows}×{outputs}×{inputs} at {index}: {a} against {b}"
                );
            }
        }
    }

    #[test]
    fn products_are_within_int8_rounding_of_f32() {
        if !available() {
            return;
        }
        let (rows, outputs, inputs) = (8, 300, 512);
        let weights = values(outputs * inputs, 3);
        let x = values(rows * inputs, 4);
        let ours = Int8Matrix::quantize(&weights, outputs, inputs).matmul(&x, rows);
        for row in 0..rows {
            let exact: Vec<f32> = (0..outputs)
                .map(|output| {
                    (0..inputs)
                        .map(|k| x[row * inputs + k] * weights[output * inputs + k])
                        .sum()
                })
                .collect();
            let ours = &ours[row * outputs..(row + 1) * outputs];
            let norm = |v: &mut dyn Iterator<Item = f32>| v.map(|a| a * a).sum::<f32>().sqrt();
            let error = norm(&mut ours.iter().zip(&exact).map(|(a, b)| a - b));
            let size = norm(&mut exact.iter().copied());
            // Steps of 1/127 of each row's largest value on both sides: about half a
            // percent of the result, as CTranslate2's int8 has.
            assert!(
                error / size < 0.01,
                "row {row}: {:.4} of the result",
                error / size
            );
        }
    }

    #[test]
    fn a_q8_0_matrix_becomes_the_int8_matrix_of_its_values() {
        use candle_core::quantized::{GgmlDType, QTensor};
        let (outputs, inputs) = (40, 96);
        let weights = values(outputs * inputs, 6);
        let tensor =
            candle_core::Tensor::from_vec(weights, (outputs, inputs), &candle_core::Device::Cpu)
                .unwrap();
        let quantized = QTensor::quantize(&tensor, GgmlDType::Q8_0).unwrap();
        let dequantized = quantized
            .dequantize(&candle_core::Device::Cpu)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let direct = Int8Matrix::from_q8_0(&quantized.data().unwrap(), outputs, inputs).unwrap();
        let through_f32 = Int8Matrix::quantize(&dequantized, outputs, inputs);
        assert_eq!(direct.packed, through_f32.packed);
        assert_eq!(direct.offsets, through_f32.offsets);
        assert_eq!(direct.scales, through_f32.scales);
        assert!(Int8Matrix::from_q8_0(&[0; 33], 1, 32).is_none());
    }

    #[test]
    fn a_row_of_zeros_gives_zeros_and_a_row_with_nan_or_infinity_gives_nan() {
        if !available() {
            return;
        }
        let matrix = Int8Matrix::quantize(&values(64 * 8, 5), 64, 8);
        assert!(
            matrix
                .matmul(&[0.0; 8], 1)
                .iter()
                .all(|&value| value == 0.0)
        );
        let mut rows = values(3 * 8, 6);
        rows[3] = f32::NAN;
        rows[8 + 5] = f32::INFINITY;
        let out = matrix.matmul(&rows, 3);
        assert!(out[..2 * 64].iter().all(|value| value.is_nan()));
        assert!(out[2 * 64..].iter().all(|value| value.is_finite()));
    }
}
