//! What every tabular view shares: which grid the results pane shows, its
//! column cursor (the horizontal scroll follows it), its sort, and the cell
//! inspector. Device groups and hit lists sort in `derive`; a table result
//! is re-sorted here with the evaluator's own `sort by` ordering.

use crate::kql::eval::functions::convert::as_text;
use crate::kql::eval::{Frame, sort_by_column};

use super::app::{App, CellView, Focus, FrameView, Overlay};
use super::fmt::pretty;
use super::grid::{FrameSource, GridSource, GridState, SortBy, follow};
use super::layout::{self, offset};
use super::sources::{GroupSource, HitSource};
use super::stack::{Pushed, StackSource};

/// The grid the results pane shows now: its source, selected row and state.
pub struct GridView<'a> {
    /// The table.
    pub source: Box<dyn GridSource + 'a>,
    /// The selected row.
    pub selected: usize,
    /// Cursor, scroll and sort.
    pub state: GridState,
}

impl App {
    /// The grid the results pane shows, if it shows one (not for a raw
    /// event, an error or a rule without hits).
    pub fn grid_view(&self) -> Option<GridView<'_>> {
        let r = &self.results;
        if let Some(s) = self.top_stack() {
            let source = Box::new(StackSource { column: &s.column, rows: &s.rows });
            return Some(GridView { source, selected: s.selected, state: s.grid });
        }
        if let Some(v) = self.frame_view() {
            let frame = v.frame.as_ref().ok()?;
            return Some(GridView { source: Box::new(FrameSource(frame)), selected: v.selected, state: v.grid });
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
                state: d.grid,
            }),
            None if run.groups.is_empty() => None,
            None => Some(GridView {
                source: Box::new(GroupSource { run, order: &r.order }),
                selected: r.selected,
                state: r.grid,
            }),
        }
    }

    fn grid_state_mut(&mut self) -> Option<&mut GridState> {
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

    /// Moves the column cursor by `delta` (clamped) and scrolls so it shows.
    pub(super) fn move_cursor(&mut self, delta: isize) {
        if self.focus != Focus::Results {
            return;
        }
        let area = layout::areas(self).results;
        let (width, height) = (area.width.saturating_sub(2), area.height.saturating_sub(3) as usize);
        let Some(view) = self.grid_view() else { return };
        let ncols = view.source.cols();
        let mut st = view.state;
        st.cursor = st.cursor.saturating_add_signed(delta).min(ncols.saturating_sub(1));
        let first = offset(view.selected, height);
        st.col_offset = follow(view.source.as_ref(), width, (first, height), st.cursor, st.col_offset);
        drop(view);
        if let Some(s) = self.grid_state_mut() {
            *s = st;
        }
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
            let ncols = frame.cols().len();
            let keep: Vec<u32> = (0..frame.len())
                .filter(|&r| (0..ncols).any(|c| as_text(&frame.value(r, c)).to_lowercase().contains(&needle)))
                .map(|r| r as u32)
                .collect();
            frame = frame.take_rows(&keep);
        }
        self.selected = self.selected.min(frame.len().saturating_sub(1));
        self.frame = Ok(frame);
    }
}
