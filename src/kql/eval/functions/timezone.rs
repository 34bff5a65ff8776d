//! Time zones: `datetime_local_to_utc(from, timezone)` and
//! `datetime_utc_to_local(from, timezone)` (datetime-local-to-utc-function.md,
//! datetime-utc-to-local-function.md), with IANA zone names from the
//! `chrono-tz` database. An unknown zone gives null. A local time the zone
//! skips (a spring-forward gap) takes the offset after the gap, as the page's
//! Europe/Brussels example shows (02:00 → 00:00 UTC); a local time the zone
//! has twice (fall back) is read as standard time, as .NET does.

use std::str::FromStr;

use chrono::{Duration, LocalResult, NaiveDateTime, TimeZone};
use chrono_tz::{OffsetComponents, Tz};

use super::ScalarFn;
use super::args::{Kind, arg, check, sf, text};
use super::convert::to_datetime;
use crate::data::time::{datetime_of, ticks_of};
use crate::data::{DataType, Value};

/// The zone named `name` (IANA spelling).
fn zone(name: &str) -> Option<Tz> {
    Tz::from_str(name).ok()
}

/// The UTC instant of local time `local` in `tz`.
fn local_to_utc(tz: Tz, local: NaiveDateTime) -> Option<NaiveDateTime> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.naive_utc()),
        LocalResult::Ambiguous(a, b) => {
            let standard = if a.offset().dst_offset().is_zero() { a } else { b };
            Some(standard.naive_utc())
        }
        LocalResult::None => (1..=24).find_map(|h| {
            let later = local.checked_add_signed(Duration::hours(h))?;
            let t = tz.from_local_datetime(&later).earliest()?;
            t.naive_utc().checked_sub_signed(Duration::hours(h))
        }),
    }
}

/// Applies `f` to the datetime argument's naive time in the zone argument.
fn convert(a: &[Value], f: fn(Tz, NaiveDateTime) -> Option<NaiveDateTime>) -> Value {
    let (Some(ticks), Some(tz)) = (to_datetime(arg(a, 0)), zone(&text(a, 1))) else {
        return Value::Null;
    };
    let Some(t) = datetime_of(ticks) else { return Value::Null };
    f(tz, t.naive_utc()).map_or(Value::Null, |n| Value::DateTime(ticks_of(&n)))
}

fn ret(t: &[DataType]) -> Result<DataType, String> {
    check(t, &[Kind::Time, Kind::Text], DataType::DateTime)
}

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("datetime_local_to_utc", &[], 2, 2, ret, |a, _| Ok(convert(a, local_to_utc))),
    sf("datetime_utc_to_local", &[], 2, 2, ret, |a, _| {
        Ok(convert(a, |tz, utc| Some(tz.from_utc_datetime(&utc).naive_local())))
    }),
];
