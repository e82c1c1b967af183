//! Kill anywhere: each kind of work the CLI does (imports of orders, listings and photos,
//! tagging, captioning, translating, a model download and a model import, alone and as a
//! first run's plan, loading the demo, a report, a table export) is SIGKILLed at points spread over a clean run's length, again and
//! again, then resumed (`jobs resume`, or the command once more for work that is not a
//! job). After each kill the job shows as interrupted, or queued when it had not started
//! (never failed or still running), the target file is absent or whole (never
//! half-written), and once resumed the database and the file are exactly what an
//! uninterrupted run leaves. Loading the demo, the longest, is killed five times a run:
//! as it starts, then each time it resumes.
//!
//! `TRADEWIND_KILLS` sets the kills per kind (default 50).

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{orders_file, stderr, tradewind};
use sha2::{Digest, Sha256};
use tradewind::ml::fixtures::hub::{HubServer, Serve};
use tradewind::ml::fixtures::{BERT_ID, CLIP_ID};

/// One kind of work: the data folder it starts from, its command, what it writes.
struct Work {
    name: &'static str,
    /// Made once and copied for every run.
    base: PathBuf,
    args: Vec<String>,
    /// The file it writes, relative to the run's folder.
    output: Option<&'static str>,
    /// What the work leaves in the database, as rows of text.
    queries: &'static [&'static str],
    /// Kills before each resume to the end: a long job is killed again as it resumes.
    chain: usize,
    catalog: PathBuf,
    /// The Hub stand-in every run downloads from.
    hub: String,
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

impl Work {
    /// The CLI on the run's data folder, with the work's catalog and Hub.
    fn cli(&self, run: &Path) -> Command {
        let mut command = tradewind(&run.join("data"));
        command
            .env("TRADEWIND_CATALOG", &self.catalog)
            .env("HF_ENDPOINT", &self.hub)
            .env_remove("TRADEWIND_HF_ENDPOINT");
        command
    }

    fn command(&self, run: &Path) -> Command {
        let mut command = self.cli(run);
        command
            .args(
                self.args
                    .iter()
                    .map(|arg| arg.replace("{run}", run.to_str().unwrap())),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        command
    }

    /// A fresh copy of the base folder at `run`.
    fn fresh(&self, run: &Path) {
        let _ = std::fs::remove_dir_all(run);
        copy_folder(&self.base, &run.join("data"));
        std::fs::create_dir_all(run.join("out")).unwrap();
    }

    /// The database's rows for `queries` and the output's digest.
    fn fingerprint(&self, run: &Path) -> (Vec<String>, Option<String>) {
        let conn = rusqlite::Connection::open(run.join("data/tradewind.db")).unwrap();
        let rows = self
            .queries
            .iter()
            .map(|sql| {
                conn.query_row(&format!("SELECT CAST(({sql}) AS TEXT)"), [], |row| {
                    row.get::<_, Option<String>>(0)
                })
                .unwrap()
                .unwrap_or_default()
            })
            .collect();
        (rows, self.output_digest(run))
    }

    fn output_digest(&self, run: &Path) -> Option<String> {
        let file = std::fs::read(run.join(self.output?)).ok()?;
        Some(format!("{:x}", Sha256::digest(&file)))
    }

    /// The next link of a chain of kills: the work itself, or `jobs resume` of the job a
    /// kill interrupted; None once it has succeeded.
    fn restart(&self, run: &Path, jobs_before: Option<i64>) -> Option<Command> {
        let job = self
            .last_job(run)
            .filter(|(id, _)| Some(*id) != jobs_before);
        match job.as_ref().map(|(id, state)| (id, state.as_str())) {
            Some((id, "interrupted" | "queued")) => {
                let mut command = self.cli(run);
                command
                    .args(["jobs", "resume", &id.to_string()])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped());
                Some(command)
            }
            Some((_, "succeeded")) => None,
            Some((_, state)) => panic!("{}: a kill left its job {state}", self.name),
            None => Some(self.command(run)),
        }
    }

    /// The newest job and its state as the CLI sees it.
    fn last_job(&self, run: &Path) -> Option<(i64, String)> {
        let output = self.cli(run).args(["--json", "jobs"]).output().unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        let jobs: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let newest = jobs.as_array()?.first()?;
        Some((
            newest["id"].as_i64()?,
            newest["state"].as_str()?.to_string(),
        ))
    }
}

/// Runs `work` to its end once, then `kills` times killed and resumed; returns how many
/// kills landed while the work was running.
fn kill_anywhere(work: &Work, root: &Path, kills: usize) -> usize {
    // A first run warms what the runs share outside their data folders (the fixture
    // models' files in the page cache, at least), so that the timed run is about as
    // long as the killed ones.
    let warm = root.join(format!("{}-warm", work.name));
    work.fresh(&warm);
    assert!(work.command(&warm).status().unwrap().success());
    let reference = root.join(format!("{}-reference", work.name));
    work.fresh(&reference);
    let jobs_before = work.last_job(&reference).map(|(id, _)| id);
    let started = Instant::now();
    let clean = work.command(&reference).output().unwrap();
    let length = started.elapsed();
    assert!(clean.status.success(), "{}: {}", work.name, stderr(&clean));
    let expected = work.fingerprint(&reference);
    assert!(
        work.output.is_none() || expected.1.is_some(),
        "{}: no output",
        work.name
    );

    let run = root.join(format!("{}-run", work.name));
    let (mut landed, mut length) = (0, length);
    for round in 0..kills.div_ceil(work.chain) {
        work.fresh(&run);
        let mut at = String::new();
        for link in 0..work.chain {
            let kill = round * work.chain + link;
            // Spread over the run's length as last seen (a run that ends before its kill
            // is the new measure: the machine's load makes runs longer or shorter); the
            // links of a chain each get their share of it.
            let delay = length.mul_f64((kill as f64 + 0.5) / kills as f64 / work.chain as f64);
            at = format!(
                "{} killed after {delay:?} (kill {} of its run)",
                work.name,
                link + 1
            );
            let started = Instant::now();
            let Some(mut next) = work.restart(&run, jobs_before) else {
                break; // the last kill came as it ended
            };
            let mut child = next.spawn().unwrap();
            let ended = loop {
                if child.try_wait().unwrap().is_some() {
                    break true;
                }
                if started.elapsed() >= delay {
                    landed += 1;
                    break false;
                }
                std::thread::sleep(Duration::from_millis(1));
            };
            if ended && link == 0 {
                length = started.elapsed();
            }
            child.kill().unwrap(); // SIGKILL: no chance to clean up
            child.wait().unwrap();
            if let Some(digest) = work.output_digest(&run) {
                assert_eq!(Some(digest), expected.1, "{at}: a half-written file");
            }
            if ended {
                break;
            }
        }
        let job = work
            .last_job(&run)
            .filter(|(id, _)| Some(*id) != jobs_before);
        match job.as_ref().map(|(id, state)| (id, state.as_str())) {
            // Killed as it ran, or after it was recorded and before it started.
            Some((id, "interrupted" | "queued")) => {
                let resumed = work
                    .cli(&run)
                    .args(["jobs", "resume", &id.to_string()])
                    .output()
                    .unwrap();
                assert!(resumed.status.success(), "{at}: {}", stderr(&resumed));
                // A job that writes a file writes it as it ends.
                if work.output.is_some() && work.output_digest(&run).is_none() {
                    assert!(work.command(&run).status().unwrap().success(), "{at}");
                }
            }
            Some((_, "succeeded")) => {}
            Some((_, state)) => panic!("{at}: the job is {state}"),
            // Killed before its job was recorded, or work that is not a job.
            _ => {
                let again = work.command(&run).output().unwrap();
                assert!(again.status.success(), "{at}: {}", stderr(&again));
            }
        }
        assert_eq!(work.fingerprint(&run), expected, "{at}: resumed otherwise");
    }
    landed
}

/// What each kind of work leaves in the database.
const ORDERS: &[&str] = &[
    "SELECT count(*) || '/' || count(DISTINCT name) || '/' || sum(total_minor) FROM orders",
    "SELECT count(*) || '/' || sum(quantity) FROM order_lines",
];
const LISTINGS: &[&str] = &[
    "SELECT count(*) || '/' || group_concat(handle || ':' || title, '|') FROM listings",
    "SELECT count(*) FROM listing_variants",
];
const PHOTOS: &[&str] = &[
    "SELECT group_concat(file_name || ':' || width || 'x' || height || ':' || sha256, '|') \
     FROM (SELECT * FROM photos ORDER BY file_name)",
];
const TAGS: &[&str] = &[
    "SELECT group_concat(photo_id || ':' || grp || ':' || label || ':' || state, '|') \
     FROM (SELECT * FROM photo_tags ORDER BY photo_id, grp, label)",
];
const TRANSLATIONS: &[&str] = &[
    "SELECT count(*) || '/' || group_concat(listing_id || field || ':' || translated, '|') \
     FROM (SELECT * FROM listing_translations ORDER BY listing_id, field, locale)",
];

const CAPTIONS: &[&str] = &[
    "SELECT group_concat(photo_id || ':' || locale || ':' || text || ':' || status, '|') \
     FROM (SELECT * FROM photo_captions ORDER BY photo_id, locale)",
];
const MODEL: &[&str] = &[
    "SELECT group_concat(file || ':' || size || ':' || sha256, '|') \
     FROM (SELECT * FROM model_files ORDER BY model_id, file)",
];
const DEMO: &[&str] = &[
    "SELECT (SELECT count(*) FROM listings) || '/' || (SELECT count(*) FROM photos) || '/' || \
     (SELECT count(*) || ':' || sum(total_minor) FROM orders) || '/' || (SELECT count(*) FROM reviews)",
];
/// The models' weights, where the model store keeps them.
const EMBEDDER: &str = "data/models/fixture-bert/model.safetensors";
const TAGGER: &str = "data/models/fixture-clip/model.safetensors";

/// A data folder made by `commands` (run in order), for the works to start from.
fn base(root: &Path, name: &str, catalog: &Path, commands: &[&[&str]]) -> PathBuf {
    let data = root.join("bases").join(name);
    for args in commands {
        let made = tradewind(&data)
            .env("TRADEWIND_CATALOG", catalog)
            .args(*args)
            .output()
            .unwrap();
        assert!(made.status.success(), "{name}: {}", stderr(&made));
    }
    if !data.exists() {
        std::fs::create_dir_all(&data).unwrap();
    }
    data
}

#[test]
fn work_killed_anywhere_resumes_to_what_an_uninterrupted_run_leaves() {
    let kills: usize = std::env::var("TRADEWIND_KILLS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(50);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (fixtures, _) = common::fixtures_and_data(root);
    let catalog = fixtures.join("catalog.toml");
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    let (orders, _) = orders_file(root, 600);
    let photos = root.join("photos");
    std::fs::create_dir_all(&photos).unwrap();
    for name in [
        "astronaut.jpg",
        "atlas-trail-bottle-750-1.jpg",
        "atlas-trail-bottle-750-2.jpg",
    ] {
        std::fs::copy(demo.join("photos").join(name), photos.join(name)).unwrap();
    }
    let products = root.join("products.csv");
    let demo_products = std::fs::read_to_string(demo.join("products.csv")).unwrap();
    // The first products, whole: a few seconds of translation with the fixture models.
    let kept: Vec<&str> = demo_products.lines().take(7).collect();
    std::fs::write(&products, kept.join("\n") + "\n").unwrap();

    let path = |path: &Path| path.to_str().unwrap().to_string();
    // The same photos chosen one by one, as the app's file dialog gives them.
    let photo_files: Vec<String> = ["astronaut.jpg", "atlas-trail-bottle-750-2.jpg"]
        .map(|name| path(&photos.join(name)))
        .to_vec();
    let words = |words: &[&str]| {
        words
            .iter()
            .map(|word| word.to_string())
            .collect::<Vec<_>>()
    };
    let empty = base(root, "empty", &catalog, &[]);
    let with_photos = base(
        root,
        "photos",
        &catalog,
        &[&["photos", "import", &path(&photos)]],
    );
    let with_listings = base(
        root,
        "listings",
        &catalog,
        &[&["import", "listings", &path(&products)]],
    );
    // A first report makes the data folder's salt for anonymised customers, which the
    // runs then share with the reference.
    let salted = path(&root.join("first-report.html"));
    let with_orders = base(
        root,
        "orders",
        &catalog,
        &[
            &["import", "orders", &path(&orders)],
            &["report", "--out", &salted],
        ],
    );
    let translated = base(
        root,
        "translated",
        &catalog,
        &[
            &["import", "listings", &path(&products)],
            &["translate", "--to", "de"],
        ],
    );
    // The fixture embedder and photo tagger served by a Hub stand-in (each file under its
    // repository's path), slowly enough to be killed half-way, and a catalog that has
    // them only there.
    let bert = fixtures.join(BERT_ID);
    let mut served = Vec::new();
    let mut only_on_the_hub = std::fs::read_to_string(&catalog).unwrap();
    for id in [BERT_ID, CLIP_ID] {
        for name in ["config.json", "tokenizer.json", "model.safetensors"] {
            let file = std::fs::read(fixtures.join(id).join(name)).unwrap();
            served.push((format!("{id}/resolve/fixture/{name}"), file));
        }
        let local = format!("local_dir = \"{id}\"\n");
        assert!(only_on_the_hub.contains(&local));
        only_on_the_hub = only_on_the_hub.replace(&local, "");
    }
    let hub = HubServer::start(served);
    hub.set(Serve::Slowly {
        chunk: 8192,
        pause: Duration::from_millis(10),
    });
    let hub_catalog = fixtures.join("catalog-hub.toml");
    std::fs::write(&hub_catalog, only_on_the_hub).unwrap();

    let work = |name, base: &PathBuf, args: Vec<String>, output, queries| Work {
        name,
        base: base.clone(),
        args,
        output,
        queries,
        chain: 1,
        catalog: catalog.clone(),
        hub: hub.address.clone(),
    };
    // Downloading the embedder, or copying it in from a folder (a USB stick), with the
    // catalog that has it only on the Hub.
    let on_hub = |work: Work| Work {
        catalog: hub_catalog.clone(),
        ..work
    };
    let import = |what: &str, file: &Path| words(&["import", what, file.to_str().unwrap()]);
    // A table: one kind of work per line.
    #[rustfmt::skip]
    let works = [
        // Two threads take half each, in this order: the halves take about as long.
        // The longest: five kills to a run, each as it starts or resumes.
        Work { chain: 5, ..work("load-demo", &empty, words(&["demo"]), None, DEMO) },
        work("import-orders", &empty, import("orders", &orders), None, ORDERS),
        work("import-listings", &empty, import("listings", &products), None, LISTINGS),
        work("tag-photos", &with_photos, words(&["photos", "tag"]), None, TAGS),
        work("translate", &with_listings, words(&["translate", "--to", "de"]), None, TRANSLATIONS),
        work("export-table", &translated, words(&["export", "table", "--out", "{run}/out/t.csv"]), Some("out/t.csv"), TRANSLATIONS),
        on_hub(work("import-model", &empty, words(&["models", "import", BERT_ID, &path(&bert)]), Some(EMBEDDER), MODEL)),
        work("import-photos", &empty, words(&["photos", "import", &path(&photos)]), None, PHOTOS),
        work("report", &with_orders, words(&["report", "--out", "{run}/out/r.html"]), Some("out/r.html"), ORDERS),
        work("caption-photos", &with_photos, words(&["photos", "caption", "--to", "de"]), None, CAPTIONS),
        on_hub(work("download", &empty, words(&["models", "pull", BERT_ID]), Some(EMBEDDER), MODEL)),
        on_hub(work("plan-download", &empty, words(&["models", "plan", "--tag-photos", "--download"]), Some(TAGGER), MODEL)),
        on_hub(work("plan-import", &empty, words(&["models", "plan", "--tag-photos", "--import", &path(&fixtures)]), Some(TAGGER), MODEL)),
        work("import-photo-files", &empty, [words(&["photos", "import"]), photo_files].concat(), None, PHOTOS),
    ];
    let landed: Vec<(&str, usize)> = std::thread::scope(|scope| {
        let halves: Vec<_> = works
            .chunks(works.len().div_ceil(2))
            .map(|half| {
                scope.spawn(move || {
                    half.iter()
                        .map(|work| {
                            let started = Instant::now();
                            let landed = kill_anywhere(work, root, kills);
                            eprintln!(
                                "{}: {kills} kills, {landed} while it ran, {:?}",
                                work.name,
                                started.elapsed()
                            );
                            (work.name, landed)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves
            .into_iter()
            .flat_map(|half| half.join().unwrap())
            .collect()
    });
    // Some download was resumed where a killed one had stopped, not started again.
    let ranges = hub.ranges();
    assert!(
        ranges.iter().any(|range| !range.starts_with("0-")),
        "no download resumed from where it stopped: {ranges:?}"
    );
    // Most kills must land while the work runs, or the test tests little.
    for (name, landed) in landed {
        assert!(
            landed * 2 >= kills,
            "{name}: only {landed} of {kills} kills landed while it ran"
        );
    }
}
