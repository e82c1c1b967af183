//! `tradewind reply`: a draft reply to a buyer's message, streamed as it is written, in
//! the seller's language and the buyer's; `tradewind policies`: the shop policies the
//! drafts rely on; `tradewind shorten`: a listing field cut to a marketplace's limit.

use std::io::Write;
use std::ops::ControlFlow;
use std::process::ExitCode;

use clap::Args;
use tradewind::assistant::{ShopPolicies, prompts};
use tradewind::{Engine, EngineConfig, Error};

use super::print::json;

#[derive(Debug, Args)]
pub struct ReplyArgs {
    /// The writing model (the first one on this computer when not said).
    #[arg(long, value_name = "MODEL")]
    generator: Option<String>,
    /// The buyer's message.
    #[arg(required = true, num_args = 1..)]
    message: Vec<String>,
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
    /// The writing model (the first one on this computer when not said).
    #[arg(long, value_name = "MODEL")]
    generator: Option<String>,
    #[arg(required = true, num_args = 1..)]
    text: Vec<String>,
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
    let message = args.message.join(" ");
    let mut stdout = std::io::stdout();
    let draft = engine.draft_reply(&message, args.generator.as_deref(), &mut |piece| {
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
    if as_json {
        json(&shortened);
    } else {
        println!("{}", shortened.text);
        println!(
            "{} of {} characters{}",
            shortened.chars,
            shortened.limit,
            if shortened.fits {
                ""
            } else {
                ": still too long"
            }
        );
        for lost in &shortened.lost {
            println!("Check: \"{lost}\" was lost; put it back before using this");
        }
    }
    // A draft that cannot be used as it is says so in the exit status too, for scripts.
    Ok(if shortened.is_usable() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
