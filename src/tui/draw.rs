//! The whole screen from `&App`: layout, panes, input line, overlays.

use ratatui::Frame;
use ratatui::widgets::Paragraph;

use super::app::{App, Overlay};
use super::layout::{self, FULL};
use super::panes;
use super::theme;

/// Draws the app.
pub fn draw(f: &mut Frame, app: &App) {
    let a = layout::areas(app);
    if a.footer.height == 0 {
        let p = Paragraph::new(format!("enlarge the terminal ({}×{} or more)", FULL.0, FULL.1)).style(theme::WARN);
        return f.render_widget(p, f.area());
    }
    if !a.rules.is_empty() {
        panes::rules::draw(f, a.rules, app);
    }
    if !a.results.is_empty() {
        panes::results::draw(f, a.results, app);
    }
    if !a.exclusions.is_empty() {
        panes::exclusions::draw(f, a.exclusions, app);
    }
    if !a.query.is_empty() {
        panes::query::draw(f, a.query, app);
    }
    if !a.timeline.is_empty() {
        panes::timeline::draw(f, a.timeline, app);
    }
    panes::status::draw(f, a.status, app);
    match &app.prompt {
        Some(p) => panes::prompt::draw(f, a.footer, p),
        None => panes::status::footer(f, a.footer, app),
    }
    if app.editor.open {
        panes::editor::draw(f, f.area(), app);
    }
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help(scroll) => panes::help::draw(f, f.area(), *scroll),
        Overlay::Report(scroll) => panes::report::draw(f, f.area(), app, *scroll),
        Overlay::Cell(cell) => panes::cell::draw(f, f.area(), cell),
        Overlay::Messages(scroll) => panes::report::messages(f, f.area(), app, *scroll),
        Overlay::Suggest(v) => panes::suggest::draw(f, f.area(), v),
        Overlay::ConfirmQuit => panes::help::confirm(f, f.area(), &app.quit_plan),
        Overlay::Form(form) => panes::form::draw(f, f.area(), app, form),
        Overlay::SavePreview(p) => panes::save_preview::draw(f, f.area(), p),
        Overlay::Chooser(c) => panes::chooser::draw(f, f.area(), app, c),
        Overlay::Columns(c) => panes::columns::draw(f, f.area(), c),
    }
}
