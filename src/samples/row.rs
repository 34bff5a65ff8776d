//! One generated event: a cell for every column of its table's schema, in
//! schema order, so no writer can ever drop or reorder a column.

use std::borrow::Cow;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::SampleError;
use crate::data::DataType;
use crate::data::schema::{TableSchema, table_schema};
use crate::data::table::Field;

/// One value of a generated event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// A null (non-string columns only; Kusto strings have no null).
    Null,
    /// A string; catalogue text is borrowed so noise rows allocate little.
    Str(Cow<'static, str>),
    /// A string shared with the catalogue (device and account names, ids,
    /// hashes): a reference count, not a copy, per row.
    Shared(Arc<str>),
    /// A `long`.
    Long(i64),
    /// An `int`.
    Int(i32),
    /// A `bool`.
    Bool(bool),
    /// A `datetime` in ticks (100 ns) since the Unix epoch, UTC.
    Time(i64),
}

impl From<&'static str> for Cell {
    fn from(s: &'static str) -> Cell {
        Cell::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Str(Cow::Owned(s))
    }
}

impl From<Arc<str>> for Cell {
    fn from(s: Arc<str>) -> Cell {
        Cell::Shared(s)
    }
}

impl From<&Arc<str>> for Cell {
    fn from(s: &Arc<str>) -> Cell {
        Cell::Shared(s.clone())
    }
}

impl Cell {
    /// The text of a string cell (`""` for any other cell).
    pub fn text(&self) -> &str {
        match self {
            Cell::Str(s) => s,
            Cell::Shared(s) => s,
            _ => "",
        }
    }
}

/// The columns of one table and a name → position index.
#[derive(Debug)]
pub struct Layout {
    /// The table name.
    pub table: &'static str,
    /// The schema this layout follows.
    pub schema: &'static TableSchema,
    /// The columns written: the schema's, then any newer ones Defender
    /// exports that the bundled schema does not list yet.
    pub fields: Vec<Field>,
    /// Each column's JSON key with its colon (`"Timestamp":`), encoded once.
    pub json_keys: Vec<Vec<u8>>,
    index: FxHashMap<String, usize>,
}

impl Layout {
    /// The layout of a known MDE table.
    pub fn of(table: &'static str) -> Result<Layout, SampleError> {
        Layout::with_extra(table, &[])
    }

    /// The layout of a known MDE table with `extra` columns after the schema's.
    pub fn with_extra(table: &'static str, extra: &[(&str, DataType)]) -> Result<Layout, SampleError> {
        let schema = table_schema(table).ok_or(SampleError::UnknownTable(table))?;
        let mut fields = schema.fields.clone();
        fields.extend(extra.iter().map(|&(name, dtype)| Field { name: name.to_string(), dtype }));
        let index = fields.iter().enumerate().map(|(i, f)| (f.name.clone(), i)).collect();
        let json_keys = fields
            .iter()
            .map(|f| {
                // Serialising a &str cannot fail; a key is plain ASCII anyway.
                let mut key = serde_json::to_vec(&f.name).unwrap_or_default();
                key.push(b':');
                key
            })
            .collect();
        Ok(Layout { table, schema, fields, json_keys, index })
    }

    /// A row with every column at its empty value: `""` for strings, null otherwise.
    pub fn empty_row(&self) -> Row {
        let cells = self.fields.iter().map(|f| if f.dtype.is_text() { Cell::from("") } else { Cell::Null }).collect();
        Row { cells }
    }

    /// The position of a column.
    pub fn position(&self, column: &str) -> Option<usize> {
        self.index.get(column).copied()
    }

    /// The type of the column at a position.
    pub fn dtype(&self, position: usize) -> DataType {
        self.fields.get(position).map_or(DataType::String, |f| f.dtype)
    }
}

/// One event: cells in the schema order of its [`Layout`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The cells, one per schema column.
    pub cells: Vec<Cell>,
}

/// A row being filled in by name.
pub struct RowBuilder<'a> {
    layout: &'a Layout,
    row: Row,
    /// The column after the last one set: rows are mostly filled in schema
    /// order, so comparing one name usually saves the index lookup.
    next: usize,
}

impl<'a> RowBuilder<'a> {
    /// Starts an empty row of `layout`.
    pub fn new(layout: &'a Layout) -> RowBuilder<'a> {
        RowBuilder { layout, row: layout.empty_row(), next: 0 }
    }

    /// Sets a column. Names come from this module's own code, never from
    /// input; a misspelt name is caught by the tests (debug assertion) and
    /// ignored in release rather than aborting a long generation.
    pub fn set(&mut self, column: &str, cell: impl Into<Cell>) -> &mut Self {
        let predicted = self.layout.fields.get(self.next).is_some_and(|f| f.name == column);
        let position = if predicted { Some(self.next) } else { self.layout.position(column) };
        match position {
            Some(i) => {
                self.row.cells[i] = cell.into();
                self.next = i + 1;
            }
            None => debug_assert!(false, "{} has no column {column}", self.layout.table),
        }
        self
    }

    /// The finished row.
    pub fn finish(self) -> Row {
        self.row
    }
}

impl Row {
    /// The cell of a column, by name.
    pub fn get<'r>(&'r self, layout: &Layout, column: &str) -> Option<&'r Cell> {
        layout.position(column).and_then(|i| self.cells.get(i))
    }

    /// The text of a string column (`""` when absent or not a string).
    pub fn text<'r>(&'r self, layout: &Layout, column: &str) -> &'r str {
        self.get(layout, column).map_or("", Cell::text)
    }

    /// The ticks of a datetime column.
    pub fn time(&self, layout: &Layout, column: &str) -> Option<i64> {
        match self.get(layout, column) {
            Some(Cell::Time(t)) => Some(*t),
            _ => None,
        }
    }
}
