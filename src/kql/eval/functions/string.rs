//! Plain string functions: `tolower`, `toupper`, `strlen`, `substring`,
//! `strcat`, `strcat_delim`, `split`, `replace_string`, `indexof`, `countof`
//! (normal kind), `reverse`, `strrep`, `isascii`, `isutf8`, `parse_csv`. Lengths and indexes count Unicode
//! scalar values (Kusto counts UTF-16 units; they differ only outside the BMP).

use serde_json::Value as Json;

use super::args::{Kind, arg, check, clamp_range, dynamic, long, s, sf, text};
use super::convert::to_string;
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Largest string `strrep` builds (bytes), so hostile multipliers stay bounded.
pub const MAX_STRREP_BYTES: usize = 1 << 20;

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("tolower", &[], 1, 1, text_fn, |a, _| s(text(a, 0).to_lowercase())),
    sf("toupper", &[], 1, 1, text_fn, |a, _| s(text(a, 0).to_uppercase())),
    sf(
        "strlen",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Text], DataType::Long),
        |a, _| Ok(Value::Long(text(a, 0).chars().count() as i64)),
    ),
    // string-size-function.md: the size in bytes of the UTF-8 text.
    sf(
        "string_size",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Text], DataType::Long),
        |a, _| Ok(Value::Long(text(a, 0).len() as i64)),
    ),
    sf("substring", &[], 2, 3, |t| check(t, &[Kind::Any, Kind::Integer], DataType::String), substring),
    sf("strcat", &[], 1, 64, |_| Ok(DataType::String), |a, _| s(a.iter().map(to_string).collect::<String>())),
    sf("strcat_delim", &[], 2, 65, |_| Ok(DataType::String), strcat_delim),
    sf("parse_csv", &[], 1, 1, |t| check(t, &[Kind::Text], DataType::Dynamic), parse_csv),
    sf("split", &[], 2, 3, |t| check(t, &[Kind::Text, Kind::Text, Kind::Integer], DataType::Dynamic), split),
    sf("replace_string", &[], 3, 3, |t| check(t, &[Kind::Text], DataType::String), replace_string),
    // indexof-function.md: the first two arguments are converted to strings ("forcibly casted").
    sf("indexof", &[], 2, 5, |t| check(t, &[Kind::Any, Kind::Any, Kind::Integer], DataType::Long), indexof),
    sf("isascii", &[], 1, 1, |t| check(t, &[Kind::Any], DataType::Bool), |a, _| Ok(Value::Bool(text(a, 0).is_ascii()))),
    // isutf8.md: whether the text is valid UTF-8. A loaded string always is:
    // invalid UTF-8 is a load problem, its line is reported and not loaded.
    sf("isutf8", &[], 1, 1, |t| check(t, &[Kind::Any], DataType::Bool), |_, _| Ok(Value::Bool(true))),
    sf("reverse", &[], 1, 1, |_| Ok(DataType::String), |a, _| s(text(a, 0).chars().rev().collect::<String>())),
    sf("strrep", &[], 2, 3, |t| check(t, &[Kind::Any, Kind::Integer, Kind::Text], DataType::String), strrep),
];

fn text_fn(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Text], DataType::String)
}

/// `substring(s, start[, length])`: chars in `[start, start+length)` ∩ the
/// string (`substring-function.md`: `substring("ABCD", -1, 2)` = `"A"`).
fn substring(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(start), src) = (long(a, 1), text(a, 0)) else { return s("") };
    let len = if a.len() > 2 { long(a, 2) } else { None };
    if a.len() > 2 && len.is_none() {
        return s("");
    }
    let n = src.chars().count() as i64;
    let (from, to) = clamp_range(n, start, len);
    s(src.chars().skip(from).take(to - from).collect::<String>())
}

fn strcat_delim(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let delim = text(a, 0);
    s(a.iter().skip(1).map(to_string).collect::<Vec<_>>().join(&delim))
}

/// `split(s, delimiter[, index])`: an array of the parts; with an index, an
/// array holding that part only (empty when out of range). An empty
/// delimiter gives the whole string as the single part.
fn split(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (src, delim) = (text(a, 0), text(a, 1));
    let parts: Vec<&str> = if delim.is_empty() { vec![&src] } else { src.split(&*delim).collect() };
    let pick = |p: &[&str]| Json::Array(p.iter().map(|x| Json::String(x.to_string())).collect());
    if a.len() > 2 {
        let Some(i) = long(a, 2) else { return Ok(Value::Null) };
        let one = usize::try_from(i).ok().and_then(|i| parts.get(i)).map(|p| vec![*p]).unwrap_or_default();
        return Ok(dynamic(pick(&one)));
    }
    Ok(dynamic(pick(&parts)))
}

/// `replace_string(text, lookup, rewrite)`: every non-overlapping occurrence, left to right.
fn replace_string(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (src, from, to) = (text(a, 0), text(a, 1), text(a, 2));
    if from.is_empty() {
        return s(src);
    }
    s(src.replace(&*from, &to))
}

/// `indexof(text, lookup[, start[, length[, occurrence]]])` (indexof-function.md):
/// the character index of the occurrence-th `lookup`, or -1. A negative
/// `start` counts back from the end (the page's `indexof("abcdefg", "cde", -5)`
/// is 2). Each search examines `length` characters from where it starts, as
/// .NET's `IndexOf(value, start, count)` does, and the search for the next
/// occurrence starts after the previous one with the same `length` (the page's
/// `indexof("abcdefgabcdefg", "cde", 1, 10, 2)` is 9). Null for `length` < -1
/// or `occurrence` < 1.
fn indexof(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (src, needle) = (text(a, 0), text(a, 1));
    let start = if a.len() > 2 { long(a, 2) } else { Some(0) };
    let length = if a.len() > 3 { long(a, 3) } else { Some(-1) };
    let occurrence = if a.len() > 4 { long(a, 4) } else { Some(1) };
    let (Some(start), Some(length), Some(occ)) = (start, length, occurrence) else { return Ok(Value::Null) };
    if length < -1 || occ < 1 {
        return Ok(Value::Null);
    }
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let n = chars.len() as i64;
    let mut from = if start < 0 { n.saturating_add(start).max(0) } else { start };
    let byte_at = |c: i64| chars.get(c as usize).map_or(src.len(), |(b, _)| *b);
    let step = (needle.chars().count() as i64).max(1);
    let mut found = -1;
    for _ in 0..occ {
        if from > n {
            return Ok(Value::Long(-1));
        }
        let end = if length == -1 { n } else { from.saturating_add(length).min(n) };
        let window = src.get(byte_at(from)..byte_at(end)).unwrap_or("");
        let Some(b) = window.find(&*needle) else { return Ok(Value::Long(-1)) };
        found = from + window[..b].chars().count() as i64;
        from = found + step;
    }
    Ok(Value::Long(found))
}

/// `strrep(value, multiplier[, delimiter])`: `value` repeated; the multiplier
/// is capped at 1024 (per the docs) and the output at [`MAX_STRREP_BYTES`].
fn strrep(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (src, delim) = (to_string(arg(a, 0)), text(a, 2));
    let Some(n) = long(a, 1) else { return Ok(Value::Null) };
    let n = n.clamp(0, 1024) as usize;
    let unit = src.len() + delim.len();
    if unit.saturating_mul(n) > MAX_STRREP_BYTES {
        return Err(format!("strrep() result would exceed {MAX_STRREP_BYTES} bytes"));
    }
    s(vec![src.as_str(); n].join(&delim))
}

/// `parse_csv(text)`: the fields of the text's first CSV record as a string
/// array (parse-csv-function.md): quoted fields may hold commas, doubled
/// quotes and line breaks; later records are ignored. The `csv` crate reads
/// RFC 4180 as Kusto does. Empty text gives `[""]`, one empty field.
fn parse_csv(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let src = text(a, 0);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(src.as_bytes());
    let fields: Vec<Json> = match reader.records().next() {
        Some(Ok(rec)) => rec.iter().map(|f| Json::String(f.to_string())).collect(),
        Some(Err(_)) => return Ok(Value::Null),
        None => vec![Json::String(String::new())],
    };
    Ok(dynamic(Json::Array(fields)))
}
