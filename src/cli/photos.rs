//! `tradewind photos …`: import, tag, caption, check, correct and export product photos.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use tradewind::photos::checks::Status;
use tradewind::photos::export::SidecarNaming;
use tradewind::photos::tag_job::TagAction;
use tradewind::photos::{PhotoSummary, TagState};
use tradewind::{Engine, EngineConfig, Error, JobSpec};

use super::commands::run_job;
use super::print::json;

#[derive(Debug, Subcommand)]
pub enum PhotosCommand {
    /// Import a folder of photos, or photo files (JPEG, PNG, WebP); an unchanged photo is
    /// skipped and keeps your tags.
    Import {
        #[arg(required = true, value_name = "FOLDER_OR_FILES")]
        paths: Vec<PathBuf>,
    },
    /// Every photo with its size, category, tags and colours.
    List,
    /// Tag photos with the photo-tagging model (categories and attributes), learning from
    /// your corrections.
    Tag {
        /// Only these photos (ids from `photos list`).
        #[arg(long, value_delimiter = ',')]
        photos: Vec<i64>,
        /// The model to use (default: the first photo-tagging model on this computer).
        #[arg(long)]
        model: Option<String>,
    },
    /// Write alt text with the captioning model and translate it into languages.
    Caption {
        /// The languages, e.g. de,fr (English is the caption's own).
        #[arg(long, value_delimiter = ',', required = true)]
        to: Vec<String>,
        /// Only these photos (ids from `photos list`).
        #[arg(long, value_delimiter = ',')]
        photos: Vec<i64>,
        /// The model to use (default: the first captioning model on this computer).
        #[arg(long)]
        model: Option<String>,
    },
    /// Check photos against a marketplace's photo rules (default: every marketplace).
    Check {
        /// amazon, ebay, etsy or shopify; the exit code is 1 when a photo fails.
        #[arg(long)]
        marketplace: Option<String>,
    },
    /// Keep, remove or add a tag on photos: `--accept`, `--remove` or `--add`.
    #[command(group = clap::ArgGroup::new("action").required(true))]
    Correct {
        /// The photos (ids from `photos list`).
        #[arg(long, value_delimiter = ',', required = true)]
        photos: Vec<i64>,
        /// category, colour, material, pattern, style, audience or season.
        #[arg(long)]
        group: String,
        /// The label (for a category, its taxonomy id).
        #[arg(long)]
        label: String,
        /// Keep the tagger's proposal.
        #[arg(long, group = "action")]
        accept: bool,
        /// Take the tag off (the tagger learns it does not fit).
        #[arg(long, group = "action")]
        remove: bool,
        /// Put the tag on (the tagger learns it fits).
        #[arg(long, group = "action")]
        add: bool,
    },
    /// Write the photos out: a CSV table (--out FILE.csv), XMP sidecars (--xmp, beside the
    /// photos or into --out DIR), or a copy of a Shopify product CSV filled in (--shopify).
    Export {
        /// The CSV file; with --xmp, a folder for the sidecars; with --shopify, the copy.
        #[arg(long, value_name = "FILE_OR_DIR")]
        out: Option<PathBuf>,
        /// Write an XMP sidecar per photo (tags, hierarchy, alt text per language); the
        /// photos themselves are never touched.
        #[arg(long, conflicts_with = "shopify")]
        xmp: bool,
        /// How sidecars are named, kept for next time (as the app's setting): `photo.xmp`
        /// (Lightroom, Bridge) or `photo.jpg.xmp` (digiKam, darktable).
        #[arg(long, value_enum, requires = "xmp")]
        sidecar_names: Option<SidecarNames>,
        /// The Shopify product CSV to copy, with the photos' reviewed tags and alt text.
        #[arg(long, value_name = "PRODUCTS_CSV")]
        shopify: Option<PathBuf>,
        /// The language of the alt text written into the Shopify copy.
        #[arg(long, default_value = "en")]
        locale: String,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SidecarNames {
    /// photo.xmp
    #[value(name = "photo.xmp")]
    Replace,
    /// photo.jpg.xmp
    #[value(name = "photo.jpg.xmp")]
    Append,
}

fn tag_words(photo: &PhotoSummary) -> String {
    photo
        .tags
        .iter()
        .filter(|tag| tag.state != TagState::Removed)
        .map(|tag| {
            let label = tag.path.as_deref().unwrap_or(&tag.label);
            match tag.state {
                TagState::Proposed => format!("{label}?"),
                _ => label.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn run(
    command: PhotosCommand,
    config: EngineConfig,
    as_json: bool,
) -> Result<ExitCode, Error> {
    if let PhotosCommand::Import { paths } = &command {
        for path in paths {
            if !path.exists() {
                return Err(tradewind::files::FileError::Missing { path: path.clone() }.into());
            }
        }
    }
    let engine = Engine::open(config)?;
    match command {
        PhotosCommand::Import { paths } => {
            let spec = match paths.as_slice() {
                [folder] if folder.is_dir() => JobSpec::ImportPhotos {
                    folder: folder.clone(),
                },
                _ => JobSpec::ImportPhotoFiles { files: paths },
            };
            let id = engine.create_job(&spec)?;
            return run_job(&engine, id, as_json).await;
        }
        PhotosCommand::List => list(&engine, as_json)?,
        PhotosCommand::Tag { photos, model } => {
            let id = engine.create_job(&JobSpec::TagPhotos { photos, model })?;
            return run_job(&engine, id, as_json).await;
        }
        PhotosCommand::Caption { to, photos, model } => {
            let id = engine.create_job(&JobSpec::CaptionPhotos {
                photos,
                locales: to,
                model,
            })?;
            return run_job(&engine, id, as_json).await;
        }
        PhotosCommand::Check { marketplace } => {
            return check(&engine, marketplace.as_deref(), as_json);
        }
        PhotosCommand::Correct {
            photos,
            group,
            label,
            accept,
            remove,
            add: _,
        } => {
            let action = match (accept, remove) {
                (true, _) => TagAction::Accept,
                (_, true) => TagAction::Remove,
                _ => TagAction::Add,
            };
            let changed = engine.correct_photo_tags(&photos, &group, &label, action)?;
            println!("{changed} photos changed.");
        }
        PhotosCommand::Export {
            out,
            xmp,
            sidecar_names,
            shopify,
            locale,
        } => {
            if let Some(names) = sidecar_names {
                engine.set_sidecar_naming(match names {
                    SidecarNames::Replace => SidecarNaming::ReplaceExtension,
                    SidecarNames::Append => SidecarNaming::AppendExtension,
                })?;
            }
            export(&engine, out, xmp, shopify, &locale, as_json)?
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list(engine: &Engine, as_json: bool) -> Result<(), Error> {
    let photos = engine.photos()?;
    if as_json {
        json(&photos);
        return Ok(());
    }
    if photos.is_empty() {
        println!("No photos yet: `tradewind photos import FOLDER`.");
    }
    for photo in &photos {
        let colours: Vec<&str> = photo
            .colours
            .iter()
            .map(|colour| colour.name.as_str())
            .collect();
        println!(
            "{:>4}  {:<36} {:>5}×{:<5} {}  [{}]",
            photo.id,
            photo.file_name,
            photo.width,
            photo.height,
            tag_words(photo),
            colours.join(", ")
        );
    }
    Ok(())
}

/// Exits 1 when a photo fails a required rule.
fn check(engine: &Engine, marketplace: Option<&str>, as_json: bool) -> Result<ExitCode, Error> {
    let marketplaces = engine.photo_marketplaces()?;
    if let Some(name) = marketplace
        && !marketplaces.iter().any(|known| known == name)
    {
        return Err(Error::InvalidSetting {
            setting: "marketplace",
            value: name.to_string(),
            allowed: marketplaces.join(", "),
        });
    }
    let details = tradewind::photos::details(engine.store(), &[])?;
    let mut failed = false;
    let mut rows = Vec::new();
    for photo in &details {
        for (name, results) in &photo.checks {
            if marketplace.is_some_and(|wanted| wanted != name) {
                continue;
            }
            for result in results {
                failed |= result.status == Status::Fail;
                rows.push((photo.file_name.clone(), result.clone()));
            }
        }
    }
    if as_json {
        json(&rows);
    } else {
        for (file, result) in rows
            .iter()
            .filter(|(_, result)| result.status != Status::Pass)
        {
            println!("{file}: {}", result.sentence);
        }
        let problems = rows
            .iter()
            .filter(|(_, result)| result.status != Status::Pass)
            .count();
        println!(
            "{} photos checked; {problems} warnings or failures.",
            details.len()
        );
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn export(
    engine: &Engine,
    out: Option<PathBuf>,
    xmp: bool,
    shopify: Option<PathBuf>,
    locale: &str,
    as_json: bool,
) -> Result<(), Error> {
    if xmp {
        let written = engine.write_photo_sidecars(&[], out.as_deref())?;
        if as_json {
            json(&written);
        } else {
            println!("Wrote {} XMP sidecars.", written.written);
            for skipped in &written.skipped {
                println!("Skipped {}: {}", skipped.file, skipped.reason);
            }
        }
        return Ok(());
    }
    let out = out.ok_or(Error::InvalidSetting {
        setting: "out",
        value: String::new(),
        allowed: "a file to write (--out FILE)".into(),
    })?;
    if let Some(products) = shopify {
        tradewind::files::require_file(&products)?;
        let filled = engine.fill_shopify_from_photos(&products, &out, locale)?;
        if as_json {
            json(&filled);
        } else {
            println!(
                "Wrote {}: {} alt texts, tags of {} products, {} categories filled in from the photos.",
                out.display(),
                filled.alt_texts,
                filled.tags,
                filled.categories
            );
        }
        return Ok(());
    }
    let rows = engine.export_photos_table(&out)?;
    println!("Wrote {rows} photos to {}.", out.display());
    Ok(())
}
