//! String columns, stored the way their values pay for: a dictionary (one
//! u32 code per row and the distinct values once) when values repeat, so a
//! predicate runs once per distinct value and grouping compares codes; or
//! plain offsets and bytes when nearly every value is new (command lines,
//! ids), where a dictionary would cost a hash, a probe and an allocation
//! per row and save nothing.
//!
//! Columns are built by `StrBuilder` (`str_builder.rs`).

use std::sync::Arc;

/// The distinct values of a string column, indexed by code.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    values: Vec<Arc<str>>,
}

impl Dictionary {
    /// A dictionary of distinct values (callers keep them distinct).
    pub(crate) fn from_values(values: Vec<Arc<str>>) -> Dictionary {
        Dictionary { values }
    }

    /// The value of a code.
    #[inline]
    pub fn get(&self, code: u32) -> &Arc<str> {
        &self.values[code as usize]
    }

    /// All distinct values, in code order.
    pub fn values(&self) -> &[Arc<str>] {
        &self.values
    }

    /// Number of distinct values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when there are no values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Every row's text back to back; row `i` is `bytes[ends[i-1]..ends[i]]`.
#[derive(Clone, Debug, Default)]
pub(crate) struct PlainStrings {
    ends: Vec<usize>,
    bytes: String,
}

impl PlainStrings {
    /// Rows held.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Room for `rows` more rows' offsets.
    pub(crate) fn reserve_rows(&mut self, rows: usize) {
        self.ends.reserve(rows);
    }

    /// The text of `row`.
    #[inline]
    pub(crate) fn get(&self, row: usize) -> Option<&str> {
        let end = *self.ends.get(row)?;
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        self.bytes.get(start..end)
    }

    /// Appends one row.
    #[inline]
    pub(crate) fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        self.ends.push(self.bytes.len());
    }

    /// Appends every row of `other`.
    pub(crate) fn append(&mut self, other: &PlainStrings) {
        let base = self.bytes.len();
        self.bytes.push_str(&other.bytes);
        self.ends.extend(other.ends.iter().map(|e| e + base));
    }

    /// About the bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.ends.capacity() * 8 + self.bytes.capacity()
    }
}

/// How a string column is stored.
#[derive(Clone, Debug)]
enum Repr {
    /// One code per row into a shared dictionary of distinct values.
    Dict { codes: Vec<u32>, dict: Arc<Dictionary> },
    /// The rows' text, back to back.
    Plain(Arc<PlainStrings>),
}

/// A string column (also used for `guid`).
#[derive(Clone, Debug)]
pub struct StrColumn {
    repr: Repr,
}

impl Default for StrColumn {
    fn default() -> StrColumn {
        StrColumn { repr: Repr::Dict { codes: Vec::new(), dict: Arc::default() } }
    }
}

impl StrColumn {
    /// A plain column of these rows.
    pub(crate) fn plain(mut rows: PlainStrings) -> StrColumn {
        rows.bytes.shrink_to_fit();
        StrColumn { repr: Repr::Plain(Arc::new(rows)) }
    }

    /// A dictionary column: one code per row into `dict`.
    pub(crate) fn from_codes(codes: Vec<u32>, dict: Arc<Dictionary>) -> StrColumn {
        StrColumn { repr: Repr::Dict { codes, dict } }
    }

    /// The string at `row` (`""` when out of range).
    #[inline]
    pub fn get(&self, row: usize) -> &str {
        match &self.repr {
            Repr::Dict { codes, dict } => codes.get(row).map(|&c| &**dict.get(c)).unwrap_or(""),
            Repr::Plain(p) => p.get(row).unwrap_or(""),
        }
    }

    /// The string at `row` as a shared value (a dictionary column shares
    /// its value; a plain one copies it).
    pub fn get_shared(&self, row: usize) -> Option<Arc<str>> {
        match &self.repr {
            Repr::Dict { codes, dict } => codes.get(row).map(|&c| dict.get(c).clone()),
            Repr::Plain(p) => p.get(row).map(Arc::from),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Dict { codes, .. } => codes.len(),
            Repr::Plain(p) => p.ends.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The codes and the dictionary, when the column is dictionary-encoded
    /// (equal codes ⇔ equal strings).
    pub fn dictionary(&self) -> Option<(&[u32], &Arc<Dictionary>)> {
        match &self.repr {
            Repr::Dict { codes, dict } => Some((codes, dict)),
            Repr::Plain(_) => None,
        }
    }

    /// A new column of the given rows, in order (a dictionary is shared).
    pub fn gather(&self, rows: &[u32]) -> StrColumn {
        let repr = match &self.repr {
            Repr::Dict { codes, dict } => {
                Repr::Dict { codes: rows.iter().map(|&r| codes[r as usize]).collect(), dict: dict.clone() }
            }
            Repr::Plain(p) => {
                let mut out = PlainStrings { ends: Vec::with_capacity(rows.len()), bytes: String::new() };
                for &r in rows {
                    out.push(p.get(r as usize).unwrap_or(""));
                }
                Repr::Plain(Arc::new(out))
            }
        };
        StrColumn { repr }
    }
}
