//! The Analytics view's report export, driven as a seller would: the panel opened, the
//! report of the current filter written as a PDF and as a web page, the PDF's first page
//! rendered to PNG beside the screenshots so that a person can look at it.

use std::path::Path;
use std::process::Command;

use super::Session;

/// Writes the report in `format` to `out` through the panel and waits for its note.
async fn write(session: &Session, format: &str, out: &Path, done: &str) {
    session
        .element("report-format")
        .await
        .select_by_value(format)
        .await
        .unwrap();
    let field = session.element("report-out").await;
    field.clear().await.unwrap();
    field.send_keys(&out.to_string_lossy()).await.unwrap();
    session.click("report-write").await;
    let said = session
        .wait_text("report-done", |text| {
            text.contains(&out.to_string_lossy().to_string())
        })
        .await;
    assert!(said.contains(done), "{said}");
    assert!(out.is_file(), "{} was not written", out.display());
}

/// The report panel in the view's language (`suffix` names the screenshots): a PDF
/// and an HTML report of the whole shop, anonymised.
pub async fn export_reports(session: &Session, folder: &Path, suffix: &str, done: &str) {
    session.click("report-open").await;
    let panel = session
        .wait_text("report-export", |text| !text.is_empty())
        .await;
    assert!(!panel.is_empty());
    let pdf = folder.join(format!("report-{suffix}.pdf"));
    write(session, "pdf", &pdf, done).await;
    let html = folder.join(format!("report-{suffix}.html"));
    write(session, "html", &html, done).await;
    session.scroll_to("report-export").await;
    session
        .screenshot(&format!("analytics-report-{suffix}"))
        .await;
    session.click("report-open").await;

    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("Content-Security-Policy") && !page.contains("https:"));
    // The PDF's first page as a PNG among the screenshots.
    let first_page = session.shots.join(format!("report-{suffix}-page-1"));
    let rendered = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&first_page)
        .output()
        .expect("pdftoppm (poppler-utils) renders the PDF");
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
}
