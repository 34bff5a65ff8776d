//! `series_seasonal(series [, period])` (series-seasonal-function.md): each
//! element becomes the median of the elements at the same phase of the
//! period (the page's examples: `[1,3,5,1,3,5,2,4,6]` with period 3 gives
//! `1,3,5` repeated; an even count takes the mean of the middle two). Period
//! 0 means no seasonality (zeros). The default, automatic period detection
//! (-1), is not implemented: it needs `series_periods_detect`'s scoring.

use super::super::args::{Kind, arg, check, long, sf};
use super::super::{FnCtx, ScalarFn};
use super::{numbers, reals_value};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] =
    &[sf("series_seasonal", &[], 1, 2, |t| check(t, &[Kind::Dyn, Kind::Num], DataType::Dynamic), seasonal)];

fn seasonal(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(xs) = numbers(arg(a, 0)) else { return Ok(Value::Null) };
    let period = if a.len() > 1 { long(a, 1) } else { Some(-1) };
    let period = match period {
        None => return Ok(Value::Null),
        Some(0) => return Ok(reals_value(xs.iter().map(|_| Some(0.0)))),
        Some(p) if p < 0 => {
            return Err("automatic period detection (no period, or -1) is not supported; give the period".into());
        }
        Some(p) => p as usize,
    };
    let medians: Vec<Option<f64>> = (0..period.min(xs.len()))
        .map(|phase| {
            let mut v: Vec<f64> = xs.iter().skip(phase).step_by(period).filter_map(|x| *x).collect();
            v.sort_by(f64::total_cmp);
            match v.len() {
                0 => None,
                n if n % 2 == 1 => Some(v[n / 2]),
                n => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
            }
        })
        .collect();
    Ok(reals_value((0..xs.len()).map(|i| medians[i % period])))
}
