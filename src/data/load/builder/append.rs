//! Appending a chunk's builder to another of the same table.

use crate::data::value::DataType;

use super::super::sink::ColumnSink;
use super::{ColumnSlot, TableBuilder};

impl TableBuilder {
    /// Appends every row of `other` (a table of the same name) after this one's;
    /// columns are united, and an inferred column the two disagree on is widened
    /// (long + real → real, anything else → string).
    pub(crate) fn append(&mut self, other: TableBuilder) {
        let (mine, theirs) = (self.rows, other.rows);
        let mut seen = vec![false; self.columns.len()];
        match (&mut self.locs, other.locs) {
            (Some(locs), Some(more)) => locs.append(more),
            // Callers fill a lazy side's columns before mixing it with an eager one.
            (locs, _) => *locs = None,
        }
        for slot in other.columns {
            if slot.skipped.is_some() {
                if let Some(&c) = self.index.get(&slot.name) {
                    seen[c] = true;
                } else {
                    self.push_slot(ColumnSlot { seen_in: 0, ..slot });
                }
                continue;
            }
            let Some(&c) = self.index.get(&slot.name) else {
                let sink = ColumnSink::with_nulls(slot.sink.data_type(), mine);
                let c = self.add_slot(slot.name, sink, slot.inferred);
                self.columns[c].sink.append(slot.sink);
                continue;
            };
            seen[c] = true;
            let target = &mut self.columns[c];
            let unified = unify(target.sink.data_type(), slot.sink.data_type());
            if let Some(t) = unified {
                let sink = std::mem::replace(&mut target.sink, ColumnSink::Untyped(0));
                target.sink = sink.cast(t);
            }
            target.sink.append(match unified {
                Some(t) => slot.sink.cast(t),
                None => slot.sink,
            });
        }
        for (slot, _) in self.columns.iter_mut().zip(&seen).filter(|(_, seen)| !**seen) {
            if slot.skipped.is_none() {
                slot.sink.push_nulls(theirs);
            }
        }
        self.rows += theirs;
        self.order_hint.clear();
    }
}

/// The common type of a column two builders typed differently (`None`: no change).
fn unify(a: Option<DataType>, b: Option<DataType>) -> Option<DataType> {
    match (a, b) {
        (Some(a), Some(b)) if a == b => None,
        (None, _) | (_, None) => None,
        (Some(DataType::Long | DataType::Int), Some(DataType::Real))
        | (Some(DataType::Real), Some(DataType::Long | DataType::Int)) => Some(DataType::Real),
        (Some(DataType::Int), Some(DataType::Long)) | (Some(DataType::Long), Some(DataType::Int)) => {
            Some(DataType::Long)
        }
        _ => Some(DataType::String),
    }
}
