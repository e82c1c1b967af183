//! Photo files to pixels, the way the seller sees them (EXIF orientation applied):
//! JPEG, PNG and WebP; other formats are refused in one sentence. For the models a JPEG
//! far larger than their input is decoded at 1/2, 1/4 or 1/8 scale in the DCT domain
//! (jpeg-decoder), which skips most of the work.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbImage};

use crate::files::FileError;

/// A photo decoded, oriented, with the format it came in.
pub struct Decoded {
    pub image: DynamicImage,
    pub format: &'static str,
}

/// Extensions of photo files the import looks at: those it reads, and those it names as
/// unsupported rather than passing over in silence.
pub fn is_photo_file(path: &Path) -> bool {
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| {
            matches!(
                extension.to_ascii_lowercase().as_str(),
                "jpg"
                    | "jpeg"
                    | "png"
                    | "webp"
                    | "heic"
                    | "heif"
                    | "avif"
                    | "tif"
                    | "tiff"
                    | "gif"
                    | "bmp"
            )
        })
}

fn unreadable(path: &Path, detail: String) -> FileError {
    FileError::Unreadable {
        path: path.to_path_buf(),
        detail,
    }
}

/// The format of `bytes`, if Tradewind reads it.
fn format_of(path: &Path, bytes: &[u8]) -> Result<(ImageFormat, &'static str), FileError> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok((ImageFormat::Jpeg, "jpeg")),
        Ok(ImageFormat::Png) => Ok((ImageFormat::Png, "png")),
        Ok(ImageFormat::WebP) => Ok((ImageFormat::WebP, "webp")),
        Ok(other) => Err(unreadable(
            path,
            format!(
                "unsupported format ({}); save it as JPEG, PNG or WebP",
                other
                    .extensions_str()
                    .first()
                    .copied()
                    .unwrap_or("unknown")
                    .to_uppercase()
            ),
        )),
        Err(_) if bytes.get(4..8) == Some(b"ftyp".as_slice()) => Err(unreadable(
            path,
            "unsupported format (HEIC or AVIF); save it as JPEG, PNG or WebP".into(),
        )),
        Err(_) => Err(unreadable(path, "not a photo Tradewind can read".into())),
    }
}

/// A JPEG ends with its end-of-image marker (some cameras pad after it): decoders fill a
/// cut-short file's missing rows with grey rather than say so.
fn require_whole_jpeg(path: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let end = bytes
        .iter()
        .rposition(|byte| *byte != 0)
        .map_or(0, |last| last + 1);
    if bytes[..end].ends_with(&[0xff, 0xd9]) {
        Ok(())
    } else {
        Err(unreadable(
            path,
            "the photo is damaged or cut short (it has no end-of-image marker)".into(),
        ))
    }
}

/// The whole photo, oriented as its EXIF data says.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<Decoded, FileError> {
    let (format, name) = format_of(path, bytes)?;
    if format == ImageFormat::Jpeg {
        require_whole_jpeg(path, bytes)?;
    }
    let damaged = |error: image::ImageError| {
        unreadable(path, format!("the photo is damaged or cut short ({error})"))
    };
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(damaged)?;
    let orientation = decoder.orientation().map_err(damaged)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    image.apply_orientation(orientation);
    Ok(Decoded {
        image,
        format: name,
    })
}

/// The photo with its shortest side at least `edge` pixels where the file has that many,
/// decoded as small as that allows: a JPEG at a fraction of its size in the DCT domain.
pub fn decode_for_model(path: &Path, bytes: &[u8], edge: u32) -> Result<DynamicImage, FileError> {
    let (format, _) = format_of(path, bytes)?;
    if format != ImageFormat::Jpeg {
        return Ok(decode(path, bytes)?.image);
    }
    require_whole_jpeg(path, bytes)?;
    let damaged = |detail: String| {
        unreadable(
            path,
            format!("the photo is damaged or cut short ({detail})"),
        )
    };
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder
        .read_info()
        .map_err(|error| damaged(error.to_string()))?;
    let info = decoder
        .info()
        .ok_or_else(|| damaged("no image header".into()))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let shortest = width.min(height).max(1);
    // The scale that keeps the shortest side at `edge` or more.
    let wanted = |side: u32| (u64::from(side) * u64::from(edge)).div_ceil(u64::from(shortest));
    let request = |side: u32| u16::try_from(wanted(side)).unwrap_or(u16::MAX);
    decoder
        .scale(request(width), request(height))
        .map_err(|error| damaged(error.to_string()))?;
    let pixels = decoder
        .decode()
        .map_err(|error| damaged(error.to_string()))?;
    let info = decoder
        .info()
        .ok_or_else(|| damaged("no image header".into()))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let image = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8)
        }
        // CMYK and 16-bit JPEGs are rare: the general decoder knows them.
        _ => return Ok(decode(path, bytes)?.image),
    }
    .ok_or_else(|| damaged("the decoded size does not match its header".into()))?;
    let orientation = image::codecs::jpeg::JpegDecoder::new(Cursor::new(bytes))
        .and_then(|mut header| header.orientation())
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = image;
    image.apply_orientation(orientation);
    Ok(image)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(image: &DynamicImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg)
            .unwrap();
        bytes
    }

    /// A JPEG with an EXIF orientation: `tag` as in the EXIF standard (6: rotate 90°).
    pub(crate) fn with_orientation(jpeg: &[u8], tag: u16) -> Vec<u8> {
        // APP1 "Exif\0\0", a big-endian TIFF header and one IFD entry: 0x0112 = tag.
        let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
        exif.extend_from_slice(&tag.to_be_bytes());
        exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xff, 0xe1]);
        out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&exif);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn wide_red_left() -> DynamicImage {
        let mut rgb = RgbImage::from_pixel(64, 32, image::Rgb([255, 255, 255]));
        for y in 0..32 {
            for x in 0..16 {
                rgb.put_pixel(x, y, image::Rgb([220, 0, 0]));
            }
        }
        DynamicImage::ImageRgb8(rgb)
    }

    #[test]
    fn an_exif_rotation_is_applied() {
        let rotated = with_orientation(&jpeg(&wide_red_left()), 6);
        let decoded = decode(Path::new("rotated.jpg"), &rotated).unwrap();
        assert_eq!(decoded.format, "jpeg");
        assert_eq!(
            (decoded.image.width(), decoded.image.height()),
            (32, 64),
            "turned upright"
        );
        let top = decoded.image.to_rgb8().get_pixel(16, 2).0;
        assert!(
            top[0] > 180 && top[1] < 80,
            "the red side is now on top: {top:?}"
        );
        let for_model = decode_for_model(Path::new("rotated.jpg"), &rotated, 16).unwrap();
        assert_eq!(
            (for_model.width(), for_model.height()),
            (16, 32),
            "at half size (still 16 on its shortest side), upright"
        );
    }

    #[test]
    fn a_large_jpeg_is_decoded_small_for_the_model_but_never_below_its_input() {
        let big =
            DynamicImage::ImageRgb8(RgbImage::from_pixel(2400, 1600, image::Rgb([10, 120, 200])));
        let bytes = jpeg(&big);
        let small = decode_for_model(Path::new("big.jpg"), &bytes, 224).unwrap();
        assert_eq!(
            (small.width(), small.height()),
            (600, 400),
            "a quarter: an eighth (300 × 200) would be short of 224"
        );
        let exact = decode_for_model(Path::new("big.jpg"), &bytes, 1600).unwrap();
        assert_eq!((exact.width(), exact.height()), (2400, 1600));
    }

    #[test]
    fn a_cut_short_jpeg_and_an_unsupported_format_are_one_sentence_each() {
        let bytes = jpeg(&wide_red_left());
        let cut = &bytes[..bytes.len() / 2];
        let message = decode(Path::new("cut.jpg"), cut).err().unwrap().to_string();
        assert!(
            message.starts_with("cut.jpg: the photo is damaged or cut short"),
            "{message}"
        );
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic");
        heic.extend_from_slice(&[0; 16]);
        let message = decode(Path::new("IMG_0001.HEIC"), &heic)
            .err()
            .unwrap()
            .to_string();
        assert_eq!(
            message,
            "IMG_0001.HEIC: unsupported format (HEIC or AVIF); save it as JPEG, PNG or WebP"
        );
        let message = decode(Path::new("notes.jpg"), b"hello")
            .err()
            .unwrap()
            .to_string();
        assert_eq!(message, "notes.jpg: not a photo Tradewind can read");
    }
}
