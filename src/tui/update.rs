//! `App::update`: the only place state changes. Navigation and drill-down
//! live here; the input line, exclusions, saving and quitting in `edit.rs`.

use std::time::Instant;

use super::action::Action;
use super::app::{App, Drill, EventView, Focus, LOG_LEN, Overlay, RuleSort, Stopwatch};
use super::layout;
use super::stack::Pushed;

impl App {
    /// Applies one action, re-derives what depends on it, and records how long it took.
    pub fn update(&mut self, action: Action) {
        let start = Instant::now();
        if action == Action::Tick {
            // A tick derives, and says anything, only when a load step came or the job ended.
            if self.poll_load() | self.poll_job() {
                self.keep_message();
                self.derive();
            }
            return;
        }
        if let Action::Resize(w, h) = action {
            // The size changes no derived list, only the layout drawn from it; the message stays.
            self.size = (w, h);
            return;
        }
        self.status.message = None;
        // Keys held down starve the ticks: the load's steps are picked up here too.
        self.poll_load();
        self.apply(action);
        self.keep_message();
        self.derive();
        let took = match self.stopwatch {
            Stopwatch::Real => start.elapsed(),
            Stopwatch::Fixed(d) => d,
        };
        if action != Action::Help {
            self.status.timing = Some((action.name(), took));
        }
    }

    /// Keeps the status message in the message log.
    fn keep_message(&mut self) {
        if let Some(m) = self.status.message.as_ref() {
            self.status.log.push(m.clone());
            let extra = self.status.log.len().saturating_sub(LOG_LEN);
            self.status.log.drain(..extra);
        }
    }

    fn apply(&mut self, action: Action) {
        if action == Action::CancelQuery {
            return self.cancel_job();
        }
        let typing = self.overlay != Overlay::None || self.prompt.is_some() || self.editor.open;
        if let Some(why) = self.not_loaded_yet(action).filter(|_| !typing) {
            self.status.message = Some(why);
            return;
        }
        if let Overlay::Cell(c) = &mut self.overlay {
            match action {
                Action::Up => c.scroll = c.scroll.saturating_sub(1),
                Action::Down => c.scroll = c.scroll.saturating_add(1),
                Action::PageUp => c.scroll = c.scroll.saturating_sub(10),
                Action::PageDown => c.scroll = c.scroll.saturating_add(10),
                Action::Cancel => self.overlay = Overlay::None,
                _ => {}
            }
            return;
        }
        match self.overlay {
            Overlay::Cell(_) => {}
            Overlay::ConfirmQuit => return self.confirm(action),
            Overlay::Form(_) => return self.form_action(action),
            Overlay::SavePreview(_) => return self.save_preview_action(action),
            Overlay::Chooser(_) => return self.chooser_action(action),
            Overlay::Columns(_) => return self.columns_action(action),
            Overlay::Help(_) if action == Action::Quit => return self.quit_asked(),
            Overlay::Help(scroll) => {
                self.overlay = scrolled(scroll, action, Action::Help).map_or(Overlay::None, Overlay::Help);
                return;
            }
            Overlay::Report(scroll) => {
                self.overlay = scrolled(scroll, action, Action::Report).map_or(Overlay::None, Overlay::Report);
                return;
            }
            Overlay::Messages(scroll) => {
                self.overlay = scrolled(scroll, action, Action::Messages).map_or(Overlay::None, Overlay::Messages);
                return;
            }
            Overlay::Suggest(_) => return self.suggest_action(action),
            Overlay::None => {}
        }
        if self.editor.open {
            return self.editor_action(action);
        }
        if self.prompt.is_some() {
            return self.prompt_action(action);
        }
        match action {
            Action::Quit => self.quit_asked(),
            Action::Help => self.overlay = Overlay::Help(0),
            Action::Report => self.overlay = Overlay::Report(0),
            Action::Messages => self.overlay = Overlay::Messages(0),
            Action::NextPane | Action::PrevPane => self.cycle_focus(action == Action::NextPane),
            Action::Up => self.step(-1),
            Action::Down => self.step(1),
            Action::PageUp => self.step(-self.page()),
            Action::PageDown => self.step(self.page()),
            Action::Top => self.step(isize::MIN / 2),
            Action::Bottom => self.step(isize::MAX / 2),
            Action::Enter => self.enter(),
            Action::Back => self.back(),
            Action::Sort | Action::Reverse if self.focus == Focus::Results => self.sort_grid(action == Action::Reverse),
            Action::Sort => self.sort(),
            Action::Reverse => {}
            Action::ToggleHidden => self.results.show_hidden = !self.results.show_hidden,
            Action::ScrollLeft => self.move_cursor(-1),
            Action::ScrollRight => self.move_cursor(1),
            Action::Zoom => self.zoom = !self.zoom,
            Action::Mark if self.focus == Focus::Results => self.mark(),
            Action::Suggest if self.focus == Focus::Results => self.open_suggest(),
            Action::Stack => self.open_stack(),
            Action::HideColumn => self.hide_column(),
            Action::MoveColumnLeft | Action::MoveColumnRight => self.move_column(action == Action::MoveColumnLeft),
            Action::Columns => self.open_columns(),
            Action::Propose if self.top_stack().is_some() => self.propose_value(),
            Action::Click(x, y) => self.click(x, y),
            Action::WheelUp(x, y) | Action::WheelDown(x, y) => {
                if let Some(pane) = layout::pane_at(self, x, y) {
                    self.focus = pane;
                    self.step(if matches!(action, Action::WheelUp(..)) { -3 } else { 3 });
                }
            }
            other => self.edit_action(other),
        }
    }

    fn cycle_focus(&mut self, forward: bool) {
        let n = Focus::ALL.len();
        let i = Focus::ALL.iter().position(|f| *f == self.focus).unwrap_or(0);
        self.focus = Focus::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    fn page(&self) -> isize {
        (self.size.1 as isize / 3).max(1)
    }

    /// Moves the focused pane's selection by `delta` (clamped).
    pub(super) fn step(&mut self, delta: isize) {
        let mv = |sel: usize, len: usize| -> usize {
            if len == 0 { 0 } else { (sel as isize).saturating_add(delta).clamp(0, len as isize - 1) as usize }
        };
        match self.focus {
            Focus::Rules => {
                let before = self.rule();
                self.rules.selected = mv(self.rules.selected, self.rules.len());
                if self.rule() != before {
                    self.rule_changed();
                }
            }
            Focus::Results => {
                let r = &mut self.results;
                if let Some(top) = r.views.last_mut() {
                    match top {
                        Pushed::Stack(s) => s.selected = mv(s.selected, s.rows.len()),
                        Pushed::Rows(v) => {
                            v.view.selected = mv(v.view.selected, v.view.frame.as_ref().map_or(0, |f| f.len()))
                        }
                    }
                } else if let Some(v) = &mut r.adhoc {
                    v.selected = mv(v.selected, v.frame.as_ref().map_or(0, |f| f.len()));
                } else if let Some(d) = &mut r.drill {
                    match &mut d.event {
                        Some(ev) => ev.selected = mv(ev.selected, ev.fields.len()),
                        None => d.selected = mv(d.selected, d.rows.len()),
                    }
                } else if let Some(v) = &mut r.output {
                    v.selected = mv(v.selected, v.frame.as_ref().map_or(0, |f| f.len()));
                } else {
                    r.selected = mv(r.selected, r.order.len());
                }
            }
            Focus::Exclusions => {
                let n = self.rule().and_then(|r| self.hunt.get(r)).map_or(0, |(rule, _)| rule.exclusions.len());
                self.exclusions.selected = mv(self.exclusions.selected, n);
            }
            Focus::Query => {
                let s = self.query.scroll as isize;
                self.query.scroll = s.saturating_add(delta).clamp(0, u16::MAX as isize) as u16;
            }
        }
    }

    /// Another rule is selected: its results start at the top.
    pub(super) fn rule_changed(&mut self) {
        self.results.selected = 0;
        self.results.order.clear();
        self.results.drill = None;
        self.results.adhoc = None;
        self.results.output = None;
        self.results.views.clear();
        self.results.filter.clear();
        self.exclusions.selected = 0;
        self.query.scroll = 0;
    }

    fn enter(&mut self) {
        match self.focus {
            Focus::Rules => self.focus = Focus::Results,
            Focus::Results if self.top_stack().is_some() => self.drill_value(),
            // A table result has nothing to drill into: Enter reads the cell.
            Focus::Results if self.frame_view().is_some() => self.inspect(),
            Focus::Results => self.drill_in(),
            _ => {}
        }
    }

    fn drill_in(&mut self) {
        let Some(r) = self.rule() else { return };
        match &mut self.results.drill {
            Some(d) if d.event.is_none() => {
                let Some(row) = d.rows.get(d.selected) else { return };
                let Some(fields) = self.hunt.event(r, row.hit as usize) else { return };
                let hidden_by = self.hunt.hidden_by(r, row.hit as usize);
                d.event = Some(EventView { hit: row.hit, hidden: row.hidden, hidden_by, fields, selected: 0 });
            }
            Some(_) => {}
            None => {
                if let Some(&group) = self.results.order.get(self.results.selected) {
                    let mut drill = Drill::new(group);
                    // Every device's hits show the columns as the analyst last left a hit list.
                    drill.grid.columns = self.results.hit_columns.clone();
                    let hits = super::sources::HitSource { rows: &[], marks: false, fp: false };
                    drill.grid.cursor = drill.grid.columns.first_shown(&hits);
                    self.results.drill = Some(drill);
                }
            }
        }
    }

    fn back(&mut self) {
        match self.focus {
            // A second Esc closes what the results pane had open, so Esc always gets home.
            Focus::Rules if self.rules.search.is_empty() => {
                self.results.views.clear();
                self.results.adhoc = None;
                self.results.drill = None;
            }
            Focus::Rules => self.rules.search.clear(),
            Focus::Exclusions | Focus::Query => self.focus = Focus::Rules,
            Focus::Results => {
                let r = &mut self.results;
                if r.views.pop().is_some() {
                    // One view popped: the one below shows as it was left.
                } else if r.adhoc.is_some() {
                    r.adhoc = None;
                } else if let Some(d) = &mut r.drill {
                    if d.event.is_some() {
                        d.event = None;
                    } else {
                        r.drill = None;
                    }
                } else {
                    self.focus = Focus::Rules;
                }
            }
        }
    }

    /// The rule list's next order (the results pane sorts its grid instead).
    fn sort(&mut self) {
        if self.focus == Focus::Rules {
            self.rules.sort = match self.rules.sort {
                RuleSort::Name => RuleSort::Hits,
                RuleSort::Hits => RuleSort::Folder,
                RuleSort::Folder => RuleSort::Tactic,
                RuleSort::Tactic => RuleSort::Name,
            }
        }
    }

    fn click(&mut self, x: u16, y: u16) {
        if self.click_header(x, y) {
            return;
        }
        let Some((pane, row)) = layout::row_at(self, x, y) else {
            if let Some(pane) = layout::pane_at(self, x, y) {
                self.focus = pane;
            }
            return;
        };
        self.focus = pane;
        let current = match pane {
            Focus::Rules => self.rules.selected,
            Focus::Exclusions => self.exclusions.selected,
            Focus::Results => layout::results_selected(self),
            Focus::Query => return,
        };
        self.step(row as isize - current as isize);
    }
}

/// A scrolling overlay's answer to `action` (help, load report, message
/// log): its new scroll, or `None` when Esc or the key that opened it
/// closes it.
fn scrolled(scroll: u16, action: Action, opener: Action) -> Option<u16> {
    match action {
        Action::Up => Some(scroll.saturating_sub(1)),
        Action::Down => Some(scroll.saturating_add(1)),
        a if a == Action::Cancel || a == opener => None,
        _ => Some(scroll),
    }
}
