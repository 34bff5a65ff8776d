//! Conditionals and null tests: `iff`/`iif`, `case`, `coalesce`, `not`,
//! `isnull`, `isnotnull`, `isempty`, `isnotempty`, `isnan`, `isinf`,
//! `isfinite`, `gettype`, `around`. Doc: `ifffunction.md`, `casefunction.md`,
//! `coalescefunction.md`, `isnullfunction.md`, `isemptyfunction.md`, `gettypefunction.md`.

use serde_json::Value as Json;

use super::args::{Kind, arg, check, sf};
use super::convert::coerce;
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};
use crate::kql::ast::BinOp;
use crate::kql::eval::ops::{between, binary, truth};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("iff", &["iif"], 3, 3, iff_type, iff),
    sf("around", &[], 3, 3, |t| check(t, &[Kind::Any], DataType::Bool), around),
    sf("case", &[], 3, usize::MAX, case_type, case),
    sf("coalesce", &[], 1, 64, unify, coalesce),
    sf(
        "not",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Bool], DataType::Bool),
        |a, _| Ok(truth(arg(a, 0)).map_or(Value::Null, |b| Value::Bool(!b))),
    ),
    sf("isnull", &[], 1, 1, bool_of_any, |a, _| Ok(Value::Bool(arg(a, 0).is_null()))),
    sf("isnotnull", &["notnull"], 1, 1, bool_of_any, |a, _| Ok(Value::Bool(!arg(a, 0).is_null()))),
    sf("isempty", &[], 1, 1, bool_of_any, |a, _| Ok(Value::Bool(is_empty(arg(a, 0))))),
    sf("isnotempty", &["notempty"], 1, 1, bool_of_any, |a, _| Ok(Value::Bool(!is_empty(arg(a, 0))))),
    sf("isnan", &[], 1, 1, bool_of_num, |a, _| Ok(real_test(arg(a, 0), f64::is_nan))),
    sf("isinf", &[], 1, 1, bool_of_num, |a, _| Ok(real_test(arg(a, 0), f64::is_infinite))),
    sf("isfinite", &[], 1, 1, bool_of_num, |a, _| Ok(real_test(arg(a, 0), f64::is_finite))),
    sf("gettype", &[], 1, 1, |_| Ok(DataType::String), |a, _| Ok(Value::str(gettype(arg(a, 0))))),
];

fn bool_of_any(_: &[DataType]) -> Result<DataType, String> {
    Ok(DataType::Bool)
}

fn bool_of_num(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Num], DataType::Bool)
}

/// The common type of branch values: equal types, numbers widened
/// (`int`/`long` → `long`, any `decimal` → `decimal`, else any `real` →
/// `real`, as the analyzer types `iff(c, 1.0, decimal(1))`), `dynamic` taking the other
/// branch's type (as the Kusto analyzer types `iff(c, "a", dynamic(1))`).
pub(super) fn unify(types: &[DataType]) -> Result<DataType, String> {
    let mut acc: Option<DataType> = None;
    for &t in types {
        acc = Some(match acc {
            None => t,
            Some(a) if a == t => a,
            Some(DataType::Dynamic) => t,
            Some(a) if t == DataType::Dynamic => a,
            Some(a) if a.is_numeric() && t.is_numeric() => {
                if a == DataType::Decimal || t == DataType::Decimal {
                    DataType::Decimal
                } else if a == DataType::Real || t == DataType::Real {
                    DataType::Real
                } else {
                    DataType::Long
                }
            }
            Some(a) if a.is_text() && t.is_text() => DataType::String,
            Some(a) => return Err(format!("branches have different types: {a} and {t}")),
        });
    }
    acc.ok_or_else(|| "no values".to_string())
}

fn iff_type(t: &[DataType]) -> Result<DataType, String> {
    check(t.get(..1).unwrap_or_default(), &[Kind::Bool], DataType::Bool)?;
    unify(t.get(1..).unwrap_or_default())
}

/// `iff(p, a, b)`: `a` when `p` is true, else `b` (a null `p` picks `b`).
fn iff(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let branches = a.get(1..).unwrap_or_default();
    let chosen = if truth(arg(a, 0)) == Some(true) { arg(branches, 0) } else { arg(branches, 1) };
    Ok(widen_like(chosen, branches))
}

/// `chosen` coerced to the common type of `candidates` when their runtime
/// types differ (e.g. `iff(c, 1, 2.5)` gives `1.0`).
fn widen_like(chosen: &Value, candidates: &[Value]) -> Value {
    let types: Vec<DataType> = candidates.iter().filter_map(Value::data_type).collect();
    match (chosen.data_type(), unify(&types)) {
        (Some(have), Ok(want)) if have != want && want != DataType::Dynamic => coerce(chosen, want),
        _ => chosen.clone(),
    }
}

fn case_type(t: &[DataType]) -> Result<DataType, String> {
    if t.len().is_multiple_of(2) {
        return Err("case() needs predicate/value pairs and an else value".into());
    }
    for (i, p) in t.iter().enumerate().step_by(2).take(t.len() / 2) {
        if *p != DataType::Bool && *p != DataType::Dynamic {
            return Err(format!("argument {} of case() must be bool, not {p}", i + 1));
        }
    }
    let values: Vec<DataType> = t.iter().skip(1).step_by(2).copied().chain(t.last().copied()).collect();
    unify(&values)
}

/// `case(p1, v1, p2, v2, ..., else)`: the value of the first true predicate.
fn case(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let values: Vec<Value> = a.iter().skip(1).step_by(2).cloned().chain(a.last().cloned()).collect();
    let pairs = a.len() / 2;
    let idx = (0..pairs).find(|&i| truth(&a[2 * i]) == Some(true)).unwrap_or(pairs);
    Ok(widen_like(arg(&values, idx), &values))
}

/// `coalesce(...)`: the first argument that is not null (not empty, for strings).
fn coalesce(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let found = a.iter().find(|v| !is_empty(v)).or(a.last()).cloned().unwrap_or(Value::Null);
    Ok(widen_like(&found, a))
}

/// `isempty`: null, `""`, or a dynamic null/empty string (kql-semantics.md §7).
pub(super) fn is_empty(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Dynamic(j) => matches!(&**j, Json::Null) || j.as_str() == Some(""),
        other => other.is_null(),
    }
}

fn real_test(v: &Value, f: fn(f64) -> bool) -> Value {
    match super::convert::to_real(v) {
        Some(x) => Value::Bool(f(x)),
        None => Value::Null,
    }
}

/// `gettype`: the type name, with dynamic values named by what they hold
/// (`array`, `dictionary`, `string`, `long`, `real`, `bool`, `null`).
fn gettype(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Dynamic(j) => match &**j {
            Json::Null => "null",
            Json::Bool(_) => "bool",
            Json::Number(n) if n.is_i64() => "long",
            Json::Number(_) => "real",
            Json::String(_) => "string",
            Json::Array(_) => "array",
            Json::Object(_) => "dictionary",
        },
        other => other.data_type().map_or("null", |t| match t {
            DataType::Long => "long",
            DataType::Int => "int",
            t => t.name(),
        }),
    }
}

/// `around(value, center, delta)`: `value` lies in `[center - delta, center +
/// delta]`, both ends included; null when any argument is null
/// (around-function.md). Numbers, datetimes (with a timespan delta) and
/// timespans combine as `-`/`+` and `between` do.
fn around(a: &[Value], c: &FnCtx) -> Result<Value, String> {
    if a.iter().any(Value::is_null) {
        return Ok(Value::Null);
    }
    let low = binary(BinOp::Sub, arg(a, 1), arg(a, 2), &c.regexes)?;
    let high = binary(BinOp::Add, arg(a, 1), arg(a, 2), &c.regexes)?;
    Ok(between(arg(a, 0), &low, &high))
}
