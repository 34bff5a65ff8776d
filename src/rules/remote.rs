//! What a rule sends to a remote source: its own query text up to the hit
//! point (the rows exclusions see, with all their columns), limited to the
//! rule's own time window (`queryPeriod`). Log Analytics takes the window as
//! its `timespan`; for Defender and ADX a `where` on the time column is
//! appended, which their optimisers push down to the scan.

use crate::data::TICKS_PER_SECOND;
use crate::data::time::format_datetime;
use crate::kql::KqlError;
use crate::kql::eval::Staged;

use super::Rule;
use super::check::query::empty_session;
use super::effective::{hit_point, splice_offset};

/// How the service takes a time window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowBy {
    /// A `| where COLUMN ...` appended to the query (Defender, ADX).
    Where(&'static str),
    /// The request's `timespan` (Log Analytics).
    Timespan,
}

/// The request for one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemotePlan {
    /// The KQL to send.
    pub query: String,
    /// Log Analytics' `timespan`, ISO-8601.
    pub timespan: Option<String>,
    /// The rule's window, when it has one (`queryPeriod`), in ticks.
    pub window: Option<i64>,
    /// Why the window could not be applied, when it could not.
    pub note: Option<String>,
}

/// The request for `rule`: its query up to the hit point, with its window
/// applied `by` the service's means. `now`: the pinned clock (`--now`),
/// which turns the window into absolute times; `None` leaves it relative to
/// the service's clock. An error when the query does not parse.
pub fn plan(rule: &Rule, by: WindowBy, now: Option<i64>) -> Result<RemotePlan, KqlError> {
    let session = empty_session();
    let mut staged = Staged::prepare(&session, &rule.query)?;
    let hit = hit_point(&staged);
    let cut = splice_offset(&rule.query, &staged);
    let mut query = rule.query.get(..cut).unwrap_or(&rule.query).trim_end().to_string();
    let window = rule.extra.get("queryPeriod").and_then(|v| v.as_str()).and_then(parse_period);
    let mut plan = RemotePlan { query: String::new(), timespan: None, window, note: None };
    if let Some(w) = window {
        match by {
            WindowBy::Timespan => {
                plan.timespan = Some(match now {
                    Some(n) => format!("{}/{}", format_datetime(n - w), format_datetime(n)),
                    None => iso_duration(w),
                });
            }
            WindowBy::Where(column) => {
                // Only when the hit rows carry the column (known from the MDE schemas).
                let has = staged.run_to(hit).ok().is_some_and(|f| f.index_of(column).is_some());
                if has {
                    query.push_str(&match now {
                        Some(n) => format!(
                            "\n| where {column} between (datetime({}) .. datetime({}))",
                            format_datetime(n - w),
                            format_datetime(n)
                        ),
                        None => format!("\n| where {column} > ago({})", kusto_span(w)),
                    });
                } else {
                    plan.note = Some(format!("queryPeriod not applied: the hit rows have no {column} column"));
                }
            }
        }
    }
    plan.query = query;
    Ok(plan)
}

/// A Sentinel `queryPeriod`: `5d`, `12h`, `30m`, `90s`, or ISO-8601 `P14D`, `PT5H`, `P1DT12H`.
pub fn parse_period(text: &str) -> Option<i64> {
    let t = text.trim();
    let unit = |c: char| match c.to_ascii_lowercase() {
        'd' => Some(86_400),
        'h' => Some(3_600),
        'm' => Some(60),
        's' => Some(1),
        _ => None,
    };
    let seconds: i64 = if let Some(iso) = t.strip_prefix('P').or_else(|| t.strip_prefix('p')) {
        let (days, time) = iso.split_once(['T', 't']).unwrap_or((iso, ""));
        let mut total = 0i64;
        for (part, in_time) in [(days, false), (time, true)] {
            let mut n = String::new();
            for c in part.chars() {
                if c.is_ascii_digit() {
                    n.push(c);
                } else {
                    let per = match (c.to_ascii_uppercase(), in_time) {
                        ('D', false) => 86_400,
                        ('W', false) => 7 * 86_400,
                        ('H', true) => 3_600,
                        ('M', true) => 60,
                        ('S', true) => 1,
                        _ => return None,
                    };
                    total = total.checked_add(n.parse::<i64>().ok()?.checked_mul(per)?)?;
                    n.clear();
                }
            }
            if !n.is_empty() {
                return None;
            }
        }
        total
    } else {
        let last = t.chars().last()?;
        t[..t.len() - last.len_utf8()].trim().parse::<i64>().ok()?.checked_mul(unit(last)?)?
    };
    (seconds > 0).then(|| seconds.saturating_mul(TICKS_PER_SECOND))
}

/// A KQL timespan literal for `ticks`: `5d`, `12h`, `30m` or `90s`.
fn kusto_span(ticks: i64) -> String {
    let s = ticks / TICKS_PER_SECOND;
    match s {
        _ if s % 86_400 == 0 => format!("{}d", s / 86_400),
        _ if s % 3_600 == 0 => format!("{}h", s / 3_600),
        _ if s % 60 == 0 => format!("{}m", s / 60),
        _ => format!("{s}s"),
    }
}

/// An ISO-8601 duration for `ticks`: `P5D`, `PT12H`, `PT30M`, `PT90S`.
fn iso_duration(ticks: i64) -> String {
    let s = ticks / TICKS_PER_SECOND;
    match s {
        _ if s % 86_400 == 0 => format!("P{}D", s / 86_400),
        _ if s % 3_600 == 0 => format!("PT{}H", s / 3_600),
        _ if s % 60 == 0 => format!("PT{}M", s / 60),
        _ => format!("PT{s}S"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(query: &str, period: Option<&str>) -> Rule {
        let text = match period {
            Some(p) => format!("name: r\nqueryPeriod: {p}\nquery: |\n  {}\n", query.replace('\n', "\n  ")),
            None => format!("name: r\nquery: |\n  {}\n", query.replace('\n', "\n  ")),
        };
        match crate::rules::parse_rule(std::path::Path::new("r.yaml"), &text).unwrap() {
            crate::rules::Parsed::Rule(r) => *r,
            crate::rules::Parsed::NotARule(why) => panic!("{why}"),
        }
    }

    #[test]
    fn periods_parse() {
        let d = 86_400 * TICKS_PER_SECOND;
        assert_eq!(parse_period("5d"), Some(5 * d));
        assert_eq!(parse_period("P14D"), Some(14 * d));
        assert_eq!(parse_period("PT5H"), Some(5 * 3_600 * TICKS_PER_SECOND));
        assert_eq!(parse_period("P1DT12H"), Some(d + 12 * 3_600 * TICKS_PER_SECOND));
        assert_eq!(parse_period("soon"), None);
        assert_eq!(parse_period("0d"), None);
    }

    #[test]
    fn the_query_stops_at_the_hit_point_and_gets_the_window() {
        let r = rule("DeviceProcessEvents\n| where FileName == 'x.exe'\n| summarize count() by DeviceId", Some("5d"));
        let p = plan(&r, WindowBy::Where("Timestamp"), None).unwrap();
        assert_eq!(p.query, "DeviceProcessEvents\n| where FileName == 'x.exe'\n| where Timestamp > ago(5d)");
        let p = plan(&r, WindowBy::Timespan, None).unwrap();
        assert_eq!(p.query, "DeviceProcessEvents\n| where FileName == 'x.exe'");
        assert_eq!(p.timespan.as_deref(), Some("P5D"));
        let now = crate::data::time::parse_datetime("2026-11-20T12:00:00Z").unwrap();
        let p = plan(&r, WindowBy::Timespan, Some(now)).unwrap();
        assert_eq!(p.timespan.as_deref(), Some("2026-11-15T12:00:00Z/2026-11-20T12:00:00Z"));
    }

    #[test]
    fn no_window_without_the_column_or_a_period() {
        let r = rule("DeviceProcessEvents\n| project DeviceId", Some("1h"));
        let p = plan(&r, WindowBy::Where("Timestamp"), None).unwrap();
        assert_eq!(p.query, "DeviceProcessEvents\n| project DeviceId");
        assert!(p.note.is_some());
        let r = rule("DeviceProcessEvents | take 5", None);
        assert_eq!(plan(&r, WindowBy::Where("Timestamp"), None).unwrap().query, "DeviceProcessEvents | take 5");
    }
}
