//! Orders from a file of the seller's own layout (a CSV in any encoding and separator,
//! an XLSX workbook, a JSON array): which column holds what, proposed from the columns'
//! names and confirmed or corrected by the seller before anything is imported, with the
//! channel the orders were sold on, the order the file writes a date's day and month in,
//! and the currency for a file that names none.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::AnalyticsError;
use super::channels::Channel;
use crate::files::{Table, TableFormat};

/// What a column of an orders file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OrderRole {
    /// Rows with the same order id, one after the other, are one order's lines.
    OrderId,
    Date,
    Currency,
    /// What the buyer paid for the order.
    Total,
    /// The items' prices before shipping and taxes.
    Subtotal,
    Shipping,
    Taxes,
    Discount,
    Refunded,
    Email,
    BuyerId,
    BuyerName,
    PostalCode,
    Country,
    Status,
    Product,
    Sku,
    Quantity,
    UnitPrice,
    LineTotal,
    /// Kept in the file, not imported.
    Ignore,
}

impl OrderRole {
    pub const ALL: [OrderRole; 21] = [
        OrderRole::OrderId,
        OrderRole::Date,
        OrderRole::Currency,
        OrderRole::Total,
        OrderRole::Subtotal,
        OrderRole::Shipping,
        OrderRole::Taxes,
        OrderRole::Discount,
        OrderRole::Refunded,
        OrderRole::Email,
        OrderRole::BuyerId,
        OrderRole::BuyerName,
        OrderRole::PostalCode,
        OrderRole::Country,
        OrderRole::Status,
        OrderRole::Product,
        OrderRole::Sku,
        OrderRole::Quantity,
        OrderRole::UnitPrice,
        OrderRole::LineTotal,
        OrderRole::Ignore,
    ];

    /// The name in the CLI's `--map` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            OrderRole::OrderId => "order_id",
            OrderRole::Date => "date",
            OrderRole::Currency => "currency",
            OrderRole::Total => "total",
            OrderRole::Subtotal => "subtotal",
            OrderRole::Shipping => "shipping",
            OrderRole::Taxes => "taxes",
            OrderRole::Discount => "discount",
            OrderRole::Refunded => "refunded",
            OrderRole::Email => "email",
            OrderRole::BuyerId => "buyer_id",
            OrderRole::BuyerName => "buyer_name",
            OrderRole::PostalCode => "postal_code",
            OrderRole::Country => "country",
            OrderRole::Status => "status",
            OrderRole::Product => "product",
            OrderRole::Sku => "sku",
            OrderRole::Quantity => "quantity",
            OrderRole::UnitPrice => "unit_price",
            OrderRole::LineTotal => "line_total",
            OrderRole::Ignore => "ignore",
        }
    }

    /// The roles that make a row carry an order line.
    pub fn is_line(self) -> bool {
        matches!(
            self,
            OrderRole::Product
                | OrderRole::Sku
                | OrderRole::Quantity
                | OrderRole::UnitPrice
                | OrderRole::LineTotal
        )
    }
}

/// How a file writes a date whose parts are all numbers and that is not year first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// 31/12/2024, 31.12.24: most of the world.
    DayFirst,
    /// 12/31/2024: the United States.
    MonthFirst,
}

/// How to read an orders file of the seller's own layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrderMapping {
    /// Column name → what it holds; columns left out are ignored.
    pub columns: BTreeMap<String, OrderRole>,
    /// Where the orders were sold: their ids are that channel's, so a file of the same
    /// orders in another layout updates them rather than adding them twice.
    pub channel: Channel,
    pub dates: DateOrder,
    /// The currency of every amount when no column names one.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub currency: Option<String>,
}

impl OrderMapping {
    /// The column that holds `role`, if one does.
    pub fn column(&self, role: OrderRole) -> Option<&str> {
        self.columns
            .iter()
            .find(|(_, mapped)| **mapped == role)
            .map(|(column, _)| column.as_str())
    }
}

/// What the seller sees before confirming: the columns, a few rows, the proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OrdersTablePreview {
    pub path: PathBuf,
    pub format: TableFormat,
    pub columns: Vec<String>,
    pub sample: Vec<Vec<String>>,
    pub rows: u64,
    pub proposed: OrderMapping,
}

/// The role a column's name suggests, if any. Longer, more telling names are tried
/// first: "Shipping Country" is a country, "Line Total" a line's total.
fn suggested_role(column: &str) -> Option<OrderRole> {
    let name = column.trim().to_lowercase().replace(['_', '-'], " ");
    let name = name.as_str();
    let has = |words: &[&str]| words.iter().any(|word| name.contains(word));
    Some(if has(&["e mail", "email", "mail"]) {
        OrderRole::Email
    } else if has(&[
        "order id",
        "order number",
        "order no",
        "order #",
        "order nr",
    ]) || has(&["bestellnummer", "bestell nr", "commande", "invoice"])
        || name == "order"
    {
        OrderRole::OrderId
    } else if has(&["currency", "währung", "devise", "waehrung"]) {
        OrderRole::Currency
    } else if has(&["country", "land", "pays"]) {
        OrderRole::Country
    } else if has(&["zip", "postal", "postcode", "post code", "plz"]) {
        OrderRole::PostalCode
    } else if has(&["refund", "erstatt", "rembours"]) {
        OrderRole::Refunded
    } else if has(&["discount", "rabatt", "remise", "coupon amount"]) && !has(&["code"]) {
        OrderRole::Discount
    } else if has(&["line total", "item total", "line amount", "lineitem total"]) {
        OrderRole::LineTotal
    } else if has(&["subtotal", "sub total", "zwischensumme"]) {
        OrderRole::Subtotal
    } else if has(&["shipping", "postage", "versand", "delivery"])
        && !has(&[
            "name", "address", "city", "method", "date", "status", "street",
        ])
    {
        OrderRole::Shipping
    } else if has(&["tax", "vat", "mwst", "tva", "gst"]) {
        OrderRole::Taxes
    } else if has(&["date", "created", "datum", "time", "ordered at", "placed"]) {
        OrderRole::Date
    } else if has(&["qty", "quantity", "units", "menge", "anzahl", "quantité"]) {
        OrderRole::Quantity
    } else if has(&["unit price", "price", "preis", "prix"]) {
        OrderRole::UnitPrice
    } else if has(&[
        "total", "amount", "grand", "gesamt", "paid", "revenue", "sales", "umsatz",
    ]) {
        OrderRole::Total
    } else if has(&["sku", "article", "artikelnummer", "mpn"])
        || has(&[
            "product id",
            "product code",
            "item id",
            "item code",
            "item number",
        ])
    {
        OrderRole::Sku
    } else if has(&[
        "customer id",
        "buyer id",
        "user id",
        "username",
        "customer number",
    ]) {
        OrderRole::BuyerId
    } else if has(&["customer", "buyer", "kunde", "client", "name"]) && !has(&["product", "item"]) {
        OrderRole::BuyerName
    } else if has(&["product", "item", "title", "artikel", "produit"]) {
        OrderRole::Product
    } else if has(&["status"]) {
        OrderRole::Status
    } else {
        return None;
    })
}

/// The order of day and month that the dates of `values` must be written in, if one of
/// them tells (31/12 can only be day first; 12/31 only month first).
fn date_order_of<'a>(values: impl Iterator<Item = &'a str>) -> Option<DateOrder> {
    for value in values {
        let mut parts = value
            .trim()
            .split(|c: char| !c.is_ascii_digit())
            .filter(|part| !part.is_empty());
        let (Some(first), Some(second)) = (parts.next(), parts.next()) else {
            continue;
        };
        if first.len() > 2 {
            continue;
        }
        let (first, second) = (first.parse::<u32>(), second.parse::<u32>());
        match (first, second) {
            (Ok(first), _) if first > 12 => return Some(DateOrder::DayFirst),
            (_, Ok(second)) if second > 12 => return Some(DateOrder::MonthFirst),
            _ => {}
        }
    }
    None
}

/// A mapping proposed from the columns' names (each role to the first column that
/// suggests it) and from the dates the file holds.
pub fn propose(table: &Table) -> OrderMapping {
    let mut columns = BTreeMap::new();
    let mut taken = Vec::new();
    for column in &table.columns {
        let role = suggested_role(column)
            .filter(|role| !taken.contains(role))
            .unwrap_or(OrderRole::Ignore);
        taken.push(role);
        columns.insert(column.clone(), role);
    }
    // Rows that each name a product are lines: a plain "Sales" or "Amount" beside them is
    // the line's, not the order's.
    let is_line = |role: &OrderRole| matches!(role, OrderRole::Product | OrderRole::Sku);
    if columns.values().any(is_line)
        && !columns
            .values()
            .any(|role| matches!(role, OrderRole::UnitPrice | OrderRole::LineTotal))
        && let Some((_, role)) = columns
            .iter_mut()
            .find(|(name, role)| **role == OrderRole::Total && is_line_amount(name))
    {
        *role = OrderRole::LineTotal;
    }
    // A discount written as a share of the price (0.2) is no amount.
    if let Some(name) = columns
        .iter()
        .find(|(_, role)| **role == OrderRole::Discount)
        .map(|(name, _)| name.clone())
        && values_of(table, &name).all(is_share)
    {
        columns.insert(name, OrderRole::Ignore);
    }
    let mut mapping = OrderMapping {
        columns,
        channel: Channel::Other,
        dates: DateOrder::DayFirst,
        currency: None,
    };
    if let Some(date) = mapping.column(OrderRole::Date) {
        mapping.dates = date_order_of(values_of(table, date)).unwrap_or(DateOrder::DayFirst);
    }
    mapping
}

/// The values of the column `name`.
fn values_of<'a>(table: &'a Table, name: &str) -> impl Iterator<Item = &'a str> {
    let index = table.columns.iter().position(|column| column == name);
    table
        .rows
        .iter()
        .filter_map(move |row| row.get(index?).map(String::as_str))
}

/// Whether a column's name says an amount without saying whose ("Sales", "Amount").
fn is_line_amount(name: &str) -> bool {
    let name = name.to_lowercase();
    ["sales", "amount", "revenue", "umsatz"]
        .iter()
        .any(|word| name.contains(word))
        && !["order", "total", "grand", "paid"]
            .iter()
            .any(|word| name.contains(word))
}

/// Whether a value is a share between 0 and 1 (or empty).
fn is_share(value: &str) -> bool {
    let value = value.trim();
    value.is_empty()
        || value
            .replace(',', ".")
            .parse::<f64>()
            .is_ok_and(|share| (0.0..=1.0).contains(&share))
}

pub fn preview(path: &Path) -> Result<OrdersTablePreview, AnalyticsError> {
    let table = Table::read(path)?;
    Ok(OrdersTablePreview {
        proposed: propose(&table),
        sample: table.rows.iter().take(5).cloned().collect(),
        rows: table.rows.len() as u64,
        path: table.path,
        format: table.format,
        columns: table.columns,
    })
}

/// Checks `mapping` against a file with `columns`: every mapped column exists, a role
/// is given once, there is an order id, a date, a total or a line's amount, and a currency from a column
/// or the mapping.
pub fn check(
    path: &Path,
    columns: &[String],
    mapping: &OrderMapping,
) -> Result<(), AnalyticsError> {
    let invalid = |detail: String| AnalyticsError::BadMapping {
        path: path.to_path_buf(),
        detail,
    };
    for (column, role) in &mapping.columns {
        if !columns.contains(column) {
            return Err(invalid(format!(
                "the mapping names a column '{column}' the file does not have (it has: {})",
                columns.join(", ")
            )));
        }
        if *role == OrderRole::Ignore {
            continue;
        }
        if let Some((other, _)) = mapping
            .columns
            .iter()
            .find(|(other, other_role)| *other != column && *other_role == role)
        {
            return Err(invalid(format!(
                "both '{column}' and '{other}' are mapped to {}",
                role.name()
            )));
        }
    }
    let has = |role: OrderRole| mapping.column(role).is_some();
    if !has(OrderRole::OrderId) {
        return Err(invalid("map one column to order_id".into()));
    }
    if !has(OrderRole::Date) {
        return Err(invalid("map one column to date".into()));
    }
    if ![OrderRole::Total, OrderRole::UnitPrice, OrderRole::LineTotal]
        .into_iter()
        .any(has)
    {
        return Err(invalid(
            "map a column to total, unit_price or line_total: an order needs an amount".into(),
        ));
    }
    match &mapping.currency {
        Some(code) if !crate::money::is_currency_code(code) => Err(invalid(format!(
            "'{code}' is not an ISO 4217 currency code"
        ))),
        None if !has(OrderRole::Currency) => Err(invalid(
            "map a column to currency, or say which currency the amounts are in".into(),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(names: &[&str], rows: &[&[&str]]) -> Table {
        let texts = |cells: &[&str]| cells.iter().map(|cell| cell.to_string()).collect();
        Table {
            path: "orders.csv".into(),
            format: TableFormat::Csv,
            columns: texts(names),
            rows: rows.iter().map(|row| texts(row)).collect(),
        }
    }

    #[test]
    fn a_mapping_is_proposed_from_the_column_names_and_the_dates() {
        let proposed = propose(&table(
            &[
                "Order No.",
                "Order Date",
                "Customer Name",
                "Customer E-Mail",
                "Shipping Country",
                "Zip",
                "Product",
                "Item SKU",
                "Qty",
                "Unit Price",
                "Line Total",
                "Shipping",
                "VAT",
                "Grand Total",
                "Currency",
                "Status",
                "Warehouse",
            ],
            &[&["A-1", "05/03/2024"], &["A-2", "17/03/2024"]],
        ));
        let role = |column: &str| proposed.columns[column];
        assert_eq!(role("Order No."), OrderRole::OrderId);
        assert_eq!(role("Order Date"), OrderRole::Date);
        assert_eq!(role("Customer Name"), OrderRole::BuyerName);
        assert_eq!(role("Customer E-Mail"), OrderRole::Email);
        assert_eq!(role("Shipping Country"), OrderRole::Country);
        assert_eq!(role("Zip"), OrderRole::PostalCode);
        assert_eq!(role("Product"), OrderRole::Product);
        assert_eq!(role("Item SKU"), OrderRole::Sku);
        assert_eq!(role("Qty"), OrderRole::Quantity);
        assert_eq!(role("Unit Price"), OrderRole::UnitPrice);
        assert_eq!(role("Line Total"), OrderRole::LineTotal);
        assert_eq!(role("Shipping"), OrderRole::Shipping);
        assert_eq!(role("VAT"), OrderRole::Taxes);
        assert_eq!(role("Grand Total"), OrderRole::Total);
        assert_eq!(role("Currency"), OrderRole::Currency);
        assert_eq!(role("Status"), OrderRole::Status);
        assert_eq!(role("Warehouse"), OrderRole::Ignore);
        assert_eq!(proposed.dates, DateOrder::DayFirst, "17/03 is day first");
        assert_eq!(proposed.channel, Channel::Other);
        assert!(check(Path::new("o.csv"), &table_columns(&proposed), &proposed).is_ok());
    }

    fn table_columns(mapping: &OrderMapping) -> Vec<String> {
        mapping.columns.keys().cloned().collect()
    }

    #[test]
    fn a_sales_report_of_lines_gets_line_amounts_and_no_discount_rate() {
        // The layout of the "Superstore" sales file analysts share.
        let names = "Row ID,Order ID,Order Date,Ship Date,Ship Mode,Customer ID,Customer Name,Segment,Country/Region,City,State/Province,Postal Code,Region,Product ID,Category,Sub-Category,Product Name,Sales,Quantity,Discount,Profit";
        let first = "1,US-2019-103800,03/01/19,07/01/19,Standard Class,DP-13000,Darren Powers,Consumer,United States,Houston,Texas,77095,Central,OFF-PA-10000174,Office Supplies,Paper,Message Book,16.448,2,0.2,5.5512";
        let later = "17,US-2019-135405,09/01/19,13/01/19,Standard Class,MS-17830,Melanie Seite,Consumer,United States,Laredo,Texas,78041,Central,OFF-AR-10004078,Office Supplies,Art,Newell 312,9.344,2,0.2,1.168";
        let split = |line: &'static str| line.split(',').collect::<Vec<_>>();
        let proposed = propose(&table(&split(names), &[&split(first), &split(later)]));
        let mapped: Vec<(&str, OrderRole)> = proposed
            .columns
            .iter()
            .filter(|(_, role)| **role != OrderRole::Ignore)
            .map(|(column, role)| (column.as_str(), *role))
            .collect();
        use OrderRole::*;
        assert_eq!(
            mapped,
            [
                ("Country/Region", Country),
                ("Customer ID", BuyerId),
                ("Customer Name", BuyerName),
                ("Order Date", Date),
                ("Order ID", OrderId),
                ("Postal Code", PostalCode),
                ("Product ID", Sku),
                ("Product Name", Product),
                ("Quantity", Quantity),
                ("Sales", LineTotal),
            ]
        );
        assert_eq!(proposed.dates, DateOrder::DayFirst, "13/01/19 is day first");
    }

    #[test]
    fn the_dates_say_whether_the_month_comes_first() {
        let dates = |values: &[&str]| date_order_of(values.iter().copied());
        assert_eq!(
            dates(&["03/05/2024", "12/31/2024"]),
            Some(DateOrder::MonthFirst)
        );
        assert_eq!(dates(&["03.05.24", "31.12.24"]), Some(DateOrder::DayFirst));
        assert_eq!(dates(&["2024-12-31"]), None, "year first says nothing");
        assert_eq!(dates(&["03/05/2024"]), None);
    }

    #[test]
    fn a_mapping_that_cannot_read_orders_is_named() {
        let columns = ["Id", "When", "Sum", "Sum2"].map(str::to_string);
        let mapping = |pairs: &[(&str, OrderRole)], currency: Option<&str>| OrderMapping {
            columns: pairs
                .iter()
                .map(|(column, role)| (column.to_string(), *role))
                .collect(),
            channel: Channel::Other,
            dates: DateOrder::DayFirst,
            currency: currency.map(str::to_string),
        };
        let problem = |pairs: &[(&str, OrderRole)], currency: Option<&str>| {
            check(Path::new("o.csv"), &columns, &mapping(pairs, currency))
                .err()
                .map(|error| error.to_string())
                .unwrap_or_default()
        };
        use OrderRole::*;
        assert!(problem(&[("When", Date), ("Sum", Total)], Some("EUR")).contains("order_id"));
        assert!(problem(&[("Id", OrderId), ("Sum", Total)], Some("EUR")).contains("date"));
        assert!(problem(&[("Id", OrderId), ("When", Date)], Some("EUR")).contains("an amount"));
        assert!(
            problem(&[("Id", OrderId), ("When", Date), ("Sum", Total)], None)
                .contains("which currency")
        );
        assert!(
            problem(
                &[("Id", OrderId), ("When", Date), ("Sum", Total)],
                Some("euro")
            )
            .contains("'euro'")
        );
        assert!(
            problem(
                &[
                    ("Id", OrderId),
                    ("When", Date),
                    ("Sum", Total),
                    ("Sum2", Total)
                ],
                Some("EUR")
            )
            .contains("both 'Sum' and 'Sum2' are mapped to total")
        );
        assert!(
            problem(
                &[("Id", OrderId), ("Wann", Date), ("Sum", Total)],
                Some("EUR")
            )
            .contains("'Wann'")
        );
        assert_eq!(
            problem(
                &[("Id", OrderId), ("When", Date), ("Sum", Total)],
                Some("EUR")
            ),
            ""
        );
    }
}
