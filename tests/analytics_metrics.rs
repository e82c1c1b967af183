//! The analyses on a small shop whose figures are worked out by hand (in the comments):
//! four customers in four currencies, a refund, a cancellation, an order on a Saturday
//! (converted at Friday's rate), converted to euros at rates set for the test.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

use std::path::Path;
use std::sync::Arc;

use tradewind::analytics::Filter;
use tradewind::analytics::cohorts::CohortSplit;
use tradewind::analytics::metrics::Granularity;
use tradewind::analytics::rfm::RfmGroup;
use tradewind::jobs::JobState;
use tradewind::{Engine, EngineConfig, JobSpec};

const ORDERS: &str = "Name,Email,Financial Status,Created at,Currency,Subtotal,Shipping,Taxes,Total,Discount Amount,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Shipping Country,Refunded Amount,Cancelled at
#1,a@example.com,paid,2025-01-06 10:00:00 +0000,USD,100.00,5.00,2.00,107.00,0.00,2,Tote,50.00,TOTE,US,0.00,
#2,b@example.com,paid,2025-01-20 10:00:00 +0000,EUR,80.00,0.00,0.00,80.00,0.00,1,Mug,80.00,MUG,DE,0.00,
#3,a@example.com,paid,2025-02-10 10:00:00 +0000,USD,50.00,0.00,0.00,50.00,0.00,1,Tote,50.00,TOTE,US,0.00,
#4,c@example.com,paid,2025-02-14 10:00:00 +0000,JPY,5000,0,0,5000,0,1,Mug,5000,MUG,JP,0,
#5,a@example.com,paid,2025-03-03 10:00:00 +0000,USD,30.00,0.00,0.00,30.00,0.00,1,Print,30.00,PRINT,US,0.00,
#6,b@example.com,partially_refunded,2025-03-15 10:00:00 +0000,USD,22.00,0.00,0.00,22.00,0.00,1,Print,22.00,PRINT,DE,11.00,
#7,d@example.com,voided,2025-03-20 10:00:00 +0000,USD,10.00,0.00,0.00,10.00,0.00,1,Mug,10.00,MUG,US,0.00,2025-03-20 11:00:00 +0000
#8,e@example.com,paid,2025-03-25 10:00:00 +0000,GBP,40.00,0.00,0.00,40.00,0.00,1,Tote,40.00,TOTE,GB,0.00,
";

fn shop(dir: &Path) -> Engine {
    let engine = Engine::open(EngineConfig {
        data_dir: Some(dir.join("data")),
        ..EngineConfig::default()
    })
    .unwrap();
    // Units per euro. 2025-03-15 is a Saturday: no rate, so Friday's applies.
    for (currency, day, rate) in [
        ("USD", "2025-01-06", 1.25),
        ("USD", "2025-02-10", 1.00),
        ("USD", "2025-03-03", 1.50),
        ("USD", "2025-03-14", 1.10),
        ("JPY", "2025-02-14", 160.0),
        ("GBP", "2025-03-25", 0.80),
    ] {
        engine.set_fx_rate(currency, day, rate).unwrap();
    }
    engine.set_reporting_currency("EUR").unwrap();
    import(&engine, &dir.join("orders_export_1.csv"), ORDERS);
    engine
}

fn import(engine: &Engine, path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    let path = path.to_path_buf();
    let id = engine
        .create_job(&JobSpec::ImportOrders {
            path,
            channel: None,
            mapping: None,
        })
        .unwrap();
    let job = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(engine.run_job(id, Arc::new(|_| {})))
        .unwrap();
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.message);
}

fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "{actual} is not {expected}"
    );
}

#[test]
fn the_figures_match_the_ones_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let engine = shop(dir.path());
    let all = engine
        .dashboard(&Filter::default(), Granularity::Month)
        .unwrap();
    let m = &all.metrics;
    assert_eq!(m.reporting_currency, "EUR");
    assert_eq!(
        (
            m.orders,
            m.customers,
            m.cancelled_orders,
            m.unconverted_orders
        ),
        (7, 4, 1, 0)
    );
    // 100 USD at 1.25 = 80; 80 EUR; 50 USD at 1.00; 5000 JPY at 160 = 31.25; 30 USD at 1.50 = 20;
    // 22 USD at Friday's 1.10 = 20 (11 refunded = 10); 40 GBP at 0.80 = 50. Shipping and taxes are not sales.
    close(m.gross_sales, 331.25);
    close(m.refunds, 10.0);
    close(m.net_sales, 321.25);
    close(m.average_order_value, 321.25 / 7.0);
    close(m.repeat_purchase_rate, 0.5);
    assert_eq!(
        m.median_days_between_orders,
        Some(35.0),
        "gaps of 35, 21 and 54 days"
    );
    assert_eq!(m.units, 8);
    let months: Vec<(&str, u64)> = all
        .series
        .iter()
        .map(|point| (point.period.as_str(), point.orders))
        .collect();
    assert_eq!(months, [("2025-01", 2), ("2025-02", 2), ("2025-03", 3)]);
    assert_eq!(all.by_channel.len(), 1);
    assert_eq!(all.by_country[0].key, "US");
    assert_eq!(all.top_products[0].sku, "TOTE");
    close(all.top_products[0].gross_sales, 80.0 + 50.0 + 50.0);

    // March, against the 31 days before it.
    let march = Filter {
        from: Some("2025-03-01".into()),
        to: Some("2025-03-31".into()),
        ..Filter::default()
    };
    let dashboard = engine.dashboard(&march, Granularity::Week).unwrap();
    let m = &dashboard.metrics;
    assert_eq!(
        (
            m.orders,
            m.customers,
            m.new_customers,
            m.returning_customers
        ),
        (3, 3, 1, 2)
    );
    close(m.net_sales, 80.0);
    close(
        dashboard.previous_metrics.as_ref().unwrap().net_sales,
        81.25,
    );
    assert_eq!(
        dashboard.series[0].period, "2025-03-03",
        "weeks start on Monday"
    );

    // A channel, a currency, a product.
    let yen = Filter {
        currencies: vec!["jpy".into()],
        ..Filter::default()
    };
    close(
        engine
            .dashboard(&yen, Granularity::Day)
            .unwrap()
            .metrics
            .net_sales,
        31.25,
    );
    let prints = Filter {
        product: Some("Print".into()),
        ..Filter::default()
    };
    assert_eq!(
        engine
            .dashboard(&prints, Granularity::Day)
            .unwrap()
            .metrics
            .orders,
        2
    );

    // Another reporting currency converts every order again.
    engine.set_reporting_currency("USD").unwrap();
    let dollars = engine
        .dashboard(&Filter::default(), Granularity::Month)
        .unwrap();
    assert_eq!(dollars.metrics.reporting_currency, "USD");
    let first = engine.dashboard(
        &Filter {
            to: Some("2025-01-06".into()),
            ..Filter::default()
        },
        Granularity::Month,
    );
    close(first.unwrap().metrics.net_sales, 100.0);
    assert!(engine.set_reporting_currency("XYZ").is_err());
}

#[test]
fn the_orders_behind_a_figure_come_newest_first_and_by_customer() {
    let dir = tempfile::tempdir().unwrap();
    let engine = shop(dir.path());
    let names = |orders: Vec<tradewind::analytics::orders_list::OrderRow>| {
        orders
            .into_iter()
            .map(|order| order.name)
            .collect::<Vec<_>>()
    };
    // #7 was cancelled: it is behind no figure.
    assert_eq!(
        names(engine.orders(&Filter::default(), None, 3).unwrap()),
        ["#8", "#6", "#5"]
    );
    let a = engine
        .orders(&Filter::default(), Some("email:a@example.com"), 10)
        .unwrap();
    assert_eq!(a[0].net_minor, 3000);
    assert_eq!(names(a), ["#5", "#3", "#1"]);
    let february = Filter {
        from: Some("2025-02-01".into()),
        to: Some("2025-02-28".into()),
        ..Filter::default()
    };
    assert_eq!(
        names(engine.orders(&february, None, 10).unwrap()),
        ["#4", "#3"]
    );
    assert!(
        engine
            .orders(&Filter::default(), Some("email:nobody@example.com"), 10)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_figures_follow_the_orders_as_they_change_in_this_engine_and_another() {
    let dir = tempfile::tempdir().unwrap();
    let engine = shop(dir.path());
    // The desktop app and the command line may hold the same data folder at once.
    let other = Engine::open(EngineConfig {
        data_dir: Some(dir.path().join("data")),
        ..EngineConfig::default()
    })
    .unwrap();
    let orders = |engine: &Engine| {
        let dashboard = engine
            .dashboard(&Filter::default(), Granularity::Month)
            .unwrap();
        let cents = (dashboard.metrics.refunds * 100.0).round() as i64;
        (dashboard.metrics.orders, cents)
    };
    assert_eq!(orders(&engine), (7, 1000));
    assert_eq!(orders(&other), (7, 1000));
    // A later export: order #8 refunded in full (40 GBP at 0.80 = 50 EUR), and a new one.
    let header = ORDERS.lines().next().unwrap();
    import(
        &engine,
        &dir.path().join("orders_export_2.csv"),
        &format!(
            "{header}
#8,e@example.com,refunded,2025-03-25 10:00:00 +0000,GBP,40.00,0.00,0.00,40.00,0.00,1,Tote,40.00,TOTE,GB,40.00,
#9,f@example.com,paid,2025-03-25 12:00:00 +0000,EUR,12.00,0.00,0.00,12.00,0.00,1,Mug,12.00,MUG,FR,0.00,
"
        ),
    );
    assert_eq!(orders(&engine), (8, 6000));
    assert_eq!(orders(&other), (8, 6000));
    assert_eq!(
        other.rfm(&Filter::default(), 100).unwrap().customers.len(),
        5
    );
}

#[test]
fn customers_fall_into_the_rfm_groups_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let engine = shop(dir.path());
    let report = engine.rfm(&Filter::default(), 100).unwrap();
    assert_eq!(report.as_of.as_deref(), Some("2025-03-25"));
    // Listing none still scores and groups everyone.
    let unlisted = engine.rfm(&Filter::default(), 0).unwrap();
    assert!(unlisted.customers.is_empty());
    assert_eq!(
        (&unlisted.groups, &unlisted.grid),
        (&report.groups, &report.grid)
    );
    let score = |email: &str| {
        let customer = report
            .customers
            .iter()
            .find(|customer| customer.name == email)
            .unwrap();
        (customer.r, customer.f, customer.m, customer.group)
    };
    // Recency 22, 10, 39 and 0 days; 3, 2, 1 and 1 orders; 150, 90, 31.25 and 50 euros.
    assert_eq!(score("a@example.com"), (2, 4, 4, RfmGroup::PreviouslyLoyal));
    assert_eq!(score("b@example.com"), (3, 3, 3, RfmGroup::NeedsAttention));
    assert_eq!(score("c@example.com"), (1, 1, 1, RfmGroup::Dormant));
    assert_eq!(score("e@example.com"), (4, 1, 2, RfmGroup::Promising));
    assert!(
        report
            .customers
            .iter()
            .all(|customer| customer.name != "d@example.com"),
        "a cancelled order makes no customer"
    );
    let dormant = report
        .groups
        .iter()
        .find(|group| group.group == RfmGroup::Dormant)
        .unwrap();
    assert_eq!(dormant.customers, 1);
    // a's group at each month's end. January: a (25 days ago, 1 order, 80) and b (11 days,
    // 1, 80): R 1, F 1, M 1, Dormant. February: a (18 days, 2, 130), b (39, 1, 80),
    // c (14, 1, 31.25): R 2, F 4, M 4, Previously loyal. March as the report above.
    let history: Vec<(String, RfmGroup)> = engine
        .customer_groups(&Filter::default(), "email:a@example.com")
        .unwrap()
        .into_iter()
        .map(|at| (at.month, at.group))
        .collect();
    assert_eq!(
        history,
        [
            ("2025-01".to_string(), RfmGroup::Dormant),
            ("2025-02".to_string(), RfmGroup::PreviouslyLoyal),
            ("2025-03".to_string(), RfmGroup::PreviouslyLoyal),
        ]
    );
    assert!(
        engine
            .customer_groups(&Filter::default(), "email:d@example.com")
            .unwrap()
            .is_empty(),
        "a customer whose only order was cancelled has no history"
    );
    assert_eq!(
        report.grid.iter().map(|cell| cell.customers).sum::<u64>(),
        4
    );
}

#[test]
fn cohorts_retain_and_accumulate_as_worked_out_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let engine = shop(dir.path());
    let cohorts = engine
        .cohorts(&Filter::default(), &CohortSplit::default())
        .unwrap()
        .cohorts;
    let months: Vec<&str> = cohorts.iter().map(|cohort| cohort.month.as_str()).collect();
    assert_eq!(months, ["2025-01", "2025-02", "2025-03"]);
    // January: A and B. A orders again in February, both in March.
    assert_eq!(cohorts[0].customers, 2);
    assert_eq!(cohorts[0].retention, [1.0, 0.5, 1.0]);
    let values = &cohorts[0].value_per_customer;
    close(values[0], 80.0);
    close(values[1], 105.0);
    close(values[2], 120.0);
    assert_eq!(cohorts[1].retention, [1.0, 0.0]);
    assert_eq!(cohorts[2].retention, [1.0]);
    let first_tote = engine
        .cohorts(
            &Filter::default(),
            &CohortSplit {
                first_product: Some("TOTE".into()),
                ..CohortSplit::default()
            },
        )
        .unwrap()
        .cohorts;
    let sizes: Vec<(&str, u64)> = first_tote
        .iter()
        .map(|cohort| (cohort.month.as_str(), cohort.customers))
        .collect();
    assert_eq!(
        sizes,
        [("2025-01", 1), ("2025-03", 1)],
        "A and E began with a tote"
    );
}
