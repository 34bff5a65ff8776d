//! Filters: `series_fir` (finite impulse response) and `series_iir`
//! (infinite impulse response). Elements before the start of the series
//! count as 0, and so do missing elements (**[not in docs]**).

use super::super::args::{Kind, arg, check, sf};
use super::super::{FnCtx, ScalarFn};
use super::{numbers, reals_value};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("series_fir", &[], 2, 4, |t| check(t, &[Kind::Dyn, Kind::Dyn, Kind::Bool, Kind::Bool], DataType::Dynamic), fir),
    sf("series_iir", &[], 3, 3, |t| check(t, &[Kind::Dyn], DataType::Dynamic), iir),
];

/// `series_fir(x, filter[, normalize[, center]])` (series-fir-function.md):
/// y[i] = Σ c[j]·x[i - j], or centred on i with `center`. `normalize`
/// (default: true unless a coefficient is negative) divides by Σ c; asking
/// for it with a negative coefficient gives null.
fn fir(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(xs), Some(c)) = (numbers(arg(a, 0)), numbers(arg(a, 1))) else { return Ok(Value::Null) };
    let c: Vec<f64> = c.into_iter().map(|x| x.unwrap_or(0.0)).collect();
    let negative = c.iter().any(|&x| x < 0.0);
    let normalize = match arg(a, 2) {
        Value::Bool(b) => *b,
        _ => !negative,
    };
    if c.is_empty() || (normalize && negative) {
        return Ok(Value::Null);
    }
    let scale = if normalize { c.iter().sum::<f64>() } else { 1.0 };
    let shift = if matches!(arg(a, 3), Value::Bool(true)) { (c.len() - 1) / 2 } else { 0 };
    let x = |i: isize| if i >= 0 { xs.get(i as usize).copied().flatten().unwrap_or(0.0) } else { 0.0 };
    Ok(reals_value((0..xs.len()).map(|i| {
        let sum: f64 = c.iter().enumerate().map(|(j, cj)| cj * x(i as isize + shift as isize - j as isize)).sum();
        Some(sum / scale)
    })))
}

/// `series_iir(x, numerators b, denominators a)` (series-iir-function.md):
/// y[i] = (Σ b[j]·x[i-j] - Σ_{k≥1} a[k]·y[i-k]) / a[0]; null when a[0] is 0.
fn iir(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (Some(xs), Some(b), Some(den)) = (numbers(arg(a, 0)), numbers(arg(a, 1)), numbers(arg(a, 2))) else {
        return Ok(Value::Null);
    };
    let b: Vec<f64> = b.into_iter().map(|x| x.unwrap_or(0.0)).collect();
    let den: Vec<f64> = den.into_iter().map(|x| x.unwrap_or(0.0)).collect();
    let Some(&a0) = den.first().filter(|&&a0| a0 != 0.0) else { return Ok(Value::Null) };
    let mut y: Vec<f64> = Vec::with_capacity(xs.len());
    for i in 0..xs.len() {
        let forward: f64 =
            b.iter().enumerate().filter(|(j, _)| *j <= i).map(|(j, bj)| bj * xs[i - j].unwrap_or(0.0)).sum();
        let back: f64 = den.iter().enumerate().skip(1).filter(|(k, _)| *k <= i).map(|(k, ak)| ak * y[i - k]).sum();
        y.push((forward - back) / a0);
    }
    Ok(reals_value(y.into_iter().map(Some)))
}
