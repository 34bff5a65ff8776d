//! Lazy columns: a JSON Lines load can decode only the columns a session's
//! rules read (see `LoadOptions::eager_columns`); each of the others keeps
//! where its rows are (file, byte offset, length) and decodes on demand —
//! the whole column once (cached), or only some rows (a drill-down, the hit
//! rows of a result). The values are exactly an eager load's: the same
//! scanner and the same typed sinks read the same bytes again.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use super::column::Column;
use super::value::{DataType, Value};

/// Decodes columns (names) of a table (its name) at rows (all when `None`)
/// from the rows' places: the loader's, given to each lazy source it makes.
pub(crate) type Decoder = fn(&str, &RowLocs, &[&str], Option<&[u32]>) -> Result<Vec<Column>, LazyError>;

/// Why a lazy column could not be decoded. The values are never guessed:
/// a file that changed since the load is an error, not stale or shifted rows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LazyError {
    /// The file's size or modification time is not what the load saw.
    #[error("{path} changed since the events were loaded ({what}); load them again")]
    Changed {
        /// The file.
        path: String,
        /// What differs.
        what: String,
    },
    /// The file could not be read.
    #[error("cannot read {path} again for a column loaded on demand: {message}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        message: String,
    },
}

impl LazyError {
    /// A stable kebab-case name, for machine-readable output.
    pub fn code(&self) -> &'static str {
        match self {
            LazyError::Changed { .. } => "events-changed",
            LazyError::Read { .. } => "events-unreadable",
        }
    }

    /// The file.
    pub fn path(&self) -> &str {
        match self {
            LazyError::Changed { path, .. } | LazyError::Read { path, .. } => path,
        }
    }
}

/// A plain JSON Lines file whose rows a lazy column reads again.
#[derive(Debug)]
pub(crate) struct LazyFile {
    /// Where it is.
    pub path: PathBuf,
    /// The path as the load reported it.
    pub display: String,
    /// Its size at load time.
    pub len: u64,
    /// Its modification time at load time.
    pub modified: Option<SystemTime>,
    /// Its file name (table detection).
    pub file_name: String,
    /// `--table` of the load.
    pub option_table: Option<String>,
    /// The table its rows that name none went to (set once the load decided it).
    pub default_table: OnceLock<String>,
}

/// Where each row of a table is: file, byte offset and length of its line.
/// Rows of one line (a JSON array on a line) repeat the line's place.
#[derive(Debug, Default)]
pub(crate) struct RowLocs {
    /// The files, in first-seen order.
    pub files: Vec<Arc<LazyFile>>,
    /// (first row, file index) at each change of file.
    pub segments: Vec<(u32, u32)>,
    /// Byte offset of each row's line.
    pub offsets: Vec<u64>,
    /// Byte length of each row's line.
    pub lens: Vec<u32>,
}

impl RowLocs {
    /// Places for rows of `file`.
    pub fn new(file: Arc<LazyFile>) -> RowLocs {
        RowLocs { files: vec![file], segments: vec![(0, 0)], ..RowLocs::default() }
    }

    /// Rows placed.
    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    /// Places one more row (of the last file).
    pub fn push(&mut self, offset: u64, len: usize) {
        self.offsets.push(offset);
        self.lens.push(u32::try_from(len).unwrap_or(u32::MAX));
    }

    /// Appends the places of `other`'s rows after these.
    pub fn append(&mut self, other: RowLocs) {
        let base = self.len() as u32;
        for (first, f) in other.segments {
            let file = &other.files[f as usize];
            let index = match self.files.iter().position(|mine| Arc::ptr_eq(mine, file) || mine.path == file.path) {
                Some(i) => i,
                None => {
                    self.files.push(file.clone());
                    self.files.len() - 1
                }
            } as u32;
            if self.segments.last().map(|&(_, i)| i) != Some(index) {
                self.segments.push((base + first, index));
            }
        }
        self.offsets.extend(other.offsets);
        self.lens.extend(other.lens);
    }

    /// The file index of `row`.
    pub fn file_of(&self, row: usize) -> usize {
        let at = self.segments.partition_point(|&(first, _)| first as usize <= row);
        self.segments.get(at.saturating_sub(1)).map_or(0, |&(_, f)| f as usize)
    }

    /// Which of its line's rows `row` is (0 unless a line held several rows).
    pub fn ordinal(&self, row: usize) -> u32 {
        let (file, offset) = (self.file_of(row), self.offsets[row]);
        let mut k = 0;
        while (k as usize) < row {
            let prev = row - k as usize - 1;
            if self.offsets[prev] != offset || self.file_of(prev) != file {
                break;
            }
            k += 1;
        }
        k
    }
}

/// The row places of one table, shared by its lazy columns.
#[derive(Debug)]
pub struct LazySource {
    table: String,
    decoder: Decoder,
    pub(crate) locs: RowLocs,
    /// The lazy columns, in table order, with their types.
    columns: Vec<(String, DataType)>,
    /// The first decoding error: a query that met it fails with it.
    failure: Mutex<Option<LazyError>>,
    /// The last row decoded by [`LazySource::row_value`] (every lazy column), so a
    /// drill-down or a grid row decodes its line once.
    last_row: Mutex<Option<(usize, Arc<Vec<Value>>)>>,
}

impl LazySource {
    pub(crate) fn new(table: String, decoder: Decoder, locs: RowLocs, columns: Vec<(String, DataType)>) -> LazySource {
        LazySource { table, decoder, locs, columns, failure: Mutex::default(), last_row: Mutex::default() }
    }

    /// The first error met while decoding, if any.
    pub fn failure(&self) -> Option<LazyError> {
        self.failure.lock().ok().and_then(|f| f.clone())
    }

    fn fail(&self, e: LazyError) {
        if let Ok(mut f) = self.failure.lock() {
            f.get_or_insert(e);
        }
    }

    /// Decodes `names` at `rows` (all rows when `None`).
    pub fn decode(&self, names: &[&str], rows: Option<&[u32]>) -> Result<Vec<Column>, LazyError> {
        (self.decoder)(&self.table, &self.locs, names, rows)
    }

    /// The value of lazy column `index` at `row`, decoding the row's every
    /// lazy column at once; `Null` (and a recorded failure) when it cannot.
    fn row_value(&self, index: usize, row: usize) -> Value {
        if let Ok(last) = self.last_row.lock()
            && let Some((r, values)) = last.as_ref()
            && *r == row
        {
            return values.get(index).cloned().unwrap_or(Value::Null);
        }
        let names: Vec<&str> = self.columns.iter().map(|(n, _)| n.as_str()).collect();
        match self.decode(&names, Some(&[row as u32])) {
            Ok(cols) => {
                let values: Arc<Vec<Value>> = Arc::new(cols.iter().map(|c| c.get(0)).collect());
                let v = values.get(index).cloned().unwrap_or(Value::Null);
                if let Ok(mut last) = self.last_row.lock() {
                    *last = Some((row, values));
                }
                v
            }
            Err(e) => {
                self.fail(e);
                Value::Null
            }
        }
    }
}

/// Single rows read from a lazy column before it decodes whole instead: a
/// caller walking many rows one by one (stacking a column over every hit)
/// pays for at most this many line reads on top of one whole decode.
const ROW_READS_BEFORE_WHOLE: u32 = 256;

/// Share of a table's rows above which gathering a lazy column decodes it
/// whole (and keeps it) rather than only the rows asked for.
const GATHER_WHOLE_FROM: usize = 8;

/// One column not decoded at load: it decodes on first use.
#[derive(Debug)]
pub struct LazyColumn {
    index: usize,
    source: Arc<LazySource>,
    cell: OnceLock<Arc<Column>>,
    row_reads: AtomicU32,
}

impl LazyColumn {
    /// The lazy columns of `source`, one per column it names.
    pub(crate) fn all_of(source: &Arc<LazySource>) -> Vec<Arc<LazyColumn>> {
        (0..source.columns.len())
            .map(|index| {
                let (source, cell, row_reads) = (source.clone(), OnceLock::new(), AtomicU32::new(0));
                Arc::new(LazyColumn { index, source, cell, row_reads })
            })
            .collect()
    }

    /// The column's name.
    pub fn name(&self) -> &str {
        &self.source.columns[self.index].0
    }

    /// The column's type (known without decoding: the table's schema).
    pub fn data_type(&self) -> DataType {
        self.source.columns[self.index].1
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.source.locs.len()
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows' places, shared by the table's lazy columns.
    pub fn source(&self) -> &Arc<LazySource> {
        &self.source
    }

    /// True once the whole column is decoded.
    pub fn is_decoded(&self) -> bool {
        self.cell.get().is_some()
    }

    /// The whole column, decoded on first use and kept. When it cannot be
    /// decoded the failure is recorded on the source (queries fail with it)
    /// and the column reads as nulls.
    pub fn column(&self) -> &Arc<Column> {
        self.cell.get_or_init(|| match self.source.decode(&[self.name()], None) {
            Ok(mut cols) if cols.len() == 1 => Arc::new(cols.remove(0)),
            Ok(_) => Arc::new(Column::nulls(self.data_type(), self.len())),
            Err(e) => {
                self.source.fail(e);
                Arc::new(Column::nulls(self.data_type(), self.len()))
            }
        })
    }

    /// The value at `row`: from the whole column when decoded, else by
    /// decoding that row's line only.
    pub fn get(&self, row: usize) -> Value {
        match self.cell.get() {
            Some(c) => c.get(row),
            None if self.row_reads.fetch_add(1, Ordering::Relaxed) >= ROW_READS_BEFORE_WHOLE => self.column().get(row),
            None if row < self.len() => self.source.row_value(self.index, row),
            None => Value::Null,
        }
    }

    /// The given rows, in order (repeats allowed): gathered from the whole
    /// column when decoded, else decoded from those rows' lines only.
    pub fn gather(&self, rows: &[u32]) -> Column {
        if let Some(c) = self.cell.get() {
            return c.gather(rows);
        }
        if rows.len().saturating_mul(GATHER_WHOLE_FROM) > self.len() {
            return self.column().gather(rows);
        }
        match self.source.decode(&[self.name()], Some(rows)) {
            Ok(mut cols) if cols.len() == 1 => cols.remove(0),
            Ok(_) => Column::nulls(self.data_type(), rows.len()),
            Err(e) => {
                self.source.fail(e);
                Column::nulls(self.data_type(), rows.len())
            }
        }
    }
}

/// Gathers several lazy columns at `rows` (every row when `None`) with one
/// read of their lines per source, as [`LazyColumn::gather`] would one by one;
/// a column decoded whole here is kept.
pub fn gather_many(columns: &[&Arc<LazyColumn>], rows: Option<&[u32]>) -> Vec<Arc<Column>> {
    let mut out: Vec<Option<Arc<Column>>> = vec![None; columns.len()];
    for (i, l) in columns.iter().enumerate() {
        if let Some(c) = l.cell.get() {
            out[i] = Some(rows.map_or_else(|| c.clone(), |r| Arc::new(c.gather(r))));
        }
    }
    while let Some(first) = out.iter().position(Option::is_none) {
        let source = &columns[first].source;
        let group: Vec<usize> =
            (first..columns.len()).filter(|&i| out[i].is_none() && Arc::ptr_eq(&columns[i].source, source)).collect();
        let names: Vec<&str> = group.iter().map(|&i| columns[i].name()).collect();
        let whole = rows.is_none_or(|r| r.len().saturating_mul(GATHER_WHOLE_FROM) > source.locs.len());
        let mut decoded = source.decode(&names, if whole { None } else { rows }).map(|cols| cols.into_iter());
        for &i in &group {
            let l = columns[i];
            let next = match &mut decoded {
                Ok(cols) => cols.next().ok_or(None),
                Err(e) => Err(Some(e.clone())),
            };
            let column = match next {
                Ok(col) if whole => {
                    let whole = l.cell.get_or_init(|| Arc::new(col));
                    rows.map_or_else(|| whole.clone(), |r| Arc::new(whole.gather(r)))
                }
                Ok(col) => Arc::new(col),
                Err(e) => {
                    if let Some(e) = e {
                        source.fail(e);
                    }
                    Arc::new(Column::nulls(l.data_type(), rows.map_or(l.len(), <[u32]>::len)))
                }
            };
            out[i] = Some(column);
        }
    }
    out.into_iter().flatten().collect()
}

/// A table's column: decoded, or lazy.
#[derive(Clone, Debug)]
pub enum TableColumn {
    /// Decoded.
    Ready(Arc<Column>),
    /// Decoded on demand.
    Lazy(Arc<LazyColumn>),
}

impl TableColumn {
    /// The column's type.
    pub fn data_type(&self) -> DataType {
        match self {
            TableColumn::Ready(c) => c.data_type(),
            TableColumn::Lazy(l) => l.data_type(),
        }
    }

    /// The whole column (a lazy one is decoded now, once).
    pub fn column(&self) -> &Arc<Column> {
        match self {
            TableColumn::Ready(c) => c,
            TableColumn::Lazy(l) => l.column(),
        }
    }

    /// The value at `row`.
    pub fn get(&self, row: usize) -> Value {
        match self {
            TableColumn::Ready(c) => c.get(row),
            TableColumn::Lazy(l) => l.get(row),
        }
    }

    /// The given rows, in order.
    pub fn gather(&self, rows: &[u32]) -> Column {
        match self {
            TableColumn::Ready(c) => c.gather(rows),
            TableColumn::Lazy(l) => l.gather(rows),
        }
    }

    /// The lazy column, when this one is lazy.
    pub fn lazy(&self) -> Option<&Arc<LazyColumn>> {
        match self {
            TableColumn::Lazy(l) => Some(l),
            TableColumn::Ready(_) => None,
        }
    }
}
