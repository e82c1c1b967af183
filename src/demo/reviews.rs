//! The demo shop's reviews: Judge.me's export for the Shopify listings and Etsy's
//! reviews download for the Etsy orders that held one product, in five languages, most
//! of them happy, with the complaints a real shop hears again and again ("the strap
//! broke", "runs small", "duller than the photo") so the Reviews view has something to
//! find. Deterministic: the same plan always gives the same bytes.

use std::collections::BTreeMap;
use std::io;

use chrono::{Duration, NaiveDate};

use super::generator::OrdersPlan;
use crate::listings::catalogue::shopify_csv::ParsedListing;

/// The files, as bytes.
pub struct ReviewFiles {
    pub judge_me: Vec<u8>,
    pub etsy: Vec<u8>,
}

const JUDGE_ME_REVIEWS: usize = 160;
/// At most this many Etsy orders get a review.
const ETSY_REVIEWS: usize = 45;

/// Judge.me's export columns, in its order.
const JUDGE_ME_COLUMNS: &[&str] = &[
    "title",
    "body",
    "rating",
    "review_date",
    "source",
    "curated",
    "reviewer_name",
    "reviewer_email",
    "product_id",
    "product_handle",
    "reply",
    "reply_date",
    "picture_urls",
    "ip_address",
    "location",
];

/// How often each language is written, in percent: English, German, French, Spanish,
/// Italian (the order of every per-language table below).
const LANGUAGE_SHARE: [u8; 5] = [55, 15, 12, 10, 8];

/// A product's recurring complaint: how often its reviews make it, and how buyers put it
/// in each language (two wordings each, as people do not write alike).
struct Complaint {
    handle: &'static str,
    percent: u8,
    said: [[&'static str; 2]; 5],
}

const COMPLAINTS: &[Complaint] = &[
    Complaint {
        handle: "atlas-trail-daypack-22l",
        percent: 40,
        said: [
            [
                "The shoulder strap broke after two weeks.",
                "One of the straps tore off at the seam within a month.",
            ],
            [
                "Der Schultergurt ist nach zwei Wochen gerissen.",
                "Ein Träger ist nach einem Monat an der Naht abgerissen.",
            ],
            [
                "La bretelle a cassé au bout de deux semaines.",
                "Une sangle s'est déchirée à la couture en moins d'un mois.",
            ],
            [
                "La correa del hombro se rompió a las dos semanas.",
                "Una de las correas se descosió en menos de un mes.",
            ],
            [
                "Lo spallaccio si è rotto dopo due settimane.",
                "Una cinghia si è strappata sulla cucitura dopo un mese.",
            ],
        ],
    },
    Complaint {
        handle: "atlas-trail-merino-beanie",
        percent: 35,
        said: [
            [
                "It runs small, order a size up.",
                "Much smaller than expected, it barely covers my ears.",
            ],
            [
                "Die Mütze fällt sehr klein aus.",
                "Viel kleiner als erwartet, sie bedeckt kaum die Ohren.",
            ],
            [
                "Le bonnet taille vraiment petit.",
                "Beaucoup plus petit que prévu, il couvre à peine les oreilles.",
            ],
            [
                "El gorro es muy pequeño para la talla.",
                "Mucho más pequeño de lo esperado, apenas cubre las orejas.",
            ],
            [
                "Il berretto veste molto piccolo.",
                "Molto più piccolo del previsto, copre appena le orecchie.",
            ],
        ],
    },
    Complaint {
        handle: "nordlys-linen-cushion",
        percent: 30,
        said: [
            [
                "The colour is much duller than in the photos.",
                "The colour looks faded compared to the pictures.",
            ],
            [
                "Die Farbe ist viel matter als auf den Fotos.",
                "Die Farbe wirkt verblasst im Vergleich zu den Bildern.",
            ],
            [
                "La couleur est bien plus terne que sur les photos.",
                "La couleur paraît délavée par rapport aux images.",
            ],
            [
                "El color es mucho más apagado que en las fotos.",
                "El color parece desteñido comparado con las imágenes.",
            ],
            [
                "Il colore è molto più spento che nelle foto.",
                "Il colore sembra sbiadito rispetto alle immagini.",
            ],
        ],
    },
    Complaint {
        handle: "kumo-stoneware-mug",
        percent: 15,
        said: [
            [
                "The mug arrived chipped at the rim.",
                "Mine came with a chip on the rim, badly packed.",
            ],
            [
                "Die Tasse kam mit einer abgeplatzten Stelle am Rand an.",
                "Meine Tasse hatte beim Auspacken einen Sprung am Rand.",
            ],
            [
                "La tasse est arrivée ébréchée sur le bord.",
                "Ma tasse avait un éclat sur le bord, mal emballée.",
            ],
            [
                "La taza llegó desportillada en el borde.",
                "Mi taza llegó con una muesca en el borde, mal embalada.",
            ],
            [
                "La tazza è arrivata scheggiata sul bordo.",
                "La mia tazza aveva una scheggiatura sul bordo, imballata male.",
            ],
        ],
    },
];

/// What happy buyers write, per language.
const PRAISE: [[&str; 4]; 5] = [
    [
        "Beautiful quality and it arrived quickly.",
        "Exactly as described, I love it.",
        "Great gift, my sister was thrilled.",
        "Well made and worth the price.",
    ],
    [
        "Wunderschöne Qualität und schnell geliefert.",
        "Genau wie beschrieben, ich liebe es.",
        "Tolles Geschenk, meine Schwester war begeistert.",
        "Gut verarbeitet und den Preis wert.",
    ],
    [
        "Très belle qualité et livraison rapide.",
        "Exactement comme décrit, je l'adore.",
        "Super cadeau, ma sœur était ravie.",
        "Bien fabriqué et vaut son prix.",
    ],
    [
        "Calidad preciosa y llegó muy rápido.",
        "Tal como se describe, me encanta.",
        "Un regalo estupendo, mi hermana quedó encantada.",
        "Bien hecho y vale lo que cuesta.",
    ],
    [
        "Qualità bellissima ed è arrivato in fretta.",
        "Esattamente come descritto, lo adoro.",
        "Regalo fantastico, mia sorella era entusiasta.",
        "Ben fatto e vale il prezzo.",
    ],
];

/// How a disappointed or a pleased buyer titles the review, per language.
const TITLES: [[&str; 2]; 5] = [
    ["Disappointed", "Love it"],
    ["Enttäuscht", "Begeistert"],
    ["Déçue", "Parfait"],
    ["Decepcionada", "Me encanta"],
    ["Delusa", "Perfetto"],
];

/// Opens a review that keeps its stars but names a fault, per language.
const BUT: [&str; 5] = [
    "Looks lovely overall.",
    "Sieht insgesamt schön aus.",
    "Joli dans l'ensemble.",
    "Bonito en general.",
    "Bello nel complesso.",
];

const FIRST_NAMES: [&str; 8] = ["Mika", "Jo", "Sam", "Ali", "Noor", "Rene", "Kai", "Ines"];
const LAST_NAMES: [&str; 6] = ["Park", "Nguyen", "Silva", "Haddad", "Weber", "Okafor"];

/// One review, before it is written in a file's layout.
struct Written {
    title: String,
    body: String,
    rating: u8,
}

/// A review of `handle` in the language at `language`.
fn write_review(rng: &mut fastrand::Rng, handle: &str, language: usize) -> Written {
    let complaint = COMPLAINTS
        .iter()
        .find(|complaint| complaint.handle == handle)
        .filter(|complaint| rng.u8(..100) < complaint.percent);
    let praise = PRAISE[language][rng.usize(..PRAISE[language].len())];
    match complaint {
        // One in five who hit the fault still gives four stars, and says it after praise.
        Some(complaint) if rng.u8(..5) == 0 => Written {
            title: TITLES[language][1].to_string(),
            body: format!(
                "{} {}",
                BUT[language],
                complaint.said[language][rng.usize(..2)]
            ),
            rating: 4,
        },
        Some(complaint) => Written {
            title: TITLES[language][0].to_string(),
            body: complaint.said[language][rng.usize(..2)].to_string(),
            rating: [1, 2, 2, 3][rng.usize(..4)],
        },
        None => Written {
            title: TITLES[language][1].to_string(),
            body: praise.to_string(),
            rating: [4, 5, 5, 5][rng.usize(..4)],
        },
    }
}

fn language(rng: &mut fastrand::Rng) -> usize {
    let mut draw = rng.u8(..100);
    for (index, share) in LANGUAGE_SHARE.iter().enumerate() {
        if draw < *share {
            return index;
        }
        draw -= share;
    }
    0
}

fn reviewer(rng: &mut fastrand::Rng) -> String {
    format!(
        "{} {}",
        FIRST_NAMES[rng.usize(..FIRST_NAMES.len())],
        LAST_NAMES[rng.usize(..LAST_NAMES.len())]
    )
}

/// The demo's reviews files: Judge.me's for the Shopify listings, and Etsy's for the
/// Etsy orders in `etsy_items` (its sold order items download) that held one product.
pub fn write_reviews(
    listings: &[ParsedListing],
    plan: &OrdersPlan,
    etsy_items: &[u8],
) -> io::Result<ReviewFiles> {
    let handles: Vec<&str> = listings
        .iter()
        .filter(|listing| listing.product_type != "Gift card")
        .map(|listing| listing.handle.as_str())
        .collect();
    if handles.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the catalogue has no products to review",
        ));
    }
    let handle_of_sku: BTreeMap<&str, &str> = listings
        .iter()
        .flat_map(|listing| {
            listing
                .variants
                .iter()
                .map(move |variant| (variant.sku.as_str(), listing.handle.as_str()))
        })
        .collect();
    let mut rng = fastrand::Rng::with_seed(plan.seed.wrapping_add(7));
    Ok(ReviewFiles {
        judge_me: judge_me(&mut rng, plan, &handles)?,
        etsy: etsy(&mut rng, etsy_items, &handle_of_sku)?,
    })
}

fn judge_me(rng: &mut fastrand::Rng, plan: &OrdersPlan, handles: &[&str]) -> io::Result<Vec<u8>> {
    let mut file = csv::Writer::from_writer(Vec::new());
    file.write_record(JUDGE_ME_COLUMNS)
        .map_err(io::Error::other)?;
    let mut reviews: Vec<(String, Vec<String>)> = Vec::with_capacity(JUDGE_ME_REVIEWS);
    for number in 0..JUDGE_ME_REVIEWS {
        // The products with a known fault sell (and are reviewed) more often.
        let handle = if rng.u8(..2) == 0 {
            COMPLAINTS[rng.usize(..COMPLAINTS.len())].handle
        } else {
            handles[rng.usize(..handles.len())]
        };
        let language = language(rng);
        let review = write_review(rng, handle, language);
        let day = plan.first_day + Duration::days(i64::from(rng.u32(..plan.days)));
        let when = day
            .and_hms_opt(rng.u32(8..22), rng.u32(..60), rng.u32(..60))
            .unwrap_or_default()
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string();
        let name = reviewer(rng);
        // Every fortieth is spam, as review apps receive and mark it.
        let curated = if number % 40 == 39 { "spam" } else { "ok" };
        let body = if curated == "spam" {
            "Cheap followers and likes, visit my profile".to_string()
        } else {
            review.body
        };
        let row = vec![
            review.title,
            body,
            review.rating.to_string(),
            when.clone(),
            "web".into(),
            curated.into(),
            name.clone(),
            format!(
                "{}{number}@example.com",
                name.to_lowercase().replace(' ', ".")
            ),
            String::new(),
            handle.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ];
        reviews.push((when, row));
    }
    // The app writes the newest first.
    reviews.sort_by(|a, b| b.0.cmp(&a.0));
    for (_, row) in reviews {
        file.write_record(&row).map_err(io::Error::other)?;
    }
    file.into_inner().map_err(|error| error.into_error())
}

/// An Etsy review as its download writes it.
#[derive(serde::Serialize)]
struct EtsyReview {
    reviewer: String,
    date_reviewed: String,
    star_rating: u8,
    message: String,
    order_id: u64,
}

fn etsy(
    rng: &mut fastrand::Rng,
    etsy_items: &[u8],
    handle_of_sku: &BTreeMap<&str, &str>,
) -> io::Result<Vec<u8>> {
    // Order ID → (sale day, SKUs), from the items download.
    let mut orders: BTreeMap<u64, (NaiveDate, Vec<String>)> = BTreeMap::new();
    let mut items = csv::Reader::from_reader(etsy_items);
    let columns = items.headers().map_err(io::Error::other)?.clone();
    let at = |name: &str| {
        columns
            .iter()
            .position(|column| column == name)
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the Etsy items download has no {name} column"),
                )
            })
    };
    let (order_at, day_at, sku_at) = (at("Order ID")?, at("Sale Date")?, at("SKU")?);
    for record in items.records() {
        let record = record.map_err(io::Error::other)?;
        let (Ok(order), Ok(day)) = (
            record[order_at].parse::<u64>(),
            NaiveDate::parse_from_str(&record[day_at], "%m/%d/%y"),
        ) else {
            continue;
        };
        let entry = orders.entry(order).or_insert((day, Vec::new()));
        entry.1.push(record[sku_at].to_string());
    }
    let mut reviews = Vec::new();
    for (order, (day, skus)) in &orders {
        if reviews.len() == ETSY_REVIEWS {
            break;
        }
        let [sku] = skus.as_slice() else { continue };
        let Some(handle) = handle_of_sku.get(sku.as_str()) else {
            continue;
        };
        // Etsy buyers mostly write in English; a third of orders get a review.
        if rng.u8(..3) != 0 {
            continue;
        }
        let language = if rng.u8(..4) == 0 { language(rng) } else { 0 };
        let review = write_review(rng, handle, language);
        reviews.push(EtsyReview {
            reviewer: reviewer(rng),
            date_reviewed: (*day + Duration::days(i64::from(rng.u32(5..20))))
                .format("%m/%d/%Y")
                .to_string(),
            star_rating: review.rating,
            message: review.body,
            order_id: *order,
        });
    }
    let mut bytes = serde_json::to_vec_pretty(&reviews).map_err(io::Error::other)?;
    bytes.push(b'\n');
    Ok(bytes)
}
