//! Building string columns. While values repeat, a builder interns them
//! into a dictionary whose distinct values sit back to back in one text
//! buffer, each with its hash: interning a new value costs no allocation,
//! growing the index re-reads stored hashes instead of re-hashing text, and
//! merging a chunk's dictionary into the column's probes with the chunk's
//! hashes and copies only values the column has not seen. Shared `Arc<str>`
//! values are made once per distinct value, when the column is finished.
//!
//! When nearly every value is new (command lines, ids), the builder turns
//! plain for good: offsets and bytes, no hashing at all.

use std::hash::BuildHasher;
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use super::strings::{Dictionary, PlainStrings, StrColumn};
use super::text::same_text;

/// Rows after which a dictionary builder first looks at its distinct ratio
/// (and then at every doubling): enough that a column of a few thousand
/// devices does not look unique, few enough to stop interning early.
const FIRST_CHECKPOINT: usize = 2048;

/// The distinct values of a builder, in code order, with their hashes and
/// an index from hash to code.
#[derive(Debug, Default)]
struct Interner {
    /// Value `c` is `text.get(c)`.
    text: PlainStrings,
    hashes: Vec<u64>,
    /// Codes by the hash of their text. It holds only the code, so it stays
    /// small; a probe compares the text inline.
    index: HashTable<u32>,
}

impl Interner {
    fn with_capacity(distinct: usize) -> Interner {
        let mut i = Interner::default();
        i.reserve(distinct);
        i
    }

    fn len(&self) -> usize {
        self.hashes.len()
    }

    #[inline]
    fn get(&self, code: u32) -> &str {
        self.text.get(code as usize).unwrap_or("")
    }

    fn reserve(&mut self, additional: usize) {
        let hashes = &self.hashes;
        self.index.reserve(additional, |&c| hashes.get(c as usize).copied().unwrap_or(0));
        self.hashes.reserve(additional);
        self.text.reserve_rows(additional);
    }

    /// The code of `s` (hash `hash`), adding it if new.
    #[inline]
    fn intern_hashed(&mut self, s: &str, hash: u64) -> u32 {
        let text = &self.text;
        if let Some(&c) = self.index.find(hash, |&c| text.get(c as usize).is_some_and(|v| same_text(v, s))) {
            return c;
        }
        let code = self.hashes.len() as u32;
        self.text.push(s);
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.index.insert_unique(hash, code, |&c| hashes.get(c as usize).copied().unwrap_or(0));
        code
    }

    fn heap_bytes(&self) -> usize {
        // The index: a 4-byte code and a control byte per bucket.
        self.text.heap_bytes() + self.hashes.capacity() * 8 + self.index.capacity() * 5
    }

    /// The values as a dictionary of shared strings.
    fn into_dictionary(self) -> Dictionary {
        Dictionary::from_values((0..self.len()).map(|c| Arc::<str>::from(self.get(c as u32))).collect())
    }
}

fn hash_of(s: &str) -> u64 {
    FxBuildHasher.hash_one(s)
}

/// Builds a string column: interns while values repeat, turns plain when
/// more than three in four rows bring a new value.
#[derive(Debug)]
pub struct StrBuilder {
    codes: Vec<u32>,
    dict: Interner,
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
            dict: Interner::default(),
            plain: None,
            adaptive: true,
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
        match hint {
            StrHint::Plain => StrBuilder { plain: Some(PlainStrings::default()), ..StrBuilder::default() },
            StrHint::Dict(distinct) => StrBuilder { dict: Interner::with_capacity(distinct), ..StrBuilder::default() },
        }
    }

    /// The hint this builder's data gives the next chunk's builder.
    pub fn hint(&self) -> StrHint {
        match self.plain {
            Some(_) => StrHint::Plain,
            None => StrHint::Dict(self.dict.len()),
        }
    }

    /// Appends one string.
    #[inline]
    pub fn push(&mut self, s: &str) {
        if let Some(p) = &mut self.plain {
            p.push(s);
            return;
        }
        let code = self.dict.intern_hashed(s, hash_of(s));
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
        if self.adaptive && self.dict.len() * 4 > self.codes.len() * 3 {
            self.turn_plain();
        }
    }

    fn turn_plain(&mut self) {
        let mut plain = PlainStrings::default();
        plain.reserve_rows(self.codes.capacity());
        for &c in &self.codes {
            plain.push(self.dict.get(c));
        }
        *self = StrBuilder { plain: Some(plain), ..StrBuilder::default() };
    }

    /// The code of `s` in this builder's dictionary, adding it if new. A
    /// code is for [`StrBuilder::push_code`] of this builder only.
    pub fn intern(&mut self, s: &str) -> u32 {
        self.dict.intern_hashed(s, hash_of(s))
    }

    /// Appends the value of a code previously returned by [`StrBuilder::intern`].
    #[inline]
    pub fn push_code(&mut self, code: u32) {
        match &mut self.plain {
            Some(p) => p.push(self.dict.get(code)),
            None => self.codes.push(code),
        }
    }

    /// Appends every row of `other`: plain text is concatenated, a
    /// dictionary is remapped once per distinct value with the hashes it
    /// already has. The result is plain when either side is.
    pub fn append(&mut self, other: StrBuilder) {
        match (&mut self.plain, other.plain) {
            (Some(mine), Some(theirs)) => mine.append(&theirs),
            (Some(mine), None) => {
                mine.reserve_rows(other.codes.len());
                for &c in &other.codes {
                    mine.push(other.dict.get(c));
                }
            }
            (None, Some(theirs)) => {
                self.turn_plain();
                if let Some(mine) = &mut self.plain {
                    mine.append(&theirs);
                }
            }
            (None, None) => {
                let theirs = &other.dict;
                self.dict.reserve(theirs.len());
                let remap: Vec<u32> = (0..theirs.len())
                    .map(|c| self.dict.intern_hashed(theirs.get(c as u32), theirs.hashes[c]))
                    .collect();
                self.codes.reserve(other.codes.len());
                self.codes.extend(other.codes.iter().map(|&c| remap.get(c as usize).copied().unwrap_or(0)));
            }
        }
    }

    /// Rows appended so far.
    pub fn len(&self) -> usize {
        match &self.plain {
            Some(p) => p.len(),
            None => self.codes.len(),
        }
    }

    /// True when no row was appended.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// About the bytes held: codes and the distinct values, or the plain text.
    pub fn heap_bytes(&self) -> usize {
        let dict = self.codes.capacity() * 4 + self.dict.heap_bytes();
        dict + self.plain.as_ref().map_or(0, PlainStrings::heap_bytes)
    }

    /// The finished column.
    pub fn finish(self) -> StrColumn {
        match self.plain {
            Some(p) => StrColumn::plain(p),
            None => StrColumn::from_codes(self.codes, Arc::new(self.dict.into_dictionary())),
        }
    }
}

impl StrColumn {
    /// Builds a column from strings.
    pub fn from_strs<'a>(items: impl IntoIterator<Item = &'a str>) -> Self {
        let mut b = StrBuilder::default();
        for s in items {
            b.push(s);
        }
        b.finish()
    }
}

#[cfg(test)]
#[path = "strings_tests.rs"]
mod tests;
