//! Named tables of typed columns, and the set of tables a session loaded.

use std::sync::Arc;

use super::column::Column;
use super::lazy::{LazyError, TableColumn};
use super::value::{DataType, Value};

/// A column's name and type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// Column name (case-sensitive, as in Kusto).
    pub name: String,
    /// Column type.
    pub dtype: DataType,
}

/// A columnar table. Columns are shared (`Arc`) so projections are cheap;
/// a column may be lazy (see [`super::lazy`]): decoded on first use.
#[derive(Clone, Debug, Default)]
pub struct Table {
    name: String,
    fields: Vec<Field>,
    columns: Vec<TableColumn>,
    len: usize,
}

/// Why a table could not be assembled from columns.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TableError {
    /// Columns of different lengths.
    #[error("column '{name}' has {got} rows, expected {expected}")]
    Length {
        /// The column.
        name: String,
        /// Its row count.
        got: usize,
        /// The table's row count.
        expected: usize,
    },
    /// Two columns with one name.
    #[error("duplicate column '{0}'")]
    Duplicate(String),
}

impl Table {
    /// A table from named columns, all of one length.
    pub fn new(name: impl Into<String>, columns: Vec<(String, Arc<Column>)>) -> Result<Table, TableError> {
        let len = columns.first().map(|(_, c)| c.len()).unwrap_or(0);
        let mut fields = Vec::with_capacity(columns.len());
        let mut cols = Vec::with_capacity(columns.len());
        for (n, c) in columns {
            if c.len() != len {
                return Err(TableError::Length { name: n, got: c.len(), expected: len });
            }
            if fields.iter().any(|f: &Field| f.name == n) {
                return Err(TableError::Duplicate(n));
            }
            fields.push(Field { name: n, dtype: c.data_type() });
            cols.push(TableColumn::Ready(c));
        }
        Ok(Table { name: name.into(), fields, columns: cols, len })
    }

    /// A table of decoded and lazy columns, all of `len` rows with unique
    /// names (the loader's tables, which guarantee both).
    pub(crate) fn from_parts(name: String, columns: Vec<(String, TableColumn)>, len: usize) -> Table {
        let fields = columns.iter().map(|(n, c)| Field { name: n.clone(), dtype: c.data_type() }).collect();
        Table { name, fields, columns: columns.into_iter().map(|(_, c)| c).collect(), len }
    }

    /// A table with the given schema and no rows.
    pub fn empty(name: impl Into<String>, fields: &[Field]) -> Table {
        Table {
            name: name.into(),
            fields: fields.to_vec(),
            columns: fields.iter().map(|f| TableColumn::Ready(Arc::new(Column::nulls(f.dtype, 0)))).collect(),
            len: 0,
        }
    }

    /// The table's name (`DeviceProcessEvents`, or a derived name).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Renames the table.
    pub fn set_name(&mut self, name: impl Into<String>) {
        self.name = name.into();
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The schema, in column order.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The columns, in schema order (lazy ones not decoded).
    pub fn columns(&self) -> &[TableColumn] {
        &self.columns
    }

    /// The first error met decoding one of its lazy columns, if any.
    pub fn lazy_failure(&self) -> Option<LazyError> {
        self.columns.iter().filter_map(|c| c.lazy()).find_map(|l| l.source().failure())
    }

    /// Names of the columns not decoded yet.
    pub fn undecoded(&self) -> Vec<&str> {
        let lazy = self.columns.iter().filter_map(|c| c.lazy()).filter(|l| !l.is_decoded());
        lazy.map(|l| l.name()).collect()
    }

    /// Index of a column by exact name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// A column by exact name (a lazy one is decoded now, once).
    pub fn column(&self, name: &str) -> Option<&Arc<Column>> {
        self.index_of(name).map(|i| self.columns[i].column())
    }

    /// The value at (`row`, column index).
    pub fn value(&self, row: usize, col: usize) -> Value {
        self.columns.get(col).map(|c| c.get(row)).unwrap_or(Value::Null)
    }

    /// A new table holding the given rows, in order (row ids must be in range).
    pub fn gather(&self, rows: &[u32]) -> Table {
        Table {
            name: self.name.clone(),
            fields: self.fields.clone(),
            columns: self.columns.iter().map(|c| TableColumn::Ready(Arc::new(c.gather(rows)))).collect(),
            len: rows.len(),
        }
    }
}

/// The tables of a session, by name.
#[derive(Clone, Debug, Default)]
pub struct Database {
    tables: Vec<Arc<Table>>,
}

impl Database {
    /// Adds or replaces a table.
    pub fn insert(&mut self, table: Table) {
        let table = Arc::new(table);
        match self.tables.iter_mut().find(|t| t.name() == table.name()) {
            Some(slot) => *slot = table,
            None => self.tables.push(table),
        }
    }

    /// A table by exact name.
    pub fn get(&self, name: &str) -> Option<&Arc<Table>> {
        self.tables.iter().find(|t| t.name() == name)
    }

    /// All tables, in insertion order.
    pub fn tables(&self) -> &[Arc<Table>] {
        &self.tables
    }

    /// Total rows across tables.
    pub fn total_rows(&self) -> usize {
        self.tables.iter().map(|t| t.len()).sum()
    }

    /// The first error met decoding a lazy column of any table, if any.
    pub fn lazy_failure(&self) -> Option<LazyError> {
        self.tables.iter().find_map(|t| t.lazy_failure())
    }
}

/// The newest `Timestamp` in any loaded table (for `--now latest`).
pub fn latest_timestamp(db: &Database) -> Option<i64> {
    db.tables()
        .iter()
        .filter_map(|t| match t.column("Timestamp").map(Arc::as_ref) {
            Some(Column::DateTime(c)) => (0..c.values.len()).filter_map(|r| c.get(r)).max(),
            _ => None,
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::column::{PrimColumn, StrColumn};

    #[test]
    fn build_gather_and_lookup() {
        let t = Table::new(
            "T",
            vec![
                ("A".into(), Arc::new(Column::String(StrColumn::from_strs(["x", "y", "x"])))),
                ("B".into(), Arc::new(Column::Long(PrimColumn::from_options([Some(1), None, Some(3)])))),
            ],
        )
        .unwrap();
        assert_eq!(t.len(), 3);
        assert!(matches!(t.value(1, 1), Value::Null));
        let g = t.gather(&[2, 0]);
        assert_eq!(g.value(0, 0).as_str(), Some("x"));
        assert!(matches!(g.value(0, 1), Value::Long(3)));
        assert_eq!(t.index_of("b"), None, "column names are case-sensitive");
    }

    #[test]
    fn mismatched_lengths_are_an_error() {
        let e = Table::new(
            "T",
            vec![
                ("A".into(), Arc::new(Column::String(StrColumn::from_strs(["x"])))),
                ("B".into(), Arc::new(Column::String(StrColumn::from_strs(["x", "y"])))),
            ],
        );
        assert!(matches!(e, Err(TableError::Length { .. })));
    }
}
