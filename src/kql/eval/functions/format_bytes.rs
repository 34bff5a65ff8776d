//! `format_bytes(size[, precision[, units]])` (format-bytes-function.md): a
//! size in bytes as text in 1024-based units, `Bytes`, `KB` ... `EB`, picked
//! as the largest unit the size reaches unless `units` names one, rounded to
//! `precision` decimals (0 by default): `format_bytes(10332, 1)` is `10.1 KB`.

use super::args::{Kind, arg, check, long, s, sf, text};
use super::convert::to_real;
use super::{FnCtx, ScalarFn};
use crate::data::{DataType, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[sf(
    "format_bytes",
    &[],
    1,
    3,
    |t| check(t, &[Kind::Num, Kind::Integer, Kind::Text], DataType::String),
    format_bytes,
)];

/// The units, each 1024 times the one before.
const UNITS: [&str; 7] = ["Bytes", "KB", "MB", "GB", "TB", "PB", "EB"];

fn format_bytes(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(size) = to_real(arg(a, 0)).filter(|f| f.is_finite()) else { return s("") };
    let precision = if a.len() > 1 { long(a, 1).unwrap_or(0) } else { 0 }.clamp(0, 15) as i32;
    let wanted = if a.len() > 2 { text(a, 2).trim().to_string() } else { String::new() };
    let unit = if wanted.is_empty() {
        // The largest unit the size reaches.
        let mut u = 0;
        while u + 1 < UNITS.len() && size.abs() >= 1024f64.powi(u as i32 + 1) {
            u += 1;
        }
        u
    } else {
        match UNITS.iter().position(|u| u.eq_ignore_ascii_case(&wanted)) {
            Some(u) => u,
            // An unknown unit gives an empty result (**[not in docs]**).
            None => return s(""),
        }
    };
    let scaled = size / 1024f64.powi(unit as i32);
    let factor = 10f64.powi(precision);
    // Half away from zero, as .NET's Math.Round(x, MidpointRounding.AwayFromZero);
    // trailing zeros are not written (`1 KB`, not `1.0 KB`).
    let rounded = (scaled * factor).round() / factor;
    let rounded = if rounded == 0.0 { 0.0 } else { rounded };
    s(format!("{rounded} {}", UNITS[unit]))
}
