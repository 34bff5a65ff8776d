//! Routing the parts of one file on the parser threads: the reading thread
//! splits the file into items (JSON document elements, CSV records) in
//! order, as before; batches of them are parsed on one thread per core,
//! each into a sibling router, and merged back in order. Items carry their
//! own line numbers, so every problem keeps its exact place in the file.

use std::collections::BTreeMap;
use std::sync::{Mutex, mpsc};

use super::router::Router;

/// Bytes of items parsed on the reading thread before the parser threads
/// start: they decide the file's table, so the siblings agree on it.
const FIRST_BYTES: usize = 256 << 10;

/// Bytes of items per batch.
const BATCH_BYTES: usize = 4 << 20;

/// Batches parsed or waiting to be merged, per parser thread.
const IN_FLIGHT_PER_WORKER: usize = 2;

/// A batch: its place in the file, the sibling it goes into, its items.
type Job<T> = (usize, Router, Vec<T>);

/// A parsed batch (`router`: `None` when its thread panicked).
type Done<T> = (usize, Option<Router>, Vec<T>);

/// Routes the items `produce` gives (each with its size in bytes) into
/// `router`, in order, with `route` (which gets a per-thread state from
/// `new_state`). `produce` pushes items until it is done or the push says
/// to stop (the load is over its memory budget).
pub(crate) fn route_in_parallel<T: Send, S>(
    router: &mut Router,
    new_state: &(dyn Fn() -> S + Sync),
    route: &(dyn Fn(&mut Router, &mut S, &T) + Sync),
    produce: impl FnOnce(&mut dyn FnMut(T, usize) -> bool),
) {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut state = new_state();
    if workers < 2 {
        return produce(&mut |item, _| {
            route(router, &mut state, &item);
            !router.over_budget()
        });
    }
    let (job_tx, job_rx) = mpsc::channel::<Job<T>>();
    let (done_tx, done_rx) = mpsc::channel::<Done<T>>();
    let job_rx = Mutex::new(job_rx);
    std::thread::scope(|scope| {
        // The parser threads start with the first batch: a small document
        // (or an array on one line of JSON Lines) never starts them.
        let mut done_tx = Some(done_tx);
        let mut start_workers = || {
            if let Some(done_tx) = done_tx.take() {
                for _ in 0..workers {
                    let (job_rx, done_tx) = (&job_rx, done_tx.clone());
                    scope.spawn(move || parser_thread(job_rx, done_tx, new_state, route));
                }
            }
        };
        let queues = Queues { jobs: job_tx, done: done_rx, limit: workers * IN_FLIGHT_PER_WORKER };
        let mut thread = Thread { state: &mut state, route };
        let mut merger = Merger { pending: BTreeMap::new(), sent: 0, merged: 0 };
        let mut first_bytes = 0;
        let mut batch = Vec::new();
        let mut batch_bytes = 0;
        produce(&mut |item, bytes| {
            if first_bytes < FIRST_BYTES {
                first_bytes += bytes;
                route(router, thread.state, &item);
                return !router.over_budget();
            }
            batch.push(item);
            batch_bytes += bytes;
            if batch_bytes >= BATCH_BYTES {
                batch_bytes = 0;
                start_workers();
                merger.send(router, &queues, std::mem::take(&mut batch), &mut thread);
            }
            !router.over_budget()
        });
        if !batch.is_empty() {
            start_workers();
            merger.send(router, &queues, batch, &mut thread);
        }
        // Closing the queue ends the parser threads once they are done.
        let Queues { jobs, done, .. } = queues;
        drop(jobs);
        while merger.merged < merger.sent && merger.merge_next(router, &done, &mut thread) {}
    });
}

/// The reading thread's own state and router function.
struct Thread<'a, S, T> {
    state: &'a mut S,
    route: &'a (dyn Fn(&mut Router, &mut S, &T) + Sync),
}

/// The queues to and from the parser threads.
struct Queues<T> {
    jobs: mpsc::Sender<Job<T>>,
    done: mpsc::Receiver<Done<T>>,
    /// Most batches in flight.
    limit: usize,
}

/// Batches sent and merged, and those parsed out of order.
struct Merger<T> {
    pending: BTreeMap<usize, (Option<Router>, Vec<T>)>,
    sent: usize,
    merged: usize,
}

impl<T> Merger<T> {
    /// Sends a batch to the parser threads, first merging finished ones
    /// until fewer than `limit` are in flight.
    fn send<S>(&mut self, router: &mut Router, queues: &Queues<T>, batch: Vec<T>, thread: &mut Thread<'_, S, T>) {
        while self.sent - self.merged >= queues.limit {
            if !self.merge_next(router, &queues.done, thread) {
                break;
            }
        }
        match queues.jobs.send((self.sent, router.sibling(), batch)) {
            Ok(()) => self.sent += 1,
            // Every parser thread is gone (each merged batch is merged already): parse here.
            Err(mpsc::SendError((_, _, batch))) => {
                batch.iter().for_each(|item| (thread.route)(router, thread.state, item))
            }
        }
    }

    /// Waits for the next batch in order and merges it; false when no
    /// parser thread is left to send one.
    fn merge_next<S>(
        &mut self,
        router: &mut Router,
        done: &mpsc::Receiver<Done<T>>,
        thread: &mut Thread<'_, S, T>,
    ) -> bool {
        while !self.pending.contains_key(&self.merged) {
            match done.recv() {
                Ok((index, sibling, batch)) => {
                    self.pending.insert(index, (sibling, batch));
                }
                Err(_) => return false,
            }
        }
        if let Some((sibling, batch)) = self.pending.remove(&self.merged) {
            match sibling {
                // Items carry their own lines: nothing to renumber.
                Some(sibling) => router.absorb(sibling, 0),
                // A panic in a parser thread is a bug; parse its batch here instead of losing it.
                None => batch.iter().for_each(|item| (thread.route)(router, thread.state, item)),
            }
        }
        self.merged += 1;
        true
    }
}

fn parser_thread<T, S>(
    jobs: &Mutex<mpsc::Receiver<Job<T>>>,
    done: mpsc::Sender<Done<T>>,
    new_state: &(dyn Fn() -> S + Sync),
    route: &(dyn Fn(&mut Router, &mut S, &T) + Sync),
) {
    let mut state = new_state();
    loop {
        let job = match jobs.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok((index, mut sibling, batch)) = job else { return };
        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            batch.iter().for_each(|item| route(&mut sibling, &mut state, item));
        }));
        let sibling = parsed.ok().map(|()| sibling);
        if done.send((index, sibling, batch)).is_err() {
            return;
        }
    }
}
