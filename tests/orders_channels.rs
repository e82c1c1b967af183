//! Every channel's orders export in its real layout, written here as the channels write
//! them: Shopify (resaved by a European Excel: `;` and decimal commas, a BOM), Etsy's two
//! downloads (US, UK, and Windows-1252), Amazon's tab-separated All Orders report, eBay's
//! Seller Hub report (a blank and a title row above, summary rows below) and
//! WooCommerce's plugin export. Then overlapping re-imports, customers across channels,
//! and a malformed row that stops the import before anything changed.

#![allow(clippy::unwrap_used)] // a whole-workflow test: a panic is the failure report

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tradewind::analytics::{ImportedOrders, Layout};
use tradewind::jobs::JobState;
use tradewind::{Engine, EngineConfig, Job, JobOutcome, JobSpec};

const SHOPIFY_EUROPEAN: &str = "\u{feff}Name;Email;Financial Status;Created at;Currency;Subtotal;Shipping;Taxes;Total;Discount Code;Discount Amount;Lineitem quantity;Lineitem name;Lineitem price;Lineitem sku;Billing Name;Shipping Zip;Shipping Country;Refunded Amount;Cancelled at\r\n\
#1001;Ana.Lopez@Example.com;paid;2025-01-10 10:00:00 +0100;EUR;40,00;5,00;0,00;45,00;;0,00;2;Sakura Tote;15,00;TOTE-1;Ana Lopez;28013;ES;0,00;\r\n\
#1001;;;;;;;;;;;1;Kumo Mug;10,00;MUG-1;;;;;\r\n\
#1002;ken@example.jp;paid;2025-02-01 09:00:00 +0900;JPY;3000;500;300;3800;;0;1;Kumo Mug;3000;MUG-1;Ken Sato;150-0001;JP;0;\r\n";

const ETSY_ITEMS: &str = "Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon Details,Discount Amount,Shipping Discount,Order Shipping,Order Sales Tax,Item Total,Currency,Transaction ID,Listing ID,Date Paid,Date Shipped,Ship Name,Ship Address1,Ship Address2,Ship City,Ship State,Ship Zipcode,Ship Country,Order ID,Variations,Order Type,Listings Type,Payment Type,InPerson Discount,InPerson Location,VAT Paid by Buyer,SKU
03/14/25,Sakura Tote,mika_k,1,$22.00,,,0,0,$5.00,$0.00,$22.00,USD,4001,9001,03/14/25,03/16/25,Mika K,1 Main St,,Portland,OR,97205,United States,3001,,online,listing,online_cc,,,,TOTE-1
03/14/25,Kumo Mug,mika_k,2,$12.00,,,0,0,$5.00,$0.00,$24.00,USD,4002,9002,03/14/25,03/16/25,Mika K,1 Main St,,Portland,OR,97205,United States,3001,,online,listing,online_cc,,,,MUG-1
03/20/25,\"Print A5, framed\",jo_p,1,$30.00,,,0,0,$4.50,$0.00,$30.00,USD,4003,9003,03/20/25,,Jo P,2 Oak Ave,,Austin,TX,78701,United States,3002,,online,listing,online_cc,,,,PRINT-A5
";

const ETSY_ORDERS: &str = "Sale Date,Order ID,Buyer User ID,Full Name,First Name,Last Name,Number of Items,Payment Method,Date Shipped,Street 1,Street 2,Ship City,Ship State,Ship Zipcode,Ship Country,Currency,Order Value,Coupon Code,Coupon Details,Discount Amount,Shipping Discount,Shipping,Sales Tax,Order Total,Status,Card Processing Fees,Order Net,Adjusted Order Total,Adjusted Card Processing Fees,Adjusted Net Order Amount,Buyer,Order Type,Payment Type,InPerson Discount,InPerson Location,SKU
03/14/25,3001,123456,Mika K,Mika,K,3,Other,03/16/25,1 Main St,,Portland,OR,97205,United States,USD,46.00,,,0,0,5.00,0.00,51.00,Completed,1.83,49.17,41.00,1.50,39.50,mika_k,online,online_cc,,,
03/20/25,3002,234567,Jo P,Jo,P,1,Other,,2 Oak Ave,,Austin,TX,78701,United States,USD,30.00,,,0,0,4.50,0.00,34.50,Completed,1.20,33.30,,,,jo_p,online,online_cc,,,
";

const ETSY_ITEMS_UK: &str = "Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon Details,Discount Amount,Shipping Discount,Order Delivery,Order Sales Tax,Item Total,Currency,Transaction ID,Listing ID,Date Paid,Date Posted,Delivery Name,Delivery Address1,Delivery Address2,Delivery City,Delivery County,Delivery Zipcode,Delivery Country,Order ID,Variations,Order Type,Listings Type,Payment Type,InPerson Discount,InPerson Location,VAT Paid by Buyer,SKU
14/03/25,Sakura Tote,zoe_w,1,£18.00,,,0,0,£3.20,£0.00,£18.00,GBP,5001,9001,14/03/25,15/03/25,Zoë W,3 Mill Lane,,Leeds,,LS1 4AP,United Kingdom,4001,,online,listing,online_cc,,,,TOTE-1
";

const AMAZON: &str = "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsales-channel\torder-channel\turl\tship-service-level\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\tgift-wrap-tax\titem-promotion-discount\tship-promotion-discount\tship-city\tship-state\tship-postal-code\tship-country\tpromotion-ids\tis-business-order\tpurchase-order-number\tprice-designation\tcustomized-url
111-0000001-0000001\t\t2025-04-01T10:00:00+00:00\t2025-04-02T10:00:00+00:00\tShipped\tAmazon\tAmazon.com\t\t\tStandard\tSakura Tote\tTOTE-1\tB000000001\tShipped\t1\tUSD\t25.00\t2.00\t4.00\t0.00\t\t\t-5.00\t\tAustin\tTX\t78701\tUS\t\tfalse\t\t\t
111-0000001-0000001\t\t2025-04-01T10:00:00+00:00\t2025-04-02T10:00:00+00:00\tShipped\tAmazon\tAmazon.com\t\t\tStandard\tKumo Mug\tMUG-1\tB000000002\tShipped\t2\tUSD\t24.00\t1.92\t0.00\t0.00\t\t\t\t\tAustin\tTX\t78701\tUS\t\tfalse\t\t\t
111-0000002-0000002\t\t2025-04-03T08:30:00+00:00\t2025-04-03T09:00:00+00:00\tCancelled\tMerchant\tAmazon.com\t\t\tStandard\tKumo Mug\tMUG-1\tB000000002\tCancelled\t1\tUSD\t12.00\t0.96\t4.00\t0.00\t\t\t\t\tDenver\tCO\t80202\tUS\t\tfalse\t\t\t
";

const EBAY: &str = "\n\"Seller Hub orders report\"\n\
Sales Record Number,Order Number,Buyer Username,Buyer Name,Buyer Email,Ship To Zip,Ship To Country,Item Number,Item Title,Custom Label,Quantity,Sold For,Shipping And Handling,eBay Collected Tax,Total Price,Sale Date,Transaction ID\n\
101,12-34567-89012,ana_l,Ana Lopez, ANA.LOPEZ@example.com ,28013,Spain,,,,,,€6.00,€0.00,€36.00,Mar-15-25,\n\
101,12-34567-89012,ana_l,Ana Lopez,ANA.LOPEZ@example.com,28013,Spain,1234567,Sakura Tote,TOTE-1,1,€20.00,,,,Mar-15-25,9001\n\
101,12-34567-89012,ana_l,Ana Lopez,ANA.LOPEZ@example.com,28013,Spain,1234568,Kumo Mug,MUG-1,1,€10.00,,,,Mar-15-25,9002\n\
102,23-45678-90123,bob_b,Bob Brown,bob@example.co.uk,E1 6AN,United Kingdom,1234567,Sakura Tote,TOTE-1,2,£17.00,£4.00,£0.00,£38.00,Mar-16-25,9003\n\
\n\
,,\"2 record(s) downloaded, from Mar-01-25 to Mar-31-25\"\n\
\"Seller ID : tradewind_demo\"\n";

const WOOCOMMERCE: &str = "order_id,order_number,order_date,paid_date,status,shipping_total,shipping_tax_total,fee_total,fee_tax_total,tax_total,cart_discount,order_discount,discount_total,order_total,order_subtotal,order_currency,payment_method,payment_method_title,transaction_id,customer_ip_address,customer_user_agent,shipping_method,customer_id,customer_user,customer_email,billing_first_name,billing_last_name,billing_company,billing_email,billing_phone,billing_address_1,billing_address_2,billing_postcode,billing_city,billing_state,billing_country,shipping_first_name,shipping_last_name,shipping_company,shipping_phone,shipping_address_1,shipping_address_2,shipping_postcode,shipping_city,shipping_state,shipping_country,customer_note,wt_import_key,shipping_items,fee_items,tax_items,coupon_items,refund_items,order_notes,download_permissions,line_item_1,line_item_2
501,501,2025-05-02 14:30:00,2025-05-02 14:31:00,wc-completed,4.50,0,0,0,3.00,2.00,0,2.00,41.50,36.00,GBP,stripe,Card,ch_1,1.2.3.4,UA,flat_rate,7,7,Bob@Example.co.uk,Bob,Brown,,bob@example.co.uk,,1 High St,,E1 6AN,London,,GB,Bob,Brown,,,1 High St,,E1 6AN,London,,GB,,,,,,code:SPRING|amount:2.00,amount:5.00|reason:damaged|date:2025-05-10,,,\"name:Sakura Tote|product_id:12|sku:TOTE-1|quantity:1|total:16.00|sub_total:18.00\",\"name:Kumo Mug|product_id:13|sku:MUG-1|quantity:2|total:18.00|sub_total:18.00\"
502,502,2025-05-03 09:00:00,,wc-cancelled,0,0,0,0,0,0,0,0,12.00,12.00,GBP,stripe,Card,,,,flat_rate,8,8,carla@example.it,Carla,Rossi,,carla@example.it,,,,20121,Milano,,IT,,,,,,,,,,IT,,,,,,,,,,\"name:Kumo Mug|product_id:13|sku:MUG-1|quantity:1|total:12.00|sub_total:12.00\",
";

fn engine(dir: &Path) -> Engine {
    Engine::open(EngineConfig {
        data_dir: Some(dir.join("data")),
        ..EngineConfig::default()
    })
    .unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn run(engine: &Engine, spec: &JobSpec) -> Job {
    let id = engine.create_job(spec).unwrap();
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(engine.run_job(id, Arc::new(|_| {})))
        .unwrap()
}

fn import(engine: &Engine, path: &Path) -> ImportedOrders {
    let job = run(
        engine,
        &JobSpec::ImportOrders {
            path: path.to_path_buf(),
            channel: None,
            mapping: None,
        },
    );
    assert_eq!(job.state, JobState::Succeeded, "{:?}", job.message);
    match job.outcome {
        Some(JobOutcome::ImportOrders { imported, .. }) => imported,
        other => panic!("{other:?}"),
    }
}

/// One order as the store holds it.
#[derive(Debug, PartialEq)]
struct Stored {
    channel: String,
    created_at: String,
    currency: String,
    items: i64,
    discount: i64,
    shipping: i64,
    taxes: i64,
    total: i64,
    refunded: i64,
    lines: i64,
    customer: String,
    cancelled: bool,
}

fn stored(dir: &Path, channel: &str, name: &str) -> Stored {
    let conn = rusqlite::Connection::open(dir.join("data/tradewind.db")).unwrap();
    conn.query_row(
        "SELECT channel, created_at, currency, items_minor, discount_minor, shipping_minor, taxes_minor,
                total_minor, refunded_minor,
                (SELECT count(*) FROM order_lines WHERE order_id = orders.id), customer_key,
                cancelled_at IS NOT NULL
         FROM orders WHERE channel = ?1 AND name = ?2",
        (channel, name),
        |row| {
            Ok(Stored {
                channel: row.get(0)?,
                created_at: row.get(1)?,
                currency: row.get(2)?,
                items: row.get(3)?,
                discount: row.get(4)?,
                shipping: row.get(5)?,
                taxes: row.get(6)?,
                total: row.get(7)?,
                refunded: row.get(8)?,
                lines: row.get(9)?,
                customer: row.get(10)?,
                cancelled: row.get(11)?,
            })
        },
    )
    .unwrap_or_else(|error| panic!("{channel} {name}: {error}"))
}

fn count(dir: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("data/tradewind.db")).unwrap();
    conn.query_row(sql, [], |row| row.get(0)).unwrap()
}

#[test]
fn each_channels_export_imports_in_its_own_layout() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());

    let shopify = write(
        dir.path(),
        "orders_export_1.csv",
        SHOPIFY_EUROPEAN.as_bytes(),
    );
    assert_eq!(
        engine.preview_orders_file(&shopify).unwrap().layout,
        Layout::ShopifyOrders
    );
    let imported = import(&engine, &shopify);
    assert_eq!((imported.orders, imported.lines), (2, 3));
    let ana = stored(dir.path(), "shopify", "#1001");
    assert_eq!(
        (
            ana.created_at.as_str(),
            ana.currency.as_str(),
            ana.items,
            ana.total,
            ana.lines
        ),
        ("2025-01-10T09:00:00Z", "EUR", 4000, 4500, 2)
    );
    assert_eq!(ana.customer, "email:ana.lopez@example.com");
    let ken = stored(dir.path(), "shopify", "#1002");
    assert_eq!(
        (ken.currency.as_str(), ken.items, ken.total),
        ("JPY", 3000, 3800),
        "yen have no minor unit"
    );

    // Etsy: the items file, then the orders file joined onto it by Order ID.
    let items = write(
        dir.path(),
        "EtsySoldOrderItems2025-3.csv",
        ETSY_ITEMS.as_bytes(),
    );
    assert_eq!(import(&engine, &items).orders, 2);
    let orders = write(
        dir.path(),
        "EtsySoldOrders2025-3.csv",
        ETSY_ORDERS.as_bytes(),
    );
    assert_eq!(
        engine.preview_orders_file(&orders).unwrap().layout,
        Layout::EtsySoldOrders
    );
    assert_eq!(import(&engine, &orders).orders, 2);
    let mika = stored(dir.path(), "etsy", "3001");
    assert_eq!(
        (
            mika.created_at.as_str(),
            mika.items,
            mika.shipping,
            mika.total,
            mika.refunded,
            mika.lines
        ),
        ("2025-03-14T00:00:00Z", 4600, 500, 5100, 1000, 2),
        "the lines from one file, the refund from the other"
    );
    assert_eq!(mika.customer, "etsy:mika_k");

    // A UK download in Windows-1252: days first, "Delivery" columns, a name with ë.
    let mut uk = Vec::new();
    for c in ETSY_ITEMS_UK.chars() {
        match c {
            'ë' => uk.push(0xEB),
            '£' => uk.push(0xA3),
            _ => uk.push(c as u8),
        }
    }
    let uk = write(dir.path(), "EtsySoldOrderItems-uk.csv", &uk);
    assert_eq!(import(&engine, &uk).orders, 1);
    let zoe = stored(dir.path(), "etsy", "4001");
    assert_eq!(
        (
            zoe.created_at.as_str(),
            zoe.currency.as_str(),
            zoe.items,
            zoe.shipping
        ),
        ("2025-03-14T00:00:00Z", "GBP", 1800, 320)
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM orders WHERE buyer_name = 'Zoë W'"
        ),
        1
    );

    let amazon = write(dir.path(), "All Orders.txt", AMAZON.as_bytes());
    assert_eq!(import(&engine, &amazon).lines, 3);
    let first = stored(dir.path(), "amazon", "111-0000001-0000001");
    assert_eq!(
        (
            first.items,
            first.discount,
            first.shipping,
            first.taxes,
            first.total,
            first.lines
        ),
        (4900, 500, 400, 392, 5192, 2),
        "an Amazon order's amounts add up over its item rows"
    );
    assert_eq!(first.customer, "order:amazon:111-0000001-0000001");
    assert!(stored(dir.path(), "amazon", "111-0000002-0000002").cancelled);

    let ebay = write(dir.path(), "eBay-OrdersReport.csv", EBAY.as_bytes());
    let imported = import(&engine, &ebay);
    assert_eq!(
        (imported.orders, imported.lines, imported.skipped_rows),
        (2, 3, 2)
    );
    let ana_ebay = stored(dir.path(), "ebay", "12-34567-89012");
    assert_eq!(
        (
            ana_ebay.currency.as_str(),
            ana_ebay.items,
            ana_ebay.shipping,
            ana_ebay.total,
            ana_ebay.lines
        ),
        ("EUR", 3000, 600, 3600, 2)
    );
    assert_eq!(
        ana_ebay.customer, ana.customer,
        "the same e-mail in other case and spacing"
    );
    assert_eq!(stored(dir.path(), "ebay", "23-45678-90123").currency, "GBP");

    let woo = write(dir.path(), "woocommerce-orders.csv", WOOCOMMERCE.as_bytes());
    assert_eq!(import(&engine, &woo).orders, 2);
    let bob = stored(dir.path(), "woocommerce", "501");
    assert_eq!(
        (
            bob.items,
            bob.discount,
            bob.shipping,
            bob.taxes,
            bob.total,
            bob.refunded,
            bob.lines
        ),
        (3600, 200, 450, 300, 4150, 500, 2)
    );
    assert_eq!(bob.customer, "email:bob@example.co.uk");
    assert_eq!(
        stored(dir.path(), "ebay", "23-45678-90123").customer,
        bob.customer
    );
    assert!(stored(dir.path(), "woocommerce", "502").cancelled);

    assert_eq!(
        count(
            dir.path(),
            "SELECT count(DISTINCT customer_key) FROM orders WHERE customer_key LIKE 'email:%'"
        ),
        4,
        "Ana (Shopify, eBay), Ken, Bob (eBay, WooCommerce) and Carla"
    );
}

#[test]
fn an_overlapping_export_updates_its_orders_and_a_bad_row_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let january = write(dir.path(), "january.csv", SHOPIFY_EUROPEAN.as_bytes());
    import(&engine, &january);
    // A later export with #1002 again (now refunded) and a new #1003.
    let later = SHOPIFY_EUROPEAN
        .lines()
        .filter(|line| !line.starts_with("#1001"))
        .map(|line| line.replace(";3800;;0;1;Kumo Mug;3000;MUG-1;Ken Sato;150-0001;JP;0;", ";3800;;0;1;Kumo Mug;3000;MUG-1;Ken Sato;150-0001;JP;3800;"))
        .chain(["#1003;lea@example.fr;paid;2025-02-10 12:00:00 +0100;EUR;20,00;0,00;0,00;20,00;;0,00;1;Kumo Mug;20,00;MUG-1;Léa;75011;FR;0,00;".to_string()])
        .collect::<Vec<_>>()
        .join("\r\n");
    let february = write(dir.path(), "february.csv", later.as_bytes());
    import(&engine, &february);
    assert_eq!(
        count(dir.path(), "SELECT count(*) FROM orders"),
        3,
        "#1002 once"
    );
    assert_eq!(stored(dir.path(), "shopify", "#1002").refunded, 3800);
    assert_eq!(stored(dir.path(), "shopify", "#1002").lines, 1);
    // Importing the first file again changes nothing more.
    import(&engine, &january);
    assert_eq!(count(dir.path(), "SELECT count(*) FROM orders"), 3);
    assert_eq!(count(dir.path(), "SELECT count(*) FROM order_lines"), 4);

    // A malformed row: one sentence with its row and column, and the store as it was.
    let broken = AMAZON.replace("\tUSD\t24.00\t", "\tUSD\t24,0x\t");
    let broken = write(dir.path(), "broken.txt", broken.as_bytes());
    let message = failure(&engine, &broken, None);
    assert!(
        message.contains("broken.txt, row 3, column 'item-price'"),
        "{message}"
    );
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM orders WHERE channel = 'amazon'"
        ),
        0
    );

    // A file of another channel than the one asked for is refused.
    let message = failure(&engine, &january, Some(tradewind::analytics::Channel::Etsy));
    assert!(
        message.contains("january.csv is Shopify orders export, not an export of etsy"),
        "{message}"
    );
}

#[test]
fn a_malformed_row_anywhere_in_a_large_export_changes_nothing() {
    // Large enough that the rows are checked by two threads: the reader up to the middle
    // of the file, another thread from there on.
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let mut lines = vec![
        "Name,Email,Financial Status,Created at,Currency,Total,Lineitem quantity,Lineitem name,Lineitem price"
            .to_string(),
    ];
    for order in 1..=3000 {
        lines.push(format!(
            "#{order},buyer{order}@example.com,paid,2025-03-01 10:00:00 +0000,EUR,30.00,1,Sakura Tote,20.00"
        ));
        lines.push(format!("#{order},,,,,,1,Kumo Mug,10.00"));
    }
    let path = write(dir.path(), "orders.csv", lines.join("\n").as_bytes());
    assert_eq!(import(&engine, &path).orders, 3000);
    let totals = "SELECT count(*) * 1000000 + sum(total_minor) FROM orders";
    let before = (
        count(dir.path(), totals),
        count(dir.path(), "SELECT count(*) FROM order_lines"),
    );
    for at in [150, 2900, 3050, 5900] {
        let mut broken = lines.clone();
        broken[at] = broken[at].replace(",10.00", ",10.0x");
        write(dir.path(), "orders.csv", broken.join("\n").as_bytes());
        let message = failure(&engine, &path, None);
        let row = format!("orders.csv, row {}, column 'Lineitem price'", at + 1);
        assert!(message.contains(&row), "{at}: {message}");
        assert_eq!(
            (
                count(dir.path(), totals),
                count(dir.path(), "SELECT count(*) FROM order_lines")
            ),
            before,
            "a malformed row at line {} left the store as it was",
            at + 1
        );
    }
}

/// The sentence an import that fails ends with.
fn failure(engine: &Engine, path: &Path, channel: Option<tradewind::analytics::Channel>) -> String {
    let id = engine
        .create_job(&JobSpec::ImportOrders {
            path: path.to_path_buf(),
            channel,
            mapping: None,
        })
        .unwrap();
    let result = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(engine.run_job(id, Arc::new(|_| {})));
    let job = engine
        .jobs()
        .unwrap()
        .into_iter()
        .find(|job| job.id == id)
        .unwrap();
    assert_eq!(job.state, JobState::Failed);
    result
        .err()
        .map(|error| error.to_string())
        .unwrap_or_default()
}

#[test]
fn an_etsy_buyer_becomes_a_shopify_customer_only_when_the_seller_confirms_it() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    // Mika bought on Shopify with an e-mail, and on Etsy as mika_k ("Mika K", 97205); so
    // did Jo (jo_p, "Jo P", 78701), but the seller knows them to be two people.
    let shopify = "Name,Email,Financial Status,Created at,Currency,Subtotal,Shipping,Taxes,Total,Discount Amount,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Shipping Zip,Shipping Country
#2001,mika@example.com,paid,2025-01-05 10:00:00 +0000,USD,20.00,0.00,0.00,20.00,0.00,1,Kumo Mug,20.00,MUG-1,mika  k,97 205,US
#2002,jo@example.com,paid,2025-01-06 10:00:00 +0000,USD,30.00,0.00,0.00,30.00,0.00,1,Kumo Mug,30.00,MUG-1,Jo P,'78701,US
";
    import(
        &engine,
        &write(dir.path(), "orders_export.csv", shopify.as_bytes()),
    );
    import(
        &engine,
        &write(
            dir.path(),
            "EtsySoldOrderItems2025-3.csv",
            ETSY_ITEMS.as_bytes(),
        ),
    );
    let customers = |engine: &Engine| {
        engine
            .dashboard(
                &tradewind::analytics::Filter::default(),
                tradewind::analytics::metrics::Granularity::Month,
            )
            .unwrap()
            .metrics
            .customers
    };
    assert_eq!(
        customers(&engine),
        4,
        "nothing is merged before the seller says so"
    );
    // Shopify writes '78701 to keep a spreadsheet from dropping leading zeros.
    assert_eq!(
        count(
            dir.path(),
            "SELECT count(*) FROM orders WHERE postal_code = '78701'"
        ),
        2
    );
    let found = engine.match_suggestions().unwrap();
    assert_eq!(
        found
            .iter()
            .map(|pair| (
                pair.customer.as_str(),
                pair.with.as_str(),
                pair.postal_code.as_str()
            ))
            .collect::<Vec<_>>(),
        [
            ("etsy:jo_p", "email:jo@example.com", "78701"),
            ("etsy:mika_k", "email:mika@example.com", "97205")
        ]
    );
    assert!(
        engine
            .decide_match("etsy:jo_p", "email:mika@example.com", true)
            .unwrap_err()
            .to_string()
            .contains("not a pair with the same name and postal code"),
        "only a suggested pair may be linked"
    );
    engine
        .decide_match("etsy:jo_p", "email:jo@example.com", false)
        .unwrap();
    assert_eq!(customers(&engine), 4, "two people stay two");
    engine
        .decide_match("etsy:mika_k", "email:mika@example.com", true)
        .unwrap();
    assert_eq!(customers(&engine), 3);
    let report = engine
        .rfm(&tradewind::analytics::Filter::default(), 10)
        .unwrap();
    let mika = report
        .customers
        .iter()
        .find(|customer| customer.customer == "email:mika@example.com")
        .unwrap();
    assert_eq!(mika.orders, 2);
    assert_eq!(mika.channels, ["shopify", "etsy"]);
    assert_eq!(mika.merged_from, ["etsy:mika_k"]);
    let orders = engine
        .orders(
            &tradewind::analytics::Filter::default(),
            Some("email:mika@example.com"),
            10,
        )
        .unwrap();
    assert_eq!(orders.len(), 2, "the profile lists the Etsy order too");
    assert!(engine.match_suggestions().unwrap().is_empty(), "asked once");
}

#[test]
fn ebay_uk_names_its_columns_its_own_way_and_may_number_a_sale_only_by_its_record() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    // eBay UK's report: lower-case names, "Post to …", "Postage and packaging", pounds;
    // the order number blank on some sales, and a summary row under the data.
    let report = "\u{feff}\r\nSales record number,Order number,Buyer username,Post to name,Post to postcode,Post to country,Item number,Item title,Custom label,Quantity,Sold for,Postage and packaging,Total price,Sale date\r\n\
1001,,alice_uk,Alice Hart,YO1 7HH,United Kingdom,3141,Sakura Tote,TOTE-1,2,£12.50,£3.20,£28.20,12-Mar-24\r\n\
1002,07-11111-22222,bob_shopper,Bob Keene,M1 1AE,United Kingdom,2718,Kumo Mug,MUG-1,1,£9.00,£2.80,£11.80,13-Mar-24\r\n\
,,,,,,,,,,,,,\r\n\
2 record(s) downloaded,,,,,,,,,,,,,\r\n";
    let path = write(
        dir.path(),
        "eBay-OrdersReport-Mar-2024.csv",
        report.as_bytes(),
    );
    let preview = engine.preview_orders_file(&path).unwrap();
    assert_eq!(preview.layout, Layout::EbayOrders);
    assert_eq!(
        preview.rows, 4,
        "the rows under the header, the blank and summary rows too"
    );
    assert_eq!(import(&engine, &path).orders, 2);
    let alice = stored(dir.path(), "ebay", "1001");
    assert_eq!(
        (
            alice.currency.as_str(),
            alice.items,
            alice.shipping,
            alice.total,
            alice.customer.as_str(),
            alice.created_at.as_str()
        ),
        (
            "GBP",
            2500,
            320,
            2820,
            "ebay:alice_uk",
            "2024-03-12T00:00:00Z"
        )
    );
    assert_eq!(stored(dir.path(), "ebay", "07-11111-22222").items, 900);
}
