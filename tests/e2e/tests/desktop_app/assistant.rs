//! The Assistant view, driven as a seller would: a buyer's German message pasted, the
//! reply drafted with the fixture writer and translators (its text streaming in), found
//! to be about the demo's order #1042, edited and copied; the shop policies saved.

use super::Session;

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
