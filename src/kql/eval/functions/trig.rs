//! Trigonometry and special functions: `sin`, `cos`, `tan`, `cot`, `asin`,
//! `acos`, `atan`, `atan2`, `degrees`, `radians`, `pi`, `gamma`, `loggamma`
//! (from the `libm` crate: Rust's own gamma is not stable).
//! Results are reals; out-of-domain inputs give NaN, as .NET's Math does.

use super::ScalarFn;
use super::args::{Kind, check, real, sf};
use crate::data::{DataType, Value};

fn real_fn(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Num], DataType::Real)
}

fn unary(a: &[Value], f: fn(f64) -> f64) -> Value {
    real(a, 0).map_or(Value::Null, |x| Value::Real(f(x)))
}

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("acos", &[], 1, 1, real_fn, |a, _| Ok(unary(a, f64::acos))),
    sf("asin", &[], 1, 1, real_fn, |a, _| Ok(unary(a, f64::asin))),
    sf("atan", &[], 1, 1, real_fn, |a, _| Ok(unary(a, f64::atan))),
    sf("atan2", &[], 2, 2, real_fn, |a, _| {
        Ok(real(a, 0).zip(real(a, 1)).map_or(Value::Null, |(y, x)| Value::Real(y.atan2(x))))
    }),
    sf("cos", &[], 1, 1, real_fn, |a, _| Ok(unary(a, f64::cos))),
    sf("cot", &[], 1, 1, real_fn, |a, _| Ok(unary(a, |x| 1.0 / x.tan()))),
    sf("degrees", &[], 1, 1, real_fn, |a, _| Ok(unary(a, f64::to_degrees))),
    sf("gamma", &[], 1, 1, real_fn, |a, _| Ok(unary(a, libm::tgamma))),
    sf("loggamma", &[], 1, 1, real_fn, |a, _| Ok(unary(a, libm::lgamma))),
    sf("pi", &[], 0, 0, |_| Ok(DataType::Real), |_, _| Ok(Value::Real(std::f64::consts::PI))),
    sf("radians", &[], 1, 1, real_fn, |a, _| Ok(unary(a, f64::to_radians))),
    sf("sin", &[], 1, 1, real_fn, |a, _| Ok(unary(a, f64::sin))),
    sf("tan", &[], 1, 1, real_fn, |a, _| Ok(unary(a, f64::tan))),
];
