//! `tradewind-bench analytics`: a million generated Shopify order lines imported into the
//! store, then each question the Analytics view asks, beside DuckDB (the PyPI `duckdb`
//! package, `scripts/bench/setup.sh` installs it) reading the same file with `read_csv`
//! and answering the same questions, in one run; then the recommenders and the report
//! in each format at that size (DuckDB has neither). Ours runs in a child process so that
//! its peak memory is its own.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use tradewind::analytics::Filter;
use tradewind::analytics::cohorts::CohortSplit;
use tradewind::analytics::metrics::Granularity;
use tradewind::analytics::recommend;
use tradewind::listings::catalogue::shopify_csv;
use tradewind::{JobSpec, demo};

use crate::measure::{BenchResult, fresh_engine, in_child_json, peak_rss_mb, python_peer, run_job};

/// The quarter and country of the filtered dashboard (the generator's orders run from
/// November 2024).
const QUARTER: (&str, &str) = ("2025-01-01", "2025-03-31");
const COUNTRY: &str = "US";

#[derive(clap::Args)]
pub struct Options {
    /// Order lines in the generated export (one to four per order).
    #[arg(long, default_value_t = 1_000_000)]
    lines: u64,
    /// Where the export and the stores are written (the export is kept between runs).
    #[arg(long, default_value = "target/bench/analytics")]
    dir: PathBuf,
    /// The Python that has DuckDB (`scripts/bench/setup.sh` makes it).
    #[arg(long, default_value = ".cache/bench-venv/bin/python")]
    python: PathBuf,
}

#[derive(clap::Args)]
pub struct RunOptions {
    #[arg(long)]
    dir: PathBuf,
    #[arg(long)]
    file: PathBuf,
}

/// What our child reports.
#[derive(Debug, Serialize, Deserialize)]
pub struct AnalyticsMeasurement {
    lines: u64,
    import_seconds: f64,
    /// The first question after the import: the orders read into memory, then answered.
    first_question_ms: f64,
    query_ms: Vec<(String, f64)>,
    recommend: RecommendMeasurement,
    /// Each format's whole report of every order (its analyses computed again), seconds.
    report_seconds: Vec<(String, f64)>,
    peak_rss_mb: f64,
}

/// The recommenders at this size: ALS trained on every order, and the evaluation (each
/// method fitted without the last orders, then ten suggestions per held-out customer).
#[derive(Debug, Serialize, Deserialize)]
pub struct RecommendMeasurement {
    customers: u64,
    products: u64,
    als_fit_seconds: f64,
    evaluation_seconds: f64,
    held_out: u64,
    /// Method, hit-rate@10, MAP@10.
    methods: Vec<(String, f64, f64)>,
}

/// What the DuckDB script reports.
#[derive(Debug, Deserialize)]
struct DuckDbMeasurement {
    version: String,
    rows: u64,
    steps: std::collections::BTreeMap<String, f64>,
    query_ms: std::collections::BTreeMap<String, f64>,
    peak_rss_mb: f64,
}

/// The export of about `lines` order lines, written once.
fn export(dir: &Path, lines: u64) -> BenchResult<PathBuf> {
    let path = dir.join(format!("orders-{lines}.csv"));
    if path.exists() {
        return Ok(path);
    }
    std::fs::create_dir_all(dir)?;
    let products = dir.join(demo::PRODUCTS_FILE);
    std::fs::write(&products, demo::PRODUCTS_CSV)?;
    let listings = shopify_csv::read(&products)?;
    // The generator's orders have 1.64 lines on average.
    let plan = demo::OrdersPlan {
        orders: lines * 100 / 164,
        ..demo::OrdersPlan::demo()
    };
    let partial = path.with_extension("csv.partial");
    let made = demo::write_orders(
        &listings,
        &plan,
        std::io::BufWriter::new(std::fs::File::create(&partial)?),
    )?;
    std::fs::rename(&partial, &path)?;
    eprintln!(
        "wrote {} orders ({} lines) to {}",
        made.orders,
        made.lines,
        path.display()
    );
    Ok(path)
}

pub fn compare(options: &Options) -> BenchResult<()> {
    let file = export(&options.dir, options.lines)?;
    let ours: AnalyticsMeasurement = in_child_json(
        &[
            "analytics-run".into(),
            "--dir".into(),
            options.dir.display().to_string(),
            "--file".into(),
            file.display().to_string(),
        ],
        2,
    )?;
    let rates = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fx/eurofxref-hist.zip");
    let duck: DuckDbMeasurement = python_peer(
        &options.python,
        "analytics_duckdb.py",
        &[
            file.display().to_string(),
            rates.display().to_string(),
            QUARTER.0.to_string(),
            QUARTER.1.to_string(),
            COUNTRY.to_string(),
        ],
    )?;
    let duck_import: f64 = duck.steps.values().sum();
    println!(
        "{} order lines ({}), 2 threads; DuckDB {}",
        ours.lines,
        file.display(),
        duck.version
    );
    println!(
        "import        ours {:6.2} s {:8.0} rows/s | DuckDB read_csv {:5.2} s, with orders, lines and USD {:5.2} s {:8.0} rows/s | ratio {:.2}",
        ours.import_seconds,
        ours.lines as f64 / ours.import_seconds,
        duck.steps.get("read_csv").copied().unwrap_or(f64::NAN),
        duck_import,
        duck.rows as f64 / duck_import,
        duck_import / ours.import_seconds
    );
    println!(
        "first question after import (orders read into memory): {:.0} ms",
        ours.first_question_ms
    );
    for (question, ms) in &ours.query_ms {
        let theirs = duck.query_ms.get(question).copied().unwrap_or(f64::NAN);
        println!(
            "{question:<36} ours {ms:8.1} ms | DuckDB {theirs:8.1} ms | ours/DuckDB {:.2}",
            ms / theirs
        );
    }
    let recommend = &ours.recommend;
    println!(
        "recommenders: {} customers, {} products; ALS trained in {:.2} s; evaluation ({} held out) {:.2} s",
        recommend.customers,
        recommend.products,
        recommend.als_fit_seconds,
        recommend.held_out,
        recommend.evaluation_seconds
    );
    for (method, hit_rate, map) in &recommend.methods {
        println!(
            "  {method:<10} hit-rate@10 {:5.1} %  MAP@10 {map:.3}",
            hit_rate * 100.0
        );
    }
    let reports: Vec<String> = ours
        .report_seconds
        .iter()
        .map(|(format, seconds)| format!("{format} {seconds:.2} s"))
        .collect();
    println!(
        "report of every order (analyses included): {}",
        reports.join(", ")
    );
    println!(
        "peak RSS      ours {:.0} MB | DuckDB {:.0} MB",
        ours.peak_rss_mb, duck.peak_rss_mb
    );
    Ok(())
}

/// The best of five runs of `question`, in milliseconds.
fn best_of_five<T>(mut question: impl FnMut() -> Result<T, tradewind::Error>) -> BenchResult<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let began = Instant::now();
        question()?;
        best = best.min(began.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(best)
}

fn recommenders(engine: &tradewind::Engine) -> BenchResult<RecommendMeasurement> {
    let frame = tradewind::analytics::Frames::default().get(engine.store())?;
    let catalogue = recommend::catalogue(engine.store())?;
    let baskets = recommend::baskets_of(&frame, &Filter::default(), &catalogue)?;
    let (histories, customers) = baskets.histories();
    let began = Instant::now();
    recommend::Als::fit(
        &histories,
        baskets.products.len(),
        recommend::AlsSettings::default(),
    );
    let als_fit_seconds = began.elapsed().as_secs_f64();
    let began = Instant::now();
    let report = engine.recommendations(&Filter::default())?;
    Ok(RecommendMeasurement {
        customers: customers.len() as u64,
        products: baskets.products.len() as u64,
        als_fit_seconds,
        evaluation_seconds: began.elapsed().as_secs_f64(),
        held_out: report.evaluation.customers,
        methods: report
            .evaluation
            .methods
            .iter()
            .map(|score| (score.method.name().to_string(), score.hit_rate, score.map))
            .collect(),
    })
}

/// The report of every order written once in each format.
fn reports(engine: &tradewind::Engine, dir: &Path) -> BenchResult<Vec<(String, f64)>> {
    use tradewind::reports::{ReportFormat, ReportRequest};
    let mut seconds = Vec::new();
    for (name, format) in [
        ("html", ReportFormat::Html),
        ("pdf", ReportFormat::Pdf),
        ("xlsx", ReportFormat::Xlsx),
        ("csv", ReportFormat::Csv),
    ] {
        let request = ReportRequest {
            filter: Filter::default(),
            format,
            language: None,
            anonymise: Some(true),
        };
        let began = Instant::now();
        engine.write_report(&request, &dir.join(format!("report.{name}")))?;
        seconds.push((name.to_string(), began.elapsed().as_secs_f64()));
    }
    Ok(seconds)
}

/// Imports the export into a new store and asks the Analytics view's questions.
pub fn run(options: &RunOptions) -> BenchResult<()> {
    let engine = fresh_engine(&options.dir, None)?;
    let runtime = tokio::runtime::Runtime::new()?;
    let (import_seconds, _) = run_job(
        &engine,
        &runtime,
        &JobSpec::ImportOrders {
            path: options.file.clone(),
            channel: None,
            mapping: None,
        },
    )?;
    let everything = Filter::default();
    let ranged = Filter {
        from: Some(QUARTER.0.into()),
        to: Some(QUARTER.1.into()),
        countries: vec![COUNTRY.into()],
        ..Filter::default()
    };
    let began = Instant::now();
    engine.dashboard(&everything, Granularity::Month)?;
    let first_question_ms = began.elapsed().as_secs_f64() * 1000.0;
    let lines = engine.orders_summary()?.order_lines;
    let query_ms = vec![
        (
            "dashboard".to_string(),
            best_of_five(|| engine.dashboard(&everything, Granularity::Month))?,
        ),
        (
            "dashboard, a quarter in one country".to_string(),
            best_of_five(|| engine.dashboard(&ranged, Granularity::Month))?,
        ),
        (
            "rfm".to_string(),
            best_of_five(|| engine.rfm(&everything, 100))?,
        ),
        (
            "cohorts".to_string(),
            best_of_five(|| engine.cohorts(&everything, &CohortSplit::default()))?,
        ),
        (
            "orders list".to_string(),
            best_of_five(|| engine.orders(&everything, None, 200))?,
        ),
    ];
    let report = AnalyticsMeasurement {
        lines,
        import_seconds,
        first_question_ms,
        query_ms,
        recommend: recommenders(&engine)?,
        report_seconds: reports(&engine, &options.dir)?,
        peak_rss_mb: peak_rss_mb(),
    };
    println!("{}", serde_json::to_string(&report)?);
    Ok(())
}
