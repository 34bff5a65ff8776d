//! Untrusted text made inert for display. Event fields come from endpoints
//! an adversary may control: an ESC, OSC 52 (clipboard), OSC 8 (links), CSI
//! cursor moves, BEL, backspaces, bidi overrides or zero-width characters
//! must never reach the terminal as themselves. Every face shows field
//! values through [`inert`].

use std::borrow::Cow;

/// True for characters that must not be written to a terminal raw.
pub fn is_unsafe_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // bidi embeddings, overrides and isolates
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
        // zero-width and invisible formatting
        | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}'
        // line and paragraph separators
        | '\u{2028}' | '\u{2029}'
    )
}

/// The text with every unsafe character shown as a visible escape
/// (`\e`, `\n`, `\t`, `\x07`, `\u{202e}`); borrowed when nothing changes.
pub fn inert(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_unsafe_char(c) {
            out.push(c);
            continue;
        }
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// Like [`inert`] but keeps newlines (for multi-line views such as a
/// pretty-printed JSON value or a query); tabs become spaces.
pub fn inert_multiline(s: &str) -> String {
    s.split('\n').map(|line| inert(&line.replace('\t', "    ")).into_owned()).collect::<Vec<_>>().join("\n")
}

/// `a == b`, compared inline eight bytes at a time: for the short strings a
/// load compares millions of times (keys, dictionary hits) this beats a call
/// to `memcmp`.
#[inline]
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut at = 0;
    while at + 8 < n {
        if word_at(a, at) != word_at(b, at) {
            return false;
        }
        at += 8;
    }
    // The last word, overlapping the one before when `n` is not a multiple of 8.
    word_at(a, n - 8) == word_at(b, n - 8)
}

/// The eight bytes at `at` as one little-endian word (the first byte is the
/// lowest), for byte-parallel tests; `None` past the end.
#[inline]
pub(crate) fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    bytes.get(at..at.checked_add(8)?).and_then(|w| <[u8; 8]>::try_from(w).ok()).map(u64::from_le_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(inert("plain"), "plain");
        assert_eq!(inert("a\u{1b}]52;c;ZXZpbA==\u{7}b"), "a\\e]52;c;ZXZpbA==\\x07b");
        assert_eq!(inert("x\u{1b}[2J\u{8}"), "x\\e[2J\\x08");
        assert_eq!(inert("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        assert_eq!(inert("zero\u{200b}width"), "zero\\u{200b}width");
        assert_eq!(inert("c1\u{9b}31m"), "c1\\x9b31m");
    }

    #[test]
    fn multiline_keeps_newlines_only() {
        assert_eq!(inert_multiline("a\n\u{1b}b"), "a\n\\eb");
    }

    #[test]
    fn same_text_agrees_with_eq_at_every_length_and_position() {
        for n in 0..40 {
            let a: String = (0..n).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            assert!(same_text(&a, &a.clone()));
            assert!(!same_text(&a, &format!("{a}x")));
            for at in 0..n {
                let mut b = a.clone().into_bytes();
                b[at] = b'_';
                let b = String::from_utf8(b).unwrap();
                assert!(!same_text(&a, &b), "{a} {b}");
            }
        }
    }
}
