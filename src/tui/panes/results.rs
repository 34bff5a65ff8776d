//! The results pane: the selected rule's device groups (a grid: changed rows
//! marked, fully hidden groups dimmed with 0), or a table result (the rule's
//! own output, an ad-hoc query), or the drill-down.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

use crate::data::text::{inert, inert_multiline};
use crate::hunt::RuleStatus;
use crate::tui::app::{App, Focus, FrameView};
use crate::tui::theme;

use super::{filter_note, grid};

/// Draws the results pane.
pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let focused = app.focus == Focus::Results;
    if let Some(v) = &app.results.adhoc {
        return frame_view(f, area, app, v, focused, "query (Esc closes)");
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
    groups(f, area, app, &name, focused);
}

fn groups(f: &mut Frame, area: Rect, app: &App, name: &str, focused: bool) {
    let Some((_, run)) = app.rule().and_then(|r| app.hunt.get(r)) else { return };
    let shown = run.groups.iter().filter(|g| g.hits_after > 0).count();
    let (devices, before, after) = (run.groups.len(), run.hits_before(), run.hits_after());
    // The marks first: a long rule name would cut them off.
    let marked = super::marked_note(app);
    let marked = marked.strip_prefix(" · ").map(|m| format!(" {m} ·")).unwrap_or_default();
    let how = match (before - after, app.results.show_hidden) {
        (0, _) => String::new(),
        (n, true) => format!(" · +{n} hidden shown"),
        (n, false) => format!(" · {n} hidden (h shows)"),
    };
    let title = format!("{marked} {name} · {shown}/{devices} devices · {before} → {after} hits{how} ");
    let block = theme::block(title, focused);
    match app.grid_view() {
        Some(view) => grid(f, area, &view, block, filter_note(&app.results.filter)),
        None => {
            let p = Paragraph::new("No hits in the loaded events.").style(theme::DIM).block(block);
            f.render_widget(p, area)
        }
    }
}

/// Draws a table result or its error.
pub fn frame_view(f: &mut Frame, area: Rect, app: &App, v: &FrameView, focused: bool, what: &str) {
    let title = format!(" {} · {what} ", inert(v.title.lines().next().unwrap_or("")));
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
