//! The Assistant view: a reply to a buyer drafted with its text streaming over a
//! Channel, stopped on request; the shop policies; a listing field shortened.

use std::ops::ControlFlow;
use std::sync::atomic::Ordering;

use tauri::State;
use tauri::ipc::Channel;
use tradewind::assistant::shorten::Shortened;
use tradewind::assistant::{ReplyDraft, ShopPolicies};

use super::blocking;
use crate::{AppState, CommandError};

/// Drafts the reply to `message`, sending the draft's text on `on_text` as it is
/// written; `stop_writing` ends it after the piece being written.
#[tauri::command]
pub async fn draft_reply(
    state: State<'_, AppState>,
    message: String,
    generator: Option<String>,
    on_text: Channel<String>,
) -> Result<ReplyDraft, CommandError> {
    let stop = state.writing_stop();
    stop.store(false, Ordering::SeqCst);
    blocking(state, move |engine| {
        engine.draft_reply(&message, generator.as_deref(), &mut |piece| {
            if on_text.send(piece.to_string()).is_err() || stop.load(Ordering::SeqCst) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
    })
    .await
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
) -> Result<Shortened, CommandError> {
    blocking(state, move |engine| {
        engine.shorten_field(&text, &field, &marketplace, &language, &keep, None)
    })
    .await
}
