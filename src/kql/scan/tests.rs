use proptest::prelude::*;

use super::*;

fn kinds(src: &str) -> Vec<(Kind, &str)> {
    scan(src).into_iter().filter(|t| t.kind != Kind::Whitespace).map(|t| (t.kind, t.text(src))).collect()
}

#[test]
fn words_strings_numbers_symbols() {
    let src = "T | where !has_cs in~ $left 0x1F 1.5h 'a\\'b' @\"c\"\"d\" h'x' // c\n== &";
    let string = Kind::String { terminated: true };
    assert_eq!(
        kinds(src),
        [
            (Kind::Word, "T"),
            (Kind::Sym(Sym::Pipe), "|"),
            (Kind::Word, "where"),
            (Kind::BangWord, "!has_cs"),
            (Kind::Word, "in~"),
            (Kind::Word, "$left"),
            (Kind::Number, "0x1F"),
            (Kind::Number, "1.5h"),
            (string, "'a\\'b'"),
            (string, "@\"c\"\"d\""),
            (string, "h'x'"),
            (Kind::Comment, "// c"),
            (Kind::Sym(Sym::EqEq), "=="),
            (Kind::Unknown, "&"),
        ]
    );
}

#[test]
fn unterminated_forms_are_marked_not_fatal() {
    let open = Kind::String { terminated: false };
    assert_eq!(kinds("'abc\nx"), [(open, "'abc"), (Kind::Word, "x")]);
    assert_eq!(kinds("```a\nb"), [(open, "```a\nb")]);
    assert_eq!(
        kinds("datetime(2026\n)"),
        [(Kind::Raw { terminated: false }, "datetime(2026"), (Kind::Sym(Sym::RParen), ")")]
    );
    assert_eq!(kinds("guid (x)"), [(Kind::Raw { terminated: true }, "guid (x)")]);
    assert_eq!(kinds("'a\\"), [(open, "'a\\")]);
}

#[test]
fn hyphenated_names_join_only_when_accepted() {
    let src = "project-away a-b x - y";
    let toks = join_hyphens(src, &scan(src), |w| w == "project-away");
    let words: Vec<&str> = toks.iter().filter(|t| t.kind == Kind::Word).map(|t| t.text(src)).collect();
    assert_eq!(words, ["project-away", "a", "b", "x", "y"]);
    let all = join_hyphens(src, &scan(src), |_| true);
    let words: Vec<&str> = all.iter().filter(|t| t.kind == Kind::Word).map(|t| t.text(src)).collect();
    assert_eq!(words, ["project-away", "a-b", "x", "y"]);
}

fn tiles(src: &str, toks: &[Token]) {
    let mut at = 0;
    for t in toks {
        assert_eq!(t.span.start, at, "{src:?}: {toks:?}");
        assert!(t.span.end > t.span.start, "{src:?}: {toks:?}");
        assert!(src.get(t.span.start..t.span.end).is_some(), "{src:?}: {t:?} is not on char boundaries");
        at = t.span.end;
    }
    assert_eq!(at, src.len(), "{src:?}: {toks:?}");
}

proptest! {
    #[test]
    fn spans_tile_any_input(src in any::<String>()) {
        tiles(&src, &scan(&src));
    }

    #[test]
    fn spans_tile_kql_like_input(src in "[a-z_0-9 \t\n'\"@`!~=<>|()\\\\.$hH-]{0,40}") {
        let toks = scan(&src);
        tiles(&src, &toks);
        tiles(&src, &join_hyphens(&src, &toks, |_| true));
    }
}
