//! A scanner of JSON structure, for splitting a document into its elements
//! on the reading thread: it follows strings (with their escapes) and
//! nesting depth only, and finds where each value ends. It validates
//! nothing else: each element is parsed, and so checked, on a parser thread.
//! Anything it does not expect ends its part, and serde reads the rest.

use super::flat::quote_or_backslash;

/// A position in a JSON text.
pub(crate) struct Scan<'a> {
    /// The text.
    pub bytes: &'a [u8],
    /// The offset of the next byte to look at.
    pub at: usize,
}

/// A value found by [`Scan::value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// Its first byte.
    pub start: usize,
    /// Just past its last byte.
    pub end: usize,
    /// The deepest nesting of arrays and objects in it (0 for a scalar).
    pub depth: usize,
}

impl<'a> Scan<'a> {
    /// A scan of `bytes` from offset `at`.
    pub(crate) fn new(bytes: &'a [u8], at: usize) -> Self {
        Scan { bytes, at }
    }

    /// The byte at the scan's position, if any.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Steps over JSON whitespace.
    pub(crate) fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Steps over `byte` after whitespace; false (not moving past the
    /// whitespace's end) when another byte is there.
    pub(crate) fn eat(&mut self, byte: u8) -> bool {
        self.skip_ws();
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    /// A key without escapes, control bytes or invalid UTF-8 (what every
    /// document key is) and the `:` after it; `None` for anything else.
    pub(crate) fn plain_key(&mut self) -> Option<&'a str> {
        self.skip_ws();
        if self.peek() != Some(b'"') {
            return None;
        }
        let end = quote_or_backslash(self.bytes, self.at + 1)?;
        let key = self.bytes.get(self.at + 1..end)?;
        if self.bytes[end] != b'"' || key.iter().any(|&b| b < 0x20) {
            return None;
        }
        self.at = end + 1;
        let key = std::str::from_utf8(key).ok()?;
        self.eat(b':').then_some(key)
    }

    /// The value at the scan's position (after whitespace), the scan moved
    /// past it. A string ends at its closing quote, an array or object at
    /// the bracket that closes it (by depth, whatever its kind), a scalar
    /// before the next `,`, `]`, `}` or whitespace. `None` when the text ends
    /// first, or no value can start here.
    pub(crate) fn value(&mut self) -> Option<Found> {
        self.skip_ws();
        let start = self.at;
        let (end, depth) = match *self.bytes.get(start)? {
            b'"' => (string_end(self.bytes, start + 1)?, 0),
            b'{' | b'[' => nested_end(self.bytes, start)?,
            b',' | b':' | b']' | b'}' => return None,
            _ => {
                let len = self.bytes[start..].iter().take_while(|&&b| !is_scalar_end(b)).count();
                (start + len, 0)
            }
        };
        self.at = end;
        Some(Found { start, end, depth })
    }
}

/// True for the bytes that end a scalar.
fn is_scalar_end(b: u8) -> bool {
    matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
}

/// Just past the closing quote of the string whose content starts at `from`.
fn string_end(b: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = quote_or_backslash(b, from)?;
        if b[at] == b'"' {
            return Some(at + 1);
        }
        // An escape: the byte after the backslash is never the string's end.
        from = at + 2;
    }
}

/// Just past the bracket closing the array or object at `start`, and the
/// deepest nesting inside.
fn nested_end(b: &[u8], start: usize) -> Option<(usize, usize)> {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut at = start;
    loop {
        match *b.get(at)? {
            b'"' => at = string_end(b, at + 1)?,
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
                at += 1;
            }
            b'}' | b']' => {
                depth -= 1;
                at += 1;
                if depth == 0 {
                    return Some((at, deepest));
                }
            }
            _ => at += 1,
        }
    }
}

#[cfg(test)]
mod tests;
