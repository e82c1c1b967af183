//! GGUF block formats candle computes slowly on the CPU, re-quantized when loaded.
//! candle has SIMD dot products for q4_0, q8_0 and the k-quants but none for q4_1, q5_0
//! or q5_1, whose matrices it multiplies one scalar at a time (SmolLM2's Q4_1 file ran
//! at a seventh of llama.cpp's speed). Their tensors become q8_0: about twice their
//! memory, a rounding of values already rounded to 4 or 5 bits, and the fast kernel.

use std::io::{Cursor, Read, Seek};

use candle_core::quantized::{GgmlDType, QTensor, gguf_file};
use candle_core::{Device, Result};

const SLOW_ON_CPU: [GgmlDType; 3] = [GgmlDType::Q4_1, GgmlDType::Q5_0, GgmlDType::Q5_1];

/// Whether loading `content` on `device` re-quantizes some of its tensors.
pub(super) fn needs_requantizing(content: &gguf_file::Content, device: &Device) -> bool {
    device.is_cpu()
        && content
            .tensor_infos
            .values()
            .any(|info| SLOW_ON_CPU.contains(&info.ggml_dtype))
}

/// `content` (read from `reader`) as a GGUF in memory with its slow tensors in q8_0,
/// and that GGUF's own content.
pub(super) fn requantized<R: Read + Seek>(
    content: &gguf_file::Content,
    reader: &mut R,
) -> Result<(gguf_file::Content, Cursor<Vec<u8>>)> {
    let mut tensors: Vec<(String, QTensor)> = Vec::with_capacity(content.tensor_infos.len());
    for (name, info) in &content.tensor_infos {
        let tensor = content.tensor(reader, name, &Device::Cpu)?;
        let tensor = if SLOW_ON_CPU.contains(&info.ggml_dtype) {
            QTensor::quantize(&tensor.dequantize(&Device::Cpu)?, GgmlDType::Q8_0)?
        } else {
            tensor
        };
        tensors.push((name.clone(), tensor));
    }
    let metadata: Vec<(&str, &gguf_file::Value)> = content
        .metadata
        .iter()
        .map(|(key, value)| (key.as_str(), value))
        .collect();
    let named: Vec<(&str, &QTensor)> = tensors
        .iter()
        .map(|(name, tensor)| (name.as_str(), tensor))
        .collect();
    let mut written = Cursor::new(Vec::new());
    gguf_file::write(&mut written, &metadata, &named)?;
    written.set_position(0);
    let rewritten = gguf_file::Content::read(&mut written)?;
    Ok((rewritten, written))
}

#[cfg(test)]
mod tests {
    use candle_core::Tensor;

    use super::*;

    #[test]
    fn slow_blocks_become_q8_0_holding_the_same_values_and_the_rest_is_kept() {
        let values: Vec<f32> = (0..64 * 32)
            .map(|i| ((i % 97) as f32 - 48.0) / 17.0)
            .collect();
        let weights = Tensor::from_vec(values, (64, 32), &Device::Cpu).unwrap();
        let slow = QTensor::quantize(&weights, GgmlDType::Q4_1).unwrap();
        let fast = QTensor::quantize(&weights, GgmlDType::Q8_0).unwrap();
        let name = gguf_file::Value::String("fixture".into());
        let mut file = Cursor::new(Vec::new());
        gguf_file::write(
            &mut file,
            &[("general.name", &name)],
            &[
                ("blk.0.ffn_up.weight", &slow),
                ("blk.0.ffn_down.weight", &fast),
            ],
        )
        .unwrap();
        file.set_position(0);
        let content = gguf_file::Content::read(&mut file).unwrap();
        assert!(needs_requantizing(&content, &Device::Cpu));

        let (rewritten, mut reader) = requantized(&content, &mut file).unwrap();
        let dtype = |name: &str| rewritten.tensor_infos[name].ggml_dtype;
        assert_eq!(dtype("blk.0.ffn_up.weight"), GgmlDType::Q8_0);
        assert_eq!(dtype("blk.0.ffn_down.weight"), fast.dtype());
        assert!(!needs_requantizing(&rewritten, &Device::Cpu));
        let before = slow.dequantize(&Device::Cpu).unwrap();
        let after = rewritten
            .tensor(&mut reader, "blk.0.ffn_up.weight", &Device::Cpu)
            .unwrap()
            .dequantize(&Device::Cpu)
            .unwrap();
        let worst: f32 = (before - after)
            .unwrap()
            .abs()
            .unwrap()
            .max_all()
            .unwrap()
            .to_scalar()
            .unwrap();
        assert!(worst < 0.03, "q8_0 keeps what q4_1 held: {worst}");
        assert_eq!(
            rewritten.metadata["general.name"].to_string().unwrap(),
            "fixture"
        );
    }
}
