//! The Assistant view: a reply to a buyer drafted with its text streaming over a
//! Channel, stopped on request; buyers' messages imported from a file; the shop
//! policies; a listing field shortened.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use tauri::State;
use tauri::ipc::Channel;
use tradewind::assistant::copy::CopySource;
use tradewind::assistant::{BuyerMessage, MessagesImported, ReplyDraft, ShopPolicies};
use tradewind::assistant::{CopyDraft, CopyKind};

use super::blocking;
use crate::{AppState, CommandError};

/// Drafts the reply to `message` (about `order`, for an imported message that names
/// one), sending the draft's text on `on_text` as it is written; `stop_writing` ends it
/// after the piece being written.
#[tauri::command]
pub async fn draft_reply(
    state: State<'_, AppState>,
    message: String,
    order: Option<String>,
    generator: Option<String>,
    on_text: Channel<String>,
) -> Result<ReplyDraft, CommandError> {
    let stop = state.writing_stop();
    stop.store(false, Ordering::SeqCst);
    blocking(state, move |engine| {
        let order = order.as_deref().filter(|order| !order.is_empty());
        engine.draft_reply(&message, order, generator.as_deref(), &mut |piece| {
            if on_text.send(piece.to_string()).is_err() || stop.load(Ordering::SeqCst) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
    })
    .await
}

/// Imports a messages file (buyer, order number, text, date); returns what it added.
#[tauri::command]
pub async fn import_messages(
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<MessagesImported, CommandError> {
    blocking(state, move |engine| engine.import_messages(&path)).await
}

#[tauri::command]
pub async fn buyer_messages(state: State<'_, AppState>) -> Result<Vec<BuyerMessage>, CommandError> {
    Ok(state.engine()?.buyer_messages()?)
}

#[tauri::command]
pub async fn stop_writing(state: State<'_, AppState>) -> Result<(), CommandError> {
    state.writing_stop().store(true, Ordering::SeqCst);
    Ok(())
}

#[tauri::command]
pub async fn shop_policies(state: State<'_, AppState>) -> Result<ShopPolicies, CommandError> {
    Ok(state.engine()?.shop_policies()?)
}

#[tauri::command]
pub async fn set_shop_policies(
    state: State<'_, AppState>,
    policies: ShopPolicies,
) -> Result<(), CommandError> {
    Ok(state.engine()?.set_shop_policies(&policies)?)
}

#[tauri::command]
pub async fn shorten_field(
    state: State<'_, AppState>,
    text: String,
    field: String,
    marketplace: String,
    language: String,
    keep: Vec<String>,
) -> Result<CopyDraft, CommandError> {
    blocking(state, move |engine| {
        engine.shorten_field(&text, &field, &marketplace, &language, &keep, None)
    })
    .await
}

/// An SEO title, meta description or tags for a listing's title and description in
/// `language`, by the writing model.
#[tauri::command]
pub async fn draft_listing_copy(
    state: State<'_, AppState>,
    kind: CopyKind,
    title: String,
    description: String,
    language: String,
    marketplace: String,
    keep: Vec<String>,
) -> Result<CopyDraft, CommandError> {
    blocking(state, move |engine| {
        let source = CopySource {
            title: &title,
            description_html: &description,
            language: &language,
        };
        engine.draft_listing_copy(kind, source, &marketplace, &keep, None)
    })
    .await
}
