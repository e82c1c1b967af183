//! The demo shop's other channels: Etsy's two sales downloads, Amazon's All Orders
//! report and eBay's Seller Hub orders report, made from the same catalogue over the same
//! two years, in each channel's own layout. Some eBay buyers are Shopify customers (their
//! e-mail in other case and spacing), so the dashboard shows customers across channels;
//! some Etsy buyers are too, found only by their name and postal code (for the seller to
//! confirm).
//! Deterministic: the same plan always gives the same bytes.

use std::collections::HashMap;
use std::io;

use chrono::{Duration, NaiveDateTime};

use super::generator::{
    Customer, MARKETS, Market, OrdersPlan, Product, customers, pick_items, products,
};
use crate::listings::catalogue::shopify_csv::ParsedListing;
use crate::money::format_minor;

/// The files, as bytes.
pub struct ChannelFiles {
    pub etsy_items: Vec<u8>,
    pub etsy_orders: Vec<u8>,
    pub amazon: Vec<u8>,
    pub ebay: Vec<u8>,
}

/// How many orders each channel gets, for the demo plan's 2 000 Shopify orders.
const ETSY_ORDERS: u64 = 240;
const AMAZON_ORDERS: u64 = 300;
const EBAY_ORDERS: u64 = 180;

const ETSY_ITEMS_COLUMNS: &[&str] = &[
    "Sale Date",
    "Item Name",
    "Buyer",
    "Quantity",
    "Price",
    "Coupon Code",
    "Coupon Details",
    "Discount Amount",
    "Shipping Discount",
    "Order Shipping",
    "Order Sales Tax",
    "Item Total",
    "Currency",
    "Transaction ID",
    "Listing ID",
    "Date Paid",
    "Date Shipped",
    "Ship Name",
    "Ship Address1",
    "Ship Address2",
    "Ship City",
    "Ship State",
    "Ship Zipcode",
    "Ship Country",
    "Order ID",
    "Variations",
    "Order Type",
    "Listings Type",
    "Payment Type",
    "InPerson Discount",
    "InPerson Location",
    "VAT Paid by Buyer",
    "SKU",
];

const ETSY_ORDERS_COLUMNS: &[&str] = &[
    "Sale Date",
    "Order ID",
    "Buyer User ID",
    "Full Name",
    "First Name",
    "Last Name",
    "Number of Items",
    "Payment Method",
    "Date Shipped",
    "Street 1",
    "Street 2",
    "Ship City",
    "Ship State",
    "Ship Zipcode",
    "Ship Country",
    "Currency",
    "Order Value",
    "Coupon Code",
    "Coupon Details",
    "Discount Amount",
    "Shipping Discount",
    "Shipping",
    "Sales Tax",
    "Order Total",
    "Status",
    "Card Processing Fees",
    "Order Net",
    "Adjusted Order Total",
    "Adjusted Card Processing Fees",
    "Adjusted Net Order Amount",
    "Buyer",
    "Order Type",
    "Payment Type",
    "InPerson Discount",
    "InPerson Location",
    "SKU",
];

const AMAZON_COLUMNS: &[&str] = &[
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "url",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
];

const EBAY_COLUMNS: &[&str] = &[
    "Sales Record Number",
    "Order Number",
    "Buyer Username",
    "Buyer Name",
    "Buyer Email",
    "Buyer Note",
    "Buyer Address 1",
    "Buyer City",
    "Buyer Zip",
    "Buyer Country",
    "Ship To Name",
    "Ship To Zip",
    "Ship To Country",
    "Item Number",
    "Item Title",
    "Custom Label",
    "Quantity",
    "Sold For",
    "Shipping And Handling",
    "eBay Collected Tax",
    "Total Price",
    "Payment Method",
    "Sale Date",
    "Paid On Date",
    "Shipped On Date",
    "Transaction ID",
];

/// A row filled by column name.
struct Row<'a> {
    columns: &'a [&'a str],
    cells: Vec<String>,
}

impl<'a> Row<'a> {
    fn new(columns: &'a [&'a str]) -> Row<'a> {
        Row {
            columns,
            cells: vec![String::new(); columns.len()],
        }
    }

    fn set(&mut self, name: &str, value: impl Into<String>) -> &mut Self {
        if let Some(index) = self.columns.iter().position(|column| *column == name) {
            self.cells[index] = value.into();
        }
        self
    }
}

fn writer(delimiter: u8) -> csv::Writer<Vec<u8>> {
    // Ragged rows too: eBay's title and summary rows are shorter than its header.
    csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(Vec::new())
}

fn bytes(writer: csv::Writer<Vec<u8>>) -> io::Result<Vec<u8>> {
    writer
        .into_inner()
        .map_err(|error| io::Error::other(error.to_string()))
}

/// When order `number` of `count` over the plan's days was placed.
fn placed(rng: &mut fastrand::Rng, plan: &OrdersPlan, number: u64, count: u64) -> NaiveDateTime {
    let start = plan.first_day.and_hms_opt(0, 0, 0).unwrap_or_default();
    let span = i64::from(plan.days) * 86_400;
    start + Duration::seconds(((number as f64 + rng.f64()) * span as f64 / count as f64) as i64)
}

/// A price in `market`'s currency, from US cents: whole units of currencies that have no cents.
fn local(market: &Market, usd_cents: i64) -> i64 {
    let cents = (usd_cents as f64 * market.rate).round() as i64;
    if crate::money::minor_digits(market.currency) == 0 {
        (cents + 50) / 100
    } else {
        cents
    }
}

fn market(country: &str) -> &'static Market {
    MARKETS
        .iter()
        .find(|market| market.country == country)
        .unwrap_or(&MARKETS[0])
}

fn items(rng: &mut fastrand::Rng, products: &[Product<'_>]) -> Vec<(usize, i64)> {
    let mut by_vendor: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, product) in products.iter().enumerate() {
        by_vendor.entry(product.vendor).or_default().push(index);
    }
    pick_items(rng, products, &by_vendor, None)
}

fn etsy(
    rng: &mut fastrand::Rng,
    plan: &OrdersPlan,
    products: &[Product<'_>],
    shopify_customers: &[Customer],
) -> io::Result<(Vec<u8>, Vec<u8>)> {
    // (username, name, market, city); one in twelve is a Shopify customer under another
    // name, whom only their name and postal code give away.
    let buyers: Vec<(String, String, &Market, (&str, &str))> = (0..ETSY_ORDERS / 2)
        .map(|number| {
            let username = format!("etsybuyer{number:03}");
            if number % 12 == 5
                && let Some(known) = shopify_customers.get(number as usize / 12)
            {
                let name = format!("{} {}", known.first, known.last);
                return (username, name, known.market, known.city);
            }
            let country = ["US", "US", "US", "GB", "CA", "AU", "DE"][rng.usize(..7)];
            let first = ["Mika", "Jo", "Sam", "Ali", "Noor", "Rene", "Kai", "Ines"][rng.usize(..8)];
            let last = [
                "Kowalski", "Park", "Nguyen", "Silva", "Haddad", "Weber", "Okafor",
            ][rng.usize(..7)];
            let buyer_market = market(country);
            (
                username,
                format!("{first} {last}"),
                buyer_market,
                buyer_market.cities[0],
            )
        })
        .collect();
    let mut items_file = writer(b',');
    items_file
        .write_record(ETSY_ITEMS_COLUMNS)
        .map_err(io::Error::other)?;
    let mut orders_file = writer(b',');
    orders_file
        .write_record(ETSY_ORDERS_COLUMNS)
        .map_err(io::Error::other)?;
    let usd = market("US");
    for number in 0..ETSY_ORDERS {
        let day = placed(rng, plan, number, ETSY_ORDERS)
            .format("%m/%d/%y")
            .to_string();
        let (buyer, name, buyer_market, city) =
            &buyers[(buyers.len() as f64 * rng.f64().powf(1.5)) as usize];
        let order_id = (2_900_000_000 + number * 13).to_string();
        let chosen = items(rng, products);
        let shipping = if buyer_market.country == "US" {
            450
        } else {
            1200
        };
        let mut value = 0;
        for (position, (index, quantity)) in chosen.iter().enumerate() {
            let product = &products[*index];
            let price = local(usd, product.price_usd_cents * 11 / 10);
            value += price * quantity;
            let mut row = Row::new(ETSY_ITEMS_COLUMNS);
            row.set("Sale Date", day.clone())
                .set("Item Name", product.name.clone())
                .set("Buyer", buyer.clone())
                .set("Quantity", quantity.to_string())
                .set("Price", format_minor(price, "USD"))
                .set("Discount Amount", "0")
                .set("Shipping Discount", "0")
                .set("Order Shipping", format_minor(shipping, "USD"))
                .set("Order Sales Tax", "0.00")
                .set("Item Total", format_minor(price * quantity, "USD"))
                .set("Currency", "USD")
                .set(
                    "Transaction ID",
                    (4_100_000_000 + number * 7 + position as u64).to_string(),
                )
                .set("Listing ID", (1_500_000_000 + *index as u64).to_string())
                .set("Ship Name", name.clone())
                .set("Ship City", city.0)
                .set("Ship Zipcode", city.1)
                .set("Ship Country", buyer_market.country)
                .set("Order ID", order_id.clone())
                .set("Order Type", "online")
                .set("Listings Type", "listing")
                .set("Payment Type", "online_cc")
                .set("SKU", product.sku);
            items_file
                .write_record(&row.cells)
                .map_err(io::Error::other)?;
        }
        let total = value + shipping;
        let adjusted = if rng.u8(..100) < 5 {
            total - value / 2
        } else {
            total
        };
        let mut row = Row::new(ETSY_ORDERS_COLUMNS);
        row.set("Sale Date", day)
            .set("Order ID", order_id)
            .set("Buyer User ID", (80_000_000 + number).to_string())
            .set("Full Name", name.clone())
            .set(
                "Number of Items",
                chosen
                    .iter()
                    .map(|(_, quantity)| quantity)
                    .sum::<i64>()
                    .to_string(),
            )
            .set("Ship Country", buyer_market.country)
            .set("Ship Zipcode", city.1)
            .set("Currency", "USD")
            .set("Order Value", format_minor(value, "USD"))
            .set("Discount Amount", "0")
            .set("Shipping Discount", "0")
            .set("Shipping", format_minor(shipping, "USD"))
            .set("Sales Tax", "0.00")
            .set("Order Total", format_minor(total, "USD"))
            .set("Status", "Completed")
            .set(
                "Adjusted Order Total",
                if adjusted == total {
                    String::new()
                } else {
                    format_minor(adjusted, "USD")
                },
            )
            .set("Buyer", buyer.clone())
            .set("Order Type", "online")
            .set("Payment Type", "online_cc");
        orders_file
            .write_record(&row.cells)
            .map_err(io::Error::other)?;
    }
    Ok((bytes(items_file)?, bytes(orders_file)?))
}

fn amazon(
    rng: &mut fastrand::Rng,
    plan: &OrdersPlan,
    products: &[Product<'_>],
) -> io::Result<Vec<u8>> {
    let mut file = writer(b'\t');
    file.write_record(AMAZON_COLUMNS)
        .map_err(io::Error::other)?;
    let usd = market("US");
    for number in 0..AMAZON_ORDERS {
        let at = placed(rng, plan, number, AMAZON_ORDERS);
        let id = format!(
            "11{}-{:07}-{:07}",
            number % 10,
            3_000_000 + number * 31,
            5_000_000 + number * 17
        );
        let cancelled = rng.u8(..100) < 3;
        let promotion = rng.u8(..100) < 10;
        let city = usd.cities[rng.usize(..usd.cities.len())];
        for (position, (index, quantity)) in items(rng, products).into_iter().enumerate() {
            let product = &products[index];
            let price = local(usd, product.price_usd_cents) * quantity;
            let mut row = Row::new(AMAZON_COLUMNS);
            row.set("amazon-order-id", id.clone())
                .set(
                    "purchase-date",
                    at.format("%Y-%m-%dT%H:%M:%S+00:00").to_string(),
                )
                .set(
                    "last-updated-date",
                    (at + Duration::days(2))
                        .format("%Y-%m-%dT%H:%M:%S+00:00")
                        .to_string(),
                )
                .set(
                    "order-status",
                    if cancelled { "Cancelled" } else { "Shipped" },
                )
                .set("fulfillment-channel", "Amazon")
                .set("sales-channel", "Amazon.com")
                .set("ship-service-level", "Standard")
                .set("product-name", product.name.clone())
                .set("sku", product.sku)
                .set("asin", format!("B0{:08}", 10_000 + index))
                .set(
                    "item-status",
                    if cancelled { "Cancelled" } else { "Shipped" },
                )
                .set("quantity", quantity.to_string())
                .set("currency", "USD")
                .set("item-price", format_minor(price, "USD"))
                .set("item-tax", format_minor(price * 7 / 100, "USD"))
                .set(
                    "shipping-price",
                    if position == 0 { "4.99" } else { "0.00" },
                )
                .set("shipping-tax", "0.00")
                .set(
                    "item-promotion-discount",
                    if promotion && position == 0 {
                        format_minor(-(price / 10), "USD")
                    } else {
                        String::new()
                    },
                )
                .set("ship-city", city.0)
                .set("ship-postal-code", city.1)
                .set("ship-country", "US")
                .set("is-business-order", "false");
            file.write_record(&row.cells).map_err(io::Error::other)?;
        }
    }
    bytes(file)
}

/// The sign eBay's site for `currency` writes before amounts.
fn ebay_amount(minor: i64, currency: &str) -> String {
    let sign = match currency {
        "USD" => "$",
        "GBP" => "£",
        "AUD" => "AU $",
        "CAD" => "C $",
        _ => "EUR ",
    };
    format!("{sign}{}", format_minor(minor, currency))
}

fn ebay(
    rng: &mut fastrand::Rng,
    plan: &OrdersPlan,
    products: &[Product<'_>],
    shopify_emails: &[String],
) -> io::Result<Vec<u8>> {
    let mut file = writer(b',');
    // eBay writes a blank row and the report's title above its header.
    file.write_record([""]).map_err(io::Error::other)?;
    file.write_record(["Seller Hub orders report"])
        .map_err(io::Error::other)?;
    file.write_record(EBAY_COLUMNS).map_err(io::Error::other)?;
    let mut first_day = None;
    let mut last_day = None;
    for number in 0..EBAY_ORDERS {
        let at = placed(rng, plan, number, EBAY_ORDERS);
        let day = at.format("%b-%d-%y").to_string();
        first_day.get_or_insert(day.clone());
        last_day = Some(day.clone());
        // Four in ten buyers also buy on the Shopify shop, with the same e-mail written their way.
        let (email, username) = if rng.u8(..10) < 4 && !shopify_emails.is_empty() {
            let email = &shopify_emails[rng.usize(..shopify_emails.len())];
            let mut written: String = email
                .chars()
                .enumerate()
                .map(|(index, c)| {
                    if index == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            written.push(' ');
            (
                written,
                email.split('@').next().unwrap_or("buyer").replace('.', "_"),
            )
        } else {
            (
                format!("ebaybuyer{number:03}@members.ebay.com"),
                format!("ebaybuyer{number:03}"),
            )
        };
        let buyer_market = market(["US", "US", "GB", "DE", "AU", "CA", "FR"][rng.usize(..7)]);
        let currency = match buyer_market.currency {
            "USD" | "GBP" | "AUD" | "CAD" => buyer_market.currency,
            _ => "EUR",
        };
        let order = format!(
            "{:02}-{:05}-{:05}",
            10 + number % 90,
            10_000 + number * 7,
            20_000 + number * 3
        );
        let chosen = items(rng, products);
        let shipping = local(buyer_market, 650);
        let lines: Vec<(i64, &Product<'_>, i64)> = chosen
            .iter()
            .map(|(index, quantity)| {
                let product = &products[*index];
                let price = local(buyer_market, product.price_usd_cents);
                (price, product, *quantity)
            })
            .collect();
        let total = lines
            .iter()
            .map(|(price, _, quantity)| price * quantity)
            .sum::<i64>()
            + shipping;
        let record = (100 + number).to_string();
        let base = |row: &mut Row<'_>| {
            row.set("Sales Record Number", record.clone())
                .set("Order Number", order.clone())
                .set("Buyer Username", username.clone())
                .set("Buyer Email", email.clone())
                .set("Buyer City", buyer_market.cities[0].0)
                .set("Buyer Zip", buyer_market.cities[0].1)
                .set("Buyer Country", buyer_market.country)
                .set("Ship To Zip", buyer_market.cities[0].1)
                .set("Ship To Country", buyer_market.country)
                .set("Payment Method", "eBay Payments")
                .set("Sale Date", day.clone())
                .set("Paid On Date", day.clone());
        };
        let several = lines.len() > 1;
        if several {
            // An order of several items: its totals on a row of their own, then the items.
            let mut row = Row::new(EBAY_COLUMNS);
            base(&mut row);
            row.set("Shipping And Handling", ebay_amount(shipping, currency))
                .set("eBay Collected Tax", ebay_amount(0, currency))
                .set("Total Price", ebay_amount(total, currency));
            file.write_record(&row.cells).map_err(io::Error::other)?;
        }
        for (position, (price, product, quantity)) in lines.iter().enumerate() {
            let mut row = Row::new(EBAY_COLUMNS);
            base(&mut row);
            row.set(
                "Item Number",
                (330_000_000_000u64 + number * 11 + position as u64).to_string(),
            )
            .set("Item Title", product.name.clone())
            .set("Custom Label", product.sku)
            .set("Quantity", quantity.to_string())
            .set("Sold For", ebay_amount(*price, currency))
            .set(
                "Transaction ID",
                (2_700_000_000_000u64 + number * 5 + position as u64).to_string(),
            );
            if !several {
                row.set("Shipping And Handling", ebay_amount(shipping, currency))
                    .set("eBay Collected Tax", ebay_amount(0, currency))
                    .set("Total Price", ebay_amount(total, currency));
            }
            file.write_record(&row.cells).map_err(io::Error::other)?;
        }
    }
    // And summary rows under the data.
    file.write_record([""]).map_err(io::Error::other)?;
    file.write_record([
        "",
        "",
        &format!(
            "{EBAY_ORDERS} record(s) downloaded, from {} to {}",
            first_day.unwrap_or_default(),
            last_day.unwrap_or_default()
        ),
    ])
    .map_err(io::Error::other)?;
    file.write_record(["Seller ID : tradewind_demo"])
        .map_err(io::Error::other)?;
    bytes(file)
}

/// The other channels' files for `plan` (the Shopify file's plan, whose customers some
/// eBay buyers are).
pub fn write_channels(listings: &[ParsedListing], plan: &OrdersPlan) -> io::Result<ChannelFiles> {
    let products = products(listings);
    if products.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the catalogue has no priced variants",
        ));
    }
    // The Shopify generator draws its customers first from a generator of the same seed.
    let shopify_customers: Vec<Customer> = customers(
        &mut fastrand::Rng::with_seed(plan.seed),
        (plan.orders * 2 / 5).max(1),
    )
    .into_iter()
    .take(200)
    .collect();
    let shopify_emails: Vec<String> = shopify_customers
        .iter()
        .map(|customer| customer.email.clone())
        .collect();
    let mut rng = fastrand::Rng::with_seed(plan.seed.wrapping_add(1));
    let (etsy_items, etsy_orders) = etsy(&mut rng, plan, &products, &shopify_customers)?;
    let amazon = amazon(&mut rng, plan, &products)?;
    let ebay = ebay(&mut rng, plan, &products, &shopify_emails)?;
    Ok(ChannelFiles {
        etsy_items,
        etsy_orders,
        amazon,
        ebay,
    })
}
