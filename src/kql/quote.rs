//! The one KQL string quoter: any Rust string to a literal that both Kusto
//! and our lexer read back to the same string.
//!
//! One rule for every writer (printer, exclusion proposals, pseudo-filter
//! translation): `\\`, the enclosing quote, `\n` and `\t` get their short
//! escapes, the four Kusto documents
//! (<https://learn.microsoft.com/kusto/query/scalar-data-types/string>);
//! every other character unsafe on a terminal (`\r`, other C0/C1 controls,
//! DEL, bidi and zero-width formatting) is written `\uXXXX`, so the literal
//! is plain, visible text. All of those are in the Basic Multilingual Plane,
//! so four hex digits always suffice.

use std::fmt::Write;

use crate::data::text::is_unsafe_char;

/// `s` as a double-quoted KQL string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_string(&mut out, s);
    out
}

/// `s` as the literal a person reads most easily: a verbatim `@"..."` when
/// it has backslashes (Windows paths read as written) and nothing a verbatim
/// literal cannot hold plainly (a `"`, a line break, a tab or an unsafe
/// character); else [`string`].
pub fn readable(s: &str) -> String {
    let plain = !s.chars().any(|c| c == '"' || c == '\n' || c == '\t' || is_unsafe_char(c));
    if plain && s.contains('\\') { format!("@\"{s}\"") } else { string(s) }
}

/// Appends `s` as a double-quoted KQL string literal.
pub fn push_string(out: &mut String, s: &str) {
    out.push('"');
    push_escaped(out, s, '"');
    out.push('"');
}

/// Appends the body of a literal enclosed in `quote` (`"` or `'`), without the quotes.
pub fn push_escaped(out: &mut String, s: &str, quote: char) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if is_unsafe_char(c) => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::kql::lexer::{TokenKind, lex};

    fn lexed(literal: &str) -> Option<String> {
        let toks = lex(literal).ok()?;
        match toks.as_slice() {
            [t, eof] if eof.kind == TokenKind::Eof => match &t.kind {
                TokenKind::String(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    #[test]
    fn one_rule_for_controls() {
        assert_eq!(string(r#"C:\a "b""#), r#""C:\\a \"b\"""#);
        assert_eq!(string("a\nb\tc\rd"), r#""a\nb\tc\u000dd""#);
        assert_eq!(string("x\u{1b}]52\u{7}\u{202e}\u{7f}"), r#""x\u001b]52\u0007\u202e\u007f""#);
        let mut single = String::new();
        push_escaped(&mut single, "it's \"x\"", '\'');
        assert_eq!(single, r#"it\'s "x""#);
    }

    proptest! {
        #[test]
        fn quoted_strings_lex_back(s in any::<String>()) {
            let q = string(&s);
            prop_assert_eq!(lexed(&q), Some(s.clone()), "{}", q);
            prop_assert!(!q.chars().any(is_unsafe_char), "{}", q);
        }

        #[test]
        fn readable_strings_lex_back(s in "[a-zA-Z \\\\:()\"\n.-]{0,24}") {
            let q = readable(&s);
            prop_assert_eq!(lexed(&q), Some(s.clone()), "{}", q);
            prop_assert_eq!(q.starts_with('@'), s.contains('\\') && !s.contains(['"', '\n']), "{}", q);
        }

        #[test]
        fn single_quoted_bodies_lex_back(s in "[a-z'\"\\\\\n\t\r\u{0}-\u{1f}\u{80}-\u{9f}\u{202e}]{0,20}") {
            let mut q = String::from("'");
            push_escaped(&mut q, &s, '\'');
            q.push('\'');
            prop_assert_eq!(lexed(&q), Some(s.clone()), "{}", q);
        }
    }
}
