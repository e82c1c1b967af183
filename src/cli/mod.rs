mod analytics;
mod commands;
mod data;
mod forecast;
mod models_plan;
mod orders_import;
mod photos;
mod print;
mod progress;
mod recommend;
mod reply;
mod report;
mod reviews;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tradewind: an offline AI assistant for small cross-border sellers.
#[derive(Debug, Parser)]
#[command(name = "tradewind", version, about, propagate_version = true)]
struct Cli {
    /// Where Tradewind keeps its database, models and imported files.
    #[arg(long, global = true, env = "TRADEWIND_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print results as JSON (for scripts) instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// How long to wait for another Tradewind writing the database, in milliseconds.
    #[arg(long, global = true, env = "TRADEWIND_BUSY_TIMEOUT_MS", hide = true)]
    busy_timeout_ms: Option<u64>,
    /// Log more (-v: debug, -vv: trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load the demo shop (products, two years of orders, photos) and print what it loaded.
    Demo,
    /// Check the installation: version, data folder, database health, CPU, devices, models.
    Doctor {
        /// Load these models first and report their load time and memory.
        #[arg(long = "load", value_name = "ID")]
        load: Vec<String>,
    },
    /// Show the compute settings, or change them.
    Settings {
        /// f32 or q8_0 matrices for Marian translators.
        #[arg(long)]
        precision: Option<String>,
        /// Compute threads from the next start (0: one per core).
        #[arg(long)]
        threads: Option<usize>,
        /// How much memory loaded models may hold, in MB, from the next start.
        #[arg(long)]
        memory_mb: Option<u64>,
    },
    /// Import a shop export.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Translate the imported listings (first importing FILE, a Shopify product CSV, if
    /// given) into other languages, as a resumable job. Sentences translated before come
    /// from the translation memory; brands, SKUs, measures and markup are kept.
    Translate {
        file: Option<PathBuf>,
        /// The target languages, e.g. de,fr,es,ja.
        #[arg(long, value_delimiter = ',', required = true)]
        to: Vec<String>,
        /// The listings' language.
        #[arg(long, default_value = "en")]
        from: String,
        /// marian (opus-mt pairs, through English where needed) or madlad (one model for
        /// all), for every language or per language: --engine marian,ja=madlad.
        #[arg(long, value_delimiter = ',', default_value = "marian")]
        engine: Vec<String>,
        /// Which column of FILE is which, when it is not a Shopify product CSV (see
        /// `import listings --map`).
        #[arg(
            long,
            value_delimiter = ',',
            value_name = "COLUMN=ROLE",
            requires = "file"
        )]
        map: Vec<String>,
        /// Write here a copy of FILE per language (NAME.LANG.EXT) with the translated
        /// cells in place and every other cell as it was.
        #[arg(long, value_name = "DIR", requires = "file")]
        out: Option<PathBuf>,
        /// Report translations over this marketplace's length limits (amazon, ebay, etsy, shopify).
        #[arg(long)]
        marketplace: Option<String>,
        /// Import this glossary CSV (source, language, target) first.
        #[arg(long, value_name = "FILE")]
        glossary: Option<PathBuf>,
    },
    /// The glossary: terms and how they must read in each language.
    #[command(subcommand)]
    Glossary(GlossaryCommand),
    /// The stored translations of the listings, with what a reviewer should look at.
    Translations {
        /// Only those over this marketplace's length limits (amazon, ebay, etsy, shopify).
        #[arg(long)]
        marketplace: Option<String>,
    },
    /// Write the stored translations out for a shop or a spreadsheet.
    #[command(subcommand)]
    Export(ExportCommand),
    /// List jobs, or resume one that was interrupted, cancelled or failed.
    Jobs {
        #[command(subcommand)]
        action: Option<JobsAction>,
    },
    /// The AI models: list the catalog, verify, import from a folder, delete, try one.
    #[command(subcommand)]
    Models(ModelsCommand),
    /// Product photos: import, tag, caption, check against marketplaces, correct, export.
    #[command(subcommand)]
    Photos(photos::PhotosCommand),
    /// Customer analytics over every channel's orders: summary, customers, RFM, cohorts,
    /// the reporting currency and its exchange rates.
    #[command(subcommand)]
    Analytics(analytics::AnalyticsCommand),
    /// Product reviews: import an app's or Etsy's export, and what they say per product.
    #[command(subcommand)]
    Reviews(reviews::ReviewsCommand),
    /// A report of the dashboard, customer groups, cohorts, recommendations, forecasts
    /// and reviews for a date range and channels: HTML, PDF, XLSX or CSV.
    Report(report::ReportArgs),
    /// Draft a reply to a buyer's message with a local writing model, from the order and
    /// listings it names and the shop policies, in your language and the buyer's.
    Reply(reply::ReplyArgs),
    /// Buyers' messages imported from a file (buyer, order number, text, date): list
    /// them, or import a file; answer one with `tradewind reply --to ID`.
    Messages {
        #[command(subcommand)]
        command: Option<reply::MessagesCommand>,
    },
    /// A listing field over a marketplace's limit, shortened by the local writing model,
    /// keeping the brand, SKUs and measures (exit status 2 when the draft still does not
    /// fit or lost one).
    Shorten(reply::ShortenArgs),
    /// An SEO title, a meta description or tags for a listing, drafted by the local
    /// writing model from its title and description (exit status 2 when the draft is
    /// too long, too few tags, or lost the brand).
    Copy(reply::CopyArgs),
    /// The shop policies replies rely on (shipping, returns): show them, or change them.
    Policies(reply::PoliciesArgs),
    /// Write the database (listings, orders, translations, reviews, settings, jobs) to one
    /// file, whole or not at all; models and photos are not in it.
    Backup { file: PathBuf },
    /// Replace this data folder's database with a backup, checked first; the database it
    /// replaces is kept beside it. Close the app first.
    Restore { file: PathBuf },
    /// Move the data folder (database, models, jobs, the demo's files) to a new or empty
    /// folder, with progress when it is on another disk. The default data folder is
    /// remembered at its new place; a folder named with --data-dir is named anew from
    /// then on. Close the app first.
    MoveDataFolder { to: PathBuf },
    /// Delete everything in the data folder: the database, models, jobs and the demo's
    /// files. Close the app first.
    DeleteAllData {
        /// Nothing is deleted without it.
        #[arg(long)]
        yes: bool,
    },
    /// Tools for developers and benchmarks.
    #[command(subcommand)]
    Dev(DevCommand),
}

#[derive(Debug, Subcommand)]
enum ModelsCommand {
    /// Every model of the catalog, with task, size, memory, licence and whether it is here.
    List,
    /// The models for what you want to do, chosen for this computer's memory and devices
    /// (as the app's first run proposes them), with their sizes; `--download` fetches
    /// them in one job, `--import FOLDER` copies them from their folders there.
    Plan(models_plan::PlanArgs),
    /// Check the size and sha256 of every file of the given models (default: all present).
    Verify { ids: Vec<String> },
    /// Download a model from the Hugging Face Hub (TRADEWIND_HF_ENDPOINT or HF_ENDPOINT for a
    /// mirror), resuming what an earlier attempt left, and verify it.
    Pull { id: String },
    /// Copy a model from a folder or a .zip/.tar/.tar.gz (a USB stick, a download made
    /// elsewhere), verifying every file first.
    Import {
        id: String,
        #[arg(value_name = "FOLDER_OR_ARCHIVE")]
        folder: PathBuf,
    },
    /// Delete Tradewind's copy of a model.
    Rm { id: String },
    /// Write replies and listing copy with this writing model (one on this computer).
    Write { id: String },
    /// Run a model: translate texts, rate reviews, compare texts' meaning (the first
    /// against the others), tag or caption a photo, answer a prompt. Prints what the
    /// load cost.
    Run {
        id: String,
        /// Texts; for a photo-tagging model, the candidate labels.
        inputs: Vec<String>,
        /// The photo, for tagging and captioning models.
        #[arg(long, value_name = "FILE")]
        image: Option<PathBuf>,
        /// The language to translate into, for many-language translators (e.g. de).
        #[arg(long, value_name = "LANG")]
        to: Option<String>,
        /// cpu, metal or cuda (default: the setting); the CPU when the chosen one is missing.
        #[arg(long)]
        device: Option<String>,
        /// f32 or q8_0, for Marian translators (default: the setting, q8_0).
        #[arg(long)]
        precision: Option<String>,
        /// The longest output, in tokens.
        #[arg(long, default_value_t = 64)]
        max_tokens: usize,
    },
}

#[derive(Debug, Subcommand)]
enum GlossaryCommand {
    /// Every entry.
    List,
    /// Add or replace entries from a CSV with the columns source, language, target.
    Import { file: PathBuf },
    /// Write the glossary as a CSV (source, language, target).
    Export { file: PathBuf },
}

/// Whether an export of customers is anonymised; neither flag: the last choice.
#[derive(Debug, clap::Args)]
pub(crate) struct AnonymiseArgs {
    /// A salted hash instead of e-mails, no names or postal codes (the first choice).
    #[arg(long, conflicts_with = "with_contacts")]
    anonymise: bool,
    /// E-mails and names included.
    #[arg(long)]
    with_contacts: bool,
}

impl AnonymiseArgs {
    pub(crate) fn asked(&self) -> Option<bool> {
        match (self.anonymise, self.with_contacts) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// Fill in the translations file Shopify exported (Settings → Languages → Export, or
    /// Translate & Adapt) with Tradewind's translations, for the shop to import back.
    ShopifyTranslations {
        /// The file the shop exported.
        #[arg(value_name = "SHOP_EXPORT")]
        shop_export: PathBuf,
        /// Where to write the filled file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The customers of a segment as the CSV an e-mail tool imports: all, an RFM group
    /// (champions, at-risk…) or cohort:YYYY-MM. Anonymised (a salted hash instead of
    /// e-mail, no names or postal codes) unless --with-contacts; the choice is remembered.
    Segment {
        name: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// klaviyo, mailchimp or shopify-email.
        #[arg(long, default_value = "klaviyo", value_parser = ["klaviyo", "mailchimp", "shopify-email"])]
        tool: String,
        #[command(flatten)]
        privacy: AnonymiseArgs,
        #[command(flatten)]
        filter: analytics::FilterArgs,
    },
    /// The filtered orders, their customers and the monthly metrics as Parquet files
    /// (orders.parquet, customers.parquet, monthly.parquet) in a folder, for DuckDB,
    /// Polars or a warehouse. Anonymised unless --with-contacts, as segment exports.
    Parquet {
        #[arg(long, value_name = "FOLDER")]
        out: PathBuf,
        #[command(flatten)]
        privacy: AnonymiseArgs,
        #[command(flatten)]
        filter: analytics::FilterArgs,
    },
    /// Every translation as a table: one row per listing, field and language.
    Table {
        /// FILE.csv, FILE.xlsx or FILE.json.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Add the limits of this marketplace each translation breaks (amazon, ebay, etsy, shopify).
        #[arg(long)]
        marketplace: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// A Shopify product CSV, or a CSV, XLSX or JSON file of your own layout with --map.
    Listings {
        file: PathBuf,
        /// Which column is which, for a file that is not Shopify's: "Name=title,Text=description".
        /// Roles: handle, title, description, vendor, product_type, tags, seo_title,
        /// seo_description, sku, price, image_src, image_alt, translate, ignore.
        #[arg(long, value_delimiter = ',', value_name = "COLUMN=ROLE")]
        map: Vec<String>,
        /// Only show the file's columns, first rows and the mapping Tradewind proposes.
        #[arg(long)]
        preview: bool,
    },
    /// An orders export of Shopify, Etsy (EtsySoldOrders or EtsySoldOrderItems), Amazon
    /// (All Orders report), eBay (Seller Hub orders report) or WooCommerce, its layout
    /// found from its header and shown before the import; or any other CSV, XLSX or JSON
    /// file of orders with --map.
    Orders(orders_import::OrdersArgs),
    /// A folder of product photos (JPEG, PNG).
    Photos { folder: PathBuf },
}

#[derive(Debug, Subcommand)]
enum JobsAction {
    /// List every job, newest first (the default).
    List,
    /// Continue a job from where it stopped.
    Resume { id: i64 },
}

#[derive(Debug, Subcommand)]
enum DevCommand {
    /// Write tiny random-weight models of the catalog's architectures, with their own catalog.
    Fixtures {
        folder: PathBuf,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Write a Shopify orders export made from a product catalogue, e.g. a million lines for benchmarks.
    GenOrders {
        /// How many orders (each has one to four line items).
        #[arg(long, default_value_t = tradewind::demo::OrdersPlan::demo().orders)]
        orders: u64,
        #[arg(long, default_value_t = tradewind::demo::OrdersPlan::demo().seed)]
        seed: u64,
        /// The product CSV to sell from; the demo catalogue when absent.
        #[arg(long)]
        products: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the demo's Etsy, Amazon and eBay orders files and its reviews files (from the
    /// demo plan) into FOLDER.
    GenChannels { folder: PathBuf },
}

/// What a shell reports for a program stopped by SIGPIPE (128 + 13).
const CLOSED_PIPE: i32 = 141;

/// `println!` panics when stdout is a pipe whose reader has gone (`tradewind models list
/// | head -3`): the reader had what it wanted, so the command ends there without a word,
/// as Unix tools do, instead of printing a panic and its backtrace.
fn end_quietly_when_the_reader_hangs_up() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(CLOSED_PIPE);
        }
        default(info);
    }));
}

pub fn main() -> ExitCode {
    end_quietly_when_the_reader_hangs_up();
    let cli = Cli::parse();
    // usvg warns of every font fallback a PDF report's mixed scripts make (a glyph no
    // font has is an error of the report's own), and hf-hub logs each retry it gives up
    // on before the download's own error says what happened.
    let level = match cli.verbose {
        0 => "warn,usvg=error,hf_hub::retry=off",
        1 => "debug",
        _ => "trace",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level)),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}{}", hint(&error));
            ExitCode::FAILURE
        }
    }
}

/// How to do on the command line what the engine's sentence asks for (the engine's
/// own words name no flag, since the desktop app shows them too).
fn hint(error: &tradewind::Error) -> String {
    use tradewind::analytics::AnalyticsError;
    use tradewind::ml::MlError;
    let hint = match error {
        tradewind::Error::Ml(MlError::UnknownModel(_)) => "; `tradewind models list` shows the ids",
        tradewind::Error::Analytics(AnalyticsError::UnknownReviewsLayout { proposed, .. })
            if !proposed.is_empty() =>
        {
            return format!(
                " (on the command line, as its column names suggest; check it first: --map \"{proposed}\")"
            );
        }
        _ => match error.kind() {
            tradewind::ErrorKind::NeedsMapping => match error {
                tradewind::Error::Analytics(AnalyticsError::UnknownReviewsLayout { .. }) => {
                    " (on the command line: --map \"Handle=product,Stars=rating,Text=body\")"
                }
                tradewind::Error::Analytics(_) => {
                    " (on the command line: --map \"Order No=order_id,Date=date,Total=total\"; --preview shows the columns and a proposal)"
                }
                _ => {
                    " (on the command line: --map \"Name=title,Text=description\"; --preview shows the columns)"
                }
            },
            tradewind::ErrorKind::ModelMissing => {
                " (`tradewind models pull ID`, or `tradewind models import ID FOLDER`)"
            }
            tradewind::ErrorKind::Download => {
                " (`tradewind models pull ID` again resumes it; `tradewind models import ID FOLDER` takes a copied folder)"
            }
            tradewind::ErrorKind::NeedsPhoto => " (--image FILE)",
            tradewind::ErrorKind::NeedsLanguage => " (--to LANG)",
            _ => "",
        },
    };
    hint.to_string()
}
