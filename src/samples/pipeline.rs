//! Writing a table's files on several threads, in one of two ways.
//!
//! - [`write_files`]: the caller's thread makes the rows, in order, and
//!   hands them out in batches (the demo profile, whose random streams are
//!   sequential); formatter threads turn each batch into each file's bytes.
//! - [`write_chunks`]: worker threads make whole chunks of rows themselves
//!   (the enterprise profile, whose streams restart per chunk) and format
//!   them; the caller's thread writes.
//!
//! Either way one writer puts the batches back in order and writes (and
//! compresses) them, so the bytes depend only on the rows, never on the
//! number of threads.

use std::collections::BTreeMap;
use std::io;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::sync::{Arc, Mutex};

use super::SampleError;
use super::row::{Layout, Row};
use super::write::{Format, RowFormat, Sink};

/// Rows per batch: big enough that a hand-over costs nothing beside
/// formatting it, small enough that progress and memory stay smooth.
const BATCH: usize = 1024;

/// Batches queued per formatter thread (bounds the memory in flight).
const IN_FLIGHT: usize = 2;

/// Formatter threads at most (the writer and the row maker need cores too).
const MAX_FORMATTERS: usize = 4;

/// Work for a formatter thread: its index in the output order, then rows
/// (each with the index of the file it goes to) or a chunk to make.
type Job = (usize, Work);

/// What a [`Job`] formats.
enum Work {
    /// Rows made by the caller's thread.
    Rows(Vec<(usize, Row)>),
    /// Chunk number `n`, made by the formatter thread itself.
    Chunk(usize),
}

/// Makes chunk `n` of a table, giving each row and the file it goes to.
pub(super) type MakeChunk<'a> = dyn FnMut(usize, &mut dyn FnMut(usize, &Row)) + 'a;

/// A formatted batch: per file, its bytes and row count; or the file whose
/// formatting failed.
type Done = (usize, Result<Vec<(Vec<u8>, usize)>, (usize, io::Error)>);

/// Hands rows to the formatter threads.
pub(super) struct Emitter {
    jobs: Option<SyncSender<Job>>,
    batch: Vec<(usize, Row)>,
    sent: usize,
}

impl Emitter {
    /// Queues `row` for file `slot`; false once writing has failed (the
    /// error comes back from [`write_files`]), so the caller can stop.
    pub(super) fn emit(&mut self, slot: usize, row: Row) -> bool {
        self.batch.push((slot, row));
        self.batch.len() < BATCH || self.flush()
    }

    fn flush(&mut self) -> bool {
        if self.batch.is_empty() {
            return self.jobs.is_some();
        }
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        match &self.jobs {
            Some(jobs) if jobs.send((self.sent, Work::Rows(batch))).is_ok() => {
                self.sent += 1;
                true
            }
            _ => {
                self.jobs = None;
                false
            }
        }
    }
}

/// Runs `produce` on this thread with an [`Emitter`] whose rows end up in
/// `files` (path and open sink, indexed by slot), in emission order, with
/// `threads` formatter threads (`None`: one per core).
pub(super) fn write_files(
    layout: &Layout,
    files: &mut [(PathBuf, Sink)],
    threads: Option<usize>,
    produce: impl FnOnce(&mut Emitter) -> Result<(), SampleError>,
) -> Result<(), SampleError> {
    let formats: Vec<Format> = files.iter().map(|(_, sink)| sink.format()).collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = threads.unwrap_or(cores).clamp(1, MAX_FORMATTERS);
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = sync_channel::<Job>(workers * IN_FLIGHT);
        let (done_tx, done_rx) = sync_channel::<Done>(workers * IN_FLIGHT);
        let (spare_tx, spare_rx) = channel::<Vec<u8>>();
        // Shared by the formatters and dropped with the last of them, so a
        // failed writer unblocks the row maker.
        let job_rx = Arc::new(Mutex::new(job_rx));
        let spare_rx = Arc::new(Mutex::new(spare_rx));
        for _ in 0..workers {
            let (jobs, spare, done, formats) = (job_rx.clone(), spare_rx.clone(), done_tx.clone(), &formats);
            scope.spawn(move || format_batches(layout, formats, &jobs, &spare, &done, &mut |_, _| {}));
        }
        drop((job_rx, spare_rx, done_tx));
        let writer = scope.spawn(move || write_in_order(files, done_rx, spare_tx, &mut |_| true));
        let mut emitter = Emitter { jobs: Some(job_tx), batch: Vec::with_capacity(BATCH), sent: 0 };
        let produced = produce(&mut emitter);
        emitter.flush();
        drop(emitter);
        let written = writer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // A write error explains why producing stopped; report it first.
        written.and(produced)
    })
}

/// A formatter thread: batches in, each file's bytes out.
fn format_batches(
    layout: &Layout,
    formats: &[Format],
    jobs: &Mutex<Receiver<Job>>,
    spare: &Mutex<Receiver<Vec<u8>>>,
    done: &SyncSender<Done>,
    make: &mut MakeChunk<'_>,
) {
    let mut formatters: Vec<RowFormat> = formats.iter().map(|&f| RowFormat::new(f, layout)).collect();
    loop {
        let job = match jobs.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok((index, work)) = job else { return };
        if let Ok(spare) = spare.lock() {
            for f in &mut formatters {
                if let Ok(buffer) = spare.try_recv() {
                    f.recycle(buffer);
                }
            }
        }
        let mut counts = vec![0; formatters.len()];
        let mut failed = None;
        let mut push = |slot: usize, row: &Row| {
            if failed.is_some() {
                return;
            }
            if let Some(f) = formatters.get_mut(slot) {
                match f.push(row) {
                    Ok(()) => counts[slot] += 1,
                    Err(e) => failed = Some((slot, e)),
                }
            }
        };
        match &work {
            Work::Rows(rows) => rows.iter().for_each(|(slot, row)| push(*slot, row)),
            Work::Chunk(n) => make(*n, &mut push),
        }
        let result = match failed {
            Some(failure) => Err(failure),
            None => formatters
                .iter_mut()
                .enumerate()
                .map(|(slot, f)| f.take().map(|bytes| (bytes, counts[slot])).map_err(|e| (slot, e)))
                .collect(),
        };
        // Rows are freed here, on this thread, not on the row maker's.
        drop(work);
        if done.send((index, result)).is_err() {
            return;
        }
    }
}

/// The writer: formatted batches back in order, into the files, calling
/// `written` with each batch's rows (false from it ends the writing).
fn write_in_order(
    files: &mut [(PathBuf, Sink)],
    done: Receiver<Done>,
    spare: Sender<Vec<u8>>,
    written: &mut dyn FnMut(usize) -> bool,
) -> Result<(), SampleError> {
    let mut pending = BTreeMap::new();
    let mut next = 0;
    for (index, parts) in done {
        pending.insert(index, parts);
        while let Some(parts) = pending.remove(&next) {
            next += 1;
            let parts = parts.map_err(|(slot, e)| io_error(files, slot, e))?;
            let mut batch_rows = 0;
            for (slot, (bytes, rows)) in parts.into_iter().enumerate() {
                if rows > 0 {
                    let result = files[slot].1.write_rows(&bytes, rows);
                    result.map_err(|e| io_error(files, slot, e))?;
                }
                batch_rows += rows;
                // The formatters may be gone already: then the buffer is just freed.
                let _ = spare.send(bytes);
            }
            if !written(batch_rows) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Makes and writes `chunks` chunks of a table on worker threads (`threads`,
/// `None`: one per core): each worker makes its maker with `new_maker` and
/// makes whole chunks with it; this thread writes them in chunk order and
/// calls `progress` with the rows written so far.
pub(super) fn write_chunks<'a>(
    layout: &Layout,
    files: &mut [(PathBuf, Sink)],
    threads: Option<usize>,
    chunks: usize,
    new_maker: &(dyn Fn() -> Box<MakeChunk<'a>> + Sync),
    progress: &mut dyn FnMut(usize),
) -> Result<(), SampleError> {
    let formats: Vec<Format> = files.iter().map(|(_, sink)| sink.format()).collect();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = threads.unwrap_or(cores).clamp(1, MAX_FORMATTERS);
    let ahead = workers * IN_FLIGHT;
    std::thread::scope(|scope| {
        let (job_tx, job_rx) = sync_channel::<Job>(ahead);
        let (done_tx, done_rx) = sync_channel::<Done>(ahead);
        let (spare_tx, spare_rx) = channel::<Vec<u8>>();
        let job_rx = Arc::new(Mutex::new(job_rx));
        let spare_rx = Arc::new(Mutex::new(spare_rx));
        for _ in 0..workers {
            let (jobs, spare, done, formats) = (job_rx.clone(), spare_rx.clone(), done_tx.clone(), &formats);
            scope.spawn(move || {
                let mut make = new_maker();
                format_batches(layout, formats, &jobs, &spare, &done, &mut *make);
            });
        }
        drop((job_rx, spare_rx, done_tx));
        // At most `ahead` chunks are made but not written, bounding memory.
        let mut feeder = Feeder { jobs: Some(job_tx), sent: 0, chunks };
        for _ in 0..ahead {
            feeder.feed();
        }
        let mut rows = 0;
        // Each chunk written asks for one more; the last closes the queue,
        // which ends the workers. The closure owns the queue and returning
        // drops `done_rx`, so an error leaves no worker waiting on either.
        write_in_order(files, done_rx, spare_tx, &mut move |batch| {
            rows += batch;
            progress(rows);
            feeder.feed();
            true
        })
    })
}

/// Hands chunk numbers to the workers, closing the queue after the last.
struct Feeder {
    jobs: Option<SyncSender<Job>>,
    sent: usize,
    chunks: usize,
}

impl Feeder {
    fn feed(&mut self) {
        if let Some(jobs) = &self.jobs
            && self.sent < self.chunks
        {
            match jobs.send((self.sent, Work::Chunk(self.sent))) {
                Ok(()) => self.sent += 1,
                // Every worker is gone: the writer learns why from their results.
                Err(_) => self.jobs = None,
            }
        }
        if self.sent >= self.chunks {
            self.jobs = None;
        }
    }
}

fn io_error(files: &[(PathBuf, Sink)], slot: usize, source: io::Error) -> SampleError {
    let path = files.get(slot).map(|(path, _)| path.clone()).unwrap_or_default();
    SampleError::Io { path, source }
}
