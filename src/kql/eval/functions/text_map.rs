//! Text functions that map or search with lists: `replace_strings`,
//! `translate`, `indexof_regex`, `has_any_index`, and `strcmp` (ordinal, -1/0/1).

use serde_json::Value as Json;

use super::args::{Kind, arg, check, clamp_range, long, sf, text};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};
use crate::kql::ast::{StrCmp, StrOp};
use crate::kql::eval::ops::StrMatcher;

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("has_any_index", &[], 2, 2, |t| check(t, &[Kind::Text, Kind::Dyn], DataType::Long), has_any_index),
    sf(
        "indexof_regex",
        &[],
        2,
        5,
        |t| check(t, &[Kind::Text, Kind::Text, Kind::Integer], DataType::Long),
        indexof_regex,
    ),
    sf("replace_strings", &[], 3, 3, |t| check(t, &[Kind::Text, Kind::Dyn], DataType::String), replace_strings),
    sf(
        "strcmp",
        &[],
        2,
        2,
        |t| check(t, &[Kind::Text], DataType::Long),
        |a, _| Ok(Value::Long(text(a, 0).cmp(&text(a, 1)) as i64)),
    ),
    sf("translate", &[], 3, 3, |t| check(t, &[Kind::Text], DataType::String), translate),
];

fn strings(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Dynamic(j) => j.as_array().map(|items| {
            items
                .iter()
                .map(|x| match x {
                    Json::String(s) => s.clone(),
                    Json::Null => String::new(),
                    other => other.to_string(),
                })
                .collect()
        }),
        _ => None,
    }
}

/// The string elements of a dynamic array, `None` in the places of the others.
fn string_slots(v: &Value) -> Option<Vec<Option<String>>> {
    match v {
        Value::Dynamic(j) => j.as_array().map(|items| items.iter().map(|x| x.as_str().map(str::to_owned)).collect()),
        _ => None,
    }
}

/// `replace_strings(text, lookups, rewrites)` (replace-strings-function.md):
/// matches never overlap and the earlier lookup takes precedence, so each
/// lookup in turn claims its non-overlapping occurrences that do not overlap
/// an earlier lookup's (`['is', 'This']` turns "This" into "Thwas"). A rewrite
/// is never searched again. A lookup that is not a string is ignored; a match
/// whose rewrite is not a string keeps its text (and still blocks later
/// lookups); a lookup past the end of the rewrites is removed.
fn replace_strings(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(lookups), Some(rewrites)) = (string_slots(arg(a, 1)), string_slots(arg(a, 2))) else {
        return Ok(Value::Null);
    };
    let src = text(a, 0);
    // (start, end, lookup index) of every claimed match.
    let mut claims: Vec<(usize, usize, usize)> = Vec::new();
    for (k, lookup) in lookups.iter().enumerate() {
        let Some(l) = lookup.as_deref().filter(|l| !l.is_empty()) else { continue };
        let mut from = 0;
        while let Some(off) = src[from..].find(l) {
            let (s, e) = (from + off, from + off + l.len());
            if claims.iter().any(|&(cs, ce, _)| s < ce && cs < e) {
                from = s + src[s..].chars().next().map_or(1, char::len_utf8);
            } else {
                claims.push((s, e, k));
                from = e;
            }
        }
    }
    claims.sort_unstable();
    let mut out = String::with_capacity(src.len());
    let mut at = 0;
    for (s, e, k) in claims {
        out.push_str(&src[at..s]);
        match rewrites.get(k) {
            Some(Some(r)) => out.push_str(r),
            Some(None) => out.push_str(&src[s..e]),
            None => {}
        }
        at = e;
    }
    out.push_str(&src[at..]);
    Ok(Value::str(&out))
}

/// `translate(searchList, replacementList, text)`: each character of
/// `searchList` becomes the one at the same place in `replacementList` (its
/// last one when shorter), or is removed when `replacementList` is empty
/// (translate-function.md).
fn translate(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let search: Vec<char> = text(a, 0).chars().collect();
    let repl: Vec<char> = text(a, 1).chars().collect();
    let out: String = text(a, 2)
        .chars()
        .filter_map(|c| match search.iter().position(|s| *s == c) {
            None => Some(c),
            Some(_) if repl.is_empty() => None,
            Some(p) => repl.get(p).or(repl.last()).copied(),
        })
        .collect();
    Ok(Value::str(&out))
}

/// `indexof_regex(text, regex[, start[, length[, occurrence]]])`: the
/// character index of the n-th match at or after `start` that ends within
/// `length` characters, or -1; null for a negative start or occurrence < 1.
/// Occurrences do not overlap (indexof-regex-function.md).
fn indexof_regex(a: &[Value], ctx: &FnCtx) -> Result<Value, String> {
    let hay = text(a, 0);
    let re = ctx.regexes.get(&text(a, 1))?;
    let opt = |i: usize, d: i64| if a.len() > i { long(a, i) } else { Some(d) };
    let (Some(start), Some(len), Some(occ)) = (opt(2, 0), opt(3, -1), opt(4, 1)) else { return Ok(Value::Null) };
    if start < 0 || occ < 1 || len < -1 {
        return Ok(Value::Null);
    }
    let chars: Vec<(usize, char)> = hay.char_indices().collect();
    let n = chars.len() as i64;
    let (s, e) = clamp_range(n, start, if len < 0 { None } else { Some(len) });
    let byte = |ci: usize| chars.get(ci).map_or(hay.len(), |(b, _)| *b);
    let window = &hay[byte(s)..byte(e)];
    let mut seen = 0;
    let mut from = 0;
    while from <= window.len() {
        let Some(m) = re.find_at(window, from) else { break };
        seen += 1;
        if seen == occ {
            return Ok(Value::Long((s + window[..m.start()].chars().count()) as i64));
        }
        // Matches do not overlap: the next one starts after this one (one
        // character on after an empty match).
        from = if m.end() > m.start() {
            m.end()
        } else {
            m.end() + window[m.end()..].chars().next().map_or(1, char::len_utf8)
        };
    }
    Ok(Value::Long(-1))
}

/// `has_any_index(text, values)`: the index of the first value the text
/// `has`, or -1 (has-any-index-function.md).
fn has_any_index(a: &[Value], ctx: &FnCtx) -> Result<Value, String> {
    let Some(values) = strings(arg(a, 1)) else { return Ok(Value::Null) };
    let hay = text(a, 0);
    let cmp = StrCmp { op: StrOp::Has, case_sensitive: false, negated: false };
    for (i, v) in values.iter().enumerate() {
        if StrMatcher::new(cmp, v, &ctx.regexes)?.matches(&hay) {
            return Ok(Value::Long(i as i64));
        }
    }
    Ok(Value::Long(-1))
}
