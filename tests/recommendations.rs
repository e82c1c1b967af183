//! Recommendations on the demo shop through the real `tradewind` binary: every
//! recommender beats suggesting the best sellers to everyone on the shop's own orders,
//! with the real all-MiniLM-L6-v2 for the content-based one; a customer's suggestions
//! are new to them and explained; a product's "also bought" names its rules.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use common::{minilm_folder, run, stderr, stdout};

fn json(data_dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let output = run(data_dir, &all);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn every_recommender_beats_the_best_sellers_on_the_demo_shop() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    assert!(run(&data_dir, &["demo"]).status.success());

    // Without a sentence model the content-based method says what it needs.
    let without = json(&data_dir, &["analytics", "recommend"]);
    assert_eq!(without["content_needs_model"], true);
    assert_eq!(
        without["evaluation"]["methods"].as_array().unwrap().len(),
        4
    );
    let printed = stdout(&run(&data_dir, &["analytics", "recommend"]));
    assert!(
        printed.contains("needs a sentence-embedding model"),
        "{printed}"
    );

    let imported = run(
        &data_dir,
        &[
            "models",
            "import",
            "all-minilm-l6-v2",
            minilm_folder().to_str().unwrap(),
        ],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
    let report = json(&data_dir, &["analytics", "recommend"]);
    assert_eq!(report["content_needs_model"], false);
    assert!(report["evaluation"]["customers"].as_u64().unwrap() > 300);
    let methods = report["evaluation"]["methods"].as_array().unwrap();
    let score = |name: &str| {
        methods
            .iter()
            .find(|method| method["method"] == name)
            .unwrap_or_else(|| panic!("{name} not evaluated: {report}"))
            .clone()
    };
    let popular = score("popular");
    assert_eq!(popular["over_popular"], 1.0);
    for method in ["rules", "item_cf", "als", "content"] {
        let scored = score(method);
        assert!(
            scored["hit_rate"].as_f64().unwrap() > popular["hit_rate"].as_f64().unwrap()
                && scored["map"].as_f64().unwrap() > popular["map"].as_f64().unwrap(),
            "{method} does not beat the best sellers: {scored} against {popular}"
        );
    }
    assert_ne!(report["best"], "popular");
    // The same orders give the same figures: ALS is seeded, the rest exact.
    assert_eq!(json(&data_dir, &["analytics", "recommend"]), report);

    // The strongest rules pair products of one maker, as the demo shop's buyers do.
    let rules = json(&data_dir, &["analytics", "fbt"]);
    let strongest = &rules[0];
    assert!(strongest["lift"].as_f64().unwrap() > 2.0, "{strongest}");
    let maker = |title: &serde_json::Value| {
        title
            .as_str()
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        maker(&strongest["if_bought"]["title"]),
        maker(&strongest["then"]["title"])
    );

    // A repeat customer's suggestions are products they have not bought, each explained.
    let customers = json(&data_dir, &["analytics", "customers", "--limit", "1"]);
    let key = customers[0]["customer"].as_str().unwrap();
    for method in ["als", "item-cf", "rules", "content"] {
        let next = json(
            &data_dir,
            &[
                "analytics",
                "recommend",
                "--customer",
                key,
                "--method",
                method,
            ],
        );
        let bought: Vec<&str> = next["bought"]
            .as_array()
            .unwrap()
            .iter()
            .map(|product| product["key"].as_str().unwrap())
            .collect();
        let suggestions = next["suggestions"].as_array().unwrap();
        let unbought = report["products"].as_u64().unwrap() as usize - bought.len();
        assert_eq!(suggestions.len(), unbought.min(10), "{method}: {next}");
        assert!(
            suggestions
                .iter()
                .all(|suggestion| !bought.contains(&suggestion["product"]["key"].as_str().unwrap())),
            "{method} suggests what {key} bought: {next}"
        );
        let because = suggestions[0]["because"]["key"].as_str().unwrap();
        assert!(bought.contains(&because), "{method}: {next}");
    }

    // "Also bought" for the strongest rule's first product names the rule.
    let product = strongest["if_bought"]["key"].as_str().unwrap();
    let also = json(
        &data_dir,
        &["analytics", "recommend", "--for-product", product],
    );
    assert!(also["orders"].as_u64().unwrap() > 0);
    assert!(
        also["together"]
            .as_array()
            .unwrap()
            .iter()
            .any(|rule| rule["then"] == strongest["then"]),
        "{also}"
    );
    assert!(!also["also_bought"].as_array().unwrap().is_empty());

    // A customer or product the orders do not hold is one sentence.
    let unknown = run(
        &data_dir,
        &[
            "analytics",
            "recommend",
            "--customer",
            "email:nobody@example.com",
        ],
    );
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("no customer 'email:nobody@example.com' in the orders"),
        "{}",
        stderr(&unknown)
    );
}
