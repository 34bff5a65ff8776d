//! A table's new column: whether it is decoded ([`Keep`]), and its type:
//! the MDE schema's, a declared one, a known column name's, or inferred
//! ([`Inference`]).

use rustc_hash::FxHashSet;

use crate::data::schema::any_column_type;
use crate::data::text::same_text;
use crate::data::value::DataType;

use super::super::convert::Raw;
use super::super::sink::ColumnSink;
use super::{ColumnSlot, DeclaredType, TableBuilder};

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

impl TableBuilder {
    /// The column of the previous row's field at `position`, if it is `key`.
    #[inline]
    pub(super) fn hinted_column(&self, position: usize, key: &str) -> Option<usize> {
        let c = *self.order_hint.get(position)?;
        self.columns.get(c).is_some_and(|slot| same_text(&slot.name, key)).then_some(c)
    }

    pub(super) fn column_of(&mut self, position: usize, key: &str, raw: &Raw, declared: &DeclaredType<'_>) -> usize {
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

    fn add_column(&mut self, key: &str, raw: &Raw, declared: &DeclaredType<'_>) -> usize {
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

    pub(super) fn add_slot(&mut self, name: String, sink: ColumnSink, inferred: bool) -> usize {
        self.push_slot(ColumnSlot { name, sink, inferred, skipped: None, seen_in: 0 })
    }

    pub(super) fn push_slot(&mut self, slot: ColumnSlot) -> usize {
        let c = self.columns.len();
        self.index.insert(slot.name.clone(), c);
        self.columns.push(slot);
        c
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
