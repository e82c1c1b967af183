//! A photo's dominant colours without a model: k-means in CIELAB (where distances follow
//! what eyes see) over the product's pixels, each cluster named after the nearest colour
//! of a small palette whose names exist in the interface's and the listings' languages.

use serde::{Deserialize, Serialize};

/// A colour of the photo: its share of the product's pixels, its sRGB hex and the key of
/// its palette name (`red`, `navy`…; see [`colour_name`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DominantColour {
    pub hex: String,
    pub name: String,
    pub share: f32,
}

/// A point in CIELAB (D65).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lab {
    pub l: f32,
    pub a: f32,
    pub b: f32,
}

impl Lab {
    pub fn distance2(self, other: Lab) -> f32 {
        (self.l - other.l).powi(2) + (self.a - other.a).powi(2) + (self.b - other.b).powi(2)
    }
}

fn linear(channel: u8) -> f32 {
    let value = f32::from(channel) / 255.0;
    if value <= 0.040_45 {
        value / 12.92
    } else {
        ((value + 0.055) / 1.055).powf(2.4)
    }
}

fn encoded(value: f32) -> u8 {
    let value = value.clamp(0.0, 1.0);
    let gamma = if value <= 0.003_130_8 {
        value * 12.92
    } else {
        1.055 * value.powf(1.0 / 2.4) - 0.055
    };
    (gamma * 255.0).round() as u8
}

const WHITE: [f32; 3] = [0.950_47, 1.0, 1.088_83];

fn lab_f(t: f32) -> f32 {
    if t > 216.0 / 24_389.0 {
        t.cbrt()
    } else {
        (24_389.0 / 27.0 * t + 16.0) / 116.0
    }
}

fn lab_f_inverse(t: f32) -> f32 {
    if t.powi(3) > 216.0 / 24_389.0 {
        t.powi(3)
    } else {
        (116.0 * t - 16.0) / (24_389.0 / 27.0)
    }
}

pub fn lab(rgb: [u8; 3]) -> Lab {
    let [r, g, b] = rgb.map(linear);
    let x = (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) / WHITE[0];
    let y = (0.212_672_9 * r + 0.715_152_2 * g + 0.072_175 * b) / WHITE[1];
    let z = (0.019_333_9 * r + 0.119_192 * g + 0.950_304_1 * b) / WHITE[2];
    let (fx, fy, fz) = (lab_f(x), lab_f(y), lab_f(z));
    Lab {
        l: 116.0 * fy - 16.0,
        a: 500.0 * (fx - fy),
        b: 200.0 * (fy - fz),
    }
}

pub fn rgb(lab: Lab) -> [u8; 3] {
    let fy = (lab.l + 16.0) / 116.0;
    let fx = fy + lab.a / 500.0;
    let fz = fy - lab.b / 200.0;
    let (x, y, z) = (
        lab_f_inverse(fx) * WHITE[0],
        lab_f_inverse(fy) * WHITE[1],
        lab_f_inverse(fz) * WHITE[2],
    );
    let r = 3.240_454_2 * x - 1.537_138_5 * y - 0.498_531_4 * z;
    let g = -0.969_266 * x + 1.876_010_8 * y + 0.041_556 * z;
    let b = 0.055_643_4 * x - 0.204_025_9 * y + 1.057_225_2 * z;
    [encoded(r), encoded(g), encoded(b)]
}

pub fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

/// The palette: (key, sRGB) of colour words sellers use; the names per language are in
/// [`colour_name`].
const PALETTE: &[(&str, [u8; 3])] = &[
    ("black", [20, 20, 20]),
    ("white", [250, 250, 250]),
    ("grey", [128, 128, 128]),
    ("silver", [192, 192, 192]),
    ("red", [200, 30, 30]),
    ("burgundy", [110, 20, 40]),
    ("pink", [240, 140, 180]),
    ("orange", [240, 130, 30]),
    ("yellow", [245, 215, 40]),
    ("gold", [200, 160, 60]),
    ("beige", [225, 205, 170]),
    ("brown", [120, 75, 40]),
    ("olive", [110, 115, 40]),
    ("green", [40, 150, 60]),
    ("teal", [20, 130, 130]),
    ("turquoise", [60, 200, 200]),
    ("blue", [40, 90, 210]),
    ("navy", [20, 30, 90]),
    ("purple", [120, 50, 150]),
    ("lavender", [180, 160, 220]),
];

/// Every palette key, in palette order.
pub fn palette_keys() -> impl Iterator<Item = &'static str> {
    PALETTE.iter().map(|(key, _)| *key)
}

/// The palette key nearest to `colour`.
pub fn nearest_name(colour: Lab) -> &'static str {
    PALETTE
        .iter()
        .min_by(|(_, a), (_, b)| {
            colour
                .distance2(lab(*a))
                .total_cmp(&colour.distance2(lab(*b)))
        })
        .map_or("grey", |(key, _)| key)
}

/// A palette colour's name in `language` (a BCP 47 code; its primary subtag decides),
/// English where the palette has no name in that language.
pub fn colour_name(key: &str, language: &str) -> String {
    let primary = language.split(['-', '_']).next().unwrap_or(language);
    let column = match primary {
        "zh" => 1,
        "de" => 2,
        "fr" => 3,
        "es" => 4,
        "it" => 5,
        "nl" => 6,
        "sv" => 7,
        "pl" => 8,
        "ja" => 9,
        _ => 0,
    };
    NAMES
        .iter()
        .find(|row| row[0] == key)
        .map_or(key, |row| row[column])
        .to_string()
}

/// key (English), zh, de, fr, es, it, nl, sv, pl, ja.
const NAMES: &[[&str; 10]] = &[
    [
        "black", "黑色", "schwarz", "noir", "negro", "nero", "zwart", "svart", "czarny", "黒",
    ],
    [
        "white", "白色", "weiß", "blanc", "blanco", "bianco", "wit", "vit", "biały", "白",
    ],
    [
        "grey",
        "灰色",
        "grau",
        "gris",
        "gris",
        "grigio",
        "grijs",
        "grå",
        "szary",
        "グレー",
    ],
    [
        "silver",
        "银色",
        "silber",
        "argent",
        "plateado",
        "argento",
        "zilver",
        "silver",
        "srebrny",
        "シルバー",
    ],
    [
        "red", "红色", "rot", "rouge", "rojo", "rosso", "rood", "röd", "czerwony", "赤",
    ],
    [
        "burgundy",
        "酒红色",
        "bordeaux",
        "bordeaux",
        "burdeos",
        "bordeaux",
        "bordeaux",
        "vinröd",
        "bordowy",
        "ボルドー",
    ],
    [
        "pink",
        "粉色",
        "rosa",
        "rose",
        "rosa",
        "rosa",
        "roze",
        "rosa",
        "różowy",
        "ピンク",
    ],
    [
        "orange",
        "橙色",
        "orange",
        "orange",
        "naranja",
        "arancione",
        "oranje",
        "orange",
        "pomarańczowy",
        "オレンジ",
    ],
    [
        "yellow", "黄色", "gelb", "jaune", "amarillo", "giallo", "geel", "gul", "żółty", "黄",
    ],
    [
        "gold",
        "金色",
        "gold",
        "doré",
        "dorado",
        "oro",
        "goud",
        "guld",
        "złoty",
        "ゴールド",
    ],
    [
        "beige",
        "米色",
        "beige",
        "beige",
        "beis",
        "beige",
        "beige",
        "beige",
        "beżowy",
        "ベージュ",
    ],
    [
        "brown", "棕色", "braun", "marron", "marrón", "marrone", "bruin", "brun", "brązowy", "茶色",
    ],
    [
        "olive",
        "橄榄色",
        "oliv",
        "olive",
        "oliva",
        "oliva",
        "olijf",
        "oliv",
        "oliwkowy",
        "オリーブ",
    ],
    [
        "green", "绿色", "grün", "vert", "verde", "verde", "groen", "grön", "zielony", "緑",
    ],
    [
        "teal",
        "青色",
        "petrol",
        "bleu canard",
        "verde azulado",
        "verde acqua",
        "petrol",
        "petrol",
        "morski",
        "ティール",
    ],
    [
        "turquoise",
        "绿松石色",
        "türkis",
        "turquoise",
        "turquesa",
        "turchese",
        "turquoise",
        "turkos",
        "turkusowy",
        "ターコイズ",
    ],
    [
        "blue",
        "蓝色",
        "blau",
        "bleu",
        "azul",
        "blu",
        "blauw",
        "blå",
        "niebieski",
        "青",
    ],
    [
        "navy",
        "海军蓝",
        "marineblau",
        "bleu marine",
        "azul marino",
        "blu navy",
        "marineblauw",
        "marinblå",
        "granatowy",
        "ネイビー",
    ],
    [
        "purple",
        "紫色",
        "lila",
        "violet",
        "morado",
        "viola",
        "paars",
        "lila",
        "fioletowy",
        "紫",
    ],
    [
        "lavender",
        "淡紫色",
        "lavendel",
        "lavande",
        "lavanda",
        "lavanda",
        "lavendel",
        "lavendel",
        "lawendowy",
        "ラベンダー",
    ],
];

/// At most this many colours per photo.
const CLUSTERS: usize = 4;
/// Colours under this share of the product are noise, not a colour of it.
const MIN_SHARE: f32 = 0.08;

/// The dominant colours of `pixels` (the product's, background left out), largest
/// share first. Deterministic: the centres start spread over the pixels' lightness.
pub fn dominant(pixels: &[[u8; 3]]) -> Vec<DominantColour> {
    if pixels.is_empty() {
        return Vec::new();
    }
    let points: Vec<Lab> = pixels.iter().map(|pixel| lab(*pixel)).collect();
    let mut sorted: Vec<usize> = (0..points.len()).collect();
    sorted.sort_by(|a, b| points[*a].l.total_cmp(&points[*b].l));
    let k = CLUSTERS.min(points.len());
    let mut centres: Vec<Lab> = (0..k)
        .map(|i| points[sorted[(2 * i + 1) * sorted.len() / (2 * k)]])
        .collect();
    let mut assignment = vec![0usize; points.len()];
    for _ in 0..20 {
        let mut moved = false;
        for (point, assigned) in points.iter().zip(assignment.iter_mut()) {
            let nearest = (0..k)
                .min_by(|a, b| {
                    point
                        .distance2(centres[*a])
                        .total_cmp(&point.distance2(centres[*b]))
                })
                .unwrap_or(0);
            moved |= nearest != *assigned;
            *assigned = nearest;
        }
        let mut sums = vec![(0.0f32, 0.0f32, 0.0f32, 0usize); k];
        for (point, &cluster) in points.iter().zip(&assignment) {
            let sum = &mut sums[cluster];
            sum.0 += point.l;
            sum.1 += point.a;
            sum.2 += point.b;
            sum.3 += 1;
        }
        for (centre, (l, a, b, count)) in centres.iter_mut().zip(sums) {
            if count > 0 {
                let n = count as f32;
                *centre = Lab {
                    l: l / n,
                    a: a / n,
                    b: b / n,
                };
            }
        }
        if !moved {
            break;
        }
    }
    let mut counts = vec![0usize; k];
    for &cluster in &assignment {
        counts[cluster] += 1;
    }
    // Clusters with the same name are one colour to the seller.
    let mut named: Vec<(&'static str, Lab, usize)> = Vec::new();
    for (centre, count) in centres.into_iter().zip(counts) {
        let name = nearest_name(centre);
        match named.iter_mut().find(|(existing, _, _)| *existing == name) {
            Some(entry) if entry.2 < count => {
                entry.1 = centre;
                entry.2 += count;
            }
            Some(entry) => entry.2 += count,
            None => named.push((name, centre, count)),
        }
    }
    let total = points.len() as f32;
    let mut colours: Vec<DominantColour> = named
        .into_iter()
        .map(|(name, centre, count)| DominantColour {
            hex: hex(rgb(centre)),
            name: name.to_string(),
            share: count as f32 / total,
        })
        .filter(|colour| colour.share >= MIN_SHARE)
        .collect();
    colours.sort_by(|a, b| b.share.total_cmp(&a.share));
    colours
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lab_goes_there_and_back() {
        for colour in [
            [0, 0, 0],
            [255, 255, 255],
            [200, 30, 30],
            [20, 30, 90],
            [128, 200, 64],
        ] {
            let back = rgb(lab(colour));
            for (a, b) in colour.iter().zip(back) {
                assert!(
                    (i16::from(*a) - i16::from(b)).abs() <= 1,
                    "{colour:?} → {back:?}"
                );
            }
        }
        let white = lab([255, 255, 255]);
        assert!((white.l - 100.0).abs() < 0.1 && white.a.abs() < 0.1 && white.b.abs() < 0.1);
    }

    #[test]
    fn known_colour_areas_come_out_with_their_names_and_shares() {
        let mut pixels = vec![[200u8, 25, 30]; 600];
        pixels.extend(vec![[22u8, 32, 88]; 300]);
        pixels.extend(vec![[248u8, 212, 45]; 100]);
        let colours = dominant(&pixels);
        let names: Vec<&str> = colours.iter().map(|colour| colour.name.as_str()).collect();
        assert_eq!(names, ["red", "navy", "yellow"]);
        assert!((colours[0].share - 0.6).abs() < 0.01);
        assert!((colours[1].share - 0.3).abs() < 0.01);
        assert_eq!(colours[0].hex.len(), 7);
    }

    #[test]
    fn a_speck_is_not_a_colour_and_nothing_is_no_colour() {
        let mut pixels = vec![[30u8, 150, 60]; 990];
        pixels.extend(vec![[240u8, 130, 30]; 10]);
        let colours = dominant(&pixels);
        assert_eq!(colours.len(), 1);
        assert_eq!(colours[0].name, "green");
        assert!(dominant(&[]).is_empty());
    }

    #[test]
    fn every_palette_colour_has_a_name_in_every_language() {
        for key in palette_keys() {
            assert!(NAMES.iter().any(|row| row[0] == key), "{key}");
            for language in ["zh-CN", "de", "fr", "es", "it", "nl", "sv", "pl", "ja"] {
                assert!(!colour_name(key, language).is_empty());
            }
        }
        assert_eq!(colour_name("navy", "zh-CN"), "海军蓝");
        assert_eq!(colour_name("navy", "de-CH"), "marineblau");
        assert_eq!(
            colour_name("navy", "pt"),
            "navy",
            "English where the palette has no name"
        );
    }
}
