//! Buyers' messages imported from a file (the buyer, the order number, the text, the
//! date: a CSV, XLSX or JSON array, its columns known by their usual names), kept to be
//! answered one by one. A message is known by a digest of those four, so importing an
//! overlapping export again adds only the new ones.

use std::path::Path;

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::AssistantError;
use crate::analytics::dates;
use crate::files::{FileError, Table, row_key, source_name};
use crate::store::Store;

/// What a column of a messages file holds, and the names it goes by (lower case,
/// without spaces or punctuation), the likeliest first.
const BUYER: &[&str] = &[
    "buyer",
    "buyername",
    "buyerusername",
    "buyeremail",
    "customer",
    "customername",
    "customeremail",
    "from",
    "sender",
    "sendername",
    "username",
    "name",
    "email",
];
const ORDER: &[&str] = &[
    "ordernumber",
    "order",
    "orderid",
    "orderno",
    "ordername",
    "amazonorderid",
    "receiptid",
    "receipt",
];
const TEXT: &[&str] = &[
    "message",
    "text",
    "messagetext",
    "body",
    "messagebody",
    "content",
    "question",
    "ticketdescription",
    "issuedescription",
    "description",
    "comment",
    "comments",
    "enquiry",
    "inquiry",
];
const DATE: &[&str] = &[
    "date",
    "sentat",
    "sent",
    "sentdate",
    "receivedat",
    "received",
    "createdat",
    "created",
    "messagedate",
    "datesent",
    "datereceived",
    "datecreated",
    "datetime",
    "timestamp",
    "time",
];

/// One message as a file gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageRow {
    pub key: String,
    pub buyer: String,
    pub order: String,
    pub text: String,
    /// UTC RFC 3339.
    pub sent_at: Option<String>,
}

/// A message kept to be answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BuyerMessage {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub buyer: String,
    /// The order number the file names, as written ("" when it names none).
    pub order: String,
    pub text: String,
    /// UTC RFC 3339, when the file dates it.
    pub sent_at: Option<String>,
    /// The file it came from.
    pub source: String,
}

/// What an import of a messages file did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MessagesImported {
    pub file: String,
    /// Messages new to Tradewind.
    pub added: usize,
    /// Messages an earlier import brought already.
    pub known: usize,
    /// Rows without a text.
    pub skipped: usize,
}

fn normalised(column: &str) -> String {
    column
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The index of the column going by one of `names`, the likeliest name first.
fn column_of(columns: &[String], names: &[&str]) -> Option<usize> {
    let columns: Vec<String> = columns.iter().map(|column| normalised(column)).collect();
    names
        .iter()
        .find_map(|name| columns.iter().position(|column| column == name))
}

/// Reads the messages of `path`, leaving out rows with no text.
pub fn read(path: &Path) -> Result<(Vec<MessageRow>, usize), AssistantError> {
    let table = Table::read(path)?;
    let text_at =
        column_of(&table.columns, TEXT).ok_or_else(|| AssistantError::NoMessageColumn {
            path: path.to_path_buf(),
            columns: table.columns.join(", "),
        })?;
    let buyer_at = column_of(&table.columns, BUYER);
    let order_at = column_of(&table.columns, ORDER);
    let date_at = column_of(&table.columns, DATE);
    let cell = |cells: &[String], at: Option<usize>| -> String {
        at.and_then(|at| cells.get(at))
            .map_or_else(String::new, |text| text.trim().to_string())
    };
    // A file writes its days one way: month first when some date reads only so
    // (12/25/2025), day first otherwise.
    let month_first = table.rows.iter().any(|cells| {
        let date = cell(cells, date_at);
        dates::written(&date, false).is_none() && dates::written(&date, true).is_some()
    });
    let mut rows = Vec::with_capacity(table.rows.len());
    let mut skipped = 0;
    for (position, cells) in table.rows.iter().enumerate() {
        let text = cell(cells, Some(text_at));
        if text.is_empty() {
            skipped += 1;
            continue;
        }
        let written = cell(cells, date_at);
        let sent_at = match written.as_str() {
            "" => None,
            written => Some(dates::written(written, month_first).ok_or_else(|| {
                FileError::InvalidValue {
                    path: path.to_path_buf(),
                    row: table.row_number(position),
                    column: date_at
                        .and_then(|at| table.columns.get(at))
                        .cloned()
                        .unwrap_or_default(),
                    value: written.to_string(),
                    reason: "not a date".into(),
                }
            })?),
        };
        let (buyer, order) = (cell(cells, buyer_at), cell(cells, order_at));
        rows.push(MessageRow {
            key: row_key(&[&buyer, &order, sent_at.as_deref().unwrap_or(""), &text]),
            buyer,
            order,
            text,
            sent_at,
        });
    }
    Ok((rows, skipped))
}

/// Imports the messages of `path`; those known already are left as they are.
pub fn import(store: &Store, path: &Path) -> Result<MessagesImported, AssistantError> {
    let (rows, skipped) = read(path)?;
    let source = source_name(path);
    let mut conn = store.connect()?;
    let sqlite = |error| store.error(error);
    let transaction = conn.transaction().map_err(sqlite)?;
    let mut added = 0;
    {
        let mut insert = transaction
            .prepare(
                "INSERT INTO buyer_messages (message_key, buyer, order_name, body, sent_at, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (message_key) DO NOTHING",
            )
            .map_err(sqlite)?;
        for row in &rows {
            added += insert
                .execute(params![
                    row.key,
                    row.buyer,
                    row.order,
                    row.text,
                    row.sent_at,
                    source
                ])
                .map_err(sqlite)?;
        }
    }
    transaction.commit().map_err(sqlite)?;
    Ok(MessagesImported {
        file: path.display().to_string(),
        added,
        known: rows.len() - added,
        skipped,
    })
}

const SELECT: &str = "SELECT id, buyer, order_name, body, sent_at, source FROM buyer_messages";

fn message(row: &rusqlite::Row) -> rusqlite::Result<BuyerMessage> {
    Ok(BuyerMessage {
        id: row.get(0)?,
        buyer: row.get(1)?,
        order: row.get(2)?,
        text: row.get(3)?,
        sent_at: row.get(4)?,
        source: row.get(5)?,
    })
}

/// Every kept message, the newest first (undated ones after, as imported).
pub fn list(store: &Store) -> Result<Vec<BuyerMessage>, AssistantError> {
    let conn = store.connect()?;
    let sqlite = |error| store.error(error);
    let mut query = conn
        .prepare(&format!(
            "{SELECT} ORDER BY sent_at IS NULL, sent_at DESC, id"
        ))
        .map_err(sqlite)?;
    let messages = query
        .query_map([], message)
        .map_err(sqlite)?
        .collect::<Result<_, _>>()
        .map_err(sqlite)?;
    Ok(messages)
}

/// The kept message `id`.
pub fn get(store: &Store, id: i64) -> Result<BuyerMessage, AssistantError> {
    let conn = store.connect()?;
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], message)
        .optional()
        .map_err(|error| store.error(error))?
        .ok_or(AssistantError::NoSuchMessage { id })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DATABASE_FILE, StoreOptions};

    fn file(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn columns_are_known_by_their_usual_names_and_us_dates_are_read_month_first() {
        let dir = tempfile::tempdir().unwrap();
        let path = file(
            dir.path(),
            "inbox.csv",
            "Buyer Username,Order #,Message Text,Sent Date\n\
             ana_k,1042,\"Wann kommt meine Bestellung?\",12/25/2025 14:05\n\
             bob,,,01/02/2026\n\
             cleo,,Does it fit a 15 inch laptop?,01/03/2026\n",
        );
        let (rows, skipped) = read(&path).unwrap();
        assert_eq!(skipped, 1, "the row without a text");
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].buyer.as_str(), rows[0].order.as_str()),
            ("ana_k", "1042")
        );
        assert_eq!(rows[0].sent_at.as_deref(), Some("2025-12-25T14:05:00Z"));
        assert_eq!(rows[1].sent_at.as_deref(), Some("2026-01-03T00:00:00Z"));
        assert_eq!(rows[1].order, "");
    }

    #[test]
    fn a_help_desk_export_reads_its_description_as_the_text_and_not_the_purchase_day_as_the_date() {
        // The header of the customer-support tickets dataset copied across many public
        // repositories (Kaggle's customer_support_tickets.csv).
        let dir = tempfile::tempdir().unwrap();
        let path = file(
            dir.path(),
            "customer_support_tickets.csv",
            "Ticket ID,Customer Name,Customer Email,Customer Age,Customer Gender,Product Purchased,Date of Purchase,Ticket Type,Ticket Subject,Ticket Description,Ticket Status,Resolution,Ticket Priority,Ticket Channel,First Response Time,Time to Resolution,Customer Satisfaction Rating\n\
             1,John Smith,john.smith@example.com,32,Male,Laptop Pro,2021-03-22,Technical issue,Setup problem,\"Having trouble setting up the device\",Open,,High,Email,2.5,24.0,4.2\n",
        );
        let (rows, _) = read(&path).unwrap();
        assert_eq!(rows[0].buyer, "John Smith");
        assert_eq!(rows[0].text, "Having trouble setting up the device");
        assert_eq!(
            rows[0].sent_at, None,
            "the purchase day is not when they wrote"
        );
    }

    #[test]
    fn a_file_without_a_text_column_or_with_a_bad_date_is_refused_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let no_text = file(dir.path(), "orders.csv", "Name,Total\nana,12\n");
        let error = read(&no_text).unwrap_err().to_string();
        assert!(
            error.contains("orders.csv: no column holds the messages' text")
                && error.contains("(its columns: Name, Total)"),
            "{error}"
        );
        let bad_date = file(dir.path(), "inbox.csv", "from,body,date\nana,Hi,soon\n");
        assert!(
            read(&bad_date)
                .unwrap_err()
                .to_string()
                .ends_with("inbox.csv, row 2, column 'date': not a date ('soon')"),
        );
    }

    #[test]
    fn importing_an_overlapping_export_again_adds_only_the_new_messages() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join(DATABASE_FILE), StoreOptions::default()).unwrap();
        let first = file(
            dir.path(),
            "march.csv",
            "buyer,order,text,date\nana,#1042,When does it ship?,2025-03-03\n",
        );
        let imported = import(&store, &first).unwrap();
        assert_eq!((imported.added, imported.known), (1, 0));
        let second = file(
            dir.path(),
            "april.csv",
            "buyer,order,text,date\nana,#1042,When does it ship?,2025-03-03\n\
             cleo,,Do you ship to Japan?,2025-04-01\n",
        );
        let imported = import(&store, &second).unwrap();
        assert_eq!((imported.added, imported.known), (1, 1));
        let kept = list(&store).unwrap();
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].buyer, "cleo", "the newest first");
        assert_eq!(get(&store, kept[1].id).unwrap().order, "#1042");
        assert!(matches!(
            get(&store, 999),
            Err(AssistantError::NoSuchMessage { id: 999 })
        ));
    }
}
