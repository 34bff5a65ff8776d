//! The sample clock: a fixed "now", the rules' look-back window, and the two
//! text forms samples carry timestamps in (ISO-8601 with 7 fraction digits,
//! and the Defender portal's CSV display form).

use crate::data::time::{PORTAL_NULL_DATETIME, datetime_of};
use crate::data::{TICKS_PER_DAY, TICKS_PER_SECOND};

/// The newest sample event, `2026-11-20T12:00:00Z`, in ticks. kqlhunt pins
/// `now()` to the newest event loaded, so every rule window is fixed too.
pub const NOW: i64 = 17_951_760_000_000_000;

/// The text of [`NOW`].
pub const NOW_TEXT: &str = "2026-11-20T12:00:00Z";

/// How far back the samples go: 7 days.
pub const SPAN: i64 = 7 * TICKS_PER_DAY;

/// The seed rules' look-back (`now(-5d)`): events older than this do not count.
pub const WINDOW: i64 = 5 * TICKS_PER_DAY;

/// The first tick of the seed rules' window (inclusive, as `between` is).
pub const WINDOW_START: i64 = NOW - WINDOW;

/// Ticks per minute.
pub const MINUTE: i64 = 60 * TICKS_PER_SECOND;

/// Ticks per hour.
pub const HOUR: i64 = 60 * MINUTE;

/// ISO-8601 UTC with all 7 fraction digits, as the Advanced Hunting API
/// writes them: `2026-11-20T10:01:02.1234567Z`.
pub fn iso(ticks: i64) -> String {
    match datetime_of(ticks) {
        Some(dt) => format!("{}.{:07}Z", dt.format("%Y-%m-%dT%H:%M:%S"), ticks.rem_euclid(TICKS_PER_SECOND)),
        None => String::new(),
    }
}

/// The portal CSV display form, `Nov 20, 2026 2:41:10 PM`. Like the portal,
/// it drops the sub-second part.
pub fn portal(ticks: i64) -> String {
    match datetime_of(ticks) {
        Some(dt) => dt.format("%b %-d, %Y %-I:%M:%S %p").to_string(),
        None => PORTAL_NULL_DATETIME.to_string(),
    }
}

/// Appends [`iso`]'s text to `out` without allocating (the writers call
/// this four times per process row).
pub fn push_iso(out: &mut Vec<u8>, ticks: i64) {
    let Some(c) = Civil::of(ticks) else {
        return out.extend_from_slice(iso(ticks).as_bytes());
    };
    push_digits(out, c.year, 4);
    out.push(b'-');
    push_digits(out, c.month, 2);
    out.push(b'-');
    push_digits(out, c.day, 2);
    out.push(b'T');
    push_digits(out, c.hour, 2);
    out.push(b':');
    push_digits(out, c.minute, 2);
    out.push(b':');
    push_digits(out, c.second, 2);
    out.push(b'.');
    push_digits(out, c.fraction, 7);
    out.push(b'Z');
}

/// Appends [`portal`]'s text to `out` without allocating.
pub fn push_portal(out: &mut Vec<u8>, ticks: i64) {
    const MONTHS: [&[u8; 3]; 12] =
        [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
    let Some(c) = Civil::of(ticks) else {
        return out.extend_from_slice(portal(ticks).as_bytes());
    };
    out.extend_from_slice(MONTHS[(c.month - 1) as usize]);
    out.push(b' ');
    push_digits(out, c.day, if c.day < 10 { 1 } else { 2 });
    out.extend_from_slice(b", ");
    push_digits(out, c.year, 4);
    out.push(b' ');
    let hour12 = match c.hour % 12 {
        0 => 12,
        h => h,
    };
    push_digits(out, hour12, if hour12 < 10 { 1 } else { 2 });
    out.push(b':');
    push_digits(out, c.minute, 2);
    out.push(b':');
    push_digits(out, c.second, 2);
    out.extend_from_slice(if c.hour < 12 { b" AM" } else { b" PM" });
}

/// Appends the low `width` decimal digits of `n`, zero-padded.
fn push_digits(out: &mut Vec<u8>, mut n: u32, width: usize) {
    let mut digits = [b'0'; 10];
    for d in digits[..width].iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&digits[..width]);
}

/// A UTC instant split into calendar fields.
struct Civil {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    fraction: u32,
}

impl Civil {
    /// The fields of `ticks`, for years 0–9999 (chrono's `%Y` pads those to
    /// four digits; other years take the chrono path). Howard Hinnant's
    /// `civil_from_days`, instead of chrono's formatting machinery.
    fn of(ticks: i64) -> Option<Civil> {
        let secs = ticks.div_euclid(TICKS_PER_SECOND);
        let fraction = ticks.rem_euclid(TICKS_PER_SECOND) as u32;
        let days = secs.div_euclid(86_400);
        let of_day = secs.rem_euclid(86_400) as u32;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        if !(0..=9999).contains(&year) {
            return None;
        }
        Some(Civil {
            year: year as u32,
            month,
            day,
            hour: of_day / 3600,
            minute: of_day / 60 % 60,
            second: of_day % 60,
            fraction,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::time::parse_datetime;

    #[test]
    fn now_is_the_documented_instant() {
        assert_eq!(parse_datetime(NOW_TEXT), Some(NOW));
        assert_eq!(iso(NOW), "2026-11-20T12:00:00.0000000Z");
        assert_eq!(iso(WINDOW_START), "2026-11-15T12:00:00.0000000Z");
    }

    #[test]
    fn pushed_forms_match_chronos_formatting() {
        let mut rng = crate::samples::rng::Rng::new(5);
        let mut ticks: Vec<i64> =
            (0..20_000).map(|_| rng.range(-700_000_000_000_000_000, 2_600_000_000_000_000_000)).collect();
        ticks.extend([0, -1, NOW, NOW - 12 * HOUR, NOW + 12 * HOUR - 1, i64::MIN, i64::MAX]);
        // The first and last instants of years 0 and 9999, and either side of them.
        ticks.extend([
            -621_672_192_000_000_000,
            -621_672_192_000_000_001,
            2_534_023_008_000_000_000,
            2_534_023_007_999_999_999,
        ]);
        for t in ticks {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            push_iso(&mut a, t);
            push_portal(&mut b, t);
            assert_eq!(String::from_utf8(a).unwrap(), iso(t), "iso of {t}");
            assert_eq!(String::from_utf8(b).unwrap(), portal(t), "portal of {t}");
        }
    }

    #[test]
    fn text_forms_round_trip_through_the_loader_parser() {
        let t = NOW - 3 * HOUR - 1_234_567;
        assert_eq!(iso(t), "2026-11-20T08:59:59.8765433Z");
        assert_eq!(parse_datetime(&iso(t)), Some(t));
        assert_eq!(portal(t), "Nov 20, 2026 8:59:59 AM");
        assert_eq!(parse_datetime(&portal(t)), Some(t - t.rem_euclid(TICKS_PER_SECOND)));
        assert_eq!(portal(NOW + 2 * HOUR + 41 * MINUTE), "Nov 20, 2026 2:41:00 PM");
    }
}
