//! `tradewind reply`: a draft reply to a buyer's message (given, or imported with
//! `tradewind messages import`), streamed as it is written, in the seller's language and
//! the buyer's; `tradewind policies`: the shop policies the
//! drafts rely on; `tradewind shorten`: a listing field cut to a marketplace's limit.

use std::io::Write;
use std::ops::ControlFlow;
use std::process::ExitCode;

use std::path::PathBuf;

use clap::{Args, Subcommand};
use tradewind::assistant::copy::CopySource;
use tradewind::assistant::{CopyDraft, CopyKind, ShopPolicies, prompts};
use tradewind::{Engine, EngineConfig, Error};

use super::print::json;

#[derive(Debug, Args)]
pub struct ReplyArgs {
    /// The writing model (the one chosen with `tradewind models write` when not said).
    #[arg(long, value_name = "MODEL")]
    generator: Option<String>,
    /// The order the message is about, when its text does not name it.
    #[arg(long, value_name = "NUMBER")]
    order: Option<String>,
    /// Answer this imported message (`tradewind messages` lists them).
    #[arg(long, value_name = "ID", conflicts_with = "message")]
    to: Option<i64>,
    /// The buyer's message.
    #[arg(required_unless_present = "to", num_args = 1..)]
    message: Vec<String>,
}

/// Buyers' messages imported from a file, to answer with `tradewind reply --to ID`.
#[derive(Debug, Subcommand)]
pub enum MessagesCommand {
    /// Every imported message, the newest first (the default).
    List,
    /// Import a messages file (CSV, XLSX or JSON) with a column for the text (message,
    /// text or body) and, where it has them, the buyer, the order number and the date.
    Import { file: PathBuf },
}

#[derive(Debug, Args)]
pub struct ShortenArgs {
    /// The marketplace whose limit the field must fit (amazon, ebay, etsy, shopify).
    #[arg(long)]
    marketplace: String,
    /// The field: title, seo_title, seo_description, ...
    #[arg(long, default_value = "title")]
    field: String,
    /// The field's language (ISO 639-1).
    #[arg(long, default_value = "en")]
    language: String,
    /// A brand or product-line name to keep as it is (again for more).
    #[arg(long, value_name = "TERM")]
    keep: Vec<String>,
    /// The writing model (the one chosen with `tradewind models write` when not said).
    #[arg(long, value_name = "MODEL")]
    generator: Option<String>,
    #[arg(required = true, num_args = 1..)]
    text: Vec<String>,
}

/// The search copy `tradewind copy` drafts.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CopyKindArg {
    SeoTitle,
    SeoDescription,
    Tags,
}

impl From<CopyKindArg> for CopyKind {
    fn from(kind: CopyKindArg) -> CopyKind {
        match kind {
            CopyKindArg::SeoTitle => CopyKind::SeoTitle,
            CopyKindArg::SeoDescription => CopyKind::SeoDescription,
            CopyKindArg::Tags => CopyKind::Tags,
        }
    }
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// What to draft.
    #[arg(long, value_enum)]
    kind: CopyKindArg,
    /// The listing's description (HTML or text).
    #[arg(long, default_value = "")]
    description: String,
    /// The language to write in (ISO 639-1), the listing's.
    #[arg(long, default_value = "en")]
    language: String,
    /// The marketplace whose limits apply (Shopify's for SEO fields, Etsy's for tags
    /// where it sets none).
    #[arg(long, default_value = "shopify")]
    marketplace: String,
    /// A brand or product-line name to keep as it is (again for more).
    #[arg(long, value_name = "TERM")]
    keep: Vec<String>,
    /// The writing model (the one chosen with `tradewind models write` when not said).
    #[arg(long, value_name = "MODEL")]
    generator: Option<String>,
    /// The listing's title.
    #[arg(required = true, num_args = 1..)]
    title: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PoliciesArgs {
    #[arg(long)]
    shop_name: Option<String>,
    /// How long orders take to leave and arrive.
    #[arg(long)]
    shipping: Option<String>,
    /// Returns and refunds.
    #[arg(long)]
    returns: Option<String>,
    /// Anything else a reply may rely on.
    #[arg(long)]
    other: Option<String>,
}

pub fn reply(args: ReplyArgs, config: EngineConfig, as_json: bool) -> Result<ExitCode, Error> {
    let engine = Engine::open(config)?;
    let (message, order) = match args.to {
        Some(id) => {
            let imported = engine.buyer_message(id)?;
            let order = args.order.unwrap_or(imported.order);
            (imported.text, order)
        }
        None => (args.message.join(" "), args.order.unwrap_or_default()),
    };
    let order = Some(order.as_str()).filter(|order| !order.is_empty());
    let mut stdout = std::io::stdout();
    let writer = args.generator.as_deref();
    let draft = engine.draft_reply(&message, order, writer, &mut |piece| {
        if !as_json {
            let _ = write!(stdout, "{piece}");
            let _ = stdout.flush();
        }
        ControlFlow::Continue(())
    })?;
    if as_json {
        json(&draft);
        return Ok(ExitCode::SUCCESS);
    }
    println!();
    println!();
    if draft.buyer_language != draft.seller_language {
        println!(
            "The buyer wrote in {}{}",
            prompts::language_name(&draft.buyer_language),
            if draft.message_translated {
                format!("; in your language: {}", draft.message)
            } else {
                String::new()
            }
        );
    }
    if let Some(order) = &draft.order {
        println!(
            "About order {} ({}, placed {}, {})",
            order.number, order.channel, order.placed, order.total
        );
    }
    for listing in &draft.listings {
        println!("About \"{}\"", listing.title);
    }
    if let Some(for_buyer) = &draft.reply_for_buyer {
        println!(
            "For the buyer ({}):\n{for_buyer}",
            prompts::language_name(&draft.buyer_language)
        );
    }
    for check in &draft.to_check {
        println!("Check: {check}");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn messages(
    command: Option<MessagesCommand>,
    config: EngineConfig,
    as_json: bool,
) -> Result<ExitCode, Error> {
    let engine = Engine::open(config)?;
    if let Some(MessagesCommand::Import { file }) = command {
        let imported = engine.import_messages(&file)?;
        if as_json {
            json(&imported);
        } else {
            println!(
                "{}: {} new messages, {} imported before; rows without a text left out: {}.",
                imported.file, imported.added, imported.known, imported.skipped
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let messages = engine.buyer_messages()?;
    if as_json {
        json(&messages);
        return Ok(ExitCode::SUCCESS);
    }
    if messages.is_empty() {
        println!("No message imported yet: `tradewind messages import FILE`.");
    }
    for message in &messages {
        let sent = message
            .sent_at
            .as_deref()
            .and_then(|sent| sent.get(..10))
            .unwrap_or("");
        let order = if message.order.is_empty() {
            String::new()
        } else {
            format!(" (order {})", message.order)
        };
        println!(
            "{:>5}  {sent:<10}  {}{order}: {}",
            message.id,
            message.buyer,
            message.text.replace('\n', " ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub fn policies(
    args: PoliciesArgs,
    config: EngineConfig,
    as_json: bool,
) -> Result<ExitCode, Error> {
    let engine = Engine::open(config)?;
    let mut policies: ShopPolicies = engine.shop_policies()?;
    let given = [
        (&mut policies.shop_name, args.shop_name),
        (&mut policies.shipping, args.shipping),
        (&mut policies.returns, args.returns),
        (&mut policies.other, args.other),
    ];
    let mut changed = false;
    for (field, value) in given {
        if let Some(value) = value {
            *field = value;
            changed = true;
        }
    }
    if changed {
        engine.set_shop_policies(&policies)?;
    }
    if as_json {
        json(&policies);
    } else if policies.facts().is_empty() {
        println!(
            "No shop policies yet: write them with --shipping, --returns, --shop-name, --other."
        );
    } else {
        for fact in policies.facts() {
            println!("{fact}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn shorten(args: ShortenArgs, config: EngineConfig, as_json: bool) -> Result<ExitCode, Error> {
    let engine = Engine::open(config)?;
    let shortened = engine.shorten_field(
        &args.text.join(" "),
        &args.field,
        &args.marketplace,
        &args.language,
        &args.keep,
        args.generator.as_deref(),
    )?;
    Ok(print_draft(&shortened, false, as_json))
}

pub fn copy(args: CopyArgs, config: EngineConfig, as_json: bool) -> Result<ExitCode, Error> {
    let engine = Engine::open(config)?;
    let title = args.title.join(" ");
    let source = CopySource {
        title: &title,
        description_html: &args.description,
        language: &args.language,
    };
    let kind: CopyKind = args.kind.into();
    let drafted = engine.draft_listing_copy(
        kind,
        source,
        &args.marketplace,
        &args.keep,
        args.generator.as_deref(),
    )?;
    Ok(print_draft(&drafted, kind == CopyKind::Tags, as_json))
}

/// The draft, its length (for tags, how many) and what to check; a draft that cannot be
/// used as it is says so in the exit status too (2), for scripts.
fn print_draft(draft: &CopyDraft, tags: bool, as_json: bool) -> ExitCode {
    if as_json {
        json(draft);
    } else if tags {
        let count = draft.text.split(", ").filter(|tag| !tag.is_empty()).count();
        println!("{}", draft.text);
        println!(
            "tags: {count}, each at most {} characters{}",
            draft.limit,
            if draft.fits {
                ""
            } else {
                ": too few, or not about the listing; ask again or write your own"
            }
        );
    } else {
        println!("{}", draft.text);
        println!(
            "{} of {} characters{}",
            draft.chars,
            draft.limit,
            if draft.fits { "" } else { ": still too long" }
        );
        for lost in &draft.lost {
            println!("Check: \"{lost}\" was lost; put it back before using this");
        }
    }
    if draft.is_usable() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}
