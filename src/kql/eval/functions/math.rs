//! Numeric functions: `bin`/`floor`, `bin_at`, `abs`, `round`, `ceiling`,
//! `sign`, `sqrt`, `pow`, `exp*`, `log*`, `min_of`, `max_of`, `tohex`.
//! Integer results use checked arithmetic (overflow → null); reals follow
//! IEEE (`sqrt(-1)` = NaN), as .NET does.

use std::cmp::Ordering;

use super::args::{Kind, arg, check, long, real, s, sf};
use super::logic::unify;
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Decimal, Value};
use crate::kql::eval::functions::convert::unwrap_dynamic;
use crate::kql::eval::ops::compare;

const REAL_FNS: &[Kind] = &[Kind::Num];

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("bin", &["floor"], 2, 2, bin_type, |a, _| Ok(bin(arg(a, 0), arg(a, 1), None))),
    sf("bin_at", &[], 3, 3, bin_type, |a, _| Ok(bin(arg(a, 0), arg(a, 1), Some(arg(a, 2))))),
    sf("abs", &[], 1, 1, keep_number, |a, _| Ok(abs(arg(a, 0)))),
    sf("round", &[], 1, 2, keep_number, round),
    sf("ceiling", &[], 1, 1, keep_number, |a, _| Ok(ceiling(arg(a, 0)))),
    sf("sign", &[], 1, 1, sign_type, |a, _| {
        Ok(unary(arg(a, 0), |x| if x == 0.0 { 0.0 } else { x.signum() }, i64::signum))
    }),
    sf("sqrt", &[], 1, 1, real_fn, |a, _| Ok(real1(a, f64::sqrt))),
    sf("exp", &[], 1, 1, real_fn, |a, _| Ok(real1(a, f64::exp))),
    // erf-function.md, erfc-function.md; libm's are accurate to the last bit or so.
    sf("erf", &[], 1, 1, real_fn, |a, _| Ok(real1(a, libm::erf))),
    sf("erfc", &[], 1, 1, real_fn, |a, _| Ok(real1(a, libm::erfc))),
    sf("exp2", &[], 1, 1, real_fn, |a, _| Ok(real1(a, f64::exp2))),
    sf("exp10", &[], 1, 1, real_fn, |a, _| Ok(real1(a, |x| 10f64.powf(x)))),
    sf("log", &[], 1, 1, real_fn, |a, _| Ok(real1(a, f64::ln))),
    sf("log2", &[], 1, 1, real_fn, |a, _| Ok(real1(a, f64::log2))),
    sf("log10", &[], 1, 1, real_fn, |a, _| Ok(real1(a, f64::log10))),
    sf("pow", &[], 2, 2, real_fn, |a, _| {
        Ok(real(a, 0).zip(real(a, 1)).map_or(Value::Null, |(x, y)| Value::Real(x.powf(y))))
    }),
    sf("min_of", &[], 2, 64, unify, |a, _| Ok(extreme(a, Ordering::Less))),
    sf("max_of", &[], 2, 64, unify, |a, _| Ok(extreme(a, Ordering::Greater))),
    sf("tohex", &[], 1, 2, |t| check(t, &[Kind::Integer], DataType::String), tohex),
];

fn real_fn(t: &[DataType]) -> Result<DataType, String> {
    check(t, REAL_FNS, DataType::Real)
}

/// `sign`: as [`keep_number`], but a decimal's sign is a `real` (as the analyzer types it).
fn sign_type(t: &[DataType]) -> Result<DataType, String> {
    match t.first() {
        Some(DataType::Decimal) => Ok(DataType::Real),
        _ => keep_number(t),
    }
}

/// Numbers keep their kind (`int`/`long` → `long`, `real` → `real`, `decimal`
/// → `decimal`), timespans stay timespans.
fn keep_number(t: &[DataType]) -> Result<DataType, String> {
    match t.first() {
        Some(DataType::Int | DataType::Long) => Ok(DataType::Long),
        Some(DataType::Decimal) => Ok(DataType::Decimal),
        Some(DataType::Timespan) => Ok(DataType::Timespan),
        Some(DataType::Real | DataType::Dynamic) => Ok(DataType::Real),
        other => Err(format!("argument 1 must be a number, not {}", other.map_or("nothing", |t| t.name()))),
    }
}

fn bin_type(t: &[DataType]) -> Result<DataType, String> {
    use DataType::*;
    match (t.first(), t.get(1)) {
        (Some(Int | Long), Some(Int | Long)) => Ok(Long),
        (Some(x), Some(y)) if x.is_numeric() && y.is_numeric() && (*x == Decimal || *y == Decimal) => Ok(Decimal),
        (Some(x), Some(y)) if x.is_numeric() && y.is_numeric() => Ok(Real),
        (Some(DateTime), Some(Timespan)) => Ok(DateTime),
        (Some(Timespan), Some(Timespan)) => Ok(Timespan),
        (Some(Dynamic), Some(y)) if y.is_numeric() => Ok(Real),
        _ => Err("bin() needs a number, datetime or timespan and a bin size of the matching kind".into()),
    }
}

/// Ticks-or-integer floor binning: `v` rounded down to a multiple of `size`
/// counted from `origin`; null for a non-positive size or overflow.
fn floor_int(v: i64, size: i64, origin: i64) -> Option<i64> {
    if size <= 0 {
        return None;
    }
    let rel = v.checked_sub(origin)?;
    rel.div_euclid(size).checked_mul(size)?.checked_add(origin)
}

/// `bin(value, size)` / `bin_at(value, size, fixed)`: rounds down; datetimes
/// align to 1970-01-01 (or `fixed`), kql-semantics.md §9 / `binfunction.md`.
fn bin(v: &Value, size: &Value, at: Option<&Value>) -> Value {
    let (v, size) = (unwrap_dynamic(v), unwrap_dynamic(size));
    let origin = at.map(unwrap_dynamic);
    let int_origin = |o: &Option<Value>| match o {
        None => Some(0),
        Some(Value::Int(i)) => Some(i64::from(*i)),
        Some(Value::Long(i) | Value::DateTime(i) | Value::Timespan(i)) => Some(*i),
        Some(_) => None,
    };
    let ticks = |r: Option<i64>, f: fn(i64) -> Value| r.map_or(Value::Null, f);
    match (&v, &size) {
        (Value::DateTime(t), Value::Timespan(s)) => {
            ticks(int_origin(&origin).and_then(|o| floor_int(*t, *s, o)), Value::DateTime)
        }
        (Value::Timespan(t), Value::Timespan(s)) => {
            ticks(int_origin(&origin).and_then(|o| floor_int(*t, *s, o)), Value::Timespan)
        }
        (Value::Decimal(_), _) | (_, Value::Decimal(_)) if v.data_type().is_some_and(DataType::is_numeric) => {
            bin_decimal(&v, &size, origin.as_ref())
        }
        (Value::Int(_) | Value::Long(_), Value::Int(_) | Value::Long(_)) => {
            let (x, s) = (super::convert::to_long(&v), super::convert::to_long(&size));
            let r = x.zip(s).zip(int_origin(&origin)).and_then(|((x, s), o)| floor_int(x, s, o));
            ticks(r, Value::Long)
        }
        _ => {
            let (x, s) = (super::convert::to_real(&v), super::convert::to_real(&size));
            let o = origin.as_ref().map_or(Some(0.0), super::convert::to_real);
            match (x, s, o) {
                (Some(x), Some(s), Some(o)) if s > 0.0 && v.data_type().is_some_and(DataType::is_numeric) => {
                    Value::Real(((x - o) / s).floor() * s + o)
                }
                _ => Value::Null,
            }
        }
    }
}

/// `bin` with a decimal value or size: exact, `floor((v - origin) / size) *
/// size + origin`; null for a size that is not positive.
fn bin_decimal(v: &Value, size: &Value, origin: Option<&Value>) -> Value {
    use super::convert::to_decimal;
    let o = origin.map_or(Some(Decimal::ZERO), to_decimal);
    let r = match (to_decimal(v), to_decimal(size), o) {
        (Some(x), Some(s), Some(o)) if s.signum() > 0 => {
            x.checked_sub(o).and_then(|d| d.floor_to(s)).and_then(|d| d.checked_add(o))
        }
        _ => None,
    };
    r.map_or(Value::Null, Value::Decimal)
}

/// `ceiling(x)`: integers as they are, a decimal exactly.
fn ceiling(v: &Value) -> Value {
    match unwrap_dynamic(v) {
        Value::Decimal(d) => d.ceiling().map_or(Value::Null, Value::Decimal),
        other => unary(&other, f64::ceil, |i| i),
    }
}

fn abs(v: &Value) -> Value {
    match unwrap_dynamic(v) {
        Value::Decimal(d) => Value::Decimal(d.abs()),
        Value::Int(i) => Value::Long(i64::from(i).abs()),
        Value::Long(i) => i.checked_abs().map_or(Value::Null, Value::Long),
        Value::Timespan(t) => t.checked_abs().map_or(Value::Null, Value::Timespan),
        Value::Real(f) => Value::Real(f.abs()),
        _ => Value::Null,
    }
}

/// Applies `f` to a real and `g` to an integer (widened to `long`).
fn unary(v: &Value, f: fn(f64) -> f64, g: fn(i64) -> i64) -> Value {
    match unwrap_dynamic(v) {
        Value::Int(i) => Value::Long(g(i64::from(i))),
        Value::Long(i) => Value::Long(g(i)),
        Value::Real(x) => Value::Real(f(x)),
        Value::Decimal(d) => Value::Real(f(d.to_f64())),
        _ => Value::Null,
    }
}

fn real1(a: &[Value], f: fn(f64) -> f64) -> Value {
    real(a, 0).map_or(Value::Null, |x| Value::Real(f(x)))
}

/// `round(x[, precision])`: half away from zero at `precision` decimal
/// digits (negative precision rounds to tens, hundreds, ...).
fn round(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let precision = if a.len() > 1 { long(a, 1) } else { Some(0) };
    let Some(p) = precision.map(|p| p.clamp(-30, 30) as i32) else { return Ok(Value::Null) };
    let scale = 10f64.powi(p);
    Ok(match unwrap_dynamic(arg(a, 0)) {
        Value::Int(i) if p >= 0 => Value::Long(i64::from(i)),
        Value::Long(i) if p >= 0 => Value::Long(i),
        v @ (Value::Int(_) | Value::Long(_)) => {
            let r = (super::convert::to_real(&v).unwrap_or(0.0) * scale).round() / scale;
            super::convert::to_long(&Value::Real(r)).map_or(Value::Null, Value::Long)
        }
        Value::Real(x) => Value::Real((x * scale).round() / scale),
        Value::Decimal(d) => d.round(i64::from(p)).map_or(Value::Null, Value::Decimal),
        _ => Value::Null,
    })
}

/// `min_of`/`max_of`: the extreme of the non-null arguments (null if none).
fn extreme(a: &[Value], want: Ordering) -> Value {
    let mut best: Option<&Value> = None;
    for v in a.iter().filter(|v| !v.is_null()) {
        if best.is_none_or(|b| compare(v, b) == want) {
            best = Some(v);
        }
    }
    best.cloned().unwrap_or(Value::Null)
}

/// `tohex(n[, min_length])`: lowercase hex, negatives in two's complement of
/// the value's own size (32 bits for an `int`, 64 for a `long`: the doc's
/// `tohex(toint(-256), 8)` is `ffffff00`), zero-padded to `min_length`
/// (capped at 16, as the doc says).
fn tohex(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let width = if a.len() > 1 { long(a, 1).unwrap_or(0).clamp(0, 16) as usize } else { 0 };
    if let Value::Int(i) = arg(a, 0) {
        return s(format!("{:0width$x}", *i as u32));
    }
    let Some(n) = long(a, 0) else { return Ok(Value::Null) };
    s(format!("{:0width$x}", n as u64))
}
