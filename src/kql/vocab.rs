//! KQL's vocabulary, written once: the tabular operators (and which of them
//! kqlhunt runs), the string operators with their case-sensitive and negated
//! forms, the list and other word operators, and the other keywords. The
//! parser, the printer, the linter, the TUI highlighter and the pseudo-filter
//! translator all read these tables.

use super::ast::StrOp;

/// Tabular operators kqlhunt runs (after `|`).
pub const RUN_OPERATORS: &[&str] = &[
    "where",
    "filter",
    "project",
    "project-away",
    "project-keep",
    "project-rename",
    "project-reorder",
    "extend",
    "summarize",
    "count",
    "distinct",
    "take",
    "limit",
    "top",
    "sort",
    "order",
    "join",
    "lookup",
    "union",
    "mv-expand",
    "mvexpand",
    "parse",
    "evaluate",
    "make-series",
    "as",
    "serialize",
    "render",
    "invoke",
    "getschema",
    "mv-apply",
    "mvapply",
    "parse-where",
    "parse-kv",
    "project-by-names",
    "partition",
    "search",
    "top-nested",
    "scan",
    "make-graph",
    "graph-match",
    "graph-shortest-paths",
    "graph-to-table",
    "graph-mark-components",
];

/// Valid KQL tabular operators kqlhunt does not run.
pub const NOT_RUN_OPERATORS: &[&str] = &[
    "fork",
    "facet",
    "sample",
    "sample-distinct",
    "top-hitters",
    "reduce",
    "find",
    "consume",
    "project-smart",
    "graph-merge",
    "execute-and-cache",
    "assert-schema",
    "macro-expand",
];

/// Operators that start a tabular expression rather than follow `|`.
pub const SOURCE_OPERATORS: &[&str] = &["print", "range", "datatable", "externaldata"];

/// Keywords that are not operators: statements, clauses and modifiers.
pub const KEYWORDS: &[&str] =
    &["let", "by", "on", "kind", "asc", "desc", "with", "materialize", "nulls", "first", "last", "step", "from", "to"];

/// One string operator and its four spellings.
#[derive(Clone, Copy, Debug)]
pub struct StringOperator {
    /// The operator in the syntax tree.
    pub op: StrOp,
    /// `has`, `has_cs`, `!has`, `!has_cs`: plain, case-sensitive, negated, both.
    pub forms: [&'static str; 4],
}

/// The string operators written as one word (`matches regex` is two).
pub const STRING_OPERATORS: &[StringOperator] = &[
    StringOperator { op: StrOp::Has, forms: ["has", "has_cs", "!has", "!has_cs"] },
    StringOperator { op: StrOp::HasPrefix, forms: ["hasprefix", "hasprefix_cs", "!hasprefix", "!hasprefix_cs"] },
    StringOperator { op: StrOp::HasSuffix, forms: ["hassuffix", "hassuffix_cs", "!hassuffix", "!hassuffix_cs"] },
    StringOperator { op: StrOp::Contains, forms: ["contains", "contains_cs", "!contains", "!contains_cs"] },
    StringOperator { op: StrOp::StartsWith, forms: ["startswith", "startswith_cs", "!startswith", "!startswith_cs"] },
    StringOperator { op: StrOp::EndsWith, forms: ["endswith", "endswith_cs", "!endswith", "!endswith_cs"] },
];

/// Operators taking a parenthesised list of values.
pub const LIST_OPERATORS: &[&str] =
    &["in", "in~", "!in", "!in~", "has_any", "has_all", "has_any_cs", "has_all_cs", "hasprefix_any", "hassuffix_any"];

/// Other word operators: logic, ranges, regexes.
pub const OTHER_WORD_OPERATORS: &[&str] = &["and", "or", "not", "between", "!between", "matches", "regex"];

/// SQL words rule authors write as KQL operators; no query has them, the
/// linter and highlighter still recognise them as meant to be operators.
pub const SQL_OPERATORS: &[&str] = &["like", "notlike"];

/// The string operator a word spells without `!`: (operator, case-sensitive).
pub fn string_operator(word: &str) -> Option<(StrOp, bool)> {
    STRING_OPERATORS.iter().find_map(|s| match word {
        w if w == s.forms[0] => Some((s.op, false)),
        w if w == s.forms[1] => Some((s.op, true)),
        _ => None,
    })
}

/// How a string operator is written (`None` for `matches regex`, two words).
pub fn string_operator_name(op: StrOp, case_sensitive: bool, negated: bool) -> Option<&'static str> {
    let s = STRING_OPERATORS.iter().find(|s| s.op == op)?;
    s.forms.get(usize::from(case_sensitive) + 2 * usize::from(negated)).copied()
}

/// True for a tabular operator name, run or not (`where`, `mv-apply`).
pub fn is_tabular_operator(word: &str) -> bool {
    RUN_OPERATORS.contains(&word) || NOT_RUN_OPERATORS.contains(&word)
}

/// True for a word the highlighter shows as a keyword: any operator that
/// starts or continues a tabular expression, or another keyword.
pub fn is_keyword(word: &str) -> bool {
    is_tabular_operator(word) || SOURCE_OPERATORS.contains(&word) || KEYWORDS.contains(&word)
}

/// True for a list operator (`in`, `!in~`, `has_any`).
pub fn is_list_operator(word: &str) -> bool {
    LIST_OPERATORS.contains(&word)
}

/// True for a one-word string operator in any of its forms (`has`, `!contains_cs`).
pub fn is_string_operator(word: &str) -> bool {
    STRING_OPERATORS.iter().any(|s| s.forms.contains(&word))
}

/// True for a word that makes a predicate of the name before it
/// (`Name has ...`, `Name between ...`), list operators aside.
pub fn is_predicate_word(word: &str) -> bool {
    is_string_operator(word) || matches!(word, "matches" | "between" | "!between") || SQL_OPERATORS.contains(&word)
}

/// True for any word operator (`and`, `!has`, `in~`, `between`, `like`).
pub fn is_word_operator(word: &str) -> bool {
    is_string_operator(word)
        || is_list_operator(word)
        || OTHER_WORD_OPERATORS.contains(&word)
        || SQL_OPERATORS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_operator_forms_round_trip() {
        for s in STRING_OPERATORS {
            for (i, form) in s.forms.iter().enumerate() {
                let (cs, neg) = (i % 2 == 1, i >= 2);
                assert_eq!(string_operator_name(s.op, cs, neg), Some(*form));
                let plain = form.trim_start_matches('!');
                assert_eq!(string_operator(plain), Some((s.op, cs)));
                assert!(is_word_operator(form) && is_predicate_word(form));
            }
        }
        assert_eq!(string_operator("has_any"), None);
        assert_eq!(string_operator_name(StrOp::MatchesRegex, false, false), None);
    }

    #[test]
    fn operator_lists_do_not_overlap() {
        for w in RUN_OPERATORS {
            assert!(!NOT_RUN_OPERATORS.contains(w) && !SOURCE_OPERATORS.contains(w) && !KEYWORDS.contains(w), "{w}");
        }
        assert!(is_keyword("project-away") && is_keyword("let") && is_keyword("print"));
        assert!(is_word_operator("!in~") && is_list_operator("has_any") && !is_word_operator("where"));
    }
}
