//! WooCommerce's orders as the common export plugin (WebToffee's "Order Export & Import")
//! writes them: one row per order, its items in `line_item_1`, `line_item_2`, … as
//! `name:Mug|product_id:12|sku:MUG-1|quantity:2|total:30.00|sub_total:36.00`, refunds in
//! `refund_items` as `amount:10.00|reason:…` entries separated by `;`.

use csv::StringRecord;

use super::{
    Amounts, Line, OrderPart, RowRead, RowReader, amount, currency_of, dates, postal_code, text,
};
use crate::files::{Column, CsvExport, FileError, cell};
use crate::money::parse_minor;

pub struct Reader {
    order_id: Column,
    order_date: Column,
    total: Column,
    currency: Column,
    status: Option<Column>,
    subtotal: Option<Column>,
    shipping: Option<Column>,
    taxes: Option<Column>,
    discount: Option<Column>,
    email: Option<Column>,
    first_name: Option<Column>,
    last_name: Option<Column>,
    postal_code: Option<Column>,
    country: Option<Column>,
    refunds: Option<Column>,
    coupons: Option<Column>,
    lines: Vec<Column>,
}

impl Reader {
    pub fn new(export: &CsvExport) -> Result<Reader, FileError> {
        let lines = export.columns_where(|name| {
            name.strip_prefix("line_item_")
                .is_some_and(|number| number.bytes().all(|byte| byte.is_ascii_digit()))
        });
        Ok(Reader {
            order_id: export.required("order_id")?,
            order_date: export.required("order_date")?,
            total: export.required("order_total")?,
            currency: export.required("order_currency")?,
            status: export.optional(&["status", "order_status"]),
            subtotal: export.optional(&["order_subtotal"]),
            shipping: export.optional(&["shipping_total"]),
            taxes: export.optional(&["tax_total"]),
            discount: export.optional(&["discount_total", "cart_discount"]),
            email: export.optional(&["customer_email", "billing_email"]),
            first_name: export.optional(&["billing_first_name", "shipping_first_name"]),
            last_name: export.optional(&["billing_last_name", "shipping_last_name"]),
            postal_code: export.optional(&["shipping_postcode", "billing_postcode"]),
            country: export.optional(&["shipping_country", "billing_country"]),
            refunds: export.optional(&["refund_items"]),
            coupons: export.optional(&["coupon_items"]),
            lines,
        })
    }

    /// One `line_item_N` cell: its `key:value` fields.
    fn line(
        &self,
        export: &CsvExport,
        record: &StringRecord,
        column: &Column,
        currency: &str,
    ) -> Result<Option<Line>, FileError> {
        let value = cell(record, Some(column));
        if value.is_empty() {
            return Ok(None);
        }
        let field = |name: &str| {
            value.split('|').find_map(|part| {
                part.split_once(':')
                    .filter(|(key, _)| key.trim() == name)
                    .map(|(_, value)| value.trim())
            })
        };
        let money = |name: &str| -> Result<Option<i64>, FileError> {
            field(name)
                .filter(|value| !value.is_empty())
                .map(|value| {
                    parse_minor(value, currency).map_err(|reason| {
                        export.invalid(record, column, format!("{name}: {reason}"))
                    })
                })
                .transpose()
        };
        let quantity = match field("quantity").map(str::parse::<i64>) {
            Some(Ok(units)) if units >= 0 => units,
            Some(Ok(_)) => {
                return Err(export.invalid(
                    record,
                    column,
                    "quantity: a negative quantity, which no shop exports",
                ));
            }
            Some(Err(_)) => {
                return Err(export.invalid(record, column, "quantity: not a whole number"));
            }
            None => 1,
        };
        let total = money("sub_total")?.or(money("total")?).unwrap_or(0);
        if total < 0 {
            return Err(export.invalid(
                record,
                column,
                "total: a negative price, which no shop exports",
            ));
        }
        let key = field("id")
            .or(field("product_id"))
            .map(|id| format!("{}:{id}", column.name()))
            .unwrap_or_else(|| column.name().to_string());
        Ok(Some(Line {
            key,
            quantity,
            name: field("name").unwrap_or("").to_string(),
            sku: field("sku").unwrap_or("").to_string(),
            unit_price: if quantity > 0 {
                total / quantity
            } else {
                total
            },
            total,
        }))
    }
}

impl RowReader for Reader {
    fn order_id<'r>(&self, record: &'r StringRecord) -> &'r str {
        cell(record, Some(&self.order_id))
    }

    fn read(
        &self,
        export: &CsvExport,
        record: &StringRecord,
        _order_currency: Option<&str>,
    ) -> Result<Option<RowRead>, FileError> {
        let order_id = self.order_id(record);
        if order_id.is_empty() {
            return Ok(None);
        }
        let created_at =
            dates::timestamp(cell(record, Some(&self.order_date))).ok_or_else(|| {
                export.invalid(
                    record,
                    &self.order_date,
                    "not a time like 2024-05-01 10:00:00",
                )
            })?;
        let currency = currency_of(export, record, Some(&self.currency), None)?;
        let money = |column: Option<&Column>| amount(export, record, column, &currency);
        let status = text(record, self.status.as_ref())
            .map(|status| status.trim_start_matches("wc-").to_ascii_lowercase());
        let total = money(Some(&self.total))?;
        let mut refunded: i64 = 0;
        if let Some(column) = &self.refunds {
            for entry in cell(record, Some(column)).split(';') {
                let found = entry
                    .split('|')
                    .find_map(|part| part.trim().strip_prefix("amount:"));
                if let Some(value) = found {
                    refunded += parse_minor(value, &currency)
                        .map_err(|reason| export.invalid(record, column, reason))?
                        .abs();
                }
            }
        }
        if status.as_deref() == Some("refunded") && refunded == 0 {
            refunded = total.unwrap_or(0);
        }
        let cancelled = matches!(status.as_deref(), Some("cancelled" | "failed"));
        let name = [self.first_name.as_ref(), self.last_name.as_ref()]
            .into_iter()
            .filter_map(|column| text(record, column))
            .collect::<Vec<_>>()
            .join(" ");
        let coupon = text(record, self.coupons.as_ref()).and_then(|coupons| {
            coupons
                .split('|')
                .find_map(|part| part.trim().strip_prefix("code:").map(str::to_string))
        });
        let mut lines = Vec::new();
        for column in &self.lines {
            lines.extend(self.line(export, record, column, &currency)?);
        }
        Ok(Some(RowRead {
            order_id: order_id.to_string(),
            order: OrderPart {
                cancelled_at: cancelled.then(|| created_at.clone()),
                created_at: Some(created_at),
                currency: Some(currency.clone()),
                email: text(record, self.email.as_ref()),
                buyer_name: (!name.is_empty()).then_some(name),
                postal_code: postal_code(record, self.postal_code.as_ref()),
                country: text(record, self.country.as_ref()),
                status,
                discount_code: coupon,
                buyer_id: None,
            },
            amounts: Amounts {
                items: money(self.subtotal.as_ref())?,
                discount: money(self.discount.as_ref())?,
                shipping: money(self.shipping.as_ref())?,
                taxes: money(self.taxes.as_ref())?,
                total,
                refunded: Some(refunded),
                subtotal: None,
            },
            lines,
        }))
    }
}
