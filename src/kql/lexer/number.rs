//! Numbers and timespans: `42`, `0x1F`, `1.5e3`, `5d`, `1.5h`, `100ms`,
//! `10microsecond`, `1tick` (kql-semantics.md §9), and the content of
//! `time(...)` / `timespan(...)` literals.

use crate::data::{TICKS_PER_DAY, TICKS_PER_SECOND};

/// Ticks of one timespan unit, by any of the names Kusto accepts after a number.
pub fn unit_ticks(unit: &str) -> Option<i64> {
    Some(match unit {
        "d" | "day" | "days" => TICKS_PER_DAY,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600 * TICKS_PER_SECOND,
        "m" | "min" | "minute" | "minutes" => 60 * TICKS_PER_SECOND,
        "s" | "sec" | "second" | "seconds" => TICKS_PER_SECOND,
        "ms" | "milli" | "millis" | "millisec" | "millisecond" | "milliseconds" => TICKS_PER_SECOND / 1000,
        "microsec" | "microsecond" | "microseconds" => 10,
        "tick" | "ticks" => 1,
        _ => return None,
    })
}

/// A decimal number as written: its digits without the point, and how many
/// of them follow the point. Exact, so `1.5h` is exactly 54 000 000 000 ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimal {
    /// All digits as one integer (`1.5` → 15).
    pub mantissa: u128,
    /// Digits after the point (`1.5` → 1).
    pub scale: u32,
}

impl Decimal {
    /// Parses `digits[.digits]`; `None` when empty, malformed or absurdly long.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let mut mantissa: u128 = 0;
        for c in int.bytes().chain(frac.bytes()) {
            if !c.is_ascii_digit() {
                return None;
            }
            mantissa = mantissa.checked_mul(10)?.checked_add(u128::from(c - b'0'))?;
        }
        Some(Decimal { mantissa, scale: u32::try_from(frac.len()).ok()? })
    }

    /// `self × unit` in ticks, truncated toward zero to whole ticks; `None` on overflow.
    pub fn times_ticks(self, unit: i64) -> Option<i64> {
        let unit = u128::try_from(unit).ok()?;
        let product = self.mantissa.checked_mul(unit)?;
        let ticks = product.checked_div(10u128.checked_pow(self.scale)?)?;
        i64::try_from(ticks).ok()
    }
}

/// Parses the content of `time(...)` / `timespan(...)`: `1h`, `15 seconds`,
/// `2` (days), `-1.5h`, `0.12:34:56.7` (`d.hh:mm:ss.f`), `12:34:56`.
/// `Ok(None)` is `null`; `Err` names what is wrong.
pub fn parse_timespan_text(text: &str) -> Result<Option<i64>, String> {
    let t = text.trim();
    if t == "null" {
        return Ok(None);
    }
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t.strip_prefix('+').unwrap_or(t).trim_start()),
    };
    let ticks = if body.contains(':') { clock_ticks(body) } else { unit_number_ticks(body) };
    let ticks = ticks.ok_or_else(|| format!("invalid timespan '{t}'"))?;
    Ok(Some(if negative { -ticks } else { ticks }))
}

/// `5`, `5d`, `5 seconds`, `1.5 h` (a bare number is days).
fn unit_number_ticks(body: &str) -> Option<i64> {
    let split = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
    let (num, unit) = body.split_at(split);
    let unit = unit.trim_start();
    let unit = if unit.is_empty() { TICKS_PER_DAY } else { unit_ticks(unit)? };
    Decimal::parse(num)?.times_ticks(unit)
}

/// `[d.]hh:mm[:ss[.fffffff]]`
fn clock_ticks(body: &str) -> Option<i64> {
    let mut parts = body.split(':');
    let first = parts.next()?;
    let (days, hours) = match first.split_once('.') {
        Some((d, h)) => (d.parse::<i64>().ok()?, h),
        None => (0, first),
    };
    let hours: i64 = hours.parse().ok()?;
    let minutes: i64 = parts.next()?.parse().ok()?;
    let seconds = match parts.next() {
        Some(s) => Decimal::parse(s)?.times_ticks(TICKS_PER_SECOND)?,
        None => 0,
    };
    if parts.next().is_some() || !(0..24).contains(&hours) || !(0..60).contains(&minutes) {
        return None;
    }
    days.checked_mul(TICKS_PER_DAY)?
        .checked_add(hours * 3600 * TICKS_PER_SECOND)?
        .checked_add(minutes * 60 * TICKS_PER_SECOND)?
        .checked_add(seconds)
}

/// Parses `0x1F` hex digits (without the prefix) as a long.
pub fn parse_hex(digits: &str) -> Option<i64> {
    if digits.is_empty() {
        return None;
    }
    u64::from_str_radix(digits, 16).ok().and_then(|v| i64::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_timespans_are_exact() {
        let h = unit_ticks("h").unwrap();
        assert_eq!(Decimal::parse("1.5").unwrap().times_ticks(h), Some(54_000_000_000));
        assert_eq!(Decimal::parse("100").unwrap().times_ticks(unit_ticks("ms").unwrap()), Some(1_000_000));
        assert_eq!(Decimal::parse("99999999999999999999").unwrap().times_ticks(TICKS_PER_DAY), None);
    }

    #[test]
    fn time_literal_content() {
        assert_eq!(parse_timespan_text("1h"), Ok(Some(36_000_000_000)));
        assert_eq!(parse_timespan_text("15 seconds"), Ok(Some(150_000_000)));
        assert_eq!(parse_timespan_text("2"), Ok(Some(2 * TICKS_PER_DAY)));
        assert_eq!(parse_timespan_text("null"), Ok(None));
        assert_eq!(parse_timespan_text("-30m"), Ok(Some(-18_000_000_000)));
        let clock = TICKS_PER_DAY / 2 + 34 * 600_000_000 + 567_000_000;
        assert_eq!(parse_timespan_text("0.12:34:56.7"), Ok(Some(clock)));
        assert!(parse_timespan_text("5 parsecs").is_err());
        assert!(parse_timespan_text("25:00").is_err());
    }
}
