//! `tradewind reviews import|summary`: a reviews export read in, and what the reviews
//! of each product say, the recurring complaints first.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use tradewind::analytics::reviews::{KeyPhrase, ProductReviews, ReviewMapping, ReviewRole, Said};
use tradewind::files::require_file;
use tradewind::{Engine, EngineConfig, Error};

use super::commands::parse_mapping;
use super::print::json;

#[derive(Debug, Subcommand)]
pub enum ReviewsCommand {
    /// Import a reviews export: Judge.me's or Shopify Product Reviews' CSV, Etsy's
    /// reviews JSON, or any table with --map. Importing it again updates the reviews
    /// instead of adding them twice; the installed star model then reads the new texts.
    Import {
        file: PathBuf,
        /// Which column holds what, for a file of your own layout: id, product (the
        /// listing's handle), sku, order, rating, title, body, date, language, reviewer,
        /// state, ignore. E.g. --map "Handle=product,Stars=rating,Text=body".
        #[arg(long, value_delimiter = ',', value_name = "COLUMN=ROLE")]
        map: Vec<String>,
        /// The file's dates write the month first (03/04/25 is 4 March).
        #[arg(long, requires = "map")]
        month_first: bool,
    },
    /// Per product: reviews, stars given and stars the texts read as, languages, and the
    /// complaints and praise that several reviews repeat, with examples, translated into
    /// your language where a model is installed.
    Summary {
        /// Only this product (its handle or a SKU).
        #[arg(long)]
        product: Option<String>,
    },
}

pub fn run(
    command: ReviewsCommand,
    config: EngineConfig,
    as_json: bool,
) -> Result<ExitCode, Error> {
    match command {
        ReviewsCommand::Import {
            file,
            map,
            month_first,
        } => {
            require_file(&file)?;
            let mapping = if map.is_empty() {
                None
            } else {
                Some(ReviewMapping {
                    columns: parse_mapping(&map, &ReviewRole::ALL, ReviewRole::name)?,
                    month_first,
                })
            };
            let engine = Engine::open(config)?;
            let imported = engine.import_reviews(&file, mapping.as_ref())?;
            if as_json {
                json(&imported);
            } else {
                println!(
                    "{}: {} reviews added, {} updated, {} left out (spam or empty)",
                    imported.layout.name(),
                    imported.added,
                    imported.updated,
                    imported.skipped
                );
            }
        }
        ReviewsCommand::Summary { product } => {
            let engine = Engine::open(config)?;
            let summary = engine.reviews_summary(product.as_deref())?;
            if as_json {
                json(&summary);
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "{}, {} stars on average",
                reviews(summary.reviews),
                stars(summary.average_rating)
            );
            match &summary.phrase_model {
                Some(model) => println!("key phrases grouped by {model}"),
                None => println!(
                    "no sentence model installed: install paraphrase-multilingual-minilm-l12-v2 for key phrases"
                ),
            }
            if summary.sentiment_model.is_none() {
                println!("no star model installed: the texts are not read for their stars");
            }
            if !summary.untranslated.is_empty() {
                println!(
                    "no model installed translates {} into {}: those phrases are shown as written",
                    summary.untranslated.join(", "),
                    summary.translated_into
                );
            }
            for product in &summary.products {
                print_product(product);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn reviews(count: usize) -> String {
    match count {
        1 => "1 review".to_string(),
        _ => format!("{count} reviews"),
    }
}

fn print_product(product: &ProductReviews) {
    let name = if product.product.is_empty() {
        "the shop".to_string()
    } else if product.title == product.product {
        product.product.clone()
    } else {
        format!("{} ({})", product.title, product.product)
    };
    let languages: Vec<String> = product
        .languages
        .iter()
        .map(|(language, count)| match language.as_str() {
            "?" => format!("too short to tell {count}"),
            _ => format!("{language} {count}"),
        })
        .collect();
    println!(
        "\n{name}: {}, {} stars given, texts read as {}; stars 1–5: {:?}; {}",
        reviews(product.reviews),
        stars(product.average_rating),
        stars(product.average_text_stars),
        product.stars,
        languages.join(", ")
    );
    if product.hidden_complaints > 0 {
        println!(
            "  {} reviews of 4 or 5 stars read as complaints",
            product.hidden_complaints
        );
    }
    for (side, phrases) in [
        ("complaints", &product.complaints),
        ("praise", &product.praise),
    ] {
        if phrases.is_empty() {
            continue;
        }
        println!("  {side}:");
        for phrase in phrases {
            print_phrase(phrase);
        }
    }
}

fn print_phrase(phrase: &KeyPhrase) {
    println!("    {} reviews: {}", phrase.reviews, said(&phrase.phrase));
    for example in &phrase.examples {
        println!("      · {}", said(example));
    }
}

/// A sentence in the seller's language, with what the review wrote after it.
fn said(said: &Said) -> String {
    match &said.translated {
        Some(translated) => format!("{translated}  [{}]", said.text),
        None => said.text.clone(),
    }
}

fn stars(value: Option<f32>) -> String {
    value.map_or("—".to_string(), |stars| format!("{stars:.1}"))
}
