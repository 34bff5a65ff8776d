//! Raw field values as a parser sees them, and their conversion to a column
//! type with Kusto's ingestion rules (empty text is null for non-strings,
//! `"True"`/`0`/`1` are bools, longs are exact, stringified JSON is dynamic).

use std::borrow::Cow;

use crate::data::time::parse_datetime;
use crate::data::value::{DataType, Decimal, TICKS_PER_DAY, TICKS_PER_SECOND};

/// One field value as read, before typing. Strings borrow from the input
/// when they had no escapes.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Raw<'a> {
    /// JSON `null`.
    Null,
    /// JSON `true`/`false`.
    Bool(bool),
    /// A JSON integer that fits i64.
    I64(i64),
    /// A JSON integer above i64::MAX.
    U64(u64),
    /// A JSON number with a fraction or exponent.
    F64(f64),
    /// A JSON string or a CSV cell.
    Str(Cow<'a, str>),
    /// A JSON object or array.
    Json(serde_json::Value),
}

/// A value that does not fit its column type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Mismatch;

/// The outcome of converting one raw value: `Ok(None)` is a null.
pub(crate) type Converted<T> = Result<Option<T>, Mismatch>;

impl Raw<'_> {
    /// The type a column first seen with this value gets (`None` for null).
    pub(crate) fn inferred_type(&self) -> Option<DataType> {
        Some(match self {
            Raw::Null => return None,
            Raw::Bool(_) => DataType::Bool,
            Raw::I64(_) => DataType::Long,
            Raw::U64(_) | Raw::F64(_) => DataType::Real,
            Raw::Str(_) => DataType::String,
            Raw::Json(_) => DataType::Dynamic,
        })
    }

    /// The value as a problem report shows it: strings quoted, long values cut.
    pub(crate) fn describe(&self) -> String {
        const MAX: usize = 60;
        let text = match self {
            Raw::Str(s) => serde_json::Value::String(s.to_string()).to_string(),
            other => other.to_text().into_owned(),
        };
        match text.char_indices().nth(MAX) {
            Some((cut, _)) => format!("{}...", &text[..cut]),
            None => text,
        }
    }

    /// The value as the text of a string column: JSON null is `""`, numbers
    /// and bools their JSON text, objects and arrays compact JSON.
    pub(crate) fn to_text(&self) -> Cow<'_, str> {
        match self {
            Raw::Null => Cow::Borrowed(""),
            Raw::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Raw::I64(i) => Cow::Owned(i.to_string()),
            Raw::U64(u) => Cow::Owned(u.to_string()),
            Raw::F64(f) => Cow::Owned(real_text(*f)),
            Raw::Str(s) => Cow::Borrowed(s),
            Raw::Json(j) => Cow::Owned(j.to_string()),
        }
    }

    /// The trimmed text of a string value; `None` for other kinds.
    fn text(&self) -> Option<&str> {
        match self {
            Raw::Str(s) => Some(s.trim()),
            _ => None,
        }
    }
}

/// JSON's text of a float (shortest round-trip form).
fn real_text(f: f64) -> String {
    match serde_json::Number::from_f64(f) {
        Some(n) => n.to_string(),
        None => f.to_string(),
    }
}

/// A `long`: exact 64-bit, from integers, integral floats, or integer text.
pub(crate) fn to_long(raw: &Raw) -> Converted<i64> {
    match raw {
        Raw::Null => Ok(None),
        Raw::I64(i) => Ok(Some(*i)),
        Raw::U64(u) => i64::try_from(*u).map(Some).map_err(|_| Mismatch),
        // 2^63 is exactly representable; anything at or above it overflows.
        Raw::F64(f) if f.fract() == 0.0 && *f >= -9.223_372_036_854_776e18 && *f < 9.223_372_036_854_776e18 => {
            Ok(Some(*f as i64))
        }
        Raw::Str(_) => match raw.text() {
            Some("") => Ok(None),
            Some(t) => t.parse::<i64>().map(Some).map_err(|_| Mismatch),
            None => Err(Mismatch),
        },
        Raw::F64(_) | Raw::Bool(_) | Raw::Json(_) => Err(Mismatch),
    }
}

/// An `int`: a long that fits 32 bits.
pub(crate) fn to_int(raw: &Raw) -> Converted<i32> {
    match to_long(raw)? {
        Some(v) => i32::try_from(v).map(Some).map_err(|_| Mismatch),
        None => Ok(None),
    }
}

/// A `real`, from any number or numeric text (`NaN`, `Infinity` included).
pub(crate) fn to_real(raw: &Raw) -> Converted<f64> {
    match raw {
        Raw::Null => Ok(None),
        Raw::I64(i) => Ok(Some(*i as f64)),
        Raw::U64(u) => Ok(Some(*u as f64)),
        Raw::F64(f) => Ok(Some(*f)),
        Raw::Str(_) => match raw.text() {
            Some("") => Ok(None),
            Some(t) => t.parse::<f64>().map(Some).map_err(|_| Mismatch),
            None => Err(Mismatch),
        },
        Raw::Bool(_) | Raw::Json(_) => Err(Mismatch),
    }
}

/// A `decimal`, from JSON numbers (by their shortest digits, as the file
/// wrote them) and decimal text; `""` is null.
pub(crate) fn to_decimal(raw: &Raw) -> Converted<Decimal> {
    match raw {
        Raw::Null => Ok(None),
        Raw::I64(i) => Ok(Some(Decimal::from_i64(*i))),
        Raw::U64(u) => Decimal::parse(&u.to_string()).map(Some).ok_or(Mismatch),
        Raw::F64(f) => Decimal::parse(&f.to_string()).map(Some).ok_or(Mismatch),
        Raw::Str(_) => match raw.text() {
            Some("") => Ok(None),
            Some(t) => Decimal::parse(t).map(Some).ok_or(Mismatch),
            None => Err(Mismatch),
        },
        Raw::Bool(_) | Raw::Json(_) => Err(Mismatch),
    }
}

/// A `bool`, from JSON bools, 0/1, and `true`/`false` text in any case.
pub(crate) fn to_bool(raw: &Raw) -> Converted<bool> {
    match raw {
        Raw::Null => Ok(None),
        Raw::Bool(b) => Ok(Some(*b)),
        Raw::I64(0) | Raw::U64(0) => Ok(Some(false)),
        Raw::I64(1) | Raw::U64(1) => Ok(Some(true)),
        Raw::Str(_) => match raw.text() {
            Some("") => Ok(None),
            Some("1") => Ok(Some(true)),
            Some("0") => Ok(Some(false)),
            Some(t) if t.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(t) if t.eq_ignore_ascii_case("false") => Ok(Some(false)),
            _ => Err(Mismatch),
        },
        _ => Err(Mismatch),
    }
}

/// A `datetime` from text in any exported form; the portal's `Invalid date` is null.
pub(crate) fn to_datetime(raw: &Raw) -> Converted<i64> {
    match raw {
        Raw::Null => Ok(None),
        Raw::Str(_) => match raw.text() {
            Some("") | Some(crate::data::time::PORTAL_NULL_DATETIME) => Ok(None),
            Some(t) => parse_datetime(t).map(Some).ok_or(Mismatch),
            None => Err(Mismatch),
        },
        _ => Err(Mismatch),
    }
}

/// A `timespan` from Kusto text (`[-][d.]hh:mm[:ss[.f]]`) or integer ticks.
pub(crate) fn to_timespan(raw: &Raw) -> Converted<i64> {
    match raw {
        Raw::Null => Ok(None),
        Raw::I64(i) => Ok(Some(*i)),
        Raw::Str(_) => match raw.text() {
            Some("") => Ok(None),
            Some(t) => parse_timespan(t).map(Some).ok_or(Mismatch),
            None => Err(Mismatch),
        },
        _ => Err(Mismatch),
    }
}

/// A `dynamic`: JSON objects/arrays as they are, text that holds a JSON
/// object or array parsed (exports often stringify it), other text a JSON string.
pub(crate) fn to_dynamic(raw: Raw) -> Option<serde_json::Value> {
    use serde_json::Value as J;
    match raw {
        Raw::Null => None,
        Raw::Bool(b) => Some(J::Bool(b)),
        Raw::I64(i) => Some(J::from(i)),
        Raw::U64(u) => Some(J::from(u)),
        Raw::F64(f) => serde_json::Number::from_f64(f).map(J::Number),
        Raw::Json(j) => Some(j),
        Raw::Str(s) => {
            let t = s.trim();
            if t.is_empty() {
                return None;
            }
            if (t.starts_with('{') || t.starts_with('['))
                && let Ok(parsed) = serde_json::from_str::<J>(t)
            {
                return Some(parsed);
            }
            Some(J::String(s.into_owned()))
        }
    }
}

/// Parses Kusto timespan text: `[-][d.]hh:mm[:ss[.fffffff]]`.
fn parse_timespan(text: &str) -> Option<i64> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut parts = body.split(':');
    let (head, minutes, seconds) = (parts.next()?, parts.next()?, parts.next().unwrap_or("0"));
    if parts.next().is_some() {
        return None;
    }
    let (days, hours) = match head.split_once('.') {
        Some((d, h)) => (digits(d)?, digits(h)?),
        None => (0, digits(head)?),
    };
    let (secs, frac) = match seconds.split_once('.') {
        Some((s, f)) => (digits(s)?, fraction_ticks(f)?),
        None => (digits(seconds)?, 0),
    };
    let minutes = digits(minutes)?;
    if hours > 23 || minutes > 59 || secs > 59 {
        return None;
    }
    let ticks = days
        .checked_mul(TICKS_PER_DAY)?
        .checked_add((hours * 3600 + minutes * 60 + secs) * TICKS_PER_SECOND)?
        .checked_add(frac)?;
    Some(if neg { -ticks } else { ticks })
}

fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Up to 7 fraction digits as ticks; further digits are truncated.
fn fraction_ticks(f: &str) -> Option<i64> {
    if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let kept = &f[..f.len().min(7)];
    let value: i64 = kept.parse().ok()?;
    Some(value * 10i64.pow(7 - kept.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Raw<'_> {
        Raw::Str(Cow::Borrowed(t))
    }

    #[test]
    fn longs_are_exact_and_strict() {
        assert_eq!(to_long(&Raw::I64(123456789012345678)), Ok(Some(123456789012345678)));
        assert_eq!(to_long(&s(" 923456789012345678 ")), Ok(Some(923456789012345678)));
        assert_eq!(to_long(&s("")), Ok(None));
        assert_eq!(to_long(&s("abc")), Err(Mismatch));
        assert_eq!(to_long(&s("1.5")), Err(Mismatch));
        assert_eq!(to_long(&Raw::F64(3.0)), Ok(Some(3)));
        assert_eq!(to_long(&Raw::F64(3.5)), Err(Mismatch));
        assert_eq!(to_long(&Raw::F64(9.3e18)), Err(Mismatch));
        assert_eq!(to_long(&Raw::U64(u64::MAX)), Err(Mismatch));
        assert_eq!(to_int(&Raw::I64(1 << 40)), Err(Mismatch));
        assert_eq!(to_int(&s("443")), Ok(Some(443)));
    }

    #[test]
    fn bools_reals_and_datetimes() {
        assert_eq!(to_bool(&s("True")), Ok(Some(true)));
        assert_eq!(to_bool(&s("false")), Ok(Some(false)));
        assert_eq!(to_bool(&Raw::I64(1)), Ok(Some(true)));
        assert_eq!(to_bool(&Raw::I64(2)), Err(Mismatch));
        assert_eq!(to_bool(&s("yes")), Err(Mismatch));
        assert_eq!(to_real(&s("2.5")), Ok(Some(2.5)));
        assert_eq!(to_real(&Raw::I64(7)), Ok(Some(7.0)));
        assert_eq!(to_datetime(&s("Invalid date")), Ok(None));
        assert_eq!(to_datetime(&s("1970-01-01T00:00:01Z")), Ok(Some(TICKS_PER_SECOND)));
        assert_eq!(to_datetime(&s("soon")), Err(Mismatch));
        assert_eq!(to_datetime(&Raw::I64(5)), Err(Mismatch));
    }

    #[test]
    fn timespans() {
        assert_eq!(to_timespan(&s("00:00:01")), Ok(Some(TICKS_PER_SECOND)));
        assert_eq!(to_timespan(&s("1.02:00:00.5")), Ok(Some(TICKS_PER_DAY + 2 * 3600 * TICKS_PER_SECOND + 5_000_000)));
        assert_eq!(to_timespan(&s("-00:01")), Ok(Some(-60 * TICKS_PER_SECOND)));
        assert_eq!(to_timespan(&s("25:00:00")), Err(Mismatch));
    }

    #[test]
    fn dynamic_parses_stringified_json_only() {
        assert_eq!(to_dynamic(s(r#"{"a":1}"#)), Some(serde_json::json!({"a": 1})));
        assert_eq!(to_dynamic(s("[1,2]")), Some(serde_json::json!([1, 2])));
        assert_eq!(to_dynamic(s("{not json")), Some(serde_json::json!("{not json")));
        assert_eq!(to_dynamic(s("plain")), Some(serde_json::json!("plain")));
        assert_eq!(to_dynamic(s("")), None);
        assert_eq!(to_dynamic(Raw::Null), None);
    }

    #[test]
    fn text_and_description() {
        assert_eq!(Raw::F64(1.5).to_text(), "1.5");
        assert_eq!(Raw::Bool(true).to_text(), "true");
        assert_eq!(Raw::Json(serde_json::json!({"a": [1]})).to_text(), r#"{"a":[1]}"#);
        assert_eq!(s("abc").describe(), r#""abc""#);
        assert_eq!(s(&"x".repeat(100)).describe().len(), 63);
    }
}
