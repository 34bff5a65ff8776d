//! Whole-series functions: `series_sum`, `series_product`,
//! `series_magnitude`, `series_dot_product`, `series_stats_dynamic` and
//! `series_fit_line_dynamic`.

use serde_json::{Map, Value as Json};

use super::super::args::{Kind, arg, check, dynamic, sf};
use super::super::convert::to_real;
use super::super::{FnCtx, ScalarFn};
use super::{numbers, real_json};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("series_sum", &[], 1, 1, to_real_type, |a, _| Ok(fold(a, 0.0, |s, x| s + x))),
    sf("series_product", &[], 1, 1, to_real_type, |a, _| Ok(fold(a, 1.0, |s, x| s * x))),
    sf("series_magnitude", &[], 1, 1, to_real_type, |a, _| Ok(magnitude(a))),
    sf("series_dot_product", &[], 2, 2, |t| check(t, &[Kind::Any], DataType::Real), dot_product),
    sf("series_stats_dynamic", &[], 1, 2, |t| check(t, &[Kind::Dyn, Kind::Bool], DataType::Dynamic), stats_dynamic),
    sf("series_fit_line_dynamic", &[], 1, 1, |t| check(t, &[Kind::Dyn], DataType::Dynamic), fit_line_dynamic),
];

fn to_real_type(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Dyn], DataType::Real)
}

/// Folds the numeric elements (others are skipped); null when not an array.
fn fold(a: &[Value], init: f64, f: fn(f64, f64) -> f64) -> Value {
    match numbers(arg(a, 0)) {
        Some(xs) => Value::Real(xs.into_iter().flatten().fold(init, f)),
        None => Value::Null,
    }
}

/// `sqrt(sum(x²))` (series-magnitude-function.md).
fn magnitude(a: &[Value]) -> Value {
    match numbers(arg(a, 0)) {
        Some(xs) => Value::Real(xs.into_iter().flatten().map(|x| x * x).sum::<f64>().sqrt()),
        None => Value::Null,
    }
}

/// `series_dot_product(s1, s2)`: the longer series is cut to the shorter, a
/// scalar stands for every element, non-numeric elements are skipped, and
/// an empty series gives null (series-dot-product-function.md).
fn dot_product(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let side = |v: &Value| -> Option<Result<Vec<Option<f64>>, f64>> {
        match numbers(v) {
            Some(xs) => Some(Ok(xs)),
            None => to_real(v).filter(|_| !matches!(v, Value::String(_) | Value::Null)).map(Err),
        }
    };
    let pairs: Vec<(Option<f64>, Option<f64>)> = match (side(arg(a, 0)), side(arg(a, 1))) {
        (Some(Ok(x)), Some(Ok(y))) => x.into_iter().zip(y).collect(),
        (Some(Ok(x)), Some(Err(c))) => x.into_iter().map(|e| (e, Some(c))).collect(),
        (Some(Err(c)), Some(Ok(y))) => y.into_iter().map(|e| (Some(c), e)).collect(),
        _ => return Ok(Value::Null),
    };
    if pairs.is_empty() {
        return Ok(Value::Null);
    }
    Ok(Value::Real(pairs.into_iter().filter_map(|(x, y)| Some(x? * y?)).sum()))
}

/// The statistics of series_stats_dynamic, in the documented key order.
fn stats_dynamic(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(xs) = numbers(arg(a, 0)) else { return Ok(Value::Null) };
    let ignore = matches!(arg(a, 1), Value::Bool(true));
    Ok(dynamic(Json::Object(stats(&xs, ignore))))
}

/// min, min_idx, max, max_idx, avg, stdev, variance (sample), sum, len. A
/// non-finite element makes every statistic but `len` null unless `ignore`
/// (then it is left out).
pub(super) fn stats(xs: &[Option<f64>], ignore: bool) -> Map<String, Json> {
    let finite: Vec<(usize, f64)> =
        xs.iter().enumerate().filter_map(|(i, x)| x.filter(|x| x.is_finite()).map(|x| (i, x))).collect();
    let mut m = Map::new();
    let usable = ignore || finite.len() == xs.len();
    let n = finite.len() as f64;
    let mut lo: Option<(usize, f64)> = None;
    let mut hi: Option<(usize, f64)> = None;
    for &(i, x) in &finite {
        if lo.is_none_or(|(_, l)| x < l) {
            lo = Some((i, x));
        }
        if hi.is_none_or(|(_, h)| x > h) {
            hi = Some((i, x));
        }
    }
    let sum: f64 = finite.iter().map(|(_, x)| x).sum();
    let avg = sum / n;
    let variance = finite.iter().map(|(_, x)| (x - avg) * (x - avg)).sum::<f64>() / (n - 1.0);
    let num = |x: Option<f64>| if usable { x.map_or(Json::Null, real_json) } else { Json::Null };
    let idx = |x: Option<(usize, f64)>| if usable { x.map_or(Json::Null, |(i, _)| Json::from(i)) } else { Json::Null };
    m.insert("min".into(), num(lo.map(|l| l.1)));
    m.insert("min_idx".into(), idx(lo));
    m.insert("max".into(), num(hi.map(|h| h.1)));
    m.insert("max_idx".into(), idx(hi));
    m.insert("avg".into(), num((n > 0.0).then_some(avg)));
    m.insert("stdev".into(), num((n > 1.0).then(|| variance.sqrt())));
    m.insert("variance".into(), num((n > 1.0).then_some(variance)));
    m.insert("sum".into(), num(Some(sum)));
    m.insert("len".into(), Json::from(xs.len()));
    m
}

/// The least-squares line through the numeric elements at x = 1, 2, ...
/// (the documented example's line_fit starts at interception + slope).
pub(super) struct Line {
    /// R²: 1 - residual / total sum of squares.
    pub rsquare: f64,
    /// a in y = ax + b.
    pub slope: f64,
    /// Sample variance of the values.
    pub variance: f64,
    /// Residual sum of squares over n - 1.
    pub rvariance: f64,
    /// b in y = ax + b.
    pub interception: f64,
}

/// Fits a line to `xs` (missing elements are left out of the fit).
pub(super) fn fit_line(xs: &[Option<f64>]) -> Line {
    let pts: Vec<(f64, f64)> = xs.iter().enumerate().filter_map(|(i, y)| y.map(|y| ((i + 1) as f64, y))).collect();
    let n = pts.len() as f64;
    let (mx, my) = (pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n);
    let sxy: f64 = pts.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let sxx: f64 = pts.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    let slope = if sxx == 0.0 { 0.0 } else { sxy / sxx };
    let interception = my - slope * mx;
    let total: f64 = pts.iter().map(|(_, y)| (y - my) * (y - my)).sum();
    let resid: f64 = pts.iter().map(|(x, y)| (y - (slope * x + interception)).powi(2)).sum();
    Line {
        rsquare: if total == 0.0 { 1.0 } else { 1.0 - resid / total },
        slope,
        variance: total / (n - 1.0),
        rvariance: resid / (n - 1.0),
        interception,
    }
}

/// `series_fit_line_dynamic(s)`: rsquare, slope, variance, rvariance,
/// interception and line_fit (series-fit-line-dynamic-function.md).
fn fit_line_dynamic(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(xs) = numbers(arg(a, 0)) else { return Ok(Value::Null) };
    if xs.iter().all(Option::is_none) {
        return Ok(Value::Null);
    }
    let l = fit_line(&xs);
    let mut m = Map::new();
    m.insert("rsquare".into(), real_json(l.rsquare));
    m.insert("slope".into(), real_json(l.slope));
    m.insert("variance".into(), real_json(l.variance));
    m.insert("rvariance".into(), real_json(l.rvariance));
    m.insert("interception".into(), real_json(l.interception));
    let fit = (1..=xs.len()).map(|x| real_json(l.slope * x as f64 + l.interception)).collect();
    m.insert("line_fit".into(), Json::Array(fit));
    Ok(dynamic(Json::Object(m)))
}
