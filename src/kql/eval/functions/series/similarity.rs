//! Two-series measures: `series_cosine_similarity(s1, s2 [, magnitude1,
//! magnitude2])` and `series_pearson_correlation(s1, s2)`
//! (series-cosine-similarity-function.md,
//! series-pearson-correlation-function.md). As the pages say: for the
//! cosine, the longer series is cut to the length of the shorter and a pair
//! where either side is not numeric is ignored; for the correlation, series
//! of different lengths or a non-numeric element give null. An empty series
//! gives null.

use super::super::args::{Kind, arg, check, real, sf};
use super::super::{FnCtx, ScalarFn};
use super::numbers;
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf(
        "series_cosine_similarity",
        &[],
        2,
        4,
        |t| check(t, &[Kind::Dyn, Kind::Dyn, Kind::Num, Kind::Num], DataType::Real),
        cosine,
    ),
    sf("series_pearson_correlation", &[], 2, 2, |t| check(t, &[Kind::Dyn], DataType::Real), pearson),
];

/// The numeric element pairs of the two series, cut to the shorter; `None`
/// when either is not an array or is empty.
fn pairs(a: &[Value]) -> Option<Vec<(f64, f64)>> {
    let (x, y) = (numbers(arg(a, 0))?, numbers(arg(a, 1))?);
    if x.is_empty() || y.is_empty() {
        return None;
    }
    Some(x.into_iter().zip(y).filter_map(|(p, q)| Some((p?, q?))).collect())
}

fn cosine(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(ps) = pairs(a) else { return Ok(Value::Null) };
    let dot: f64 = ps.iter().map(|(x, y)| x * y).sum();
    let m1 = real(a, 2).unwrap_or_else(|| ps.iter().map(|(x, _)| x * x).sum::<f64>().sqrt());
    let m2 = real(a, 3).unwrap_or_else(|| ps.iter().map(|(_, y)| y * y).sum::<f64>().sqrt());
    Ok(Value::Real(dot / (m1 * m2)))
}

fn pearson(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(x), Some(y)) = (numbers(arg(a, 0)), numbers(arg(a, 1))) else { return Ok(Value::Null) };
    if x.is_empty() || x.len() != y.len() {
        return Ok(Value::Null);
    }
    let Some(ps) = x.into_iter().zip(y).map(|(p, q)| Some((p?, q?))).collect::<Option<Vec<(f64, f64)>>>() else {
        return Ok(Value::Null);
    };
    let n = ps.len() as f64;
    let (mx, my) = (ps.iter().map(|p| p.0).sum::<f64>() / n, ps.iter().map(|p| p.1).sum::<f64>() / n);
    let cov: f64 = ps.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
    let vx: f64 = ps.iter().map(|(x, _)| (x - mx) * (x - mx)).sum();
    let vy: f64 = ps.iter().map(|(_, y)| (y - my) * (y - my)).sum();
    Ok(Value::Real(cov / (vx * vy).sqrt()))
}
