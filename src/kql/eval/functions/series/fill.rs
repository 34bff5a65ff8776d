//! Missing-value filling: `series_fill_forward`, `series_fill_backward`,
//! `series_fill_const` and `series_fill_linear`. An element is missing when
//! it equals the placeholder (null by default: `double(null)`,
//! `long(null)` and `int(null)` mean the same). Filled arrays keep their
//! elements' types, as the doc pages say.

use serde_json::Value as Json;

use super::super::args::{Kind, arg, check, dynamic, sf};
use super::super::convert::to_real;
use super::super::{FnCtx, ScalarFn};
use super::{array, real_json};
use crate::data::column::value_to_json;
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("series_fill_forward", &[], 1, 2, dyn_any, |a, _| Ok(carry(a, 1, false))),
    sf("series_fill_backward", &[], 1, 2, dyn_any, |a, _| Ok(carry(a, 1, true))),
    sf("series_fill_const", &[], 2, 3, dyn_any, fill_const),
    sf(
        "series_fill_linear",
        &[],
        1,
        4,
        |t| check(t, &[Kind::Dyn, Kind::Any, Kind::Bool, Kind::Any], DataType::Dynamic),
        fill_linear,
    ),
];

fn dyn_any(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Dyn, Kind::Any], DataType::Dynamic)
}

/// Which elements are missing: those equal to the placeholder argument `i`.
fn missing(a: &[Value], i: usize, xs: &[Json]) -> Vec<bool> {
    let placeholder = to_real(arg(a, i));
    xs.iter()
        .map(|x| match placeholder {
            None => x.is_null(),
            Some(p) => x.as_f64() == Some(p),
        })
        .collect()
}

/// Forward (or backward) fill: a missing element takes the nearest earlier
/// (later) present one; leading (trailing) ones stay.
fn carry(a: &[Value], placeholder: usize, backward: bool) -> Value {
    let Some(xs) = array(arg(a, 0)) else { return Value::Null };
    let miss = missing(a, placeholder, xs);
    let mut out = xs.clone();
    let mut last: Option<Json> = None;
    let order: Box<dyn Iterator<Item = usize>> =
        if backward { Box::new((0..xs.len()).rev()) } else { Box::new(0..xs.len()) };
    for i in order {
        if miss[i] {
            if let Some(v) = &last {
                out[i] = v.clone();
            }
        } else {
            last = Some(xs[i].clone());
        }
    }
    dynamic(Json::Array(out))
}

/// `series_fill_const(s, c[, placeholder])`.
fn fill_const(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(xs) = array(arg(a, 0)) else { return Ok(Value::Null) };
    let c = value_to_json(&super::super::convert::unwrap_dynamic(arg(a, 1)));
    let miss = missing(a, 2, xs);
    Ok(dynamic(Json::Array(xs.iter().zip(miss).map(|(x, m)| if m { c.clone() } else { x.clone() }).collect())))
}

/// `series_fill_linear(s[, placeholder[, fill_edges[, constant]]])`: gaps
/// are interpolated between their neighbours (truncated toward zero when
/// every present element is an integer, as the documented example shows),
/// edges take the nearest value unless `fill_edges` is false, and a series
/// with no value at all is filled with `constant` (0 by default).
fn fill_linear(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(xs) = array(arg(a, 0)) else { return Ok(Value::Null) };
    let miss = missing(a, 1, xs);
    let edges = !matches!(arg(a, 2), Value::Bool(false));
    let present: Vec<(usize, f64)> =
        (0..xs.len()).filter(|&i| !miss[i]).filter_map(|i| xs[i].as_f64().map(|v| (i, v))).collect();
    if present.is_empty() {
        let c = match arg(a, 3) {
            Value::Null if a.len() > 3 => Json::Null,
            Value::Null => real_json(0.0),
            v => value_to_json(&super::super::convert::unwrap_dynamic(v)),
        };
        return Ok(dynamic(Json::Array(
            xs.iter().zip(&miss).map(|(x, m)| if *m { c.clone() } else { x.clone() }).collect(),
        )));
    }
    let integers = present.iter().all(|&(i, _)| xs[i].is_i64());
    let value = |v: f64| if integers { Json::from(v.trunc() as i64) } else { real_json(v) };
    let mut out = xs.clone();
    for w in present.windows(2) {
        let ((i, p), (j, q)) = (w[0], w[1]);
        for (k, slot) in out.iter_mut().enumerate().take(j).skip(i + 1) {
            if miss[k] {
                *slot = value(p + (q - p) * (k - i) as f64 / (j - i) as f64);
            }
        }
    }
    if edges {
        let (first, last) = (present[0].0, present[present.len() - 1].0);
        for k in (0..first).chain(last + 1..xs.len()) {
            if miss[k] {
                out[k] = if k < first { xs[first].clone() } else { xs[last].clone() };
            }
        }
    }
    Ok(dynamic(Json::Array(out)))
}
