//! Kusto's conversions between scalar types (`tostring`, `tolong`, ...), used
//! by the conversion functions and by operators that compare a `dynamic`
//! value with a typed one (the dynamic side is converted to the other type).
//! Doc: `tostringfunction.md`, `tolongfunction.md`, `todoublefunction.md`,
//! `toboolfunction.md`, `todatetimefunction.md`, `totimespanfunction.md`.

use std::sync::Arc;

use serde_json::Value as Json;

use crate::data::time::{format_datetime, format_datetime_kusto, format_timespan, parse_datetime};
use crate::data::{DataType, Decimal, TICKS_PER_DAY, TICKS_PER_SECOND, Value};

/// A dynamic scalar as the typed value it holds (JSON string → string, integer
/// → long, other number → real, bool → bool, null → null); arrays, objects and
/// non-dynamic values are returned unchanged.
pub fn unwrap_dynamic(v: &Value) -> Value {
    match v {
        Value::Dynamic(j) => match &**j {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => {
                n.as_i64().map(Value::Long).or_else(|| n.as_f64().map(Value::Real)).unwrap_or(Value::Null)
            }
            Json::String(s) => Value::str(s),
            Json::Array(_) | Json::Object(_) => v.clone(),
        },
        _ => v.clone(),
    }
}

/// Kusto's text of a `real`: shortest round-trip digits, exponent form
/// `1E+15`/`1E-05` outside `1e-4 ..< 1e15` (.NET `double.ToString()`),
/// `NaN`, `Infinity`, `-Infinity`.
pub fn format_real(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if f == 0.0 {
        return "0".into();
    }
    let sci = format!("{f:e}"); // e.g. "-1.2345e-7": shortest round-trip digits
    let Some((mantissa, exp)) = sci.split_once('e') else {
        return sci;
    };
    let exp: i32 = exp.parse().unwrap_or(0);
    if (-4..15).contains(&exp) {
        return format!("{f}");
    }
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}E{sign}{:02}", exp.unsigned_abs())
}

/// `tostring(v)`: null → `""` (strings have no null), datetimes as ISO-8601
/// UTC with 7 fraction digits (`2017-10-15T12:00:00.0000000Z`), timespans as
/// `[-][d.]hh:mm:ss[.fffffff]`, dynamic strings without quotes, other dynamic
/// values as compact JSON.
pub fn to_string(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Long(i) => i.to_string(),
        Value::Real(f) => format_real(*f),
        Value::DateTime(t) => format_datetime_kusto(*t),
        Value::Timespan(t) => format_timespan(*t),
        Value::String(s) => s.to_string(),
        Value::Dynamic(j) => match &**j {
            Json::Null => String::new(),
            Json::String(s) => s.clone(),
            other => other.to_string(),
        },
        Value::Decimal(d) => d.to_string(),
    }
}

/// The text of a value without copying when it already is a string.
pub fn as_text(v: &Value) -> std::borrow::Cow<'_, str> {
    match v {
        Value::String(s) => std::borrow::Cow::Borrowed(s),
        other => std::borrow::Cow::Owned(to_string(other)),
    }
}

/// A value as the faces print a result cell: as [`to_string`], except that a
/// datetime keeps the documented display form with trailing fraction zeros
/// trimmed (`data::time::format_datetime`), as Kusto's own result sets do.
pub fn display_text(v: &Value) -> std::borrow::Cow<'_, str> {
    match v {
        Value::DateTime(t) => std::borrow::Cow::Owned(format_datetime(*t)),
        other => as_text(other),
    }
}

/// `tolong(v)`: reals truncate toward zero (null when out of range or NaN),
/// bools are 0/1, datetimes and timespans give their ticks, strings parse as
/// integers (or reals, truncated); anything else is null.
pub fn to_long(v: &Value) -> Option<i64> {
    match v {
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Int(i) => Some(i64::from(*i)),
        Value::Long(i) => Some(*i),
        Value::Real(f) => real_to_long(*f),
        Value::Decimal(d) => d.trunc_i64(),
        Value::DateTime(t) | Value::Timespan(t) => Some(*t),
        Value::String(s) => parse_long(s),
        Value::Dynamic(_) => match unwrap_dynamic(v) {
            Value::Dynamic(_) => None,
            inner => to_long(&inner),
        },
        Value::Null => None,
    }
}

fn real_to_long(f: f64) -> Option<i64> {
    // i64::MAX as f64 rounds up to 2^63, so the upper bound is exclusive.
    (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f).then(|| f.trunc() as i64)
}

fn parse_long(s: &str) -> Option<i64> {
    let t = s.trim();
    t.parse::<i64>().ok().or_else(|| parse_real(t).and_then(real_to_long))
}

/// `toint(v)`: as [`to_long`], null when outside the 32-bit range.
pub fn to_int(v: &Value) -> Option<i32> {
    to_long(v).and_then(|l| i32::try_from(l).ok())
}

fn parse_real(s: &str) -> Option<f64> {
    let t = s.trim();
    match t {
        "NaN" => Some(f64::NAN),
        "Infinity" | "+Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        // Rust also accepts "inf"/"infinity"/"nan" in any case; Kusto does not.
        _ if t.bytes().any(|b| b.is_ascii_alphabetic() && !matches!(b, b'e' | b'E')) => None,
        _ => t.parse().ok(),
    }
}

/// `todouble(v)` / `toreal(v)`: numbers widen, bools are 0/1, timespans and
/// datetimes give their ticks, strings parse (`NaN`, `Infinity` included).
pub fn to_real(v: &Value) -> Option<f64> {
    match v {
        Value::Real(f) => Some(*f),
        Value::Decimal(d) => Some(d.to_f64()),
        Value::String(s) => parse_real(s),
        Value::Dynamic(_) => match unwrap_dynamic(v) {
            Value::Dynamic(_) => None,
            inner => to_real(&inner),
        },
        other => to_long(other).map(|l| l as f64),
    }
}

/// `todecimal(v)`: integers exactly, reals through their 17 significant
/// digits (`2.2` → `2.2000000000000002`, as Kusto converts), bools 0/1,
/// datetimes and timespans as their ticks (as `todouble` gives them),
/// decimal text; NaN, infinities and anything else are null.
pub fn to_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Decimal(d) => Some(*d),
        Value::Bool(b) => Some(Decimal::from_i64(i64::from(*b))),
        Value::Int(i) => Some(Decimal::from_i64(i64::from(*i))),
        Value::Long(i) => Some(Decimal::from_i64(*i)),
        Value::Real(f) => Decimal::from_f64(*f),
        Value::String(s) => Decimal::parse(s),
        Value::Dynamic(j) => match &**j {
            // A JSON number is read by its own digits, not through a real.
            Json::Number(n) => Decimal::parse(&n.to_string()),
            _ => match unwrap_dynamic(v) {
                Value::Dynamic(_) => None,
                inner => to_decimal(&inner),
            },
        },
        Value::DateTime(t) | Value::Timespan(t) => Some(Decimal::from_i64(*t)),
        Value::Null => None,
    }
}

/// `tobool(v)`: `true`/`false` text in any case, numbers non-zero → true.
pub fn to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Int(i) => Some(*i != 0),
        Value::Long(i) => Some(*i != 0),
        Value::Real(f) => (!f.is_nan()).then_some(*f != 0.0),
        Value::Decimal(d) => Some(!d.is_zero()),
        Value::String(s) => {
            let t = s.trim();
            if t.eq_ignore_ascii_case("true") {
                Some(true)
            } else if t.eq_ignore_ascii_case("false") {
                Some(false)
            } else {
                t.parse::<i64>().ok().map(|n| n != 0)
            }
        }
        Value::Dynamic(_) => match unwrap_dynamic(v) {
            Value::Dynamic(_) => None,
            inner => to_bool(&inner),
        },
        _ => None,
    }
}

/// `todatetime(v)`: datetimes as they are, text in any form
/// `data::time::parse_datetime` reads; anything else is null.
pub fn to_datetime(v: &Value) -> Option<i64> {
    match v {
        Value::DateTime(t) => Some(*t),
        Value::String(s) => parse_datetime(s),
        Value::Dynamic(_) => match unwrap_dynamic(v) {
            Value::String(s) => parse_datetime(&s),
            _ => None,
        },
        _ => None,
    }
}

/// `totimespan(v)`: timespans as they are, numbers as ticks, text as
/// `[-][d.]hh:mm[:ss[.fffffff]]` or a literal such as `1.5h`, `30m`, `100ms`.
pub fn to_timespan(v: &Value) -> Option<i64> {
    match v {
        Value::Timespan(t) => Some(*t),
        Value::Int(_) | Value::Long(_) => to_long(v),
        Value::Real(f) => real_to_long(*f),
        Value::Decimal(d) => d.trunc_i64(),
        Value::String(s) => parse_timespan(s),
        Value::Dynamic(_) => match unwrap_dynamic(v) {
            Value::Dynamic(_) => None,
            inner => to_timespan(&inner),
        },
        _ => None,
    }
}

/// Parses timespan text: `[-][d.]hh:mm[:ss[.f…]]` or `<number><unit>` with
/// units `d`, `h`, `m`, `s`, `ms`, `microsecond`, `tick` and their long names.
pub fn parse_timespan(text: &str) -> Option<i64> {
    let s = text.trim();
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let ticks = if body.contains(':') { parse_clock(body)? } else { parse_unit_literal(body)? };
    Some(if neg { ticks.checked_neg()? } else { ticks })
}

fn parse_clock(s: &str) -> Option<i64> {
    let (days, clock) = match s.split_once(':').and_then(|(head, _)| head.split_once('.')) {
        Some((d, _)) => (d.parse::<i64>().ok()?, s.get(d.len() + 1..)?),
        None => (0, s),
    };
    let mut parts = clock.split(':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let (sec, frac) = match parts.next() {
        Some(sec) => match sec.split_once('.') {
            Some((whole, frac)) => (whole.parse::<i64>().ok()?, frac),
            None => (sec.parse::<i64>().ok()?, ""),
        },
        None => (0, ""),
    };
    if parts.next().is_some() || !(0..24).contains(&h) || !(0..60).contains(&m) || !(0..60).contains(&sec) {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut frac_ticks = 0i64;
    for (i, b) in frac.bytes().take(7).enumerate() {
        frac_ticks += i64::from(b - b'0') * 10i64.pow(6 - i as u32);
    }
    let secs = days.checked_mul(86_400)?.checked_add(h * 3600 + m * 60 + sec)?;
    secs.checked_mul(TICKS_PER_SECOND)?.checked_add(frac_ticks)
}

fn parse_unit_literal(s: &str) -> Option<i64> {
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let per: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "d" | "day" | "days" => TICKS_PER_DAY as f64,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0 * TICKS_PER_SECOND as f64,
        "m" | "min" | "minute" | "minutes" => 60.0 * TICKS_PER_SECOND as f64,
        "s" | "sec" | "second" | "seconds" => TICKS_PER_SECOND as f64,
        "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 10_000.0,
        "microsecond" | "microseconds" => 10.0,
        "tick" | "ticks" => 1.0,
        _ => return None,
    };
    real_to_long((n * per).round())
}

/// `v` converted to `dtype` for storage in a column of that type (e.g. a
/// `long` branch of an `iff` whose type is `real`); null when impossible.
pub fn coerce(v: &Value, dtype: DataType) -> Value {
    if v.is_null() && dtype != DataType::Dynamic {
        return if dtype.is_text() { Value::str("") } else { Value::Null };
    }
    match dtype {
        DataType::Bool => to_bool(v).map_or(Value::Null, Value::Bool),
        DataType::Int => to_int(v).map_or(Value::Null, Value::Int),
        DataType::Long => to_long(v).map_or(Value::Null, Value::Long),
        DataType::Real => to_real(v).map_or(Value::Null, Value::Real),
        DataType::DateTime => to_datetime(v).map_or(Value::Null, Value::DateTime),
        DataType::Timespan => to_timespan(v).map_or(Value::Null, Value::Timespan),
        DataType::Decimal => to_decimal(v).map_or(Value::Null, Value::Decimal),
        DataType::String | DataType::Guid => match v {
            Value::String(_) => v.clone(),
            other => Value::str(&to_string(other)),
        },
        DataType::Dynamic => match v {
            Value::Dynamic(_) => v.clone(),
            other => Value::Dynamic(Arc::new(crate::data::column::value_to_json(other))),
        },
    }
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
