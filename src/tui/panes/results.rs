//! The results pane: the selected rule's device groups (a grid: changed rows
//! marked, fully hidden groups dimmed with 0), or a table result (the rule's
//! own output, an ad-hoc query), or the drill-down.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use crate::data::text::{inert, inert_multiline};
use crate::hunt::RuleStatus;
use crate::tui::app::{App, Focus, FrameView};
use crate::tui::grid::SortBy;
use crate::tui::stack::{Pushed, STACK_HITS};
use crate::tui::theme;

use super::{filter_note, grid};

/// Draws the results pane.
pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let focused = app.focus == Focus::Results;
    if let Some(top) = app.results.views.last() {
        return pushed(f, area, app, top, focused);
    }
    if let Some(v) = &app.results.adhoc {
        return frame_view(f, area, app, v, focused, v.title.lines().next().unwrap_or(""));
    }
    if app.results.drill.is_some() {
        return super::drill::draw(f, area, app);
    }
    if let Some(problem) = app.failed_rule() {
        let title = format!(" {} · failed to load ", inert(&problem.path().display().to_string()));
        let p = Paragraph::new(inert_multiline(&problem.to_string()))
            .style(theme::ERROR)
            .wrap(Wrap { trim: false })
            .block(theme::block(title, focused));
        return f.render_widget(p, area);
    }
    let Some((rule, run)) = app.rule().and_then(|r| app.hunt.get(r)) else {
        let p = Paragraph::new("No rule selected.").block(theme::block(" Results ".into(), focused));
        return f.render_widget(p, area);
    };
    let name = inert(&rule.name);
    if app.rule().is_some_and(|r| app.hunt.is_pending(r)) {
        let why = match app.load.as_ref().is_some_and(|l| l.events_in) {
            true => "This rule has not run yet: its counts fill in when it has.",
            false => "Loading the events: this rule runs once they are in.",
        };
        let p = Paragraph::new(why).style(theme::DIM).block(theme::block(format!(" {name} · waiting "), focused));
        return f.render_widget(p, area);
    }
    if let RuleStatus::Error(e) = &run.status {
        let p = Paragraph::new(inert_multiline(&e.render()))
            .style(theme::ERROR)
            .wrap(Wrap { trim: false })
            .block(theme::block(format!(" {name} · error "), focused));
        return f.render_widget(p, area);
    }
    if let Some(v) = &app.results.output {
        return frame_view(f, area, app, v, focused, "output after exclusions");
    }
    groups(f, area, app, focused);
}

fn groups(f: &mut Frame, area: Rect, app: &App, focused: bool) {
    let Some((_, run)) = app.rule().and_then(|r| app.hunt.get(r)) else { return };
    let shown = run.groups.iter().filter(|g| g.hits_after > 0).count();
    let (devices, before, after) = (run.groups.len(), run.hits_before(), run.hits_after());
    // The marks first: a long rule name would cut them off.
    let marked = super::marked_note(app);
    let marked = marked.strip_prefix(" · ").map(|m| format!("{m} · ")).unwrap_or_default();
    let how = match (before - after, app.results.show_hidden) {
        (0, _) => String::new(),
        (n, true) => format!(" · +{n} hidden shown"),
        (n, false) => format!(" · {n} hidden (h shows)"),
    };
    // A remote source that stopped at its row cap: the hits are incomplete.
    let capped =
        run.remote.as_ref().and_then(|r| r.capped).map(|n| format!(" · capped at {n} rows")).unwrap_or_default();
    let detail = format!("{marked}{before} → {after} hits{capped} · {shown}/{devices} devices{how}");
    let title = app.results_title(&detail, area.width);
    let block = theme::block(title, focused);
    let unloaded = run.unloaded_note();
    match app.grid_view() {
        Some(view) => {
            let notes = unloaded.into_iter().chain(filter_note(&app.results.filter)).collect();
            grid(f, area, &view, block, notes)
        }
        None => {
            let (text, style) = match unloaded {
                Some(note) => (format!("No hits: {note}."), theme::WARN),
                None => ("No hits in the loaded events.".to_string(), theme::DIM),
            };
            let p = Paragraph::new(text).style(style).wrap(Wrap { trim: false }).block(block);
            f.render_widget(p, area)
        }
    }
}

/// Draws the view on top of the stack: a frequency view or rows.
fn pushed(f: &mut Frame, area: Rect, app: &App, top: &Pushed, focused: bool) {
    let s = match top {
        Pushed::Rows(rv) => {
            return frame_view(f, area, app, &rv.view, focused, rv.view.title.lines().next().unwrap_or(""));
        }
        Pushed::Stack(s) => s,
    };
    let rows: usize = s.all().iter().map(|r| r.hits).sum();
    let hidden: usize = s.all().iter().map(|r| r.hidden).sum();
    let order = match s.grid.sort {
        Some(SortBy { col: STACK_HITS, desc: false }) => "rare first",
        Some(SortBy { col: STACK_HITS, desc: true }) => "common first",
        _ => "r: rare/common first",
    };
    let hidden = if hidden > 0 { format!(" · {hidden} hidden") } else { String::new() };
    let detail = format!("{} values · {rows} {}{hidden} · {order}", s.all().len(), s.scope);
    let block = theme::block(app.results_title(&detail, area.width), focused);
    if let Some(view) = app.grid_view() {
        grid(f, area, &view, block, filter_note(&s.filter));
    }
}

/// Draws a table result or its error; the title is the breadcrumb, then `detail`.
pub fn frame_view(f: &mut Frame, area: Rect, app: &App, v: &FrameView, focused: bool, detail: &str) {
    let title = app.results_title(detail, area.width);
    let block = theme::block(title, focused);
    if let Err(e) = &v.frame {
        let p = Paragraph::new(inert_multiline(e)).style(theme::ERROR).wrap(Wrap { trim: false }).block(block);
        return f.render_widget(p, area);
    }
    let mut notes: Vec<String> = v.notes.iter().map(|n| inert(n).into_owned()).collect();
    notes.extend(filter_note(&v.filter));
    if let Some(view) = app.grid_view() {
        grid(f, area, &view, block, notes);
    }
}
