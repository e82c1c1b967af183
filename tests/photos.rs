//! Product photos through the engine as the app drives it, on the fixture models and on
//! real photos (the demo's) with the awkward ones the tests make: a rotated JPEG, a
//! 600 × 400 photo, a white-background render, a blurred copy and a cut-short JPEG.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use image::{DynamicImage, ImageFormat, RgbImage};
use tradewind::jobs::JobState;
use tradewind::ml::fixtures::write_fixtures;
use tradewind::photos::checks::{Check, Status};
use tradewind::photos::tag_job::TagAction;
use tradewind::photos::{PhotoDetail, TagState};
use tradewind::{Engine, EngineConfig, Job, JobEvent, JobOutcome, JobSpec};

fn engine_on_fixtures(dir: &Path) -> Engine {
    let catalog = write_fixtures(&dir.join("fixtures"), 7).unwrap();
    Engine::open(EngineConfig {
        data_dir: Some(dir.join("data")),
        catalog: Some(catalog.path),
        ..EngineConfig::default()
    })
    .unwrap()
}

fn run(engine: &Engine, spec: &JobSpec) -> Job {
    let id = engine.create_job(spec).unwrap();
    let job = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(engine.run_job(id, Arc::new(|_| {})))
        .unwrap();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.message);
    job
}

fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// A JPEG with an EXIF orientation tag (6: turned 90° clockwise to view).
fn with_orientation(jpeg: &[u8], tag: u16) -> Vec<u8> {
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

/// A studio shot: a striped red box filling 90% of a white frame.
fn white_render(side: u32) -> DynamicImage {
    let mut rgb = RgbImage::from_pixel(side, side, image::Rgb([255, 255, 255]));
    let margin = side / 20;
    for y in margin..side - margin {
        for x in margin..side - margin {
            let shade = if (x / 16 + y / 16) % 2 == 0 {
                [200, 30, 30]
            } else {
                [120, 20, 20]
            };
            rgb.put_pixel(x, y, image::Rgb(shade));
        }
    }
    DynamicImage::ImageRgb8(rgb)
}

/// The demo's twelve photos and the awkward five, in one folder.
fn shop_photos(dir: &Path) -> PathBuf {
    let folder = dir.join("shoot");
    std::fs::create_dir_all(&folder).unwrap();
    let demo = tradewind::demo::unpack(&dir.join("demo")).unwrap();
    for entry in std::fs::read_dir(&demo.photos).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
    }
    let mut wide = RgbImage::from_pixel(64, 32, image::Rgb([255, 255, 255]));
    for y in 0..32 {
        for x in 0..16 {
            wide.put_pixel(x, y, image::Rgb([220, 0, 0]));
        }
    }
    let rotated = with_orientation(
        &encoded(&DynamicImage::ImageRgb8(wide), ImageFormat::Jpeg),
        6,
    );
    std::fs::write(folder.join("zz-rotated.jpg"), rotated).unwrap();
    let scene = image::open(demo.photos.join("rocket.jpg")).unwrap();
    let small = scene.resize_exact(600, 400, image::imageops::FilterType::Triangle);
    std::fs::write(
        folder.join("zz-600x400.jpg"),
        encoded(&small, ImageFormat::Jpeg),
    )
    .unwrap();
    let render = white_render(2000);
    std::fs::write(
        folder.join("zz-render.png"),
        encoded(&render, ImageFormat::Png),
    )
    .unwrap();
    std::fs::write(
        folder.join("zz-render-blurred.png"),
        encoded(&render.blur(12.0), ImageFormat::Png),
    )
    .unwrap();
    let whole = encoded(&scene, ImageFormat::Jpeg);
    std::fs::write(folder.join("zz-cut-short.jpg"), &whole[..whole.len() / 3]).unwrap();
    folder
}

fn by_name<'a>(photos: &'a [PhotoDetail], name: &str) -> &'a PhotoDetail {
    photos.iter().find(|photo| photo.file_name == name).unwrap()
}

/// The worst result of the marketplace's rules of that kind (eBay has two sizes).
fn check(photo: &PhotoDetail, marketplace: &str, which: Check) -> Status {
    photo.checks[marketplace]
        .iter()
        .filter(|result| result.check == which)
        .map(|result| result.status)
        .max()
        .unwrap()
}

#[test]
fn photos_import_upright_measured_and_checked_and_a_damaged_one_does_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    let folder = shop_photos(dir.path());
    let job = run(
        &engine,
        &JobSpec::ImportPhotos {
            folder: folder.clone(),
        },
    );
    let Some(JobOutcome::ImportPhotos { imported, .. }) = job.outcome else {
        panic!("{:?}", job.outcome);
    };
    assert_eq!((imported.photos, imported.unchanged), (16, 0));
    assert_eq!(imported.skipped.len(), 1);
    assert!(
        imported.skipped[0]
            .reason
            .contains("zz-cut-short.jpg: the photo is damaged or cut short"),
        "{:?}",
        imported.skipped
    );
    let photos = engine.store().clone();
    let details = tradewind::photos::details(&photos, &[]).unwrap();
    let rotated = by_name(&details, "zz-rotated.jpg");
    assert_eq!(
        (rotated.measures.width, rotated.measures.height),
        (32, 64),
        "turned upright"
    );

    let small = by_name(&details, "zz-600x400.jpg");
    assert_eq!(check(small, "ebay", Check::MinLongestSide), Status::Warn);
    assert_eq!(check(small, "amazon", Check::MinLongestSide), Status::Warn);
    let render = by_name(&details, "zz-render.png");
    assert!(render.measures.on_white());
    assert_eq!(
        check(render, "amazon", Check::WhiteBackground),
        Status::Pass
    );
    assert_eq!(check(render, "amazon", Check::Fill), Status::Pass);
    assert_eq!(check(render, "amazon", Check::MinLongestSide), Status::Pass);
    assert_eq!(check(render, "etsy", Check::Sharpness), Status::Pass);
    let blurred = by_name(&details, "zz-render-blurred.png");
    assert_eq!(check(blurred, "etsy", Check::Sharpness), Status::Warn);
    assert_eq!(blurred.duplicates, [render.id], "the same shot, blurred");
    assert!(small.duplicates.is_empty() || !small.duplicates.contains(&render.id));
}

#[test]
fn the_grid_has_thumbnails_colours_links_and_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    run(&engine, &JobSpec::LoadDemo);
    let photos = engine.photos().unwrap();
    assert_eq!(photos.len(), 12);
    for photo in &photos {
        let thumbnail = image::load_from_memory(&photo.thumbnail_jpeg).unwrap();
        assert!(
            thumbnail.width().max(thumbnail.height()) <= 256,
            "{}",
            photo.file_name
        );
    }
    let tote = photos
        .iter()
        .find(|photo| photo.file_name == "sakura-stitch-tote-1.jpg")
        .unwrap();
    assert_eq!(tote.colours[0].name, "red");
    assert_eq!(tote.listings.len(), 1);
    assert_eq!(
        (tote.listings[0].handle.as_str(), tote.listings[0].position),
        ("sakura-stitch-tote", 1)
    );
    let linked = photos
        .iter()
        .filter(|photo| !photo.listings.is_empty())
        .count();
    assert_eq!(
        linked, 6,
        "the six photos named after the catalogue's images"
    );
    let blurry = photos
        .iter()
        .find(|photo| photo.file_name == "sakura-stitch-tote-2.jpg")
        .unwrap();
    assert_eq!(blurry.checks["amazon"], Status::Warn, "blurred");
}

fn tagged(job: &Job) -> tradewind::photos::tag_job::TaggedPhotos {
    match &job.outcome {
        Some(JobOutcome::TagPhotos { tagged, .. }) => tagged.clone(),
        other => panic!("{other:?}"),
    }
}

fn tag_all() -> JobSpec {
    JobSpec::TagPhotos {
        photos: Vec::new(),
        model: None,
    }
}

#[test]
fn tagging_caches_its_embeddings_and_resumes_without_tagging_twice() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    let folder = shop_photos(dir.path());
    run(&engine, &JobSpec::ImportPhotos { folder });
    let count = engine.photos().unwrap().len() as u64;
    assert_eq!(count, 16);

    // Cancelled after the first batch of sixteen, then resumed.
    let job = engine.create_job(&tag_all()).unwrap();
    let canceller = engine.clone();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let cancelled = runtime
        .block_on(engine.run_job(
            job,
            Arc::new(move |event| {
                if let JobEvent::Progress { job_id, progress } = event
                    && progress.done >= 16
                {
                    canceller.cancel_job(job_id);
                }
            }),
        ))
        .unwrap();
    assert_eq!(cancelled.state, JobState::Cancelled);
    let resumed = runtime
        .block_on(engine.run_job(job, Arc::new(|_| {})))
        .unwrap();
    assert_eq!(resumed.state, JobState::Succeeded, "{:?}", resumed.message);
    let first = tagged(&resumed);
    assert_eq!(first.photos, count, "every photo once");
    assert_eq!(
        first.photo_embeddings.misses, count,
        "no photo embedded twice"
    );
    assert!(first.proposed > 0, "{first:?}");
    assert!(first.label_embeddings.misses > 0);

    let again = tagged(&run(&engine, &tag_all()));
    assert_eq!(
        again.photo_embeddings,
        tradewind::photos::tagging::CacheUse {
            hits: count,
            misses: 0
        }
    );
    assert_eq!(
        again.label_embeddings.misses, 0,
        "{:?}",
        again.label_embeddings
    );
    assert!(again.label_embeddings.hits > 0);
    let photos = engine.photos().unwrap();
    assert!(
        photos
            .iter()
            .all(|photo| photo.tags.iter().all(|tag| tag.state == TagState::Proposed)),
        "only proposals so far"
    );
    // The random-weight CLIP finds every photo alike: it must not make the shop one shot.
    let same_shots: Vec<&str> = photos
        .iter()
        .filter(|photo| photo.duplicate_of.is_some())
        .map(|photo| photo.file_name.as_str())
        .collect();
    assert_eq!(
        same_shots,
        [
            "atlas-trail-bottle-750-1.jpg",
            "atlas-trail-bottle-750-2.jpg",
            "rocket.jpg",
            "sakura-stitch-tote-1.jpg",
            "sakura-stitch-tote-2.jpg",
            "zz-600x400.jpg",
            "zz-render-blurred.png",
            "zz-render.png",
        ],
        "the re-exported, darkened, blurred and resized copies, and nothing else"
    );
}

#[test]
fn a_correction_changes_the_next_proposal_for_a_photo_like_the_corrected_one() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    let folder = dir.path().join("shoot");
    std::fs::create_dir_all(&folder).unwrap();
    let render = white_render(600);
    std::fs::write(
        folder.join("tote-front.png"),
        encoded(&render, ImageFormat::Png),
    )
    .unwrap();
    std::fs::write(
        folder.join("tote-front-again.png"),
        encoded(&render.brighten(4), ImageFormat::Png),
    )
    .unwrap();
    let demo = tradewind::demo::unpack(&dir.path().join("demo")).unwrap();
    for name in ["rocket.jpg", "astronaut.jpg", "brick-texture.jpg"] {
        std::fs::copy(demo.photos.join(name), folder.join(name)).unwrap();
    }
    run(&engine, &JobSpec::ImportPhotos { folder });
    run(&engine, &tag_all());
    let photos = engine.photos().unwrap();
    let id = |name: &str| {
        photos
            .iter()
            .find(|photo| photo.file_name == name)
            .unwrap()
            .id
    };
    let (front, again) = (id("tote-front.png"), id("tote-front-again.png"));
    let proposed = |photo: i64| -> Vec<(String, String)> {
        engine
            .photo(photo)
            .unwrap()
            .tags
            .iter()
            .filter(|tag| tag.state == TagState::Proposed)
            .map(|tag| (tag.group.clone(), tag.label.clone()))
            .collect()
    };
    let material = "canvas";
    assert!(
        !proposed(again).contains(&("material".into(), material.into())),
        "{:?}",
        proposed(again)
    );
    // The seller says the first shot is canvas, and removes a proposal of it.
    engine
        .correct_photo_tags(&[front], "material", material, TagAction::Add)
        .unwrap();
    let removed = proposed(front)
        .into_iter()
        .find(|(group, _)| group != "material");
    if let Some((group, label)) = &removed {
        engine
            .correct_photo_tags(&[front], group, label, TagAction::Remove)
            .unwrap();
    }
    assert!(engine.photo_vocabulary().unwrap().corrections >= 1);
    let job = run(&engine, &tag_all());
    assert!(tagged(&job).learned_from >= 1);
    let next = proposed(again);
    assert!(
        next.contains(&("material".into(), material.into())),
        "{next:?}"
    );
    if let Some(removed) = removed {
        assert!(!next.contains(&removed), "{next:?}");
    }
    let kept = engine.photo(front).unwrap();
    assert!(
        kept.tags
            .iter()
            .any(|tag| tag.label == material && tag.state == TagState::Added)
    );

    // Forgetting what was learned brings the zero-shot proposal back.
    engine.reset_photo_learning().unwrap();
    assert_eq!(engine.photo_vocabulary().unwrap().corrections, 0);
    run(&engine, &tag_all());
    assert!(!proposed(again).contains(&("material".into(), material.into())));
}

#[test]
fn importing_the_same_folder_again_skips_unchanged_photos_and_keeps_the_sellers_tags() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    let folder = dir.path().join("shoot");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("a.png"),
        encoded(&white_render(300), ImageFormat::Png),
    )
    .unwrap();
    std::fs::write(
        folder.join("b.png"),
        encoded(&white_render(200), ImageFormat::Png),
    )
    .unwrap();
    run(
        &engine,
        &JobSpec::ImportPhotos {
            folder: folder.clone(),
        },
    );
    let photos = engine.photos().unwrap();
    let ids: Vec<i64> = photos.iter().map(|photo| photo.id).collect();
    engine
        .correct_photo_tags(&ids, "style", "minimalist", TagAction::Add)
        .unwrap();
    std::fs::write(
        folder.join("b.png"),
        encoded(&white_render(220), ImageFormat::Png),
    )
    .unwrap();
    let job = run(
        &engine,
        &JobSpec::ImportPhotos {
            folder: folder.clone(),
        },
    );
    let Some(JobOutcome::ImportPhotos { imported, .. }) = job.outcome else {
        panic!();
    };
    assert_eq!((imported.photos, imported.unchanged), (1, 1));
    let after = engine.photos().unwrap();
    assert_eq!(
        after.iter().map(|photo| photo.id).collect::<Vec<_>>(),
        ids,
        "the same photos"
    );
    assert!(
        after
            .iter()
            .all(|photo| photo.tags.iter().any(|tag| tag.label == "minimalist"))
    );
    std::fs::remove_file(folder.join("a.png")).unwrap();
    run(&engine, &JobSpec::ImportPhotos { folder });
    assert_eq!(
        engine.photos().unwrap().len(),
        1,
        "a photo gone from the folder is gone"
    );
}

#[test]
fn alt_text_is_captioned_translated_kept_when_edited_and_written_out_as_xmp_csv_and_into_shopifys_file()
 {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_on_fixtures(dir.path());
    run(&engine, &JobSpec::LoadDemo);
    run(&engine, &tag_all());
    let caption = JobSpec::CaptionPhotos {
        photos: Vec::new(),
        locales: vec!["de".into()],
        model: None,
    };
    let first = match run(&engine, &caption).outcome {
        Some(JobOutcome::CaptionPhotos { captioned, .. }) => captioned,
        other => panic!("{other:?}"),
    };
    assert_eq!((first.captioned, first.translated), (12, 12), "{first:?}");
    let photos = engine.photos().unwrap();
    let tote = photos
        .iter()
        .find(|photo| photo.file_name == "sakura-stitch-tote-1.jpg")
        .unwrap()
        .id;
    engine
        .edit_photo_alt_text(tote, "de", "Rote Canvas-Tasche")
        .unwrap();
    let again = match run(&engine, &caption).outcome {
        Some(JobOutcome::CaptionPhotos { captioned, .. }) => captioned,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (again.captioned, again.translated, again.kept),
        (0, 0, 1),
        "{again:?}"
    );
    let detail = engine.photo(tote).unwrap();
    assert_eq!(detail.captions["de"].text, "Rote Canvas-Tasche");
    assert_eq!(detail.captions["de"].status, "edited");
    assert!(!detail.captions["en"].text.is_empty());
    assert!(
        detail.alt_text_limits.is_empty(),
        "short alt text breaks no limit"
    );
    // An alt text longer than Shopify takes is flagged with the rule's figures.
    let long = "Rote Canvas-Tasche mit Kirschblütenstickerei. ".repeat(12);
    engine.edit_photo_alt_text(tote, "fr", &long).unwrap();
    let flagged = engine.photo(tote).unwrap().alt_text_limits;
    let broken = &flagged["fr"];
    assert_eq!(broken.len(), 1, "{flagged:?}");
    assert_eq!(
        (broken[0].marketplace.as_str(), broken[0].limit.as_str()),
        ("shopify", "512 characters")
    );
    engine.edit_photo_alt_text(tote, "fr", "Sac rouge").unwrap();

    // The seller keeps one tag and adds their own; the sidecar says so, in both languages.
    let kept = detail
        .tags
        .iter()
        .find(|tag| tag.group != "category")
        .map(|tag| (tag.group.clone(), tag.label.clone()));
    if let Some((group, label)) = &kept {
        engine
            .correct_photo_tags(&[tote], group, label, TagAction::Accept)
            .unwrap();
    }
    engine
        .correct_photo_tags(&[tote], "material", "canvas", TagAction::Add)
        .unwrap();
    engine
        .correct_photo_tags(&[tote], "category", "100", TagAction::Add)
        .unwrap();
    // A folder that is not there yet is made.
    let sidecars = dir.path().join("sidecars").join("shoot");
    let written = engine
        .write_photo_sidecars(&[tote], Some(&sidecars))
        .unwrap();
    assert_eq!(written.written, 1);
    let xmp = std::fs::read_to_string(sidecars.join("sakura-stitch-tote-1.xmp")).unwrap();
    let document = roxmltree::Document::parse(&xmp).unwrap();
    let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    let items = |namespace: &str, name: &str| -> Vec<(Option<String>, String)> {
        document
            .descendants()
            .find(|node| {
                node.tag_name().namespace() == Some(namespace) && node.tag_name().name() == name
            })
            .unwrap()
            .descendants()
            .filter(|node| {
                node.tag_name().namespace() == Some(rdf) && node.tag_name().name() == "li"
            })
            .map(|node| {
                let language = node.attribute(("http://www.w3.org/XML/1998/namespace", "lang"));
                (
                    language.map(str::to_string),
                    node.text().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    let subjects: Vec<String> = items("http://purl.org/dc/elements/1.1/", "subject")
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    assert!(
        subjects.contains(&"canvas".to_string()) && subjects.contains(&"Backpacks".to_string()),
        "{subjects:?}"
    );
    if let Some((_, label)) = &kept {
        assert!(subjects.contains(label), "{subjects:?}");
    }
    assert!(
        subjects.contains(&"red".to_string()),
        "its measured colour: {subjects:?}"
    );
    let descriptions = items("http://purl.org/dc/elements/1.1/", "description");
    assert!(
        descriptions.contains(&(Some("de".into()), "Rote Canvas-Tasche".into())),
        "{descriptions:?}"
    );
    assert!(
        descriptions
            .iter()
            .any(|(language, _)| language.as_deref() == Some("x-default"))
    );
    let lightroom: Vec<String> = items("http://ns.adobe.com/lightroom/1.0/", "hierarchicalSubject")
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    assert!(
        lightroom.contains(&"Luggage & Bags|Backpacks".to_string()),
        "{lightroom:?}"
    );
    assert!(lightroom.contains(&"material|canvas".to_string()));
    let digikam = items("http://www.digikam.org/ns/1.0/", "TagsList");
    assert!(
        digikam
            .iter()
            .any(|(_, text)| text == "Luggage & Bags/Backpacks")
    );
    // A sidecar another program wrote stays.
    let foreign = sidecars.join("kumo-stoneware-mug-1.xmp");
    std::fs::write(&foreign, "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>").unwrap();
    let mug = photos
        .iter()
        .find(|photo| photo.file_name == "kumo-stoneware-mug-1.jpg")
        .unwrap()
        .id;
    let refused = engine
        .write_photo_sidecars(&[mug], Some(&sidecars))
        .unwrap();
    assert_eq!((refused.written, refused.skipped.len()), (0, 1));
    assert_eq!(
        std::fs::read_to_string(&foreign).unwrap(),
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>"
    );

    // The table has every photo, with what the seller decided.
    let table = dir.path().join("photos.csv");
    assert_eq!(engine.export_photos_table(&table).unwrap(), 12);
    let mut reader = csv::Reader::from_path(&table).unwrap();
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 12);
    let column = |name: &str| {
        header
            .iter()
            .position(|found| found.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let row = rows
        .iter()
        .find(|row| &row[column("file")] == "sakura-stitch-tote-1.jpg")
        .unwrap();
    assert_eq!(
        (&row[column("category_id")], &row[column("category")]),
        ("100", "Luggage & Bags > Backpacks")
    );
    assert!(row[column("tags_material")].contains("canvas (added)"));
    assert_eq!(&row[column("alt_text_de")], "Rote Canvas-Tasche");
    assert!(
        row[column("colours_de")].starts_with("rot"),
        "the tote's red, named in German: {}",
        &row[column("colours_de")]
    );
    assert!(
        row[column("checks_amazon")].starts_with("warn"),
        "{}",
        &row[column("checks_amazon")]
    );

    // Shopify's file: the linked images' empty alt texts and the reviewed tags; the
    // category the file has already (3032) stays the seller's.
    let products = dir.path().join("products.csv");
    let original = String::from_utf8(tradewind::demo::PRODUCTS_CSV.to_vec()).unwrap();
    let emptied = original.replacen(",1,Sakura Stitch Canvas Tote,", ",1,,", 1);
    assert_ne!(emptied, original);
    std::fs::write(&products, &emptied).unwrap();
    let filled_path = dir.path().join("products.photos.csv");
    let filled = engine
        .fill_shopify_from_photos(&products, &filled_path, "en")
        .unwrap();
    assert_eq!(
        (filled.alt_texts, filled.tags, filled.categories),
        (1, 1, 0),
        "{filled:?}"
    );
    let mut reader = csv::Reader::from_path(&filled_path).unwrap();
    let header = reader.headers().unwrap().clone();
    let tote_row = reader
        .records()
        .map(Result::unwrap)
        .find(|row| &row[0] == "sakura-stitch-tote")
        .unwrap();
    let at = |name: &str| {
        header
            .iter()
            .position(|found| found.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    assert!(
        tote_row[at("Tags")].contains("canvas"),
        "{}",
        &tote_row[at("Tags")]
    );
    assert_eq!(
        &tote_row[at("Image Alt Text")],
        detail.captions["en"].text.as_str()
    );
    assert_eq!(
        &tote_row[at("Google Shopping / Google Product Category")],
        "3032"
    );
}
