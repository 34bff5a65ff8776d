//! Element-wise series functions: arithmetic (`series_add`, `_subtract`,
//! `_multiply`, `_divide`, `_pow`), comparisons (`series_greater`, ...,
//! `_equals`, `_not_equals`) and math (`series_abs`, `_ceiling`, `_exp`,
//! `_log`, `_sign`, the trigonometric ones). A numeric scalar argument is
//! used for every element (as series-dot-product-function.md documents for
//! scalars); arrays of different lengths give null past the shorter one.

use serde_json::Value as Json;

use super::super::ScalarFn;
use super::super::args::{Kind, arg, check, dynamic, sf};
use super::super::convert::to_real;
use super::{array, real_json, reals_value};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("series_add", &[], 2, 2, two, |a, _| Ok(arith(a, i64::checked_add, |x, y| x + y))),
    sf("series_subtract", &[], 2, 2, two, |a, _| Ok(arith(a, i64::checked_sub, |x, y| x - y))),
    sf("series_multiply", &[], 2, 2, two, |a, _| Ok(arith(a, i64::checked_mul, |x, y| x * y))),
    sf("series_divide", &[], 2, 2, two, |a, _| Ok(real2(a, |x, y| x / y))),
    sf("series_pow", &[], 2, 2, two, |a, _| Ok(real2(a, f64::powf))),
    sf("series_greater", &[], 2, 2, two, |a, _| Ok(compare(a, |x, y| x > y))),
    sf("series_greater_equals", &[], 2, 2, two, |a, _| Ok(compare(a, |x, y| x >= y))),
    sf("series_less", &[], 2, 2, two, |a, _| Ok(compare(a, |x, y| x < y))),
    sf("series_less_equals", &[], 2, 2, two, |a, _| Ok(compare(a, |x, y| x <= y))),
    sf("series_equals", &[], 2, 2, two, |a, _| Ok(compare(a, |x, y| x == y))),
    sf("series_not_equals", &[], 2, 2, two, |a, _| Ok(compare(a, |x, y| x != y))),
    sf("series_abs", &[], 1, 1, one, |a, _| Ok(same_type(a, i64::checked_abs, f64::abs))),
    sf("series_sign", &[], 1, 1, one, |a, _| Ok(same_type(a, |i| Some(i.signum()), sign))),
    sf("series_ceiling", &[], 1, 1, one, |a, _| Ok(real1(a, f64::ceil))),
    sf("series_floor", &[], 1, 1, one, |a, _| Ok(real1(a, f64::floor))),
    sf("series_exp", &[], 1, 1, one, |a, _| Ok(real1(a, f64::exp))),
    sf("series_log", &[], 1, 1, one, |a, _| Ok(real1(a, f64::ln))),
    sf("series_sin", &[], 1, 1, one, |a, _| Ok(real1(a, f64::sin))),
    sf("series_cos", &[], 1, 1, one, |a, _| Ok(real1(a, f64::cos))),
    sf("series_tan", &[], 1, 1, one, |a, _| Ok(real1(a, f64::tan))),
    sf("series_asin", &[], 1, 1, one, |a, _| Ok(real1(a, f64::asin))),
    sf("series_acos", &[], 1, 1, one, |a, _| Ok(real1(a, f64::acos))),
    sf("series_atan", &[], 1, 1, one, |a, _| Ok(real1(a, f64::atan))),
];

fn one(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Dyn], DataType::Dynamic)
}

fn two(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Any, Kind::Any], DataType::Dynamic)
}

/// `sign` of a real: -1, 0 or 1 (0 for NaN).
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// One operand: an array, or a scalar used for every element.
enum Operand<'a> {
    Array(&'a [Json]),
    Scalar(Json),
}

impl Operand<'_> {
    fn of(v: &Value) -> Option<Operand<'_>> {
        match v {
            Value::Dynamic(j) => match j.as_array() {
                Some(a) => Some(Operand::Array(a)),
                None => j.is_number().then(|| Operand::Scalar((**j).clone())),
            },
            Value::Int(i) => Some(Operand::Scalar(Json::from(*i))),
            Value::Long(i) => Some(Operand::Scalar(Json::from(*i))),
            other => to_real(other)
                .filter(|_| other.data_type().is_some_and(DataType::is_numeric))
                .map(|x| Operand::Scalar(real_json(x))),
        }
    }

    fn len(&self) -> Option<usize> {
        match self {
            Operand::Array(a) => Some(a.len()),
            Operand::Scalar(_) => None,
        }
    }

    fn get(&self, i: usize) -> &Json {
        const NULL: Json = Json::Null;
        match self {
            Operand::Array(a) => a.get(i).unwrap_or(&NULL),
            Operand::Scalar(x) => x,
        }
    }
}

/// Pairs up two operands element by element; null when either is not a
/// series or a number, or when both are scalars.
fn pairwise(a: &[Value], f: impl Fn(&Json, &Json) -> Json) -> Value {
    let (Some(x), Some(y)) = (Operand::of(arg(a, 0)), Operand::of(arg(a, 1))) else { return Value::Null };
    let n = match (x.len(), y.len()) {
        (Some(m), Some(n)) => m.max(n),
        (Some(n), None) | (None, Some(n)) => n,
        (None, None) => return Value::Null,
    };
    dynamic(Json::Array((0..n).map(|i| f(x.get(i), y.get(i))).collect()))
}

/// `+ - *`: integers stay integers (a real on overflow), otherwise reals.
fn arith(a: &[Value], int: fn(i64, i64) -> Option<i64>, real: fn(f64, f64) -> f64) -> Value {
    pairwise(a, |x, y| match (x.as_i64(), y.as_i64(), x.as_f64(), y.as_f64()) {
        (Some(i), Some(j), ..) => int(i, j).map_or_else(|| real_json(real(i as f64, j as f64)), Json::from),
        (_, _, Some(p), Some(q)) => real_json(real(p, q)),
        _ => Json::Null,
    })
}

/// An operation whose result is always a real.
fn real2(a: &[Value], f: fn(f64, f64) -> f64) -> Value {
    pairwise(a, |x, y| match (x.as_f64(), y.as_f64()) {
        (Some(p), Some(q)) => real_json(f(p, q)),
        _ => Json::Null,
    })
}

/// A comparison: a bool per element.
fn compare(a: &[Value], f: fn(f64, f64) -> bool) -> Value {
    pairwise(a, |x, y| match (x.as_f64(), y.as_f64()) {
        (Some(p), Some(q)) => Json::Bool(f(p, q)),
        _ => Json::Null,
    })
}

/// A function of one element whose result is a real.
fn real1(a: &[Value], f: fn(f64) -> f64) -> Value {
    match array(arg(a, 0)) {
        Some(xs) => reals_value(xs.iter().map(|x| x.as_f64().map(f))),
        None => Value::Null,
    }
}

/// A function that keeps integers integers (`abs`, `sign`).
fn same_type(a: &[Value], int: fn(i64) -> Option<i64>, real: fn(f64) -> f64) -> Value {
    match array(arg(a, 0)) {
        Some(xs) => dynamic(Json::Array(
            xs.iter()
                .map(|x| match (x.as_i64(), x.as_f64()) {
                    (Some(i), _) => int(i).map_or(Json::Null, Json::from),
                    (None, Some(f)) => real_json(real(f)),
                    _ => Json::Null,
                })
                .collect(),
        )),
        None => Value::Null,
    }
}
