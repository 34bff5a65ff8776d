//! Where each pane goes for a terminal size, shared by drawing and by mouse
//! hit-testing so a click lands on the row that was drawn there.

use ratatui::layout::{Constraint, Layout, Margin, Position, Rect};

use super::app::{App, Focus};

/// Lines per item of the exclusions list (name and filter, then impact).
pub const EXCLUSION_ROW: u16 = 2;

/// Narrowest and shortest terminal that gets every pane at once.
pub const FULL: (u16, u16) = (70, 20);

/// The screen's areas (an empty `Rect` for a pane not shown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Areas {
    /// The rule list.
    pub rules: Rect,
    /// The results pane.
    pub results: Rect,
    /// The exclusions pane.
    pub exclusions: Rect,
    /// The query pane.
    pub query: Rect,
    /// The timeline.
    pub timeline: Rect,
    /// The status bar.
    pub status: Rect,
    /// The footer (key hints) or the input line.
    pub footer: Rect,
}

impl Areas {
    /// The area of a focusable pane.
    pub fn of(&self, f: Focus) -> Rect {
        match f {
            Focus::Rules => self.rules,
            Focus::Results => self.results,
            Focus::Exclusions => self.exclusions,
            Focus::Query => self.query,
        }
    }
}

/// The areas for the app's size, zoom and focus. Below [`FULL`] (or zoomed)
/// the focused pane takes the whole body.
pub fn areas(app: &App) -> Areas {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    let mut a = Areas::default();
    if area.height < 3 || area.width < 10 {
        a.results = area;
        return a;
    }
    let [body, timeline, status, footer] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(timeline_height(area)),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    (a.timeline, a.status, a.footer) = (timeline, status, footer);
    if app.zoom || area.width < FULL.0 || area.height < FULL.1 {
        match app.focus {
            Focus::Rules => a.rules = body,
            Focus::Results => a.results = body,
            Focus::Exclusions => a.exclusions = body,
            Focus::Query => a.query = body,
        }
        return a;
    }
    let [left, right] = Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(body);
    [a.rules, a.exclusions] = Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(left);
    [a.results, a.query] = Layout::vertical([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(right);
    a
}

fn timeline_height(area: Rect) -> u16 {
    match area.height {
        h if h >= 36 => 6,
        h if h >= FULL.1 => 4,
        _ => 0,
    }
}

/// The first item shown in a list of `len` rows `height` high so that
/// `selected` is visible (the same for drawing and clicking).
pub fn offset(selected: usize, height: usize) -> usize {
    if height == 0 { selected } else { selected.saturating_sub(height - 1) }
}

/// The focusable pane under (x, y).
pub fn pane_at(app: &App, x: u16, y: u16) -> Option<Focus> {
    let a = areas(app);
    Focus::ALL.into_iter().find(|f| a.of(*f).contains(Position::new(x, y)))
}

/// The lines a list pane draws its items on, and the lines per item: inside
/// the border, below the header row (rules, results), above the detail
/// (exclusions). Drawing and clicking both use it, so they cannot disagree.
pub fn list_body(pane: Focus, area: Rect) -> (Rect, u16) {
    let inner = area.inner(Margin::new(1, 1));
    match pane {
        Focus::Exclusions => (exclusion_parts(inner)[0], EXCLUSION_ROW),
        _ => (Rect { y: inner.y.saturating_add(1), height: inner.height.saturating_sub(1), ..inner }, 1),
    }
}

/// The exclusions pane's inside split into the list and the selected
/// exclusion's detail (only when there is room for both).
pub fn exclusion_parts(inner: Rect) -> [Rect; 2] {
    let detail_h = if inner.height >= 10 { 4 } else { 0 };
    Layout::vertical([Constraint::Min(1), Constraint::Length(detail_h)]).areas(inner)
}

/// Whole items that fit in a list body.
pub fn list_capacity(body: Rect, per: u16) -> usize {
    (body.height / per.max(1)) as usize
}

/// The list pane under (x, y) and the list position clicked.
pub fn row_at(app: &App, x: u16, y: u16) -> Option<(Focus, usize)> {
    let pane = pane_at(app, x, y)?;
    if pane == Focus::Query || app.in_event() {
        return None;
    }
    let (body, per) = list_body(pane, areas(app).of(pane));
    let height = list_capacity(body, per);
    if !body.contains(Position::new(x, y)) || y >= body.y + height as u16 * per {
        return None;
    }
    let selected = match pane {
        Focus::Rules => app.rules.selected,
        Focus::Exclusions => app.exclusions.selected,
        _ => results_selected(app),
    };
    Some((pane, offset(selected, height) + ((y - body.y) / per) as usize))
}

/// The selection of whatever the results pane shows.
pub fn results_selected(app: &App) -> usize {
    let r = &app.results;
    if let Some(top) = r.views.last() {
        match top {
            super::stack::Pushed::Stack(s) => s.selected,
            super::stack::Pushed::Rows(v) => v.view.selected,
        }
    } else if let Some(v) = &r.adhoc {
        v.selected
    } else if let Some(d) = &r.drill {
        d.event.as_ref().map_or(d.selected, |e| e.selected)
    } else if let Some(v) = &r.output {
        v.selected
    } else {
        r.selected
    }
}
