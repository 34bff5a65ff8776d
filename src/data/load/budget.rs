//! The memory budget of a load (`--max-memory`): the bytes held by the table
//! builders (column vectors, string dictionaries, dynamic values) and by
//! whole documents read into memory are estimated as rows arrive; past the
//! budget the load stops with a message instead of being killed for lack of
//! memory. The same per-row bookkeeping counts the rows read, for progress.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Rows between two measurements of a router's builders.
const CHECK_EVERY_ROWS: u32 = 1024;

/// Raw bytes of rows between two measurements (so few huge rows are measured soon).
const CHECK_EVERY_BYTES: u64 = 1 << 20;

/// One router's share of a load's budget. Siblings share the load's total.
#[derive(Debug)]
pub(crate) struct Budget {
    limit: u64,
    used: Arc<AtomicU64>,
    /// Bytes of this router last added to `used`.
    mine: u64,
    rows: u32,
    pending: u64,
    /// Rows read by every router of the load, added a batch at a time.
    read: Arc<AtomicU64>,
}

impl Budget {
    /// A budget of `limit` bytes (`None`: unlimited) for a whole load.
    pub(crate) fn new(limit: Option<u64>) -> Budget {
        Budget {
            limit: limit.unwrap_or(u64::MAX),
            used: Arc::default(),
            mine: 0,
            rows: 0,
            pending: 0,
            read: Arc::default(),
        }
    }

    /// The same load's budget for another router, holding nothing yet.
    pub(crate) fn share(&self) -> Budget {
        Budget { limit: self.limit, used: self.used.clone(), mine: 0, rows: 0, pending: 0, read: self.read.clone() }
    }

    /// Takes over what a sibling holds (its tables were merged into ours).
    pub(crate) fn absorb(&mut self, other: Budget) {
        self.mine += other.mine;
    }

    /// Notes one more row of about `bytes` raw bytes; true when it is time
    /// to measure the builders and [`Budget::account`] for them.
    pub(crate) fn row(&mut self, bytes: u64) -> bool {
        self.rows += 1;
        self.pending += bytes;
        if self.rows >= CHECK_EVERY_ROWS || self.pending >= CHECK_EVERY_BYTES {
            self.read.fetch_add(u64::from(self.rows), Ordering::Relaxed);
            self.rows = 0;
            self.pending = 0;
            return true;
        }
        false
    }

    /// Counts the rows noted since the last measurement as read (at the end
    /// of a router's input: its last batch is not a whole one).
    pub(crate) fn flush_rows(&mut self) {
        self.read.fetch_add(u64::from(self.rows), Ordering::Relaxed);
        self.rows = 0;
    }

    /// The load's count of rows read so far, shared by all its routers.
    pub(crate) fn rows_read(&self) -> Arc<AtomicU64> {
        self.read.clone()
    }

    /// Records that this router now holds `held` bytes.
    pub(crate) fn account(&mut self, held: u64) {
        if held >= self.mine {
            self.used.fetch_add(held - self.mine, Ordering::Relaxed);
        } else {
            self.used.fetch_sub(self.mine - held, Ordering::Relaxed);
        }
        self.mine = held;
    }

    /// Adds `bytes` held outside the builders (a document read whole); they
    /// stay counted until [`Budget::release`].
    pub(crate) fn hold(&self, bytes: u64) {
        self.used.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Gives back bytes added with [`Budget::hold`].
    pub(crate) fn release(&self, bytes: u64) {
        self.used.fetch_sub(bytes, Ordering::Relaxed);
    }

    /// Bytes the load may still take.
    pub(crate) fn remaining(&self) -> u64 {
        self.limit.saturating_sub(self.used.load(Ordering::Relaxed))
    }

    /// True once the load holds more than the budget.
    pub(crate) fn exceeded(&self) -> bool {
        self.used.load(Ordering::Relaxed) > self.limit
    }

    /// The budget in bytes.
    pub(crate) fn limit(&self) -> u64 {
        self.limit
    }
}

/// About the bytes a parsed JSON value keeps in memory.
pub(crate) fn json_bytes(v: &serde_json::Value) -> u64 {
    use serde_json::Value;
    const NODE: u64 = 32;
    match v {
        Value::String(s) => NODE + s.len() as u64,
        Value::Array(a) => NODE + a.iter().map(json_bytes).sum::<u64>(),
        Value::Object(o) => NODE + o.iter().map(|(k, v)| NODE + k.len() as u64 + json_bytes(v)).sum::<u64>(),
        _ => NODE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_and_absorb_moves_without_double_counting() {
        let mut a = Budget::new(Some(100));
        let mut b = a.share();
        a.account(40);
        b.account(50);
        assert!(!a.exceeded());
        assert_eq!(a.remaining(), 10);
        b.account(70);
        assert!(a.exceeded() && b.exceeded());
        a.absorb(b);
        a.account(100);
        assert_eq!(a.remaining(), 0);
        assert!(!a.exceeded());
    }

    #[test]
    fn measures_every_few_rows_or_after_a_big_one() {
        let mut b = Budget::new(None);
        assert!((1..CHECK_EVERY_ROWS).all(|_| !b.row(10)));
        assert!(b.row(10));
        assert!(b.row(CHECK_EVERY_BYTES));
        assert_eq!(Budget::new(None).limit(), u64::MAX);
    }

    #[test]
    fn rows_read_add_up_over_shares_in_batches() {
        let mut a = Budget::new(None);
        let mut b = a.share();
        let read = a.rows_read();
        (0..CHECK_EVERY_ROWS + 5).for_each(|_| {
            a.row(1);
        });
        (0..7).for_each(|_| {
            b.row(1);
        });
        assert_eq!(read.load(Ordering::Relaxed), u64::from(CHECK_EVERY_ROWS));
        a.flush_rows();
        b.flush_rows();
        assert_eq!(read.load(Ordering::Relaxed), u64::from(CHECK_EVERY_ROWS) + 12);
    }
}
