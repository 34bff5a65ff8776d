//! The finished table (schema columns first, skipped columns lazy), and the
//! columns a decoder of lazy columns asked for.

use std::sync::Arc;

use crate::data::column::Column;
use crate::data::lazy::{Decoder, LazyColumn, LazySource, RowLocs, TableColumn};
use crate::data::table::{Field, Table};
use crate::data::value::DataType;

use super::super::sink::ColumnSink;
use super::{ColumnSlot, TableBuilder};

impl TableBuilder {
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
                None => Some(Column::nulls(field.dtype, rows)),
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
    pub(crate) fn finish_named(self, names: &[&str]) -> Vec<Column> {
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
