//! The load report overlay (`L`): what was read (files, formats, tables,
//! rows, time spans), every load problem, and the rule files that failed to
//! load or were skipped, each with its reason, so nothing is dropped unseen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::data::text::inert;
use crate::tui::app::App;
use crate::tui::theme;

use super::help::centered;

/// The report's lines: events first, then rules.
pub fn lines(app: &App) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled("Events", theme::HEADER)];
    let events = app.info.report.to_string();
    out.extend(events.lines().map(|l| Line::raw(inert(l).into_owned())));
    out.push(Line::raw(format!("now {}", app.info.clock.describe())));
    out.push(Line::raw(""));
    let set = app.hunt.rule_set();
    out.push(Line::styled(format!("Rules: {} loaded", app.hunt.len()), theme::HEADER));
    if !set.problems.is_empty() {
        out.push(Line::styled(format!("{} failed to load:", set.problems.len()), theme::ERROR));
        for p in &set.problems {
            out.extend(p.to_string().lines().map(|l| Line::styled(format!("  {}", inert(l)), theme::ERROR)));
        }
    }
    if !set.skipped.is_empty() {
        out.push(Line::raw(format!("{} skipped (not rules):", set.skipped.len())));
        for (path, why) in &set.skipped {
            out.push(Line::raw(format!("  {}: {}", inert(&path.display().to_string()), inert(why))));
        }
    }
    if !set.overlay_warnings.is_empty() {
        out.push(Line::styled(format!("{} overlay warning(s):", set.overlay_warnings.len()), theme::WARN));
    }
    for w in &set.overlay_warnings {
        out.push(Line::styled(format!("  warning: {}", inert(&w.to_string())), theme::WARN));
    }
    out
}

/// Draws the message log (newest last) scrolled by `scroll` lines.
pub fn messages(f: &mut Frame, area: Rect, app: &App, scroll: u16) {
    let lines: Vec<Line> = match app.status.log.is_empty() {
        true => vec![Line::styled("No messages yet.", theme::DIM)],
        false => app.status.log.iter().map(|m| Line::raw(inert(m).into_owned())).collect(),
    };
    let popup = centered(area, area.width.saturating_sub(4).max(20), area.height.saturating_sub(2).max(3));
    f.render_widget(Clear, popup);
    let title = " Messages (Esc closes, j/k scroll) ".to_string();
    let p = Paragraph::new(lines).wrap(Wrap { trim: false }).block(theme::block(title, true)).scroll((scroll, 0));
    f.render_widget(p, popup);
}

/// Draws the report scrolled by `scroll` lines.
pub fn draw(f: &mut Frame, area: Rect, app: &App, scroll: u16) {
    let lines = lines(app);
    // Wrapped lines outnumber the report's lines: take the whole screen but a margin.
    let popup = centered(area, area.width.saturating_sub(4).max(20), area.height.saturating_sub(2).max(3));
    f.render_widget(Clear, popup);
    let title = " Load report (Esc closes, j/k scroll) ".to_string();
    let p = Paragraph::new(lines).wrap(Wrap { trim: false }).block(theme::block(title, true)).scroll((scroll, 0));
    f.render_widget(p, popup);
}
