//! The orders exports of each sales channel, each read in its real layout: which layout a
//! file is (from its header), and what each of its rows says of an order and its lines.
//! Amounts are parsed in the order's own currency; dates become UTC RFC 3339.

mod amazon;
pub(crate) mod dates;
mod ebay;
mod etsy;
mod mapped;
mod shopify;
mod woocommerce;

use csv::StringRecord;
use serde::{Deserialize, Serialize};

use super::order_mapping::OrderMapping;
use crate::files::{Column, CsvExport, FileError, cell};
use crate::money::{is_currency_code, parse_minor};

/// Where an order was sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Shopify,
    Etsy,
    Amazon,
    Ebay,
    #[serde(rename = "woocommerce")]
    WooCommerce,
    /// Another shop or till, whose orders come in a file of the seller's own layout.
    Other,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Shopify,
        Channel::Etsy,
        Channel::Amazon,
        Channel::Ebay,
        Channel::WooCommerce,
        Channel::Other,
    ];

    /// The name stored with each order and used in filters.
    pub fn key(self) -> &'static str {
        match self {
            Channel::Shopify => "shopify",
            Channel::Etsy => "etsy",
            Channel::Amazon => "amazon",
            Channel::Ebay => "ebay",
            Channel::WooCommerce => "woocommerce",
            Channel::Other => "other",
        }
    }

    pub fn from_key(key: &str) -> Option<Channel> {
        Channel::ALL
            .into_iter()
            .find(|channel| channel.key() == key)
    }
}

/// An orders export's layout: a channel can have more than one (Etsy's orders and their
/// items come in two files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    ShopifyOrders,
    EtsySoldOrders,
    EtsySoldOrderItems,
    AmazonAllOrders,
    EbayOrders,
    WooCommerceOrders,
    /// A file of the seller's own layout, read through the column mapping they confirm.
    OwnLayout,
}

impl Layout {
    /// The layouts known by their header.
    pub const KNOWN: [Layout; 6] = [
        Layout::ShopifyOrders,
        Layout::EtsySoldOrderItems,
        Layout::EtsySoldOrders,
        Layout::AmazonAllOrders,
        Layout::EbayOrders,
        Layout::WooCommerceOrders,
    ];

    /// The channel of the layout's files (for a file of the seller's own layout, the one
    /// its mapping names).
    pub fn channel(self) -> Channel {
        match self {
            Layout::ShopifyOrders => Channel::Shopify,
            Layout::EtsySoldOrders | Layout::EtsySoldOrderItems => Channel::Etsy,
            Layout::AmazonAllOrders => Channel::Amazon,
            Layout::EbayOrders => Channel::Ebay,
            Layout::WooCommerceOrders => Channel::WooCommerce,
            Layout::OwnLayout => Channel::Other,
        }
    }

    /// What the seller knows the file as.
    pub fn name(self) -> &'static str {
        match self {
            Layout::ShopifyOrders => "Shopify orders export",
            Layout::EtsySoldOrders => "Etsy sold orders (EtsySoldOrders)",
            Layout::EtsySoldOrderItems => "Etsy sold order items (EtsySoldOrderItems)",
            Layout::AmazonAllOrders => "Amazon All Orders report",
            Layout::EbayOrders => "eBay Seller Hub orders report",
            Layout::WooCommerceOrders => "WooCommerce orders export",
            Layout::OwnLayout => "orders file of your own layout",
        }
    }

    /// The columns that together say a header is this layout's; the first also finds
    /// the header under any title rows.
    fn signature(self) -> &'static [&'static str] {
        match self {
            Layout::ShopifyOrders => &["Name", "Created at", "Lineitem name"],
            Layout::EtsySoldOrderItems => &["Order ID", "Item Name", "Transaction ID"],
            Layout::EtsySoldOrders => &["Order ID", "Number of Items", "Order Total"],
            Layout::AmazonAllOrders => &["amazon-order-id", "purchase-date", "item-price"],
            Layout::EbayOrders => &["Sales Record Number", "Order Number", "Sold For"],
            Layout::WooCommerceOrders => &["order_id", "order_date", "order_total"],
            Layout::OwnLayout => &[],
        }
    }

    /// The column that finds the header under any title rows; the mapping's order id
    /// column for a file of the seller's own layout.
    pub fn marker(self) -> Option<&'static str> {
        self.signature().first().copied()
    }

    /// Whether an order's amounts are spread over its rows and add up (Amazon: one row
    /// per item, each with its own price, tax and shipping), rather than written once.
    pub fn amounts_add_up(self) -> bool {
        self == Layout::AmazonAllOrders
    }

    /// Whether the layout's files hold rows that are no order's, and shorter than the
    /// header: eBay's title and summary rows, and whatever a seller's own file holds.
    /// Any other layout writes every row whole, each an order's: a row cut short or
    /// without an order id is damage, not a row to skip.
    pub fn has_rows_of_no_order(self) -> bool {
        matches!(self, Layout::EbayOrders | Layout::OwnLayout)
    }
}

/// The layout whose columns `header` has, if any.
pub fn detect(header: &[String]) -> Option<Layout> {
    Layout::KNOWN.into_iter().find(|layout| {
        layout
            .signature()
            .iter()
            .all(|wanted| header.iter().any(|name| name.eq_ignore_ascii_case(wanted)))
    })
}

/// What one row says of its order, beyond its lines; None where the row is silent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderPart {
    pub created_at: Option<String>,
    pub currency: Option<String>,
    pub email: Option<String>,
    pub buyer_id: Option<String>,
    pub buyer_name: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub status: Option<String>,
    pub cancelled_at: Option<String>,
    pub discount_code: Option<String>,
}

impl OrderPart {
    /// Fills what `self` lacks from `other` (a later row of the same order).
    pub fn fill_from(&mut self, other: OrderPart) {
        let fill = |mine: &mut Option<String>, theirs: Option<String>| {
            if mine.is_none() {
                *mine = theirs;
            }
        };
        fill(&mut self.created_at, other.created_at);
        fill(&mut self.currency, other.currency);
        fill(&mut self.email, other.email);
        fill(&mut self.buyer_id, other.buyer_id);
        fill(&mut self.buyer_name, other.buyer_name);
        fill(&mut self.postal_code, other.postal_code);
        fill(&mut self.country, other.country);
        fill(&mut self.status, other.status);
        fill(&mut self.cancelled_at, other.cancelled_at);
        fill(&mut self.discount_code, other.discount_code);
    }
}

/// An order's amounts in minor units of its currency; None where the row is silent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Amounts {
    /// The items' prices times quantities, before discounts (else worked out from the lines).
    pub items: Option<i64>,
    pub discount: Option<i64>,
    pub shipping: Option<i64>,
    pub taxes: Option<i64>,
    pub total: Option<i64>,
    pub refunded: Option<i64>,
    pub subtotal: Option<i64>,
}

impl Amounts {
    /// Takes `other`'s amounts where `self` has none, or adds them up.
    pub fn merge(&mut self, other: Amounts, add_up: bool) {
        let merge = |mine: &mut Option<i64>, theirs: Option<i64>| {
            *mine = match (*mine, theirs) {
                (Some(a), Some(b)) if add_up => Some(a + b),
                (None, theirs) => theirs,
                (kept, _) => kept,
            }
        };
        merge(&mut self.items, other.items);
        merge(&mut self.discount, other.discount);
        merge(&mut self.shipping, other.shipping);
        merge(&mut self.taxes, other.taxes);
        merge(&mut self.total, other.total);
        merge(&mut self.refunded, other.refunded);
        merge(&mut self.subtotal, other.subtotal);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The channel's own id for the line (a transaction id, a SKU and position).
    pub key: String,
    pub quantity: i64,
    pub name: String,
    pub sku: String,
    pub unit_price: i64,
    pub total: i64,
}

/// One row read: whose order it is and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct RowRead {
    pub order_id: String,
    pub order: OrderPart,
    pub amounts: Amounts,
    /// The lines the row carries: one, none (an order row), or all (WooCommerce).
    pub lines: Vec<Line>,
}

/// Reads the rows of one layout.
pub trait RowReader {
    /// The order `record` is a row of, as `read` names it; empty for a row of no order.
    /// Read alone, without the rest of the row: to find where an order starts.
    fn order_id<'r>(&self, record: &'r StringRecord) -> &'r str;

    /// What `record` says; None for a row that is not an order's (eBay's summary rows).
    /// `currency` is the order's so far, for rows that leave it out (Shopify's later rows).
    fn read(
        &self,
        export: &CsvExport,
        record: &StringRecord,
        currency: Option<&str>,
    ) -> Result<Option<RowRead>, FileError>;
}

/// The reader of `layout` (through `mapping`, for the seller's own) for the columns
/// `export` has.
pub fn reader(
    layout: Layout,
    mapping: Option<&OrderMapping>,
    export: &CsvExport,
) -> Result<Box<dyn RowReader>, FileError> {
    if let Some(mapping) = mapping {
        return Ok(Box::new(mapped::Reader::new(export, mapping)?));
    }
    Ok(match layout {
        Layout::ShopifyOrders => Box::new(shopify::Reader::new(export)?),
        Layout::EtsySoldOrders => Box::new(etsy::OrdersReader::new(export)?),
        Layout::EtsySoldOrderItems => Box::new(etsy::ItemsReader::new(export)?),
        Layout::AmazonAllOrders => Box::new(amazon::Reader::new(export)?),
        Layout::EbayOrders => Box::new(ebay::Reader::new(export)?),
        Layout::WooCommerceOrders => Box::new(woocommerce::Reader::new(export)?),
        Layout::OwnLayout => {
            return Err(FileError::Unreadable {
                path: export.path.clone(),
                detail: "say which column is which before importing this file".into(),
            });
        }
    })
}

/// A cell as an optional text: None when empty or when the file lacks the column.
fn text(record: &StringRecord, column: Option<&Column>) -> Option<String> {
    let value = cell(record, column);
    (!value.is_empty()).then(|| value.to_string())
}

/// A postal code as the buyer wrote it: Shopify writes US ones as '53211, the apostrophe
/// a spreadsheet's sign to keep the leading zero of '02139, not part of the code.
fn postal_code(record: &StringRecord, column: Option<&Column>) -> Option<String> {
    let value = cell(record, column).trim_start_matches('\'').trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// A cell as an amount in `currency`; None when empty or absent.
fn amount(
    export: &CsvExport,
    record: &StringRecord,
    column: Option<&Column>,
    currency: &str,
) -> Result<Option<i64>, FileError> {
    amount_read_by(parse_minor, export, record, column, currency)
}

/// A cell as an amount in `currency` read by `parse`; None when empty or absent.
fn amount_read_by(
    parse: fn(&str, &str) -> Result<i64, String>,
    export: &CsvExport,
    record: &StringRecord,
    column: Option<&Column>,
    currency: &str,
) -> Result<Option<i64>, FileError> {
    let Some(column) = column else {
        return Ok(None);
    };
    let value = cell(record, Some(column));
    if value.is_empty() {
        return Ok(None);
    }
    parse(value, currency)
        .map(Some)
        .map_err(|reason| export.invalid(record, column, reason))
}

/// A cell as a whole number of items, none or more: no shop exports a negative
/// quantity (a return is a refund on the order, not a line of minus one).
fn quantity(export: &CsvExport, record: &StringRecord, column: &Column) -> Result<i64, FileError> {
    let value = cell(record, Some(column));
    if value.is_empty() {
        return Ok(1);
    }
    match value.parse::<i64>() {
        Ok(units) if units >= 0 => Ok(units),
        Ok(_) => Err(export.invalid(record, column, "a negative quantity, which no shop exports")),
        Err(_) => Err(export.invalid(record, column, "not a whole number")),
    }
}

/// A line's price as read from `column` (zero when empty): never negative in a shop's
/// export, where discounts and refunds have columns of their own.
fn line_price(
    export: &CsvExport,
    record: &StringRecord,
    column: &Column,
    read: Option<i64>,
) -> Result<i64, FileError> {
    match read {
        Some(minor) if minor < 0 => {
            Err(export.invalid(record, column, "a negative price, which no shop exports"))
        }
        other => Ok(other.unwrap_or(0)),
    }
}

/// The currency of a row: its own cell, else the order's so far.
fn currency_of(
    export: &CsvExport,
    record: &StringRecord,
    column: Option<&Column>,
    order: Option<&str>,
) -> Result<String, FileError> {
    let own = cell(record, column);
    let code = if own.is_empty() {
        order.unwrap_or("")
    } else {
        own
    };
    let code = code.trim();
    if is_currency_code(code) {
        Ok(code.to_ascii_uppercase())
    } else {
        let reason = "not an ISO 4217 currency code";
        Err(match column {
            Some(column) => export.invalid(record, column, reason),
            None => FileError::InvalidValue {
                path: export.path.clone(),
                row: export.row(record),
                column: "currency".into(),
                value: code.to_string(),
                reason: reason.into(),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &str) -> Vec<String> {
        names.split(',').map(str::to_string).collect()
    }

    #[test]
    fn each_layout_is_known_by_its_header() {
        for (names, layout) in [
            (
                "Name,Email,Created at,Lineitem name,Total",
                Layout::ShopifyOrders,
            ),
            (
                "Sale Date,Item Name,Buyer,Quantity,Price,Transaction ID,Order ID",
                Layout::EtsySoldOrderItems,
            ),
            (
                "Sale Date,Order ID,Buyer User ID,Number of Items,Order Total",
                Layout::EtsySoldOrders,
            ),
            (
                "amazon-order-id,merchant-order-id,purchase-date,item-price",
                Layout::AmazonAllOrders,
            ),
            (
                "Sales Record Number,Order Number,Buyer Username,Sold For",
                Layout::EbayOrders,
            ),
            (
                "order_id,order_number,order_date,status,order_total",
                Layout::WooCommerceOrders,
            ),
        ] {
            assert_eq!(detect(&header(names)), Some(layout), "{names}");
        }
        assert_eq!(detect(&header("Handle,Title,Body (HTML)")), None);
    }

    #[test]
    fn amounts_of_later_rows_fill_in_or_add_up() {
        let first = Amounts {
            shipping: Some(500),
            ..Amounts::default()
        };
        let later = Amounts {
            shipping: Some(300),
            taxes: Some(80),
            ..Amounts::default()
        };
        let mut once = first;
        once.merge(later, false);
        assert_eq!((once.shipping, once.taxes), (Some(500), Some(80)));
        let mut summed = first;
        summed.merge(later, true);
        assert_eq!((summed.shipping, summed.taxes), (Some(800), Some(80)));
    }
}
