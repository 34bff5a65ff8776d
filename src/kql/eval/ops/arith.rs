//! Arithmetic (`+ - * / %`) on numbers, datetimes and timespans.
//! Doc: `numoperators.md`, `datetime-timespan-arithmetic.md`.
//! Integers never panic: `+ - *` wrap as .NET's unchecked arithmetic does,
//! integer `/` and `%` by zero (or `MIN / -1`) are null; datetime/timespan
//! overflow is null; reals follow IEEE (`1.0/0` = `+inf`). `%` of numbers is
//! never negative: `0 <= N % D < abs(D)` (`numerical-operators.md`).

use crate::data::{DataType, Value};
use crate::kql::ast::BinOp;
use crate::kql::eval::convert::{to_decimal, unwrap_dynamic};

use super::compare::dynamic_as;

/// The result type of an arithmetic operator, or why it is not defined.
/// `int` operands widen to `long` (as the Kusto analyzer types `int + int`);
/// a `decimal` operand makes the result `decimal`, even with a `real` (the
/// analyzer types `decimal(1) + 1.0` as decimal).
pub(super) fn arith_type(op: BinOp, a: DataType, b: DataType) -> Result<DataType, String> {
    use DataType::*;
    let num = |t: DataType| t.is_numeric();
    let widen = |x: DataType, y: DataType| {
        if x == Decimal || y == Decimal {
            Decimal
        } else if x == Real || y == Real {
            Real
        } else {
            Long
        }
    };
    let t = match (op, a, b) {
        (_, Dynamic, Dynamic) => Some(Dynamic),
        (_, Dynamic, x) | (_, x, Dynamic) if num(x) => Some(widen(x, x)),
        (BinOp::Add, Dynamic, DateTime) | (BinOp::Add | BinOp::Sub, DateTime, Dynamic) => {
            Some(if op == BinOp::Add { DateTime } else { Timespan })
        }
        (BinOp::Add | BinOp::Sub, Dynamic, Timespan) | (BinOp::Add | BinOp::Sub, Timespan, Dynamic) => Some(Timespan),
        (_, x, y) if num(x) && num(y) => Some(widen(x, y)),
        (BinOp::Add, DateTime, Timespan) | (BinOp::Add, Timespan, DateTime) | (BinOp::Sub, DateTime, Timespan) => {
            Some(DateTime)
        }
        (BinOp::Sub, DateTime, DateTime) => Some(Timespan),
        (BinOp::Add | BinOp::Sub | BinOp::Mod, Timespan, Timespan) => Some(Timespan),
        (BinOp::Div, Timespan, Timespan) => Some(Real),
        (BinOp::Mul | BinOp::Div, Timespan, x) if num(x) => Some(Timespan),
        (BinOp::Mul, x, Timespan) if num(x) => Some(Timespan),
        _ => None,
    };
    t.ok_or_else(|| format!("operator '{}' is not defined for the operand types {a} and {b}", op_text(op)))
}

fn op_text(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        _ => "%",
    }
}

/// `a op b` for an arithmetic operator; null when either side is null or the
/// operation is undefined for the runtime values.
pub(super) fn arith(op: BinOp, a: &Value, b: &Value) -> Value {
    if a.is_null() || b.is_null() {
        return Value::Null;
    }
    match (a, b) {
        (Value::Dynamic(_), Value::Dynamic(_)) => {
            let (x, y) = (unwrap_dynamic(a), unwrap_dynamic(b));
            // Arrays and bags have no arithmetic (and would recurse forever).
            if matches!(x, Value::Dynamic(_)) || matches!(y, Value::Dynamic(_)) {
                return Value::Null;
            }
            let r = arith(op, &x, &y);
            match r {
                Value::Null => Value::Null,
                other => Value::Dynamic(std::sync::Arc::new(crate::data::column::value_to_json(&other))),
            }
        }
        (Value::Dynamic(_), _) => match dynamic_operand(op, a, b) {
            Value::Dynamic(_) => Value::Null,
            x => arith(op, &x, b),
        },
        (_, Value::Dynamic(_)) => match dynamic_operand(op, b, a) {
            Value::Dynamic(_) => Value::Null,
            y => arith(op, a, &y),
        },
        _ => typed(op, a, b),
    }
}

/// The dynamic operand converted for `other`: a datetime minus a dynamic
/// reads it as a datetime, a datetime plus a dynamic as a timespan.
fn dynamic_operand(op: BinOp, dynamic: &Value, other: &Value) -> Value {
    match other {
        Value::DateTime(_) if op == BinOp::Add => dynamic_as(dynamic, &Value::Timespan(0)),
        _ => dynamic_as(dynamic, other),
    }
}

fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(i64::from(*i)),
        Value::Long(i) => Some(*i),
        _ => None,
    }
}

fn real(v: &Value) -> Option<f64> {
    match v {
        Value::Real(f) => Some(*f),
        Value::Decimal(d) => Some(d.to_f64()),
        other => int(other).map(|i| i as f64),
    }
}

fn typed(op: BinOp, a: &Value, b: &Value) -> Value {
    use Value::{DateTime as Dt, Long, Real, Timespan as Ts};
    let ts = |o: Option<i64>| o.map_or(Value::Null, Ts);
    let dt = |o: Option<i64>| o.map_or(Value::Null, Dt);
    match (op, a, b) {
        (_, Value::Decimal(_), _) | (_, _, Value::Decimal(_)) if real(a).is_some() && real(b).is_some() => {
            decimal(op, a, b)
        }
        (_, Real(_), _) | (_, _, Real(_)) if real(a).is_some() && real(b).is_some() => {
            let (x, y) = (real(a).unwrap_or(0.0), real(b).unwrap_or(0.0));
            Real(match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                _ => x.rem_euclid(y),
            })
        }
        (_, Value::Int(_) | Long(_), Value::Int(_) | Long(_)) => {
            let (x, y) = (int(a).unwrap_or(0), int(b).unwrap_or(0));
            match op {
                BinOp::Add => Long(x.wrapping_add(y)),
                BinOp::Sub => Long(x.wrapping_sub(y)),
                BinOp::Mul => Long(x.wrapping_mul(y)),
                BinOp::Div => x.checked_div(y).map_or(Value::Null, Long),
                _ => x.checked_rem_euclid(y).map_or(Value::Null, Long),
            }
        }
        (BinOp::Add, Dt(d), Ts(t)) | (BinOp::Add, Ts(t), Dt(d)) => dt(d.checked_add(*t)),
        (BinOp::Sub, Dt(d), Ts(t)) => dt(d.checked_sub(*t)),
        (BinOp::Sub, Dt(x), Dt(y)) => ts(x.checked_sub(*y)),
        (BinOp::Add, Ts(x), Ts(y)) => ts(x.checked_add(*y)),
        (BinOp::Sub, Ts(x), Ts(y)) => ts(x.checked_sub(*y)),
        (BinOp::Mod, Ts(x), Ts(y)) => ts(x.checked_rem(*y)),
        (BinOp::Div, Ts(x), Ts(y)) => Real(*x as f64 / *y as f64),
        (BinOp::Mul, Ts(t), n) | (BinOp::Mul, n, Ts(t)) => scale(*t, n, false),
        (BinOp::Div, Ts(t), n) => scale(*t, n, true),
        _ => Value::Null,
    }
}

/// Decimal arithmetic: the other operand converts to decimal (a real through
/// its 17 significant digits; NaN or infinity gives null); overflow and
/// division by zero are null.
fn decimal(op: BinOp, a: &Value, b: &Value) -> Value {
    let (Some(x), Some(y)) = (to_decimal(a), to_decimal(b)) else {
        return Value::Null;
    };
    let r = match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::Div => x.checked_div(y),
        _ => x.rem_euclid(y),
    };
    r.map_or(Value::Null, Value::Decimal)
}

/// A timespan multiplied or divided by a number, rounded to whole ticks.
fn scale(ticks: i64, n: &Value, divide: bool) -> Value {
    match (int(n), real(n)) {
        (Some(i), _) if !divide => ticks.checked_mul(i).map_or(Value::Null, Value::Timespan),
        (Some(i), _) => ticks.checked_div(i).map_or(Value::Null, Value::Timespan),
        (None, Some(f)) => {
            let r = if divide { ticks as f64 / f } else { ticks as f64 * f };
            if r.is_finite() && r.abs() < 9.2e18 { Value::Timespan(r.round() as i64) } else { Value::Null }
        }
        _ => Value::Null,
    }
}
