//! Views pushed on the results pane's stack above its base levels (device
//! groups → a device's hits → a raw event, or an ad-hoc result): frequency
//! views (stacking a column, `f`) and the rows behind one value (Enter in a
//! frequency view). Each keeps its own cursor, sort, filter and scroll, so
//! Esc pops exactly one and returns to where it was. The counts come from
//! [`crate::hunt::stack`], the same function `kqlhunt stack` prints.

use std::borrow::Cow;
use std::cmp::Ordering;

use ratatui::style::Style;
use ratatui::text::Line;

use crate::data::{Bitmap, Value};
use crate::hunt::HuntError;
use crate::hunt::stack::{StackRow, Stacked, column_of, rows_with, stack_cancellable, value_label, value_order};
use crate::kql::eval::Frame;

use super::app::{App, Focus, FrameView};
use super::fmt::short_time;
use super::grid::{GridSource, GridState, SortBy, row_contains};
use super::sources::{GROUP_COLS, HIT_COLS};
use super::theme;

/// The frequency view's columns after the stacked one.
pub const STACK_COLS: [&str; 5] = ["Hits", "Devices", "Hidden", "FirstSeen", "LastSeen"];
/// The frequency view's column of hit counts (rare-first sorts it ascending).
pub const STACK_HITS: usize = 1;

/// A view pushed on the results pane's stack.
#[derive(Clone, Debug)]
pub enum Pushed {
    /// The distinct values of one column.
    Stack(StackView),
    /// Rows (one value's, or a query result opened over the stack).
    Rows(RowsView),
}

impl Pushed {
    /// Its breadcrumb (raw text; the title makes it inert).
    pub fn crumb(&self) -> String {
        match self {
            Pushed::Stack(s) => format!("stack by {}", s.column),
            Pushed::Rows(r) => r.crumb.clone(),
        }
    }
}

/// What `f` stacks: rows, the column, and whose hits they are.
struct Source {
    frame: Frame,
    column: String,
    rule: Option<usize>,
    hits: Option<Vec<u32>>,
    scope: &'static str,
}

/// A frequency view: every distinct value of `column` over some rows.
#[derive(Clone, Debug)]
pub struct StackView {
    /// What the rows are ("hits of the rule", "hits of the device", "rows").
    pub scope: &'static str,
    /// The stacked column's name.
    pub column: String,
    col: usize,
    /// The rows stacked.
    frame: Frame,
    /// The rule whose hits the rows are (hidden counts and `x` apply), if any.
    pub rule: Option<usize>,
    /// Per frame row, its position in the rule's hits.
    hits: Option<Vec<u32>>,
    /// The column stacked (by the background job), with its hidden counts.
    stacked: Stacked,
    /// The rule generation the hidden counts were made at (recounted when it moves).
    seen: Option<u64>,
    /// The values shown: sorted and filtered as `grid` and `filter` say.
    pub rows: Vec<StackRow>,
    shown: Option<(Option<SortBy>, String, Vec<String>)>,
    /// The selected row.
    pub selected: usize,
    /// Column cursor, scroll and sort (hits ascending: rare first).
    pub grid: GridState,
    /// Values shown contain this text (`/`).
    pub filter: String,
}

/// Rows pushed on the stack, with where they came from.
#[derive(Clone, Debug)]
pub struct RowsView {
    /// The rows, on the grid.
    pub view: FrameView,
    /// The breadcrumb (the value, `query`).
    pub crumb: String,
    /// The rule whose hits the rows are, if any.
    pub rule: Option<usize>,
    /// Per row of `view.base`, its position in the rule's hits.
    hits: Option<Vec<u32>>,
    /// An ad-hoc query's result (a new query replaces it when it is on top).
    query: bool,
}

impl StackView {
    /// Every value, rare-first, with its hidden count.
    pub fn all(&self) -> &[StackRow] {
        &self.stacked.rows
    }
}

impl RowsView {
    /// An ad-hoc result opened over the stack.
    pub fn query(view: FrameView) -> RowsView {
        RowsView { view, crumb: "query".into(), rule: None, hits: None, query: true }
    }

    /// True for an ad-hoc query's result (not a value's rows).
    pub fn is_query(&self) -> bool {
        self.query
    }
}

/// A frequency view as a grid source.
pub struct StackSource<'a> {
    /// The stacked column's name.
    pub column: &'a str,
    /// The values in display order.
    pub rows: &'a [StackRow],
}

impl GridSource for StackSource<'_> {
    fn rows(&self) -> usize {
        self.rows.len()
    }

    fn cols(&self) -> usize {
        STACK_COLS.len() + 1
    }

    fn header(&self, col: usize) -> Cow<'_, str> {
        match col {
            0 => Cow::Borrowed(self.column),
            c => Cow::Borrowed(STACK_COLS.get(c - 1).copied().unwrap_or("")),
        }
    }

    fn cell(&self, row: usize, col: usize) -> Line<'_> {
        let Some(r) = self.rows.get(row) else { return Line::default() };
        match col {
            // Null and empty are spelled out, dimmed, so they never read as a blank.
            0 if r.value.is_null() || value_label(&r.value) == "(empty)" => {
                Line::styled(value_label(&r.value), theme::DIM)
            }
            0 => Line::raw(super::grid::clip(&value_label(&r.value)).to_string()),
            1 => Line::raw(r.hits.to_string()),
            2 => Line::raw(r.devices.map(|d| d.to_string()).unwrap_or_default()),
            3 if r.hidden > 0 => Line::styled(r.hidden.to_string(), theme::WARN),
            3 => Line::raw("0"),
            4 => Line::raw(short_time(r.first_seen)),
            5 => Line::raw(short_time(r.last_seen)),
            _ => Line::default(),
        }
    }

    fn row_style(&self, row: usize) -> Style {
        match self.rows.get(row) {
            Some(r) if r.hidden == r.hits => theme::DIM,
            _ => Style::new(),
        }
    }
}

/// Stack rows ordered by `sort`, ties by value (so hits ascending is
/// exactly `kqlhunt stack`'s rare-first order).
pub fn stack_order(sort: SortBy, a: &StackRow, b: &StackRow) -> Ordering {
    let o = match sort.col {
        0 => value_order(&a.value, &b.value),
        1 => a.hits.cmp(&b.hits),
        2 => a.devices.cmp(&b.devices),
        3 => a.hidden.cmp(&b.hidden),
        4 => a.first_seen.cmp(&b.first_seen),
        5 => a.last_seen.cmp(&b.last_seen),
        _ => Ordering::Equal,
    };
    let o = if sort.desc { o.reverse() } else { o };
    o.then_with(|| value_order(&a.value, &b.value))
}

/// The column of the rule's hits a base grid's column stands for, if any.
fn hit_column(header: &str) -> Option<&str> {
    match header.trim() {
        "Time" | "FirstSeen" | "LastSeen" => Some("Timestamp"),
        "ReportIds" => Some("ReportId"),
        "Hits" | "Key fields" => None,
        h => Some(h),
    }
}

impl App {
    /// The frequency view on top of the stack, if that is what shows.
    pub fn top_stack(&self) -> Option<&StackView> {
        match self.results.views.last()? {
            Pushed::Stack(s) => Some(s),
            Pushed::Rows(_) => None,
        }
    }

    /// `None` when no view is pushed; else the rows on top, if rows are on top.
    pub fn pushed_rows(&self) -> Option<Option<&FrameView>> {
        Some(match self.results.views.last()? {
            Pushed::Rows(r) => Some(&r.view),
            Pushed::Stack(_) => None,
        })
    }

    /// `f`: stacks the cursor column of the grid shown (a raw event's
    /// selected field) and pushes the frequency view. The rows are a table
    /// result's, a device's hits from its hit list, else all the rule's hits.
    pub(super) fn open_stack(&mut self) {
        if self.focus != Focus::Results || self.top_stack().is_some() {
            return;
        }
        let Source { frame, column, rule, hits, scope } = match self.stack_source() {
            Ok(src) => src,
            Err(message) => {
                self.status.message = Some(message);
                return;
            }
        };
        let col = match column_of(&frame, &column) {
            Ok(c) => c,
            Err(e) => {
                self.status.message = Some(format!("stack: {e}"));
                return;
            }
        };
        let view = StackView {
            scope,
            column: column.clone(),
            col,
            frame,
            rule,
            hits,
            stacked: Stacked::default(),
            seen: None,
            rows: Vec::new(),
            shown: None,
            selected: 0,
            grid: GridState::new(Some(SortBy { col: STACK_HITS, desc: false })),
            filter: String::new(),
        };
        // Stacking a million rows takes a while: the job does it, the view is pushed when it ends.
        let rows = view.frame.len();
        self.start_job(format!("stacking {column} over {rows} rows"), move |cancel| {
            let result = stack_cancellable(&view.frame, view.col, &cancel);
            Box::new(move |app: &mut App, cancelled| app.stack_done(view, result, cancelled))
        });
    }

    /// A finished stacking job: pushes its frequency view (its hidden counts
    /// are made in `derive`, from the exclusions as they are now).
    pub(super) fn stack_done(&mut self, mut view: StackView, result: Result<Stacked, HuntError>, cancelled: bool) {
        match result {
            Ok(stacked) if !cancelled => {
                view.stacked = stacked;
                self.results.views.push(Pushed::Stack(view));
            }
            Ok(_) | Err(HuntError::Cancelled) => {
                self.status.message = Some(format!("stacking {}: cancelled", view.column))
            }
            Err(e) => self.status.message = Some(format!("stack: {e}")),
        }
    }

    /// What `f` stacks now: (rows, column name, their rule, hit positions).
    fn stack_source(&self) -> Result<Source, String> {
        let cursor_name =
            |v: &FrameView| v.base.as_ref().ok().and_then(|f| f.cols().get(v.grid.cursor)).map(|c| c.name.clone());
        if let Some(Pushed::Rows(rv)) = self.results.views.last() {
            let base = rv.view.base.clone().map_err(|_| "stack: no rows".to_string())?;
            let name = cursor_name(&rv.view).ok_or("stack: no column")?;
            return Ok(Source { frame: base, column: name, rule: rv.rule, hits: rv.hits.clone(), scope: "rows" });
        }
        if let Some(v) = self.results.adhoc.as_ref().or(self.frame_view()) {
            let base = v.base.clone().map_err(|_| "stack: the result is an error".to_string())?;
            let name = cursor_name(v).ok_or("stack: the result has no column")?;
            return Ok(Source { frame: base, column: name, rule: None, hits: None, scope: "rows" });
        }
        let r = self.rule().ok_or("stack: no rule selected")?;
        let (_, run) = self.hunt.get(r).ok_or("stack: no rule selected")?;
        let frame = run.hit_frame().ok_or("stack: the rule does not run")?;
        // A device's hit list stacks that device's hits (hidden ones too); a
        // raw event's field and the device groups stack all the rule's hits,
        // as `kqlhunt stack --rule` does: how rare is this value for the rule?
        let (header, device) = match &self.results.drill {
            Some(d) => match &d.event {
                Some(ev) => (ev.fields.get(ev.selected).map(|(k, _)| k.clone()), None),
                None => (HIT_COLS.get(d.grid.cursor).map(|h| h.to_string()), run.groups.get(d.group)),
            },
            None => (GROUP_COLS.get(self.results.grid.cursor).map(|h| h.to_string()), None),
        };
        let header = header.unwrap_or_default();
        let column = hit_column(&header).ok_or_else(|| {
            format!(
                "stack: {} is not a column of the hits; open an event (Enter) and press f on a field",
                header.trim()
            )
        })?;
        let hits: Vec<u32> = match device {
            Some(g) => g.hits.clone(),
            None => (0..frame.len() as u32).collect(),
        };
        let rows = if device.is_none() { frame.clone() } else { frame.take_rows(&hits) };
        let scope = if device.is_none() { "hits of the rule" } else { "hits of the device" };
        Ok(Source { frame: rows, column: column.to_string(), rule: Some(r), hits: Some(hits), scope })
    }

    /// Enter on a value: pushes the rows that hold it.
    pub(super) fn drill_value(&mut self) {
        let Some(s) = self.top_stack() else { return };
        let Some(row) = s.rows.get(s.selected) else { return };
        let keep = rows_with(&s.frame, s.col, &row.value);
        let base = s.frame.take_rows(&keep);
        let hits = s.hits.as_ref().map(|h| keep.iter().filter_map(|&i| h.get(i as usize).copied()).collect());
        // The crumb before it names the column.
        let crumb = value_label(&row.value);
        let notes = if row.hidden > 0 { vec![format!("{} hidden by exclusions", row.hidden)] } else { Vec::new() };
        let view = FrameView::new("rows with this value".into(), Ok(base), notes);
        let rows = RowsView { view, crumb, rule: s.rule, hits, query: false };
        self.results.views.push(Pushed::Rows(rows));
    }

    /// `x` on a value: proposes `COLUMN == value` as an exclusion of the
    /// rule, previewed (alone and with the active set) before it is added.
    pub(super) fn propose_value(&mut self) {
        let Some(s) = self.top_stack() else { return };
        let Some(row) = s.rows.get(s.selected) else { return };
        let Some(rule) = s.rule.filter(|r| Some(*r) == self.rule()) else {
            self.status.message = Some("x: exclusions apply to a rule's hits; this is a query result".into());
            return;
        };
        let value = if row.value.is_null() { Value::Null } else { row.value.clone() };
        let column = s.column.clone();
        // The operator chooser: what the term hides alone and with the active set.
        self.propose(rule, &column, &value);
    }

    /// Recounts the hidden hits of a frequency view whose rule changed
    /// since (its generation moved: a toggle, an edit), and re-sorts /
    /// re-filters one whose sort or filter changed; nothing else.
    pub(super) fn derive_views(&mut self) {
        for v in &mut self.results.views {
            let Pushed::Stack(s) = v else { continue };
            let run = s.rule.and_then(|r| Some((self.hunt.rule_generation(r), &self.hunt.get(r)?.1.hidden)));
            let generation = run.map(|(g, _)| g);
            if s.shown.is_none() || s.seen != generation {
                let mask = match (run, &s.hits) {
                    (Some((_, h)), Some(hits)) => Some(Bitmap::from_bools(hits.iter().map(|&i| h.get(i as usize)))),
                    _ => None,
                };
                s.stacked.count_hidden(mask.as_ref());
                s.seen = generation;
                s.shown = None;
            }
            let key = (s.grid.sort, s.filter.clone(), s.grid.columns.hidden.clone());
            if s.shown.as_ref() == Some(&key) {
                continue;
            }
            self.derived.rebuilds.views += 1;
            let keep = s.rows.get(s.selected).map(|r| value_label(&r.value));
            let mut rows = s.stacked.rows.clone();
            if let Some(sort) = s.grid.sort {
                rows.sort_by(|a, b| stack_order(sort, a, b));
            }
            let needle = s.filter.to_lowercase();
            if !needle.is_empty() {
                let src = StackSource { column: &s.column, rows: &rows };
                let shown = s.grid.columns.arrange(&src);
                let hit: Vec<bool> = (0..rows.len()).map(|i| row_contains(&src, &shown, i, &needle)).collect();
                let mut it = hit.into_iter();
                rows.retain(|_| it.next().unwrap_or(false));
            }
            s.selected = keep
                .and_then(|k| rows.iter().position(|r| value_label(&r.value) == k))
                .unwrap_or(s.selected)
                .min(rows.len().saturating_sub(1));
            s.rows = rows;
            s.shown = Some(key);
        }
    }
}
