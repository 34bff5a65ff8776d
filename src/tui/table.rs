//! What every tabular view shares: which grid the results pane shows, its
//! column cursor (the horizontal scroll follows it), its sort, and the cell
//! inspector, and clicks on its header. Device groups and hit lists sort in
//! `derive`; a table result is re-sorted here with the evaluator's own
//! `sort by` ordering.

use ratatui::layout::{Margin, Position};

use crate::kql::eval::functions::convert::as_text;
use crate::kql::eval::{Frame, sort_by_column};

use super::app::{App, CellView, Focus, FrameView, Overlay};
use super::columns::Arranged;
use super::fmt::pretty;
use super::grid::{FrameSource, GridSource, GridState, SortBy, follow, placed};
use super::layout::{self, offset};
use super::sources::{GroupSource, HitSource};
use super::stack::{Pushed, StackSource};

/// The grid the results pane shows now: its source, selected row and state.
pub struct GridView<'a> {
    /// The table (every column, in its own order; `state.columns` arranges it).
    pub source: Box<dyn GridSource + 'a>,
    /// The selected row.
    pub selected: usize,
    /// Cursor, scroll, sort and column layout.
    pub state: &'a GridState,
}

impl GridView<'_> {
    /// The source as the layout shows it: visible columns in display order.
    pub fn arranged(&self) -> Arranged<'_> {
        Arranged::new(self.source.as_ref(), &self.state.columns)
    }
}

impl App {
    /// The grid the results pane shows, if it shows one (not for a raw
    /// event, an error or a rule without hits).
    pub fn grid_view(&self) -> Option<GridView<'_>> {
        let r = &self.results;
        if let Some(s) = self.top_stack() {
            let source = Box::new(StackSource { column: &s.column, rows: &s.rows });
            return Some(GridView { source, selected: s.selected, state: &s.grid });
        }
        if let Some(v) = self.frame_view() {
            let frame = v.frame.as_ref().ok()?;
            return Some(GridView { source: Box::new(FrameSource(frame)), selected: v.selected, state: &v.grid });
        }
        let (_, run) = self.rule().and_then(|i| self.hunt.get(i))?;
        match &r.drill {
            Some(d) if d.event.is_some() => None,
            Some(d) => Some(GridView {
                source: Box::new(HitSource {
                    rows: &d.rows,
                    marks: d.marks,
                    fp: self.rule().is_some_and(|r| self.marks.count(r) > 0),
                }),
                selected: d.selected,
                state: &d.grid,
            }),
            None if run.groups.is_empty() => None,
            None => Some(GridView {
                source: Box::new(GroupSource { run, order: &r.order }),
                selected: r.selected,
                state: &r.grid,
            }),
        }
    }

    pub(super) fn grid_state_mut(&mut self) -> Option<&mut GridState> {
        let r = &mut self.results;
        match r.views.last_mut() {
            Some(Pushed::Stack(s)) => return Some(&mut s.grid),
            Some(Pushed::Rows(v)) => return Some(&mut v.view.grid),
            None => {}
        }
        if let Some(v) = r.adhoc.as_mut() {
            return Some(&mut v.grid);
        }
        match r.drill.as_mut() {
            Some(d) if d.event.is_some() => None,
            Some(d) => Some(&mut d.grid),
            None => Some(match r.output.as_mut() {
                Some(v) => &mut v.grid,
                None => &mut r.grid,
            }),
        }
    }

    /// Applies `edit` to the state of the grid shown (given its source,
    /// every column), then puts the cursor on a shown column and scrolls so
    /// it shows. `None` when no grid shows or the results pane is not focused.
    pub(super) fn edit_grid<T>(&mut self, edit: impl FnOnce(&mut GridState, &dyn GridSource) -> T) -> Option<T> {
        if self.focus != Focus::Results {
            return None;
        }
        let area = layout::areas(self).results;
        let (width, height) = (area.width.saturating_sub(2), area.height.saturating_sub(3) as usize);
        let view = self.grid_view()?;
        let mut st = view.state.clone();
        let out = edit(&mut st, view.source.as_ref());
        let shown = Arranged::new(view.source.as_ref(), &st.columns);
        // A cursor on a column that no longer shows goes to the first one.
        let at = shown.position(st.cursor).unwrap_or(0);
        st.cursor = shown.order.get(at).copied().unwrap_or(0);
        let first = offset(view.selected, height);
        st.col_offset = follow(&shown, width, (first, height), at, st.col_offset);
        drop(shown);
        drop(view);
        let hidden_changed = self.grid_view().is_some_and(|v| v.state.columns.hidden != st.columns.hidden);
        *self.grid_state_mut()? = st;
        if hidden_changed {
            // A filter matches shown columns only: re-filter the table result shown.
            self.refresh_table();
        }
        let r = &mut self.results;
        if let Some(d) = r.drill.as_ref().filter(|d| d.event.is_none() && r.views.is_empty() && r.adhoc.is_none()) {
            // A hit list's layout is the next hit list's too.
            r.hit_columns = d.grid.columns.clone();
        }
        Some(out)
    }

    /// A click on the results grid's header line: on a column's header it
    /// puts the cursor there; on the cursor's own header it sorts by it
    /// (ascending, then flipped). False when (x, y) is not on that line.
    pub(super) fn click_header(&mut self, x: u16, y: u16) -> bool {
        let inner = layout::areas(self).results.inner(Margin::new(1, 1));
        if y != inner.y || !inner.contains(Position::new(x, y)) {
            return false;
        }
        let Some(view) = self.grid_view() else { return false };
        let (shown, st) = (view.arranged(), view.state);
        let sort = st.sort.and_then(|s| Some(SortBy { col: shown.position(s.col)?, desc: s.desc }));
        let cursor = shown.position(st.cursor).unwrap_or(0);
        let dx = x - inner.x;
        let hit = placed(&shown, inner, view.selected, st.col_offset, Some(cursor), sort)
            .into_iter()
            .find(|p| dx >= p.x && dx < p.x.saturating_add(p.width))
            .and_then(|p| shown.order.get(p.col).copied());
        let ascending = st.sort.is_some_and(|s| Some(s.col) == hit && !s.desc);
        let on_cursor = hit == Some(st.cursor);
        drop(shown);
        drop(view);
        self.focus = Focus::Results;
        match hit {
            Some(_) if on_cursor => self.sort_grid(ascending),
            Some(col) => {
                self.edit_grid(|st, _| st.cursor = col);
            }
            None => {}
        }
        true
    }

    /// Moves the column cursor by `delta` shown columns (clamped) and scrolls so it shows.
    pub(super) fn move_cursor(&mut self, delta: isize) {
        self.edit_grid(|st, src| {
            let order = st.columns.arrange(src);
            let at = order.iter().position(|&c| c == st.cursor).unwrap_or(0);
            let to = at.saturating_add_signed(delta).min(order.len().saturating_sub(1));
            st.cursor = order.get(to).copied().unwrap_or(0);
        });
    }

    /// `s` sorts ascending by the cursor's column; `r` (`reverse`) flips the
    /// sort, or sorts descending by the cursor's column when there is none.
    pub(super) fn sort_grid(&mut self, reverse: bool) {
        if self.grid_view().is_none() {
            return;
        }
        let Some(st) = self.grid_state_mut() else { return };
        st.sort = Some(match (reverse, st.sort) {
            (true, Some(s)) => SortBy { col: s.col, desc: !s.desc },
            (true, None) => SortBy { col: st.cursor, desc: true },
            (false, _) => SortBy { col: st.cursor, desc: false },
        });
        // Frequency views re-sort in `derive`; table results (the rule's output too) here.
        self.refresh_table();
    }

    /// The row filter of the grid shown, if one is.
    pub(super) fn filter_mut(&mut self) -> Option<&mut String> {
        self.grid_view()?;
        let r = &mut self.results;
        match r.views.last_mut() {
            Some(Pushed::Stack(s)) => return Some(&mut s.filter),
            Some(Pushed::Rows(v)) => return Some(&mut v.view.filter),
            None => {}
        }
        if let Some(v) = r.adhoc.as_mut() {
            return Some(&mut v.filter);
        }
        match r.drill.as_mut() {
            Some(d) => Some(&mut d.filter),
            None => Some(match r.output.as_mut() {
                Some(v) => &mut v.filter,
                None => &mut r.filter,
            }),
        }
    }

    /// Sets the row filter of the grid shown (the input line types it live).
    pub(super) fn set_filter(&mut self, text: &str) {
        if let Some(f) = self.filter_mut() {
            *f = text.to_string();
        }
        self.refresh_table();
    }

    /// Re-sorts and re-filters the table result shown (the top of the
    /// stack, the ad-hoc result, or the rule's own output).
    fn refresh_table(&mut self) {
        let r = &mut self.results;
        match r.views.last_mut() {
            Some(Pushed::Rows(v)) => v.view.refresh(),
            Some(Pushed::Stack(_)) => {}
            None => {
                if let Some(v) = r.adhoc.as_mut() {
                    v.refresh();
                } else if let Some(v) = r.output.as_mut().filter(|_| r.drill.is_none()) {
                    v.refresh();
                }
            }
        }
    }

    /// Opens the cell inspector on the selected row's cursor cell of a table result.
    pub(super) fn inspect(&mut self) {
        let Some(v) = self.frame_view() else { return };
        let Ok(frame) = &v.frame else { return };
        if v.selected >= frame.len() {
            return;
        }
        let Some(col) = frame.cols().get(v.grid.cursor) else { return };
        let text = pretty(&frame.value(v.selected, v.grid.cursor));
        self.overlay = Overlay::Cell(CellView { column: col.name.clone(), text, scroll: 0 });
    }
}

impl FrameView {
    /// A result as it came: in its own order, unfiltered.
    pub fn new(title: String, base: Result<Frame, String>, notes: Vec<String>) -> FrameView {
        let frame = base.clone();
        FrameView { title, base, frame, filter: String::new(), notes, selected: 0, grid: GridState::new(None) }
    }

    /// Takes `old`'s column layout (a new run of the query shows the
    /// columns as the analyst left them); the cursor starts on the first shown column.
    pub fn keep_layout(&mut self, old: &FrameView) {
        self.grid.columns = old.grid.columns.clone();
        if let Ok(frame) = &self.frame {
            self.grid.cursor = self.grid.columns.first_shown(&FrameSource(frame));
        }
    }

    /// Re-derives the shown frame from the base: sorted as `| sort by`
    /// would, then only rows with a cell containing the filter text.
    pub fn refresh(&mut self) {
        let Ok(base) = &self.base else {
            self.frame = self.base.clone();
            return;
        };
        let mut frame = match self.grid.sort {
            Some(s) => sort_by_column(base, s.col, s.desc),
            None => base.clone(),
        };
        let needle = self.filter.to_lowercase();
        if !needle.is_empty() {
            // Only shown columns match (a hidden column would keep rows with no visible reason).
            let shown = self.grid.columns.arrange(&FrameSource(&frame));
            let keep: Vec<u32> = (0..frame.len())
                .filter(|&r| shown.iter().any(|&c| as_text(&frame.value(r, c)).to_lowercase().contains(&needle)))
                .map(|r| r as u32)
                .collect();
            frame = frame.take_rows(&keep);
        }
        self.selected = self.selected.min(frame.len().saturating_sub(1));
        self.frame = Ok(frame);
    }
}
