//! eBay Seller Hub's orders report: a blank row above the header and summary rows under
//! the data (skipped: they have no order number); one row per item, an order of several
//! items with the order's totals on one of its rows. eBay UK writes the names in other
//! case and its own words ("Sold for", "Post to postcode", "Postage and packaging"), and
//! some reports leave the order number blank, numbering the sale by its record. It has no currency column: amounts
//! carry their sign ("$12.99", "£8.50", "AU $20.00", "EUR 12,99").

use csv::StringRecord;

use super::{
    Amounts, Line, OrderPart, RowRead, RowReader, amount, dates, line_price, postal_code, quantity,
    text,
};
use crate::files::{Column, CsvExport, FileError, cell};

/// Currency signs as eBay's sites write them, longest first.
const SIGNS: &[(&str, &str)] = &[
    ("US $", "USD"),
    ("AU $", "AUD"),
    ("C $", "CAD"),
    ("CA $", "CAD"),
    ("HK $", "HKD"),
    ("S $", "SGD"),
    ("NZ $", "NZD"),
    ("EUR", "EUR"),
    ("GBP", "GBP"),
    ("USD", "USD"),
    ("CHF", "CHF"),
    ("PLN", "PLN"),
    ("$", "USD"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("¥", "JPY"),
];

/// The currency an amount's sign names.
fn currency_of_amount(text: &str) -> Option<&'static str> {
    let text = text.trim().trim_start_matches('-');
    SIGNS
        .iter()
        .find(|(sign, _)| text.starts_with(sign) || text.ends_with(sign.trim_start_matches(' ')))
        .map(|(_, code)| *code)
}

const DAY_FORMATS: &[&str] = &[
    "%b-%d-%y",
    "%b-%d-%Y",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%b %d, %Y",
    "%Y-%m-%d",
    "%d.%m.%Y",
];

pub struct Reader {
    order_number: Column,
    sales_record: Option<Column>,
    sold_for: Column,
    quantity: Column,
    sale_date: Column,
    buyer_username: Option<Column>,
    buyer_name: Option<Column>,
    buyer_email: Option<Column>,
    postal_code: Option<Column>,
    country: Option<Column>,
    item_number: Option<Column>,
    item_title: Option<Column>,
    custom_label: Option<Column>,
    transaction: Option<Column>,
    shipping: Option<Column>,
    ebay_tax: Option<Column>,
    seller_tax: Option<Column>,
    total: Option<Column>,
}

impl Reader {
    pub fn new(export: &CsvExport) -> Result<Reader, FileError> {
        Ok(Reader {
            order_number: export.required("Order Number")?,
            sales_record: export.optional(&["Sales Record Number"]),
            sold_for: export.required("Sold For")?,
            quantity: export.required("Quantity")?,
            sale_date: export.required("Sale Date")?,
            buyer_username: export.optional(&["Buyer Username", "User Id"]),
            buyer_name: export.optional(&["Buyer Name", "Ship To Name", "Post to name"]),
            buyer_email: export.optional(&["Buyer Email"]),
            postal_code: export.optional(&["Ship To Zip", "Buyer Zip", "Post to postcode"]),
            country: export.optional(&["Ship To Country", "Buyer Country", "Post to country"]),
            item_number: export.optional(&["Item Number"]),
            item_title: export.optional(&["Item Title"]),
            custom_label: export.optional(&["Custom Label"]),
            transaction: export.optional(&["Transaction ID"]),
            shipping: export.optional(&["Shipping And Handling", "Postage and packaging"]),
            ebay_tax: export.optional(&["eBay Collected Tax"]),
            seller_tax: export.optional(&["Seller Collected Tax"]),
            total: export.optional(&["Total Price"]),
        })
    }

    /// The currency of the row, from the first amount that shows a sign.
    fn currency(&self, record: &StringRecord) -> Option<&'static str> {
        [
            Some(&self.sold_for),
            self.total.as_ref(),
            self.shipping.as_ref(),
        ]
        .into_iter()
        .flatten()
        .find_map(|column| currency_of_amount(cell(record, Some(column))))
    }
}

impl RowReader for Reader {
    fn order_id<'r>(&self, record: &'r StringRecord) -> &'r str {
        // Some reports leave the order number blank and number the sale only by its
        // record; a summary row has neither (or words where the record number goes).
        let record_number = cell(record, self.sales_record.as_ref());
        match cell(record, Some(&self.order_number)) {
            "" if !record_number.is_empty()
                && record_number.bytes().all(|byte| byte.is_ascii_digit()) =>
            {
                record_number
            }
            number => number,
        }
    }

    fn read(
        &self,
        export: &CsvExport,
        record: &StringRecord,
        order_currency: Option<&str>,
    ) -> Result<Option<RowRead>, FileError> {
        let order_id = self.order_id(record);
        if order_id.is_empty() {
            return Ok(None);
        }
        let currency = match self.currency(record).or(order_currency) {
            Some(code) => code.to_string(),
            None => {
                return Err(export.invalid(
                    record,
                    &self.sold_for,
                    "the amount shows no currency sign, like $12.99 or £8.50",
                ));
            }
        };
        let money = |column: Option<&Column>| amount(export, record, column, &currency);
        let sale_date = cell(record, Some(&self.sale_date));
        let created_at = if sale_date.is_empty() {
            None
        } else {
            Some(dates::day(sale_date, DAY_FORMATS).ok_or_else(|| {
                export.invalid(record, &self.sale_date, "not a day like Mar-15-24")
            })?)
        };
        let taxes = match (
            money(self.ebay_tax.as_ref())?,
            money(self.seller_tax.as_ref())?,
        ) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        let item = text(record, self.item_number.as_ref())
            .or_else(|| text(record, self.item_title.as_ref()));
        let line = match item {
            Some(item) => {
                let units = quantity(export, record, &self.quantity)?;
                let unit_price =
                    line_price(export, record, &self.sold_for, money(Some(&self.sold_for))?)?;
                Some(Line {
                    key: text(record, self.transaction.as_ref())
                        .filter(|id| id != "0")
                        .unwrap_or(item),
                    quantity: units,
                    name: cell(record, self.item_title.as_ref()).to_string(),
                    sku: cell(record, self.custom_label.as_ref()).to_string(),
                    unit_price,
                    total: unit_price * units,
                })
            }
            None => None,
        };
        Ok(Some(RowRead {
            order_id: order_id.to_string(),
            order: OrderPart {
                created_at,
                currency: Some(currency.clone()),
                email: text(record, self.buyer_email.as_ref()),
                buyer_id: text(record, self.buyer_username.as_ref()),
                buyer_name: text(record, self.buyer_name.as_ref()),
                postal_code: postal_code(record, self.postal_code.as_ref()),
                country: text(record, self.country.as_ref()),
                ..OrderPart::default()
            },
            amounts: Amounts {
                shipping: money(self.shipping.as_ref())?,
                taxes,
                total: money(self.total.as_ref())?,
                ..Amounts::default()
            },
            lines: line.into_iter().collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_name_their_currency() {
        for (text, code) in [
            ("$12.99", Some("USD")),
            ("US $12.99", Some("USD")),
            ("AU $20.00", Some("AUD")),
            ("£8.50", Some("GBP")),
            ("EUR 12,99", Some("EUR")),
            ("12,99 €", Some("EUR")),
            ("12.99", None),
        ] {
            assert_eq!(currency_of_amount(text), code, "{text}");
        }
    }
}
