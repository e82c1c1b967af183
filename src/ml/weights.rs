//! What every loader needs from the files a model is made of: finding a file by name
//! or role, reading its config, and weights that are either dense (safetensors) or
//! quantized (GGUF), so one model definition serves both precisions.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use candle_core::quantized::{GgmlDType, QMatMul, QTensor, gguf_file};
use candle_core::{Device, Tensor};
use serde::de::DeserializeOwned;

use super::MlError;
use super::int8::{Epilogue, Int8Matrix, Pointwise, q8_0_values};
use super::store::VerifiedFile;

/// A loader's view of one model's verified files, with errors that name the model.
pub struct ModelFiles<'a> {
    pub id: &'a str,
    pub files: &'a [VerifiedFile],
}

impl<'a> ModelFiles<'a> {
    pub fn new(id: &'a str, files: &'a [VerifiedFile]) -> ModelFiles<'a> {
        ModelFiles { id, files }
    }

    pub fn failed(&self, path: &Path, detail: impl ToString) -> MlError {
        MlError::Load {
            id: self.id.to_string(),
            path: path.to_path_buf(),
            detail: detail.to_string(),
        }
    }

    pub fn path(&self, name: &str) -> Result<&'a Path, MlError> {
        self.files
            .iter()
            .find(|file| file.name == name)
            .map(|file| file.path.as_path())
            .ok_or_else(|| self.failed(Path::new(name), format!("the catalog lists no '{name}'")))
    }

    /// The file the catalog gives `role`, or else the one named `name`.
    pub fn by_role(&self, role: &str, name: &str) -> Result<&'a Path, MlError> {
        match self
            .files
            .iter()
            .find(|file| file.role.as_deref() == Some(role))
        {
            Some(file) => Ok(file.path.as_path()),
            None => self.path(name),
        }
    }

    /// The first file whose name ends with `suffix` (a model's one `.gguf`).
    pub fn ending_with(&self, suffix: &str) -> Result<&'a Path, MlError> {
        self.files
            .iter()
            .find(|file| file.name.ends_with(suffix))
            .map(|file| file.path.as_path())
            .ok_or_else(|| {
                self.failed(
                    Path::new(suffix),
                    format!("the catalog lists no '*{suffix}' file"),
                )
            })
    }

    pub fn json<T: DeserializeOwned>(&self, name: &str) -> Result<T, MlError> {
        let path = self.path(name)?;
        let text = std::fs::read_to_string(path).map_err(|error| self.failed(path, error))?;
        serde_json::from_str(&text).map_err(|error| self.failed(path, error))
    }

    pub fn tokenizer(&self, path: &Path) -> Result<tokenizers::Tokenizer, MlError> {
        tokenizers::Tokenizer::from_file(path).map_err(|error| self.failed(path, error))
    }

    pub fn has(&self, name: &str) -> bool {
        self.files.iter().any(|file| file.name == name)
    }

    /// The tensors of a safetensors file, or of a PyTorch checkpoint (`*.bin`).
    pub fn tensors(&self, name: &str, device: &Device) -> Result<HashMap<String, Tensor>, MlError> {
        let path = self.path(name)?;
        if name.ends_with(".bin") {
            let tensors =
                candle_core::pickle::read_all(path).map_err(|error| self.failed(path, error))?;
            return tensors
                .into_iter()
                .map(|(name, tensor)| Ok((name, tensor.to_device(device)?)))
                .collect::<candle_core::Result<_>>()
                .map_err(|error| self.failed(path, error));
        }
        candle_core::safetensors::load(path, device).map_err(|error| self.failed(path, error))
    }

    pub fn safetensors(&self, name: &str, device: &Device) -> Result<Weights, MlError> {
        Ok(Weights::Dense {
            tensors: self.tensors(name, device)?,
            quantize: None,
        })
    }

    /// The tensors of GGUF file `path`, with the `int8` matrices made from it: a
    /// tensor with an int8 matrix is not read unless it is named in `also_read`.
    pub fn gguf(
        &self,
        path: &Path,
        device: &Device,
        int8: HashMap<String, Arc<Int8Matrix>>,
        also_read: &[&str],
    ) -> Result<Weights, MlError> {
        read_gguf(path, device, int8, also_read).map_err(|error| self.failed(path, error))
    }
}

/// Pads each batch to its longest text with `pad_token` and cuts texts longer than
/// `max_length` tokens.
pub fn pad_batches_and_truncate(
    tokenizer: &mut tokenizers::Tokenizer,
    pad_token: &str,
    max_length: usize,
) -> Result<(), tokenizers::Error> {
    let pad_id = tokenizer.token_to_id(pad_token).unwrap_or(0);
    tokenizer.with_padding(Some(tokenizers::PaddingParams {
        strategy: tokenizers::PaddingStrategy::BatchLongest,
        pad_id,
        pad_token: pad_token.into(),
        ..tokenizers::PaddingParams::default()
    }));
    tokenizer.with_truncation(Some(tokenizers::TruncationParams {
        max_length,
        ..tokenizers::TruncationParams::default()
    }))?;
    Ok(())
}

/// How a model's matrix weights are held in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    F32,
    /// 8-bit blocks of 32 with one scale (ggml q8_0): a quarter of the memory, faster
    /// matmuls on CPUs with AVX2/NEON, output within a percent of f32. Marian's layers
    /// on CPUs with AVX-512 VNNI run through an int8 copy (per-row scales) instead.
    Q8_0,
}

impl Precision {
    pub fn parse(text: &str) -> Option<Precision> {
        match text.to_ascii_lowercase().as_str() {
            "f32" => Some(Precision::F32),
            "q8_0" | "q8" => Some(Precision::Q8_0),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Precision::F32 => "f32",
            Precision::Q8_0 => "q8_0",
        }
    }
}

/// Named tensors, dense or quantized.
pub enum Weights {
    /// From safetensors; matrices are quantized on load when `quantize` says so.
    Dense {
        tensors: HashMap<String, Tensor>,
        quantize: Option<GgmlDType>,
    },
    /// From GGUF; read as they are stored.
    Quantized {
        tensors: HashMap<String, Arc<QTensor>>,
        /// Matrices mapped from the int8 cache (`ml::int8_cache`), whose products
        /// go through them.
        int8: HashMap<String, Arc<Int8Matrix>>,
        device: Device,
    },
}

fn read_gguf(
    path: &Path,
    device: &Device,
    int8: HashMap<String, Arc<Int8Matrix>>,
    also_read: &[&str],
) -> candle_core::Result<Weights> {
    let mut file = std::io::BufReader::new(std::fs::File::open(path)?);
    let content = gguf_file::Content::read(&mut file)?;
    let mut tensors = HashMap::new();
    for name in content.tensor_infos.keys() {
        if int8.contains_key(name) && !also_read.contains(&name.as_str()) {
            continue;
        }
        let tensor = content.tensor(&mut file, name, device)?;
        tensors.insert(name.clone(), Arc::new(tensor));
    }
    Ok(Weights::Quantized {
        tensors,
        int8,
        device: device.clone(),
    })
}

impl Weights {
    pub fn quantized_on_load(self, precision: Precision) -> Weights {
        match self {
            Weights::Dense { tensors, .. } => Weights::Dense {
                tensors,
                quantize: match precision {
                    Precision::F32 => None,
                    Precision::Q8_0 => Some(GgmlDType::Q8_0),
                },
            },
            quantized => quantized,
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        match self {
            Weights::Dense { tensors, .. } => tensors.contains_key(name),
            Weights::Quantized { tensors, int8, .. } => {
                tensors.contains_key(name) || int8.contains_key(name)
            }
        }
    }

    /// The int8 matrix read for `name`, if there is one.
    pub fn int8(&self, name: &str) -> Option<Arc<Int8Matrix>> {
        match self {
            Weights::Quantized { int8, .. } => int8.get(name).cloned(),
            Weights::Dense { .. } => None,
        }
    }

    /// A table of vectors to look rows up in: kept as q8_0 blocks where it is stored
    /// so on the CPU, else dense f32.
    pub fn embedding(&self, name: &str) -> candle_core::Result<Embedding> {
        if let Weights::Quantized {
            tensors, device, ..
        } = self
            && let Some(table) = tensors.get(name)
            && table.dtype() == GgmlDType::Q8_0
            && device.is_cpu()
            && let Ok((rows, columns)) = table.shape().dims2()
            && columns.is_multiple_of(GgmlDType::Q8_0.block_size())
        {
            return Ok(Embedding::Q8_0 {
                table: table.clone(),
                rows,
                columns,
            });
        }
        Ok(Embedding::Dense(self.tensor(name)?))
    }

    /// A tensor as f32 (dequantized if stored quantized).
    pub fn tensor(&self, name: &str) -> candle_core::Result<Tensor> {
        match self {
            Weights::Dense { tensors, .. } => tensors
                .get(name)
                .cloned()
                .ok_or_else(|| missing(name))?
                .to_dtype(candle_core::DType::F32),
            Weights::Quantized {
                tensors, device, ..
            } => tensors
                .get(name)
                .ok_or_else(|| missing(name))?
                .dequantize(device),
        }
    }

    /// A weight matrix for `x · Wᵀ`, quantized when these weights are.
    pub fn matrix(&self, name: &str) -> candle_core::Result<QMatMul> {
        match self {
            Weights::Dense { quantize: None, .. } => Ok(QMatMul::Tensor(self.tensor(name)?)),
            Weights::Dense {
                quantize: Some(dtype),
                ..
            } => QMatMul::from_qtensor(QTensor::quantize(&self.tensor(name)?, *dtype)?),
            Weights::Quantized { tensors, .. } => {
                QMatMul::from_arc(tensors.get(name).ok_or_else(|| missing(name))?.clone())
            }
        }
    }
}

fn missing(name: &str) -> candle_core::Error {
    candle_core::Error::Msg(format!("the weights have no tensor '{name}'"))
}

/// A table of vectors `[rows, columns]` looked up by index. Kept as q8_0 blocks, each
/// looked-up row is decoded as candle dequantizes (the same values), without the f32
/// copy of the whole table: 119 MB for opus-mt's 58k × 512 shared embeddings.
pub enum Embedding {
    Dense(Tensor),
    Q8_0 {
        table: Arc<QTensor>,
        rows: usize,
        columns: usize,
    },
}

impl Embedding {
    /// The rows `ids` (a vector of indices) name, `[ids, columns]`.
    pub fn rows(&self, ids: &Tensor) -> candle_core::Result<Tensor> {
        let (table, rows, columns) = match self {
            Embedding::Dense(table) => return table.index_select(ids, 0),
            Embedding::Q8_0 {
                table,
                rows,
                columns,
            } => (table, rows, columns),
        };
        let data = table.data()?;
        let row_bytes = columns / GgmlDType::Q8_0.block_size() * GgmlDType::Q8_0.type_size();
        let ids = ids.to_dtype(candle_core::DType::U32)?.to_vec1::<u32>()?;
        let mut values = vec![0f32; ids.len() * columns];
        for (&id, into) in ids.iter().zip(values.chunks_exact_mut(*columns)) {
            let id = id as usize;
            if id >= *rows {
                candle_core::bail!("index {id} is outside the {rows}-row embedding table");
            }
            q8_0_values(&data[id * row_bytes..][..row_bytes], into);
        }
        Tensor::from_vec(values, (ids.len(), *columns), &Device::Cpu)
    }
}

/// The activation a layer's output goes through.
#[derive(Debug, Clone, Copy)]
pub enum Activation {
    Swish,
    Relu,
    Gelu,
}

impl Activation {
    /// The activation a config's `activation_function` names.
    pub fn parse(name: &str) -> Option<Activation> {
        match name {
            "swish" | "silu" => Some(Activation::Swish),
            "relu" => Some(Activation::Relu),
            "gelu" | "gelu_new" => Some(Activation::Gelu),
            _ => None,
        }
    }

    pub fn apply(self, xs: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Activation::Swish => candle_nn::ops::silu(xs),
            Activation::Relu => xs.relu(),
            Activation::Gelu => xs.gelu_erf(),
        }
    }

    /// The activation as a function of one value, where it is that simple (the int8
    /// path applies it as it stores each product).
    fn of_value(self) -> Option<Pointwise> {
        match self {
            Activation::Swish => Some(Pointwise::Swish),
            Activation::Relu => Some(Pointwise::Relu),
            Activation::Gelu => None,
        }
    }
}

/// A dense layer `x · Wᵀ + b` whose `W` may be quantized. Inputs of any rank are
/// flattened to two dimensions so the matmul sees one large batch. A q8_0 matrix on a
/// CPU with AVX-512 VNNI also gets an int8 copy (`ml::int8`), which every product then
/// goes through: twice as fast as candle's q8_0 vector dots for one row, four times
/// for 32 (`tradewind-bench peers`, opus-mt shape). Where the loader read the int8
/// matrix from its cache (`ml::int8_cache`, Marian), that one is used; otherwise the
/// copy is made at the first product, so the load does not wait for it.
#[derive(Clone)]
pub struct Linear {
    weight: Weight,
    bias: Option<Tensor>,
}

#[derive(Clone)]
enum Weight {
    /// Candle's product, and the int8 copy where one can be made; `None` inside if
    /// making it failed.
    Candle {
        matrix: QMatMul,
        int8: Option<Arc<OnceLock<Option<Int8Layer>>>>,
    },
    /// An int8 matrix read from the int8 cache.
    Int8(Arc<Int8Layer>),
}

enum Product<'a> {
    Int8(&'a Int8Layer),
    Candle(&'a QMatMul),
}

/// A layer's int8 matrix and its bias as values, for the GEMM's epilogue.
struct Int8Layer {
    matrix: Arc<Int8Matrix>,
    bias: Option<Vec<f32>>,
}

impl Int8Layer {
    fn new(matrix: Arc<Int8Matrix>, bias: Option<&Tensor>) -> candle_core::Result<Int8Layer> {
        let bias = match bias {
            Some(bias) => Some(bias.flatten_all()?.to_vec1::<f32>()?),
            None => None,
        };
        Ok(Int8Layer { matrix, bias })
    }
}

impl Linear {
    pub fn load(weights: &Weights, prefix: &str) -> candle_core::Result<Linear> {
        let bias_name = format!("{prefix}.bias");
        let bias = if weights.contains(&bias_name) {
            Some(weights.tensor(&bias_name)?)
        } else {
            None
        };
        Linear::of(weights, &format!("{prefix}.weight"), bias)
    }

    /// The layer of matrix `name` in `weights`, through its int8 matrix where one was
    /// read.
    pub fn of(weights: &Weights, name: &str, bias: Option<Tensor>) -> candle_core::Result<Linear> {
        match weights.int8(name) {
            Some(matrix) => Ok(Linear {
                weight: Weight::Int8(Arc::new(Int8Layer::new(matrix, bias.as_ref())?)),
                bias,
            }),
            None => Linear::new(weights.matrix(name)?, bias),
        }
    }

    pub fn new(matrix: QMatMul, bias: Option<Tensor>) -> candle_core::Result<Linear> {
        let int8 = match &matrix {
            QMatMul::QTensor(quantized)
                if quantized.dtype() == GgmlDType::Q8_0
                    && quantized.device().is_cpu()
                    && quantized.shape().rank() == 2
                    && crate::ml::int8::available() =>
            {
                Some(Arc::new(OnceLock::new()))
            }
            _ => None,
        };
        Ok(Linear {
            weight: Weight::Candle { matrix, int8 },
            bias,
        })
    }

    /// What the products go through: the int8 matrix (read, or copied now from the
    /// q8_0 one if this is the first product), else candle's.
    fn product(&self) -> Product<'_> {
        match &self.weight {
            Weight::Int8(layer) => Product::Int8(layer),
            Weight::Candle { matrix, int8 } => {
                let copied = match (matrix, int8) {
                    (QMatMul::QTensor(quantized), Some(copy)) => copy
                        .get_or_init(|| {
                            let (outputs, inputs) = quantized.shape().dims2().ok()?;
                            let bytes = quantized.data().ok()?;
                            let int8 = Int8Matrix::from_q8_0(&bytes, outputs, inputs)?;
                            Int8Layer::new(Arc::new(int8), self.bias.as_ref()).ok()
                        })
                        .as_ref(),
                    _ => None,
                };
                copied.map_or(Product::Candle(matrix), Product::Int8)
            }
        }
    }

    pub fn forward(&self, xs: &Tensor) -> candle_core::Result<Tensor> {
        self.forward_activated(xs, None)
    }

    /// `activation(x · Wᵀ + b)`; on the int8 path the bias and (where it is a
    /// function of one value) the activation are applied as the products are stored.
    pub fn forward_activated(
        &self,
        xs: &Tensor,
        activation: Option<Activation>,
    ) -> candle_core::Result<Tensor> {
        use candle_core::Module;
        let dims = xs.dims().to_vec();
        let Some((&features, outer)) = dims.split_last() else {
            return Err(candle_core::Error::Msg(
                "a linear layer needs a vector".into(),
            ));
        };
        let rows: usize = outer.iter().product();
        let flat = xs.reshape((rows, features))?;
        let (out, pending) = match self.product() {
            Product::Int8(layer) => {
                let values = flat.flatten_all()?.to_vec1::<f32>()?;
                let of_value = activation.and_then(Activation::of_value);
                let epilogue = Epilogue {
                    bias: layer.bias.as_deref(),
                    activation: of_value,
                };
                let products = layer.matrix.matmul(&values, rows, &epilogue);
                let out = Tensor::from_vec(products, (rows, layer.matrix.outputs()), xs.device())?;
                (out, activation.filter(|_| of_value.is_none()))
            }
            Product::Candle(matrix) => {
                let mut out = matrix.forward(&flat)?;
                if let Some(bias) = &self.bias {
                    out = out.broadcast_add(bias)?;
                }
                (out, activation)
            }
        };
        let out = match pending {
            Some(activation) => activation.apply(&out)?,
            None => out,
        };
        let mut shape = outer.to_vec();
        shape.push(out.dim(1)?);
        out.reshape(shape)
    }
}

/// Writes dense weights as GGUF, quantizing the tensors `quantize_this` picks (2-D,
/// with rows a multiple of the block size) and keeping the rest f32.
pub fn write_gguf(
    path: &Path,
    tensors: &HashMap<String, Tensor>,
    dtype: GgmlDType,
    quantize_this: impl Fn(&str) -> bool,
    metadata: &[(&str, gguf_file::Value)],
) -> Result<(), MlError> {
    let failed = |detail: String| MlError::Load {
        id: path.display().to_string(),
        path: path.to_path_buf(),
        detail,
    };
    let mut names: Vec<&String> = tensors.keys().collect();
    names.sort();
    let mut quantized = Vec::with_capacity(names.len());
    for name in names {
        let tensor = tensors[name]
            .to_dtype(candle_core::DType::F32)
            .map_err(|error| failed(error.to_string()))?;
        let blocks_fit = tensor.rank() == 2
            && tensor
                .dims()
                .last()
                .is_some_and(|&columns| columns % dtype.block_size() == 0);
        let chosen = if blocks_fit && quantize_this(name) {
            dtype
        } else {
            GgmlDType::F32
        };
        let qtensor =
            QTensor::quantize(&tensor, chosen).map_err(|error| failed(error.to_string()))?;
        quantized.push((name.as_str(), qtensor));
    }
    let tensor_refs: Vec<(&str, &QTensor)> = quantized
        .iter()
        .map(|(name, tensor)| (*name, tensor))
        .collect();
    let metadata_refs: Vec<(&str, &gguf_file::Value)> =
        metadata.iter().map(|(key, value)| (*key, value)).collect();
    let mut bytes = std::io::Cursor::new(Vec::new());
    gguf_file::write(&mut bytes, &metadata_refs, &tensor_refs)
        .map_err(|error| failed(error.to_string()))?;
    crate::files::write_atomically(path, bytes.get_ref())?;
    Ok(())
}

/// A `[B, T]` tensor of token ids, padded with `pad` to the longest row, and the
/// matching `[B, T]` mask (1 real, 0 padding).
pub fn padded_batch(
    rows: &[Vec<u32>],
    pad: u32,
    device: &Device,
) -> candle_core::Result<(Tensor, Tensor)> {
    let longest = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let mut ids = Vec::with_capacity(rows.len() * longest);
    let mut mask = Vec::with_capacity(rows.len() * longest);
    for row in rows {
        ids.extend(
            row.iter()
                .copied()
                .chain(std::iter::repeat_n(pad, longest - row.len())),
        );
        mask.extend(
            std::iter::repeat_n(1u32, row.len()).chain(std::iter::repeat_n(0, longest - row.len())),
        );
    }
    Ok((
        Tensor::from_vec(ids, (rows.len(), longest), device)?,
        Tensor::from_vec(mask, (rows.len(), longest), device)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q8_0_embedding_rows_are_the_dequantized_tables_rows() {
        let (rows, columns) = (7, 64);
        let values: Vec<f32> = (0..rows * columns)
            .map(|i| (i as f32 * 0.71).sin())
            .collect();
        let table = Tensor::from_vec(values, (rows, columns), &Device::Cpu).unwrap();
        let quantized = Arc::new(QTensor::quantize(&table, GgmlDType::Q8_0).unwrap());
        let weights = Weights::Quantized {
            tensors: HashMap::from([("table".to_string(), quantized.clone())]),
            int8: HashMap::new(),
            device: Device::Cpu,
        };
        let embedding = weights.embedding("table").unwrap();
        assert!(matches!(embedding, Embedding::Q8_0 { .. }));
        let ids = Tensor::new(&[6u32, 0, 6, 3], &Device::Cpu).unwrap();
        let expected = quantized
            .dequantize(&Device::Cpu)
            .unwrap()
            .index_select(&ids, 0)
            .unwrap();
        let looked_up = embedding.rows(&ids).unwrap();
        assert_eq!(looked_up.dims(), &[4, columns]);
        assert_eq!(
            looked_up.flatten_all().unwrap().to_vec1::<f32>().unwrap(),
            expected.flatten_all().unwrap().to_vec1::<f32>().unwrap()
        );
        let outside = Tensor::new(&[7u32], &Device::Cpu).unwrap();
        let error = embedding.rows(&outside).unwrap_err().to_string();
        assert!(error.contains("index 7 is outside the 7-row"), "{error}");
    }
}
