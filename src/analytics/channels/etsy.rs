//! Etsy's two sales downloads, joined on `Order ID` by importing both: `EtsySoldOrders`
//! (one row per order: totals, refunds, the buyer) and `EtsySoldOrderItems` (one row per
//! item). US downloads write days as MM/DD/YY and say `Ship …`; UK ones say `Date Posted`
//! and `Delivery …`, with days as DD/MM/YY. Etsy gives no buyer e-mail: buyers are known
//! by their Etsy username (`Buyer`).

use csv::StringRecord;

use super::{
    Amounts, Line, OrderPart, RowRead, RowReader, amount, currency_of, dates, line_price,
    postal_code, quantity, text,
};
use crate::files::{Column, CsvExport, FileError, cell};

/// The day formats of a download: four-digit years are read too.
fn day_formats(uk: bool) -> &'static [&'static str] {
    if uk {
        &["%d/%m/%y", "%d/%m/%Y", "%Y-%m-%d"]
    } else {
        &["%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d"]
    }
}

fn is_uk(export: &CsvExport) -> bool {
    export
        .optional(&["Date Posted", "Delivery Country", "Delivery Name"])
        .is_some()
}

/// What both downloads say of the order, in the columns each spells its own way.
struct Common {
    uk: bool,
    order_id: Column,
    sale_date: Column,
    currency: Column,
    buyer: Option<Column>,
    ship_name: Option<Column>,
    postal_code: Option<Column>,
    country: Option<Column>,
    coupon: Option<Column>,
    discount: Option<Column>,
    shipping_discount: Option<Column>,
}

impl Common {
    fn new(export: &CsvExport) -> Result<Common, FileError> {
        Ok(Common {
            uk: is_uk(export),
            order_id: export.required("Order ID")?,
            sale_date: export.required("Sale Date")?,
            currency: export.required("Currency")?,
            buyer: export.optional(&["Buyer"]),
            ship_name: export.optional(&["Ship Name", "Delivery Name", "Full Name"]),
            postal_code: export.optional(&[
                "Ship Zipcode",
                "Delivery Zipcode",
                "Delivery Postcode",
            ]),
            country: export.optional(&["Ship Country", "Delivery Country"]),
            coupon: export.optional(&["Coupon Code"]),
            discount: export.optional(&["Discount Amount"]),
            shipping_discount: export.optional(&["Shipping Discount"]),
        })
    }

    fn order_id<'r>(&self, record: &'r StringRecord) -> &'r str {
        cell(record, Some(&self.order_id)).trim_start_matches('#')
    }

    fn order(
        &self,
        export: &CsvExport,
        record: &StringRecord,
    ) -> Result<Option<(String, String, OrderPart)>, FileError> {
        let order_id = self.order_id(record);
        if order_id.is_empty() {
            return Ok(None);
        }
        let created_at = dates::day(cell(record, Some(&self.sale_date)), day_formats(self.uk))
            .ok_or_else(|| {
                let example = if self.uk { "14/03/24" } else { "03/14/24" };
                export.invalid(record, &self.sale_date, format!("not a day like {example}"))
            })?;
        let currency = currency_of(export, record, Some(&self.currency), None)?;
        let part = OrderPart {
            created_at: Some(created_at),
            currency: Some(currency.clone()),
            buyer_id: text(record, self.buyer.as_ref()),
            buyer_name: text(record, self.ship_name.as_ref()),
            postal_code: postal_code(record, self.postal_code.as_ref()),
            country: text(record, self.country.as_ref()),
            discount_code: text(record, self.coupon.as_ref()),
            ..OrderPart::default()
        };
        Ok(Some((order_id.to_string(), currency, part)))
    }

    /// The order's discount: on the items and on shipping.
    fn discount(
        &self,
        export: &CsvExport,
        record: &StringRecord,
        currency: &str,
    ) -> Result<Option<i64>, FileError> {
        let items = amount(export, record, self.discount.as_ref(), currency)?;
        let shipping = amount(export, record, self.shipping_discount.as_ref(), currency)?;
        Ok(match (items, shipping) {
            (None, None) => None,
            (items, shipping) => Some(items.unwrap_or(0) + shipping.unwrap_or(0)),
        })
    }
}

pub struct ItemsReader {
    common: Common,
    item_name: Column,
    quantity: Column,
    price: Column,
    transaction: Column,
    item_total: Option<Column>,
    shipping: Option<Column>,
    tax: Option<Column>,
    sku: Option<Column>,
}

impl ItemsReader {
    pub fn new(export: &CsvExport) -> Result<ItemsReader, FileError> {
        Ok(ItemsReader {
            common: Common::new(export)?,
            item_name: export.required("Item Name")?,
            quantity: export.required("Quantity")?,
            price: export.required("Price")?,
            transaction: export.required("Transaction ID")?,
            item_total: export.optional(&["Item Total"]),
            shipping: export.optional(&["Order Shipping", "Order Delivery"]),
            tax: export.optional(&["Order Sales Tax"]),
            sku: export.optional(&["SKU"]),
        })
    }
}

impl RowReader for ItemsReader {
    fn order_id<'r>(&self, record: &'r StringRecord) -> &'r str {
        self.common.order_id(record)
    }

    fn read(
        &self,
        export: &CsvExport,
        record: &StringRecord,
        _order_currency: Option<&str>,
    ) -> Result<Option<RowRead>, FileError> {
        let Some((order_id, currency, order)) = self.common.order(export, record)? else {
            return Ok(None);
        };
        let money = |column: Option<&Column>| amount(export, record, column, &currency);
        let units = quantity(export, record, &self.quantity)?;
        let unit_price = line_price(export, record, &self.price, money(Some(&self.price))?)?;
        let total = money(self.item_total.as_ref())?.unwrap_or(unit_price * units);
        Ok(Some(RowRead {
            order_id,
            amounts: Amounts {
                discount: self.common.discount(export, record, &currency)?,
                shipping: money(self.shipping.as_ref())?,
                taxes: money(self.tax.as_ref())?,
                ..Amounts::default()
            },
            order,
            lines: vec![Line {
                key: cell(record, Some(&self.transaction)).to_string(),
                quantity: units,
                name: cell(record, Some(&self.item_name)).to_string(),
                sku: cell(record, self.sku.as_ref()).to_string(),
                unit_price,
                total,
            }],
        }))
    }
}

pub struct OrdersReader {
    common: Common,
    order_value: Option<Column>,
    shipping: Option<Column>,
    tax: Option<Column>,
    total: Column,
    adjusted_total: Option<Column>,
    status: Option<Column>,
}

impl OrdersReader {
    pub fn new(export: &CsvExport) -> Result<OrdersReader, FileError> {
        Ok(OrdersReader {
            common: Common::new(export)?,
            order_value: export.optional(&["Order Value"]),
            shipping: export.optional(&["Shipping", "Delivery"]),
            tax: export.optional(&["Sales Tax"]),
            total: export.required("Order Total")?,
            adjusted_total: export.optional(&["Adjusted Order Total"]),
            status: export.optional(&["Status"]),
        })
    }
}

impl RowReader for OrdersReader {
    fn order_id<'r>(&self, record: &'r StringRecord) -> &'r str {
        self.common.order_id(record)
    }

    fn read(
        &self,
        export: &CsvExport,
        record: &StringRecord,
        _order_currency: Option<&str>,
    ) -> Result<Option<RowRead>, FileError> {
        let Some((order_id, currency, mut order)) = self.common.order(export, record)? else {
            return Ok(None);
        };
        let money = |column: Option<&Column>| amount(export, record, column, &currency);
        let total = money(Some(&self.total))?;
        // A refund shows as an adjusted total below the order total.
        let refunded = match (total, money(self.adjusted_total.as_ref())?) {
            (Some(total), Some(adjusted)) if adjusted < total => Some(total - adjusted),
            (Some(_), _) => Some(0),
            _ => None,
        };
        order.status = text(record, self.status.as_ref());
        if order
            .status
            .as_deref()
            .is_some_and(|status| status.to_ascii_lowercase().contains("cancel"))
        {
            order.cancelled_at = order.created_at.clone();
        }
        Ok(Some(RowRead {
            order_id,
            amounts: Amounts {
                items: money(self.order_value.as_ref())?,
                discount: self.common.discount(export, record, &currency)?,
                shipping: money(self.shipping.as_ref())?,
                taxes: money(self.tax.as_ref())?,
                total,
                refunded,
                subtotal: None,
            },
            order,
            lines: Vec::new(),
        }))
    }
}
