//! What a seller imports stays text in the app: a product file, a reviews export, a
//! messages file and a photo whose fields carry script tags, event handlers,
//! `javascript:` links, SVG and CSS payloads and references to a server on this machine.
//! Every view that shows them is visited; no payload runs in the app's page (a canary
//! stays unset), the running app's content security policy is the strict one, and the
//! server sees no request at all: nothing the webview shows fetches anything from
//! elsewhere, not even an image of a listing's description.

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use std::collections::BTreeMap;

use tradewind::jobs::JobState;
use tradewind::ml::route::EngineChoice;
use tradewind::{Engine, EngineConfig, JobSpec};

use super::{Driver, Session, connect};

/// A server on this machine that counts every connection made to it.
fn beacon() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            counted.fetch_add(1, Ordering::SeqCst);
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request);
        }
    });
    (port, hits)
}

/// Markup that would run script, reach the beacon, or restyle the app if it were
/// rendered as markup anywhere but a sandbox: each payload sets `window.__pwned` or
/// fetches from the beacon.
fn payloads(port: u16) -> Vec<String> {
    let beacon = format!("http://127.0.0.1:{port}");
    vec![
        "<script>window.__pwned = 'script'</script>".to_string(),
        format!("<img src=\"{beacon}/img\" onerror=\"window.__pwned = 'onerror'\">"),
        "<a href=\"javascript:window.__pwned = 'href'\">open</a>".to_string(),
        "<svg onload=\"window.__pwned = 'svg'\"><circle r=\"9\"/></svg>".to_string(),
        format!("<style>body {{ background: url({beacon}/css) }} * {{ display: none }}</style>"),
        format!("<iframe src=\"{beacon}/frame\"></iframe>"),
        format!("<link rel=\"stylesheet\" href=\"{beacon}/link\">"),
        "<img src=x onerror=alert(1)>".to_string(),
        "\" onmouseover=\"window.__pwned = 'attribute'\" x=\"".to_string(),
        "{{constructor.constructor('window.__pwned = 1')()}}".to_string(),
    ]
}

fn csv_cell(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The seller's files, written with the payloads and imported through the engine (the
/// app's own import buttons open system dialogs WebDriver cannot reach).
async fn import_payloads(data: &Path, catalog: &Path, port: u16) {
    let engine = Engine::open(EngineConfig {
        data_dir: Some(data.to_path_buf()),
        catalog: Some(catalog.to_path_buf()),
        ..EngineConfig::default()
    })
    .unwrap();
    let payloads = payloads(port);
    let all = payloads.join(" ");
    let files = tempfile::tempdir().unwrap();

    let products = files.path().join("products.csv");
    let mut csv = String::from(
        "Handle,Title,Body (HTML),Vendor,Tags,Variant SKU,Variant Price,Image Src,Image Alt Text,SEO Title,SEO Description\n",
    );
    for (index, payload) in payloads.iter().enumerate() {
        csv += &format!(
            "payload-{index},{},{},{},{},SKU-{index},12.00,{},{},{},{}\n",
            csv_cell(&format!("Tote {payload}")),
            csv_cell(&format!("<p>A tote.</p>{all}")),
            csv_cell(payload),
            csv_cell(payload),
            csv_cell(&format!("http://127.0.0.1:{port}/image-{index}.jpg")),
            csv_cell(payload),
            csv_cell(payload),
            csv_cell(payload),
        );
    }
    std::fs::write(&products, csv).unwrap();
    let job = engine
        .create_job(&JobSpec::ImportListings {
            path: products,
            mapping: None,
        })
        .unwrap();
    engine.run_job(job, Arc::new(|_| {})).await.unwrap();
    // Translated (by the fixture model), so that the review panel shows the
    // description beside its translation, as a seller reviews it.
    let job = engine
        .create_job(&JobSpec::TranslateListings {
            source: "en".into(),
            locales: vec!["de".into()],
            prefer: EngineChoice::Marian,
            engines: BTreeMap::new(),
        })
        .unwrap();
    let translated = engine.run_job(job, Arc::new(|_| {})).await.unwrap();
    assert_eq!(
        translated.state,
        JobState::Succeeded,
        "{:?}",
        translated.message
    );

    // Orders whose buyers and items carry the payloads: the analytics show both.
    let orders = files.path().join("orders.csv");
    let mut csv = String::from(
        "Name,Email,Financial Status,Created at,Currency,Total,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Shipping Country\n",
    );
    for (index, payload) in payloads.iter().enumerate() {
        csv += &format!(
            "#{},buyer{index}@example.com,paid,2025-0{}-02 10:00:00 +0000,EUR,12.00,1,{},12.00,SKU-{index},{},DE\n",
            1001 + index,
            1 + index % 9,
            csv_cell(&format!("Tote {payload}")),
            csv_cell(payload),
        );
    }
    std::fs::write(&orders, csv).unwrap();
    let job = engine
        .create_job(&JobSpec::ImportOrders {
            path: orders,
            channel: None,
            mapping: None,
        })
        .unwrap();
    engine.run_job(job, Arc::new(|_| {})).await.unwrap();

    let reviews = files.path().join("judgeme.csv");
    let mut csv = String::from(
        "title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address,location\n",
    );
    for (index, payload) in payloads.iter().enumerate() {
        csv += &format!(
            "{},{},2,2026-10-21 09:57:07 UTC,web,ok,{},buyer{index}@example.com,,payload-0,,,{},,\n",
            csv_cell(payload),
            csv_cell(&format!("The strap broke. {payload}")),
            csv_cell(payload),
            csv_cell(&format!("http://127.0.0.1:{port}/review-{index}.jpg")),
        );
    }
    std::fs::write(&reviews, csv).unwrap();
    engine.import_reviews(&reviews, None).unwrap();

    let messages = files.path().join("inbox.csv");
    let mut csv = String::from("Buyer,Order Number,Message,Date\n");
    for (index, payload) in payloads.iter().enumerate() {
        csv += &format!(
            "{},{index},{},2025-03-04 09:00\n",
            csv_cell(payload),
            csv_cell(&format!("Where is my order? {payload}"))
        );
    }
    std::fs::write(&messages, csv).unwrap();
    engine.import_messages(&messages).unwrap();

    let photos = files.path().join("photos");
    std::fs::create_dir_all(&photos).unwrap();
    std::fs::write(
        photos.join("<svg onload=window.__pwned=1>.jpg"),
        include_bytes!("../../../../assets/demo/photos/atlas-trail-bottle-750-1.jpg"),
    )
    .unwrap();
    let job = engine
        .create_job(&JobSpec::ImportPhotos { folder: photos })
        .unwrap();
    engine.run_job(job, Arc::new(|_| {})).await.unwrap();
}

/// Nothing set the canary in the app's page.
async fn nothing_ran(session: &Session, place: &str) {
    let canary = session
        .client
        .execute("return typeof window.__pwned", vec![])
        .await
        .unwrap();
    assert_eq!(canary, "undefined", "a payload ran in {place}");
}

pub async fn what_a_seller_imports_stays_inert(shots: &Path) {
    let (port, hits) = beacon();
    let data = tempfile::tempdir().unwrap();
    let fixtures = tempfile::tempdir().unwrap();
    let catalog = tradewind::ml::fixtures::write_fixtures(fixtures.path(), 7).unwrap();
    import_payloads(data.path(), &catalog.path, port).await;
    let driver = Driver::start(data.path(), &catalog.path);
    let session = Session {
        client: connect(&driver, data.path()).await,
        shots: shots.to_path_buf(),
    };

    // The policy the running app enforces (Tauri sends it as a header): an inline script
    // added to the page is refused, and the refusal carries the whole policy; a request
    // to the beacon made from the page is refused too.
    let policy = session
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             document.addEventListener('securitypolicyviolation', \
               (event) => done([event.originalPolicy, typeof window.__inline]), { once: true }); \
             const script = document.createElement('script'); \
             script.textContent = 'window.__inline = 1'; \
             document.head.appendChild(script);",
            vec![],
        )
        .await
        .unwrap();
    let policy_text = policy[0].as_str().unwrap_or_default().to_string();
    assert_eq!(policy[1], "undefined", "an inline script ran");
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "frame-src 'none'",
        "img-src 'self' data:",
        "connect-src ipc: http://ipc.localhost",
    ] {
        assert!(
            policy_text.contains(directive),
            "{directive} missing from the app's policy: {policy_text}"
        );
    }
    assert!(
        !policy_text.contains("unsafe-inline") && !policy_text.contains("unsafe-eval"),
        "{policy_text}"
    );
    let fetched = session
        .client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1]; \
                 fetch('http://127.0.0.1:{port}/fetch').then(() => done('fetched'), () => done('refused'));"
            ),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(fetched, "refused");

    session.open_view("listings").await;
    session.count("listing-row").await;
    nothing_ran(&session, "the listings").await;
    session.click("open-listing").await;
    session.text("review-panel").await;
    session.count("safe-html").await;
    nothing_ran(&session, "a listing's review panel").await;
    session.screenshot("inert-listing-en").await;

    session.open_view("analytics").await;
    session.click("tab-customers").await;
    session
        .click_first("[data-testid=\"rfm-groups\"] button")
        .await;
    session.count("customer-row").await;
    nothing_ran(&session, "the customers").await;
    session.screenshot("inert-customers-en").await;
    session.click("tab-reviews").await;
    session.count("reviews-row").await;
    session
        .click_first("[data-testid=\"reviews-row\"] button")
        .await;
    nothing_ran(&session, "the reviews").await;

    session.open_view("assistant").await;
    session.click_first("[data-testid^=\"answer-\"]").await;
    nothing_ran(&session, "the inbox").await;
    session.screenshot("inert-inbox-en").await;

    session.open_view("photos").await;
    session.count("photo-card").await;
    session.click_first("[data-testid^=\"open-photo-\"]").await;
    nothing_ran(&session, "the photos").await;

    // Anything the webview asked of the beacon would have arrived by now.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the webview made requests to another server"
    );
    session.client.close().await.unwrap();
}
