//! The demand forecast on the demo shop through the real `tradewind` binary: a method per
//! SKU, its interval, the backtest's error beside the history's mean, and a reorder hint
//! from the stock level and lead time the seller enters.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use common::{run, stderr, stdout};

fn forecast(data_dir: &std::path::Path) -> serde_json::Value {
    let output = run(
        data_dir,
        &["--json", "analytics", "forecast", "--weeks", "8"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_demo_shop_is_forecast_backtested_and_told_what_to_reorder() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    assert!(run(&data_dir, &["demo"]).status.success());

    let report = forecast(&data_dir);
    assert_eq!(report["last_day"], "2026-10-31");
    assert_eq!(report["horizon_weeks"], 8);
    let backtest = &report["backtest"];
    assert!(backtest["products"].as_u64().unwrap() > 20, "{backtest}");
    let (mae, mean_mae) = (
        backtest["mae"].as_f64().unwrap(),
        backtest["mean_mae"].as_f64().unwrap(),
    );
    assert!(mae > 0.0 && mean_mae > 0.0, "{backtest}");
    let products = report["products"].as_array().unwrap();
    let methods: std::collections::BTreeSet<&str> = products
        .iter()
        .map(|product| product["method"].as_str().unwrap())
        .collect();
    assert!(methods.len() >= 2, "one method for every SKU: {methods:?}");
    for product in products {
        let (low, weekly, high) = (
            product["low"].as_f64().unwrap(),
            product["weekly"].as_f64().unwrap(),
            product["high"].as_f64().unwrap(),
        );
        assert!(0.0 <= low && low <= weekly && weekly <= high, "{product}");
        assert!((product["horizon_units"].as_f64().unwrap() - 8.0 * weekly).abs() < 1e-9);
        assert!(product["recent"].as_array().unwrap().len() <= 26);
    }
    let printed = stdout(&run(&data_dir, &["analytics", "forecast"]));
    assert!(printed.contains("backtest on the last"), "{printed}");

    // The best seller with two units left and a four-week lead time: order now.
    let top = products[0]["sku"].as_str().unwrap().to_string();
    let weekly = products[0]["weekly"].as_f64().unwrap();
    let set = run(
        &data_dir,
        &["analytics", "stock", &top, "2", "--lead-time-weeks", "4"],
    );
    assert!(set.status.success(), "{}", stderr(&set));
    let report = forecast(&data_dir);
    let advised = report["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|product| product["sku"] == top.as_str())
        .unwrap()["stock"]
        .clone();
    assert_eq!(advised["units"], 2);
    let reorder_point = advised["reorder_point"].as_f64().unwrap();
    assert!(reorder_point > 4.0 * weekly, "{advised}");
    let order = advised["order"].as_i64().unwrap();
    assert_eq!(order, (reorder_point + 8.0 * weekly - 2.0).ceil() as i64);
    let printed = stdout(&run(
        &data_dir,
        &["analytics", "forecast", "--weeks", "8", "--sku", &top],
    ));
    assert!(printed.contains(&format!("order {order} now")), "{printed}");

    // A SKU the orders do not hold is one sentence, not an empty table.
    let unknown = run(
        &data_dir,
        &["analytics", "forecast", "--sku", "NO-SUCH-SKU"],
    );
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("no SKU 'NO-SUCH-SKU' in the orders the filter keeps"),
        "{}",
        stderr(&unknown)
    );

    // Plenty in stock: no order, the weeks it lasts.
    assert!(
        run(&data_dir, &["analytics", "stock", &top, "10000"])
            .status
            .success()
    );
    let report = forecast(&data_dir);
    let advised = &report["products"][0]["stock"];
    assert_eq!(advised["order"], serde_json::Value::Null);
    assert!(advised["weeks_of_cover"].as_f64().unwrap() > 50.0);

    // A stock level below zero is one sentence, and changes nothing.
    let bad = run(&data_dir, &["analytics", "stock", &top, "-3"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains(&format!(
            "stock of {top}: the units in stock cannot be below 0"
        )),
        "{}",
        stderr(&bad)
    );
    let listed = run(&data_dir, &["--json", "analytics", "stock"]);
    let levels: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(levels[0]["units"], 10000);
}
