//! The device-group list and a device's hit list as grid sources, and how
//! each of their columns sorts. Cells are raw text; the grid makes it inert.

use std::borrow::Cow;
use std::cmp::Ordering;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::hunt::{DeviceGroup, RuleRun};

use super::fmt::short_time;
use super::grid::{GridSource, SortBy, clip};
use super::panes::before_after;
use super::theme;

/// The device-group columns, pinned first.
pub const GROUP_COLS: [&str; 7] = ["  DeviceName", "Hits", "Hidden", "FirstSeen", "LastSeen", "ReportIds", "DeviceId"];
/// The device-group column of hit counts (the default sort, most first).
pub const GROUP_HITS: usize = 1;
/// The hit-list columns, pinned first.
pub const HIT_COLS: [&str; 5] = ["ReportId", "Time", "ActionType", "Hidden by", "Key fields"];
/// The hit-list column of times (the default sort, oldest first).
pub const HIT_TIME: usize = 1;

/// One row of a device's hit list.
#[derive(Clone, Debug, PartialEq)]
pub struct HitRow {
    /// Position in the rule's hits.
    pub hit: u32,
    /// Hidden by an active exclusion.
    pub hidden: bool,
    /// Marked as a false positive.
    pub marked: bool,
    /// `Timestamp`, formatted.
    pub time: String,
    /// `ReportId`.
    pub report: String,
    /// `ActionType`.
    pub action: String,
    /// The active exclusions that hide it, by name (empty when shown).
    pub hidden_by: String,
    /// The key fields (FileName, command line / remote URL, ...).
    pub detail: String,
}

/// `11-20 12:00`: month, day and time, for narrow columns.
fn compact_time(t: Option<i64>) -> String {
    let full = short_time(t);
    full.get(5..).map(str::to_string).unwrap_or(full)
}

/// A rule's device groups in display order.
pub struct GroupSource<'a> {
    /// The rule's run.
    pub run: &'a RuleRun,
    /// Group indices in display order.
    pub order: &'a [usize],
}

impl GroupSource<'_> {
    fn group(&self, row: usize) -> Option<&DeviceGroup> {
        self.run.groups.get(*self.order.get(row)?)
    }
}

impl GridSource for GroupSource<'_> {
    fn rows(&self) -> usize {
        self.order.len()
    }

    fn cols(&self) -> usize {
        GROUP_COLS.len()
    }

    fn header(&self, col: usize) -> Cow<'_, str> {
        Cow::Borrowed(GROUP_COLS.get(col).copied().unwrap_or(""))
    }

    fn cell(&self, row: usize, col: usize) -> Line<'_> {
        let Some(g) = self.group(row) else { return Line::default() };
        match col {
            0 => {
                let mark = match (g.hits_after == 0, g.hits_after != g.hits_before()) {
                    (true, _) => Span::styled("∅ ", theme::DIM),
                    (false, true) => Span::styled("~ ", theme::CHANGED),
                    _ => Span::raw("  "),
                };
                Line::from(vec![mark, Span::raw(clip(&g.device_name))])
            }
            1 => before_after(g.hits_before(), g.hits_after),
            2 => match g.hits_before() - g.hits_after {
                0 => Line::default(),
                n => Line::styled(n.to_string(), theme::WARN),
            },
            3 => Line::raw(compact_time(g.first_seen)),
            4 => Line::raw(compact_time(g.last_seen)),
            5 => {
                // Only as many ids as a cell can ever show.
                let ids: Vec<String> = g.report_ids.iter().take(64).map(i64::to_string).collect();
                Line::raw(format!("{}: {}", g.report_ids.len(), ids.join(",")))
            }
            6 => Line::raw(clip(&g.device_id)),
            _ => Line::default(),
        }
    }

    fn row_style(&self, row: usize) -> Style {
        match self.group(row) {
            Some(g) if g.hits_after == 0 => theme::DIM,
            _ => Style::new(),
        }
    }
}

/// Device groups `a` and `b` ordered by `sort`, ties by name.
pub fn group_order(sort: SortBy, a: &DeviceGroup, b: &DeviceGroup) -> Ordering {
    let name = |g: &DeviceGroup| g.device_name.to_lowercase();
    let o = match sort.col {
        0 => name(a).cmp(&name(b)),
        1 => (a.hits_after, a.hits_before()).cmp(&(b.hits_after, b.hits_before())),
        2 => (a.hits_before() - a.hits_after).cmp(&(b.hits_before() - b.hits_after)),
        3 => a.first_seen.cmp(&b.first_seen),
        4 => a.last_seen.cmp(&b.last_seen),
        5 => a.report_ids.len().cmp(&b.report_ids.len()),
        6 => a.device_id.cmp(&b.device_id),
        _ => Ordering::Equal,
    };
    let o = if sort.desc { o.reverse() } else { o };
    o.then_with(|| name(a).cmp(&name(b)))
}

/// A device's hits; hidden ones dimmed and marked.
pub struct HitSource<'a> {
    /// The rows in display order.
    pub rows: &'a [HitRow],
    /// Some row is hidden, so the id column carries a mark column's room.
    pub marks: bool,
    /// Some hit of the rule is marked as a false positive: the id column
    /// carries the `FP` marker's room.
    pub fp: bool,
}

impl GridSource for HitSource<'_> {
    fn rows(&self) -> usize {
        self.rows.len()
    }

    fn cols(&self) -> usize {
        HIT_COLS.len()
    }

    fn header(&self, col: usize) -> Cow<'_, str> {
        match HIT_COLS.get(col) {
            // Aligned over the ids when rows carry marks.
            Some(h) if col == 0 && (self.marks || self.fp) => Cow::Owned(format!(
                "{}{}{h}",
                if self.fp { "   " } else { "" },
                if self.marks { "       " } else { "" }
            )),
            Some(h) => Cow::Borrowed(h),
            None => Cow::Borrowed(""),
        }
    }

    fn cell(&self, row: usize, col: usize) -> Line<'_> {
        let Some(h) = self.rows.get(row) else { return Line::default() };
        match col {
            0 => {
                let mark = match (h.hidden, self.marks) {
                    (true, _) => Span::styled("hidden ", theme::WARN),
                    (false, true) => Span::raw("       "),
                    (false, false) => Span::raw(""),
                };
                let fp = match (h.marked, self.fp) {
                    (true, _) => Span::styled("FP ", theme::CHANGED),
                    (false, true) => Span::raw("   "),
                    (false, false) => Span::raw(""),
                };
                Line::from(vec![fp, mark, Span::raw(h.report.as_str())])
            }
            1 => Line::raw(h.time.get(..19).unwrap_or(&h.time).replace('T', " ")),
            2 => Line::raw(clip(&h.action)),
            3 => Line::styled(clip(&h.hidden_by), theme::WARN),
            4 => Line::raw(clip(&h.detail)),
            _ => Line::default(),
        }
    }

    fn row_style(&self, row: usize) -> Style {
        match self.rows.get(row) {
            Some(h) if h.hidden => theme::DIM,
            _ => Style::new(),
        }
    }
}

/// Hits `a` and `b` ordered by `sort`, ties in file order.
pub fn hit_order(sort: SortBy, a: &HitRow, b: &HitRow) -> Ordering {
    let o = match sort.col {
        // ReportIds are numbers; a missing one sorts first.
        0 => (a.report.parse::<i64>().ok(), &a.report).cmp(&(b.report.parse::<i64>().ok(), &b.report)),
        1 => a.time.cmp(&b.time),
        2 => a.action.cmp(&b.action),
        3 => a.hidden_by.cmp(&b.hidden_by),
        4 => a.detail.cmp(&b.detail),
        _ => Ordering::Equal,
    };
    let o = if sort.desc { o.reverse() } else { o };
    o.then(a.hit.cmp(&b.hit))
}
