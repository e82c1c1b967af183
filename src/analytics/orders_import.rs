//! Any channel's orders export into the store, as a resumable job. Rows of an order come
//! together (Shopify, Amazon, eBay and Etsy write them so); they are read in chunks of
//! whole orders, and each chunk commits with the byte position after it, so an
//! interrupted import resumes exactly there. The file is read once first without
//! writing: a malformed row stops the import before anything changed, with one sentence
//! naming the file, row and column. Importing a file again, or one that overlaps it,
//! updates its orders without duplicating one. Rows that are no order's (eBay's summary
//! rows) are skipped and counted.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::Path;

use csv::{Position, StringRecord};
use serde::{Deserialize, Serialize};

use super::channels::dates::PlausibleDates;
use super::channels::{self, Channel, Layout, RowReader};
use super::order_mapping::OrderMapping;
use super::source::{self, OrdersFile};
use super::store_orders::{self, PendingOrder};
use super::{AnalyticsError, frame, fx};
use crate::files::{CsvExport, FileError};
use crate::jobs::{JobContext, Unit};
use crate::store::Store;

/// The job stage of an orders import, when a job has one.
pub const STAGE: &str = "orders";
/// Whole orders a chunk commits: an interrupted import does at most this many again.
const ORDERS_PER_COMMIT: usize = 10_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportedOrders {
    pub orders: u64,
    pub lines: u64,
    /// Rows that belong to no order (summary or blank rows), left out.
    #[serde(default)]
    pub skipped_rows: u64,
    #[serde(default = "shopify_orders")]
    pub layout: Layout,
}

fn shopify_orders() -> Layout {
    Layout::ShopifyOrders
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Checkpoint {
    /// The size of the file read when the import started: resuming at a byte offset into
    /// a file that has since changed would import garbage.
    file_size: u64,
    byte: u64,
    line: u64,
    record: u64,
    orders: u64,
    lines: u64,
    skipped_rows: u64,
    finished: bool,
}

impl Checkpoint {
    fn at(&mut self, position: &Position) {
        self.byte = position.byte();
        self.line = position.line();
        self.record = position.record();
    }

    fn position(&self) -> Position {
        let mut position = Position::new();
        position
            .set_byte(self.byte)
            .set_line(self.line)
            .set_record(self.record);
        position
    }

    fn outcome(&self, layout: Layout) -> ImportedOrders {
        ImportedOrders {
            orders: self.orders,
            lines: self.lines,
            skipped_rows: self.skipped_rows,
            layout,
        }
    }
}

/// The orders of an export, one at a time: rows of an order gathered, rows of no order
/// skipped and counted.
struct Grouper<'a> {
    export: CsvExport,
    reader: Box<dyn RowReader>,
    layout: Layout,
    path: &'a Path,
    record: StringRecord,
    /// The first row of the next order, read already.
    next: Option<PendingOrder>,
    /// Where that row starts: the position after the order before it.
    next_at: Position,
    skipped_rows: u64,
    dates: PlausibleDates,
    /// The header's columns, which every row of a known layout has.
    width: usize,
}

/// The file opened at its header (at `at` when given), with its layout's row reader.
fn open(
    file: &OrdersFile,
    at: Option<Position>,
) -> Result<(CsvExport, Box<dyn RowReader>), AnalyticsError> {
    let mut export = CsvExport::open_at_header(
        &file.path,
        file.layout.name(),
        file.delimiter,
        file.marker(),
    )?;
    // Messages name the seller's file, not the UTF-8 copy read in its place: its rows
    // are the same.
    export.show_as(&file.original);
    if let Some(at) = at {
        export
            .reader
            .seek(at)
            .map_err(|error| FileError::csv(&file.original, error))?;
    }
    let reader = channels::reader(file.layout, file.mapping.as_ref(), &export)?;
    Ok((export, reader))
}

impl<'a> Grouper<'a> {
    fn new(file: &'a OrdersFile, at: Option<Position>) -> Result<Grouper<'a>, AnalyticsError> {
        let (export, reader) = open(file, at)?;
        let next_at = export.reader.position().clone();
        let width = export.width();
        let mut grouper = Grouper {
            export,
            reader,
            layout: file.layout,
            path: &file.original,
            record: StringRecord::new(),
            next: None,
            next_at,
            skipped_rows: 0,
            dates: PlausibleDates::now(),
            width,
        };
        grouper.next = grouper.read_row(None)?;
        Ok(grouper)
    }

    /// The next row that is an order's, as the start of an order.
    fn read_row(&mut self, currency: Option<&str>) -> Result<Option<PendingOrder>, AnalyticsError> {
        loop {
            self.next_at = self.export.reader.position().clone();
            if !self.export.read(&mut self.record)? {
                return Ok(None);
            }
            let read = self.reader.read(&self.export, &self.record, currency)?;
            if !self.layout.has_rows_of_no_order() {
                self.refuse_damaged_row(read.is_none())?;
            }
            match read {
                Some(row) => {
                    let created = row.order.created_at.as_deref();
                    if let Some((time, doubt)) =
                        created.and_then(|time| Some((time, self.dates.doubt(time)?)))
                    {
                        return Err(FileError::InvalidValue {
                            path: self.path.to_path_buf(),
                            row: self.export.row(&self.record),
                            column: "order date".into(),
                            value: time.to_string(),
                            reason: doubt.into(),
                        }
                        .into());
                    }
                    return Ok(Some(PendingOrder {
                        at: self.next_at.clone(),
                        id: row.order_id,
                        part: row.order,
                        amounts: row.amounts,
                        lines: row.lines,
                    }));
                }
                None => self.skipped_rows += 1,
            }
        }
    }

    /// A row cut short, or of no order and not blank, in a layout that writes neither: the
    /// file was cut or edited (a quote left open at its end swallows the rest of a row).
    /// Asked of every row: the common case (an order's row, whole) costs one comparison.
    fn refuse_damaged_row(&self, of_no_order: bool) -> Result<(), FileError> {
        let cells = self.record.len();
        let short = cells < self.width;
        if !(of_no_order || short) || self.record.iter().all(|cell| cell.trim().is_empty()) {
            return Ok(());
        }
        let detail = if of_no_order {
            "it is no order's (its order id is empty): was the file cut short or edited?".into()
        } else {
            format!(
                "it has {cells} cells where the header has {}: was the file cut short?",
                self.width
            )
        };
        Err(FileError::Malformed {
            path: self.path.to_path_buf(),
            row: self.export.row(&self.record),
            detail,
        })
    }

    /// The next whole order, and the position after it.
    fn next_order(&mut self) -> Result<Option<(PendingOrder, Position)>, AnalyticsError> {
        let Some(mut order) = self.next.take() else {
            return Ok(None);
        };
        loop {
            let currency = order.part.currency.clone();
            match self.read_row(currency.as_deref())? {
                Some(row) if row.id == order.id => {
                    order.part.fill_from(row.part);
                    order
                        .amounts
                        .merge(row.amounts, self.layout.amounts_add_up());
                    order.lines.extend(row.lines);
                }
                other => {
                    self.next = other;
                    break;
                }
            }
        }
        if order.part.created_at.is_none() {
            return Err(AnalyticsError::OrderWithoutDate {
                path: self.path.to_path_buf(),
                row: self.export.row_at(Some(&order.at)),
                order: order.id,
            });
        }
        Ok(Some((order, self.next_at.clone())))
    }
}

/// Checks, without writing, the orders that start in the second half of the file (of
/// `total_bytes`), so that a malformed row there stops the import before it has changed
/// anything; the reader checks the rows before as it reads them. Returns the byte where
/// the check began: the first row at or after the middle that starts an order.
fn check_second_half(file: &OrdersFile, total_bytes: u64) -> Result<u64, AnalyticsError> {
    let start = match order_start_after(file, total_bytes / 2)? {
        Some(start) => start,
        None => return Ok(total_bytes),
    };
    let checked_from = start.byte();
    let mut grouper = Grouper::new(file, Some(start))?;
    while grouper.next_order()?.is_some() {}
    Ok(checked_from)
}

/// Where the first order that starts at or after byte `middle` starts: the rows are
/// skipped as CSV only up to the middle, then read until the order in progress there
/// ends. None at the end of the file; the file's first row when the row before the
/// middle is of no order (a blank or summary row), since the order it interrupts is not
/// known then.
fn order_start_after(file: &OrdersFile, middle: u64) -> Result<Option<Position>, AnalyticsError> {
    let (mut export, reader) = open(file, None)?;
    let first_row = export.reader.position().clone();
    let (mut row, mut last_before) = (csv::ByteRecord::new(), first_row.clone());
    loop {
        let at = export.reader.position().clone();
        if at.byte() >= middle {
            break;
        }
        last_before = at;
        let read = export.reader.read_byte_record(&mut row);
        if !read.map_err(|error| FileError::csv(&file.original, error))? {
            return Ok(None);
        }
    }
    export
        .reader
        .seek(last_before)
        .map_err(|error| FileError::csv(&file.original, error))?;
    let mut record = StringRecord::new();
    if !export.read(&mut record)? {
        return Ok(None);
    }
    let in_progress = reader.order_id(&record).to_string();
    if in_progress.is_empty() {
        return Ok(Some(first_row));
    }
    loop {
        let at = export.reader.position().clone();
        if !export.read(&mut record)? {
            return Ok(None);
        }
        let order = reader.order_id(&record);
        if !order.is_empty() && order != in_progress {
            return Ok(Some(at));
        }
    }
}

/// Whole orders read for one chunk, and where the file stands after them.
struct Batch {
    orders: Vec<PendingOrder>,
    after: Position,
    /// Whether orders follow.
    more: bool,
    /// Rows that were not an order's (blank, a summary) from the start of this run.
    skipped_rows: u64,
}

/// Reads the file from `start` (its first order when None) in batches of whole orders
/// until its end, an error (sent as the last message), or the writer hanging up. The
/// writer sends the orders it wrote back through `spent`, to be freed here where they
/// were made: the allocator frees another thread's memory through a slower path, which
/// was a twentieth of the writer's time.
fn read_batches(
    file: &OrdersFile,
    start: Option<Position>,
    sender: &std::sync::mpsc::SyncSender<Result<Batch, AnalyticsError>>,
    spent: &std::sync::mpsc::Receiver<Vec<PendingOrder>>,
) {
    let mut grouper = match Grouper::new(file, start) {
        Ok(grouper) => grouper,
        Err(error) => {
            let _ = sender.send(Err(error));
            return;
        }
    };
    loop {
        let mut orders = match spent.try_recv() {
            Ok(mut written) => {
                written.clear();
                written
            }
            Err(_) => Vec::with_capacity(ORDERS_PER_COMMIT),
        };
        let mut after = grouper.next_at.clone();
        let mut more = true;
        while orders.len() < ORDERS_PER_COMMIT {
            match grouper.next_order() {
                Ok(Some((order, position))) => {
                    orders.push(order);
                    after = position;
                }
                Ok(None) => {
                    more = false;
                    after = grouper.next_at.clone();
                    break;
                }
                Err(error) => {
                    let _ = sender.send(Err(error));
                    return;
                }
            }
        }
        let batch = Batch {
            orders,
            after,
            more,
            skipped_rows: grouper.skipped_rows,
        };
        // A writer that hung up has failed or been cancelled: nothing more to read for.
        if sender.send(Ok(batch)).is_err() || !more {
            return;
        }
    }
}

/// An orders file to import, and how.
#[derive(Debug, Clone, Copy)]
pub struct OrdersRequest<'a> {
    pub path: &'a Path,
    /// The name its orders are kept under: importing it again replaces them.
    pub source: &'a str,
    /// The channel the file must be an export of; any when None.
    pub channel: Option<Channel>,
    /// Which column is which, for a file of the seller's own layout; the layout is
    /// found from the header when None.
    pub mapping: Option<&'a OrderMapping>,
}

/// Imports the orders of a file, replacing what an earlier import of the same file
/// brought. A file that is not a UTF-8 CSV is read through a UTF-8 CSV copy in `copies`.
/// A malformed row stops the import before anything is written, naming the file, row
/// and column. `stage` names the job's stage (a job importing several files gives each
/// its own).
pub fn import_orders(
    request: OrdersRequest<'_>,
    copies: &Path,
    stage: &str,
    context: &mut JobContext,
) -> Result<ImportedOrders, AnalyticsError> {
    let OrdersRequest {
        path,
        source,
        channel,
        mapping,
    } = request;
    let file = source::prepare(path, channel, mapping, copies)?;
    let saved: Option<Checkpoint> = context.saved(stage)?;
    if let Some(done) = saved.as_ref().filter(|saved| saved.finished) {
        return Ok(done.outcome(file.layout));
    }
    let store = context.store().clone();
    let total_bytes = std::fs::metadata(&file.path)
        .map_err(|error| FileError::io(&file.path, error))?
        .len();
    let mut conn = store.connect()?;
    // A large import touches its indexes all over: a page cache big enough for them
    // saves re-reading pages from the file (128 MiB at most, for this connection only).
    conn.execute_batch("PRAGMA cache_size = -131072; PRAGMA wal_autocheckpoint = 16384")
        .map_err(|error| store.error(error))?;

    let (checkpoint, start) = match saved {
        Some(saved) if saved.file_size != total_bytes => {
            return Err(AnalyticsError::ChangedSinceStarted {
                path: path.to_path_buf(),
            });
        }
        Some(saved) => {
            context.begin_stage(stage, Unit::Bytes, Some(total_bytes), saved.byte);
            let start = saved.position();
            (saved, Some(start))
        }
        None => {
            let mut fresh = Checkpoint {
                file_size: total_bytes,
                ..Checkpoint::default()
            };
            fresh.at(&Grouper::new(&file, None)?.next_at);
            context.begin_stage(stage, Unit::Bytes, Some(total_bytes), fresh.byte);
            (fresh, None)
        }
    };
    let fresh = start.is_none();
    let sqlite = |error| AnalyticsError::from(store.error(error));
    let skipped_before = checkpoint.skipped_rows;
    std::thread::scope(|scope| {
        // One thread reads and groups the rows while this one writes the chunk before.
        let (sender, batches) = std::sync::mpsc::sync_channel(2);
        let (spent, written) = std::sync::mpsc::channel();
        let file = &file;
        scope.spawn(move || read_batches(file, start, &sender, &written));
        // A malformed row must stop the import before it changed anything. The reader
        // checks each row it reads, and another thread checks the orders from the middle
        // of the file on: what the import writes before both are through (the file's
        // earlier orders cleared, the orders of its first half or so) waits in one
        // transaction for their word, and the rest commits chunk by chunk.
        let validation = fresh.then(|| scope.spawn(move || check_second_half(file, total_bytes)));
        // The rates load while those two threads start on the file.
        fx::ensure_rates(&store)?;
        let reporting = fx::reporting_currency(&store)?;
        let rates = fx::Rates::load(&conn, &reporting).map_err(sqlite)?;
        let mut importer = Importer {
            store: &store,
            file,
            source: 0,
            reporting: &reporting,
            rates: &rates,
            total_bytes,
            skipped_before,
            checkpoint,
            written: HashSet::default(),
            known: HashMap::default(),
            spent,
        };
        let mut batches = batches.into_iter();
        let mut more = true;
        if let Some(validation) = validation {
            let tx = conn.transaction().map_err(sqlite)?;
            importer.source = store_orders::source_id(&tx, source).map_err(sqlite)?;
            store_orders::clear(&tx, importer.source)
                .and_then(|_| frame::mark_changed(&tx))
                .map_err(sqlite)?;
            importer.known = store_orders::known(&tx, file.channel()).map_err(sqlite)?;
            while more && !validation.is_finished() && importer.checkpoint.byte < total_bytes / 2 {
                more = importer.write_next(&mut batches, &tx)?;
            }
            let checked_from = match validation.join() {
                Ok(outcome) => outcome?,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            // The rows before those are checked as the reader reads them.
            while more && importer.checkpoint.byte < checked_from {
                more = importer.write_next(&mut batches, &tx)?;
            }
            context.commit(tx, importer.done(), &importer.checkpoint)?;
        } else {
            // The first run made the file's number in the transaction it committed.
            importer.source = store_orders::source_id(&conn, source).map_err(sqlite)?;
            importer.known = store_orders::known(&conn, file.channel()).map_err(sqlite)?;
            // An order met again after the resume adds its lines to what the earlier
            // runs wrote of it.
            importer.written =
                store_orders::written_by(&conn, file.channel(), importer.source).map_err(sqlite)?;
        }
        while more {
            let tx = conn.transaction().map_err(sqlite)?;
            more = importer.write_next(&mut batches, &tx)?;
            context.commit(tx, importer.done(), &importer.checkpoint)?;
        }
        Ok::<_, AnalyticsError>(importer.checkpoint.outcome(file.layout))
    })
}

/// What an import carries from chunk to chunk.
struct Importer<'a> {
    store: &'a Store,
    file: &'a OrdersFile,
    /// The number the file's orders are stored under (`store_orders::source_id`).
    source: i64,
    reporting: &'a str,
    rates: &'a fx::Rates,
    total_bytes: u64,
    /// Rows skipped before this run (a resumed import's first run).
    skipped_before: u64,
    checkpoint: Checkpoint,
    /// The orders (their rows) this import wrote: a later row of one adds to it.
    written: HashSet<i64>,
    /// The channel's orders in the store, by the channel's id.
    known: HashMap<String, i64>,
    /// Where written batches go to be freed (`read_batches`).
    spent: std::sync::mpsc::Sender<Vec<PendingOrder>>,
}

impl Importer<'_> {
    /// Writes the next batch the reader sends into `tx`; whether more follow.
    fn write_next(
        &mut self,
        batches: &mut impl Iterator<Item = Result<Batch, AnalyticsError>>,
        tx: &rusqlite::Transaction<'_>,
    ) -> Result<bool, AnalyticsError> {
        let Some(batch) = batches.next() else {
            return Ok(false);
        };
        let batch = batch?;
        let more = batch.more;
        self.write(tx, batch)?;
        Ok(more)
    }

    /// Writes a batch's orders into `tx` and moves the checkpoint past them.
    fn write(
        &mut self,
        tx: &rusqlite::Transaction<'_>,
        batch: Batch,
    ) -> Result<(), AnalyticsError> {
        let sqlite_error = |error| AnalyticsError::from(self.store.error(error));
        let chunk = store_orders::write(
            tx,
            self.file.channel(),
            self.source,
            &batch.orders,
            self.file.has_every_line(),
            &mut self.written,
            self.rates,
            &mut self.known,
        )
        .map_err(sqlite_error)?;
        fx::refresh_on(tx, self.reporting, fx::Orders::These(&chunk.updated))
            .map_err(sqlite_error)?;
        // An order whose rows are not all together comes in more than one group: count it once.
        let checkpoint = &mut self.checkpoint;
        checkpoint.orders += chunk.new_orders;
        checkpoint.lines += chunk.lines;
        checkpoint.skipped_rows = self.skipped_before + batch.skipped_rows;
        checkpoint.at(&batch.after);
        checkpoint.finished = !batch.more;
        // A reader that is done has hung up: the batch is freed here then.
        let _ = self.spent.send(batch.orders);
        Ok(())
    }

    /// The bytes done, for the progress.
    fn done(&self) -> u64 {
        if self.checkpoint.finished {
            self.total_bytes
        } else {
            self.checkpoint.byte
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOPIFY_HEADER: &str = "Name,Email,Financial Status,Created at,Currency,Total,Lineitem quantity,Lineitem name,Lineitem price\n";

    /// A Shopify export of `orders` orders of three lines each (later rows carry only the
    /// order's name and the line, as Shopify writes them).
    fn shopify(orders: usize) -> String {
        let mut text = SHOPIFY_HEADER.to_string();
        for order in 1..=orders {
            text += &format!(
                "#{order},buyer{order}@example.com,paid,2025-01-02 10:00:00 +0000,EUR,30.00,1,Tote,10.00\n"
            );
            for _ in 0..2 {
                text += &format!("#{order},,,,,,1,Mug,10.00\n");
            }
        }
        text
    }

    fn prepared(dir: &Path, name: &str, text: &str) -> OrdersFile {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        source::prepare(&path, None, None, dir).unwrap()
    }

    /// The line of `text` that starts at byte `at`.
    fn line_at(text: &str, at: u64) -> &str {
        text[at as usize..].lines().next().unwrap()
    }

    #[test]
    fn the_check_begins_at_the_first_order_that_starts_after_the_middle() {
        let dir = tempfile::tempdir().unwrap();
        let text = shopify(40);
        let file = prepared(dir.path(), "orders.csv", &text);
        let middle = text.len() as u64 / 2;
        let start = order_start_after(&file, middle).unwrap().unwrap();
        assert!(start.byte() >= middle);
        let first = line_at(&text, start.byte());
        assert!(
            first.contains("@example.com"),
            "an order's first row: {first}"
        );
        // The row before it is the last of the order in progress at the middle.
        let before = text[..start.byte() as usize - 1].rfind('\n').unwrap() + 1;
        let name = |line: &str| line.split(',').next().unwrap().to_string();
        assert_ne!(name(line_at(&text, before as u64)), name(first));
        assert!(
            text[middle as usize..start.byte() as usize]
                .lines()
                .all(|line| !line.contains("@example.com")),
            "no order starts between the middle and the check's start"
        );
        // Past the last order's start, nothing is left to check.
        let last_order = text.rfind("buyer40").unwrap() as u64;
        assert!(order_start_after(&file, last_order).unwrap().is_none());
    }

    #[test]
    fn a_row_of_no_order_before_the_middle_makes_the_check_cover_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let header = "amazon-order-id\tpurchase-date\tsku\tquantity\tcurrency\titem-price\n";
        let row = |order: usize| {
            format!("111-{order}\t2025-04-01T10:00:00+00:00\tMUG-1\t1\tUSD\t12.00\n")
        };
        let mut text = header.to_string();
        (1..=10).for_each(|order| text += &row(order));
        // A row of no order (Amazon leaves the id blank in summary rows) just before the
        // middle, then more orders: the order it interrupts, if any, is not known.
        text += "\t\t\t\t\t\n";
        let middle = text.len() as u64;
        (11..=12).for_each(|order| text += &row(order));
        let file = prepared(dir.path(), "orders.txt", &text);
        let start = order_start_after(&file, middle).unwrap().unwrap();
        assert_eq!(line_at(&text, start.byte()), row(1).trim_end());
    }

    #[test]
    fn a_malformed_row_in_the_second_half_is_named_by_the_check() {
        let dir = tempfile::tempdir().unwrap();
        let text = shopify(40).replace("#35,,,,,,1,Mug,10.00", "#35,,,,,,1,Mug,10.0x");
        let file = prepared(dir.path(), "orders.csv", &text);
        let error = check_second_half(&file, text.len() as u64)
            .unwrap_err()
            .to_string();
        // Order 35's rows are lines 104 to 106 of the file (the header is line 1).
        assert!(
            error.contains("orders.csv, row 105, column 'Lineitem price'"),
            "{error}"
        );
        let fine = prepared(dir.path(), "fine.csv", &shopify(40));
        let checked_from = check_second_half(&fine, text.len() as u64).unwrap();
        assert!(checked_from >= text.len() as u64 / 2);
    }
}
