//! Makes a Shopify orders export from a product catalogue: deterministic for a seed,
//! realistic in shape (repeat buyers, many countries and currencies, discounts,
//! refunds, cancellations, products bought together), and as large as a benchmark
//! needs (a million line items streams in a few seconds).

use std::collections::HashMap;
use std::io::{self, Write};

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::listings::catalogue::shopify_csv::ParsedListing;
use crate::money::format_cents;

/// The columns of Shopify's orders export, in its order.
#[rustfmt::skip]
const COLUMNS: &[&str] = &[
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total",
    "Discount Code", "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status",
    "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company", "Billing City",
    "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip", "Shipping Province",
    "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at", "Payment Method",
    "Payment Reference", "Refunded Amount", "Vendor", "Outstanding Balance", "Employee", "Location",
    "Device ID", "Id", "Tags", "Risk Level", "Source", "Lineitem discount",
    "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name", "Tax 3 Value",
    "Tax 4 Name", "Tax 4 Value", "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number",
    "Duties", "Billing Province Name", "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At",
    "Payment References",
];

pub(super) struct Market {
    pub(super) country: &'static str,
    pub(super) currency: &'static str,
    /// Local currency per US dollar.
    pub(super) rate: f64,
    /// Sales tax or VAT in basis points, and its name on the invoice.
    tax_basis_points: i64,
    tax_name: &'static str,
    pub(super) cities: &'static [(&'static str, &'static str)],
    weight: u32,
}

#[rustfmt::skip]
pub(super) const MARKETS: &[Market] = &[
    Market { country: "US", currency: "USD", rate: 1.0, tax_basis_points: 700, tax_name: "State Tax 7%", cities: &[("Portland", "97205"), ("Austin", "78701"), ("Brooklyn", "11201"), ("Denver", "80202")], weight: 28 },
    Market { country: "GB", currency: "GBP", rate: 0.79, tax_basis_points: 2000, tax_name: "VAT 20%", cities: &[("London", "E1 6AN"), ("Bristol", "BS1 4DJ"), ("Leeds", "LS1 4AP"), ("Edinburgh", "EH1 1YZ")], weight: 10 },
    Market { country: "DE", currency: "EUR", rate: 0.92, tax_basis_points: 1900, tax_name: "DE MwSt 19%", cities: &[("Berlin", "10115"), ("München", "80331"), ("Hamburg", "20095"), ("Köln", "50667")], weight: 10 },
    Market { country: "CA", currency: "CAD", rate: 1.36, tax_basis_points: 1300, tax_name: "HST 13%", cities: &[("Toronto", "M5V 2T6"), ("Vancouver", "V6B 1A1"), ("Montréal", "H2Y 1C6")], weight: 6 },
    Market { country: "FR", currency: "EUR", rate: 0.92, tax_basis_points: 2000, tax_name: "FR TVA 20%", cities: &[("Paris", "75011"), ("Lyon", "69002"), ("Nantes", "44000")], weight: 6 },
    Market { country: "AU", currency: "AUD", rate: 1.52, tax_basis_points: 1000, tax_name: "GST 10%", cities: &[("Sydney", "2000"), ("Melbourne", "3000")], weight: 5 },
    Market { country: "JP", currency: "JPY", rate: 150.0, tax_basis_points: 1000, tax_name: "JCT 10%", cities: &[("Tokyo", "150-0001"), ("Osaka", "530-0001"), ("Kyoto", "600-8001")], weight: 5 },
    Market { country: "NL", currency: "EUR", rate: 0.92, tax_basis_points: 2100, tax_name: "NL BTW 21%", cities: &[("Amsterdam", "1012 JS"), ("Utrecht", "3511 AA")], weight: 4 },
    Market { country: "ES", currency: "EUR", rate: 0.92, tax_basis_points: 2100, tax_name: "ES IVA 21%", cities: &[("Madrid", "28013"), ("Barcelona", "08002"), ("València", "46001")], weight: 3 },
    Market { country: "IT", currency: "EUR", rate: 0.92, tax_basis_points: 2200, tax_name: "IT IVA 22%", cities: &[("Milano", "20121"), ("Bologna", "40121")], weight: 3 },
    Market { country: "SE", currency: "SEK", rate: 10.5, tax_basis_points: 2500, tax_name: "SE Moms 25%", cities: &[("Stockholm", "111 20"), ("Göteborg", "411 03")], weight: 3 },
    Market { country: "PL", currency: "PLN", rate: 4.0, tax_basis_points: 2300, tax_name: "PL VAT 23%", cities: &[("Warszawa", "00-001"), ("Kraków", "31-001")], weight: 2 },
    Market { country: "CH", currency: "CHF", rate: 0.88, tax_basis_points: 810, tax_name: "CH MWST 8.1%", cities: &[("Zürich", "8001"), ("Genève", "1201")], weight: 2 },
    Market { country: "DK", currency: "DKK", rate: 6.9, tax_basis_points: 2500, tax_name: "DK Moms 25%", cities: &[("København", "1050")], weight: 1 },
    Market { country: "NO", currency: "NOK", rate: 10.7, tax_basis_points: 2500, tax_name: "NO MVA 25%", cities: &[("Oslo", "0150")], weight: 1 },
    Market { country: "NZ", currency: "NZD", rate: 1.65, tax_basis_points: 1500, tax_name: "GST 15%", cities: &[("Auckland", "1010")], weight: 1 },
    Market { country: "IE", currency: "EUR", rate: 0.92, tax_basis_points: 2300, tax_name: "IE VAT 23%", cities: &[("Dublin", "D02 X285")], weight: 1 },
    Market { country: "SG", currency: "SGD", rate: 1.35, tax_basis_points: 900, tax_name: "GST 9%", cities: &[("Singapore", "018956")], weight: 1 },
];

const FIRST_NAMES: &[&str] = &[
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Lucas",
    "Mia",
    "Leon",
    "Sofia",
    "Mateo",
    "Chloé",
    "Hugo",
    "Freya",
    "Oskar",
    "Yuki",
    "Haruto",
    "Aiko",
    "Sven",
    "Ingrid",
    "Zofia",
    "Jakub",
    "Giulia",
    "Marco",
    "Lucía",
    "Pablo",
    "Amelia",
    "Jack",
    "Isla",
    "Finn",
    "Charlotte",
    "Søren",
    "Astrid",
    "Mei",
    "Chen",
    "Priya",
    "Arjun",
];
const LAST_NAMES: &[&str] = &[
    "Smith",
    "Johnson",
    "Müller",
    "Schmidt",
    "Dubois",
    "Martin",
    "García",
    "Rossi",
    "Bianchi",
    "Jansen",
    "de Vries",
    "Andersson",
    "Nilsson",
    "Kowalski",
    "Nowak",
    "Sato",
    "Suzuki",
    "Takahashi",
    "Brown",
    "Wilson",
    "O'Brien",
    "Murphy",
    "Hansen",
    "Larsen",
    "Tan",
    "Lim",
    "Fischer",
    "Weber",
    "Moreau",
    "Costa",
    "Novak",
    "Kim",
];
const DISCOUNTS: &[(&str, i64)] = &[
    ("WELCOME10", 10),
    ("SPRING15", 15),
    ("LOYAL20", 20),
    ("FREESHIP", 0),
];

/// How many orders to make, from when, over how long, with which seed.
#[derive(Debug, Clone)]
pub struct OrdersPlan {
    pub orders: u64,
    pub seed: u64,
    pub first_day: NaiveDate,
    pub days: u32,
}

impl OrdersPlan {
    /// The plan behind `assets/demo/orders_export_1.csv`: two years, 2 000 orders.
    pub fn demo() -> OrdersPlan {
        OrdersPlan {
            orders: 2000,
            seed: 2024,
            first_day: NaiveDate::from_ymd_opt(2024, 11, 1).unwrap_or_default(),
            days: 730,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratedOrders {
    pub orders: u64,
    pub lines: u64,
}

pub(super) struct Customer {
    pub(super) first: &'static str,
    pub(super) last: &'static str,
    pub(super) email: String,
    pub(super) market: &'static Market,
    pub(super) city: (&'static str, &'static str),
    pub(super) street: String,
    accepts_marketing: bool,
}

pub(super) struct Product<'a> {
    pub(super) vendor: &'a str,
    pub(super) name: String,
    pub(super) sku: &'a str,
    pub(super) price_usd_cents: i64,
    requires_shipping: bool,
}

/// Writes the export for `plan` into `out`; the same plan always gives the same bytes.
pub fn write_orders(
    listings: &[ParsedListing],
    plan: &OrdersPlan,
    out: impl Write,
) -> io::Result<GeneratedOrders> {
    let products = products(listings);
    if products.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the catalogue has no priced variants",
        ));
    }
    let mut by_vendor: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, product) in products.iter().enumerate() {
        by_vendor.entry(product.vendor).or_default().push(index);
    }
    let mut vendors: Vec<&str> = by_vendor.keys().copied().collect();
    vendors.sort_unstable();
    let mut rng = fastrand::Rng::with_seed(plan.seed);
    let customers = customers(&mut rng, (plan.orders * 2 / 5).max(1));
    let start = plan.first_day.and_hms_opt(0, 0, 0).unwrap_or_default();
    let span_seconds = i64::from(plan.days) * 86_400;
    let column: HashMap<&str, usize> = COLUMNS
        .iter()
        .enumerate()
        .map(|(index, name)| (*name, index))
        .collect();
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(COLUMNS).map_err(io::Error::other)?;
    let mut lines = 0;
    for number in 0..plan.orders {
        let offset =
            ((number as f64 + rng.f64()) * span_seconds as f64 / plan.orders.max(1) as f64) as i64;
        let created = start + Duration::seconds(offset);
        let buyer = (customers.len() as f64 * rng.f64().powf(1.7)) as usize;
        let customer = &customers[buyer];
        // A returning customer keeps to a maker they like, which is what the
        // recommendations should learn from their earlier orders.
        let favourite = &by_vendor[vendors[buyer % vendors.len()]];
        let items = pick_items(&mut rng, &products, &by_vendor, Some(favourite.as_slice()));
        let order = Order::price(&mut rng, customer, &products, &items, created, number);
        let mut cells = vec![String::new(); COLUMNS.len()];
        for (position, (product_index, quantity)) in items.iter().enumerate() {
            cells.iter_mut().for_each(String::clear);
            let product = &products[*product_index];
            let mut set = |name: &str, value: String| {
                if let Some(index) = column.get(name) {
                    cells[*index] = value;
                }
            };
            set("Name", order.name.clone());
            set("Email", customer.email.clone());
            set("Lineitem quantity", quantity.to_string());
            set("Lineitem name", product.name.clone());
            set("Lineitem price", format_cents(order.unit_prices[position]));
            set("Lineitem sku", product.sku.to_string());
            set(
                "Lineitem requires shipping",
                product.requires_shipping.to_string(),
            );
            set("Lineitem taxable", "true".into());
            set(
                "Lineitem fulfillment status",
                order.line_fulfillment.to_string(),
            );
            set("Lineitem discount", "0.00".into());
            if position == 0 {
                order.fill_first_row(customer, product, &mut set);
            }
            writer.write_record(&cells).map_err(io::Error::other)?;
            lines += 1;
        }
    }
    writer.flush()?;
    Ok(GeneratedOrders {
        orders: plan.orders,
        lines,
    })
}

pub(super) fn products(listings: &[ParsedListing]) -> Vec<Product<'_>> {
    listings
        .iter()
        .flat_map(|listing| {
            listing.variants.iter().filter_map(move |variant| {
                let price_usd_cents = variant.price_cents?;
                let name = if variant.options.is_empty() {
                    listing.title.clone()
                } else {
                    let values: Vec<&str> = variant
                        .options
                        .split(" / ")
                        .map(|option| option.split_once(": ").map_or(option, |(_, value)| value))
                        .collect();
                    format!("{} - {}", listing.title, values.join(" / "))
                };
                Some(Product {
                    vendor: &listing.vendor,
                    name,
                    sku: &variant.sku,
                    price_usd_cents,
                    requires_shipping: listing.product_type != "Gift card",
                })
            })
        })
        .collect()
}

pub(super) fn customers(rng: &mut fastrand::Rng, count: u64) -> Vec<Customer> {
    let total_weight: u32 = MARKETS.iter().map(|market| market.weight).sum();
    (0..count)
        .map(|number| {
            let mut ticket = rng.u32(0..total_weight);
            let market = MARKETS
                .iter()
                .find(|market| {
                    if ticket < market.weight {
                        true
                    } else {
                        ticket -= market.weight;
                        false
                    }
                })
                .unwrap_or(&MARKETS[0]);
            let first = FIRST_NAMES[rng.usize(..FIRST_NAMES.len())];
            let last = LAST_NAMES[rng.usize(..LAST_NAMES.len())];
            let local: String = format!("{first}.{last}")
                .to_lowercase()
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            Customer {
                first,
                last,
                email: format!("{local}{number}@example.com"),
                market,
                city: market.cities[rng.usize(..market.cities.len())],
                street: format!("{} Market Street", rng.u32(1..240)),
                accepts_marketing: rng.u8(..10) < 4,
            }
        })
        .collect()
}

/// One to four different products; the second often from the first one's maker, which
/// is what "frequently bought together" should find; the first often from the buyer's
/// `favourite` maker's products where they have one.
pub(super) fn pick_items(
    rng: &mut fastrand::Rng,
    products: &[Product<'_>],
    by_vendor: &HashMap<&str, Vec<usize>>,
    favourite: Option<&[usize]>,
) -> Vec<(usize, i64)> {
    let count = match rng.u8(..100) {
        0..55 => 1,
        55..85 => 2,
        85..96 => 3,
        _ => 4,
    };
    let mut items: Vec<(usize, i64)> = Vec::with_capacity(count);
    while items.len() < count {
        let candidate = match items.first() {
            Some((first, _)) if rng.bool() => {
                let siblings = &by_vendor[products[*first].vendor];
                siblings[rng.usize(..siblings.len())]
            }
            None => match favourite {
                Some(liked) if !liked.is_empty() && rng.u8(..100) < 60 => {
                    liked[rng.usize(..liked.len())]
                }
                _ => rng.usize(..products.len()),
            },
            _ => rng.usize(..products.len()),
        };
        if items.iter().any(|(index, _)| *index == candidate) {
            if items.len() == products.len() {
                break;
            }
            continue;
        }
        let quantity = match rng.u8(..100) {
            0..80 => 1,
            80..95 => 2,
            _ => 3,
        };
        items.push((candidate, quantity));
    }
    items
}

struct Order {
    name: String,
    id: u64,
    created: NaiveDateTime,
    currency: &'static str,
    unit_prices: Vec<i64>,
    subtotal: i64,
    shipping: i64,
    taxes: i64,
    total: i64,
    discount_code: &'static str,
    discount: i64,
    financial_status: &'static str,
    refunded: i64,
    cancelled: bool,
    fulfilled: bool,
    line_fulfillment: &'static str,
    tax_name: &'static str,
    payment_method: &'static str,
}

impl Order {
    fn price(
        rng: &mut fastrand::Rng,
        customer: &Customer,
        products: &[Product<'_>],
        items: &[(usize, i64)],
        created: NaiveDateTime,
        number: u64,
    ) -> Order {
        let market = customer.market;
        // Yen have no minor unit: amounts in JPY are whole yen.
        let whole_units = |cents: i64| {
            if market.currency == "JPY" {
                (cents + 50) / 100 * 100
            } else {
                cents
            }
        };
        let local = |usd_cents: i64| whole_units((usd_cents as f64 * market.rate).round() as i64);
        let unit_prices: Vec<i64> = items
            .iter()
            .map(|(index, _)| local(products[*index].price_usd_cents))
            .collect();
        let subtotal: i64 = items
            .iter()
            .zip(&unit_prices)
            .map(|((_, quantity), price)| quantity * price)
            .sum();
        let subtotal_usd: i64 = items
            .iter()
            .map(|(index, quantity)| quantity * products[*index].price_usd_cents)
            .sum();
        let mut shipping = match (subtotal_usd >= 7500, market.country) {
            (true, _) => 0,
            (false, "US") => local(490),
            (false, _) => local(990),
        };
        let (discount_code, discount) = if rng.u8(..100) < 12 {
            let (code, percent) = DISCOUNTS[rng.usize(..DISCOUNTS.len())];
            if percent == 0 {
                let waived = shipping;
                shipping = 0;
                (code, waived)
            } else {
                (code, whole_units(subtotal * percent / 100))
            }
        } else {
            ("", 0)
        };
        let discounted = if discount_code == "FREESHIP" {
            subtotal
        } else {
            subtotal - discount
        };
        let taxes = whole_units(discounted * market.tax_basis_points / 10_000);
        let total = discounted + shipping + taxes;
        let (financial_status, refunded, cancelled) = match rng.u8(..100) {
            0..3 => ("refunded", total, false),
            3..6 => ("partially_refunded", unit_prices[0], false),
            6 => ("voided", 0, true),
            _ => ("paid", 0, false),
        };
        let fulfilled = !cancelled && rng.u8(..100) < 97;
        Order {
            name: format!("#{}", 1001 + number),
            id: 5_100_000_000_000 + number * 37,
            created,
            currency: market.currency,
            unit_prices,
            subtotal,
            shipping,
            taxes,
            total,
            discount_code,
            discount,
            financial_status,
            refunded,
            cancelled,
            fulfilled,
            line_fulfillment: if fulfilled { "fulfilled" } else { "pending" },
            tax_name: market.tax_name,
            payment_method: if number.is_multiple_of(5) {
                "PayPal Express Checkout"
            } else {
                "Shopify Payments"
            },
        }
    }

    fn fill_first_row(
        &self,
        customer: &Customer,
        product: &Product<'_>,
        set: &mut impl FnMut(&str, String),
    ) {
        let stamp = |at: NaiveDateTime| at.format("%Y-%m-%d %H:%M:%S +0000").to_string();
        let market = customer.market;
        let full_name = format!("{} {}", customer.first, customer.last);
        set("Financial Status", self.financial_status.into());
        set(
            "Paid at",
            if self.cancelled {
                String::new()
            } else {
                stamp(self.created + Duration::minutes(1))
            },
        );
        set(
            "Fulfillment Status",
            if self.fulfilled {
                "fulfilled"
            } else {
                "unfulfilled"
            }
            .into(),
        );
        if self.fulfilled {
            set("Fulfilled at", stamp(self.created + Duration::hours(30)));
        }
        set(
            "Accepts Marketing",
            if customer.accepts_marketing {
                "yes"
            } else {
                "no"
            }
            .into(),
        );
        set("Currency", self.currency.into());
        set("Subtotal", format_cents(self.subtotal));
        set("Shipping", format_cents(self.shipping));
        set("Taxes", format_cents(self.taxes));
        set("Total", format_cents(self.total));
        set("Discount Code", self.discount_code.into());
        set("Discount Amount", format_cents(self.discount));
        set(
            "Shipping Method",
            if self.shipping == 0 {
                "Free shipping"
            } else {
                "Standard"
            }
            .into(),
        );
        set("Created at", stamp(self.created));
        for side in ["Billing", "Shipping"] {
            set(&format!("{side} Name"), full_name.clone());
            set(&format!("{side} Street"), customer.street.clone());
            set(&format!("{side} Address1"), customer.street.clone());
            set(&format!("{side} City"), customer.city.0.into());
            set(&format!("{side} Zip"), customer.city.1.into());
            set(&format!("{side} Country"), market.country.into());
        }
        if self.cancelled {
            set("Cancelled at", stamp(self.created + Duration::hours(2)));
        }
        set("Payment Method", self.payment_method.into());
        set("Payment Reference", format!("c{}.1", self.id));
        set("Refunded Amount", format_cents(self.refunded));
        set("Vendor", product.vendor.into());
        set("Outstanding Balance", "0.00".into());
        set("Id", self.id.to_string());
        set("Risk Level", "Low".into());
        set("Source", "web".into());
        set("Tax 1 Name", self.tax_name.into());
        set("Tax 1 Value", format_cents(self.taxes));
        set("Payment ID", format!("c{}.1", self.id));
        set("Payment References", format!("c{}.1", self.id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::listings::catalogue::shopify_csv;

    fn demo_listings() -> Vec<ParsedListing> {
        shopify_csv::read(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/products.csv"),
        )
        .unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes_and_another_seed_does_not() {
        let listings = demo_listings();
        let plan = OrdersPlan {
            orders: 50,
            ..OrdersPlan::demo()
        };
        let make = |plan: &OrdersPlan| {
            let mut bytes = Vec::new();
            write_orders(&listings, plan, &mut bytes).unwrap();
            bytes
        };
        assert_eq!(make(&plan), make(&plan));
        assert_ne!(
            make(&plan),
            make(&OrdersPlan {
                seed: 7,
                ..plan.clone()
            })
        );
    }

    #[test]
    fn every_order_adds_up() {
        let listings = demo_listings();
        let mut bytes = Vec::new();
        let made = write_orders(
            &listings,
            &OrdersPlan {
                orders: 300,
                ..OrdersPlan::demo()
            },
            &mut bytes,
        )
        .unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header = reader.headers().unwrap().clone();
        let at = |name: &str| header.iter().position(|column| column == name).unwrap();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len() as u64, made.lines);
        let amount = |record: &csv::StringRecord, name: &str| {
            crate::money::parse_cents(&record[at(name)]).unwrap()
        };
        let mut orders = 0;
        for record in records
            .iter()
            .filter(|record| !record[at("Created at")].is_empty())
        {
            orders += 1;
            let expected = amount(record, "Subtotal")
                - amount(record, "Discount Amount")
                    * i64::from(&record[at("Discount Code")] != "FREESHIP")
                + amount(record, "Shipping")
                + amount(record, "Taxes");
            assert_eq!(
                amount(record, "Total"),
                expected,
                "order {}",
                &record[at("Name")]
            );
        }
        assert_eq!(orders, 300);
    }
}
