//! Kusto's `decimal`: a 128-bit decimal number of up to 38 significant digits
//! (the .NET `SqlDecimal` Kusto is built on: precision 38, scale 0–38).
//!
//! Stored compactly as a 128-bit coefficient and a scale, always normalized
//! (no trailing fraction zeros), so equality and hashing are structural and
//! the value is `Copy` like the other fixed-width column types. The
//! coefficient is kept as four `u32` words rather than an `i128` so the type
//! is 20 bytes aligned to 4, and a `Value` holding one stays 24 bytes. Arithmetic
//! runs on `bigdecimal` (exact `+ - *`, division to 100 digits) and the result
//! is rounded back to 38 significant digits, half away from zero; a result
//! whose integer part needs more than 38 digits is an overflow (null).
//! Doc: <https://learn.microsoft.com/kusto/query/scalar-data-types/decimal>.

use std::cmp::Ordering;
use std::fmt;
use std::num::NonZeroU64;
use std::str::FromStr;

use bigdecimal::num_bigint::BigInt;
use bigdecimal::{BigDecimal, RoundingMode, ToPrimitive};

/// Most significant digits (and most fraction digits) a decimal holds.
pub const MAX_DIGITS: u32 = 38;
const LIMIT: i128 = 10i128.pow(MAX_DIGITS);

/// A Kusto `decimal` value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Decimal {
    /// The digits, an `i128` in little-endian words; `|coef| < 10^38`.
    words: [u32; 4],
    /// Digits after the point (0–38); no trailing zero digit when > 0.
    scale: u8,
}

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal { words: [0; 4], scale: 0 };

    /// A decimal from its parts, which must already be normalized and in range.
    fn raw(coef: i128, scale: u8) -> Decimal {
        let b = coef.to_le_bytes();
        let w = |i: usize| u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]);
        Decimal { words: [w(0), w(1), w(2), w(3)], scale }
    }

    /// The coefficient.
    fn coef(self) -> i128 {
        let mut b = [0u8; 16];
        for (i, w) in self.words.iter().enumerate() {
            b[4 * i..4 * i + 4].copy_from_slice(&w.to_le_bytes());
        }
        i128::from_le_bytes(b)
    }

    /// `coef × 10^-scale`, normalized; `None` when it does not fit.
    fn new(mut coef: i128, mut scale: u32) -> Option<Decimal> {
        while scale > 0 && coef % 10 == 0 {
            coef /= 10;
            scale -= 1;
        }
        if coef.abs() >= LIMIT || scale > MAX_DIGITS {
            return Decimal::from_big(&BigDecimal::new(BigInt::from(coef), i64::from(scale)));
        }
        Some(Decimal::raw(coef, scale as u8))
    }

    /// An integer as a decimal (always exact).
    pub fn from_i64(v: i64) -> Decimal {
        Decimal::raw(i128::from(v), 0)
    }

    /// A real as a decimal, as Kusto converts it: its 17 significant digits
    /// (`2.2` → `2.2000000000000002`); `None` for NaN and ±infinity.
    pub fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        Decimal::parse(&format!("{f:.16e}"))
    }

    /// Parses decimal text: `[+-]digits[.digits][e[+-]exponent]`, surrounding
    /// blanks allowed; `None` for anything else (`NaN`, `inf`, hex, empty) or
    /// a value out of range. Extra fraction digits round to 38 significant.
    pub fn parse(text: &str) -> Option<Decimal> {
        let t = text.trim();
        let body = t.strip_prefix(['+', '-']).unwrap_or(t);
        let (mantissa, exp) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) {
            return None;
        }
        if let Some(e) = exp {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            // Bounded so a hostile exponent cannot make bigdecimal allocate without end.
            if e.is_empty() || e.len() > 4 || !digits(e) {
                return None;
            }
        }
        if mantissa.len() > 4096 {
            return None;
        }
        Decimal::from_big(&BigDecimal::from_str(t).ok()?)
    }

    /// The nearest decimal to `b` (38 significant digits, 38 fraction digits
    /// at most); `None` when its integer part is too large.
    pub fn from_big(b: &BigDecimal) -> Option<Decimal> {
        let mut b = b.clone();
        if b.digits() > u64::from(MAX_DIGITS) {
            b = b.with_precision_round(NonZeroU64::new(u64::from(MAX_DIGITS))?, RoundingMode::HalfUp);
        }
        let (_, scale) = b.as_bigint_and_exponent();
        if scale > i64::from(MAX_DIGITS) {
            b = b.with_scale_round(i64::from(MAX_DIGITS), RoundingMode::HalfUp);
        } else if scale < 0 {
            if b.order_of_magnitude() >= i64::from(MAX_DIGITS) {
                return None;
            }
            b = b.with_scale(0);
        }
        let (coef, scale) = b.into_bigint_and_exponent();
        let coef = coef.to_i128()?;
        if coef.abs() >= LIMIT {
            return None;
        }
        let (mut coef, mut scale) = (coef, u8::try_from(scale).ok()?);
        while scale > 0 && coef % 10 == 0 {
            coef /= 10;
            scale -= 1;
        }
        Some(Decimal::raw(coef, scale))
    }

    /// The value as a `bigdecimal` number (exact).
    pub fn to_big(self) -> BigDecimal {
        BigDecimal::new(BigInt::from(self.coef()), i64::from(self.scale))
    }

    /// The nearest real.
    pub fn to_f64(self) -> f64 {
        // Exact text → f64 parsing rounds correctly, unlike coef / 10^scale.
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// The integer part (truncated toward zero), if it fits a `long`.
    pub fn trunc_i64(self) -> Option<i64> {
        i64::try_from(self.coef() / 10i128.pow(u32::from(self.scale))).ok()
    }

    /// True when there are no fraction digits.
    pub fn is_integer(self) -> bool {
        self.scale == 0
    }

    /// True for zero.
    pub fn is_zero(self) -> bool {
        self.coef() == 0
    }

    /// -1, 0 or 1.
    pub fn signum(self) -> i32 {
        self.coef().signum() as i32
    }

    /// `|self|`.
    pub fn abs(self) -> Decimal {
        Decimal::raw(self.coef().abs(), self.scale)
    }

    /// `self + o`; `None` on overflow.
    pub fn checked_add(self, o: Decimal) -> Option<Decimal> {
        if self.scale == o.scale {
            return Decimal::new(self.coef().checked_add(o.coef())?, u32::from(self.scale));
        }
        Decimal::from_big(&(self.to_big() + o.to_big()))
    }

    /// `self - o`; `None` on overflow.
    pub fn checked_sub(self, o: Decimal) -> Option<Decimal> {
        self.checked_add(-o)
    }

    /// `self × o`, rounded to 38 significant digits; `None` on overflow.
    pub fn checked_mul(self, o: Decimal) -> Option<Decimal> {
        match self.coef().checked_mul(o.coef()) {
            Some(c) => Decimal::new(c, u32::from(self.scale) + u32::from(o.scale)),
            None => Decimal::from_big(&(self.to_big() * o.to_big())),
        }
    }

    /// `self ÷ o`, rounded to 38 significant digits; `None` for a zero
    /// divisor or on overflow.
    pub fn checked_div(self, o: Decimal) -> Option<Decimal> {
        if o.is_zero() {
            return None;
        }
        Decimal::from_big(&(self.to_big() / o.to_big()))
    }

    /// `self % o` with Kusto's rule for `%`: the result is never negative,
    /// `0 <= r < |o|`; `None` for a zero divisor.
    pub fn rem_euclid(self, o: Decimal) -> Option<Decimal> {
        if o.is_zero() {
            return None;
        }
        let r = Decimal::from_big(&(self.to_big() % o.to_big()))?;
        if r.signum() < 0 { r.checked_add(o.abs()) } else { Some(r) }
    }

    /// Rounded to `digits` fraction digits (negative: to tens, hundreds...),
    /// half away from zero, as `round()` does.
    pub fn round(self, digits: i64) -> Option<Decimal> {
        self.with_scale(digits, RoundingMode::HalfUp)
    }

    /// The largest multiple of `unit` not above `self` (`bin`/`floor`);
    /// `None` for a zero unit or on overflow.
    pub fn floor_to(self, unit: Decimal) -> Option<Decimal> {
        let unit = unit.abs();
        let q = self.checked_div(unit)?.with_scale(0, RoundingMode::Floor)?;
        q.checked_mul(unit)
    }

    /// The smallest integer not below `self`.
    pub fn ceiling(self) -> Option<Decimal> {
        self.with_scale(0, RoundingMode::Ceiling)
    }

    fn with_scale(self, digits: i64, mode: RoundingMode) -> Option<Decimal> {
        if digits >= i64::from(self.scale) {
            return Some(self);
        }
        Decimal::from_big(&self.to_big().with_scale_round(digits.max(-i64::from(MAX_DIGITS) - 1), mode))
    }
}

impl std::ops::Neg for Decimal {
    type Output = Decimal;
    fn neg(self) -> Decimal {
        Decimal::raw(-self.coef(), self.scale)
    }
}

impl Ord for Decimal {
    fn cmp(&self, o: &Decimal) -> Ordering {
        if self.scale == o.scale {
            return self.coef().cmp(&o.coef());
        }
        self.to_big().cmp(&o.to_big())
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, o: &Decimal) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// Plain digits without exponent or trailing fraction zeros (`1.5`, `-0.25`,
/// `100000`), as Kusto prints a decimal.
impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.coef().unsigned_abs().to_string();
        let sign = if self.coef() < 0 { "-" } else { "" };
        let scale = usize::from(self.scale);
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

#[cfg(test)]
#[path = "decimal_tests.rs"]
mod tests;
