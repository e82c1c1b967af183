//! Shopify's orders export: one row per line item, the order's own fields only on its
//! first row (`Name` like `#1001`, `Created at` like `2024-05-01 10:00:00 +0000`).

use csv::StringRecord;

use super::{
    Amounts, Line, OrderPart, RowRead, RowReader, amount, currency_of, dates, line_price,
    postal_code, quantity, text,
};
use crate::files::{Column, CsvExport, FileError, cell};

pub struct Reader {
    name: Column,
    created_at: Column,
    currency: Column,
    total: Column,
    quantity: Column,
    item_name: Column,
    item_price: Column,
    email: Option<Column>,
    financial_status: Option<Column>,
    subtotal: Option<Column>,
    shipping: Option<Column>,
    taxes: Option<Column>,
    discount_code: Option<Column>,
    discount_amount: Option<Column>,
    refunded: Option<Column>,
    shipping_country: Option<Column>,
    billing_country: Option<Column>,
    shipping_zip: Option<Column>,
    billing_zip: Option<Column>,
    billing_name: Option<Column>,
    cancelled_at: Option<Column>,
    sku: Option<Column>,
}

impl Reader {
    pub fn new(export: &CsvExport) -> Result<Reader, FileError> {
        Ok(Reader {
            name: export.required("Name")?,
            created_at: export.required("Created at")?,
            currency: export.required("Currency")?,
            total: export.required("Total")?,
            quantity: export.required("Lineitem quantity")?,
            item_name: export.required("Lineitem name")?,
            item_price: export.required("Lineitem price")?,
            email: export.optional(&["Email"]),
            financial_status: export.optional(&["Financial Status"]),
            subtotal: export.optional(&["Subtotal"]),
            shipping: export.optional(&["Shipping"]),
            taxes: export.optional(&["Taxes"]),
            discount_code: export.optional(&["Discount Code"]),
            discount_amount: export.optional(&["Discount Amount"]),
            refunded: export.optional(&["Refunded Amount"]),
            shipping_country: export.optional(&["Shipping Country"]),
            billing_country: export.optional(&["Billing Country"]),
            shipping_zip: export.optional(&["Shipping Zip"]),
            billing_zip: export.optional(&["Billing Zip"]),
            billing_name: export.optional(&["Billing Name", "Shipping Name"]),
            cancelled_at: export.optional(&["Cancelled at", "Canceled at"]),
            sku: export.optional(&["Lineitem sku"]),
        })
    }
}

impl RowReader for Reader {
    fn order_id<'r>(&self, record: &'r StringRecord) -> &'r str {
        cell(record, Some(&self.name))
    }

    fn read(
        &self,
        export: &CsvExport,
        record: &StringRecord,
        order_currency: Option<&str>,
    ) -> Result<Option<RowRead>, FileError> {
        let order_id = self.order_id(record);
        if order_id.is_empty() {
            return Err(export.invalid(record, &self.name, "every row needs the order's name"));
        }
        let first_row = !cell(record, Some(&self.created_at)).is_empty();
        let currency = currency_of(export, record, Some(&self.currency), order_currency)?;
        let money = |column: Option<&Column>| amount(export, record, column, &currency);
        let created_at = match first_row {
            true => Some(
                dates::timestamp(cell(record, Some(&self.created_at))).ok_or_else(|| {
                    export.invalid(
                        record,
                        &self.created_at,
                        "not a date like 2024-05-01 10:00:00 +0000",
                    )
                })?,
            ),
            false => None,
        };
        let cancelled_at = match text(record, self.cancelled_at.as_ref()) {
            Some(value) => Some(dates::timestamp(&value).ok_or_else(|| {
                let column = self.cancelled_at.as_ref().unwrap_or(&self.created_at);
                export.invalid(record, column, "not a date")
            })?),
            None => None,
        };
        let order = OrderPart {
            created_at,
            currency: text(record, Some(&self.currency)).map(|code| code.to_ascii_uppercase()),
            email: text(record, self.email.as_ref()),
            buyer_name: text(record, self.billing_name.as_ref()),
            postal_code: postal_code(record, self.shipping_zip.as_ref())
                .or_else(|| postal_code(record, self.billing_zip.as_ref())),
            country: text(record, self.shipping_country.as_ref())
                .or_else(|| text(record, self.billing_country.as_ref())),
            status: text(record, self.financial_status.as_ref()),
            cancelled_at,
            discount_code: text(record, self.discount_code.as_ref()),
            buyer_id: None,
        };
        let amounts = if first_row {
            Amounts {
                items: None,
                discount: money(self.discount_amount.as_ref())?,
                shipping: money(self.shipping.as_ref())?,
                taxes: money(self.taxes.as_ref())?,
                total: money(Some(&self.total))?,
                refunded: money(self.refunded.as_ref())?,
                subtotal: money(self.subtotal.as_ref())?,
            }
        } else {
            Amounts::default()
        };
        let units = quantity(export, record, &self.quantity)?;
        let unit_price = line_price(
            export,
            record,
            &self.item_price,
            money(Some(&self.item_price))?,
        )?;
        Ok(Some(RowRead {
            order_id: order_id.to_string(),
            order,
            amounts,
            lines: vec![Line {
                key: String::new(),
                quantity: units,
                name: cell(record, Some(&self.item_name)).to_string(),
                sku: cell(record, self.sku.as_ref()).to_string(),
                unit_price,
                total: unit_price * units,
            }],
        }))
    }
}
