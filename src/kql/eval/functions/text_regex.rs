//! Regex-based string functions: `extract`, `extract_all`, `replace_regex`
//! (and legacy `replace`), `trim`, `trim_start`, `trim_end`, `countof`,
//! `regex_quote`.
//! Kusto regexes are RE2; the `regex` crate has the same syntax and the same
//! linear-time guarantee, and patterns go through the size-limited cache.

use serde_json::Value as Json;

use super::args::{Kind, check, dynamic, long, s, sf, text};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("extract", &[], 3, 3, |t| check(t, &[Kind::Text, Kind::Integer, Kind::Any], DataType::String), extract),
    sf("extract_all", &["extractall"], 2, 3, |_| Ok(DataType::Dynamic), extract_all),
    sf(
        "replace_regex",
        &[],
        3,
        3,
        |t| check(t, &[Kind::Any, Kind::Text, Kind::Text], DataType::String),
        |a, c| replace(&text(a, 0), &text(a, 1), &text(a, 2), c),
    ),
    sf(
        "replace",
        &[],
        3,
        3,
        |t| check(t, &[Kind::Text, Kind::Text, Kind::Any], DataType::String),
        |a, c| replace(&text(a, 2), &text(a, 0), &text(a, 1), c),
    ),
    sf("trim", &[], 2, 2, trim_type, |a, c| trim(a, c, true, true)),
    sf("trim_start", &[], 2, 2, trim_type, |a, c| trim(a, c, true, false)),
    sf("trim_end", &[], 2, 2, trim_type, |a, c| trim(a, c, false, true)),
    sf("regex_quote", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::String), |a, _| s(regex_quote(&text(a, 0)))),
    sf("countof", &[], 2, 3, |t| check(t, &[Kind::Any, Kind::Text, Kind::Text], DataType::Long), countof),
];

fn trim_type(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Text, Kind::Any], DataType::String)
}

/// `extract(regex, group, source)`: the group's text in the first match;
/// `""` when there is no match or the group did not take part.
/// (The optional 4th `typeof(T)` argument is not supported: convert with `tolong()` etc.)
fn extract(a: &[Value], c: &FnCtx) -> Result<Value, String> {
    let re = c.regexes.get(&text(a, 0))?;
    let Some(group) = long(a, 1).and_then(|g| usize::try_from(g).ok()) else { return s("") };
    if group >= re.captures_len() {
        return Err(format!("extract(): capture group {group} does not exist in the regex"));
    }
    let src = text(a, 2);
    let found = re.captures(&src).and_then(|caps| caps.get(group)).map_or("", |m| m.as_str());
    s(found)
}

/// `extract_all(regex, [groups,] source)`: every match; one capture group →
/// array of strings, several → array of arrays (or the groups listed by
/// index in `groups`); no match → null (`extractallfunction.md`).
fn extract_all(a: &[Value], c: &FnCtx) -> Result<Value, String> {
    let re = c.regexes.get(&text(a, 0))?;
    let src = text(a, if a.len() == 3 { 2 } else { 1 });
    let groups: Vec<usize> = if a.len() == 3 {
        let Value::Dynamic(j) = &a[1] else { return Err("extract_all(): groups must be a dynamic array".into()) };
        // A group is its number or, for a named group `(?P<name>...)`, its name (extract-all-function.md).
        let by_name = |name: &str| re.capture_names().position(|n| n == Some(name));
        let ids: Option<Vec<usize>> = j
            .as_array()
            .map(|arr| {
                arr.iter()
                    .map(|g| match g {
                        Json::String(name) => by_name(name),
                        other => other.as_u64().and_then(|g| usize::try_from(g).ok()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        ids.ok_or("extract_all(): groups must be capture group numbers or names of the regex's named groups")?
    } else {
        (1..re.captures_len()).collect()
    };
    if groups.is_empty() {
        return Err("extract_all(): the regex needs at least one capture group".into());
    }
    if let Some(g) = groups.iter().find(|&&g| g >= re.captures_len()) {
        return Err(format!("extract_all(): capture group {g} does not exist in the regex"));
    }
    let text_of = |m: Option<regex::Match>| Json::String(m.map_or("", |m| m.as_str()).to_string());
    let rows: Vec<Json> = re
        .captures_iter(&src)
        .map(|caps| match groups.as_slice() {
            [one] => text_of(caps.get(*one)),
            many => Json::Array(many.iter().map(|&g| text_of(caps.get(g))).collect()),
        })
        .collect();
    if rows.is_empty() { Ok(Value::Null) } else { Ok(dynamic(Json::Array(rows))) }
}

/// Every match of `pattern` in `src` replaced by `rewrite`, where `\0`..`\9`
/// name capture groups (`replace-regex-function.md`); other text, including
/// `$`, is literal.
fn replace(src: &str, pattern: &str, rewrite: &str, c: &FnCtx) -> Result<Value, String> {
    let re = c.regexes.get(pattern)?;
    let mut rep = String::with_capacity(rewrite.len());
    let mut chars = rewrite.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\\' if chars.peek().is_some_and(char::is_ascii_digit) => {
                rep.push_str("${");
                rep.extend(chars.next());
                rep.push('}');
            }
            '$' => rep.push_str("$$"),
            other => rep.push(other),
        }
    }
    s(re.replace_all(src, rep.as_str()))
}

/// `trim*(regex, source)`: removes every leading and/or trailing match of the regex.
fn trim(a: &[Value], c: &FnCtx, start: bool, end: bool) -> Result<Value, String> {
    let (pattern, src) = (text(a, 0), text(a, 1));
    c.regexes.get(&pattern)?; // report an invalid pattern as itself
    let mut out: &str = &src;
    if start {
        let re = c.regexes.get(&format!("^(?:{pattern})+"))?;
        if let Some(m) = re.find(out) {
            out = out.get(m.end()..).unwrap_or("");
        }
    }
    if end {
        let re = c.regexes.get(&format!("(?:{pattern})+$"))?;
        if let Some(m) = re.find(out) {
            out = out.get(..m.start()).unwrap_or("");
        }
    }
    s(out)
}

/// `countof(source, search[, kind])`: `normal` counts overlapping plain
/// matches, `regex` non-overlapping regex matches (`countof-function.md`).
fn countof(a: &[Value], c: &FnCtx) -> Result<Value, String> {
    let (src, search) = (text(a, 0), text(a, 1));
    let kind = if a.len() > 2 { text(a, 2).into_owned() } else { "normal".into() };
    let n = match kind.as_str() {
        "normal" if search.is_empty() => 0,
        "normal" => crate::kql::terms::overlapping(src.as_bytes(), search.as_bytes()).count(),
        "regex" => c.regexes.get(&search)?.find_iter(&src).count(),
        other => return Err(format!("countof(): kind must be \"normal\" or \"regex\", not {other:?}")),
    };
    Ok(Value::Long(n as i64))
}

/// `regex_quote(s)`: `s` with the regex metacharacters escaped, as .NET's
/// `Regex.Escape` does (regex-quote-function.md: `(so$me.Te^xt)` →
/// `\(so\$me\.Te\^xt\)`): `\ * + ? | { [ ( ) ^ $ . #` and space get a
/// backslash; tab, newline, carriage return and form feed become `\t` `\n`
/// `\r` `\f`. `]` and `}` stay as they are.
fn regex_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '*' | '+' | '?' | '|' | '{' | '[' | '(' | ')' | '^' | '$' | '.' | '#' | ' ' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{c}' => out.push_str("\\f"),
            _ => out.push(c),
        }
    }
    out
}
