//! The fuzz targets: each takes any bytes and feeds them to one importer or parser
//! through the engine's public API, as the CLI and the app would, and checks what must
//! hold whatever the input (no panic, no hang; what a failed import leaves unchanged;
//! round trips). The same functions run under cargo-fuzz (`fuzz/`, coverage-guided,
//! nightly) and on stable as a test over the committed corpus and its mutations
//! (`tests/fuzz_corpus.rs`), so a crash either finds becomes a corpus file and a
//! regression test.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tradewind::analytics::OrdersSummary;
use tradewind::jobs::JobObserver;
use tradewind::listings::translate::{html, protect::Protector};
use tradewind::ml::{archive, catalog::Catalog, gguf_tokenizer};
use tradewind::{Engine, EngineConfig, JobSpec};

/// A target: any bytes, fed to one importer or parser.
pub type Target = fn(&Sandbox, &[u8]);

/// Every target, by the name its corpus folder and cargo-fuzz binary carry.
pub const TARGETS: [(&str, Target); 15] = [
    ("product_file", product_file),
    ("own_layout_table", own_layout_table),
    ("orders_file", orders_file),
    ("reviews_file", reviews_file),
    ("messages_file", messages_file),
    ("glossary_file", glossary_file),
    ("fx_rates_file", fx_rates_file),
    ("html", html_pieces),
    ("protector", protector),
    ("photo", photo),
    ("gguf", gguf),
    ("safetensors", safetensors),
    ("catalog", catalog),
    ("archive", archive_file),
    ("xmp", xmp),
];

/// A data folder with an engine, made once per fuzzing process (or test) and
/// reused by every input: the state one input leaves is the next one's start, as in
/// a seller's long-lived data folder.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    pub engine: Engine,
    photo: std::sync::OnceLock<Option<i64>>,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let engine = Engine::open(EngineConfig {
            data_dir: Some(dir.path().join("data")),
            ..EngineConfig::default()
        })
        .expect("an engine on an empty data folder");
        Sandbox {
            dir,
            engine,
            photo: std::sync::OnceLock::new(),
        }
    }

    /// `data` written to a file named `name` in the sandbox (one file per name, so a
    /// re-import of the same name is a re-import of the same source).
    fn file(&self, name: &str, data: &[u8]) -> PathBuf {
        let path = self.dir.path().join("inputs").join(name);
        std::fs::create_dir_all(path.parent().expect("inputs has a parent"))
            .expect("the inputs folder");
        std::fs::write(&path, data).expect("the input written");
        path
    }

    /// Runs `spec` to its end on this thread, so that a panic reaches the fuzzer.
    fn run(&self, spec: &JobSpec) -> bool {
        let id = self.engine.create_job(spec).expect("a job record");
        let Ok(prepared) = self.engine.prepare_job(id) else {
            return false;
        };
        let quiet: JobObserver = Arc::new(|_| {});
        prepared.run(quiet).is_ok()
    }

    fn orders(&self) -> OrdersSummary {
        self.engine.orders_summary().expect("the orders summary")
    }
}

impl Default for Sandbox {
    fn default() -> Sandbox {
        Sandbox::new()
    }
}

/// The first byte picks a variant (a file extension, a flag); the rest is the input.
fn split(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((&first, rest)) => (first, rest),
        None => (0, data),
    }
}

fn table_name(selector: u8, stem: &str) -> String {
    let extension = ["csv", "tsv", "txt", "xlsx", "json"][usize::from(selector) % 5];
    format!("{stem}.{extension}")
}

/// A failed import changes nothing the seller sees.
fn unchanged_on_failure<T: PartialEq + std::fmt::Debug>(ok: bool, before: T, after: T, what: &str) {
    if !ok {
        assert_eq!(before, after, "a failed {what} import changed the store");
    }
}

fn product_file(sandbox: &Sandbox, data: &[u8]) {
    let path = sandbox.file("products.csv", data);
    let _ = sandbox.engine.preview_listings_file(&path);
    let before = sandbox.engine.listings().expect("the listings").len();
    let ok = sandbox.run(&JobSpec::ImportListings {
        path,
        mapping: None,
    });
    let after = sandbox.engine.listings().expect("the listings").len();
    unchanged_on_failure(ok, before, after, "product file");
}

fn own_layout_table(sandbox: &Sandbox, data: &[u8]) {
    let (selector, rest) = split(data);
    let path = sandbox.file(&table_name(selector, "own-layout"), rest);
    let Ok(preview) = sandbox.engine.preview_listings_file(&path) else {
        return;
    };
    sandbox.run(&JobSpec::ImportListings {
        path,
        mapping: Some(preview.table.proposed),
    });
}

fn orders_file(sandbox: &Sandbox, data: &[u8]) {
    let (selector, rest) = split(data);
    let path = sandbox.file(&table_name(selector, "orders"), rest);
    let mapping = match sandbox.engine.preview_orders_file(&path) {
        Ok(preview) => preview.table.map(|table| table.proposed),
        Err(_) => None,
    };
    let before = sandbox.orders();
    let ok = sandbox.run(&JobSpec::ImportOrders {
        path,
        channel: None,
        mapping,
    });
    unchanged_on_failure(ok, before, sandbox.orders(), "orders");
}

fn reviews_file(sandbox: &Sandbox, data: &[u8]) {
    let (selector, rest) = split(data);
    let path = sandbox.file(&table_name(selector, "reviews"), rest);
    let mapping = match sandbox.engine.preview_reviews_file(&path) {
        Ok(preview) if preview.layout.is_none() => Some(preview.proposed),
        _ => None,
    };
    let _ = sandbox.engine.import_reviews(&path, mapping.as_ref());
}

fn messages_file(sandbox: &Sandbox, data: &[u8]) {
    let (selector, rest) = split(data);
    let path = sandbox.file(&table_name(selector, "messages"), rest);
    let before = sandbox.engine.buyer_messages().expect("the messages");
    let ok = sandbox.engine.import_messages(&path).is_ok();
    let after = sandbox.engine.buyer_messages().expect("the messages");
    unchanged_on_failure(ok, before.len(), after.len(), "messages");
}

fn glossary_file(sandbox: &Sandbox, data: &[u8]) {
    let path = sandbox.file("glossary.csv", data);
    let before = sandbox.engine.glossary().expect("the glossary");
    let ok = sandbox.engine.import_glossary(&path).is_ok();
    let after = sandbox.engine.glossary().expect("the glossary");
    unchanged_on_failure(ok, before.len(), after.len(), "glossary");
    // What was imported goes out and back in unchanged.
    if ok {
        let out = sandbox.dir.path().join("glossary-out.csv");
        sandbox
            .engine
            .export_glossary(&out)
            .expect("the glossary exported");
        sandbox
            .engine
            .import_glossary(&out)
            .expect("an exported glossary imports");
        let again = sandbox.engine.glossary().expect("the glossary");
        assert_eq!(after, again, "the exported glossary read back differently");
    }
}

fn fx_rates_file(sandbox: &Sandbox, data: &[u8]) {
    let path = sandbox.file("rates.csv", data);
    let _ = sandbox.engine.import_fx_rates(&path);
}

fn html_pieces(_: &Sandbox, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(pieces) = html::pieces(text) else {
        return;
    };
    let kept = vec![None; pieces.len()];
    let rebuilt = html::rebuild(text, &kept).expect("a description that splits rebuilds");
    assert_eq!(rebuilt, text, "keeping every piece changed the description");
    let replaced: Vec<Option<String>> = pieces
        .iter()
        .map(|piece| Some(format!("<{}> & \"x\"", piece.text)))
        .collect();
    let translated = html::rebuild(text, &replaced).expect("a description that splits rebuilds");
    let again = html::pieces(&translated).expect("a rebuilt description splits again");
    assert!(
        again.len() >= pieces.len().min(1),
        "translated text vanished from the description"
    );
}

fn protector(_: &Sandbox, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first line names the do-not-translate terms, as a seller's settings would.
    let (terms, text) = text.split_once('\n').unwrap_or(("Acme", text));
    let terms: Vec<String> = terms.split(',').map(str::to_string).collect();
    for protector in [Protector::new(&terms, &[]), Protector::for_messages(&terms)] {
        let masked = protector.mask(text);
        let restored = masked.restore(&masked.text);
        assert_eq!(
            restored.text, text,
            "masking and restoring changed the text"
        );
        assert!(
            restored.is_complete(),
            "a placeholder was lost: {restored:?}"
        );
        let written = protector.mask_for_writing(text);
        let (filled, _) = written.fill_in(&written.text);
        assert_eq!(
            filled, text,
            "masking for writing and filling in changed the text"
        );
    }
}

fn photo(sandbox: &Sandbox, data: &[u8]) {
    let (selector, rest) = split(data);
    let extension = ["jpg", "png", "webp", "gif", "tiff", "bmp"][usize::from(selector) % 6];
    let path = sandbox.file(&format!("photo.{extension}"), rest);
    let _ = tradewind::photos::decode::decode(&path, rest);
    let _ = tradewind::photos::decode::decode_for_model(&path, rest, 32);
}

fn gguf(_: &Sandbox, data: &[u8]) {
    let Ok(content) = candle_core::quantized::gguf_file::Content::read(&mut Cursor::new(data))
    else {
        return;
    };
    let _ = gguf_tokenizer::from_gguf(&content);
}

fn safetensors(sandbox: &Sandbox, data: &[u8]) {
    let path = sandbox.file("model.safetensors", data);
    let _ = candle_core::safetensors::load(&path, &candle_core::Device::Cpu);
}

fn catalog(_: &Sandbox, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = Catalog::parse(text, Path::new("catalog.toml")) else {
        return;
    };
    // A catalog Tradewind accepts, written out, is accepted again.
    let written = parsed.to_toml().expect("an accepted catalog writes");
    Catalog::parse(&written, Path::new("catalog.toml")).expect("a written catalog parses");
}

fn archive_file(sandbox: &Sandbox, data: &[u8]) {
    let (selector, rest) = split(data);
    let name = ["model.zip", "model.tar", "model.tar.gz"][usize::from(selector) % 3];
    let path = sandbox.file(name, rest);
    let Some(kind) = archive::ArchiveKind::of(&path) else {
        return;
    };
    let _ = archive::sizes(&path, kind, &["config.json", "model.safetensors"]);
}

/// The photo every XMP input captions, imported once.
fn xmp_photo(sandbox: &Sandbox) -> Option<i64> {
    *sandbox.photo.get_or_init(|| {
        let image = image::RgbImage::from_pixel(64, 48, image::Rgb([200, 40, 40]));
        let path = sandbox.dir.path().join("photos").join("mug.png");
        std::fs::create_dir_all(path.parent()?).ok()?;
        image.save(&path).ok()?;
        sandbox.run(&JobSpec::ImportPhotoFiles { files: vec![path] });
        sandbox.engine.photos().ok()?.first().map(|photo| photo.id)
    })
}

fn xmp(sandbox: &Sandbox, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let photo = xmp_photo(sandbox).expect("the photo imported");
    if sandbox
        .engine
        .edit_photo_alt_text(photo, "en", text)
        .is_err()
    {
        return;
    }
    let folder = sandbox.dir.path().join("sidecars");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("the sidecar folder");
    sandbox
        .engine
        .write_photo_sidecars(&[photo], Some(&folder))
        .expect("sidecars written");
    let sidecar = std::fs::read_dir(&folder)
        .expect("the sidecar folder")
        .next()
        .expect("one sidecar")
        .expect("a folder entry")
        .path();
    let written = std::fs::read_to_string(&sidecar).expect("a UTF-8 sidecar");
    let document = roxmltree::Document::parse(&written)
        .unwrap_or_else(|error| panic!("the sidecar is not XML ({error}):\n{written}"));
    let stored = sandbox.engine.photo(photo).expect("the photo");
    let alt = stored
        .captions
        .get("en")
        .map(|caption| tradewind::photos::export::xml_text(&caption.text));
    let described = document
        .descendants()
        .find(|node| node.attribute(("http://www.w3.org/XML/1998/namespace", "lang")) == Some("en"))
        .and_then(|node| node.text().map(str::to_string));
    assert_eq!(
        described,
        alt.filter(|text| !text.is_empty()),
        "the sidecar's alt text is not the photo's"
    );
}
