//! The Assistant view, driven as a seller would: a buyer's German message pasted, the
//! reply drafted with the fixture writer and translators (its text streaming in), found
//! to be about the demo's order #1042, edited and copied; a message imported from a
//! file answered about the order the file names; the shop policies saved.

use std::path::Path;

use tradewind::Engine;

use super::Session;

/// Imports a buyers' messages file as the Inbox's button would (WebDriver cannot reach
/// the system's file dialog): one message about order 1042 that does not name it.
pub fn import_messages(engine: &Engine, data: &Path) {
    let file = data.join("inbox.csv");
    std::fs::write(
        &file,
        "Buyer,Order Number,Message,Date\n\
         ana_k,1042,Ist meine Tasche schon unterwegs?,2025-03-04 09:00\n",
    )
    .unwrap();
    let imported = engine.import_messages(&file).unwrap();
    assert_eq!(imported.added, 1);
}

/// Answers the imported message from the Inbox: the order comes from the file.
pub async fn answer_an_imported_message(session: &Session) {
    session.open_view("assistant").await;
    session.click_first("[data-testid^=\"answer-\"]").await;
    session
        .wait_text("answering", |text| text.contains("ana_k"))
        .await;
    let message = session.element("buyer-message").await;
    assert_eq!(
        message.prop("value").await.unwrap().as_deref(),
        Some("Ist meine Tasche schon unterwegs?")
    );
    session.click("draft-reply").await;
    session
        .wait_text("reply-order", |text| text.contains("#1042"))
        .await;
    session.scroll_to("inbox").await;
    session.screenshot("assistant-inbox-en").await;
}

const MESSAGE: &str =
    "Guten Tag, wann wird meine Bestellung #1042 verschickt? Passt die Tasche für einen Laptop?";

/// Drafts a reply and checks what it found; `language` names the screenshot.
pub async fn reply_to_a_buyer(session: &Session, language: &str) {
    session.open_view("assistant").await;
    let message = session.element("buyer-message").await;
    message.clear().await.unwrap();
    message.send_keys(MESSAGE).await.unwrap();
    session.click("draft-reply").await;
    let order = session
        .wait_text("reply-order", |text| text.contains("#1042"))
        .await;
    assert!(order.contains("shopify"), "{order}");
    let reply = session.element("reply-text").await;
    let drafted = reply.prop("value").await.unwrap().unwrap_or_default();
    assert!(
        !drafted.trim().is_empty(),
        "the fixture writer wrote something"
    );
    reply.clear().await.unwrap();
    reply
        .send_keys("Your order #1042 leaves within 2 working days.")
        .await
        .unwrap();
    session.click("copy-reply").await;
    session
        .wait_text("copy-reply", |text| !text.is_empty())
        .await;
    session.screenshot(&format!("assistant-{language}")).await;
}

/// Writes the shipping policy and saves it.
pub async fn save_policies(session: &Session) {
    session.open_view("assistant").await;
    session
        .click_first("[data-testid=\"policies\"] summary")
        .await;
    session
        .type_into("policy-shipping", "Orders leave within 2 working days.")
        .await;
    session.click("policies-save").await;
    session
        .wait_text("policies", |text| text.contains("Saved."))
        .await;
}
