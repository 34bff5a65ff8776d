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
    fn text_forms_round_trip_through_the_loader_parser() {
        let t = NOW - 3 * HOUR - 1_234_567;
        assert_eq!(iso(t), "2026-11-20T08:59:59.8765433Z");
        assert_eq!(parse_datetime(&iso(t)), Some(t));
        assert_eq!(portal(t), "Nov 20, 2026 8:59:59 AM");
        assert_eq!(parse_datetime(&portal(t)), Some(t - t.rem_euclid(TICKS_PER_SECOND)));
        assert_eq!(portal(NOW + 2 * HOUR + 41 * MINUTE), "Nov 20, 2026 2:41:00 PM");
    }
}
