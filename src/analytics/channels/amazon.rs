//! Amazon's "All Orders" report (tab-separated): one row per item, each with its own
//! price, tax, shipping and promotions (so an order's amounts add up over its rows),
//! `purchase-date` in ISO 8601. It names no buyer: each order is its own customer.

use csv::StringRecord;

use super::{
    Amounts, Line, OrderPart, RowRead, RowReader, amount, currency_of, dates, line_price,
    postal_code, quantity, text,
};
use crate::files::{Column, CsvExport, FileError, cell};

pub struct Reader {
    order_id: Column,
    purchase_date: Column,
    status: Option<Column>,
    product: Option<Column>,
    sku: Option<Column>,
    quantity: Column,
    currency: Column,
    item_price: Column,
    item_tax: Option<Column>,
    shipping_price: Option<Column>,
    shipping_tax: Option<Column>,
    gift_wrap_price: Option<Column>,
    gift_wrap_tax: Option<Column>,
    item_promotion: Option<Column>,
    ship_promotion: Option<Column>,
    postal_code: Option<Column>,
    country: Option<Column>,
}

impl Reader {
    pub fn new(export: &CsvExport) -> Result<Reader, FileError> {
        Ok(Reader {
            order_id: export.required("amazon-order-id")?,
            purchase_date: export.required("purchase-date")?,
            status: export.optional(&["order-status"]),
            product: export.optional(&["product-name"]),
            sku: export.optional(&["sku"]),
            quantity: export.required("quantity")?,
            currency: export.required("currency")?,
            item_price: export.required("item-price")?,
            item_tax: export.optional(&["item-tax"]),
            shipping_price: export.optional(&["shipping-price"]),
            shipping_tax: export.optional(&["shipping-tax"]),
            gift_wrap_price: export.optional(&["gift-wrap-price"]),
            gift_wrap_tax: export.optional(&["gift-wrap-tax"]),
            item_promotion: export.optional(&["item-promotion-discount"]),
            ship_promotion: export.optional(&["ship-promotion-discount"]),
            postal_code: export.optional(&["ship-postal-code"]),
            country: export.optional(&["ship-country"]),
        })
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
        order_currency: Option<&str>,
    ) -> Result<Option<RowRead>, FileError> {
        let order_id = self.order_id(record);
        if order_id.is_empty() {
            return Ok(None);
        }
        let created_at =
            dates::timestamp(cell(record, Some(&self.purchase_date))).ok_or_else(|| {
                export.invalid(
                    record,
                    &self.purchase_date,
                    "not a time like 2024-05-01T10:00:00+00:00",
                )
            })?;
        // A pending order has no currency or price yet.
        let own_currency = cell(record, Some(&self.currency));
        let currency = if own_currency.is_empty() && order_currency.is_none() {
            String::new()
        } else {
            currency_of(export, record, Some(&self.currency), order_currency)?
        };
        let money = |column: Option<&Column>| -> Result<i64, FileError> {
            if currency.is_empty() {
                return Ok(0);
            }
            Ok(amount(export, record, column, &currency)?.unwrap_or(0))
        };
        let status = text(record, self.status.as_ref());
        let cancelled = status
            .as_deref()
            .is_some_and(|status| status.eq_ignore_ascii_case("cancelled"));
        let item_price = line_price(
            export,
            record,
            &self.item_price,
            Some(money(Some(&self.item_price))?),
        )?;
        let shipping = money(self.shipping_price.as_ref())?;
        let gift_wrap = money(self.gift_wrap_price.as_ref())?;
        let taxes = money(self.item_tax.as_ref())?
            + money(self.shipping_tax.as_ref())?
            + money(self.gift_wrap_tax.as_ref())?;
        // Promotions are written as negative or positive amounts, depending on the report's age.
        let discount =
            money(self.item_promotion.as_ref())?.abs() + money(self.ship_promotion.as_ref())?.abs();
        let units = quantity(export, record, &self.quantity)?;
        Ok(Some(RowRead {
            order_id: order_id.to_string(),
            order: OrderPart {
                cancelled_at: cancelled.then(|| created_at.clone()),
                created_at: Some(created_at),
                currency: (!currency.is_empty()).then(|| currency.clone()),
                postal_code: postal_code(record, self.postal_code.as_ref()),
                country: text(record, self.country.as_ref()),
                status,
                ..OrderPart::default()
            },
            amounts: Amounts {
                items: Some(item_price + gift_wrap),
                discount: Some(discount),
                shipping: Some(shipping),
                taxes: Some(taxes),
                total: Some(item_price + gift_wrap + shipping + taxes - discount),
                refunded: Some(0),
                subtotal: None,
            },
            lines: vec![Line {
                key: String::new(),
                quantity: units,
                name: cell(record, self.product.as_ref()).to_string(),
                sku: cell(record, self.sku.as_ref()).to_string(),
                unit_price: if units > 0 {
                    item_price / units
                } else {
                    item_price
                },
                total: item_price,
            }],
        }))
    }
}
