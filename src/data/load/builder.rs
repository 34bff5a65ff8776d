//! One table under construction: columns by name, typed by the MDE schema,
//! a declared type (AH API `Schema`), a known MDE column name, or the first
//! value; rows padded so every column has one value per row.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::data::column::StrHint;
use crate::data::lazy::{Decoder, LazyColumn, LazyFile, LazySource, RowLocs, TableColumn};
use crate::data::schema::{TableSchema, any_column_type, table_schema};
use crate::data::table::{Field, Table};
use crate::data::text::same_text;
use crate::data::value::DataType;

use super::convert::Raw;
use super::sink::ColumnSink;

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

/// Which columns a builder decodes.
#[derive(Debug)]
pub(crate) struct Keep {
    names: FxHashSet<String>,
    /// Skip every other column (a decoder), not only the other schema columns (a load).
    only: bool,
}

impl Keep {
    /// A load's: the table's schema columns not in `names` are skipped;
    /// columns the schema does not know are always decoded (their type is
    /// inferred from the values, so it is only known after reading them all).
    pub(crate) fn load(names: impl IntoIterator<Item = String>) -> Keep {
        Keep { names: names.into_iter().collect(), only: false }
    }

    /// A decoder's: every column not in `names` is skipped.
    pub(crate) fn only(names: &[&str]) -> Keep {
        Keep { names: names.iter().map(|n| n.to_string()).collect(), only: true }
    }

    /// True when column `key` is not decoded (`in_schema`: the table's schema knows it).
    pub(crate) fn skips(&self, key: &str, in_schema: bool) -> bool {
        (self.only || in_schema) && !self.names.contains(key)
    }
}

/// How columns the schema does not know get their type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Inference {
    /// From the first non-null JSON value (long widens to real).
    FromValue,
    /// Always string (CSV cells are text).
    String,
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

    /// The column of the previous row's field at `position`, if it is `key`.
    #[inline]
    fn hinted_column(&self, position: usize, key: &str) -> Option<usize> {
        let c = *self.order_hint.get(position)?;
        self.columns.get(c).is_some_and(|slot| same_text(&slot.name, key)).then_some(c)
    }

    fn column_of(
        &mut self,
        position: usize,
        key: &str,
        raw: &Raw,
        declared: &dyn Fn(&str) -> Option<DataType>,
    ) -> usize {
        if let Some(c) = self.hinted_column(position, key) {
            return c;
        }
        let c = match self.index.get(key) {
            Some(&c) => c,
            None => self.add_column(key, raw, declared),
        };
        if position < self.order_hint.len() {
            self.order_hint[position] = c;
        } else {
            self.order_hint.resize(position + 1, c);
        }
        c
    }

    fn add_column(&mut self, key: &str, raw: &Raw, declared: &dyn Fn(&str) -> Option<DataType>) -> usize {
        let known = self
            .schema
            .and_then(|s| s.column_type(key))
            .or_else(|| declared(key))
            .or_else(|| any_column_type(key))
            .or_else(|| log_analytics_column_type(key));
        let in_schema = self.schema.and_then(|s| s.column_type(key));
        if let Some(keep) = &self.keep
            && keep.skips(key, in_schema.is_some())
        {
            let skipped = Some(in_schema.unwrap_or(DataType::String));
            let slot = ColumnSlot {
                name: key.to_string(),
                sink: ColumnSink::Untyped(0),
                inferred: false,
                skipped,
                seen_in: 0,
            };
            return self.push_slot(slot);
        }
        let (dtype, inferred) = match (known, self.inference) {
            (Some(t), _) => (Some(t), false),
            (None, Inference::String) => (Some(DataType::String), false),
            (None, Inference::FromValue) => (raw.inferred_type(), true),
        };
        let sink = match self.string_hints.get(key) {
            Some(&hint) => ColumnSink::with_hint(dtype, hint, self.rows),
            None => ColumnSink::with_nulls(dtype, self.rows),
        };
        self.add_slot(key.to_string(), sink, inferred)
    }

    fn add_slot(&mut self, name: String, sink: ColumnSink, inferred: bool) -> usize {
        self.push_slot(ColumnSlot { name, sink, inferred, skipped: None, seen_in: 0 })
    }

    fn push_slot(&mut self, slot: ColumnSlot) -> usize {
        let c = self.columns.len();
        self.index.insert(slot.name.clone(), c);
        self.columns.push(slot);
        c
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
        declared: &dyn Fn(&str) -> Option<DataType>,
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
        declared: &dyn Fn(&str) -> Option<DataType>,
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

    /// The finished table: schema columns first in schema order (missing ones
    /// all null), then the other columns in the order first seen.
    #[cfg(test)]
    pub(crate) fn finish(self) -> Table {
        self.finish_with(None)
    }

    /// [`TableBuilder::finish`]; skipped columns are lazy: `decoder` decodes
    /// them from the rows' places on demand.
    pub(crate) fn finish_with(self, decoder: Option<Decoder>) -> Table {
        let rows = self.rows;
        let mut slots: Vec<Option<ColumnSlot>> = self.columns.into_iter().map(Some).collect();
        let mut out: Vec<(String, Option<TableColumn>)> = Vec::with_capacity(slots.len());
        let mut lazy: Vec<(String, DataType)> = Vec::new();
        let schema_fields: &[Field] = self.schema.map(|s| s.fields.as_slice()).unwrap_or(&[]);
        for field in schema_fields {
            let slot = self.index.get(&field.name).and_then(|&c| slots.get_mut(c)).and_then(Option::take);
            let column = match slot {
                Some(slot) if slot.skipped.is_some() => {
                    lazy.push((field.name.clone(), field.dtype));
                    None
                }
                Some(slot) => Some(slot.sink.finish()),
                None => Some(crate::data::column::Column::nulls(field.dtype, rows)),
            };
            out.push((field.name.clone(), column.map(|c| TableColumn::Ready(Arc::new(c)))));
        }
        for slot in slots.into_iter().flatten().filter(|s| s.skipped.is_none()) {
            out.push((slot.name, Some(TableColumn::Ready(Arc::new(slot.sink.finish())))));
        }
        let mut lazy_columns = match (self.locs, decoder) {
            (Some(locs), Some(decoder)) if !lazy.is_empty() && locs.len() == rows => {
                let source = Arc::new(LazySource::new(self.name.clone(), decoder, locs, lazy.clone()));
                LazyColumn::all_of(&source).into_iter()
            }
            // Skipped with no places to decode them from: a decoder's own
            // builder, whose skipped columns nobody asked for.
            _ => Vec::new().into_iter(),
        };
        let columns = out
            .into_iter()
            .filter_map(|(name, c)| match c {
                Some(c) => Some((name, c)),
                None => lazy_columns.next().map(|l| (name, TableColumn::Lazy(l))),
            })
            .collect();
        Table::from_parts(self.name, columns, rows)
    }

    /// The finished columns `names` (null where a key never appeared), for
    /// a decoder of lazy columns.
    pub(crate) fn finish_named(self, names: &[&str]) -> Vec<crate::data::column::Column> {
        self.finish_sinks(names).into_iter().map(ColumnSink::finish).collect()
    }

    /// Names of the skipped columns.
    pub(crate) fn skipped_names(&self) -> Vec<String> {
        self.columns.iter().filter(|s| s.skipped.is_some()).map(|s| s.name.clone()).collect()
    }

    /// Takes the rows' places (the builder is no longer lazy).
    pub(crate) fn take_locs(&mut self) -> Option<RowLocs> {
        self.locs.take()
    }

    /// The schema type of column `name`.
    pub(crate) fn schema_type(&self, name: &str) -> Option<DataType> {
        self.schema.and_then(|s| s.column_type(name))
    }

    /// Decoded values for skipped column `name` (one per row).
    pub(crate) fn set_skipped(&mut self, name: &str, sink: ColumnSink) {
        if let Some(&c) = self.index.get(name)
            && let Some(slot) = self.columns.get_mut(c)
        {
            slot.sink = sink;
            slot.skipped = None;
        }
    }

    /// The sinks of columns `names` (nulls where a key never appeared).
    pub(crate) fn finish_sinks(mut self, names: &[&str]) -> Vec<ColumnSink> {
        let rows = self.rows;
        names
            .iter()
            .map(|name| {
                let dtype = self.schema.and_then(|s| s.column_type(name));
                let slot = self.index.get(*name).and_then(|&c| self.columns.get_mut(c));
                match slot {
                    Some(slot) if slot.skipped.is_none() && slot.sink.len() == rows => {
                        std::mem::replace(&mut slot.sink, ColumnSink::Untyped(0))
                    }
                    _ => ColumnSink::with_nulls(Some(dtype.unwrap_or(DataType::String)), rows),
                }
            })
            .collect()
    }
}

/// Columns every Log Analytics (Sentinel) table has, which exports carry
/// beside the MDE columns.
fn log_analytics_column_type(name: &str) -> Option<DataType> {
    match name {
        "TimeGenerated" => Some(DataType::DateTime),
        "TenantId" | "SourceSystem" | "Type" | "MachineGroup" => Some(DataType::String),
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::value::Value;

    fn none(_: &str) -> Option<DataType> {
        None
    }

    fn row(b: &mut TableBuilder, fields: Vec<(&str, Raw)>) -> Vec<ValueProblem> {
        let problems = fields.into_iter().enumerate().filter_map(|(i, (k, v))| b.push_field(i, k, v, &none).err());
        let problems = problems.collect();
        b.end_row();
        problems
    }

    #[test]
    fn schema_columns_first_and_padding() {
        let mut b = TableBuilder::new("DeviceProcessEvents", Inference::FromValue);
        assert!(row(&mut b, vec![("Extra", Raw::I64(1)), ("FileSize", Raw::Str("abc".into()))]).len() == 1);
        row(&mut b, vec![("FileName", Raw::Str("a.exe".into())), ("Extra", Raw::F64(1.5))]);
        let t = b.finish();
        assert_eq!(t.fields()[0].name, "Timestamp");
        let last = t.fields().last().unwrap();
        assert_eq!((last.name.as_str(), last.dtype), ("Extra", DataType::Real));
        assert_eq!(t.value(0, t.index_of("FileName").unwrap()).as_str(), Some(""));
        assert!(t.value(0, t.index_of("FileSize").unwrap()).is_null());
        assert!(matches!(t.value(1, t.index_of("Extra").unwrap()), Value::Real(x) if x == 1.5));
    }

    #[test]
    fn mismatch_names_column_and_value() {
        let mut b = TableBuilder::new("DeviceProcessEvents", Inference::FromValue);
        let p = row(&mut b, vec![("FileSize", Raw::Str("abc".into()))]);
        assert_eq!(p[0].to_string(), r#"column FileSize: expected long, got "abc""#);
    }

    #[test]
    fn append_unites_columns() {
        let mut a = TableBuilder::new("X", Inference::FromValue);
        row(&mut a, vec![("A", Raw::I64(1))]);
        let mut b = TableBuilder::new("X", Inference::FromValue);
        row(&mut b, vec![("B", Raw::Str("s".into())), ("A", Raw::F64(0.5))]);
        a.append(b);
        let t = a.finish();
        assert_eq!(t.len(), 2);
        assert_eq!(t.fields()[0].dtype, DataType::Real);
        assert_eq!(t.value(0, 1).as_str(), Some(""));
        assert_eq!(t.value(1, 1).as_str(), Some("s"));
    }
}
