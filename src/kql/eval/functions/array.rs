//! Array functions: `array_sort_asc`/`desc`, `array_reverse`,
//! `array_rotate_left`/`right`, `array_shift_left`/`right`, `array_split`,
//! `array_sum`, `array_iff`, `strcat_array`, `zip`, `repeat`,
//! `jaccard_index`. A first argument that is not an array gives null, as each
//! function's page says.

use std::cmp::Ordering;

use serde_json::Value as Json;

use super::args::{Kind, arg, check, dynamic, long, sf, text};
use super::convert::to_string;
use super::{FnCtx, ScalarFn};
use crate::data::column::value_to_json;
use crate::data::{DataType, Value};
use crate::kql::eval::ops::json_eq;

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("array_iff", &["array_iif"], 3, 3, |_| Ok(DataType::Dynamic), array_iff),
    sf("array_reverse", &[], 1, 1, dyn_ret, |a, _| Ok(map_array(a, |x| x.iter().rev().cloned().collect()))),
    sf("array_rotate_left", &[], 2, 2, dyn_int, |a, _| Ok(rotate(a, true))),
    sf("array_rotate_right", &[], 2, 2, dyn_int, |a, _| Ok(rotate(a, false))),
    sf("array_shift_left", &[], 2, 3, dyn_int, |a, _| Ok(shift(a, true))),
    sf("array_shift_right", &[], 2, 3, dyn_int, |a, _| Ok(shift(a, false))),
    sf("array_sort_asc", &[], 1, 64, sort_type, |a, _| Ok(sort(a, false))),
    sf("array_sort_desc", &[], 1, 64, sort_type, |a, _| Ok(sort(a, true))),
    sf("array_split", &[], 2, 2, |t| check(t, &[Kind::Dyn, Kind::Any], DataType::Dynamic), array_split),
    sf("repeat", &[], 2, 2, |t| check(t, &[Kind::Any, Kind::Integer], DataType::Dynamic), repeat),
    sf("array_sum", &[], 1, 1, |t| check(t, &[Kind::Dyn], DataType::Real), |a, _| Ok(array_sum(arg(a, 0)))),
    sf("jaccard_index", &[], 2, 2, |t| check(t, &[Kind::Dyn], DataType::Dynamic), jaccard_index),
    sf("strcat_array", &[], 2, 2, |t| check(t, &[Kind::Dyn, Kind::Text], DataType::String), strcat_array),
    sf("zip", &[], 2, 16, |t| check(t, &[Kind::Dyn], DataType::Dynamic), zip),
];

fn dyn_ret(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Dyn], DataType::Dynamic)
}

fn dyn_int(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Dyn, Kind::Integer, Kind::Any], DataType::Dynamic)
}

/// Arrays and an optional trailing `nulls_last` bool.
fn sort_type(t: &[DataType]) -> Result<DataType, String> {
    let arrays = t.iter().take_while(|t| **t == DataType::Dynamic).count().max(1).min(t.len());
    check(&t[..arrays], &[Kind::Dyn], DataType::Dynamic)?;
    match &t[arrays..] {
        [] => Ok(DataType::Dynamic),
        [last] => check(&[*last], &[Kind::Bool], DataType::Dynamic),
        _ => Err("only the last argument may be nulls_last".into()),
    }
}

fn array(v: &Value) -> Option<&Vec<Json>> {
    match v {
        Value::Dynamic(j) => j.as_array(),
        _ => None,
    }
}

fn map_array(a: &[Value], f: impl Fn(&[Json]) -> Vec<Json>) -> Value {
    array(arg(a, 0)).map_or(Value::Null, |x| dynamic(Json::Array(f(x))))
}

/// `array_rotate_left(arr, n)`: elements move `n` places left (right when
/// negative), wrapping around (array-rotate-left-function.md).
fn rotate(a: &[Value], left: bool) -> Value {
    let Some(n) = long(a, 1) else { return Value::Null };
    map_array(a, |x| {
        let mut v = x.to_vec();
        if !v.is_empty() {
            let k = (if left { n } else { n.saturating_neg() }).rem_euclid(v.len() as i64) as usize;
            v.rotate_left(k);
        }
        v
    })
}

/// `array_shift_left(arr, n[, fill])`: elements move `n` places left (right
/// when negative); vacated places get `fill` or null (array-shift-left-function.md).
fn shift(a: &[Value], left: bool) -> Value {
    let Some(n) = long(a, 1) else { return Value::Null };
    let fill = if a.len() > 2 { value_to_json(arg(a, 2)) } else { Json::Null };
    map_array(a, |x| {
        let len = x.len() as i64;
        let by = if left { n } else { n.saturating_neg() };
        (0..len)
            .map(|i| {
                let src = i.saturating_add(by);
                if (0..len).contains(&src) { x[src as usize].clone() } else { fill.clone() }
            })
            .collect()
    })
}

/// The rank of an element's kind in a sorted array (array-sort-asc-function.md):
/// numbers first, then strings, then everything else.
fn kind_rank(j: &Json) -> u8 {
    match j {
        Json::Number(_) | Json::Bool(_) => 0,
        Json::String(_) => 1,
        _ => 2,
    }
}

fn elem_cmp(x: &Json, y: &Json) -> Ordering {
    kind_rank(x).cmp(&kind_rank(y)).then_with(|| match (x, y) {
        (Json::String(a), Json::String(b)) => a.cmp(b),
        _ => {
            let num = |j: &Json| j.as_f64().or_else(|| j.as_bool().map(f64::from)).unwrap_or(0.0);
            num(x).total_cmp(&num(y))
        }
    })
}

/// `array_sort_asc(arr1 [, arr2, ...] [, nulls_last])` / `array_sort_desc`:
/// nulls go last unless `nulls_last` is false. With several arrays, all are
/// reordered as the first one sorts, and the result is the list of them
/// (which `extend`/`project` split into columns, `arr1_sorted, ...`); null
/// when their lengths differ (array-sort-asc-function.md).
fn sort(a: &[Value], desc: bool) -> Value {
    let arrays = a.iter().take_while(|v| matches!(v, Value::Dynamic(_))).count().max(1);
    let nulls_last = match a.get(arrays) {
        Some(Value::Bool(b)) => *b,
        Some(Value::Null) => return Value::Null,
        _ => true,
    };
    let Some(first) = array(arg(a, 0)) else { return Value::Null };
    let (mut nulls, mut order): (Vec<usize>, Vec<usize>) = (0..first.len()).partition(|&i| first[i].is_null());
    order.sort_by(|&p, &q| if desc { elem_cmp(&first[q], &first[p]) } else { elem_cmp(&first[p], &first[q]) });
    if nulls_last {
        order.append(&mut nulls);
    } else {
        nulls.append(&mut order);
        order = nulls;
    }
    let reorder = |x: &[Json]| Json::Array(order.iter().map(|&i| x[i].clone()).collect());
    if arrays == 1 {
        return dynamic(reorder(first));
    }
    let mut out = Vec::with_capacity(arrays);
    for v in &a[..arrays] {
        match array(v) {
            Some(x) if x.len() == first.len() => out.push(reorder(x)),
            _ => return Value::Null,
        }
    }
    dynamic(Json::Array(out))
}

/// `array_split(arr, index | [indexes])`: the pieces between the split
/// points; negative indexes count from the end, out-of-range ones clamp.
fn array_split(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(x) = array(arg(a, 0)) else { return Ok(Value::Null) };
    let n = x.len() as i64;
    let points: Vec<i64> = match arg(a, 1) {
        Value::Dynamic(j) => match &**j {
            Json::Array(items) => items.iter().filter_map(Json::as_i64).collect(),
            other => other.as_i64().into_iter().collect(),
        },
        _ => long(a, 1).into_iter().collect(),
    };
    let mut cuts: Vec<usize> =
        points.iter().map(|&p| (if p < 0 { n.saturating_add(p) } else { p }).clamp(0, n) as usize).collect();
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for c in cuts {
        out.push(Json::Array(x[start..c.max(start)].to_vec()));
        start = c.max(start);
    }
    out.push(Json::Array(x[start..].to_vec()));
    Ok(dynamic(Json::Array(out)))
}

/// `array_sum(arr)`: a real; null when an element is not a number.
fn array_sum(v: &Value) -> Value {
    let Some(x) = array(v) else { return Value::Null };
    x.iter().map(Json::as_f64).sum::<Option<f64>>().map_or(Value::Null, Value::Real)
}

/// `array_iff(conditions, when_true, when_false)`: element-wise choice; a
/// scalar branch applies to every element, a missing element is null, and
/// a condition that is neither bool nor number gives null (array-iff-function.md).
fn array_iff(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(cond) = array(arg(a, 0)) else { return Ok(Value::Null) };
    let pick = |v: &Value, i: usize| match array(v) {
        Some(items) => items.get(i).cloned().unwrap_or(Json::Null),
        None => value_to_json(v),
    };
    let out = cond
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let truth = match c {
                Json::Bool(b) => Some(*b),
                Json::Number(n) => n.as_f64().map(|f| f != 0.0),
                _ => None,
            };
            match truth {
                Some(true) => pick(arg(a, 1), i),
                Some(false) => pick(arg(a, 2), i),
                None => Json::Null,
            }
        })
        .collect();
    Ok(dynamic(Json::Array(out)))
}

/// `strcat_array(arr, delimiter)`: the elements as text (strings unquoted), joined.
fn strcat_array(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(x) = array(arg(a, 0)) else { return Ok(Value::str("")) };
    let delim = text(a, 1);
    let parts: Vec<String> = x
        .iter()
        .map(|j| match j {
            Json::String(s) => s.clone(),
            Json::Null => String::new(),
            other => to_string(&dynamic(other.clone())),
        })
        .collect();
    Ok(Value::str(&parts.join(&delim)))
}

/// The most elements `repeat` builds: the largest `make_list` (a bound of
/// ours; the page gives none).
const MAX_REPEAT: i64 = 1_048_576;

/// `repeat(value, count)` (repeat-function.md): `count` copies of `value`; an
/// empty array for 0, null for a negative or null count.
fn repeat(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(n) = long(a, 1) else { return Ok(Value::Null) };
    if n < 0 {
        return Ok(Value::Null);
    }
    if n > MAX_REPEAT {
        return Err(format!("repeat(): count {n} is above the limit of {MAX_REPEAT} elements"));
    }
    let item = value_to_json(arg(a, 0));
    Ok(dynamic(Json::Array(vec![item; n as usize])))
}

/// `zip(arr1, arr2, ...)`: an array of tuples, as long as the longest array,
/// shorter arrays padded with null.
fn zip(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(arrays) = a.iter().map(array).collect::<Option<Vec<_>>>() else { return Ok(Value::Null) };
    let n = arrays.iter().map(|x| x.len()).max().unwrap_or(0);
    let out =
        (0..n).map(|i| Json::Array(arrays.iter().map(|x| x.get(i).cloned().unwrap_or(Json::Null)).collect())).collect();
    Ok(dynamic(Json::Array(out)))
}

/// `jaccard_index(set1, set2)`: distinct common elements over distinct
/// elements of either (jaccard-index-function.md); typed dynamic, as
/// Microsoft's analyzer types it.
fn jaccard_index(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(x), Some(y)) = (array(arg(a, 0)), array(arg(a, 1))) else { return Ok(Value::Null) };
    let mut union: Vec<&Json> = Vec::new();
    for v in x.iter().chain(y) {
        if !union.iter().any(|u| json_eq(u, v)) {
            union.push(v);
        }
    }
    let common = union.iter().filter(|u| x.iter().any(|v| json_eq(v, u)) && y.iter().any(|v| json_eq(v, u))).count();
    Ok(dynamic(Json::from(common as f64 / union.len() as f64)))
}
