//! Frames: the intermediate tables of a pipeline.
//!
//! A frame fresh from a stored table shares its columns; `where`, `sort` and
//! `take` only narrow a selection vector of row ids (`sel`) instead of copying
//! every column, so a filter over a 58-column table touches only the columns
//! it reads. Those row ids are also the frame's lineage: which rows of the
//! source table reached this point, which the hunt layer keeps as hit rows.

use std::sync::Arc;

use crate::data::{Column, DataType, Field, Table, TableColumn, Value};

/// One column of a frame.
#[derive(Clone, Debug)]
pub struct FrameCol {
    /// Column name.
    pub name: String,
    /// The data: a stored table's lazy column stays undecoded until an
    /// operator reads it whole ([`FrameCol::col`]) or its rows are gathered.
    col: TableColumn,
    /// True when `col` is indexed by source row id (through `sel`), false
    /// when it has exactly one value per frame row.
    pub via_sel: bool,
}

impl FrameCol {
    /// A column of decoded data.
    pub fn new(name: String, col: Arc<Column>, via_sel: bool) -> FrameCol {
        FrameCol { name, col: TableColumn::Ready(col), via_sel }
    }

    /// The data (a lazy column is decoded whole now, once per session).
    pub fn col(&self) -> &Arc<Column> {
        self.col.column()
    }

    /// The column's type (without decoding a lazy column).
    pub fn data_type(&self) -> DataType {
        self.col.data_type()
    }

    /// Replaces the data.
    pub fn set_col(&mut self, col: Arc<Column>) {
        self.col = TableColumn::Ready(col);
    }
}

/// An intermediate table.
#[derive(Clone, Debug, Default)]
pub struct Frame {
    cols: Vec<FrameCol>,
    len: usize,
    /// Frame row → source row id, for `via_sel` columns; `None` = identity.
    sel: Option<Arc<Vec<u32>>>,
    /// The stored table the rows come from, while rows still map 1:1 to it.
    source: Option<Arc<str>>,
    /// The name `| as Name` gave these rows: what `union withsource=` reports (as-operator.md).
    alias: Option<Arc<str>>,
}

impl Frame {
    /// A frame over a stored table, with lineage to it.
    pub fn from_table(table: &Table) -> Frame {
        Frame {
            cols: table
                .fields()
                .iter()
                .zip(table.columns())
                .map(|(f, c)| FrameCol { name: f.name.clone(), col: c.clone(), via_sel: true })
                .collect(),
            len: table.len(),
            sel: None,
            source: Some(Arc::from(table.name())),
            alias: None,
        }
    }

    /// A frame of dense columns with no lineage.
    pub fn from_columns(cols: Vec<(String, Arc<Column>)>) -> Frame {
        let len = cols.first().map(|(_, c)| c.len()).unwrap_or(0);
        Frame {
            cols: cols.into_iter().map(|(name, col)| FrameCol::new(name, col, false)).collect(),
            len,
            sel: None,
            source: None,
            alias: None,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The columns.
    pub fn cols(&self) -> &[FrameCol] {
        &self.cols
    }

    /// Column names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.cols.iter().map(|c| c.name.as_str())
    }

    /// The schema.
    pub fn fields(&self) -> Vec<Field> {
        self.cols.iter().map(|c| Field { name: c.name.clone(), dtype: c.data_type() }).collect()
    }

    /// Index of a column by exact name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.cols.iter().position(|c| c.name == name)
    }

    /// The selection vector (frame row → source row id), if any.
    pub fn sel(&self) -> Option<&Arc<Vec<u32>>> {
        self.sel.as_ref()
    }

    /// The stored table this frame's rows still map to, if any.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The name `| as Name` gave these rows, if any.
    pub fn alias(&self) -> Option<&str> {
        self.alias.as_deref()
    }

    /// The same rows named by `| as Name`.
    pub fn with_alias(mut self, name: &str) -> Frame {
        self.alias = Some(Arc::from(name));
        self
    }

    /// Source-table row ids of the frame's rows (lineage), if it has lineage.
    pub fn lineage(&self) -> Option<Vec<u32>> {
        self.source.as_ref()?;
        Some(match &self.sel {
            Some(s) => s.as_ref().clone(),
            None => (0..self.len as u32).collect(),
        })
    }

    /// The physical row of frame row `row` in column `c`.
    #[inline]
    pub fn phys(&self, c: &FrameCol, row: usize) -> usize {
        match (&self.sel, c.via_sel) {
            (Some(s), true) => s[row] as usize,
            _ => row,
        }
    }

    /// The value at (`row`, column index).
    pub fn value(&self, row: usize, col: usize) -> Value {
        match self.cols.get(col) {
            Some(c) => c.col.get(self.phys(c, row)),
            None => Value::Null,
        }
    }

    /// A dense copy of column `i` (one value per frame row). A lazy column
    /// decodes only the selected rows, unless it is decoded whole already.
    pub fn dense(&self, i: usize) -> Arc<Column> {
        let c = &self.cols[i];
        match (&self.sel, c.via_sel) {
            (Some(s), true) => Arc::new(c.col.gather(s)),
            _ => c.col().clone(),
        }
    }

    /// Keeps the frame rows at `positions` (in that order, repeats allowed).
    /// Lineage is kept: selection-indexed columns are not copied.
    pub fn take_rows(&self, positions: &[u32]) -> Frame {
        let sel = match &self.sel {
            Some(s) => positions.iter().map(|&p| s[p as usize]).collect(),
            None => positions.to_vec(),
        };
        let needs_sel = self.cols.iter().any(|c| c.via_sel);
        Frame {
            cols: self
                .cols
                .iter()
                .map(|c| {
                    if c.via_sel {
                        c.clone()
                    } else {
                        FrameCol::new(c.name.clone(), Arc::new(c.col.gather(positions)), false)
                    }
                })
                .collect(),
            len: positions.len(),
            sel: (needs_sel || self.source.is_some()).then(|| Arc::new(sel)),
            source: self.source.clone(),
            alias: self.alias.clone(),
        }
    }

    /// Appends or replaces a dense column (same length as the frame).
    pub fn set_column(&mut self, name: &str, col: Arc<Column>) {
        let fc = FrameCol::new(name.to_string(), col, false);
        match self.index_of(name) {
            Some(i) => self.cols[i] = fc,
            None => self.cols.push(fc),
        }
    }

    /// Keeps and reorders columns by index (rows unchanged).
    pub fn select(&self, indices: &[usize], names: Option<&[String]>) -> Frame {
        let cols = indices
            .iter()
            .enumerate()
            .filter_map(|(k, &i)| {
                let mut c = self.cols.get(i)?.clone();
                if let Some(n) = names.and_then(|n| n.get(k)) {
                    c.name = n.clone();
                }
                Some(c)
            })
            .collect();
        Frame { cols, len: self.len, sel: self.sel.clone(), source: self.source.clone(), alias: self.alias.clone() }
    }

    /// A frame with the same rows and lineage and the given columns,
    /// which may mix this frame's columns and new dense ones.
    pub fn with_cols(&self, cols: Vec<FrameCol>) -> Frame {
        Frame { cols, len: self.len, sel: self.sel.clone(), source: self.source.clone(), alias: self.alias.clone() }
    }

    /// Forgets lineage (after an operator that builds new rows).
    pub fn without_lineage(self) -> Frame {
        // Lazy columns decode at the selected rows together, one read per table.
        let mut this = self.resolve_lazy();
        this.forget_lineage();
        this
    }

    fn forget_lineage(&mut self) {
        if self.sel.is_some() {
            for i in 0..self.cols.len() {
                let d = self.dense(i);
                self.cols[i].set_col(d);
                self.cols[i].via_sel = false;
            }
        }
        for c in &mut self.cols {
            c.via_sel = false;
        }
        self.sel = None;
        self.source = None;
        self.alias = None;
    }

    /// The same frame with its lazy columns decoded at its rows (one read of
    /// their lines per table), so what shows it never decodes: a query's result.
    pub fn resolve_lazy(mut self) -> Frame {
        let lazy: Vec<usize> =
            (0..self.cols.len()).filter(|&i| self.cols[i].col.lazy().is_some_and(|l| !l.is_decoded())).collect();
        if lazy.is_empty() {
            return self;
        }
        let rows = self.sel.clone();
        let columns: Vec<&Arc<crate::data::LazyColumn>> =
            lazy.iter().filter_map(|&i| self.cols[i].col.lazy()).collect();
        // A lazy frame column is indexed by source row (through `sel` when there is one).
        let decoded = crate::data::lazy::gather_many(&columns, rows.as_deref().map(Vec::as_slice));
        for (i, col) in lazy.into_iter().zip(decoded) {
            let via_sel = rows.is_none() && self.cols[i].via_sel;
            self.cols[i].col = TableColumn::Ready(col);
            self.cols[i].via_sel = via_sel;
        }
        self
    }

    /// Materialises the frame as a table.
    pub fn to_table(&self, name: &str) -> Table {
        let this = self.clone().resolve_lazy();
        let cols = (0..this.cols.len()).map(|i| (this.cols[i].name.clone(), this.dense(i))).collect();
        // Frame invariants guarantee equal lengths and unique names.
        Table::new(name, cols).unwrap_or_else(|_| Table::empty(name, &[]))
    }

    /// An empty frame with the given schema.
    pub fn empty(fields: &[(String, DataType)]) -> Frame {
        Frame::from_columns(fields.iter().map(|(n, t)| (n.clone(), Arc::new(Column::nulls(*t, 0)))).collect())
    }
}
