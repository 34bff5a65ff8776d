//! Time functions: `now`, `ago`, `datetime_diff`, `datetime_add`,
//! `datetime_part`, `startof*`/`endof*`, `dayofweek`, `hourofday`, ...,
//! `make_datetime`, `unixtime_*_todatetime`. All values are UTC ticks
//! (kql-semantics.md §9); calendar arithmetic goes through chrono and yields
//! null outside its range instead of panicking. `bin`/`floor` live in `math.rs`.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::args::{Kind, arg, check, long, real, sf, text};
use super::convert::{to_datetime, to_timespan};
use super::{FnCtx, ScalarFn};
use crate::data::time::{datetime_of, ticks_of};
use crate::data::{DataType, TICKS_PER_DAY, TICKS_PER_SECOND, Value};

const TIME: &[Kind] = &[Kind::Time, Kind::Integer];

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf(
        "now",
        &[],
        0,
        1,
        |t| check(t, &[Kind::Span], DataType::DateTime),
        |a, c| Ok(if a.is_empty() { Value::DateTime(c.now) } else { shift(c.now, to_timespan(arg(a, 0)), 1) }),
    ),
    // Exported events carry no ingestion time: Kusto returns null when a
    // table had no IngestionTime policy (ingestion-time-function.md).
    sf("ingestion_time", &[], 0, 0, |t| check(t, &[], DataType::DateTime), |_, _| Ok(Value::Null)),
    sf(
        "ago",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Span], DataType::DateTime),
        |a, c| Ok(shift(c.now, to_timespan(arg(a, 0)), -1)),
    ),
    sf("datetime_diff", &[], 3, 3, |t| check(t, &[Kind::Text, Kind::Time], DataType::Long), datetime_diff),
    sf(
        "datetime_add",
        &[],
        3,
        3,
        |t| check(t, &[Kind::Text, Kind::Integer, Kind::Time], DataType::DateTime),
        datetime_add,
    ),
    sf(
        "datetime_part",
        &["datepart"],
        2,
        2,
        |t| check(t, &[Kind::Text, Kind::Time], DataType::Int),
        |a, _| Ok(part_of(&text(a, 0), dt(arg(a, 1))).map_or(Value::Null, Value::Int)),
    ),
    sf("startofday", &[], 1, 2, |t| check(t, TIME, DataType::DateTime), |a, _| Ok(start_of(a, Unit::Day, 0))),
    sf("startofweek", &[], 1, 2, |t| check(t, TIME, DataType::DateTime), |a, _| Ok(start_of(a, Unit::Week, 0))),
    sf("startofmonth", &[], 1, 2, |t| check(t, TIME, DataType::DateTime), |a, _| Ok(start_of(a, Unit::Month, 0))),
    sf("startofyear", &[], 1, 2, |t| check(t, TIME, DataType::DateTime), |a, _| Ok(start_of(a, Unit::Year, 0))),
    sf("endofday", &[], 1, 2, |t| check(t, TIME, DataType::DateTime), |a, _| Ok(start_of(a, Unit::Day, 1))),
    sf("endofweek", &[], 1, 2, |t| check(t, TIME, DataType::DateTime), |a, _| Ok(start_of(a, Unit::Week, 1))),
    sf("endofmonth", &[], 1, 2, |t| check(t, TIME, DataType::DateTime), |a, _| Ok(start_of(a, Unit::Month, 1))),
    sf("endofyear", &[], 1, 2, |t| check(t, TIME, DataType::DateTime), |a, _| Ok(start_of(a, Unit::Year, 1))),
    sf(
        "dayofweek",
        &[],
        1,
        1,
        |t| check(t, TIME, DataType::Timespan),
        |a, _| {
            Ok(dt(arg(a, 0)).map_or(Value::Null, |d| {
                Value::Timespan(i64::from(d.weekday().num_days_from_sunday()) * TICKS_PER_DAY)
            }))
        },
    ),
    sf("dayofmonth", &[], 1, 1, |t| check(t, TIME, DataType::Int), |a, _| Ok(int_part(a, "day"))),
    sf("dayofyear", &[], 1, 1, |t| check(t, TIME, DataType::Int), |a, _| Ok(int_part(a, "dayofyear"))),
    sf("hourofday", &[], 1, 1, |t| check(t, TIME, DataType::Int), |a, _| Ok(int_part(a, "hour"))),
    sf("monthofyear", &["getmonth"], 1, 1, |t| check(t, TIME, DataType::Int), |a, _| Ok(int_part(a, "month"))),
    sf("getyear", &[], 1, 1, |t| check(t, TIME, DataType::Int), |a, _| Ok(int_part(a, "year"))),
    sf(
        "week_of_year",
        &["weekofyear"],
        1,
        1,
        |t| check(t, TIME, DataType::Int),
        |a, _| Ok(int_part(a, "week_of_year")),
    ),
    sf(
        "make_datetime",
        &[],
        1,
        7,
        |t| {
            check(
                t,
                &[Kind::Integer, Kind::Integer, Kind::Integer, Kind::Integer, Kind::Integer, Kind::Num],
                DataType::DateTime,
            )
        },
        make_datetime,
    ),
    sf(
        "make_timespan",
        &[],
        2,
        4,
        |t| check(t, &[Kind::Integer, Kind::Integer, Kind::Num], DataType::Timespan),
        make_timespan,
    ),
    sf(
        "unixtime_seconds_todatetime",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Num], DataType::DateTime),
        |a, _| Ok(unix(a, TICKS_PER_SECOND as f64)),
    ),
    sf(
        "unixtime_milliseconds_todatetime",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Num], DataType::DateTime),
        |a, _| Ok(unix(a, 10_000.0)),
    ),
    sf(
        "unixtime_microseconds_todatetime",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Num], DataType::DateTime),
        |a, _| Ok(unix(a, 10.0)),
    ),
    sf(
        "unixtime_nanoseconds_todatetime",
        &[],
        1,
        1,
        |t| check(t, &[Kind::Num], DataType::DateTime),
        |a, _| Ok(unix(a, 0.01)),
    ),
];

/// `base + sign * span`, null on overflow or a null span.
fn shift(base: i64, span: Option<i64>, sign: i64) -> Value {
    span.and_then(|s| s.checked_mul(sign)).and_then(|s| base.checked_add(s)).map_or(Value::Null, Value::DateTime)
}

fn dt(v: &Value) -> Option<NaiveDateTime> {
    to_datetime(v).and_then(datetime_of).map(|d| d.naive_utc())
}

fn ticks(d: NaiveDateTime) -> Value {
    Value::DateTime(ticks_of(&d))
}

fn int_part(a: &[Value], part: &str) -> Value {
    part_of(part, dt(arg(a, 0))).map_or(Value::Null, Value::Int)
}

/// `datetime_part(part, dt)` (`datetime-part-function.md`).
fn part_of(part: &str, d: Option<NaiveDateTime>) -> Option<i32> {
    let d = d?;
    let sub = d.nanosecond() as i32;
    Some(match part.to_ascii_lowercase().as_str() {
        "year" => d.year(),
        "quarter" => (d.month0() / 3 + 1) as i32,
        "month" => d.month() as i32,
        "week_of_year" | "weekofyear" => d.iso_week().week() as i32,
        "day" => d.day() as i32,
        "dayofyear" => d.ordinal() as i32,
        "hour" => d.hour() as i32,
        "minute" => d.minute() as i32,
        "second" => d.second() as i32,
        "millisecond" => sub / 1_000_000,
        "microsecond" => sub / 1_000,
        "nanosecond" => sub,
        _ => return None,
    })
}

#[derive(Clone, Copy)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// `startof*(dt[, offset])` (`end == 0`) and `endof*` (`end == 1`: the last
/// tick before the next period's start).
fn start_of(a: &[Value], unit: Unit, end: i64) -> Value {
    let Some(d) = dt(arg(a, 0)) else { return Value::Null };
    let offset = if a.len() > 1 { long(a, 1) } else { Some(0) };
    let Some(n) = offset.and_then(|o| o.checked_add(end)) else { return Value::Null };
    let date = d.date();
    let start = match unit {
        Unit::Day => Some(date),
        Unit::Week => date.checked_sub_days(chrono::Days::new(u64::from(date.weekday().num_days_from_sunday()))),
        Unit::Month => NaiveDate::from_ymd_opt(date.year(), date.month(), 1),
        Unit::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1),
    };
    let shifted = start.and_then(|s| match unit {
        Unit::Day => add_days(s, n),
        Unit::Week => n.checked_mul(7).and_then(|days| add_days(s, days)),
        Unit::Month => add_months(s, n),
        Unit::Year => n.checked_mul(12).and_then(|m| add_months(s, m)),
    });
    match shifted.map(|s| ticks_of(&s.and_time(NaiveTime::MIN))) {
        Some(t) => Value::DateTime(t.saturating_sub(end)),
        None => Value::Null,
    }
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let days = chrono::Days::new(n.unsigned_abs());
    if n >= 0 { d.checked_add_days(days) } else { d.checked_sub_days(days) }
}

fn add_months(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    let m = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
    if n >= 0 { d.checked_add_months(m) } else { d.checked_sub_months(m) }
}

/// Ticks per fixed-length part, for `datetime_add`/`datetime_diff`.
fn fixed_part(part: &str) -> Option<i64> {
    Some(match part {
        "week" => 7 * TICKS_PER_DAY,
        "day" => TICKS_PER_DAY,
        "hour" => 3600 * TICKS_PER_SECOND,
        "minute" => 60 * TICKS_PER_SECOND,
        "second" => TICKS_PER_SECOND,
        "millisecond" => 10_000,
        "microsecond" => 10,
        _ => return None,
    })
}

/// `datetime_add(part, amount, dt)`; months and years keep the day, clamped
/// to the month's end (`datetime-add-function.md`).
fn datetime_add(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let part = text(a, 0).to_ascii_lowercase();
    let (Some(n), Some(d)) = (long(a, 1), dt(arg(a, 2))) else { return Ok(Value::Null) };
    let months = match part.as_str() {
        "year" => n.checked_mul(12),
        "quarter" => n.checked_mul(3),
        "month" => Some(n),
        "nanosecond" => return Ok(shift(ticks_of(&d), Some(n / 100), 1)),
        other => match fixed_part(other) {
            Some(unit) => return Ok(shift(ticks_of(&d), n.checked_mul(unit), 1)),
            None => return Err(format!("datetime_add(): unknown part {other:?}")),
        },
    };
    let moved = months.and_then(|m| add_months(d.date(), m)).map(|date| date.and_time(d.time()));
    Ok(moved.map_or(Value::Null, ticks))
}

/// `datetime_diff(part, a, b)`: the number of `part` boundaries crossed from
/// `b` to `a` (calendar parts count calendar boundaries; weeks start on Sunday).
fn datetime_diff(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let part = text(a, 0).to_ascii_lowercase();
    let (Some(x), Some(y)) = (to_datetime(arg(a, 1)), to_datetime(arg(a, 2))) else { return Ok(Value::Null) };
    let (Some(dx), Some(dy)) = (dt(arg(a, 1)), dt(arg(a, 2))) else { return Ok(Value::Null) };
    let months = |d: &NaiveDateTime| i64::from(d.year()) * 12 + i64::from(d.month0());
    let v = match part.as_str() {
        "year" => i64::from(dx.year()) - i64::from(dy.year()),
        "quarter" => months(&dx) / 3 - months(&dy) / 3,
        "month" => months(&dx) - months(&dy),
        // Weeks start on Sunday; 1970-01-01 was a Thursday, so shift by 4 days.
        "week" => {
            let week =
                |t: i64| (i128::from(t) + 4 * i128::from(TICKS_PER_DAY)).div_euclid(7 * i128::from(TICKS_PER_DAY));
            (week(x) - week(y)) as i64
        }
        "nanosecond" => return Ok(x.checked_sub(y).and_then(|t| t.checked_mul(100)).map_or(Value::Null, Value::Long)),
        other => match fixed_part(other) {
            Some(unit) => x.div_euclid(unit) - y.div_euclid(unit),
            None => return Err(format!("datetime_diff(): unknown part {other:?}")),
        },
    };
    Ok(Value::Long(v))
}

/// `make_datetime(year, month, day[, hour, minute, second])`; the seconds may
/// carry a fraction. Invalid dates are null.
fn make_datetime(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let int = |i: usize, default: i64| if a.len() > i { long(a, i) } else { Some(default) };
    let u = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    let y = int(0, 0).and_then(|y| i32::try_from(y).ok());
    let date = (|| NaiveDate::from_ymd_opt(y?, u(int(1, 1))?, u(int(2, 1))?))();
    let secs = if a.len() > 5 { real(a, 5) } else { Some(0.0) };
    let time = (|| {
        let s = secs.filter(|s| (0.0..60.0).contains(s))?;
        NaiveTime::from_hms_opt(u(int(3, 0))?, u(int(4, 0))?, s.trunc() as u32).map(|t| (t, s.fract()))
    })();
    match (date, time) {
        (Some(d), Some((t, frac))) => Ok(Value::DateTime(
            ticks_of(&d.and_time(t)).saturating_add((frac * TICKS_PER_SECOND as f64).round() as i64),
        )),
        _ => Ok(Value::Null),
    }
}

/// `unixtime_*_todatetime(n)`: `n` units of `ticks_per_unit` after the epoch.
fn unix(a: &[Value], ticks_per_unit: f64) -> Value {
    let t = real(a, 0).map(|n| n * ticks_per_unit).filter(|t| t.is_finite() && t.abs() < 9.2e18);
    t.map_or(Value::Null, |t| Value::DateTime(t.round() as i64))
}

/// `make_timespan(hour, minute[, second])` or `make_timespan(day, hour, minute, second)`
/// (make-timespan-function.md); null when an argument is null.
fn make_timespan(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let (days, first) = if a.len() == 4 { (long(a, 0), 1) } else { (Some(0), 0) };
    let (Some(d), Some(h), Some(m)) = (days, long(a, first), long(a, first + 1)) else { return Ok(Value::Null) };
    let secs = if a.len() > first + 2 { real(a, first + 2) } else { Some(0.0) };
    let Some(secs) = secs else { return Ok(Value::Null) };
    let whole = d.checked_mul(86_400).and_then(|x| h.checked_mul(3_600).and_then(|y| x.checked_add(y)));
    let whole = whole.and_then(|x| m.checked_mul(60).and_then(|y| x.checked_add(y)));
    let ticks = whole.and_then(|w| w.checked_mul(TICKS_PER_SECOND)).map(|t| t as f64 + secs * TICKS_PER_SECOND as f64);
    Ok(ticks
        .filter(|t| t.is_finite() && t.abs() < i64::MAX as f64)
        .map_or(Value::Null, |t| Value::Timespan(t.round() as i64)))
}
