//! The fast path for the common JSON Lines row: one flat object whose values
//! are strings, integers, decimals, booleans or null, as Defender exports
//! write them. Scanned by hand (eight bytes at a time, then memchr, to find
//! string ends), into a field list reused from row to row, with no
//! allocation per row.
//!
//! It declines anything else — nested values, control bytes, unusual numbers,
//! the document keys (`records`, `Schema`, `properties`...), or any syntax
//! error — and the caller parses that line with serde, so every edge case and
//! every error message stays exactly serde's.

use std::borrow::Cow;
use std::ops::Range;

use crate::data::text::{same_text, word_at};

use super::convert::Raw;

/// Where a piece of text is: in the line itself, or unescaped into scratch.
#[derive(Clone, Debug)]
enum Text<'a> {
    Line(&'a str),
    Scratch(Range<usize>),
}

/// A scalar as scanned.
#[derive(Clone, Debug)]
enum Scalar<'a> {
    Null,
    Bool(bool),
    I64(i64),
    F64(f64),
    Str(Text<'a>),
}

/// Scans flat rows of lines that live for `'a`; holds the last row's fields.
#[derive(Debug, Default)]
pub(crate) struct FlatScanner<'a> {
    fields: Vec<(Text<'a>, Scalar<'a>)>,
    scratch: String,
    /// A key of the last row was `Type` or `Table` (which may name the row's table).
    may_name_table: bool,
    /// The keys of the last row by position (`None`: it had escapes). Rows
    /// of an export repeat their keys in one order, so the key at a position
    /// is first compared with the last row's, sparing the search for its end.
    last_keys: Vec<Option<&'a str>>,
    /// The `category` of the last streaming record.
    category: Option<&'a str>,
}

impl<'a> FlatScanner<'a> {
    /// Scans `line` (one JSON value, without its line end). True when it is
    /// a flat object, now held by the scanner; false when the serde path
    /// must read it.
    pub(crate) fn scan(&mut self, line: &'a str) -> bool {
        self.fields.clear();
        self.scratch.clear();
        self.may_name_table = false;
        // Control bytes are invalid in strings and rare elsewhere: serde decides.
        if has_control_byte(line.as_bytes()) {
            return false;
        }
        self.object(line).is_some()
    }

    /// True when the last row had a `Type` or `Table` key.
    pub(crate) fn may_name_table(&self) -> bool {
        self.may_name_table
    }

    /// The fields of the row last scanned, in input order.
    pub(crate) fn fields(&self) -> impl Iterator<Item = (&str, Raw<'_>)> + Clone {
        self.fields.iter().map(move |(key, value)| {
            let raw = match value {
                Scalar::Null => Raw::Null,
                Scalar::Bool(b) => Raw::Bool(*b),
                Scalar::I64(i) => Raw::I64(*i),
                Scalar::F64(f) => Raw::F64(*f),
                Scalar::Str(text) => Raw::Str(Cow::Borrowed(self.text(text))),
            };
            (self.text(key), raw)
        })
    }

    fn text<'s>(&'s self, text: &Text<'a>) -> &'s str {
        match text {
            Text::Line(s) => s,
            Text::Scratch(r) => self.scratch.get(r.clone()).unwrap_or(""),
        }
    }

    /// Scans a streaming-API record, `{"time":…,"category":"AdvancedHunting-T",
    /// "properties":{…}}`, whose envelope values are scalars and whose
    /// `properties` is a flat object: true when it is one, its properties
    /// now held as the row's fields (the envelope is not part of the event).
    pub(crate) fn scan_record(&mut self, text: &'a str) -> bool {
        self.fields.clear();
        self.scratch.clear();
        self.may_name_table = false;
        self.category = None;
        if has_control_byte(text.as_bytes()) {
            return false;
        }
        self.record(text).is_some()
    }

    /// The `category` of the record last scanned by [`FlatScanner::scan_record`].
    pub(crate) fn category(&self) -> Option<&'a str> {
        self.category
    }

    fn object(&mut self, line: &'a str) -> Option<()> {
        let b = line.as_bytes();
        let end = self.members(line, skip_spaces(b, 0))?;
        (skip_spaces(b, end) == b.len()).then_some(())
    }

    /// The members of the flat object at `at` (its `{`) into the fields;
    /// returns the offset after its `}`.
    pub(super) fn members(&mut self, line: &'a str, at: usize) -> Option<usize> {
        let b = line.as_bytes();
        if b.get(at) != Some(&b'{') {
            return None;
        }
        let mut at = skip_spaces(b, at + 1);
        if b.get(at) == Some(&b'}') {
            return Some(at + 1);
        }
        loop {
            if b.get(at) != Some(&b'"') {
                return None;
            }
            let (key, after_key) = match self.predicted_key(line, at + 1) {
                Some(found) => found,
                None => {
                    let (key, after_key) = self.string(line, at + 1)?;
                    self.remember_key(&key);
                    (key, after_key)
                }
            };
            match self.text(&key).as_bytes() {
                b"Type" | b"Table" => self.may_name_table = true,
                // Keys a JSON document (not an event) has at its top level:
                // the serde path knows what they mean.
                b"records" | b"Results" | b"results" | b"Schema" | b"schema" | b"properties" => return None,
                _ => {}
            }
            at = skip_spaces(b, after_key);
            if b.get(at) != Some(&b':') {
                return None;
            }
            at = skip_spaces(b, at + 1);
            let (value, after_value) = self.scalar(line, at)?;
            self.fields.push((key, value));
            at = skip_spaces(b, after_value);
            match b.get(at) {
                Some(b',') => at = skip_spaces(b, at + 1),
                Some(b'}') => return Some(at + 1),
                _ => return None,
            }
        }
    }

    /// The key at `start` when it is the last row's key at this position.
    #[inline]
    fn predicted_key(&self, line: &'a str, start: usize) -> Option<(Text<'a>, usize)> {
        let expected = (*self.last_keys.get(self.fields.len())?)?;
        let end = start + expected.len();
        let key = line.get(start..end)?;
        (line.as_bytes().get(end) == Some(&b'"') && same_text(key, expected)).then_some((Text::Line(key), end + 1))
    }

    fn remember_key(&mut self, key: &Text<'a>) {
        let position = self.fields.len();
        let key = match key {
            Text::Line(s) => Some(*s),
            Text::Scratch(_) => None,
        };
        match self.last_keys.get_mut(position) {
            Some(slot) => *slot = key,
            None => self.last_keys.push(key),
        }
    }

    fn scalar(&mut self, line: &'a str, at: usize) -> Option<(Scalar<'a>, usize)> {
        let b = line.as_bytes();
        match b.get(at)? {
            b'"' => self.string(line, at + 1).map(|(t, end)| (Scalar::Str(t), end)),
            b't' => literal(b, at, b"true", Scalar::Bool(true)),
            b'f' => literal(b, at, b"false", Scalar::Bool(false)),
            b'n' => literal(b, at, b"null", Scalar::Null),
            b'-' | b'0'..=b'9' => number(b, at),
            _ => None,
        }
    }

    /// A string whose opening quote is just before `start`; returns it and
    /// the offset after its closing quote.
    fn string(&mut self, line: &'a str, start: usize) -> Option<(Text<'a>, usize)> {
        let b = line.as_bytes();
        let first = quote_or_backslash(b, start)?;
        if b[first] == b'"' {
            return Some((Text::Line(line.get(start..first)?), first + 1));
        }
        let begin = self.scratch.len();
        let mut run = start;
        let mut at = first;
        loop {
            // `"` and `\` are ASCII, so the run between them is whole characters.
            self.scratch.push_str(line.get(run..at)?);
            if b[at] == b'"' {
                return Some((Text::Scratch(begin..self.scratch.len()), at + 1));
            }
            at = self.escape(b, at + 1)?;
            run = at;
            at = quote_or_backslash(b, at)?;
        }
    }

    /// Decodes the escape after a backslash at `at - 1`; returns the offset after it.
    fn escape(&mut self, b: &[u8], at: usize) -> Option<usize> {
        let c = match b.get(at)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = hex4(b, at + 1)?;
                let (code, end) = match high {
                    0xD800..=0xDBFF => {
                        if b.get(at + 5..at + 7)? != b"\\u" {
                            return None;
                        }
                        let low = hex4(b, at + 7)?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return None;
                        }
                        (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00), at + 11)
                    }
                    _ => (high, at + 5),
                };
                // A lone low surrogate is not a character: serde reports it.
                self.scratch.push(char::from_u32(code)?);
                return Some(end);
            }
            _ => return None,
        };
        self.scratch.push(c);
        Some(at + 1)
    }
}

/// Eight of one byte, to compare eight bytes at once.
const fn splat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// The offset of the first `"` or `\` at or after `from`. Most keys and
/// values end within a few words, which are tested inline (a zero byte of
/// `x ^ splat(c)` is a `c`; the lowest flag is exact); longer strings go to
/// memchr's SIMD search.
#[inline]
pub(in crate::data::load) fn quote_or_backslash(b: &[u8], from: usize) -> Option<usize> {
    const LOW: u64 = splat(0x01);
    const HIGH: u64 = splat(0x80);
    let zero_bytes = |x: u64| x.wrapping_sub(LOW) & !x & HIGH;
    let mut at = from;
    for _ in 0..4 {
        let Some(x) = word_at(b, at) else { break };
        let hits = zero_bytes(x ^ splat(b'"')) | zero_bytes(x ^ splat(b'\\'));
        if hits != 0 {
            return Some(at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    memchr::memchr2(b'"', b'\\', b.get(at..)?).map(|i| at + i)
}

fn skip_spaces(b: &[u8], mut at: usize) -> usize {
    while b.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

fn literal<'a>(b: &[u8], at: usize, word: &[u8], value: Scalar<'a>) -> Option<(Scalar<'a>, usize)> {
    (b.get(at..at + word.len())? == word).then_some((value, at + word.len()))
}

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let digits = std::str::from_utf8(b.get(at..at + 4)?).ok()?;
    if !digits.bytes().all(|d| d.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// Most digits of an integer read here; longer ones (which may not fit
/// i64) take the serde path.
const MAX_DIGITS: usize = 18;

/// An integer (as i64) or a decimal (parsed by serde_json itself, so the
/// value is bit-identical to the serde path's).
fn number<'a>(b: &[u8], at: usize) -> Option<(Scalar<'a>, usize)> {
    let negative = b[at] == b'-';
    let digits_start = at + usize::from(negative);
    let digits_end = digits_start + b.get(digits_start..)?.iter().take_while(|d| d.is_ascii_digit()).count();
    let digits = &b[digits_start..digits_end];
    // No digits, or a leading zero: serde reports it.
    if digits.is_empty() || (digits[0] == b'0' && digits.len() > 1) {
        return None;
    }
    match b.get(digits_end) {
        Some(b'.' | b'e' | b'E') => {
            let end = digits_end
                + b[digits_end..]
                    .iter()
                    .take_while(|c| matches!(c, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'))
                    .count();
            let text = std::str::from_utf8(&b[at..end]).ok()?;
            let value: f64 = serde_json::from_str(text).ok()?;
            Some((Scalar::F64(value), end))
        }
        // -0 is a real to serde; long integers may not fit i64: serde decides.
        _ if digits.len() > MAX_DIGITS || (negative && digits == b"0") => None,
        _ => {
            let magnitude = digits.iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
            Some((Scalar::I64(if negative { -magnitude } else { magnitude }), digits_end))
        }
    }
}

/// True when a byte is below 0x20 (eight bytes at a time: a byte below 0x20
/// borrows into its top bit when 0x20 is taken from it).
fn has_control_byte(b: &[u8]) -> bool {
    const LOW: u64 = 0x2020_2020_2020_2020;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |block: &[u8], at: usize| word_at(block, at).map_or(0, |x| x.wrapping_sub(LOW) & !x);
    // Four words per step, one test: fewer branches on long lines.
    let mut blocks = b.chunks_exact(32);
    for block in &mut blocks {
        if (below(block, 0) | below(block, 8) | below(block, 16) | below(block, 24)) & HIGH != 0 {
            return true;
        }
    }
    blocks.remainder().iter().any(|&c| c < 0x20)
}

mod record;
#[cfg(test)]
mod tests;
