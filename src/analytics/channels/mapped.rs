//! Orders from a file of the seller's own layout, read through the column mapping they
//! confirmed (`order_mapping`): one row per order, or one row per line with the rows of
//! an order one after the other and its own fields on any of them. A row without an
//! order id (a blank or a totals row under the data) is no order's and is skipped.

use csv::StringRecord;

use super::{
    Amounts, Line, OrderPart, RowRead, RowReader, amount_read_by, currency_of, dates, postal_code,
    quantity, text,
};
use crate::analytics::order_mapping::{DateOrder, OrderMapping, OrderRole};
use crate::files::{Column, CsvExport, FileError, cell};
use crate::money::parse_minor_rounded;

/// A cell as an amount in `currency`, rounded to its minor unit (a spreadsheet writes
/// what it worked out: 16.448); None when empty or absent.
fn amount(
    export: &CsvExport,
    record: &StringRecord,
    column: Option<&Column>,
    currency: &str,
) -> Result<Option<i64>, FileError> {
    amount_read_by(parse_minor_rounded, export, record, column, currency)
}

pub struct Reader {
    order_id: Column,
    date: Column,
    month_first: bool,
    /// The currency of a file whose rows name none.
    currency: Option<String>,
    columns: Vec<(OrderRole, Column)>,
    /// Whether rows carry lines (a product, SKU, quantity or line amount is mapped).
    has_lines: bool,
}

impl Reader {
    pub fn new(export: &CsvExport, mapping: &OrderMapping) -> Result<Reader, FileError> {
        let required = |role: OrderRole| {
            let name = mapping.column(role).unwrap_or(role.name());
            export.required(name)
        };
        let mut columns = Vec::new();
        for (name, role) in &mapping.columns {
            if *role != OrderRole::Ignore {
                columns.push((*role, export.required(name)?));
            }
        }
        Ok(Reader {
            order_id: required(OrderRole::OrderId)?,
            date: required(OrderRole::Date)?,
            month_first: mapping.dates == DateOrder::MonthFirst,
            currency: mapping.currency.clone(),
            has_lines: columns.iter().any(|(role, _)| role.is_line()),
            columns,
        })
    }

    fn column(&self, role: OrderRole) -> Option<&Column> {
        self.columns
            .iter()
            .find(|(mapped, _)| *mapped == role)
            .map(|(_, column)| column)
    }

    /// The row's line, when it names a product or SKU.
    fn line(
        &self,
        export: &CsvExport,
        record: &StringRecord,
        currency: &str,
    ) -> Result<Option<Line>, FileError> {
        let name = text(record, self.column(OrderRole::Product)).unwrap_or_default();
        let sku = text(record, self.column(OrderRole::Sku)).unwrap_or_default();
        if name.is_empty() && sku.is_empty() {
            return Ok(None);
        }
        let units = match self.column(OrderRole::Quantity) {
            Some(column) => quantity(export, record, column)?,
            None => 1,
        };
        let money = |role: OrderRole| amount(export, record, self.column(role), currency);
        let (unit_price, total) = match (money(OrderRole::UnitPrice)?, money(OrderRole::LineTotal)?)
        {
            (Some(price), Some(total)) => (price, total),
            (Some(price), None) => (price, price * units),
            (None, Some(total)) if units > 0 => (total / units, total),
            (None, total) => (total.unwrap_or(0), total.unwrap_or(0)),
        };
        for (role, value) in [
            (OrderRole::UnitPrice, unit_price),
            (OrderRole::LineTotal, total),
        ] {
            if let Some(column) = self.column(role).filter(|_| value < 0) {
                return Err(export.invalid(
                    record,
                    column,
                    "a negative price, which no shop exports",
                ));
            }
        }
        Ok(Some(Line {
            key: String::new(),
            quantity: units,
            name,
            sku,
            unit_price,
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
        order_currency: Option<&str>,
    ) -> Result<Option<RowRead>, FileError> {
        let order_id = self.order_id(record);
        if order_id.is_empty() {
            return Ok(None);
        }
        let own_currency = self.column(OrderRole::Currency);
        let fallback = order_currency.or(self.currency.as_deref());
        let currency = currency_of(export, record, own_currency, fallback)?;
        let money = |role: OrderRole| amount(export, record, self.column(role), &currency);
        // A spreadsheet may write what was taken off as a negative amount.
        let taken_off = |role: OrderRole| money(role).map(|value| value.map(i64::abs));
        let created_at = match text(record, Some(&self.date)) {
            Some(value) => Some(dates::written(&value, self.month_first).ok_or_else(|| {
                let like = if self.month_first {
                    "12/31/2024"
                } else {
                    "31/12/2024"
                };
                export.invalid(
                    record,
                    &self.date,
                    format!("not a date like {like} or 2024-12-31"),
                )
            })?),
            None => None,
        };
        let order = OrderPart {
            created_at,
            currency: text(record, own_currency)
                .map(|code| code.to_ascii_uppercase())
                .or_else(|| Some(currency.clone())),
            email: text(record, self.column(OrderRole::Email)),
            buyer_id: text(record, self.column(OrderRole::BuyerId)),
            buyer_name: text(record, self.column(OrderRole::BuyerName)),
            postal_code: postal_code(record, self.column(OrderRole::PostalCode)),
            country: text(record, self.column(OrderRole::Country)),
            status: text(record, self.column(OrderRole::Status)),
            cancelled_at: None,
            discount_code: None,
        };
        let amounts = Amounts {
            items: None,
            discount: taken_off(OrderRole::Discount)?,
            shipping: money(OrderRole::Shipping)?,
            taxes: money(OrderRole::Taxes)?,
            total: money(OrderRole::Total)?,
            refunded: taken_off(OrderRole::Refunded)?,
            subtotal: money(OrderRole::Subtotal)?,
        };
        let lines = match self.has_lines {
            true => self.line(export, record, &currency)?.into_iter().collect(),
            false => Vec::new(),
        };
        Ok(Some(RowRead {
            order_id: order_id.to_string(),
            order,
            amounts,
            lines,
        }))
    }
}
