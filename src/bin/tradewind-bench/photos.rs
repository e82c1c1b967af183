//! `tradewind-bench photos`: photos into CLIP ViT-B/32 (random weights) on the CPU, ours
//! beside the stock path that candle's CLIP example takes (the image crate's plain decode,
//! `resize_to_fill` with a triangle filter, candle-transformers' `ClipModel`), and the
//! tag job end to end. The JPEGs are made here: a product on a shaded backdrop with
//! sensor-like noise, so that they compress as photos do.

use std::path::{Path, PathBuf};
use std::time::Instant;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::clip::ClipModel;
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, RgbImage};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tradewind::ml::clip::{Fit, ZeroShotTagger, candle_config, fitted};
use tradewind::ml::fixtures::{CLIP_FILES, CLIP_ID, ImageTextShape, files_as_found};
use tradewind::ml::weights::ModelFiles;
use tradewind::photos::decode::decode_for_model;
use tradewind::{JobOutcome, JobSpec};

use crate::measure::{BenchResult, fresh_engine, in_child_json, peak_rss_mb, run_job};

#[derive(clap::Args)]
pub struct Options {
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Where the model and the photos are written (kept between runs; about 700 MB).
    #[arg(long, default_value = "target/bench/photos")]
    dir: PathBuf,
    /// 1 MP photos per set, a seller's shoot (the tag job tags two sets: label cache
    /// cold, then warm).
    #[arg(long, default_value_t = 200)]
    photos: usize,
}

#[derive(clap::Args)]
pub struct RunOptions {
    #[arg(long)]
    case: String,
    #[arg(long)]
    dir: PathBuf,
    #[arg(long, default_value_t = 1)]
    batch: usize,
}

/// What a child reports.
#[derive(Debug, Serialize, Deserialize)]
pub struct PhotoMeasurement {
    pub load_seconds: f64,
    pub photos: usize,
    pub seconds: f64,
    pub peak_rss_mb: f64,
}

impl PhotoMeasurement {
    pub fn per_second(&self) -> f64 {
        self.photos as f64 / self.seconds
    }

    fn milliseconds_each(&self) -> f64 {
        1000.0 * self.seconds / self.photos as f64
    }
}

/// The sets of photos: folder name, size, how many.
const LARGE: (&str, u32, u32) = ("12mp", 4000, 3000);
const SMALL: (&str, u32, u32) = ("1mp", 1152, 864);
const LARGE_COUNT: usize = 8;

pub fn model_dir(root: &Path) -> PathBuf {
    root.join("catalog").join(CLIP_ID)
}

pub fn photo_dir(root: &Path, set: &str) -> PathBuf {
    root.join(format!("photos-{set}"))
}

/// A deterministic stream of numbers, so the same run makes the same photos.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 32) as u32
    }
}

/// A product photo: a rounded, shaded object on a graded backdrop, with noise.
fn product_photo(width: u32, height: u32, seed: u64) -> RgbImage {
    let mut noise = Noise(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let hue = [
        (noise.next() % 200 + 30) as f32,
        (noise.next() % 200 + 30) as f32,
        (noise.next() % 200 + 30) as f32,
    ];
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let (rx, ry) = (width as f32 * 0.28, height as f32 * 0.36);
    RgbImage::from_fn(width, height, |x, y| {
        let (dx, dy) = ((x as f32 - cx) / rx, (y as f32 - cy) / ry);
        let inside = dx * dx + dy * dy;
        let grain = (noise.next() % 17) as f32 - 8.0;
        let pixel = |channel: usize| {
            let value = if inside < 1.0 {
                hue[channel] * (1.1 - 0.4 * inside) + 20.0 * (dx * 3.0).sin()
            } else {
                235.0 - 40.0 * (y as f32 / height as f32)
            };
            (value + grain).clamp(0.0, 255.0) as u8
        };
        image::Rgb([pixel(0), pixel(1), pixel(2)])
    })
}

fn write_photos(dir: &Path, prefix: &str, size: (u32, u32), count: usize) -> BenchResult<()> {
    let ready = dir.join(format!(".{prefix}-complete"));
    if ready.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    eprintln!(
        "writing {count} {}×{} JPEGs to {}",
        size.0,
        size.1,
        dir.display()
    );
    for index in 0..count {
        let photo = product_photo(
            size.0,
            size.1,
            (index as u64 + 1) * 7919 + prefix.len() as u64,
        );
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, 90).encode_image(&photo)?;
        std::fs::write(dir.join(format!("{prefix}-{index:03}.jpg")), bytes)?;
    }
    std::fs::write(ready, b"")?;
    Ok(())
}

/// The model and the photo sets under `dir`, `photos` to a 1 MP set; kept between runs.
pub fn prepare(dir: &Path, photos: usize) -> BenchResult<()> {
    let catalog = dir.join("catalog");
    if !catalog.join(".complete").exists() {
        eprintln!(
            "writing CLIP ViT-B/32 with random weights to {}",
            catalog.display()
        );
        tradewind::ml::fixtures::write_clip_catalog(&catalog, &ImageTextShape::CLIP_VIT_B_32, 1)?;
        std::fs::write(catalog.join(".complete"), b"")?;
    }
    write_photos(
        &photo_dir(dir, LARGE.0),
        "large",
        (LARGE.1, LARGE.2),
        LARGE_COUNT,
    )?;
    let small = (SMALL.1, SMALL.2);
    write_photos(&photo_dir(dir, SMALL.0), "small", small, photos)?;
    write_photos(&photo_dir(dir, "1mp-again"), "again", small, photos)?;
    Ok(())
}

fn jpegs(dir: &Path) -> BenchResult<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    paths.retain(|path| path.extension().is_some_and(|ext| ext == "jpg"));
    paths.sort();
    Ok(paths)
}

pub fn child(
    case: &str,
    dir: &Path,
    batch: usize,
    threads: usize,
) -> BenchResult<PhotoMeasurement> {
    let args: Vec<String> = [
        "photos-run",
        "--case",
        case,
        "--dir",
        &dir.display().to_string(),
        "--batch",
        &batch.to_string(),
    ]
    .iter()
    .map(|arg| arg.to_string())
    .collect();
    in_child_json(&args, threads)
}

fn ratio(ours: f64, theirs: f64) -> String {
    format!("{:.2}×", ours / theirs)
}

pub fn compare(options: &Options) -> BenchResult<()> {
    prepare(&options.dir, options.photos)?;
    let dir = &options.dir;
    let threads = options.threads;
    println!("Photos into CLIP ViT-B/32 (random weights, 224 px), {threads} threads");
    println!(
        "peer: candle's CLIP example (image crate decode, resize_to_fill triangle, stock ClipModel)"
    );
    println!();
    println!(
        "{:<34} {:>10} {:>10} {:>10}",
        "decode for the model, ms/photo", "ours", "peer", "speed-up"
    );
    for (set, width, height) in [LARGE, SMALL] {
        let ours = child(&format!("decode-ours-{set}"), dir, 1, threads)?;
        let peer = child(&format!("decode-peer-{set}"), dir, 1, threads)?;
        println!(
            "{:<34} {:>10.1} {:>10.1} {:>10}",
            format!("{set} JPEG ({width}×{height})"),
            ours.milliseconds_each(),
            peer.milliseconds_each(),
            ratio(peer.seconds, ours.seconds)
        );
    }
    println!();
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>9}",
        "decode + image tower, photos/s", "ours", "peer", "speed-up", "peak MiB"
    );
    for (set, _, _) in [SMALL, LARGE] {
        for batch in [1, 16] {
            let ours = child(&format!("pipeline-ours-{set}"), dir, batch, threads)?;
            let peer = child(&format!("pipeline-peer-{set}"), dir, batch, threads)?;
            println!(
                "{:<34} {:>10.2} {:>10.2} {:>10} {:>9.0}",
                format!("{set}, batch {batch}"),
                ours.per_second(),
                peer.per_second(),
                ratio(ours.per_second(), peer.per_second()),
                ours.peak_rss_mb
            );
        }
    }
    println!();
    println!("tag job end to end: load, decode, embed, propose down the taxonomy, save (wall)");
    let job: JobMeasurement = in_child_json(
        &[
            "photos-job".to_string(),
            "--dir".into(),
            dir.display().to_string(),
        ],
        threads,
    )?;
    for (label, seconds) in [
        ("label cache cold (first shoot)", job.cold_seconds),
        ("label cache warm (next shoot)", job.warm_seconds),
    ] {
        println!(
            "{:<34} {:>10.2} photos/s ({} 1 MP photos in {:.1} s)",
            label,
            job.photos as f64 / seconds,
            job.photos,
            seconds
        );
    }
    println!(
        "{} label prompts embedded once for the model; peak MiB {:.0}",
        job.label_prompts, job.peak_rss_mb
    );
    println!();
    println!(
        "targets: >= 8 photos/s end to end for 1 MP at batch 16; a 12 MP photo decoded for the model in < 60 ms"
    );
    Ok(())
}

/// What the tag job child reports: two shoots of the same size, the second with the
/// label embeddings cached by the first.
#[derive(Debug, Serialize, Deserialize)]
pub struct JobMeasurement {
    photos: usize,
    /// Label prompts the first shoot put through the text tower.
    label_prompts: u64,
    cold_seconds: f64,
    warm_seconds: f64,
    peak_rss_mb: f64,
}

#[derive(clap::Args)]
pub struct JobOptions {
    #[arg(long)]
    dir: PathBuf,
}

/// Imports and tags the first shoot, then imports and tags the second.
pub fn tag_job(options: &JobOptions) -> BenchResult<()> {
    let engine = fresh_engine(
        &options.dir,
        Some(options.dir.join("catalog").join("catalog.toml")),
    )?;
    let runtime = tokio::runtime::Runtime::new()?;
    let mut seconds = Vec::new();
    let mut photos = 0;
    let mut label_prompts = Vec::new();
    for set in [SMALL.0, "1mp-again"] {
        let before: Vec<i64> = engine.photos()?.iter().map(|photo| photo.id).collect();
        let folder = photo_dir(&options.dir, set);
        run_job(&engine, &runtime, &JobSpec::ImportPhotos { folder })?;
        let shoot: Vec<i64> = engine
            .photos()?
            .iter()
            .map(|photo| photo.id)
            .filter(|id| !before.contains(id))
            .collect();
        photos = shoot.len();
        let spec = JobSpec::TagPhotos {
            photos: shoot,
            model: None,
        };
        let (wall, outcome) = run_job(&engine, &runtime, &spec)?;
        match outcome {
            Some(JobOutcome::TagPhotos { tagged, .. }) if tagged.photos as usize == photos => {
                label_prompts.push(tagged.label_embeddings.misses);
            }
            other => return Err(format!("the tag job did not tag every photo: {other:?}").into()),
        }
        seconds.push(wall);
    }
    let measured = JobMeasurement {
        photos,
        label_prompts: label_prompts[0],
        cold_seconds: seconds[0],
        warm_seconds: seconds[1],
        peak_rss_mb: peak_rss_mb(),
    };
    println!("{}", serde_json::to_string(&measured)?);
    Ok(())
}

fn stock_image(path: &Path, size: u32) -> BenchResult<Tensor> {
    let photo = image::ImageReader::open(path)?.decode()?;
    let photo = photo
        .resize_to_fill(size, size, FilterType::Triangle)
        .to_rgb8();
    Ok(Tensor::from_vec(
        photo.into_raw(),
        (size as usize, size as usize, 3),
        &Device::Cpu,
    )?
    .permute((2, 0, 1))?
    .to_dtype(DType::F32)?
    .affine(2. / 255., -1.)?)
}

fn ours_image(path: &Path, size: u32) -> BenchResult<DynamicImage> {
    let bytes = std::fs::read(path)?;
    Ok(decode_for_model(path, &bytes, size)?)
}

pub fn run(options: &RunOptions) -> BenchResult<()> {
    let (what, set) = options
        .case
        .rsplit_once('-')
        .ok_or("a case is what-set, e.g. decode-ours-1mp")?;
    let models = model_dir(&options.dir);
    let started = Instant::now();
    let measured = match what {
        "decode-ours" | "decode-peer" => {
            let paths = jpegs(&photo_dir(&options.dir, set))?;
            // One photo first, so that page faults and lazy set-up are not counted.
            let once = |path: &Path| -> BenchResult<()> {
                if what == "decode-ours" {
                    fitted(&ours_image(path, 224)?, 224, Fit::CentreCrop);
                } else {
                    stock_image(path, 224)?;
                }
                Ok(())
            };
            once(&paths[0])?;
            let began = Instant::now();
            for path in &paths {
                once(path)?;
            }
            PhotoMeasurement {
                load_seconds: 0.0,
                photos: paths.len(),
                seconds: began.elapsed().as_secs_f64(),
                peak_rss_mb: peak_rss_mb(),
            }
        }
        "pipeline-ours" => {
            let paths = jpegs(&photo_dir(&options.dir, set))?;
            let found = files_as_found(&models, CLIP_FILES)?;
            let tagger = ZeroShotTagger::load(&ModelFiles::new(CLIP_ID, &found), &Device::Cpu)?;
            let load_seconds = started.elapsed().as_secs_f64();
            let began = Instant::now();
            for batch in paths.chunks(options.batch) {
                // As the tag job: the batch's photos decode side by side.
                let photos = batch
                    .par_iter()
                    .map(|path| {
                        ours_image(path, tagger.image_size()).map_err(|error| error.to_string())
                    })
                    .collect::<Result<Vec<_>, String>>()?;
                tagger.embed_images(&photos)?;
            }
            PhotoMeasurement {
                load_seconds,
                photos: paths.len(),
                seconds: began.elapsed().as_secs_f64(),
                peak_rss_mb: peak_rss_mb(),
            }
        }
        "pipeline-peer" => {
            let paths = jpegs(&photo_dir(&options.dir, set))?;
            let config = candle_config(&models.join("config.json"))?;
            let weights = [models.join("model.safetensors")];
            // The example maps the file (unsafe, which this crate denies outside
            // `ml::int8`); reading it whole costs the load, not the photos/s measured here.
            let buffer = std::fs::read(&weights[0])?;
            let vb = VarBuilder::from_buffered_safetensors(buffer, DType::F32, &Device::Cpu)?;
            let model = ClipModel::new(vb, &config)?;
            let load_seconds = started.elapsed().as_secs_f64();
            let size = config.vision_config.image_size as u32;
            let began = Instant::now();
            for batch in paths.chunks(options.batch) {
                let pixels = batch
                    .iter()
                    .map(|path| stock_image(path, size))
                    .collect::<BenchResult<Vec<_>>>()?;
                let features = model.get_image_features(&Tensor::stack(&pixels, 0)?)?;
                features.to_vec2::<f32>()?;
            }
            PhotoMeasurement {
                load_seconds,
                photos: paths.len(),
                seconds: began.elapsed().as_secs_f64(),
                peak_rss_mb: peak_rss_mb(),
            }
        }
        other => return Err(format!("no case '{other}'").into()),
    };
    println!("{}", serde_json::to_string(&measured)?);
    Ok(())
}
