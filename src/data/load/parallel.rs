//! Routing the parts of one file on the parser threads: the reading thread
//! splits the file into items (JSON document elements, CSV records) in
//! order, as before; batches of them are parsed on one thread per core,
//! each into a sibling router, and merged back in order. Items carry their
//! own line numbers (CSV records), or each batch counts the lines it spans
//! and its problems are renumbered as it is merged (document elements), so
//! every problem keeps its exact place in the file.

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

/// A batch's sibling and what routing it did (`None` when its thread panicked).
type Parsed = Option<(Router, Routed)>;

/// A parsed batch: its place in the file, the sibling, its items.
type Done<T> = (usize, Parsed, Vec<T>);

/// Routes a batch of items into a router, its first line being the given one.
type RouteBatch<'a, T, S> = &'a (dyn Fn(&mut Router, &mut S, &[T], u64) -> Routed + Sync);

/// What routing a batch did.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Routed {
    /// Line ends in the bytes the batch spans (0 when its items carry their
    /// own lines): the lines of the batches after it start that much later.
    pub lines: u64,
    /// The number of items routed before one that stopped the routing (the
    /// caller reads the rest of the file another way), when one did.
    pub stopped_after: Option<usize>,
}

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
    // Items carry their own lines: nothing to renumber.
    let batch = |router: &mut Router, state: &mut S, items: &[T], _: u64| {
        items.iter().for_each(|item| route(router, state, item));
        Routed::default()
    };
    route_batches(router, &mut 0, new_state, &batch, produce, &mut |_| {});
}

/// [`route_in_parallel`] for items that do not know their lines: `route`
/// routes a batch whose first byte is on line `lines + 1` and counts the
/// line ends it spans; `lines` is kept up to date as batches are merged.
/// A batch may stop the routing ([`Routed::stopped_after`]): the batches
/// after it are dropped, `produce` is told to stop, and the number of items
/// routed in all is returned. `merged` gets the last item of each batch
/// merged (the bytes before it are no longer needed).
pub(crate) fn route_batches<T: Send, S>(
    router: &mut Router,
    lines: &mut u64,
    new_state: &(dyn Fn() -> S + Sync),
    route: RouteBatch<'_, T, S>,
    produce: impl FnOnce(&mut dyn FnMut(T, usize) -> bool),
    merged: &mut dyn FnMut(&T),
) -> Option<usize> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut state = new_state();
    let mut merger = Merger { pending: BTreeMap::new(), sent: 0, merged: 0, lines, items: 0, stopped: None };
    if workers < 2 {
        produce(&mut |item, _| merger.route_here(router, &mut state, route, &[item]));
        return merger.stopped;
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
        let mut thread = Thread { state: &mut state, route, merged };
        let mut first_bytes = 0;
        let mut batch = Vec::new();
        let mut batch_bytes = 0;
        produce(&mut |item, bytes| {
            if first_bytes < FIRST_BYTES {
                first_bytes += bytes;
                return merger.route_here(router, thread.state, route, &[item]);
            }
            batch.push(item);
            batch_bytes += bytes;
            if batch_bytes >= BATCH_BYTES {
                batch_bytes = 0;
                start_workers();
                merger.send(router, &queues, std::mem::take(&mut batch), &mut thread);
            }
            merger.stopped.is_none() && !router.over_budget()
        });
        if !batch.is_empty() && merger.stopped.is_none() {
            start_workers();
            merger.send(router, &queues, batch, &mut thread);
        }
        // Closing the queue ends the parser threads once they are done.
        let Queues { jobs, done, .. } = queues;
        drop(jobs);
        while merger.merged < merger.sent && merger.merge_next(router, &done, &mut thread) {}
    });
    merger.stopped
}

/// The reading thread's own state and router function.
struct Thread<'a, S, T> {
    state: &'a mut S,
    route: RouteBatch<'a, T, S>,
    merged: &'a mut dyn FnMut(&T),
}

/// The queues to and from the parser threads.
struct Queues<T> {
    jobs: mpsc::Sender<Job<T>>,
    done: mpsc::Receiver<Done<T>>,
    /// Most batches in flight.
    limit: usize,
}

/// Batches sent and merged, those parsed out of order, and where the
/// merged ones end.
struct Merger<'l, T> {
    pending: BTreeMap<usize, (Parsed, Vec<T>)>,
    sent: usize,
    merged: usize,
    /// Line ends before the next batch to merge.
    lines: &'l mut u64,
    /// Items merged.
    items: usize,
    /// Items routed in all, once a batch stopped the routing.
    stopped: Option<usize>,
}

impl<T> Merger<'_, T> {
    /// Routes `items` into `router` on this thread; false once the routing
    /// stopped or the load is over its budget.
    fn route_here<S>(&mut self, router: &mut Router, state: &mut S, route: RouteBatch<'_, T, S>, items: &[T]) -> bool {
        let routed = route(router, state, items, *self.lines + 1);
        self.count(routed, items.len());
        self.stopped.is_none() && !router.over_budget()
    }

    /// Counts a merged batch of `len` items.
    fn count(&mut self, routed: Routed, len: usize) {
        *self.lines += routed.lines;
        match routed.stopped_after {
            Some(n) => self.stopped = Some(self.items + n),
            None => self.items += len,
        }
    }

    /// Sends a batch to the parser threads, first merging finished ones
    /// until fewer than `limit` are in flight.
    fn send<S>(&mut self, router: &mut Router, queues: &Queues<T>, batch: Vec<T>, thread: &mut Thread<'_, S, T>) {
        while self.sent - self.merged >= queues.limit {
            if !self.merge_next(router, &queues.done, thread) {
                break;
            }
        }
        if self.stopped.is_some() {
            return;
        }
        match queues.jobs.send((self.sent, router.sibling(), batch)) {
            Ok(()) => self.sent += 1,
            // Every parser thread is gone (each merged batch is merged already): parse here.
            Err(mpsc::SendError((_, _, batch))) => {
                self.route_here(router, thread.state, thread.route, &batch);
            }
        }
    }

    /// Waits for the next batch in order and merges it (or drops it, once
    /// the routing stopped); false when no parser thread is left to send one.
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
                Some((sibling, _)) if self.stopped.is_some() => sibling.discard(),
                Some((sibling, routed)) => {
                    router.absorb(sibling, *self.lines);
                    self.count(routed, batch.len());
                }
                // A panic in a parser thread is a bug; parse its batch here instead of losing it.
                None if self.stopped.is_none() => {
                    self.route_here(router, thread.state, thread.route, &batch);
                }
                None => {}
            }
            if let Some(last) = batch.last() {
                (thread.merged)(last);
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
    route: RouteBatch<'_, T, S>,
) {
    let mut state = new_state();
    loop {
        let job = match jobs.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok((index, mut sibling, batch)) = job else { return };
        let parsed =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| route(&mut sibling, &mut state, &batch, 1)));
        let sibling = parsed.ok().map(|routed| (sibling, routed));
        if done.send((index, sibling, batch)).is_err() {
            return;
        }
    }
}
