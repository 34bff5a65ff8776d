//! `format_datetime` and `format_timespan` with Kusto's format specifiers
//! (`format-datetime-function.md`, `format-timespan-function.md`): `d`, `dd`,
//! `f`…`fffffff`, `F`…`FFFFFFF`, `h`, `hh`, `H`, `HH`, `m`, `mm`, `M`, `MM`,
//! `s`, `ss`, `y`, `yy`, `yyyy`, `tt`; any other character is copied.

use chrono::{Datelike, Timelike};

use super::args::{Kind, check, s, sf, text};
use super::convert::{to_datetime, to_timespan};
use super::{FnCtx, ScalarFn};
use crate::data::time::datetime_of;
use crate::data::{DataType, TICKS_PER_DAY, TICKS_PER_SECOND, Value};

/// Registry entries of this module.
pub(super) const FNS: &[ScalarFn] = &[
    sf("format_datetime", &[], 2, 2, |t| check(t, &[Kind::Time, Kind::Text], DataType::String), format_datetime),
    sf("format_timespan", &[], 2, 2, |t| check(t, &[Kind::Span, Kind::Text], DataType::String), format_timespan),
];

/// The fields a format can print.
struct Parts {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    /// Sub-second ticks (0..10^7).
    frac: i64,
}

/// Renders `fmt`: runs of one specifier letter become one field.
fn render(fmt: &str, p: &Parts, day_digits_from_total: bool) -> String {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let run = chars.get(i..).map_or(1, |r| r.iter().take_while(|&&x| x == c).count());
        i += run;
        let pad = |v: i64, w: usize| format!("{v:0w$}");
        match c {
            'y' if run >= 3 => out.push_str(&pad(p.year, run)),
            'y' => out.push_str(&pad(p.year % 100, run)),
            'M' => out.push_str(&pad(p.month, run.min(2))),
            'd' if day_digits_from_total => out.push_str(&pad(p.day, run)),
            'd' => out.push_str(&pad(p.day, run.min(2))),
            'H' => out.push_str(&pad(p.hour, run.min(2))),
            'h' => out.push_str(&pad(if p.hour % 12 == 0 { 12 } else { p.hour % 12 }, run.min(2))),
            'm' => out.push_str(&pad(p.minute, run.min(2))),
            's' => out.push_str(&pad(p.second, run.min(2))),
            'f' | 'F' => {
                let digits = format!("{:07}", p.frac);
                let mut part = digits.get(..run.min(7)).unwrap_or("").to_string();
                if c == 'F' {
                    part.truncate(part.trim_end_matches('0').len());
                    if part.is_empty() && out.ends_with('.') {
                        out.pop();
                    }
                }
                out.push_str(&part);
            }
            't' => out.push_str(if p.hour < 12 { "AM" } else { "PM" }),
            other => out.extend(std::iter::repeat_n(other, run)),
        }
    }
    out
}

fn format_datetime(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(t) = a.first().and_then(to_datetime) else { return s("") };
    let Some(d) = datetime_of(t) else { return s("") };
    let p = Parts {
        year: i64::from(d.year()),
        month: i64::from(d.month()),
        day: i64::from(d.day()),
        hour: i64::from(d.hour()),
        minute: i64::from(d.minute()),
        second: i64::from(d.second()),
        frac: t.rem_euclid(TICKS_PER_SECOND),
    };
    s(render(&text(a, 1), &p, false))
}

fn format_timespan(a: &[Value], _: &FnCtx) -> Result<Value, String> {
    let Some(t) = a.first().and_then(to_timespan) else { return s("") };
    let abs = t.unsigned_abs();
    let (day, per_s) = (TICKS_PER_DAY as u64, TICKS_PER_SECOND as u64);
    let p = Parts {
        year: 0,
        month: 0,
        day: (abs / day) as i64,
        hour: (abs % day / (3600 * per_s)) as i64,
        minute: (abs / (60 * per_s) % 60) as i64,
        second: (abs / per_s % 60) as i64,
        frac: (abs % per_s) as i64,
    };
    let body = render(&text(a, 1), &p, true);
    s(if t < 0 { format!("-{body}") } else { body })
}
