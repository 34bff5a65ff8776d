//! String columns, stored the way their values pay for: a dictionary (one
//! u32 code per row and the distinct values once) when values repeat, so a
//! predicate runs once per distinct value and grouping compares codes; or
//! plain offsets and bytes when nearly every value is new (command lines,
//! ids), where a dictionary would cost a hash, a probe and an allocation
//! per row and save nothing.
//!
//! A builder starts as a dictionary and looks at the distinct ratio at
//! checkpoints; when the values are nearly unique it turns plain for good.
//! Merging builders concatenates plain bytes and remaps a dictionary once
//! per distinct value, never per row.

use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use super::text::same_text;

/// The distinct values of a string column, indexed by code.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    values: Vec<Arc<str>>,
}

impl Dictionary {
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
pub struct PlainStrings {
    ends: Vec<usize>,
    bytes: String,
}

impl PlainStrings {
    #[inline]
    fn get(&self, row: usize) -> Option<&str> {
        let end = *self.ends.get(row)?;
        let start = if row == 0 { 0 } else { self.ends[row - 1] };
        self.bytes.get(start..end)
    }

    #[inline]
    fn push(&mut self, s: &str) {
        self.bytes.push_str(s);
        self.ends.push(self.bytes.len());
    }

    fn append(&mut self, other: &PlainStrings) {
        let base = self.bytes.len();
        self.bytes.push_str(&other.bytes);
        self.ends.extend(other.ends.iter().map(|e| e + base));
    }

    fn heap_bytes(&self) -> usize {
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

    /// Builds a column from strings.
    pub fn from_strs<'a>(items: impl IntoIterator<Item = &'a str>) -> Self {
        let mut b = StrBuilder::default();
        for s in items {
            b.push(s);
        }
        b.finish()
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

/// When set, every builder keeps a dictionary (the storage before plain
/// columns existed): for benchmarks that compare the two in one binary.
static DICTIONARY_ONLY: AtomicBool = AtomicBool::new(false);

/// Makes every string builder made from now on keep a dictionary (`true`)
/// or choose per chunk (`false`, the default). For benchmarks only.
pub fn set_dictionary_only(on: bool) {
    DICTIONARY_ONLY.store(on, Ordering::Relaxed);
}

/// Rows after which a dictionary builder first looks at its distinct ratio
/// (and then at every doubling): enough that a column of a few thousand
/// devices does not look unique, few enough to stop interning early.
const FIRST_CHECKPOINT: usize = 2048;

/// Builds a string column: interns while values repeat, turns plain when
/// more than three in four rows bring a new value.
#[derive(Debug)]
pub struct StrBuilder {
    codes: Vec<u32>,
    values: Vec<Arc<str>>,
    /// Codes by the hash of their text. It holds only the code (the text is
    /// in `values`), so it stays small and is compared inline: interning
    /// is the hottest step of a dictionary load.
    index: HashTable<u32>,
    text_bytes: usize,
    /// The rows' text once the builder is plain.
    plain: Option<PlainStrings>,
    /// Whether the builder may turn plain.
    adaptive: bool,
    next_checkpoint: usize,
}

impl Default for StrBuilder {
    fn default() -> StrBuilder {
        StrBuilder {
            codes: Vec::new(),
            values: Vec::new(),
            index: HashTable::new(),
            text_bytes: 0,
            plain: None,
            adaptive: !DICTIONARY_ONLY.load(Ordering::Relaxed),
            next_checkpoint: FIRST_CHECKPOINT,
        }
    }
}

/// What earlier data showed about a column, for the builder of the next chunk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrHint {
    /// The values are nearly unique: store them plain from the start.
    Plain,
    /// The values repeat: about this many distinct ones per chunk.
    Dict(usize),
}

impl StrBuilder {
    /// A builder that always keeps a dictionary (for callers that work on codes).
    pub fn dictionary_only() -> StrBuilder {
        StrBuilder { adaptive: false, ..StrBuilder::default() }
    }

    /// A builder set up from what earlier chunks of the same column showed.
    pub fn with_hint(hint: StrHint) -> StrBuilder {
        let mut b = StrBuilder::default();
        match hint {
            StrHint::Plain if b.adaptive => b.plain = Some(PlainStrings::default()),
            StrHint::Plain => {}
            StrHint::Dict(distinct) => {
                b.values.reserve(distinct);
                b.index.reserve(distinct, |_| 0);
            }
        }
        b
    }

    /// The hint this builder's data gives the next chunk's builder.
    pub fn hint(&self) -> StrHint {
        match self.plain {
            Some(_) => StrHint::Plain,
            None => StrHint::Dict(self.values.len()),
        }
    }

    /// Appends one string.
    #[inline]
    pub fn push(&mut self, s: &str) {
        if let Some(p) = &mut self.plain {
            p.push(s);
            return;
        }
        let code = self.intern(s);
        self.codes.push(code);
        if self.codes.len() >= self.next_checkpoint {
            self.checkpoint();
        }
    }

    /// Appends `s` `n` times.
    pub fn push_n(&mut self, s: &str, n: usize) {
        if n == 0 {
            return;
        }
        if let Some(p) = &mut self.plain {
            (0..n).for_each(|_| p.push(s));
            return;
        }
        let code = self.intern(s);
        self.codes.extend(std::iter::repeat_n(code, n));
    }

    /// Turns plain when most rows so far brought a new value.
    #[cold]
    fn checkpoint(&mut self) {
        self.next_checkpoint = self.codes.len().saturating_mul(2);
        if self.adaptive && self.values.len() * 4 > self.codes.len() * 3 {
            self.turn_plain();
        }
    }

    fn turn_plain(&mut self) {
        let mut plain = PlainStrings { ends: Vec::with_capacity(self.codes.capacity()), bytes: String::new() };
        plain.bytes.reserve(self.text_bytes.max(self.codes.len() * 16));
        for &c in &self.codes {
            plain.push(self.values.get(c as usize).map_or("", |v| &**v));
        }
        *self = StrBuilder { plain: Some(plain), ..StrBuilder::default() };
    }

    /// The code of `s` in this builder's dictionary, adding it if new. A
    /// code is for [`StrBuilder::push_code`] of this builder only.
    pub fn intern(&mut self, s: &str) -> u32 {
        let hash = FxBuildHasher.hash_one(s);
        let values = &self.values;
        let is_s = |&c: &u32| values.get(c as usize).is_some_and(|v| same_text(v, s));
        if let Some(&c) = self.index.find(hash, is_s) {
            return c;
        }
        let code = self.values.len() as u32;
        self.text_bytes += s.len();
        self.values.push(Arc::from(s));
        let values = &self.values;
        let rehash = |&c: &u32| values.get(c as usize).map_or(0, |v| FxBuildHasher.hash_one(&**v));
        self.index.insert_unique(hash, code, rehash);
        code
    }

    /// Appends the value of a code previously returned by [`StrBuilder::intern`].
    #[inline]
    pub fn push_code(&mut self, code: u32) {
        match &mut self.plain {
            Some(p) => p.push(self.values.get(code as usize).map_or("", |v| &**v)),
            None => self.codes.push(code),
        }
    }

    /// Appends every row of `other`: plain text is concatenated, a
    /// dictionary is remapped once per distinct value. The result is plain
    /// when either side is.
    pub fn append(&mut self, other: StrBuilder) {
        match (&mut self.plain, other.plain) {
            (Some(mine), Some(theirs)) => mine.append(&theirs),
            (Some(mine), None) => {
                for &c in &other.codes {
                    mine.push(other.values.get(c as usize).map_or("", |v| &**v));
                }
            }
            (None, Some(theirs)) => {
                self.turn_plain();
                if let Some(mine) = &mut self.plain {
                    mine.append(&theirs);
                }
            }
            (None, None) => {
                let remap: Vec<u32> = other.values.iter().map(|s| self.intern(s)).collect();
                self.codes.reserve(other.codes.len());
                self.codes.extend(other.codes.iter().map(|&c| remap.get(c as usize).copied().unwrap_or(0)));
            }
        }
    }

    /// Rows appended so far.
    pub fn len(&self) -> usize {
        match &self.plain {
            Some(p) => p.ends.len(),
            None => self.codes.len(),
        }
    }

    /// True when no row was appended.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// About the bytes held: codes, distinct strings and their index, or the plain text.
    pub fn heap_bytes(&self) -> usize {
        // Per distinct value: its Arc (16 header + 16 pointer) and an index entry.
        let dict = self.codes.capacity() * 4 + self.values.len() * 56 + self.text_bytes;
        dict + self.plain.as_ref().map_or(0, PlainStrings::heap_bytes)
    }

    /// The finished column.
    pub fn finish(self) -> StrColumn {
        let repr = match self.plain {
            Some(mut p) => {
                p.bytes.shrink_to_fit();
                Repr::Plain(Arc::new(p))
            }
            None => Repr::Dict { codes: self.codes, dict: Arc::new(Dictionary { values: self.values }) },
        };
        StrColumn { repr }
    }
}

#[cfg(test)]
#[path = "strings_tests.rs"]
mod tests;
