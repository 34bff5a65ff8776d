//! Datetime and timespan text: every form Defender exports emit, and Kusto's
//! own display forms. All values are i64 ticks (100 ns), UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use super::value::{TICKS_PER_DAY, TICKS_PER_SECOND};

/// The text a portal CSV export writes for a null datetime.
pub const PORTAL_NULL_DATETIME: &str = "Invalid date";

/// Ticks of a chrono UTC datetime (saturating far outside the supported range).
pub fn ticks_of(dt: &NaiveDateTime) -> i64 {
    let utc = dt.and_utc();
    utc.timestamp().saturating_mul(TICKS_PER_SECOND).saturating_add(i64::from(utc.timestamp_subsec_nanos() / 100))
}

/// The UTC datetime of ticks, if in chrono's range.
pub fn datetime_of(ticks: i64) -> Option<DateTime<Utc>> {
    let secs = ticks.div_euclid(TICKS_PER_SECOND);
    let nanos = (ticks.rem_euclid(TICKS_PER_SECOND) * 100) as u32;
    Utc.timestamp_opt(secs, nanos).single()
}

/// Parses a datetime in any form Defender, Sentinel or Kusto write:
/// ISO-8601 / RFC 3339 with 0–7 (or more) fraction digits, `Z`, an offset or
/// no zone (UTC), `T` or space between date and time, a bare date; the portal
/// CSV display form `Oct 9, 2024 2:41:10 PM`; the Log Analytics CSV form
/// `11/20/2026, 10:01:02.123 AM`. Returns `None` when the text is none of
/// them (including the portal's null text `Invalid date`).
pub fn parse_datetime(text: &str) -> Option<i64> {
    let s = text.trim();
    if s.is_empty() || s == PORTAL_NULL_DATETIME {
        return None;
    }
    if let Some(t) = parse_iso(s) {
        return Some(t);
    }
    parse_display_forms(s)
}

/// Fast path for `YYYY-MM-DD[T ]hh:mm[:ss[.f+]][Z|±hh:mm]`, hand-parsed because
/// it is the form of almost every exported row.
fn parse_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut n = 0u32;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            n = n * 10 + u32::from(c - b'0');
        }
        Some(n)
    };
    let days = days_from_civil(num(0..4)?, num(5..7)?, num(8..10)?)?;
    let midnight = days * 86_400 * TICKS_PER_SECOND;
    if b.len() == 10 {
        return Some(midnight);
    }
    if b[10] != b'T' && b[10] != b' ' && b[10] != b't' {
        return None;
    }
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    if b.get(13) != Some(&b':') {
        return None;
    }
    let mut i = 16;
    let mut second = 0;
    let mut frac_ticks = 0i64;
    if b.get(i) == Some(&b':') {
        second = num(i + 1..i + 3)?;
        i += 3;
        if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
            i += 1;
            let start = i;
            let mut digits = 0;
            while i < b.len() && b[i].is_ascii_digit() {
                // Ticks keep 7 digits; more are truncated, as Kusto does.
                if digits < 7 {
                    frac_ticks = frac_ticks * 10 + i64::from(b[i] - b'0');
                    digits += 1;
                }
                i += 1;
            }
            if i == start {
                return None;
            }
            for _ in digits..7 {
                frac_ticks *= 10;
            }
        }
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let base = midnight + i64::from(hour * 3600 + minute * 60 + second) * TICKS_PER_SECOND + frac_ticks;
    let rest = s.get(i..)?.trim_start();
    let offset_secs: i64 = match rest {
        "" | "Z" | "z" => 0,
        _ if rest.eq_ignore_ascii_case("utc") || rest.eq_ignore_ascii_case("gmt") => 0,
        _ => {
            let rb = rest.as_bytes();
            let sign = match rb.first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let digits: String = rest[1..].chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let h: i64 = digits[..2].parse().ok()?;
            let m: i64 = digits[2..].parse().ok()?;
            sign * (h * 3600 + m * 60)
        }
    };
    Some(base - offset_secs * TICKS_PER_SECOND)
}

/// Days from 1970-01-01 to a valid date of years 0–9999 (`None`: no such
/// day), by the civil-calendar arithmetic of Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: u32, month: u32, day: u32) -> Option<i64> {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > month_days {
        return None;
    }
    // Years start in March, so the leap day is the last day of a year.
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// The US-style display forms of the Defender portal and Log Analytics exports.
fn parse_display_forms(s: &str) -> Option<i64> {
    if let Some(t) = parse_portal(s) {
        return Some(t);
    }
    if let Some(t) = parse_rfc_forms(s) {
        return Some(t);
    }
    const FORMS: &[&str] = &[
        "%b %d, %Y %I:%M:%S %p",
        "%b %d, %Y %I:%M:%S%.f %p",
        "%b %d, %Y %H:%M:%S",
        "%m/%d/%Y, %I:%M:%S%.f %p",
        "%m/%d/%Y, %I:%M:%S %p",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%d %b %Y %H:%M:%S",
    ];
    for f in FORMS {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, f) {
            return Some(ticks_of(&dt));
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(ticks_of(&dt.naive_utc()));
    }
    // `1970-5-12` (unpadded) and `12-02-2022` (month first, as .NET's
    // invariant culture reads it): datetime literals in Kusto's own examples
    // (day-of-week-function.md, todatetime-function.md).
    for f in ["%m/%d/%Y", "%b %d, %Y", "%Y/%m/%d", "%Y-%m-%d", "%m-%d-%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(ticks_of(&d.and_time(NaiveTime::MIN)));
        }
    }
    None
}

/// Fast path for the portal CSV form `Nov 20, 2026 2:41:10 PM` (every
/// datetime cell of a portal export; chrono's `parse_from_str` was a tenth
/// of a CSV load). Accepts exactly what `%b %d, %Y %I:%M:%S %p` accepts in
/// its usual spelling and returns the same instant; anything else (`nov`,
/// full month names, leap seconds) is left to chrono.
fn parse_portal(s: &str) -> Option<i64> {
    const MONTHS: [&[u8; 3]; 12] =
        [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
    let b = s.as_bytes();
    let month = MONTHS.iter().position(|m| b.get(..3) == Some(&m[..]))? as u32 + 1;
    if b.get(3) != Some(&b' ') {
        return None;
    }
    let mut at = 4;
    let mut field = |digits: std::ops::RangeInclusive<usize>, then: &[u8]| -> Option<u32> {
        let start = at;
        let mut n = 0u32;
        while at - start < *digits.end() && b.get(at).is_some_and(u8::is_ascii_digit) {
            n = n * 10 + u32::from(b[at] - b'0');
            at += 1;
        }
        if !digits.contains(&(at - start)) || b.get(at..at + then.len())? != then {
            return None;
        }
        at += then.len();
        Some(n)
    };
    let day = field(1..=2, b", ")?;
    let year = field(4..=4, b" ")?;
    let hour = field(1..=2, b":")?;
    let minute = field(2..=2, b":")?;
    let second = field(2..=2, b" ")?;
    let pm = match b.get(at..)? {
        b"AM" => false,
        b"PM" => true,
        _ => return None,
    };
    if !(1..=12).contains(&hour) || minute > 59 || second > 59 {
        return None;
    }
    let hour = hour % 12 + if pm { 12 } else { 0 };
    let days = days_from_civil(year, month, day)?;
    Some((days * 86_400 + i64::from(hour * 3600 + minute * 60 + second)) * TICKS_PER_SECOND)
}

/// The RFC 822 and RFC 850 forms Kusto documents for datetime literals and
/// `todatetime` (scalar-data-types/datetime.md): an optional weekday, a
/// two-digit year, seconds optional, an optional `GMT`/`UTC` zone —
/// `Sat, 8 Nov 14 15:05:02 GMT`, `Saturday, 08-Nov-14 15:05`, `8 Nov 14 15:05`.
fn parse_rfc_forms(s: &str) -> Option<i64> {
    let s = match s.split_once(", ") {
        Some((day, rest)) if day.chars().all(|c| c.is_ascii_alphabetic()) => rest,
        _ => s,
    };
    let s = s.strip_suffix(" GMT").or_else(|| s.strip_suffix(" UTC")).unwrap_or(s);
    for f in ["%d %b %y %H:%M:%S", "%d %b %y %H:%M", "%d-%b-%y %H:%M:%S", "%d-%b-%y %H:%M"] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, f) {
            return Some(ticks_of(&dt));
        }
    }
    None
}

/// ISO-8601 UTC text of ticks for display: `2026-11-20T10:01:02.1234567Z`,
/// with the fraction trimmed of trailing zeros (and left out when zero).
pub fn format_datetime(ticks: i64) -> String {
    format_iso(ticks, true)
}

/// Kusto's string form of a datetime (`tostring`, `strcat`, a datetime inside
/// a `dynamic`): always 7 fraction digits, `2017-10-15T12:00:00.0000000Z`.
pub fn format_datetime_kusto(ticks: i64) -> String {
    format_iso(ticks, false)
}

fn format_iso(ticks: i64, trim: bool) -> String {
    let Some(dt) = datetime_of(ticks) else {
        return format!("<datetime out of range: {ticks} ticks>");
    };
    let frac = ticks.rem_euclid(TICKS_PER_SECOND);
    let mut out = dt.format("%Y-%m-%dT%H:%M:%S").to_string();
    if frac != 0 || !trim {
        let digits = format!("{frac:07}");
        out.push('.');
        out.push_str(if trim { digits.trim_end_matches('0') } else { &digits });
    }
    out.push('Z');
    out
}

/// Kusto's timespan text: `[-][d.]hh:mm:ss[.fffffff]`.
pub fn format_timespan(ticks: i64) -> String {
    let neg = ticks < 0;
    let t = ticks.unsigned_abs();
    let per_s = TICKS_PER_SECOND as u64;
    let days = t / TICKS_PER_DAY as u64;
    let rem = t % TICKS_PER_DAY as u64;
    let (h, m, s, f) = (rem / (3600 * per_s), rem / (60 * per_s) % 60, rem / per_s % 60, rem % per_s);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if days > 0 {
        out.push_str(&format!("{days}."));
    }
    out.push_str(&format!("{h:02}:{m:02}:{s:02}"));
    if f != 0 {
        out.push_str(&format!(".{f:07}"));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_portal_fast_path_reads_what_chrono_reads() {
        let chrono_of = |s: &str| {
            chrono::NaiveDateTime::parse_from_str(s, "%b %d, %Y %I:%M:%S %p").ok().map(|dt| super::ticks_of(&dt))
        };
        let mut cases = vec![
            "Nov 20, 2026 2:41:10 PM".to_string(),
            "Jan 1, 1970 12:00:00 AM".into(),
            "Dec 31, 2025 12:59:59 PM".into(),
            "Feb 29, 2024 11:05:00 AM".into(),
        ];
        for (m, d, y, h, mi, se, p) in
            [("Feb", "29", "2023", "1", "00", "00", "AM"), ("Nov", "20", "2026", "13", "00", "00", "PM")]
        {
            cases.push(format!("{m} {d}, {y} {h}:{mi}:{se} {p}"));
        }
        for month in ["Jan", "Apr", "Sep"] {
            for day in ["1", "09", "30", "31", "0"] {
                for hour in ["0", "1", "07", "12"] {
                    cases.push(format!("{month} {day}, 2026 {hour}:05:09 PM"));
                }
            }
        }
        for s in &cases {
            let fast = super::parse_portal(s);
            if fast.is_some() {
                assert_eq!(fast, chrono_of(s), "{s}");
            }
            assert_eq!(super::parse_datetime(s), chrono_of(s), "{s}");
        }
        assert!(super::parse_portal("Nov 20, 2026 2:41:10 PM").is_some());
    }

    use super::*;

    #[test]
    fn civil_days_agree_with_chrono_for_every_date_of_years_0_to_9999() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for year in 0..=9999u32 {
            for month in 0..=13u32 {
                for day in 0..=32u32 {
                    let ours = days_from_civil(year, month, day);
                    let chrono = NaiveDate::from_ymd_opt(year as i32, month, day).map(|d| (d - epoch).num_days());
                    assert_eq!(ours, chrono, "{year}-{month}-{day}");
                }
            }
        }
    }

    fn t(s: &str) -> String {
        parse_datetime(s).map(format_datetime).unwrap_or_else(|| "null".into())
    }

    #[test]
    fn iso_forms() {
        assert_eq!(t("2026-11-20T10:01:02.1234567Z"), "2026-11-20T10:01:02.1234567Z");
        assert_eq!(t("2026-11-20T10:01:02.12345678Z"), "2026-11-20T10:01:02.1234567Z");
        assert_eq!(t("2026-11-20T10:01:02.5Z"), "2026-11-20T10:01:02.5Z");
        assert_eq!(t("2026-11-20T10:01:02Z"), "2026-11-20T10:01:02Z");
        assert_eq!(t("2026-11-20T10:01:02"), "2026-11-20T10:01:02Z");
        assert_eq!(t("2026-11-20 10:01"), "2026-11-20T10:01:00Z");
        assert_eq!(t("2026-11-20"), "2026-11-20T00:00:00Z");
        assert_eq!(t("2026-11-20T12:01:02+02:00"), "2026-11-20T10:01:02Z");
        assert_eq!(t("2026-11-20T08:01:02.25-0200"), "2026-11-20T10:01:02.25Z");
    }

    #[test]
    fn display_forms_and_null() {
        assert_eq!(t("Oct 9, 2024 2:41:10 PM"), "2024-10-09T14:41:10Z");
        assert_eq!(t("11/20/2026, 10:01:02.123 AM"), "2026-11-20T10:01:02.123Z");
        assert_eq!(t("Invalid date"), "null");
        assert_eq!(t(""), "null");
        assert_eq!(t("2026-13-01T00:00:00Z"), "null");
        assert_eq!(t("yesterday"), "null");
    }

    #[test]
    fn timespans() {
        assert_eq!(format_timespan(0), "00:00:00");
        assert_eq!(format_timespan(5 * TICKS_PER_DAY + 3 * 3600 * TICKS_PER_SECOND), "5.03:00:00");
        assert_eq!(format_timespan(-TICKS_PER_SECOND / 2), "-00:00:00.5000000");
    }

    #[test]
    fn kusto_form_has_seven_fraction_digits() {
        let k = |s: &str| parse_datetime(s).map(format_datetime_kusto).unwrap_or_default();
        assert_eq!(k("2017-10-15 12:00"), "2017-10-15T12:00:00.0000000Z");
        assert_eq!(k("2017-10-15T12:00:00.25Z"), "2017-10-15T12:00:00.2500000Z");
        assert_eq!(k("1969-12-31T23:59:59.9999999Z"), "1969-12-31T23:59:59.9999999Z");
    }
}
