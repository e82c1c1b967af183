//! Int8 matrix products on CPUs with AVX-512 VNNI, where candle has only f32 GEMM and
//! q8_0 vector dots (half as fast for one row, slower than f32 for 32): weights
//! quantized once per output row (symmetric, scale = max |w| / 127), each input row
//! quantized at every call (scale = max |x| / 127, stored as u8 with an offset of 128,
//! the unsigned operand `vpdpbusd` takes), products summed in i32 by `vpdpbusd` (64
//! multiply-adds an instruction, no saturation), and the offset taken back with each
//! row's weight sum. CTranslate2 and oneDNN quantize the same way.
//!
//! One of the crate's two modules with `unsafe` (with `ml::mapped`): unaligned vector
//! loads and stores, and calls into functions compiled for AVX-512, each under a
//! SAFETY comment. Everything else here is safe Rust, and the products are checked
//! against plain integer sums in the tests.
#![allow(unsafe_code)]

use rayon::prelude::*;

use super::mapped::MappedBytes;

/// Outputs per vector of i32 sums.
const LANES: usize = 16;
/// Inputs one `vpdpbusd` lane sums.
const GROUP: usize = 4;
/// Output blocks of `LANES` a kernel call computes (its accumulators: ROWS × BLOCKS).
const BLOCKS: usize = 4;
/// Input rows a kernel call computes (ROWS × BLOCKS accumulators, BLOCKS weight
/// vectors and a broadcast fit AVX-512's 32 registers).
const ROWS: usize = 6;

/// How `Int8Matrix` packs its weights, written into the int8 cache so that a cache
/// packed for another kernel is not read.
pub const LAYOUT: &str = "vnni: blocks of 16 outputs x 4 inputs, panels of 4 blocks";

/// A weight matrix `[outputs, inputs]` in int8, packed for the kernel.
pub struct Int8Matrix {
    outputs: usize,
    inputs: usize,
    /// `inputs` rounded up to a multiple of `GROUP`.
    padded_inputs: usize,
    /// Per block of `LANES` outputs (padded to a multiple of `BLOCKS`), per group of
    /// `GROUP` inputs: `LANES × GROUP` weights, output-major within the group.
    packed: Packed,
    /// Per output (padded as `packed`, zeros there): its scale, and 128 × the sum of
    /// its quantized weights.
    scales: Vec<f32>,
    offsets: Vec<i32>,
}

/// The packed weights (int8 values as their two's-complement bytes): made here, or
/// mapped from the int8 cache (`ml::int8_cache`).
enum Packed {
    Made(Vec<u8>),
    Mapped(MappedBytes),
}

impl Packed {
    fn bytes(&self) -> &[u8] {
        match self {
            Packed::Made(bytes) => bytes,
            Packed::Mapped(mapped) => mapped.bytes(),
        }
    }
}

/// A matrix as the int8 cache stores it.
pub struct Int8Parts<'a> {
    pub outputs: usize,
    pub inputs: usize,
    pub packed: &'a [u8],
    pub scales: &'a [f32],
    pub offsets: &'a [i32],
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

/// `values` quantized symmetrically to ±127, each stored by `store` (as i8 for
/// weights, u8 with the offset for activations); the scale that brings them back. A
/// row with a NaN or an infinity gets a NaN scale, so its products are NaN as in f32
/// rather than plausible numbers. Written so it vectorizes: lanes of maxima, no
/// early exit.
#[inline(always)]
fn quantize_row<T: Copy>(values: &[f32], into: &mut [T], store: impl Fn(f32) -> T) -> f32 {
    let mut largest = [0f32; LANES];
    // Stays zero unless a value is NaN or infinite (then 0 × it is NaN).
    let mut poison = [0f32; LANES];
    let chunks = values.chunks_exact(LANES);
    let tail = chunks.remainder();
    for chunk in chunks {
        for ((largest, poison), &value) in largest.iter_mut().zip(&mut poison).zip(chunk) {
            let magnitude = value.abs();
            *largest = if magnitude > *largest {
                magnitude
            } else {
                *largest
            };
            *poison += value * 0.0;
        }
    }
    for (lane, &value) in tail.iter().enumerate() {
        largest[lane] = largest[lane].max(value.abs());
        poison[lane] += value * 0.0;
    }
    let largest = largest.iter().fold(0f32, |max, &value| max.max(value));
    let broken = poison.iter().any(|value| value.is_nan());
    if largest == 0.0 || broken {
        into.iter_mut().for_each(|slot| *slot = store(0.0));
        return if broken { f32::NAN } else { 0.0 };
    }
    let inverse = 127.0 / largest;
    for (slot, value) in into.iter_mut().zip(values) {
        *slot = store(round_small(value * inverse).clamp(-127.0, 127.0));
    }
    largest / 127.0
}

/// A weight, quantized and rounded, as the int8 the kernel multiplies.
fn signed(quantized: f32) -> i8 {
    quantized as i8
}

/// An activation, quantized and rounded (an integer within ±127), as the unsigned
/// byte `vpdpbusd` takes: its value + 128. Read from the bits of `quantized + 1.5 ×
/// 2²³`, whose low byte is `quantized` in two's complement, because a float-to-int
/// cast does not vectorize (it saturates and maps NaN to 0, value by value).
fn unsigned(quantized: f32) -> u8 {
    const SHIFT: f32 = 12_582_912.0;
    ((quantized + SHIFT).to_bits() as u8) ^ 0x80
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

/// The values of consecutive q8_0 `blocks` into `into` (32 a block), as candle
/// dequantizes them: each int8 times its block's scale.
pub fn q8_0_values(blocks: &[u8], into: &mut [f32]) {
    for (block, into) in blocks
        .chunks_exact(Q8_0_BYTES)
        .zip(into.chunks_exact_mut(Q8_0_BLOCK))
    {
        let scale = half::f16::from_le_bytes([block[0], block[1]]).to_f32();
        for (value, &quantized) in into.iter_mut().zip(&block[2..]) {
            *value = f32::from(quantized as i8) * scale;
        }
    }
}

impl Int8Matrix {
    /// Quantizes `weights`, `[outputs, inputs]` row-major.
    pub fn quantize(weights: &[f32], outputs: usize, inputs: usize) -> Int8Matrix {
        Int8Matrix::from_rows(outputs, inputs, |output, _, row| {
            quantize_row(
                &weights[output * inputs..(output + 1) * inputs],
                row,
                signed,
            )
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
                q8_0_values(&bytes[output * row_bytes..(output + 1) * row_bytes], values);
                quantize_row(values, row, signed)
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
        let mut packed = vec![0u8; blocks * LANES * padded_inputs];
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
                                let weights = &row[group * GROUP..(group + 1) * GROUP];
                                for (byte, &weight) in into[at..at + GROUP].iter_mut().zip(weights)
                                {
                                    *byte = weight as u8;
                                }
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
            packed: Packed::Made(packed),
            scales,
            offsets,
        }
    }

    /// What the int8 cache keeps of this matrix.
    pub fn parts(&self) -> Int8Parts<'_> {
        Int8Parts {
            outputs: self.outputs,
            inputs: self.inputs,
            packed: self.packed.bytes(),
            scales: &self.scales,
            offsets: &self.offsets,
        }
    }

    /// The matrix `parts` gave, its packed weights mapped from the cache; None when
    /// the lengths are not those of an `[outputs, inputs]` matrix.
    pub fn from_parts(
        outputs: usize,
        inputs: usize,
        packed: MappedBytes,
        scales: Vec<f32>,
        offsets: Vec<i32>,
    ) -> Option<Int8Matrix> {
        let padded_inputs = inputs.div_ceil(GROUP) * GROUP;
        let padded_outputs = outputs.div_ceil(LANES).div_ceil(BLOCKS) * BLOCKS * LANES;
        // Checked: the shapes come from a file, which may be damaged.
        let fits = padded_outputs.checked_mul(padded_inputs) == Some(packed.bytes().len())
            && scales.len() == padded_outputs
            && offsets.len() == padded_outputs
            && outputs > 0
            && inputs > 0;
        fits.then_some(Int8Matrix {
            outputs,
            inputs,
            padded_inputs,
            packed: Packed::Mapped(packed),
            scales,
            offsets,
        })
    }

    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// `x · Wᵀ` for `x` `[rows, inputs]` row-major, each product then finished by
    /// `epilogue`: `[rows, outputs]` row-major. Only where `available()`; the caller
    /// keeps its own path elsewhere.
    pub fn matmul(&self, x: &[f32], rows: usize, epilogue: &Epilogue) -> Vec<f32> {
        assert!(available(), "the int8 GEMM needs AVX-512 VNNI");
        assert_eq!(x.len(), rows * self.inputs);
        if let Some(bias) = epilogue.bias {
            assert_eq!(bias.len(), self.outputs);
        }
        let activations = self.quantize_rows(x, rows);
        let row_bytes = self.padded_inputs;
        let panel_bytes = BLOCKS * LANES * self.padded_inputs;
        let packed = self.packed.bytes();
        let panels = packed.len() / panel_bytes;
        // Columns split in chunks of whole panels, about eight a thread so that an
        // opus-mt 512×512 layer keeps both cores busy and the 58k-row output layer
        // does not pay a task per panel.
        let per_chunk = panels
            .div_ceil(8 * rayon::current_num_threads())
            .clamp(1, 8);
        let mut out: Vec<f32> = Vec::with_capacity(rows * self.outputs);
        let destination = Destination(out.as_mut_ptr());
        let destination = &destination;
        (0..panels.div_ceil(per_chunk))
            .into_par_iter()
            .for_each(|chunk| {
                // Reused by every tile of the chunk: the kernel writes each row it
                // computes and `finish` each column, so nothing is read unwritten.
                let mut tile = [[0i32; BLOCKS * LANES]; ROWS];
                let mut finished = [0f32; BLOCKS * LANES];
                let first_panel = chunk * per_chunk;
                for panel_index in first_panel..panels.min(first_panel + per_chunk) {
                    let panel = &packed[panel_index * panel_bytes..][..panel_bytes];
                    let first_output = panel_index * BLOCKS * LANES;
                    let width = (BLOCKS * LANES).min(self.outputs - first_output);
                    let columns = first_output..first_output + width;
                    let finishing = Finishing {
                        scales: &self.scales[columns.clone()],
                        offsets: &self.offsets[columns.clone()],
                        bias: epilogue.bias.map(|bias| &bias[columns]),
                        activation: epilogue.activation,
                    };
                    for first_row in (0..rows).step_by(ROWS) {
                        let count = ROWS.min(rows - first_row);
                        let tile_rows =
                            &activations.values[first_row * row_bytes..][..count * row_bytes];
                        kernel(panel, tile_rows, count, &mut tile);
                        for (offset, sums) in tile.iter().take(count).enumerate() {
                            let row = first_row + offset;
                            let (sums, into) = (&sums[..width], &mut finished[..width]);
                            let row_scale = activations.scales[row];
                            #[cfg(target_arch = "x86_64")]
                            // SAFETY: `available()` was asserted above.
                            unsafe {
                                vnni::finish(sums, row_scale, &finishing, into)
                            };
                            #[cfg(not(target_arch = "x86_64"))]
                            finish_row(sums, row_scale, &finishing, into);
                            // SAFETY: the row's columns `first_output..first_output +
                            // width` are inside `out`'s capacity (rows × outputs), and
                            // no other task writes them: each panel belongs to one
                            // chunk, each chunk to one task.
                            unsafe {
                                destination
                                    .write(row * self.outputs + first_output, &finished[..width])
                            };
                        }
                    }
                }
            });
        // SAFETY: the panels cover every column of every row, all written above.
        unsafe { out.set_len(rows * self.outputs) };
        out
    }

    /// Each row of `x` quantized to unsigned bytes (value + 128; padding 128, a
    /// zero), the operand the kernel broadcasts four at a time; and its scale.
    fn quantize_rows(&self, x: &[f32], rows: usize) -> QuantizedRows {
        let inputs = self.inputs;
        let mut values = vec![128u8; rows * self.padded_inputs];
        let scales = values
            .chunks_exact_mut(self.padded_inputs)
            .enumerate()
            .map(|(row, into)| {
                let (row, into) = (&x[row * inputs..][..inputs], &mut into[..inputs]);
                #[cfg(target_arch = "x86_64")]
                // SAFETY: `matmul`, the one caller, asserted `available()`.
                let scale = unsafe { vnni::quantize_activations(row, into) };
                #[cfg(not(target_arch = "x86_64"))]
                let scale = quantize_row(row, into, unsigned);
                scale
            })
            .collect();
        QuantizedRows { values, scales }
    }
}

struct QuantizedRows {
    values: Vec<u8>,
    scales: Vec<f32>,
}

/// A function of one value applied to each product as it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pointwise {
    /// `x · sigmoid(x)`, its exponential a polynomial that vectorizes (within 2 ulp
    /// of libm's).
    Swish,
    Relu,
}

/// What is done to each product before it is stored: the layer's bias added, then
/// its activation, so neither takes another pass over the output.
#[derive(Default)]
pub struct Epilogue<'a> {
    pub bias: Option<&'a [f32]>,
    pub activation: Option<Pointwise>,
}

/// The epilogue and the scales for one panel's columns.
struct Finishing<'a> {
    scales: &'a [f32],
    offsets: &'a [i32],
    bias: Option<&'a [f32]>,
    activation: Option<Pointwise>,
}

/// `e^x` as Cephes' `expf` computes it: 2^k · e^r with k = round(x / ln 2) and e^r a
/// degree-6 polynomial, in plain arithmetic so a loop of it vectorizes (libm's is a
/// call per value). Within 2 ulp; saturates to 0 and f32::MAX's neighbourhood
/// outside ±87, NaN stays NaN.
#[inline(always)]
fn exp(x: f32) -> f32 {
    const LOG2_E: f32 = std::f32::consts::LOG2_E;
    // ln 2 in two parts, so k · ln 2 is exact in the first.
    const LN2_HIGH: f32 = 0.693_359_4;
    const LN2_LOW: f32 = -2.121_944_4e-4;
    let x = x.clamp(-87.0, 88.0);
    let k = round_small(x * LOG2_E);
    let r = x - k * LN2_HIGH - k * LN2_LOW;
    let mut p = 1.987_569_1e-4;
    p = p * r + 1.398_199_9e-3;
    p = p * r + 8.333_452e-3;
    p = p * r + 4.166_579_6e-2;
    p = p * r + 1.666_666_5e-1;
    p = p * r + 0.5;
    let e_r = p * r * r + r + 1.0;
    // 2^k from its exponent bits; k is within ±127 after the clamp.
    e_r * f32::from_bits(((k as i32 + 127) as u32) << 23)
}

/// The output buffer the tasks of `matmul` write into, each its own columns.
struct Destination(*mut f32);

// SAFETY: tasks write disjoint ranges (see `matmul`), and the buffer outlives them.
unsafe impl Sync for Destination {}

impl Destination {
    /// # Safety
    /// `at..at + values.len()` lies within the buffer's capacity, and no other thread
    /// touches it during the call.
    unsafe fn write(&self, at: usize, values: &[f32]) {
        // SAFETY: as the caller promises.
        unsafe { std::ptr::copy_nonoverlapping(values.as_ptr(), self.0.add(at), values.len()) };
    }
}

/// One row's products from its sums, with the epilogue, into `finished`.
#[inline(always)]
fn finish_row(sums: &[i32], row_scale: f32, finishing: &Finishing, finished: &mut [f32]) {
    let columns = finishing.scales.iter().zip(finishing.offsets);
    for ((value, &sum), (&scale, &offset)) in finished.iter_mut().zip(sums).zip(columns) {
        *value = (sum - offset) as f32 * row_scale * scale;
    }
    if let Some(bias) = finishing.bias {
        for (value, &bias) in finished.iter_mut().zip(bias) {
            *value += bias;
        }
    }
    match finishing.activation {
        Some(Pointwise::Swish) => {
            for value in finished.iter_mut() {
                *value /= 1.0 + exp(-*value);
            }
        }
        Some(Pointwise::Relu) => {
            for value in finished.iter_mut() {
                *value = value.max(0.0);
            }
        }
        None => {}
    }
}

/// Sums for up to `ROWS` rows of `activations` (`count` rows of quantized bytes)
/// against a panel of `BLOCKS` blocks of weights.
fn kernel(
    panel: &[u8],
    activations: &[u8],
    count: usize,
    tile: &mut [[i32; BLOCKS * LANES]; ROWS],
) {
    assert!(available(), "the int8 kernel needs AVX-512 VNNI");
    assert!(count > 0 && count <= ROWS && activations.len().is_multiple_of(count));
    let groups = activations.len() / count / GROUP;
    assert_eq!(panel.len(), BLOCKS * groups * GROUP * LANES);
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

    use super::{BLOCKS, Finishing, GROUP, LANES, ROWS};

    /// See `kernel`, for `COUNT` rows. Every access is within `panel` (`BLOCKS ×
    /// groups` vectors of 64 bytes) and `activations` (`COUNT × groups` words of
    /// `GROUP` bytes), as asserted there.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub(super) fn panel<const COUNT: usize>(
        panel: &[u8],
        activations: &[u8],
        groups: usize,
        tile: &mut [[i32; BLOCKS * LANES]; ROWS],
    ) {
        let mut sums = [[_mm512_setzero_si512(); BLOCKS]; COUNT];
        let block_stride = groups * GROUP * LANES;
        let row_stride = groups * GROUP;
        for group in 0..groups {
            let mut weights = [_mm512_setzero_si512(); BLOCKS];
            for (block, vector) in weights.iter_mut().enumerate() {
                let at = block * block_stride + group * GROUP * LANES;
                // SAFETY: at + 64 ≤ (block + 1) × block_stride ≤ panel.len().
                *vector = unsafe { _mm512_loadu_si512(panel.as_ptr().add(at).cast()) };
            }
            for (row, row_sums) in sums.iter_mut().enumerate() {
                let at = row * row_stride + group * GROUP;
                // SAFETY: at + GROUP ≤ COUNT × row_stride = activations.len().
                let word = unsafe { activations.as_ptr().add(at).cast::<i32>().read_unaligned() };
                let broadcast = _mm512_set1_epi32(word);
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

    /// `finish_row`, compiled for AVX-512 so that its loops (the exponential's
    /// included) vectorize.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub(super) fn finish(
        sums: &[i32],
        row_scale: f32,
        finishing: &Finishing,
        finished: &mut [f32],
    ) {
        super::finish_row(sums, row_scale, finishing, finished);
    }

    /// `values` quantized into `into` (see `quantize_row`), compiled for AVX-512.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub(super) fn quantize_activations(values: &[f32], into: &mut [u8]) -> f32 {
        super::quantize_row(values, into, super::unsigned)
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
            let sx = quantize_row(&x[row * inputs..(row + 1) * inputs], &mut qx, signed);
            for output in 0..outputs {
                let sw = quantize_row(
                    &weights[output * inputs..(output + 1) * inputs],
                    &mut qw,
                    signed,
                );
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
            let ours = matrix.matmul(&x, rows, &Epilogue::default());
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
    fn the_epilogue_adds_each_column_its_bias_then_applies_the_activation() {
        if !available() {
            return;
        }
        // More panels than tasks, and a last panel cut short.
        let (rows, outputs, inputs) = (9, 1100, 64);
        let matrix = Int8Matrix::quantize(&values(outputs * inputs, 7), outputs, inputs);
        let x = values(rows * inputs, 8);
        let bias = values(outputs, 9);
        let plain = matrix.matmul(&x, rows, &Epilogue::default());
        let finished = matrix.matmul(
            &x,
            rows,
            &Epilogue {
                bias: Some(&bias),
                activation: Some(Pointwise::Relu),
            },
        );
        for (index, (&plain, &finished)) in plain.iter().zip(&finished).enumerate() {
            assert_eq!(
                finished,
                (plain + bias[index % outputs]).max(0.0),
                "at {index}"
            );
        }
    }

    #[test]
    fn the_exponential_is_within_two_ulp_of_libms_and_keeps_nan() {
        for step in -87_000..=88_000 {
            let x = step as f32 / 1000.0;
            let (ours, libm) = (exp(x), x.exp());
            let ulp = f32::from_bits(libm.to_bits() + 1) - libm;
            assert!(
                (ours - libm).abs() <= 2.0 * ulp,
                "e^{x}: {ours} against {libm}"
            );
        }
        assert!(exp(f32::NAN).is_nan());
        assert_eq!(exp(-200.0), exp(-87.0));
    }

    #[test]
    fn products_are_within_int8_rounding_of_f32() {
        if !available() {
            return;
        }
        let (rows, outputs, inputs) = (8, 300, 512);
        let weights = values(outputs * inputs, 3);
        let x = values(rows * inputs, 4);
        let ours =
            Int8Matrix::quantize(&weights, outputs, inputs).matmul(&x, rows, &Epilogue::default());
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
        assert_eq!(direct.packed.bytes(), through_f32.packed.bytes());
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
                .matmul(&[0.0; 8], 1, &Epilogue::default())
                .iter()
                .all(|&value| value == 0.0)
        );
        let mut rows = values(3 * 8, 6);
        rows[3] = f32::NAN;
        rows[8 + 5] = f32::INFINITY;
        let out = matrix.matmul(&rows, 3, &Epilogue::default());
        assert!(out[..2 * 64].iter().all(|value| value.is_nan()));
        assert!(out[2 * 64..].iter().all(|value| value.is_finite()));
    }
}
