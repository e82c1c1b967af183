//! A segment as the CSV an e-mail tool imports, in its column names (Klaviyo's profile
//! import, Mailchimp's audience import, Shopify's customer import for Shopify Email), or
//! anonymised: each customer known only by a salted SHA-256 of their e-mail (or of their
//! key where no e-mail is known, `anonymise`), with no name, e-mail or postal code.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use super::{SegmentChoice, action};
use crate::analytics::AnalyticsError;
use crate::analytics::anonymise::Anonymiser;
use crate::analytics::filter::Filter;
use crate::analytics::frame::OrdersFrame;
use crate::files::{FileError, spreadsheet_safe, write_atomically};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum EmailTool {
    Klaviyo,
    Mailchimp,
    ShopifyEmail,
}

impl EmailTool {
    pub fn named(name: &str) -> Option<EmailTool> {
        match name {
            "klaviyo" => Some(EmailTool::Klaviyo),
            "mailchimp" => Some(EmailTool::Mailchimp),
            "shopify-email" | "shopify_email" => Some(EmailTool::ShopifyEmail),
            _ => None,
        }
    }

    /// The tool's names for e-mail, first name, last name, country, postal code and tags.
    fn columns(self) -> [&'static str; 6] {
        match self {
            EmailTool::Klaviyo => [
                "Email",
                "First Name",
                "Last Name",
                "Country",
                "Zip Code",
                "Segment",
            ],
            EmailTool::Mailchimp => [
                "Email Address",
                "First Name",
                "Last Name",
                "Country",
                "Zip",
                "Tags",
            ],
            EmailTool::ShopifyEmail => [
                "Email",
                "First Name",
                "Last Name",
                "Default Address Country Code",
                "Default Address Zip",
                "Tags",
            ],
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SegmentExport {
    pub path: PathBuf,
    pub customers: u64,
    pub anonymised: bool,
}

/// Each customer's latest e-mail, buyer name, country and postal code, by key.
fn contacts(store: &Store) -> Result<HashMap<String, [String; 4]>, AnalyticsError> {
    let conn = store.connect()?;
    let mut statement = conn
        .prepare(
            "SELECT customer_key, email, buyer_name, shipping_country, postal_code
             FROM orders ORDER BY created_at",
        )
        .map_err(|error| store.error(error))?;
    let mut found = HashMap::default();
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                [row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?],
            ))
        })
        .map_err(|error| store.error(error))?;
    for row in rows {
        let (key, mut contact): (String, [String; 4]) = row.map_err(|error| store.error(error))?;
        // A later order without a name keeps the name an earlier one gave.
        if let Some(known) = found.get(&key) {
            let known: &[String; 4] = known;
            for (field, earlier) in contact.iter_mut().zip(known) {
                if field.is_empty() {
                    field.clone_from(earlier);
                }
            }
        }
        found.insert(key, contact);
    }
    Ok(found)
}

/// The product each customer ordered most often (the first of a tie), by key: what a
/// win-back or reminder offer is on.
fn favourite_products<'a>(
    frame: &'a OrdersFrame,
    filter: &Filter,
) -> Result<HashMap<&'a str, String>, AnalyticsError> {
    let mut counts: HashMap<(u32, u32), u32> = HashMap::default();
    for &order in &frame.select(filter)?.orders {
        let customer = frame.orders.customer[order as usize];
        for line in frame.orders.lines(order) {
            let product = frame.items[frame.lines.item[line] as usize].product;
            *counts.entry((customer, product)).or_default() += 1;
        }
    }
    let mut best: HashMap<u32, (u32, u32)> = HashMap::default();
    for ((customer, product), count) in counts {
        let entry = best.entry(customer).or_insert((product, count));
        if count > entry.1 || (count == entry.1 && product < entry.0) {
            *entry = (product, count);
        }
    }
    Ok(best
        .into_iter()
        .map(|(customer, (product, _))| {
            (
                &*frame.customers[customer as usize].key,
                frame.products[product as usize].2.to_string(),
            )
        })
        .collect())
}

/// The tag the e-mail tool files the customer under: the segment exported, or their
/// RFM group when every customer is.
fn tag(choice: &SegmentChoice, member: &crate::analytics::rfm::CustomerScore) -> String {
    let group = || member.group.name().to_lowercase().replace(' ', "-");
    match choice {
        SegmentChoice::All | SegmentChoice::Group(_) => format!("tradewind-{}", group()),
        SegmentChoice::Cohort(month) => format!("tradewind-cohort-{month}"),
        SegmentChoice::Suggested(product) => format!("tradewind-suggested-{product}"),
    }
}

/// Writes the customers of `choice` to `out` for `tool` (anonymised when `anonymise`,
/// else with contacts; None: the seller's last choice, which is then kept).
pub fn export(
    frame: &OrdersFrame,
    store: &Store,
    filter: &Filter,
    choice: &SegmentChoice,
    tool: EmailTool,
    anonymise: Option<bool>,
    out: &Path,
) -> Result<SegmentExport, AnalyticsError> {
    let anonymised = crate::analytics::anonymise::anonymise(store, anonymise)?;
    let (members, currency) = super::members(frame, store, filter, choice)?;
    let favourites = favourite_products(frame, filter)?;
    let contacts = contacts(store)?;
    let anonymiser = if anonymised {
        Some(Anonymiser::of(store)?)
    } else {
        None
    };
    let [email, first, last, country, postal, tags] = tool.columns();
    let value = format!("Net sales ({currency})");
    let mut header: Vec<&str> = if anonymised {
        vec!["Customer (SHA-256, salted)", country]
    } else {
        vec![email, first, last, country, postal]
    };
    header.extend([
        tags,
        "RFM group",
        "Orders",
        value.as_str(),
        "Last order",
        "Favourite product",
        "Suggested action",
    ]);
    // The shop's own words (names, products, tags) as text a spreadsheet will not run.
    let text = |value: &str| spreadsheet_safe(value);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let write = |error: csv::Error| FileError::Write {
        path: out.to_path_buf(),
        source: std::io::Error::other(error),
    };
    writer.write_record(&header).map_err(write)?;
    for member in &members {
        let empty = Default::default();
        let [mail, name, ship_to, zip] = contacts.get(&member.customer).unwrap_or(&empty);
        let mut row: Vec<String> = match &anonymiser {
            Some(anonymiser) => {
                let identity = if mail.is_empty() {
                    &member.customer
                } else {
                    mail
                };
                vec![anonymiser.hash(identity), text(ship_to)]
            }
            None => {
                let (given, family) = name.trim().split_once(' ').unwrap_or((name.trim(), ""));
                vec![
                    text(mail),
                    text(given),
                    text(family.trim()),
                    text(ship_to),
                    text(zip),
                ]
            }
        };
        row.extend([
            text(&tag(choice, member)),
            member.group.name().to_string(),
            member.orders.to_string(),
            format!("{:.2}", member.net_sales),
            member
                .last_order_at
                .get(..10)
                .unwrap_or_default()
                .to_string(),
            favourites
                .get(member.customer.as_str())
                .map(|favourite| text(favourite))
                .unwrap_or_default(),
            action(member.group).sentence().to_string(),
        ]);
        writer.write_record(&row).map_err(write)?;
    }
    let bytes = writer.into_inner().map_err(|error| FileError::Write {
        path: out.to_path_buf(),
        source: error.into_error(),
    })?;
    write_atomically(out, &bytes)?;
    Ok(SegmentExport {
        path: out.to_path_buf(),
        customers: members.len() as u64,
        anonymised,
    })
}
