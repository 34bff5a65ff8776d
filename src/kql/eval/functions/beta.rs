//! The beta distribution: `beta_cdf`, `beta_pdf`, `beta_inv`
//! (beta-cdf-function.md, beta-pdf-function.md, beta-inv-function.md), from
//! the `statrs` crate. As the pages' examples show: a shape parameter ≤ 0 or
//! an `x` outside [0, 1] gives NaN; a probability outside [0, 1] gives null
//! for `beta_inv`; a null argument gives null.

use statrs::distribution::{Beta, Continuous, ContinuousCDF};

use super::ScalarFn;
use super::args::{Kind, check, real, sf};
use crate::data::{DataType, Value};

/// The three arguments as reals and the distribution (`None` for a shape ≤ 0
/// or not finite), or `Err(Null)` when an argument is null.
fn dist(a: &[Value]) -> Result<(f64, Option<Beta>), Value> {
    let (Some(x), Some(alpha), Some(beta)) = (real(a, 0), real(a, 1), real(a, 2)) else {
        return Err(Value::Null);
    };
    Ok((x, Beta::new(alpha, beta).ok()))
}

fn cdf(a: &[Value]) -> Value {
    match dist(a) {
        Ok((x, Some(d))) if (0.0..=1.0).contains(&x) => Value::Real(d.cdf(x)),
        Ok(_) => Value::Real(f64::NAN),
        Err(null) => null,
    }
}

fn pdf(a: &[Value]) -> Value {
    match dist(a) {
        Ok((x, Some(d))) if (0.0..=1.0).contains(&x) => Value::Real(d.pdf(x)),
        Ok(_) => Value::Real(f64::NAN),
        Err(null) => null,
    }
}

fn inv(a: &[Value]) -> Value {
    match dist(a) {
        Ok((p, _)) if !(0.0..=1.0).contains(&p) => Value::Null,
        Ok((p, Some(d))) => Value::Real(d.inverse_cdf(p)),
        Ok((_, None)) => Value::Real(f64::NAN),
        Err(null) => null,
    }
}

fn ret(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Num], DataType::Real)
}

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("beta_cdf", &[], 3, 3, ret, |a, _| Ok(cdf(a))),
    sf("beta_inv", &[], 3, 3, ret, |a, _| Ok(inv(a))),
    sf("beta_pdf", &[], 3, 3, ret, |a, _| Ok(pdf(a))),
];
