//! One table under construction: columns by name, typed by the MDE schema,
//! a declared type (AH API `Schema`), a known MDE column name, or the first
//! value; rows padded so every column has one value per row.
//!
//! Split by concept: a new column, whether it is decoded and its type
//! (`columns.rs`); a chunk's builder appended to another (`append.rs`);
//! the finished table, its lazy columns, and the columns a decoder asked for
//! (`finish.rs`).

mod append;
mod columns;
mod finish;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::data::column::StrHint;
use crate::data::lazy::{LazyFile, RowLocs};
use crate::data::schema::{TableSchema, table_schema};
use crate::data::value::DataType;

use super::convert::Raw;
use super::sink::ColumnSink;

pub(crate) use columns::{Inference, Keep};

/// Looks up a column's declared type by name (an AH API document's `Schema`).
pub(crate) type DeclaredType<'a> = dyn Fn(&str) -> Option<DataType> + 'a;

/// A value that did not fit its column, for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ValueProblem {
    /// The column.
    pub column: String,
    /// Its type.
    pub expected: DataType,
    /// The value as read.
    pub got: String,
}

impl std::fmt::Display for ValueProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "column {}: expected {}, got {}", self.column, self.expected, self.got)
    }
}

#[derive(Debug)]
struct ColumnSlot {
    name: String,
    sink: ColumnSink,
    /// Type inferred from values, so it may widen (long → real).
    inferred: bool,
    /// Not decoded (see [`Keep`]): its values stay in the file; the sink
    /// stays empty. `Some(type)` from the schema.
    skipped: Option<DataType>,
    /// 1 + the last row a skipped column was seen in (counts a repeated key once).
    seen_in: usize,
}

/// How earlier chunks stored a table's string columns, by column name.
pub(crate) type StringHints = FxHashMap<String, StrHint>;

/// Columns of one table, filled row by row.
#[derive(Debug)]
pub(crate) struct TableBuilder {
    name: String,
    schema: Option<&'static TableSchema>,
    inference: Inference,
    columns: Vec<ColumnSlot>,
    index: FxHashMap<String, usize>,
    /// Column of the n-th field of the previous row: rows of one export have
    /// their keys in one order, so this spares a hash lookup per field.
    order_hint: Vec<usize>,
    rows: usize,
    filled_this_row: usize,
    string_hints: StringHints,
    /// Which columns to decode (`None`: all).
    keep: Option<Arc<Keep>>,
    /// Where each row is in its file, when its skipped columns decode later.
    locs: Option<RowLocs>,
}

impl TableBuilder {
    /// An empty table; its schema comes from the known MDE table of that name.
    pub(crate) fn new(name: &str, inference: Inference) -> TableBuilder {
        TableBuilder {
            name: name.to_string(),
            schema: table_schema(name),
            inference,
            columns: Vec::new(),
            index: FxHashMap::default(),
            order_hint: Vec::new(),
            rows: 0,
            filled_this_row: 0,
            string_hints: StringHints::default(),
            keep: None,
            locs: None,
        }
    }

    /// Decodes only the columns `keep` keeps; with `file`, records each
    /// row's place in it so the others decode later.
    pub(crate) fn keep_only(&mut self, keep: Arc<Keep>, file: Option<Arc<LazyFile>>) {
        self.keep = Some(keep);
        self.locs = file.map(RowLocs::new);
    }

    /// True when rows' places are recorded (their skipped columns decode later).
    pub(crate) fn is_lazy(&self) -> bool {
        self.locs.is_some()
    }

    /// Records the place of the row just ended: `len` bytes at `offset`.
    pub(crate) fn place_row(&mut self, offset: u64, len: usize) {
        if let Some(locs) = &mut self.locs {
            locs.push(offset, len);
        }
    }

    /// Sets how new string columns start, from earlier chunks of the file.
    pub(crate) fn use_string_hints(&mut self, hints: StringHints) {
        self.string_hints = hints;
    }

    /// How each string column is stored now, for the next chunk's builders.
    pub(crate) fn string_hints(&self) -> StringHints {
        self.columns.iter().filter_map(|c| Some((c.name.clone(), c.sink.string_hint()?))).collect()
    }

    /// The table name.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Complete rows so far.
    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    /// About the bytes held by the columns (see [`ColumnSink::heap_bytes`]).
    pub(crate) fn heap_bytes(&self) -> usize {
        let names: usize = self.columns.iter().map(|c| 2 * c.name.len() + 64).sum();
        names + self.columns.iter().map(|c| c.sink.heap_bytes()).sum::<usize>()
    }

    /// Sets field `key` (the `position`-th field of the row) of the current row.
    /// A repeated key keeps its first value. A value that does not fit the
    /// column becomes null and is returned.
    #[inline]
    pub(crate) fn push_field(
        &mut self,
        position: usize,
        key: &str,
        raw: Raw,
        declared: &DeclaredType<'_>,
    ) -> Result<(), ValueProblem> {
        // Most fields of an export: text for the text column the same
        // position had in the previous row.
        if let Raw::Str(text) = &raw
            && let Some(c) = self.hinted_column(position, key)
            && let Some(slot) = self.columns.get_mut(c)
            && let ColumnSink::String(b) | ColumnSink::Guid(b) = &mut slot.sink
            && b.len() == self.rows
        {
            b.push(text);
            self.filled_this_row += 1;
            return Ok(());
        }
        self.push_any_field(position, key, raw, declared)
    }

    fn push_any_field(
        &mut self,
        position: usize,
        key: &str,
        raw: Raw,
        declared: &DeclaredType<'_>,
    ) -> Result<(), ValueProblem> {
        let c = self.column_of(position, key, &raw, declared);
        let rows = self.rows;
        let Some(slot) = self.columns.get_mut(c) else { return Ok(()) };
        if slot.skipped.is_some() {
            if slot.seen_in <= rows {
                slot.seen_in = rows + 1;
                self.filled_this_row += 1;
            }
            return Ok(());
        }
        if slot.sink.len() > rows {
            return Ok(());
        }
        self.filled_this_row += 1;
        if slot.inferred && matches!(slot.sink, ColumnSink::Long(_)) && matches!(raw, Raw::F64(_) | Raw::U64(_)) {
            slot.sink.widen_to_real();
        }
        let got = match slot.sink.push(raw) {
            Ok(()) => return Ok(()),
            Err(raw) => raw.describe(),
        };
        let expected = slot.sink.data_type().unwrap_or(DataType::String);
        Err(ValueProblem { column: slot.name.clone(), expected, got })
    }

    /// Ends the current row: columns it did not set get null (`""` for strings).
    pub(crate) fn end_row(&mut self) {
        if self.filled_this_row < self.columns.len() {
            let rows = self.rows;
            for slot in &mut self.columns {
                if slot.skipped.is_none() && slot.sink.len() == rows {
                    slot.sink.push_null();
                }
            }
        }
        self.rows += 1;
        self.filled_this_row = 0;
    }
}
