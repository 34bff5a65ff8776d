//! Values as the TUI shows and quotes them: display text, pretty-printed
//! JSON, KQL literals for proposed exclusions, short times and counts.

use crate::data::Value;
use crate::data::time::{format_datetime, format_timespan};
use crate::kql::quote;

/// A value as text, as Kusto's `tostring` writes it, except datetimes in
/// their display form (ISO-8601 UTC, up to 7 fraction digits); dynamic values
/// as compact JSON, null as empty.
pub fn value_text(v: &crate::data::Value) -> String {
    crate::kql::eval::functions::convert::display_text(v).into_owned()
}

/// The value pretty-printed when it is (or holds) a JSON object or array;
/// else its plain text. Not yet inert: callers draw it through `inert`.
pub fn pretty(v: &Value) -> String {
    let json = match v {
        Value::Dynamic(j) if j.is_object() || j.is_array() => Some((**j).clone()),
        Value::String(_) | Value::Dynamic(_) if looks_like_json(&value_text(v)) => {
            serde_json::from_str::<serde_json::Value>(&value_text(v)).ok()
        }
        _ => None,
    };
    match json.and_then(|j| serde_json::to_string_pretty(&j).ok()) {
        Some(p) => p,
        None => value_text(v),
    }
}

fn looks_like_json(s: &str) -> bool {
    let t = s.trim();
    (t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']'))
}

/// An exclusion filter that matches `field` equal to `v` in KQL.
pub fn equals_filter(field: &str, v: &Value) -> String {
    match v {
        Value::Null => format!("isnull({field})"),
        Value::String(s) if s.is_empty() => format!("isempty({field})"),
        Value::String(s) => format!("{field} == {}", quote::string(s)),
        Value::Bool(b) => format!("{field} == {b}"),
        Value::Int(i) => format!("{field} == {i}"),
        Value::Long(i) => format!("{field} == {i}"),
        Value::Real(f) => format!("{field} == real({f})"),
        Value::Decimal(d) => format!("{field} == decimal({d})"),
        Value::DateTime(t) => format!("{field} == datetime({})", format_datetime(*t)),
        Value::Timespan(t) => format!("{field} == timespan({})", format_timespan(*t)),
        Value::Dynamic(_) => format!("tostring({field}) == {}", quote::string(&value_text(v))),
    }
}

/// `2026-11-20 12:00` (minutes, UTC) for compact columns.
pub fn short_time(t: Option<i64>) -> String {
    match t {
        Some(t) => {
            let full = format_datetime(t);
            full.get(..16).map(|s| s.replace('T', " ")).unwrap_or(full)
        }
        None => String::new(),
    }
}

/// `12 (40%)`.
pub fn count_share(n: usize, share: f64) -> String {
    format!("{n} ({:.0}%)", share * 100.0)
}

/// `text` fitted in `width` characters with `…` in the middle, so the
/// distinguishing tail stays (`Monitoring tool - Le… copy 7`), and the
/// character positions `hits` moved to match (the cut ones dropped).
pub fn middle_ellipsis(text: &str, hits: &[usize], width: usize) -> (String, Vec<usize>) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width {
        return (text.to_string(), hits.to_vec());
    }
    if width == 0 {
        return (String::new(), Vec::new());
    }
    // The head gets the extra character: names read from the left.
    let tail = (width - 1) / 2;
    let head = width - 1 - tail;
    let cut = chars.len() - tail;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[cut..]);
    let moved = hits
        .iter()
        .filter_map(|&h| match h {
            h if h < head => Some(h),
            h if h >= cut => Some(h - cut + head + 1),
            _ => None,
        })
        .collect();
    (out, moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_by_type() {
        assert_eq!(equals_filter("F", &Value::str("a")), "F == \"a\"");
        assert_eq!(equals_filter("F", &Value::str("")), "isempty(F)");
        assert_eq!(equals_filter("N", &Value::Long(5)), "N == 5");
        assert_eq!(equals_filter("N", &Value::Null), "isnull(N)");
        assert_eq!(equals_filter("F", &Value::str("x\u{1b}]52\u{202e}")), r#"F == "x\u001b]52\u202e""#);
    }

    #[test]
    fn json_strings_are_pretty_printed() {
        assert_eq!(pretty(&Value::str(r#"{"a":1}"#)), "{\n  \"a\": 1\n}");
        assert_eq!(pretty(&Value::str("{not json")), "{not json");
    }
}
