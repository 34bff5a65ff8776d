//! Writing a table's files on several threads. The caller's thread makes
//! the rows, in order, and hands them out in batches; formatter threads turn
//! each batch into each file's bytes; one writer thread puts the batches back
//! in order and writes (and compresses) them. The bytes depend only on the
//! rows, so a seed gives the same files on one core or many.

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

/// A batch of rows, each with the index of the file it goes to.
type Job = (usize, Vec<(usize, Row)>);

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
            Some(jobs) if jobs.send((self.sent, batch)).is_ok() => {
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
            scope.spawn(move || format_batches(layout, formats, &jobs, &spare, &done));
        }
        drop((job_rx, spare_rx, done_tx));
        let writer = scope.spawn(move || write_in_order(files, done_rx, spare_tx));
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
) {
    let mut formatters: Vec<RowFormat> = formats.iter().map(|&f| RowFormat::new(f, layout)).collect();
    loop {
        let job = match jobs.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok((index, rows)) = job else { return };
        if let Ok(spare) = spare.lock() {
            for f in &mut formatters {
                if let Ok(buffer) = spare.try_recv() {
                    f.recycle(buffer);
                }
            }
        }
        let mut counts = vec![0; formatters.len()];
        let mut failed = None;
        for (slot, row) in &rows {
            if let Some(f) = formatters.get_mut(*slot) {
                if let Err(e) = f.push(row) {
                    failed = Some((*slot, e));
                    break;
                }
                counts[*slot] += 1;
            }
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
        drop(rows);
        if done.send((index, result)).is_err() {
            return;
        }
    }
}

/// The writer thread: formatted batches back in order, into the files.
fn write_in_order(
    files: &mut [(PathBuf, Sink)],
    done: Receiver<Done>,
    spare: Sender<Vec<u8>>,
) -> Result<(), SampleError> {
    let mut pending = BTreeMap::new();
    let mut next = 0;
    for (index, parts) in done {
        pending.insert(index, parts);
        while let Some(parts) = pending.remove(&next) {
            next += 1;
            let parts = parts.map_err(|(slot, e)| io_error(files, slot, e))?;
            for (slot, (bytes, rows)) in parts.into_iter().enumerate() {
                if rows > 0 {
                    let written = files[slot].1.write_rows(&bytes, rows);
                    written.map_err(|e| io_error(files, slot, e))?;
                }
                // The formatters may be gone already: then the buffer is just freed.
                let _ = spare.send(bytes);
            }
        }
    }
    Ok(())
}

fn io_error(files: &[(PathBuf, Sink)], slot: usize, source: io::Error) -> SampleError {
    let path = files.get(slot).map(|(path, _)| path.clone()).unwrap_or_default();
    SampleError::Io { path, source }
}
