//! Reviews through the real `tradewind` binary: the review apps' exports and Etsy's
//! download in their real layouts, a file of the seller's own through a mapping, bad
//! rows named, the star model's reading on the fixtures, and the demo shop's recurring
//! complaints found by the real all-MiniLM-L6-v2.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

mod common;

use std::path::Path;

use common::{count, fixtures_and_data, minilm_folder, run, stderr, stdout, tradewind};

fn json(data_dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let output = run(data_dir, &all);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Judge.me's export header, as the app writes it.
const JUDGE_ME: &str = "title,body,rating,review_date,source,curated,reviewer_name,reviewer_email,product_id,product_handle,reply,reply_date,picture_urls,ip_address,location\n\
Love it,\"Beautiful glaze, exactly as pictured, and it keeps my morning coffee warm for a long time.\",5,2025-03-02 10:15:00 UTC,web,ok,Ana Ruiz,ana@example.com,8123,kumo-stoneware-mug,,,,,ES\n\
Enttäuscht,Die Tasse kam mit einem Sprung am Rand an. Schade um das schöne Stück.,2,2025-03-05 18:00:00 UTC,web,ok,Jonas Weber,jonas@example.com,8123,kumo-stoneware-mug,,,,,DE\n\
Buy now,Cheap followers visit my profile,5,2025-03-06 01:00:00 UTC,web,spam,Bot,bot@example.com,8123,kumo-stoneware-mug,,,,,\n";

/// The Shopify Product Reviews app's export header.
const PRODUCT_REVIEWS: &str = "product_handle,state,rating,title,author,email,location,body,reply,created_at,replied_at\n\
nordlys-wool-throw,published,5,So soft,Kim Lee,kim@example.com,Oslo,Warm and soft on the sofa.,,2025-01-10T09:00:00Z,\n\
nordlys-wool-throw,unpublished,3,Ok,Pat Doe,pat@example.com,Leeds,Nice but it sheds a little.,,2025-01-12T09:00:00Z,\n\
nordlys-wool-throw,spam,5,Win,Spam Bot,spam@example.com,,Click here,,2025-01-13T09:00:00Z,\n";

#[test]
fn review_exports_import_in_their_layouts_and_again_without_doubling() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let judge_me = dir.path().join("judgeme-reviews.csv");
    std::fs::write(&judge_me, JUDGE_ME).unwrap();
    let imported = json(&data, &["reviews", "import", judge_me.to_str().unwrap()]);
    assert_eq!(imported["layout"], "judge_me");
    assert_eq!(
        (&imported["added"], &imported["skipped"]),
        (&2.into(), &1.into())
    );
    // The same file again (a newer export) updates the reviews instead of adding them.
    let again = json(&data, &["reviews", "import", judge_me.to_str().unwrap()]);
    assert_eq!((&again["added"], &again["updated"]), (&0.into(), &2.into()));
    assert_eq!(count(&data, "SELECT COUNT(*) FROM reviews"), Some(2));

    let product_reviews = dir.path().join("reviews_export.csv");
    std::fs::write(&product_reviews, PRODUCT_REVIEWS).unwrap();
    let imported = json(
        &data,
        &["reviews", "import", product_reviews.to_str().unwrap()],
    );
    assert_eq!(imported["layout"], "shopify_product_reviews");
    assert_eq!(imported["added"], 2, "{imported}");

    // The language is the text's, detected; the dates are days.
    let summary = json(&data, &["reviews", "summary"]);
    assert_eq!(summary["reviews"], 4);
    assert_eq!(summary["phrase_model"], serde_json::Value::Null);
    let mug = summary["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|product| product["product"] == "kumo-stoneware-mug")
        .unwrap();
    assert_eq!(mug["stars"], serde_json::json!([0, 1, 0, 0, 1]));
    assert_eq!(mug["average_rating"], 3.5);
    let languages: Vec<&str> = mug["languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| pair[0].as_str().unwrap())
        .collect();
    assert_eq!(languages, ["de", "en"], "{mug}");
    assert_eq!(
        count(
            &data,
            "SELECT COUNT(*) FROM reviews WHERE reviewed_on = '2025-03-05' AND language = 'de'"
        ),
        Some(1)
    );
    let printed = stdout(&run(&data, &["reviews", "summary"]));
    assert!(printed.contains("no sentence model installed"), "{printed}");

    // One product alone; an unknown one is named.
    let one = json(
        &data,
        &["reviews", "summary", "--product", "nordlys-wool-throw"],
    );
    assert_eq!(one["products"].as_array().unwrap().len(), 1);
    let unknown = run(&data, &["reviews", "summary", "--product", "no-such-thing"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("no-such-thing"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn a_file_of_the_sellers_own_layout_imports_through_a_mapping_and_bad_rows_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let own = dir.path().join("my-reviews.csv");
    std::fs::write(
        &own,
        "Handle,Stars,Text,When\n\
         kumo-matcha-bowl,★★★★☆,Lovely bowl for my morning matcha.,03/04/25\n\
         kumo-matcha-bowl,4.0,The whisk fits well in it.,03/05/25\n",
    )
    .unwrap();
    // Unknown columns without a mapping: one sentence saying what to do.
    let unmapped = run(&data, &["reviews", "import", own.to_str().unwrap()]);
    assert_eq!(unmapped.status.code(), Some(1));
    // The mapping proposed from the column names ("When" says nothing it knows).
    assert!(
        stderr(&unmapped).contains("is not a reviews file Tradewind knows")
            && stderr(&unmapped).contains(r#"--map "Handle=product,Stars=rating,Text=body""#),
        "{}",
        stderr(&unmapped)
    );
    let mapped = json(
        &data,
        &[
            "reviews",
            "import",
            own.to_str().unwrap(),
            "--map",
            "Handle=product,Stars=rating,Text=body,When=date",
            "--month-first",
        ],
    );
    assert_eq!(mapped["layout"], "mapped");
    assert_eq!(mapped["added"], 2);
    assert_eq!(
        count(
            &data,
            "SELECT COUNT(*) FROM reviews WHERE rating = 4 AND reviewed_on IN ('2025-03-04', '2025-03-05')"
        ),
        Some(2)
    );

    // A rating off the scale names its row and column, and nothing of the file is saved.
    let bad = dir.path().join("bad-reviews.csv");
    std::fs::write(
        &bad,
        "Handle,Stars,Text\nkumo-matcha-bowl,5,Great.\nkumo-matcha-bowl,7,Amazing!\n",
    )
    .unwrap();
    let output = run(
        &data,
        &[
            "reviews",
            "import",
            bad.to_str().unwrap(),
            "--map",
            "Handle=product,Stars=rating,Text=body",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("bad-reviews.csv")
            && message.contains("row 3")
            && message.contains("Stars"),
        "{message}"
    );
    assert_eq!(count(&data, "SELECT COUNT(*) FROM reviews"), Some(2));

    // A role that does not exist lists the ones that do.
    let output = run(
        &data,
        &[
            "reviews",
            "import",
            own.to_str().unwrap(),
            "--map",
            "Stars=score",
        ],
    );
    assert!(stderr(&output).contains("rating"), "{}", stderr(&output));
}

#[test]
fn the_star_model_reads_each_text_once_and_foreign_phrases_are_translated() {
    let dir = tempfile::tempdir().unwrap();
    let (fixtures, data) = fixtures_and_data(dir.path());
    let reviews = dir.path().join("judgeme.csv");
    let german = "Der Riemen ist nach zwei Wochen gerissen. Sehr schlechte Qualität.";
    std::fs::write(
        &reviews,
        format!(
            "title,body,rating,review_date,curated,reviewer_name,product_handle\n\
             Schlecht,{german},1,2025-05-01 10:00:00 UTC,ok,Jonas,atlas-trail-daypack-22l\n\
             Kaputt,{german},2,2025-05-02 10:00:00 UTC,ok,Lena,atlas-trail-daypack-22l\n\
             Great,Great pack for day hikes.,5,2025-05-03 10:00:00 UTC,ok,Sam,atlas-trail-daypack-22l\n"
        ),
    )
    .unwrap();
    let with_fixtures = |args: &[&str]| {
        let output = tradewind(&data)
            .env("TRADEWIND_CATALOG", fixtures.join("catalog.toml"))
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    with_fixtures(&["reviews", "import", reviews.to_str().unwrap()]);
    assert_eq!(
        count(
            &data,
            "SELECT COUNT(*) FROM reviews WHERE sentiment_model = 'fixture-bert-sentiment' \
             AND text_stars BETWEEN 1 AND 5"
        ),
        Some(3)
    );
    // Importing the same texts again keeps their reading; a changed text is read anew.
    let conn = rusqlite::Connection::open(data.join("tradewind.db")).unwrap();
    conn.execute(
        "UPDATE reviews SET text_stars = 9 WHERE reviewer = 'Sam'",
        [],
    )
    .unwrap();
    drop(conn);
    with_fixtures(&["reviews", "import", reviews.to_str().unwrap()]);
    assert_eq!(
        count(&data, "SELECT COUNT(*) FROM reviews WHERE text_stars = 9"),
        Some(1)
    );

    let summary = with_fixtures(&["reviews", "summary"]);
    assert_eq!(summary["sentiment_model"], "fixture-bert-sentiment");
    let pack = &summary["products"][0];
    assert!(pack["average_text_stars"].as_f64().is_some(), "{pack}");
    // The German sentence two reviews share is a complaint, put into English by the
    // installed de→en model (random weights: some English-looking text).
    let complaint = pack["complaints"]
        .as_array()
        .unwrap()
        .iter()
        .find(|phrase| phrase["reviews"] == 2)
        .unwrap_or_else(|| panic!("no complaint two reviews share: {pack}"));
    assert_eq!(complaint["phrase"]["language"], "de");
    assert!(
        complaint["phrase"]["translated"]
            .as_str()
            .is_some_and(|text| !text.is_empty() && text != complaint["phrase"]["text"]),
        "{complaint}"
    );
    assert!(
        pack["praise"].as_array().unwrap().is_empty(),
        "one review is no pattern"
    );
}

#[test]
fn the_demo_shops_recurring_complaints_surface_with_the_real_sentence_model() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let loaded = run(&data, &["demo"]);
    assert!(loaded.status.success(), "{}", stderr(&loaded));
    assert!(stdout(&loaded).contains("reviews"), "{}", stdout(&loaded));
    let imported = run(
        &data,
        &[
            "models",
            "import",
            "all-minilm-l6-v2",
            minilm_folder().to_str().unwrap(),
        ],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));

    let summary = json(&data, &["reviews", "summary"]);
    assert!(
        summary["reviews"].as_u64().unwrap() > 150,
        "{}",
        summary["reviews"]
    );
    assert_eq!(summary["phrase_model"], "all-minilm-l6-v2");
    let products = summary["products"].as_array().unwrap();
    // Every Etsy review found its order's product; none is left on the shop as a whole.
    assert!(products.iter().all(|product| product["product"] != ""));
    // No opus-mt is installed: the other languages' phrases stay as written, and say so.
    assert!(!summary["untranslated"].as_array().unwrap().is_empty());

    let complaint = |handle: &str| -> serde_json::Value {
        let product = products
            .iter()
            .find(|product| product["product"] == handle)
            .unwrap_or_else(|| panic!("{handle} has no reviews"));
        product["complaints"][0].clone()
    };
    // The English-only model groups the English reviews; the cushion has fewest of them.
    for (handle, words, at_least) in [
        ("atlas-trail-daypack-22l", &["strap"][..], 3),
        ("atlas-trail-merino-beanie", &["small", "smaller"][..], 3),
        ("nordlys-linen-cushion", &["colour"][..], 2),
    ] {
        let top = complaint(handle);
        let phrase = top["phrase"]["text"].as_str().unwrap().to_lowercase();
        assert!(
            words.iter().any(|word| phrase.contains(word)),
            "{handle}'s top complaint is {top}"
        );
        assert!(
            top["reviews"].as_u64().unwrap() >= at_least,
            "{handle}: {top}"
        );
        // The examples say the same thing in other words, not something else.
        for example in top["examples"].as_array().unwrap() {
            let text = example["text"].as_str().unwrap().to_lowercase();
            assert!(
                words.iter().any(|word| text.contains(word)) || example["language"] != "en",
                "{handle}: {example} grouped with {phrase}"
            );
        }
    }
    // The most complained-about products come first.
    let complained: Vec<u64> = products
        .iter()
        .map(|product| {
            let phrases = product["complaints"].as_array().unwrap();
            phrases
                .iter()
                .map(|phrase| phrase["reviews"].as_u64().unwrap())
                .sum()
        })
        .collect();
    assert!(complained[0] >= 3, "{complained:?}");
    assert!(
        complained.windows(2).all(|pair| pair[0] >= pair[1]),
        "{complained:?}"
    );

    let printed = stdout(&run(
        &data,
        &["reviews", "summary", "--product", "atlas-trail-daypack-22l"],
    ));
    assert!(
        printed.contains("complaints:") && printed.contains("strap"),
        "{printed}"
    );
}
