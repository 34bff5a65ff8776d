//! The conversion functions (`tostring`, `toint`, `tolong`, `todouble`,
//! `todecimal`, `tobool`, `todatetime`, `totimespan`, `toguid`) and
//! `parse_version`; the rules live in
//! [`super::convert`].

use super::args::{arg, sf};
use super::convert::{to_bool, to_datetime, to_decimal, to_int, to_long, to_real, to_string, to_timespan};
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Decimal, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("tostring", &[], 1, 1, |_| Ok(DataType::String), |a, _| Ok(Value::str(&to_string(arg(a, 0))))),
    sf("toint", &[], 1, 1, |_| Ok(DataType::Int), |a, _| Ok(to_int(arg(a, 0)).map_or(Value::Null, Value::Int))),
    sf("tolong", &[], 1, 1, |_| Ok(DataType::Long), |a, _| Ok(to_long(arg(a, 0)).map_or(Value::Null, Value::Long))),
    sf("todouble", &["toreal"], 1, 1, |_| Ok(DataType::Real), |a, _| Ok(opt(to_real(arg(a, 0)), Value::Real))),
    sf("todecimal", &[], 1, 1, |_| Ok(DataType::Decimal), |a, _| Ok(opt(to_decimal(arg(a, 0)), Value::Decimal))),
    sf("tobool", &["toboolean"], 1, 1, |_| Ok(DataType::Bool), |a, _| Ok(opt(to_bool(arg(a, 0)), Value::Bool))),
    sf("todatetime", &[], 1, 1, |_| Ok(DataType::DateTime), |a, _| Ok(opt(to_datetime(arg(a, 0)), Value::DateTime))),
    sf(
        "totimespan",
        &["totime"],
        1,
        1,
        |_| Ok(DataType::Timespan),
        |a, _| Ok(opt(to_timespan(arg(a, 0)), Value::Timespan)),
    ),
    sf("toguid", &[], 1, 1, |_| Ok(DataType::Guid), toguid),
    sf("parse_version", &[], 1, 1, |_| Ok(DataType::Decimal), |a, _| Ok(parse_version(&to_string(arg(a, 0))))),
];

/// `parse_version(v)`: one to four dot-separated parts of up to eight digits,
/// missing trailing parts 0, as the decimal `p1·10^24 + p2·10^16 + p3·10^8 + p4`
/// (so versions compare as numbers); anything else is null.
/// Doc: <https://learn.microsoft.com/kusto/query/parse-version-function>.
fn parse_version(text: &str) -> Value {
    let parts: Vec<&str> = text.trim().split('.').collect();
    let valid = |p: &&str| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() > 4 || !parts.iter().all(valid) {
        return Value::Null;
    }
    let mut digits = String::with_capacity(32);
    for i in 0..4 {
        digits.push_str(&format!("{:0>8}", parts.get(i).copied().unwrap_or("0")));
    }
    Decimal::parse(&digits).map_or(Value::Null, Value::Decimal)
}

fn opt<T>(v: Option<T>, f: fn(T) -> Value) -> Value {
    v.map_or(Value::Null, f)
}

/// `toguid(s)`: the canonical lowercase text of a GUID (with or without
/// braces/hyphens), else null.
fn toguid(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let text = to_string(arg(a, 0));
    let hex: String = text.trim().trim_matches(|c| c == '{' || c == '}').chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(Value::Null);
    }
    let h = hex.to_ascii_lowercase();
    let parts = [h.get(0..8), h.get(8..12), h.get(12..16), h.get(16..20), h.get(20..32)];
    Ok(Value::str(&parts.iter().flatten().copied().collect::<Vec<_>>().join("-")))
}
