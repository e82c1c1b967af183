use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use tradewind::demo::{self, OrdersPlan};
use tradewind::files::write_atomically_with;
use tradewind::files::{require_file, require_folder};
use tradewind::jobs::{JobId, JobState};
use tradewind::listings::catalogue::own_layout::Role;
use tradewind::listings::catalogue::shopify_csv;
use tradewind::ml::archive::ArchiveKind;
use tradewind::ml::device::DeviceChoice;
use tradewind::ml::model::ModelInput;
use tradewind::ml::route::EngineChoice;
use tradewind::ml::store::Presence;
use tradewind::ml::weights::Precision;
use tradewind::{Engine, EngineConfig, Error, JobSpec};

use super::progress::ProgressDisplay;
use super::{
    Cli, Command, DevCommand, ExportCommand, GlossaryCommand, ImportCommand, JobsAction,
    ModelsCommand, print,
};

/// Exit code of a job the seller cancelled with Ctrl-C (as a shell reports SIGINT).
const CANCELLED: u8 = 130;

pub async fn run(cli: Cli) -> Result<ExitCode, Error> {
    let config = EngineConfig {
        data_dir: cli.data_dir.clone(),
        busy_timeout: cli.busy_timeout_ms.map(Duration::from_millis),
        catalog: None,
    };
    let json = cli.json;
    // Inputs are checked before the data folder is opened, so a typo writes nothing.
    match cli.command {
        Command::Demo => {
            let engine = Engine::open(config)?;
            let id = engine.create_job(&JobSpec::LoadDemo)?;
            run_job(&engine, id, json).await
        }
        Command::Doctor { load } => {
            let engine = Engine::open(config)?;
            for id in &load {
                engine.load_model(id, None, None)?;
            }
            let report = engine.doctor()?;
            print::doctor(&report, json);
            Ok(if report.integrity_problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Settings {
            precision,
            threads,
            memory_mb,
        } => {
            let engine = Engine::open(config)?;
            let mut settings = engine.compute_settings()?;
            if let Some(name) = precision {
                settings.translation_precision = parse_precision(name)?;
            }
            settings.threads = threads.unwrap_or(settings.threads);
            settings.model_memory_mb = memory_mb.unwrap_or(settings.model_memory_mb);
            let settings = engine.set_compute_settings(&settings)?;
            print::compute_settings(&settings, json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Import(import) => {
            let spec = match import {
                ImportCommand::Listings { file, map, preview } => {
                    require_file(&file)?;
                    if preview {
                        let engine = Engine::open(config)?;
                        print::listings_preview(&engine.preview_listings_file(&file)?, json);
                        return Ok(ExitCode::SUCCESS);
                    }
                    let mapping = if map.is_empty() {
                        None
                    } else {
                        Some(parse_mapping(&map, &Role::ALL, Role::name)?)
                    };
                    JobSpec::ImportListings {
                        path: file,
                        mapping,
                    }
                }
                ImportCommand::Orders(args) => {
                    match super::orders_import::spec(config.clone(), args, json)? {
                        Some(spec) => spec,
                        None => return Ok(ExitCode::SUCCESS),
                    }
                }
                ImportCommand::Photos { folder } => {
                    require_folder(&folder)?;
                    JobSpec::ImportPhotos { folder }
                }
            };
            let engine = Engine::open(config)?;
            let id = engine.create_job(&spec)?;
            run_job(&engine, id, json).await
        }
        Command::Translate {
            file,
            to,
            from,
            engine: choice,
            map,
            out,
            marketplace,
            glossary,
        } => {
            for input in file.iter().chain(&glossary) {
                require_file(input)?;
            }
            if let Some(out) = &out {
                std::fs::create_dir_all(out).map_err(|source| {
                    tradewind::files::FileError::Write {
                        path: out.clone(),
                        source,
                    }
                })?;
            }
            let (prefer, engines) = engine_choices(&choice)?;
            let engine = Engine::open(config)?;
            for locale in &to {
                let chosen = engines.get(locale).copied().unwrap_or(prefer);
                engine.translation_route(&from, locale, chosen)?;
            }
            if let Some(marketplace) = &marketplace {
                engine.marketplace_violations(marketplace)?;
            }
            if let Some(glossary) = &glossary {
                let entries = engine.import_glossary(glossary)?;
                println!("Glossary: {entries} entries from {}", glossary.display());
            }
            if let Some(path) = &file {
                let mapping = if map.is_empty() {
                    None
                } else {
                    Some(parse_mapping(&map, &Role::ALL, Role::name)?)
                };
                let id = engine.create_job(&JobSpec::ImportListings {
                    path: path.clone(),
                    mapping,
                })?;
                let imported = run_job(&engine, id, json).await?;
                if imported != ExitCode::SUCCESS {
                    return Ok(imported);
                }
            }
            let id = engine.create_job(&JobSpec::TranslateListings {
                source: from,
                locales: to.clone(),
                prefer,
                engines,
            })?;
            let translated = run_job(&engine, id, json).await?;
            if let (Some(file), Some(out), ExitCode::SUCCESS) = (&file, &out, translated) {
                for copy in engine.export_translated_copies(file, Some(out), &to)? {
                    println!(
                        "Wrote {} ({} cells translated{})",
                        copy.path.display(),
                        copy.report.replaced,
                        match copy.report.stale {
                            0 => String::new(),
                            stale => format!(", {stale} left as they were: the file changed since"),
                        }
                    );
                }
            }
            if let (Some(marketplace), ExitCode::SUCCESS) = (&marketplace, translated) {
                print::violations(&engine.marketplace_violations(marketplace)?, json);
            }
            Ok(translated)
        }
        Command::Glossary(command) => {
            let engine = Engine::open(config)?;
            match command {
                GlossaryCommand::List => print::glossary(&engine.glossary()?, json),
                GlossaryCommand::Import { file } => {
                    require_file(&file)?;
                    println!(
                        "Imported {} glossary entries.",
                        engine.import_glossary(&file)?
                    );
                }
                GlossaryCommand::Export { file } => {
                    println!(
                        "Wrote {} glossary entries to {}.",
                        engine.export_glossary(&file)?,
                        file.display()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Translations { marketplace } => {
            let engine = Engine::open(config)?;
            match marketplace {
                Some(marketplace) => {
                    print::violations(&engine.marketplace_violations(&marketplace)?, json)
                }
                None => print::translations(&engine.listing_translations()?, json),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(ExportCommand::ShopifyTranslations { shop_export, out }) => {
            require_file(&shop_export)?;
            let engine = Engine::open(config)?;
            let report = engine.fill_shopify_translations(&shop_export, &out)?;
            print::filled(&report, &out, json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(ExportCommand::Segment {
            name,
            out,
            tool,
            privacy,
            filter,
        }) => {
            let engine = Engine::open(config)?;
            let choice = tradewind::analytics::segments::SegmentChoice::named(&name)
                .map_err(tradewind::Error::from)?;
            let tool = tradewind::analytics::segments::EmailTool::named(&tool)
                .unwrap_or(tradewind::analytics::segments::EmailTool::Klaviyo);
            let written =
                engine.export_segment(&filter.filter(), &choice, tool, privacy.asked(), &out)?;
            if json {
                print::json(&written);
            } else {
                println!(
                    "Wrote {} customers to {}{}.",
                    written.customers,
                    out.display(),
                    if written.anonymised {
                        " (anonymised: salted hashes, no names or postal codes; --with-contacts to include them)"
                    } else {
                        " (with e-mails and names)"
                    }
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(ExportCommand::Parquet {
            out,
            privacy,
            filter,
        }) => {
            let engine = Engine::open(config)?;
            let files = engine.export_parquet(&filter.filter(), privacy.asked(), &out)?;
            if json {
                print::json(&files);
            } else {
                for file in &files {
                    println!("Wrote {} rows to {}.", file.rows, file.path.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(ExportCommand::Table { out, marketplace }) => {
            let engine = Engine::open(config)?;
            let rows = engine.export_translations_table(&out, marketplace.as_deref())?;
            println!("Wrote {rows} translations to {}.", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Jobs { action } => {
            let engine = Engine::open(config)?;
            match action.unwrap_or(JobsAction::List) {
                JobsAction::List => {
                    print::jobs(&engine.jobs()?, json);
                    Ok(ExitCode::SUCCESS)
                }
                JobsAction::Resume { id } => run_job(&engine, id, json).await,
            }
        }
        Command::Models(command) => models(command, config, json).await,
        Command::Photos(command) => super::photos::run(command, config, json).await,
        Command::Analytics(command) => super::analytics::run(command, config, json),
        Command::Reviews(command) => super::reviews::run(command, config, json),
        Command::Report(args) => super::report::run(args, config, json),
        Command::Reply(args) => super::reply::reply(args, config, json),
        Command::Messages { command } => super::reply::messages(command, config, json),
        Command::Policies(args) => super::reply::policies(args, config, json),
        Command::Shorten(args) => super::reply::shorten(args, config, json),
        Command::Copy(args) => super::reply::copy(args, config, json),
        Command::Backup { file } => super::data::back_up(&file, config, json),
        Command::Restore { file } => super::data::restore(&file, config, json),
        Command::DeleteAllData { yes } => super::data::delete_all(yes, config, json),
        Command::MoveDataFolder { to } => super::data::move_folder(&to, config, json),
        Command::Dev(DevCommand::Fixtures { folder, seed }) => {
            let catalog = tradewind::ml::fixtures::write_fixtures(&folder, seed)?;
            println!(
                "Wrote {} fixture models and their catalog {}",
                catalog.models.len(),
                catalog.path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Dev(DevCommand::GenOrders {
            orders,
            seed,
            products,
            out,
        }) => generate_orders(products.as_deref(), &out, orders, seed),
        Command::Dev(DevCommand::GenChannels { folder }) => generate_channels(&folder),
    }
}

async fn models(
    command: ModelsCommand,
    config: EngineConfig,
    json: bool,
) -> Result<ExitCode, Error> {
    if let ModelsCommand::Import { folder, .. } = &command
        && ArchiveKind::of(folder).is_none()
    {
        require_folder(folder)?;
    }
    let engine = Engine::open(config)?;
    match command {
        ModelsCommand::List => print::models(&engine.models()?, json),
        ModelsCommand::Plan(args) => return super::models_plan::run(&engine, args, json).await,
        ModelsCommand::Verify { ids } => {
            let ids = if ids.is_empty() {
                engine
                    .models()?
                    .into_iter()
                    .filter(|status| !matches!(status.presence, Presence::NotPresent))
                    .map(|status| status.model.id)
                    .collect()
            } else {
                ids
            };
            let mut all_sound = true;
            for id in &ids {
                match engine.verify_model(id) {
                    Ok(files) => print::verified(id, &files, json),
                    Err(error) => {
                        all_sound = false;
                        eprintln!("error: {error}{}", super::hint(&error));
                    }
                }
            }
            if ids.is_empty() && !json {
                println!(
                    "No model is on this computer yet; `tradewind models list` shows the catalog."
                );
            }
            if !all_sound {
                return Ok(ExitCode::FAILURE);
            }
        }
        ModelsCommand::Import { id, folder } => {
            let files = engine.import_model(&id, &folder)?;
            print::verified(&id, &files, json);
        }
        ModelsCommand::Pull { id } => {
            engine.catalog()?.get(&id).map_err(Error::from)?;
            let job = engine.create_job(&JobSpec::DownloadModel { id })?;
            return run_job(&engine, job, json).await;
        }
        ModelsCommand::Rm { id } => {
            let freed = engine.remove_model(&id)?;
            println!(
                "Deleted model {id} ({} freed).",
                indicatif::HumanBytes(freed)
            );
        }
        ModelsCommand::Write { id } => {
            engine.choose_writer(&id)?;
            println!("Replies and listing copy are written with {id} from now on.");
        }
        ModelsCommand::Run {
            id,
            inputs,
            image,
            to,
            device,
            precision,
            max_tokens,
        } => {
            let device = device.map(|name| DeviceChoice::parse(&name)).transpose()?;
            let precision = precision.map(parse_precision).transpose()?;
            let (model, report) = engine.load_model(&id, device, precision)?;
            let input = ModelInput {
                texts: inputs,
                image,
                target_language: to,
                max_tokens,
            };
            let output = model.run(&input).map_err(Error::from)?;
            print::model_output(&input, &report, &output, json);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn run_job(engine: &Engine, id: JobId, json: bool) -> Result<ExitCode, Error> {
    let display = ProgressDisplay::new(json);
    let canceller = engine.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            canceller.cancel_job(id);
        }
    });
    let outcome = engine.run_job(id, display.observer()).await;
    ctrl_c.abort();
    display.finish();
    let job = outcome?;
    let overview = engine.overview()?;
    print::finished_job(&job, &overview, json);
    Ok(match job.state {
        JobState::Cancelled => ExitCode::from(CANCELLED),
        _ => ExitCode::SUCCESS,
    })
}

/// The listings of `products`, or of the demo catalogue.
fn catalogue(products: Option<&Path>) -> Result<Vec<shopify_csv::ParsedListing>, Error> {
    Ok(match products {
        Some(path) => {
            require_file(path)?;
            shopify_csv::read(path)?
        }
        None => {
            let dir = tempfile::tempdir().map_err(|source| tradewind::files::FileError::Write {
                path: std::env::temp_dir(),
                source,
            })?;
            let path = dir.path().join(demo::PRODUCTS_FILE);
            tradewind::files::write_atomically(&path, demo::PRODUCTS_CSV)?;
            shopify_csv::read(&path)?
        }
    })
}

fn generate_channels(folder: &Path) -> Result<ExitCode, Error> {
    let made = demo::write_channels(&catalogue(None)?, &OrdersPlan::demo()).map_err(|source| {
        tradewind::files::FileError::Write {
            path: folder.to_path_buf(),
            source,
        }
    })?;
    let reviews = demo::write_reviews(&catalogue(None)?, &OrdersPlan::demo(), &made.etsy_items)
        .map_err(|source| tradewind::files::FileError::Write {
            path: folder.to_path_buf(),
            source,
        })?;
    let files = [made.etsy_items, made.etsy_orders, made.amazon, made.ebay];
    let names = demo::CHANNEL_FILES.iter().map(|(name, _, _)| *name);
    let review_names = demo::REVIEW_FILES.iter().map(|(name, _)| *name);
    for (name, bytes) in names
        .zip(files)
        .chain(review_names.zip([reviews.judge_me, reviews.etsy]))
    {
        tradewind::files::write_atomically(&folder.join(name), &bytes)?;
        println!("Wrote {}", folder.join(name).display());
    }
    Ok(ExitCode::SUCCESS)
}

fn generate_orders(
    products: Option<&Path>,
    out: &Path,
    orders: u64,
    seed: u64,
) -> Result<ExitCode, Error> {
    let listings = catalogue(products)?;
    let plan = OrdersPlan {
        orders,
        seed,
        ..OrdersPlan::demo()
    };
    let made = write_atomically_with(out, |file| demo::write_orders(&listings, &plan, file))?;
    println!(
        "Wrote {} orders ({} line items) to {}",
        made.orders,
        made.lines,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn parse_precision(name: String) -> Result<Precision, Error> {
    Precision::parse(&name).ok_or_else(|| Error::InvalidSetting {
        setting: "precision",
        value: name,
        allowed: "f32, q8_0".into(),
    })
}

/// `--engine marian,ja=madlad`: the family for every language, then per language.
fn engine_choices(
    values: &[String],
) -> Result<
    (
        EngineChoice,
        std::collections::BTreeMap<String, EngineChoice>,
    ),
    Error,
> {
    let parse = |value: &str| match value.trim() {
        "marian" => Ok(EngineChoice::Marian),
        "madlad" => Ok(EngineChoice::Madlad),
        other => Err(Error::InvalidSetting {
            setting: "engine",
            value: other.to_string(),
            allowed: "marian, madlad, or LANG=marian|madlad".into(),
        }),
    };
    let mut prefer = EngineChoice::Marian;
    let mut engines = std::collections::BTreeMap::new();
    for value in values {
        match value.split_once('=') {
            Some((locale, choice)) => {
                engines.insert(locale.trim().to_string(), parse(choice)?);
            }
            None => prefer = parse(value)?,
        }
    }
    Ok((prefer, engines))
}

/// `--map "Name=title,Text=description"`: which of `roles` (known by `name`) each column
/// holds.
pub(super) fn parse_mapping<R: Copy>(
    values: &[String],
    roles: &[R],
    name: impl Fn(R) -> &'static str,
) -> Result<std::collections::BTreeMap<String, R>, Error> {
    let allowed = || {
        roles
            .iter()
            .map(|role| name(*role))
            .collect::<Vec<_>>()
            .join(", ")
    };
    values
        .iter()
        .map(|value| {
            let (column, role) = value
                .rsplit_once('=')
                .ok_or_else(|| Error::InvalidSetting {
                    setting: "map",
                    value: value.clone(),
                    allowed: "COLUMN=ROLE".into(),
                })?;
            let role = roles
                .iter()
                .copied()
                .find(|known| name(*known) == role.trim())
                .ok_or_else(|| Error::InvalidSetting {
                    setting: "map",
                    value: value.clone(),
                    allowed: allowed(),
                })?;
            Ok((column.trim().to_string(), role))
        })
        .collect()
}
