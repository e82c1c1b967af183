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
}

impl<'a> Grouper<'a> {
    fn new(file: &'a OrdersFile, at: Option<Position>) -> Result<Grouper<'a>, AnalyticsError> {
        let mut export = CsvExport::open_at_header(
            &file.path,
            file.layout.name(),
            file.delimiter,
            file.marker(),
        )?;
        // Messages name the seller's file, not the UTF-8 copy read in its place: its
        // rows are the same.
        export.show_as(&file.original);
        if let Some(at) = at {
            export
                .reader
                .seek(at)
                .map_err(|error| FileError::csv(&file.original, error))?;
        }
        let reader = channels::reader(file.layout, file.mapping.as_ref(), &export)?;
        let next_at = export.reader.position().clone();
        let mut grouper = Grouper {
            export,
            reader,
            layout: file.layout,
            path: &file.original,
            record: StringRecord::new(),
            next: None,
            next_at,
            skipped_rows: 0,
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
            match self.reader.read(&self.export, &self.record, currency)? {
                Some(row) => {
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

/// Reads the whole file once without writing, so that a malformed row stops the import
/// before it has changed anything.
fn validate(file: &OrdersFile) -> Result<(), AnalyticsError> {
    let mut grouper = Grouper::new(file, None)?;
    while grouper.next_order()?.is_some() {}
    Ok(())
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
/// until its end, an error (sent as the last message), or the writer hanging up.
fn read_batches(
    file: &OrdersFile,
    start: Option<Position>,
    sender: &std::sync::mpsc::SyncSender<Result<Batch, AnalyticsError>>,
) {
    let mut grouper = match Grouper::new(file, start) {
        Ok(grouper) => grouper,
        Err(error) => {
            let _ = sender.send(Err(error));
            return;
        }
    };
    loop {
        let mut orders = Vec::with_capacity(ORDERS_PER_COMMIT);
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
    fx::ensure_rates(&store)?;
    let reporting = fx::reporting_currency(&store)?;
    let rates =
        fx::Rates::load(&store.connect()?, &reporting).map_err(|error| store.error(error))?;
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
    let mut importer = Importer {
        store: &store,
        file: &file,
        source,
        reporting: &reporting,
        rates: &rates,
        total_bytes,
        skipped_before: checkpoint.skipped_rows,
        checkpoint,
        written: HashSet::default(),
        known: HashMap::default(),
    };
    let sqlite = |error| AnalyticsError::from(store.error(error));
    std::thread::scope(|scope| {
        // One thread reads and groups the rows while this one writes the chunk before.
        let (sender, batches) = std::sync::mpsc::sync_channel(2);
        let file = &file;
        scope.spawn(move || read_batches(file, start, &sender));
        let mut batches = batches.into_iter();
        let mut more = true;
        if fresh {
            // A malformed row must stop the import before it changed anything, so the
            // whole file is read once more beside the import, and what the import wrote
            // meanwhile (the file's earlier orders cleared, the chunks of up to half the
            // file, so that the rest still commits chunk by chunk) waits in one
            // transaction for its word.
            let validation = scope.spawn(move || validate(file));
            let tx = conn.transaction().map_err(sqlite)?;
            tx.execute("DELETE FROM orders WHERE source = ?1", [source])
                .and_then(|_| frame::mark_changed(&tx))
                .map_err(sqlite)?;
            importer.known = store_orders::known(&tx, file.channel()).map_err(sqlite)?;
            while more && !validation.is_finished() && importer.checkpoint.byte < total_bytes / 2 {
                let Some(batch) = batches.next() else { break };
                let batch = batch?;
                more = batch.more;
                importer.write(&tx, batch)?;
            }
            match validation.join() {
                Ok(outcome) => outcome?,
                Err(panic) => std::panic::resume_unwind(panic),
            }
            context.commit(tx, importer.done(), &importer.checkpoint)?;
        } else {
            importer.known = store_orders::known(&conn, file.channel()).map_err(sqlite)?;
            // An order met again after the resume adds its lines to what the earlier
            // runs wrote of it.
            importer.written =
                store_orders::written_by(&conn, file.channel(), source).map_err(sqlite)?;
        }
        while more {
            let Some(batch) = batches.next() else { break };
            let batch = batch?;
            more = batch.more;
            let tx = conn.transaction().map_err(sqlite)?;
            importer.write(&tx, batch)?;
            context.commit(tx, importer.done(), &importer.checkpoint)?;
        }
        Ok::<(), AnalyticsError>(())
    })?;
    Ok(importer.checkpoint.outcome(file.layout))
}

/// What an import carries from chunk to chunk.
struct Importer<'a> {
    store: &'a Store,
    file: &'a OrdersFile,
    source: &'a str,
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
}

impl Importer<'_> {
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
