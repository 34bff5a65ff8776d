use proptest::prelude::*;

use super::*;

/// The spans of the scanner's tokens the lexer keeps (no spaces or comments).
fn scanned(src: &str) -> Vec<Span> {
    scan::scan(src)
        .into_iter()
        .filter(|t| !matches!(t.kind, Kind::Whitespace | Kind::Comment))
        .map(|t| t.span)
        .collect()
}

fn lexed(src: &str) -> Option<Vec<Span>> {
    let toks = lex(src).ok()?;
    Some(toks.iter().filter(|t| t.kind != TokenKind::Eof).map(|t| t.span).collect())
}

#[test]
fn tokens_are_the_scanners() {
    let src =
        "T | where !has_cs in~ $left 0x1F 1.5h 'a\\'b' @\"c\"\"d\" h'x' datetime( 2026-01-01 ) // c\n== ```m\nl```";
    assert_eq!(lexed(src), Some(scanned(src)));
}

#[test]
fn bad_tokens_are_errors() {
    for (src, message) in [
        ("'abc\nx", "unterminated string: expected a closing '"),
        ("x & y", "unexpected character '&'"),
        ("datetime(2026", "unterminated datetime(...) literal: expected ')'"),
        ("```abc", "unterminated multi-line string: expected '```'"),
        ("'\\q'", "unknown escape sequence '\\q'"),
        ("0x1g", "invalid character in number"),
    ] {
        let err = lex(src).err().map(|e| e.message);
        assert_eq!(err.as_deref(), Some(message), "{src:?}");
    }
}

proptest! {
    #[test]
    fn lexer_and_scanner_agree_on_spans(src in "[a-z_0-9 \t\n'\"@`!~=<>|()\\\\.$hHx-]{0,40}") {
        if let Some(spans) = lexed(&src) {
            prop_assert_eq!(spans, scanned(&src));
        }
    }
}
