//! The query's memory budget (`--max-memory`): the operators that can grow
//! without bound (join, lookup, summarize, mv-expand, make-series) estimate
//! what they are about to hold and stop with an error past the budget.

use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::{Evaluator, Result};

/// Estimated bytes of one cell of an output row (a value or a row index).
const CELL_BYTES: u64 = 16;
/// Estimated bytes of one aggregate's state in one group (or series bin).
pub(super) const ACC_BYTES: u64 = 64;

/// Estimated bytes of one output row of `columns` columns.
pub(super) fn row_bytes(columns: usize) -> u64 {
    (columns as u64 + 1) * CELL_BYTES
}

impl Evaluator {
    /// Fails when `bytes` more, on top of what this query's operators
    /// already hold, would pass the budget; does not record them.
    pub(super) fn check_memory(&self, bytes: u64, what: &str, span: Span) -> Result<()> {
        let Some(max) = self.session.limits.max_memory else { return Ok(()) };
        if self.mem_used.saturating_add(bytes) <= max {
            return Ok(());
        }
        Err(KqlError::out_of_memory(
            span,
            format!("{what}: query needs more than {} of memory (--max-memory); narrow it first", human(max)),
        )
        .with_help("filter both sides before the join, summarize over fewer keys, or raise --max-memory"))
    }

    /// Checks and records `bytes` an operator holds.
    pub(super) fn charge(&mut self, bytes: u64, what: &str, span: Span) -> Result<()> {
        self.check_memory(bytes, what, span)?;
        self.mem_used = self.mem_used.saturating_add(bytes);
        Ok(())
    }

    /// Checks and records the output of an operator.
    pub(super) fn charge_frame(&mut self, frame: &Frame, what: &str, span: Span) -> Result<()> {
        self.charge(frame.len() as u64 * row_bytes(frame.cols().len()), what, span)
    }
}

/// `512 MiB`, `3 GiB`, `800 KiB`, `100 bytes`.
fn human(bytes: u64) -> String {
    const UNITS: [(&str, u32); 4] = [("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];
    for (unit, shift) in UNITS {
        if bytes >= 1 << shift {
            let v = bytes as f64 / (1u64 << shift) as f64;
            return if v.fract() == 0.0 { format!("{v:.0} {unit}") } else { format!("{v:.1} {unit}") };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::human;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human(512 << 20), "512 MiB");
        assert_eq!(human(3 << 29), "1.5 GiB");
        assert_eq!(human(100), "100 bytes");
    }
}
