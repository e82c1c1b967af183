//! A reply to a buyer's message, drafted: the message's language found, the message
//! translated into the seller's, the order and listings it is about found, a reply
//! written from those facts and the shop's policies in the seller's language, and that
//! reply translated into the buyer's. Order numbers, prices, SKUs and URLs are masked
//! before any model sees them and filled back in after, so they come out byte for byte.

use std::ops::ControlFlow;

use serde::Serialize;

use super::AssistantError;
pub use super::context::shared_words;
use super::context::{self, LikenessFn, ListingFacts, OrderFacts};
use super::policies::ShopPolicies;
use super::prompts;
use crate::listings::translate::language;
use crate::listings::translate::protect::{Kind, Masked, Protector};
use crate::ml::generate::{Finish, Generation};
use crate::store::Store;

/// Listings a reply may speak of.
const LISTINGS: usize = 2;

/// What the pipeline needs from the models, as the engine provides them.
/// `texts` from one language into another; None when no installed model translates
/// between them.
pub type TranslateFn<'a> =
    dyn Fn(&[String], &str, &str) -> Result<Option<Vec<String>>, AssistantError> + 'a;
/// The writing model: a system and a user prompt in, text out piece by piece to the
/// callback, which stops the writer by breaking.
pub type WriteFn<'a> = dyn Fn(&str, &str, &mut dyn FnMut(&str) -> ControlFlow<()>) -> Result<Generation, AssistantError>
    + 'a;

pub struct ReplyTools<'a> {
    pub translate: &'a TranslateFn<'a>,
    /// How alike the message is to each title.
    pub likeness: &'a LikenessFn<'a>,
    pub write: &'a WriteFn<'a>,
}

/// Something the seller should look at before sending, as data: the app words it in
/// the seller's language, the CLI in English (`Display`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToCheck {
    /// A translation into `language` lost `span`; it was put back at the end of its sentence.
    Lost { span: String, language: String },
    /// The writer made up a placeholder that stands for nothing; it was taken out.
    Invented { code: String },
    /// No installed model translates `from` into `to`.
    NoTranslator { from: String, to: String },
}

impl std::fmt::Display for ToCheck {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = prompts::language_name;
        match self {
            ToCheck::Lost { span, language } => write!(
                formatter,
                "\"{span}\": the translation into {} lost it; it was put back at the end of its sentence",
                name(language)
            ),
            ToCheck::Invented { code } => write!(
                formatter,
                "the writer made up the code {code}, which stands for nothing; it was taken out"
            ),
            ToCheck::NoTranslator { from, to } => write!(
                formatter,
                "no installed model translates {} into {}",
                name(from),
                name(to)
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReplyDraft {
    /// The language the buyer wrote in (ISO 639-1), as found in the message.
    pub buyer_language: String,
    pub seller_language: String,
    /// The buyer's message in the seller's language (the message itself when they share
    /// one, or when no installed model translates it).
    pub message: String,
    pub message_translated: bool,
    pub order: Option<OrderFacts>,
    pub listings: Vec<ListingFacts>,
    /// The draft in the seller's language.
    pub reply: String,
    /// The draft in the buyer's language, when that is another and a model translates it.
    pub reply_for_buyer: Option<String>,
    /// What the seller should look at before sending: codes a model dropped (put back at
    /// the end of their sentence) or made up (taken out), a language no model translates.
    pub to_check: Vec<ToCheck>,
    pub finish: Finish,
    pub prompt_version: String,
}

/// The buyer's language: the one the message is in, when the statistics can tell.
fn buyer_language(message: &str, seller: &str) -> String {
    language::detect(message)
        .filter(|found| found.reliable || found.confidence >= 0.5)
        .map_or_else(|| seller.to_string(), |found| found.language)
}

/// `text` translated from `from` into `to` with its protected spans kept; None when no
/// installed model translates between them.
fn translate_kept(
    protector: &Protector,
    text: &str,
    (from, to): (&str, &str),
    tools: &ReplyTools,
    to_check: &mut Vec<ToCheck>,
) -> Result<Option<String>, AssistantError> {
    let masked = protector.mask(text);
    let Some(translated) = (tools.translate)(std::slice::from_ref(&masked.text), from, to)? else {
        return Ok(None);
    };
    let restored = masked.restore(translated.first().map_or("", String::as_str));
    to_check.extend(restored.missing.iter().map(|span| ToCheck::Lost {
        span: span.original.clone(),
        language: to.to_string(),
    }));
    Ok(Some(restored.text))
}

/// The order numbers a message names: the protector's order spans, and the all-digit
/// codes (Etsy's receipt numbers).
fn order_numbers(masked: &Masked) -> Vec<String> {
    masked
        .spans
        .iter()
        .filter(|span| {
            span.kind == Kind::Order
                || (span.kind == Kind::Code && span.original.chars().all(|c| c.is_ascii_digit()))
        })
        .map(|span| span.original.clone())
        .collect()
}

/// Hands on the writer's pieces with their placeholders filled in, holding back a
/// placeholder still being written ("ZX", "ZX1" of "ZX12").
struct FilledStream<'m> {
    masked: &'m Masked,
    written: String,
    handed: usize,
}

impl FilledStream<'_> {
    fn safe_end(&self) -> usize {
        let text = &self.written;
        let digits = text.len() - text.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let before = &text[..text.len() - digits];
        if before.ends_with("ZX") {
            before.len() - 2
        } else if digits == 0 && before.ends_with('Z') {
            before.len() - 1
        } else {
            text.len()
        }
    }

    fn push(&mut self, piece: &str) -> String {
        self.written.push_str(piece);
        let (filled, _) = self.masked.fill_in(&self.written[..self.safe_end()]);
        self.hand_on(filled)
    }

    fn finish(&mut self) -> String {
        let (filled, _) = self.masked.fill_in(&self.written);
        self.hand_on(filled)
    }

    fn hand_on(&mut self, filled: String) -> String {
        let piece = filled.get(self.handed..).unwrap_or_default().to_string();
        self.handed = self.handed.max(filled.len());
        piece
    }
}

/// Drafts the reply to `message` (about order `named_order`, when the file it came from
/// says, else the order it names) for a seller writing in `seller_language`, streaming
/// the draft (in the seller's language) through `on_text` as it is written; `on_text`
/// breaking stops the writer.
pub fn draft_reply(
    store: &Store,
    message: &str,
    named_order: Option<&str>,
    seller_language: &str,
    policies: &ShopPolicies,
    tools: &ReplyTools,
    on_text: &mut dyn FnMut(&str) -> ControlFlow<()>,
) -> Result<ReplyDraft, AssistantError> {
    let message = message.trim();
    if message.is_empty() {
        return Err(AssistantError::EmptyMessage);
    }
    let buyer = buyer_language(message, seller_language);
    let protector = Protector::for_messages(&[]);
    let mut to_check = Vec::new();
    let in_seller = if buyer == seller_language {
        None
    } else {
        let found = translate_kept(
            &protector,
            message,
            (&buyer, seller_language),
            tools,
            &mut to_check,
        )?;
        if found.is_none() {
            to_check.push(ToCheck::NoTranslator {
                from: buyer.clone(),
                to: seller_language.to_string(),
            });
        }
        found
    };
    let message_translated = in_seller.is_some();
    let understood = in_seller.unwrap_or_else(|| message.to_string());

    let numbers: Vec<String> = named_order
        .map(str::trim)
        .filter(|number| !number.is_empty())
        .map(str::to_string)
        .into_iter()
        .chain(order_numbers(&protector.mask(message)))
        .collect();
    let order = context::find_order(store, &numbers)?;
    let listings = context::find_listings(store, &understood, LISTINGS, tools.likeness)?;
    let mut facts = policies.facts();
    facts.extend(order.iter().flat_map(OrderFacts::facts));
    facts.extend(listings.iter().flat_map(ListingFacts::facts));

    let prompt = protector.mask_for_writing(&prompts::reply_user(&facts, &understood));
    let mut stream = FilledStream {
        masked: &prompt,
        written: String::new(),
        handed: 0,
    };
    let generation = (tools.write)(
        &prompts::reply_system(seller_language),
        &prompt.text,
        &mut |piece| {
            let filled = stream.push(piece);
            if filled.is_empty() {
                ControlFlow::Continue(())
            } else {
                on_text(&filled)
            }
        },
    )?;
    let rest = stream.finish();
    if !rest.is_empty() && generation.finish != Finish::Stopped {
        let _ = on_text(&rest);
    }
    let (reply, invented) = prompt.fill_in(generation.text.trim());
    to_check.extend(invented.into_iter().map(|code| ToCheck::Invented { code }));
    let reply_for_buyer = if buyer == seller_language {
        None
    } else {
        let translated = translate_kept(
            &protector,
            &reply,
            (seller_language, &buyer),
            tools,
            &mut to_check,
        )?;
        if translated.is_none() {
            to_check.push(ToCheck::NoTranslator {
                from: seller_language.to_string(),
                to: buyer.clone(),
            });
        }
        translated
    };
    Ok(ReplyDraft {
        buyer_language: buyer,
        seller_language: seller_language.to_string(),
        message: understood,
        message_translated,
        order,
        listings,
        reply,
        reply_for_buyer,
        to_check,
        finish: generation.finish,
        prompt_version: prompts::REPLY_VERSION.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DATABASE_FILE, StoreOptions};

    fn store_with_an_order(dir: &std::path::Path) -> Store {
        let store = Store::open(&dir.join(DATABASE_FILE), StoreOptions::default()).unwrap();
        store
            .connect()
            .unwrap()
            .execute_batch(
                "INSERT INTO order_sources (id, path) VALUES (1, 'shop.csv');
                 INSERT INTO orders (id, source_id, channel, name, email, buyer_id, buyer_name,
                     postal_code, financial_status, created_at, currency, subtotal_minor,
                     shipping_minor, taxes_minor, total_minor, discount_code, discount_minor,
                     refunded_minor, items_minor, shipping_country, customer_key)
                 VALUES (7, 1, 'shopify', '#1042', 'ana@example.com', '', '', '', 'paid',
                     '2025-03-02T10:00:00Z', 'EUR', 4400, 400, 0, 4800, '', 0, 0, 4400, 'DE',
                     'email:ana@example.com');
                 INSERT INTO order_lines (order_id, line_no, line_key, quantity, name, sku,
                     price_minor, total_minor)
                 VALUES (7, 1, '1', 1, 'Sakura Tote', 'TOTE-1', 4400, 4400);",
            )
            .unwrap();
        store
    }

    /// A writer that answers with the facts' order line, placeholders and all, in pieces
    /// that split a placeholder ("Z", "X0"); and a translator that marks its output.
    fn draft(
        store: &Store,
        message: &str,
        named_order: Option<&str>,
        stop_after: Option<usize>,
    ) -> (ReplyDraft, String) {
        let translate = |texts: &[String], from: &str, to: &str| {
            Ok(Some(
                texts
                    .iter()
                    .map(|text| format!("[{from}>{to}] {text}"))
                    .collect(),
            ))
        };
        let likeness = |message: &str, titles: &[String]| Ok(shared_words(message, titles));
        let write = |_: &str, user: &str, on_text: &mut dyn FnMut(&str) -> ControlFlow<()>| {
            let line = user
                .lines()
                .find(|line| line.starts_with("- Order"))
                .unwrap_or("- nothing")
                .trim_start_matches("- ");
            let text = format!("Thank you. {line}.");
            let mut finish = Finish::EndOfTurn;
            let mut sent = String::new();
            for piece in text.split_inclusive(['Z', ' ']) {
                sent.push_str(piece);
                if on_text(piece).is_break() {
                    finish = Finish::Stopped;
                    break;
                }
            }
            Ok(Generation {
                tokens: sent.len(),
                text: sent,
                finish,
            })
        };
        let tools = ReplyTools {
            translate: &translate,
            likeness: &likeness,
            write: &write,
        };
        let mut streamed = String::new();
        let mut pieces = 0;
        let draft = draft_reply(
            store,
            message,
            named_order,
            "en",
            &ShopPolicies::default(),
            &tools,
            &mut |piece| {
                streamed.push_str(piece);
                pieces += 1;
                if Some(pieces) == stop_after {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            },
        )
        .unwrap();
        (draft, streamed)
    }

    #[test]
    fn a_foreign_message_is_translated_in_answered_from_its_order_and_translated_out_codes_intact()
    {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_an_order(dir.path());
        let message =
            "Guten Tag, wann wird meine Bestellung #1042 verschickt? Sie hat 48.00 EUR gekostet.";
        let (draft, streamed) = draft(&store, message, None, None);
        assert_eq!(draft.buyer_language, "de");
        assert!(draft.message_translated);
        assert!(
            draft.message.starts_with("[de>en] Guten Tag"),
            "{}",
            draft.message
        );
        assert!(draft.message.contains("#1042") && draft.message.contains("48.00 EUR"));
        let order = draft.order.as_ref().unwrap();
        assert_eq!(
            (order.number.as_str(), order.total.as_str()),
            ("#1042", "48.00 EUR")
        );
        assert_eq!(order.lines, ["1 × Sakura Tote (TOTE-1)"]);
        assert_eq!(
            draft.reply,
            "Thank you. Order #1042 on shopify: placed 2025-03-02, payment paid, total 48.00 EUR, shipping to DE."
        );
        assert_eq!(streamed, draft.reply, "streamed with the codes filled in");
        let for_buyer = draft.reply_for_buyer.as_deref().unwrap();
        assert!(
            for_buyer.starts_with("[en>de] Thank you. Order #1042"),
            "{for_buyer}"
        );
        assert!(for_buyer.contains("48.00 EUR"));
        assert!(draft.to_check.is_empty(), "{:?}", draft.to_check);
        assert_eq!(draft.prompt_version, prompts::REPLY_VERSION);
    }

    #[test]
    fn a_message_in_the_sellers_language_stays_as_it_is_and_stopping_ends_the_draft() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_an_order(dir.path());
        let message = "Hello, when will my order #1042 be shipped to me? Thank you very much.";
        let (draft, streamed) = draft(&store, message, None, Some(2));
        assert_eq!(draft.buyer_language, "en");
        assert!(!draft.message_translated && draft.reply_for_buyer.is_none());
        assert_eq!(draft.message, message);
        assert_eq!(draft.finish, Finish::Stopped);
        assert_eq!(streamed, "Thank you. ");
    }

    #[test]
    fn the_order_an_imported_message_is_about_is_found_though_the_text_names_none() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_an_order(dir.path());
        let message = "Hello, has my tote been shipped yet? Thank you very much.";
        let (unnamed, _) = draft(&store, message, None, None);
        assert_eq!(unnamed.order, None);
        let (named, _) = draft(&store, message, Some(" 1042 "), None);
        assert_eq!(
            named.order.map(|order| order.number).as_deref(),
            Some("#1042")
        );
    }

    #[test]
    fn an_empty_message_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with_an_order(dir.path());
        let none = |_: &[String], _: &str, _: &str| Ok(None);
        let likeness = |_: &str, titles: &[String]| Ok(vec![0.0; titles.len()]);
        let write = |_: &str, _: &str, _: &mut dyn FnMut(&str) -> ControlFlow<()>| {
            Err(AssistantError::NoWriter)
        };
        let tools = ReplyTools {
            translate: &none,
            likeness: &likeness,
            write: &write,
        };
        let error = draft_reply(
            &store,
            "  ",
            None,
            "en",
            &ShopPolicies::default(),
            &tools,
            &mut |_| ControlFlow::Continue(()),
        )
        .unwrap_err();
        assert!(matches!(error, AssistantError::EmptyMessage));
    }
}
