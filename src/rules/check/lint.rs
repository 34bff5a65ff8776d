//! Lints for KQL mistakes that real rule catalogues make, found on the query
//! text when it does not parse, so the message names the mistake and how to
//! fix it instead of only where the parser gave up:
//!
//! - `| Sha1 in (...)`: a predicate where an operator belongs (`where` missing);
//! - `has_any` followed by values without parentheses (often on the next line);
//! - `has_any ('a'),('b')`: several parenthesised lists where one belongs;
//! - `has_all has_any (...)`: two list operators in a row;
//! - `('a', 'b',)`: a comma before `)` (Kusto allows no trailing comma).
//!
//! Each finding is a real syntax error in Kusto, so none can fire on a valid
//! query; they are only looked for once the parser has rejected the text.

use crate::kql::scan::{self, Kind as ScanKind};
use crate::kql::{KqlError, Span, vocab};

/// A finding: the error (span, message, help) and a stable code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lint {
    /// Stable short code (`missing-where`, `list-without-parens`, `split-list`).
    pub code: &'static str,
    /// The error with its span into the query and a suggestion.
    pub error: KqlError,
}

/// What the lints see of a token: words (numbers and raw literals included),
/// strings, comparisons and other punctuation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A name or keyword, including `-` joined names (`project-away`) and
    /// operator words with `!`/`~` (`!in~`, `!has`).
    Word,
    /// A string literal of any quoting.
    Str,
    /// Comparison punctuation (`==`, `=~`, `<=`, ...).
    Cmp,
    /// Any other single character.
    Punct(char),
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    kind: Kind,
    span: Span,
}

/// The query's tokens as the lints see them, from the one KQL scanner.
fn tokens(src: &str) -> Vec<Tok> {
    let toks = scan::join_hyphens(src, &scan::scan(src), |_| true);
    toks.into_iter()
        .filter_map(|t| {
            let kind = match t.kind {
                ScanKind::Whitespace | ScanKind::Comment => return None,
                ScanKind::Word | ScanKind::BangWord | ScanKind::Number | ScanKind::Raw { .. } => Kind::Word,
                ScanKind::String { .. } => Kind::Str,
                ScanKind::Sym(sym) if sym.is_comparison() => Kind::Cmp,
                ScanKind::Sym(_) | ScanKind::Unknown => Kind::Punct(t.text(src).chars().next().unwrap_or(' ')),
            };
            Some(Tok { kind, span: t.span })
        })
        .collect()
}

/// True for a name that may follow `|` as an operator.
fn is_operator(word: &str) -> bool {
    vocab::is_tabular_operator(word) || vocab::SOURCE_OPERATORS.contains(&word)
}

/// Every lint finding in `src`, in text order.
pub fn lint(src: &str) -> Vec<Lint> {
    let toks = tokens(src);
    let text = |t: &Tok| t.span.text(src);
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind == Kind::Punct('|') {
            if let Some(l) = missing_where(src, &toks[i + 1..]) {
                out.push(l);
            }
        } else if t.kind == Kind::Word && vocab::is_list_operator(&text(t).to_ascii_lowercase()) {
            out.extend(doubled(src, t, toks.get(i + 1)).or_else(|| list_shape(src, t, &toks[i + 1..])));
        } else if t.kind == Kind::Punct(',') && toks.get(i + 1).is_some_and(|n| n.kind == Kind::Punct(')')) {
            let error = KqlError::syntax(t.span, "a comma before ')': Kusto allows no trailing comma in a list")
                .with_help("remove this comma");
            out.push(Lint { code: "trailing-comma", error });
        }
    }
    out
}

/// `| Name <predicate>`: a column where an operator belongs.
fn missing_where(src: &str, rest: &[Tok]) -> Option<Lint> {
    let (name, op) = (rest.first()?, rest.get(1)?);
    let word = name.span.text(src);
    if name.kind != Kind::Word || is_operator(&word.to_ascii_lowercase()) {
        return None;
    }
    let op_text = op.span.text(src);
    let is_predicate = op.kind == Kind::Cmp
        || (op.kind == Kind::Word
            && (vocab::is_predicate_word(&op_text.to_ascii_lowercase())
                || vocab::is_list_operator(&op_text.to_ascii_lowercase())));
    if !is_predicate {
        return None;
    }
    let error =
        KqlError::syntax(name.span, format!("'{word}' is not a query operator: a condition after '|' needs 'where'"))
            .with_help(format!("write '| where {word} {op_text} ...'"));
    Some(Lint { code: "missing-where", error })
}

/// `has_all has_any (...)`: a list operator followed by another operator.
fn doubled(src: &str, op: &Tok, next: Option<&Tok>) -> Option<Lint> {
    let next = next.filter(|n| n.kind == Kind::Word)?;
    let second = next.span.text(src);
    let lower = second.to_ascii_lowercase();
    if !vocab::is_list_operator(&lower) && !vocab::is_predicate_word(&lower) {
        return None;
    }
    let first = op.span.text(src);
    let error =
        KqlError::syntax(op.span.to(next.span), format!("'{first}' followed by '{second}': one operator too many"))
            .with_help(format!("keep either '{first}' or '{second}'"));
    Some(Lint { code: "doubled-operator", error })
}

/// The shape of a list operator's argument: `op (a, b)` is right; values
/// without parentheses, or several parenthesised groups, are not.
fn list_shape(src: &str, op: &Tok, rest: &[Tok]) -> Option<Lint> {
    let name = op.span.text(src);
    match rest.first()?.kind {
        Kind::Str => {
            // Values without parentheses: collect `'a', 'b', ...` for the suggestion.
            let mut values = Vec::new();
            let mut k = 0;
            while let Some(t) = rest.get(k).filter(|t| t.kind == Kind::Str) {
                values.push(t.span.text(src));
                match rest.get(k + 1) {
                    Some(c) if c.kind == Kind::Punct(',') && rest.get(k + 2).is_some_and(|n| n.kind == Kind::Str) => {
                        k += 2
                    }
                    _ => break,
                }
            }
            let error = KqlError::syntax(op.span.to(rest[k].span), format!("'{name}' takes its values in parentheses"))
                .with_help(format!("write '{name} ({})'", values.join(", ")));
            Some(Lint { code: "list-without-parens", error })
        }
        Kind::Punct('(') => {
            // `op (a), (b)`: more parenthesised groups right after the first.
            let mut groups = Vec::new();
            let mut k = 0;
            let mut end = op.span;
            while rest.get(k).is_some_and(|t| t.kind == Kind::Punct('(')) {
                let close = matching_paren(&rest[k..])? + k;
                groups.push(Span::new(rest[k].span.end, rest[close].span.start).text(src).trim());
                end = rest[close].span;
                match (rest.get(close + 1), rest.get(close + 2)) {
                    (Some(c), Some(p)) if c.kind == Kind::Punct(',') && p.kind == Kind::Punct('(') => k = close + 2,
                    _ => break,
                }
            }
            if groups.len() < 2 {
                return None;
            }
            let error = KqlError::syntax(
                op.span.to(end),
                format!("'{name}' takes one parenthesised list; the values after its ')' are outside it"),
            )
            .with_help(format!("write '{name} ({})'", groups.join(", ")));
            Some(Lint { code: "split-list", error })
        }
        _ => None,
    }
}

/// Index of the `)` matching the `(` at `toks[0]`.
fn matching_paren(toks: &[Tok]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            Kind::Punct('(') => depth += 1,
            Kind::Punct(')') => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(src: &str) -> Vec<(&'static str, String, Option<String>)> {
        lint(src).into_iter().map(|l| (l.code, l.error.span.text(src).to_string(), l.error.help)).collect()
    }

    #[test]
    fn missing_where() {
        let found = codes("DeviceFileEvents\n| Sha1 in ('a', 'b')\n| where x == 1");
        assert_eq!(found, [("missing-where", "Sha1".into(), Some("write '| where Sha1 in ...'".into()))]);
        assert!(codes("T | project-away x | take 1 | where a == 1").is_empty());
    }

    #[test]
    fn values_without_parens() {
        let found = codes("T\n| where Url has_any\n    'a.com',\n    'b.com'\n| take 1");
        assert_eq!(found[0].0, "list-without-parens");
        assert_eq!(found[0].1, "has_any\n    'a.com',\n    'b.com'");
        assert_eq!(found[0].2.as_deref(), Some("write 'has_any ('a.com', 'b.com')'"));
    }

    #[test]
    fn split_lists() {
        let found = codes("T | where X has_any ('a'),('b') , ( \"c\" )");
        assert_eq!(found[0].0, "split-list");
        assert_eq!(found[0].2.as_deref(), Some("write 'has_any ('a', 'b', \"c\")'"));
        assert!(codes("T | where X has_any ('a', 'b') and Y in ('c')").is_empty());
    }

    #[test]
    fn doubled_operators_and_trailing_commas() {
        let found = codes("T | where P has_all has_any ('a', 'b',\n)");
        assert_eq!(
            found[0],
            ("doubled-operator", "has_all has_any".into(), Some("keep either 'has_all' or 'has_any'".into()))
        );
        assert_eq!(found[1], ("trailing-comma", ",".into(), Some("remove this comma".into())));
        assert!(codes("T | where P in ('a', 'b') | summarize count() by X, Y").is_empty());
    }

    #[test]
    fn strings_and_comments_are_skipped() {
        assert!(codes("T | where X == '| Sha1 in (1)' // | Md5 == 2\n| take 1").is_empty());
        assert!(codes("T | where X == @'c:\\' | take 1").is_empty());
    }

    #[test]
    fn reads_every_quoting_and_negated_operators() {
        assert!(codes("T | where X == h'| Sha1 in (1)' and Y == ```\n| Md5 == 2```").is_empty());
        let found = codes("T\n| Name !has 'x'");
        assert_eq!(found[0].0, "missing-where");
        assert_eq!(found[0].2.as_deref(), Some("write '| where Name !has ...'"));
        assert_eq!(codes("T | where X !in~ 'a'")[0].0, "list-without-parens");
        assert!(codes("T | mv-apply x on (take 1) | where a == 1").is_empty());
    }
}
