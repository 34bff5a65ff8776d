//! Comparison of values: three-valued predicate comparison (`==`, `<`, ...),
//! the total order used by `sort`/`min`/`max`, and grouping-key equality.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};

use serde_json::Value as Json;

use crate::data::{DataType, Value};
use crate::kql::eval::convert::{
    to_bool, to_datetime, to_decimal, to_long, to_real, to_string, to_timespan, unwrap_dynamic,
};

/// Outcome of comparing two values in a predicate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// One side is null: every comparison is null (kql-semantics.md §7).
    Null,
    /// Both present but not ordered (NaN, arrays, mismatched types):
    /// `==` and the orderings are false, `!=` is true.
    Unordered,
    /// Ordered.
    Ord(Ordering),
}

/// Converts a dynamic value to the type of the value it is compared or
/// combined with (Kusto converts the dynamic side); JSON null → `Null`.
pub(super) fn dynamic_as(dynamic: &Value, target: &Value) -> Value {
    let inner = unwrap_dynamic(dynamic);
    if inner.is_null() {
        return Value::Null;
    }
    let conv = |o: Option<Value>| o.unwrap_or(Value::Null);
    match target {
        Value::Int(_) | Value::Long(_) => match inner {
            Value::Real(_) => inner,
            _ => conv(to_long(&inner).map(Value::Long)),
        },
        Value::Real(_) => conv(to_real(&inner).map(Value::Real)),
        Value::Decimal(_) => match inner {
            Value::Real(_) => inner,
            _ => conv(to_decimal(dynamic).map(Value::Decimal)),
        },
        Value::Bool(_) => conv(to_bool(&inner).map(Value::Bool)),
        Value::DateTime(_) => conv(to_datetime(&inner).map(Value::DateTime)),
        Value::Timespan(_) => conv(to_timespan(&inner).map(Value::Timespan)),
        Value::String(_) => match inner {
            Value::Dynamic(_) | Value::String(_) => inner,
            other => Value::str(&to_string(&other)),
        },
        Value::Null | Value::Dynamic(_) => inner,
    }
}

/// Compares two values for a predicate: numbers across `int`/`long`/`real`,
/// datetimes, timespans, strings (ordinal, byte-exact), bools; a dynamic side
/// is converted to the other side's type (e.g. `AdditionalFields.x == "y"`).
pub fn cmp3(a: &Value, b: &Value) -> Cmp {
    if a.is_null() || b.is_null() {
        return Cmp::Null;
    }
    let (a, b) = match (a, b) {
        (Value::Dynamic(_), Value::Dynamic(_)) => (unwrap_dynamic(a), unwrap_dynamic(b)),
        (Value::Dynamic(_), _) => (dynamic_as(a, b), b.clone()),
        (_, Value::Dynamic(_)) => (a.clone(), dynamic_as(b, a)),
        _ => return scalar_cmp(a, b),
    };
    if a.is_null() || b.is_null() {
        return Cmp::Null;
    }
    scalar_cmp(&a, &b)
}

fn scalar_cmp(a: &Value, b: &Value) -> Cmp {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => Cmp::Ord(x.cmp(y)),
        // `IsSigned == 1`: a bool compares with a number as 0/1 (the analyzer accepts it).
        (Value::Bool(x), Value::Int(_) | Value::Long(_) | Value::Real(_) | Value::Decimal(_)) => {
            scalar_cmp(&Value::Long(i64::from(*x)), b)
        }
        (Value::Int(_) | Value::Long(_) | Value::Real(_) | Value::Decimal(_), Value::Bool(y)) => {
            scalar_cmp(a, &Value::Long(i64::from(*y)))
        }
        (Value::DateTime(x), Value::DateTime(y)) | (Value::Timespan(x), Value::Timespan(y)) => Cmp::Ord(x.cmp(y)),
        (Value::String(x), Value::String(y)) => Cmp::Ord(x.as_bytes().cmp(y.as_bytes())),
        (Value::Dynamic(x), Value::Dynamic(y)) => {
            if x == y {
                Cmp::Ord(Ordering::Equal)
            } else {
                Cmp::Unordered
            }
        }
        _ => match num_cmp(a, b) {
            Some(Some(o)) => Cmp::Ord(o),
            _ => Cmp::Unordered,
        },
    }
}

/// Numeric comparison across widths, exact for `long` vs `real`.
/// `None`: not both numbers; `Some(None)`: a NaN is involved.
fn num_cmp(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    let int = |v: &Value| match v {
        Value::Int(i) => Some(i64::from(*i)),
        Value::Long(i) => Some(*i),
        _ => None,
    };
    match (a, b) {
        (Value::Decimal(_), _) | (_, Value::Decimal(_)) => decimal_cmp(a, b),
        (Value::Real(x), Value::Real(y)) => Some(x.partial_cmp(y)),
        (Value::Real(x), _) => int(b).map(|y| long_real_cmp(y, *x).map(Ordering::reverse)),
        (_, Value::Real(y)) => int(a).map(|x| long_real_cmp(x, *y)),
        _ => Some(Some(int(a)?.cmp(&int(b)?))),
    }
}

/// A decimal compared with a number: integers exactly, a real as the decimal
/// Kusto converts it to (NaN unordered, ±infinity beyond every decimal).
fn decimal_cmp(a: &Value, b: &Value) -> Option<Option<Ordering>> {
    let dec = |v: &Value| match v {
        Value::Decimal(d) => Some(Ok(*d)),
        Value::Int(_) | Value::Long(_) => to_decimal(v).map(Ok),
        Value::Real(f) if f.is_nan() => Some(Err(None)),
        Value::Real(f) => Some(crate::data::Decimal::from_f64(*f).ok_or(Some(*f))),
        _ => None,
    };
    Some(match (dec(a)?, dec(b)?) {
        (Ok(x), Ok(y)) => Some(x.cmp(&y)),
        (Err(None), _) | (_, Err(None)) => None,
        // A real too large for a decimal (±inf, 1e300): its sign decides.
        (Err(Some(f)), _) => Some(if f > 0.0 { Ordering::Greater } else { Ordering::Less }),
        (_, Err(Some(f))) => Some(if f > 0.0 { Ordering::Less } else { Ordering::Greater }),
    })
}

/// `i` compared with `f` without rounding `i` to f64.
fn long_real_cmp(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if f >= 9_223_372_036_854_775_808.0 {
        return Some(Ordering::Less);
    }
    if f < -9_223_372_036_854_775_808.0 {
        return Some(Ordering::Greater);
    }
    let t = f.trunc();
    Some(i.cmp(&(t as i64)).then_with(|| 0.0f64.partial_cmp(&(f - t)).unwrap_or(Ordering::Equal)))
}

/// Rank of a value's kind in the total order (numbers share one rank).
fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Int(_) | Value::Long(_) | Value::Real(_) | Value::Decimal(_) => 2,
        Value::DateTime(_) => 3,
        Value::Timespan(_) => 4,
        Value::String(_) => 5,
        Value::Dynamic(_) => 6,
    }
}

/// Total order for `sort`, `top`, `min`/`max`: nulls equal each other and
/// sort first (callers place them per `nulls first/last`); numbers compare
/// across `int`/`long`/`real` with NaN above every number; strings are
/// ordinal (UTF-8 byte order, which is code point order); dynamic scalars
/// compare as the value they hold, arrays/objects by their JSON text.
pub fn compare(a: &Value, b: &Value) -> Ordering {
    let (a, b) = (norm(a), norm(b));
    let (ra, rb) = (rank(&a), rank(&b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    match (&a, &b) {
        (Value::Dynamic(x), Value::Dynamic(y)) => x.to_string().cmp(&y.to_string()),
        _ => match scalar_cmp(&a, &b) {
            Cmp::Ord(o) => o,
            _ => {
                let nan = |v: &Value| matches!(v, Value::Real(f) if f.is_nan());
                nan(&a).cmp(&nan(&b))
            }
        },
    }
}

/// A dynamic scalar unwrapped; JSON null becomes `Null`.
fn norm(v: &Value) -> Value {
    match v {
        Value::Dynamic(_) => unwrap_dynamic(v),
        _ => v.clone(),
    }
}

/// Grouping equality for `summarize by`, `distinct`, join keys: like `==` but
/// null keys are equal to each other (and NaN to NaN); strings byte-exact.
/// Consistent with [`key_hash`].
pub fn key_eq(a: &Value, b: &Value) -> bool {
    let (a, b) = (norm(a), norm(b));
    rank(&a) == rank(&b) && compare(&a, &b) == Ordering::Equal
}

/// Hashes a grouping key consistently with [`key_eq`]: numbers of equal value
/// hash alike whatever their width (`1`, `int(1)`, `1.0`, `dynamic(1)`).
pub fn key_hash<H: Hasher>(v: &Value, state: &mut H) {
    let v = norm(v);
    rank(&v).hash(state);
    match &v {
        Value::Null => {}
        Value::Bool(b) => b.hash(state),
        Value::Int(i) => i64::from(*i).hash(state),
        Value::Long(i) => i.hash(state),
        Value::Real(f) => match real_as_long(*f) {
            Some(i) => i.hash(state),
            None if f.is_nan() => u64::MAX.hash(state),
            None => f.to_bits().hash(state),
        },
        // As the real or long it equals, so `decimal(1.5)` meets `1.5`.
        Value::Decimal(d) => match d.is_integer().then(|| d.trunc_i64()).flatten() {
            Some(i) => i.hash(state),
            None => {
                let f = d.to_f64();
                match real_as_long(f) {
                    Some(i) => i.hash(state),
                    None => f.to_bits().hash(state),
                }
            }
        },
        Value::DateTime(t) | Value::Timespan(t) => t.hash(state),
        Value::String(s) => s.hash(state),
        Value::Dynamic(j) => j.to_string().hash(state),
    }
}

fn real_as_long(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && (-9.2e18..9.2e18).contains(&f)).then_some(f as i64)
}

/// The type a comparison of `a` with `b` is defined for, or why not
/// (per the Kusto analyzer: `<` is not defined for strings, `has` only on strings).
pub(super) fn comparable(a: DataType, b: DataType, ordering: bool) -> Result<(), String> {
    use DataType::*;
    let ok = match (a, b) {
        (Dynamic, _) | (_, Dynamic) => true,
        (x, y) if x.is_numeric() && y.is_numeric() => true,
        (Bool, Bool) | (DateTime, DateTime) | (Timespan, Timespan) => true,
        (Bool, x) | (x, Bool) if x.is_numeric() => !ordering,
        (x, y) if x.is_text() && y.is_text() => !ordering,
        _ => false,
    };
    if ok { Ok(()) } else { Err(format!("operator not defined for the operand types {a} and {b}")) }
}

/// JSON equality used by `set_has_element` and friends: numbers by value
/// (so `1` equals `1.0`), everything else structurally.
pub fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            (Some(i), None) => y.as_f64().and_then(|f| long_real_cmp(i, f)) == Some(Ordering::Equal),
            (None, Some(j)) => x.as_f64().and_then(|f| long_real_cmp(j, f)) == Some(Ordering::Equal),
            (None, None) => x.as_f64() == y.as_f64(),
        },
        _ => a == b,
    }
}
