//! What the checks and the colours are made from, measured once when a photo is
//! imported, on a small copy: its size and format, the background (estimated from the
//! border), how much of the frame the product fills, its sharpness (variance of the
//! Laplacian), its exposure, its dominant colours and a perceptual hash.

use image::{DynamicImage, GenericImageView, GrayImage, RgbImage};
use serde::{Deserialize, Serialize};

use super::colours::{self, DominantColour};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Measures {
    /// As the photo is shown (EXIF orientation applied).
    pub width: u32,
    pub height: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    /// jpeg, png or webp.
    pub format: String,
    /// Share of the border that is pure white (every channel at least 250, which JPEG
    /// keeps of 255).
    pub white_border: f32,
    /// Whether the border is one colour, so the background can be told from the product.
    pub plain_background: bool,
    /// On a plain background: how much of the frame the product spans (its larger side's
    /// share of the frame's).
    pub fill: Option<f32>,
    /// Variance of the Laplacian of the product's region at 512 px; low is blurred.
    pub sharpness: f32,
    /// The product's mean lightness (CIELAB L*, 0–1).
    pub brightness: f32,
    /// Shares of the product's pixels that are black (L* < 5) or blown out (L* > 97).
    pub dark_clipped: f32,
    pub bright_clipped: f32,
    pub colours: Vec<DominantColour>,
}

/// The working copy's longest side for the background, fill and colours.
const WORK_EDGE: u32 = 160;
/// The longest side sharpness is measured at, so it does not depend on the file's size.
const SHARPNESS_EDGE: u32 = 512;
/// ΔE (CIELAB) from the background colour beyond which a pixel is the product's.
const PRODUCT_DELTA: f32 = 12.0;
/// Share of the border within that distance for the background to count as plain.
const PLAIN_SHARE: f32 = 0.85;

fn downscaled(image: &DynamicImage, edge: u32) -> DynamicImage {
    let (width, height) = image.dimensions();
    if width.max(height) <= edge {
        image.clone()
    } else {
        image.resize(edge, edge, image::imageops::FilterType::Triangle)
    }
}

fn median(values: &mut [u8]) -> u8 {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or(255)
}

/// The pixels of the outer ring, a 40th of each side deep: thinner than the margin
/// around a product that fills 90% of the frame.
fn border(rgb: &RgbImage) -> Vec<[u8; 3]> {
    let (width, height) = rgb.dimensions();
    let depth_x = (width / 40).max(1);
    let depth_y = (height / 40).max(1);
    rgb.enumerate_pixels()
        .filter(|(x, y, _)| {
            *x < depth_x || *y < depth_y || *x >= width - depth_x || *y >= height - depth_y
        })
        .map(|(_, _, pixel)| pixel.0)
        .collect()
}

pub fn measure(image: &DynamicImage, bytes: u64, format: &str) -> Measures {
    let (width, height) = image.dimensions();
    let small = downscaled(image, WORK_EDGE).to_rgb8();
    let ring = border(&small);
    let white_border = share(&ring, |pixel| pixel.iter().all(|channel| *channel >= 250));
    let mut channels: [Vec<u8>; 3] = Default::default();
    for pixel in &ring {
        for (channel, value) in channels.iter_mut().zip(pixel) {
            channel.push(*value);
        }
    }
    let background = colours::lab(channels.each_mut().map(|channel| median(channel)));
    let plain = share(&ring, |pixel| {
        colours::lab(*pixel).distance2(background) <= PRODUCT_DELTA.powi(2)
    }) >= PLAIN_SHARE;
    let is_product = |pixel: &[u8; 3]| {
        !plain || colours::lab(*pixel).distance2(background) > PRODUCT_DELTA.powi(2)
    };
    let (small_width, small_height) = small.dimensions();
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    let mut product: Vec<[u8; 3]> = Vec::new();
    for (x, y, pixel) in small.enumerate_pixels() {
        if is_product(&pixel.0) {
            product.push(pixel.0);
            bounds = Some(match bounds {
                None => (x, y, x, y),
                Some((left, top, right, bottom)) => {
                    (left.min(x), top.min(y), right.max(x), bottom.max(y))
                }
            });
        }
    }
    let fill = match (plain, bounds) {
        (true, Some((left, top, right, bottom))) => Some(
            (f64::from(right - left + 1) / f64::from(small_width))
                .max(f64::from(bottom - top + 1) / f64::from(small_height)) as f32,
        ),
        _ => None,
    };
    let lightness: Vec<f32> = product.iter().map(|pixel| colours::lab(*pixel).l).collect();
    let brightness = if lightness.is_empty() {
        0.0
    } else {
        lightness.iter().sum::<f32>() / lightness.len() as f32 / 100.0
    };
    let fraction = |wanted: &dyn Fn(f32) -> bool| {
        if lightness.is_empty() {
            0.0
        } else {
            lightness.iter().filter(|l| wanted(**l)).count() as f32 / lightness.len() as f32
        }
    };
    // The product's region at a fixed scale: a white margin has no edges to dilute.
    let region = bounds.map(|(left, top, right, bottom)| {
        let scale_x = width as f32 / small_width as f32;
        let scale_y = height as f32 / small_height as f32;
        let x = (left as f32 * scale_x) as u32;
        let y = (top as f32 * scale_y) as u32;
        let w = (((right + 1) as f32 * scale_x) as u32)
            .min(width)
            .saturating_sub(x)
            .max(1);
        let h = (((bottom + 1) as f32 * scale_y) as u32)
            .min(height)
            .saturating_sub(y)
            .max(1);
        image.crop_imm(x, y, w, h)
    });
    let sharpness = laplacian_variance(
        &downscaled(region.as_ref().unwrap_or(image), SHARPNESS_EDGE).to_luma8(),
    );
    Measures {
        width,
        height,
        bytes,
        format: format.to_string(),
        white_border,
        plain_background: plain,
        fill,
        sharpness,
        brightness,
        dark_clipped: fraction(&|l| l < 5.0),
        bright_clipped: fraction(&|l| l > 97.0),
        colours: colours::dominant(&product),
    }
}

fn share(pixels: &[[u8; 3]], wanted: impl Fn(&[u8; 3]) -> bool) -> f32 {
    if pixels.is_empty() {
        return 0.0;
    }
    pixels.iter().filter(|pixel| wanted(pixel)).count() as f32 / pixels.len() as f32
}

/// The variance of the 4-neighbour Laplacian: edges make it large, blur flattens it.
pub fn laplacian_variance(grey: &GrayImage) -> f32 {
    let (width, height) = grey.dimensions();
    if width < 3 || height < 3 {
        return 0.0;
    }
    let at = |x: u32, y: u32| f32::from(grey.get_pixel(x, y)[0]);
    let mut values = Vec::with_capacity(((width - 2) * (height - 2)) as usize);
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            values.push(at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y));
        }
    }
    let mean = values.iter().sum::<f32>() / values.len() as f32;
    values
        .iter()
        .map(|value| (value - mean).powi(2))
        .sum::<f32>()
        / values.len() as f32
}

/// A 64-bit difference hash: each bit says whether a cell of a 9×8 grey copy is brighter
/// than its right neighbour. Re-encoded, resized or slightly retouched copies of a photo
/// differ in a few bits only.
pub fn difference_hash(image: &DynamicImage) -> u64 {
    let grey = image
        .resize_exact(9, 8, image::imageops::FilterType::Triangle)
        .to_luma8();
    let mut hash = 0u64;
    for y in 0..8 {
        for x in 0..8 {
            hash <<= 1;
            if grey.get_pixel(x, y)[0] > grey.get_pixel(x + 1, y)[0] {
                hash |= 1;
            }
        }
    }
    hash
}

/// How many bits two hashes differ in.
pub fn hash_distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

impl Measures {
    /// Whether the photo stands on a pure white background.
    pub fn on_white(&self) -> bool {
        self.plain_background && self.white_border >= 0.9
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A studio shot: a `colour` rectangle covering `cover` of each side, on white.
    pub fn product_on_white(width: u32, height: u32, cover: f32, colour: [u8; 3]) -> DynamicImage {
        let mut rgb = RgbImage::from_pixel(width, height, image::Rgb([255, 255, 255]));
        let (w, h) = (
            (width as f32 * cover) as u32,
            (height as f32 * cover) as u32,
        );
        let (left, top) = ((width - w) / 2, (height - h) / 2);
        for y in top..top + h {
            for x in left..left + w {
                // A pattern of stripes, for edges to measure.
                let shade = if (x / 8 + y / 8) % 2 == 0 {
                    colour
                } else {
                    colour.map(|c| c / 2)
                };
                rgb.put_pixel(x, y, image::Rgb(shade));
            }
        }
        DynamicImage::ImageRgb8(rgb)
    }

    #[test]
    fn a_studio_shot_on_white_is_measured_as_such() {
        let shot = product_on_white(1200, 1200, 0.9, [200, 30, 30]);
        let measures = measure(&shot, 123_456, "jpeg");
        assert_eq!(
            (measures.width, measures.height, measures.bytes),
            (1200, 1200, 123_456)
        );
        assert!(measures.on_white(), "{measures:?}");
        let fill = measures.fill.unwrap();
        assert!((fill - 0.9).abs() < 0.03, "{fill}");
        assert!(measures.sharpness > 100.0, "{}", measures.sharpness);
        assert_eq!(measures.colours[0].name, "red");
        assert!(
            measures
                .colours
                .iter()
                .any(|colour| colour.name == "burgundy")
        );
    }

    #[test]
    fn blur_and_darkness_show_in_the_measures() {
        let shot = product_on_white(800, 800, 0.8, [40, 90, 210]);
        let sharp = measure(&shot, 1, "jpeg");
        let blurred = measure(&shot.blur(9.0), 1, "jpeg");
        assert!(
            blurred.sharpness * 20.0 < sharp.sharpness,
            "{} vs {}",
            blurred.sharpness,
            sharp.sharpness
        );
        let dark =
            DynamicImage::ImageRgb8(RgbImage::from_pixel(300, 200, image::Rgb([12, 10, 14])));
        let dark = measure(&dark, 1, "png");
        assert!(!dark.on_white() && dark.brightness < 0.1, "{dark:?}");
        assert_eq!(
            dark.fill, None,
            "a photo that is all one colour has no product to find"
        );
    }

    #[test]
    fn a_scene_without_a_plain_background_has_no_fill() {
        let mut rgb = RgbImage::new(200, 100);
        for (x, y, pixel) in rgb.enumerate_pixels_mut() {
            *pixel = image::Rgb([(x % 256) as u8, (y * 2 % 256) as u8, ((x + y) % 256) as u8]);
        }
        let measures = measure(&DynamicImage::ImageRgb8(rgb), 1, "png");
        assert!(!measures.plain_background && measures.fill.is_none());
    }

    #[test]
    fn copies_of_a_photo_hash_close_and_other_photos_far() {
        let demo = |name: &str| {
            image::open(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("assets/demo/photos")
                    .join(name),
            )
            .unwrap()
        };
        let tote = demo("sakura-stitch-tote-1.jpg");
        let hash = difference_hash(&tote);
        let smaller =
            difference_hash(&tote.resize(200, 200, image::imageops::FilterType::Triangle));
        assert!(
            hash_distance(hash, smaller) <= 6,
            "{}",
            hash_distance(hash, smaller)
        );
        assert!(hash_distance(hash, difference_hash(&demo("pawprint-cat-bed-1.jpg"))) > 12);
    }
}
