//! The Analytics view in English, as a seller goes through it: the dashboard across
//! channels, the last 90 days in euros, a segment exported anonymised, a customer's
//! profile, the matches, cohorts, recommendations, the demand forecast with a reorder,
//! the reviews and the report export; each checked against the engine's own figures.

use std::path::Path;
use std::time::Duration;

use tradewind::Engine;
use tradewind::analytics::metrics::Granularity;
use tradewind::analytics::rfm::RfmGroup;
use tradewind::analytics::{Filter, OrdersSummary};

use super::{Session, grouped, reports};

pub async fn visit_in_english(
    session: &Session,
    engine: &Engine,
    data: &Path,
    orders: &OrdersSummary,
) {
    // The dashboard across channels, then the last 90 days, in euros, and a segment.
    session.open_view("analytics").await;
    let everything = engine
        .dashboard(&Filter::default(), Granularity::Month)
        .unwrap();
    session
        .wait_text("analytics-orders", |text| {
            text == grouped(everything.metrics.orders)
        })
        .await;
    assert_eq!(
        everything.by_channel.len(),
        4,
        "Shopify, Amazon, Etsy and eBay"
    );
    session.screenshot("analytics-en").await;
    session.click("range-90").await;
    let last = orders.last_order_at.clone().unwrap();
    let last_day = chrono::NaiveDate::parse_from_str(&last[..10], "%Y-%m-%d").unwrap();
    let quarter = Filter {
        from: Some((last_day - chrono::Duration::days(89)).to_string()),
        to: Some(last_day.to_string()),
        ..Filter::default()
    };
    let recent = engine.dashboard(&quarter, Granularity::Month).unwrap();
    assert!(recent.metrics.orders < everything.metrics.orders);
    session
        .wait_text("analytics-orders", |text| {
            text == grouped(recent.metrics.orders)
        })
        .await;
    session
        .element("reporting-currency")
        .await
        .select_by_value("EUR")
        .await
        .unwrap();
    session
        .wait_text("analytics-net", |text| text.starts_with('€'))
        .await;
    assert_eq!(engine.reporting_currency().unwrap(), "EUR");
    session.click("tab-customers").await;
    let champions = engine
        .rfm(&quarter, 100)
        .unwrap()
        .customers
        .iter()
        .filter(|customer| customer.group == RfmGroup::Champions)
        .count();
    assert!(champions > 0);
    session.click("segment-champions").await;
    session
        .wait_text("drill-title", |text| text == "Champions: their customers")
        .await;
    assert_eq!(session.count("customer-row").await, champions.min(100));
    // The group exported for an e-mail tool, anonymised (the first choice): no e-mail in it.
    assert!(
        session
            .text("segment-action")
            .await
            .contains("early access")
    );
    let segment = data.join("champions.csv");
    session
        .type_into("segment-out", &segment.to_string_lossy())
        .await;
    session.click("segment-write").await;
    session
        .wait_text("segment-done", |text| text.contains("anonymised"))
        .await;
    let exported = std::fs::read_to_string(&segment).unwrap();
    assert_eq!(exported.lines().count(), champions + 1, "{exported}");
    assert!(!exported.contains('@'));
    session.screenshot("analytics-customers-en").await;
    // The best champion's profile: their value, channels, and group month by month, which
    // ends where the report puts them.
    let best = engine
        .rfm(&quarter, 100)
        .unwrap()
        .customers
        .into_iter()
        .find(|customer| customer.group == RfmGroup::Champions)
        .unwrap();
    let history = engine.customer_groups(&quarter, &best.customer).unwrap();
    assert_eq!(history.last().map(|at| at.group), Some(RfmGroup::Champions));
    session
        .click_first("[data-testid=\"customer-row\"] button")
        .await;
    session
        .wait_text("group-history", |text| text.contains("Champions"))
        .await;
    assert!(session.text("customer-profile").await.contains('€'));
    // Their next products, each explained by something they bought.
    let next = engine
        .next_products(&quarter, &best.customer, None)
        .unwrap();
    let shown = session
        .wait_text("next-products", |text| text.contains("because they bought"))
        .await;
    assert!(
        shown.contains(&next.suggestions[0].product.title),
        "{shown}"
    );
    session.scroll_to("group-history").await;
    session.screenshot("analytics-customer-en").await;
    // Etsy buyers known only by their username, with a Shopify customer's name and postal
    // code: the seller says the first is the same person, and their orders become one.
    let pairs = engine.match_suggestions().unwrap();
    let first = pairs.first().expect("the demo has such buyers").clone();
    session.scroll_to("match-suggestions").await;
    session.screenshot("analytics-matches-en").await;
    session.click_first("[data-testid=\"match-same\"]").await;
    // The card names buyers as the seller knows them, not by their keys: wait for the
    // answer to reach the store.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while engine.match_suggestions().unwrap().len() == pairs.len()
        && std::time::Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(engine.match_suggestions().unwrap().len(), pairs.len() - 1);
    let theirs = engine
        .orders(&Filter::default(), Some(&first.with), 200)
        .unwrap();
    assert!(theirs.iter().any(|order| order.channel == "etsy"));
    session.click("tab-cohorts").await;
    session.text("cohort-grid").await;
    session.screenshot("analytics-cohorts-en").await;
    // Recommendations over every order: each method scored against the best sellers,
    // the best marked, and what the strongest rule's product's buyers also bought.
    session.click("range-all").await;
    session.click("tab-recommend").await;
    let recommended = engine.recommendations(&Filter::default()).unwrap();
    session
        .wait_text("recommend-evaluation", |text| text.contains("Best here"))
        .await;
    // The app's catalog holds the fixture sentence model, so the content-based method
    // is scored too (this test's engine, without that catalog, leaves it out).
    assert_eq!(
        session.count("method-row").await,
        recommended.evaluation.methods.len() + 1
    );
    assert!(recommended.rules.len() > 3);
    session
        .click_first("[data-testid=\"rules-table\"] button")
        .await;
    let also = session
        .wait_text("also-bought", |text| {
            text.contains(&recommended.rules[0].if_bought.title)
        })
        .await;
    assert!(also.contains("also bought"), "{also}");
    session.screenshot("analytics-recommend-en").await;
    // The demand forecast: its backtest, then a stock level that calls for a reorder.
    session.click("tab-forecast").await;
    let forecast = engine.forecast(&Filter::default(), 12).unwrap();
    let top = forecast.products[0].sku.clone();
    session
        .wait_text("forecast-backtest", |text| {
            text.contains("Checked on the last")
        })
        .await;
    assert_eq!(session.count("forecast-row").await, forecast.products.len());
    // Units into the empty field; the lead time keeps its two weeks.
    session.type_into("stock-units", "1").await;
    session.click("stock-save").await;
    session
        .wait_text(&format!("reorder-{top}"), |text| text.starts_with("Order"))
        .await;
    assert!(
        engine
            .stock_levels()
            .unwrap()
            .iter()
            .any(|level| level.sku == top && level.units == 1)
    );
    session.scroll_to("forecast-detail").await;
    session.screenshot("analytics-forecast-en").await;
    // The demo's reviews, product by product, the most complained about first.
    session.click("tab-reviews").await;
    let reviews = engine.reviews_summary(None).unwrap();
    let headline = format!("{} reviews", reviews.reviews);
    session
        .wait_text("reviews-overview", |text| text.contains(&headline))
        .await;
    assert_eq!(session.count("reviews-row").await, reviews.products.len());
    session.screenshot("analytics-reviews-en").await;
    reports::export_reports(session, data, "en", "Wrote the report").await;
}
