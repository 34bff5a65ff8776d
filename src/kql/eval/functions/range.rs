//! `range(start, stop[, step])` (range-function.md): a dynamic array of
//! equally spaced values from `start` up to and including `stop`. Numbers
//! step by 1 by default; datetimes and timespans by a timespan, `1h` by
//! default. At most 2^20 elements: a longer series is truncated, as in Kusto.

use serde_json::Value as Json;

use super::args::{arg, dynamic, sf};
use super::{FnCtx, ScalarFn};
use crate::data::column::value_to_json;
use crate::data::{DataType, TICKS_PER_SECOND, Value};

/// The most elements `range()` returns (range-function.md).
pub const MAX_RANGE_ELEMENTS: usize = 1 << 20;

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[sf("range", &[], 2, 3, range_type, range)];

fn range_type(t: &[DataType]) -> Result<DataType, String> {
    let num = |t: DataType| t.is_numeric() || t == DataType::Dynamic;
    let time = |t: DataType| matches!(t, DataType::DateTime | DataType::Timespan | DataType::Dynamic);
    let (Some(&start), Some(&stop)) = (t.first(), t.get(1)) else {
        return Err("needs a start and a stop".to_string());
    };
    let step = t.get(2).copied();
    let ok = if num(start) && num(stop) {
        step.is_none_or(num)
    } else if time(start) && (stop == start || stop == DataType::Dynamic || start == DataType::Dynamic) {
        step.is_none_or(|s| matches!(s, DataType::Timespan | DataType::Dynamic))
    } else {
        false
    };
    if ok {
        Ok(DataType::Dynamic)
    } else {
        Err(format!(
            "needs numbers, or datetimes or timespans with a timespan step; found {}",
            t.iter().map(|t| t.name()).collect::<Vec<_>>().join(", ")
        ))
    }
}

/// A dynamic number as the scalar it holds.
fn scalar(v: &Value) -> Value {
    match v {
        Value::Dynamic(j) => match &**j {
            Json::Number(n) => {
                n.as_i64().map(Value::Long).or_else(|| n.as_f64().map(Value::Real)).unwrap_or(Value::Null)
            }
            _ => Value::Null,
        },
        Value::Int(i) => Value::Long(i64::from(*i)),
        other => other.clone(),
    }
}

fn range(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (start, stop) = (scalar(arg(a, 0)), scalar(arg(a, 1)));
    let step = if a.len() > 2 { scalar(arg(a, 2)) } else { default_step(&start) };
    let items = match (&start, &stop, &step) {
        (Value::Long(s), Value::Long(e), Value::Long(d)) => series(*s, *e, *d, Value::Long),
        (Value::DateTime(s), Value::DateTime(e), Value::Timespan(d)) => series(*s, *e, *d, Value::DateTime),
        (Value::Timespan(s), Value::Timespan(e), Value::Timespan(d)) => series(*s, *e, *d, Value::Timespan),
        (s, e, d) => match (real(s), real(e), real(d)) {
            (Some(s), Some(e), Some(d)) => real_series(s, e, d),
            _ => None,
        },
    };
    Ok(match items {
        Some(items) => dynamic(Json::Array(items.iter().map(value_to_json).collect())),
        None => Value::Null,
    })
}

fn default_step(start: &Value) -> Value {
    match start {
        Value::DateTime(_) | Value::Timespan(_) => Value::Timespan(3600 * TICKS_PER_SECOND),
        _ => Value::Long(1),
    }
}

fn real(v: &Value) -> Option<f64> {
    match v {
        Value::Long(i) => Some(*i as f64),
        Value::Real(f) if f.is_finite() => Some(*f),
        _ => None,
    }
}

/// `start, start + step, ...` while not past `stop` (below it for a negative
/// step); `None` (null) for a zero step. Overflow ends the series.
fn series(start: i64, stop: i64, step: i64, make: fn(i64) -> Value) -> Option<Vec<Value>> {
    if step == 0 {
        return None;
    }
    let mut out = Vec::new();
    let mut v = Some(start);
    while let Some(x) = v
        && (if step > 0 { x <= stop } else { x >= stop })
        && out.len() < MAX_RANGE_ELEMENTS
    {
        out.push(make(x));
        v = x.checked_add(step);
    }
    Some(out)
}

fn real_series(start: f64, stop: f64, step: f64) -> Option<Vec<Value>> {
    if step == 0.0 || !step.is_finite() {
        return None;
    }
    // Each element from its index, so rounding does not accumulate.
    let mut out = Vec::new();
    for i in 0..MAX_RANGE_ELEMENTS {
        let x = start + step * i as f64;
        if (step > 0.0 && x > stop) || (step < 0.0 && x < stop) {
            break;
        }
        out.push(Value::Real(x));
    }
    Some(out)
}
