//! The drill-down: a device's hits on the grid (ReportId, time, ActionType,
//! key fields; hidden ones only with `h`, marked), then one raw event with every column,
//! long values wrapped and JSON pretty-printed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::data::text::inert;
use crate::tui::app::{App, Drill, EventView, Focus};
use crate::tui::fmt::pretty;
use crate::tui::theme;

/// Draws the drill-down of the selected device.
pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let Some(d) = &app.results.drill else { return };
    let Some((_, run)) = app.rule().and_then(|r| app.hunt.get(r)) else { return };
    let Some(group) = run.groups.get(d.group) else { return };
    let focused = app.focus == Focus::Results;
    let marked = super::marked_note(app);
    match &d.event {
        Some(ev) => event(f, area, app, ev, focused),
        None => {
            let hidden = group.hits_before() - group.hits_after;
            let how = match (hidden, app.results.show_hidden) {
                (0, _) => String::new(),
                (n, true) => format!(" · +{n} hidden shown"),
                (n, false) => format!(" · {n} hidden (h shows)"),
            };
            let title = app.results_title(
                &format!("{} → {} hits{how}{marked}", group.hits_before(), group.hits_after),
                area.width,
            );
            hits(f, area, app, d, title, focused);
        }
    }
}

fn hits(f: &mut Frame, area: Rect, app: &App, d: &Drill, title: String, focused: bool) {
    let block = theme::block(title, focused);
    match app.grid_view() {
        Some(view) if view.source.rows() > 0 || !d.filter.is_empty() => {
            super::grid(f, area, &view, block, super::filter_note(&d.filter))
        }
        _ => {
            let p = Paragraph::new("Every hit of this device is hidden by an active exclusion; h shows them.")
                .style(theme::DIM)
                .block(block);
            f.render_widget(p, area)
        }
    }
}

fn event(f: &mut Frame, area: Rect, app: &App, ev: &EventView, focused: bool) {
    // The crumb says HIDDEN; the detail names what hides it.
    let fp = app.rule().is_some_and(|r| app.marks.is_marked(r, ev.hit));
    let mut detail = match (ev.hidden, ev.hidden_by.as_slice()) {
        (false, _) => "raw event".to_string(),
        (true, []) => "by an active exclusion".to_string(),
        (true, names) => format!("by {} (X shows it)", inert(&names.join(", "))),
    };
    if fp {
        detail.push_str(" · marked FP");
    }
    let title = app.results_title(&detail, area.width);
    let block = theme::block(title, focused);
    let inner = block.inner(area);
    let name_w = ev.fields.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0).min(inner.width as usize / 2);
    let value_w = (inner.width as usize).saturating_sub(name_w + 1).max(8);
    let mut lines: Vec<Line> = Vec::new();
    let (mut sel_start, mut sel_end) = (0, 0);
    for (i, (name, value)) in ev.fields.iter().enumerate() {
        let selected = i == ev.selected;
        if selected {
            sel_start = lines.len();
        }
        let style = if selected { theme::SELECTED } else { Style::new() };
        let mut first = true;
        for part in wrap(&pretty(value), value_w) {
            let label = if first { format!("{:<name_w$} ", inert(name)) } else { " ".repeat(name_w + 1) };
            first = false;
            lines.push(Line::from(vec![Span::styled(label, theme::HEADER.patch(style)), Span::styled(part, style)]));
        }
        if selected {
            sel_end = lines.len();
        }
    }
    let height = inner.height as usize;
    let scroll = sel_end.saturating_sub(height).min(sel_start);
    let p = Paragraph::new(lines).block(block).scroll((scroll.min(u16::MAX as usize) as u16, 0));
    f.render_widget(p, area);
}

/// Splits untrusted text into inert display lines of at most `width` characters.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.split('\n') {
        let safe: Vec<char> = inert(line).chars().collect();
        if safe.is_empty() {
            out.push(String::new());
        }
        for chunk in safe.chunks(width.max(1)) {
            out.push(chunk.iter().collect());
        }
    }
    out
}
