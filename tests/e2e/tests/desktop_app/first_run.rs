//! The first run as a new seller meets it: an empty data folder, a catalog whose models
//! are not on this computer yet, the three ways in, the models for translating into
//! German and tagging photos with their sizes, and "I have the files" importing them
//! from a folder; then the same page in Chinese.

use std::path::Path;
use std::time::Duration;

use tradewind::ml::fixtures;
use tradewind::ml::store::Presence;
use tradewind::{Engine, EngineConfig, Language};

use super::{Driver, Session, connect};

/// The fixture catalog as a seller's app would have it before getting the models: the
/// same entries, their files not beside it.
fn catalog_without_files(fixtures: &Path, into: &Path) -> std::path::PathBuf {
    let catalog = std::fs::read_to_string(fixtures.join(fixtures::CATALOG_FILE)).unwrap();
    let without: Vec<&str> = catalog
        .lines()
        .filter(|line| !line.trim_start().starts_with("local_dir"))
        .collect();
    let path = into.join("catalog.toml");
    std::fs::write(&path, without.join("\n")).unwrap();
    path
}

pub async fn a_new_seller_gets_the_models_for_their_tasks_from_a_folder(shots: &Path) {
    let data = tempfile::tempdir().unwrap();
    let models = tempfile::tempdir().unwrap();
    fixtures::write_fixtures(models.path(), 7).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let catalog = catalog_without_files(models.path(), elsewhere.path());
    let engine = Engine::open(EngineConfig {
        data_dir: Some(data.path().to_path_buf()),
        catalog: Some(catalog.clone()),
        ..EngineConfig::default()
    })
    .unwrap();
    let present = |id: &str| {
        engine.models().unwrap().into_iter().any(|status| {
            status.model.id == id && matches!(status.presence, Presence::Present { .. })
        })
    };
    assert!(!present(fixtures::MARIAN_EN_DE_ID) && !present(fixtures::CLIP_ID));

    let driver = Driver::start(data.path(), &catalog);
    let session = Session {
        client: connect(&driver, data.path()).await,
        shots: shots.to_path_buf(),
    };
    // The three ways in.
    session.text("welcome").await;
    for way in ["welcome-demo", "welcome-yours", "welcome-models"] {
        session.text(way).await;
    }
    session.screenshot("first-run-en").await;

    // Translate into German and tag photos: the models for them, with their sizes.
    session.click("task-translate-de").await;
    session.click("task-tag_photos").await;
    let rows = session
        .wait_text("model-plan", |text| {
            text.contains("Fixture opus-mt en→de") && text.contains("Fixture CLIP")
        })
        .await;
    assert!(rows.contains("English → German"), "{rows}");
    assert!(rows.contains("To get") && rows.contains("MB"), "{rows}");
    assert_eq!(session.count("planned-model").await, 2);
    session.scroll_to("model-plan").await;
    session.screenshot("first-run-models-en").await;

    // "I have the files": the folder typed (the system's dialog is out of WebDriver's
    // reach), the models imported in one job.
    session.click("plan-have-files").await;
    session
        .type_into("plan-folder-path", &models.path().to_string_lossy())
        .await;
    session.click("plan-import").await;
    session
        .wait_text_within("job-progress", Duration::from_secs(120), |text| {
            text.contains("Imported 2 models")
        })
        .await;
    assert!(present(fixtures::MARIAN_EN_DE_ID) && present(fixtures::CLIP_ID));
    session
        .wait_text("plan-total", |text| {
            text.contains("on this computer already")
        })
        .await;
    session.screenshot("first-run-imported-en").await;

    // A Chinese seller's first run: the page comes again until the seller leaves it.
    engine.set_language(Language::SimplifiedChinese).unwrap();
    session.client.refresh().await.unwrap();
    session
        .wait_text("welcome", |text| text.contains("欢迎使用 Tradewind"))
        .await;
    session.click("task-translate-de").await;
    session.click("task-tag_photos").await;
    session
        .wait_text("plan-total", |text| text.contains("都已在本机"))
        .await;
    session.screenshot("first-run-zh-CN").await;

    // Leaving it means it is not shown again.
    session.click("welcome-skip").await;
    session.text("view-listings").await;
    session.client.refresh().await.unwrap();
    session.text("view-listings").await;
    assert!(!engine.first_run().unwrap().show);
    session.client.close().await.unwrap();
}
