//! The operator chooser of `x`: the value, the filter being built and how
//! the term joins it, one line per operator with what its filter would hide,
//! then the selected filter and its preview alone and with the active set.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use crate::data::text::inert;
use crate::hunt::{FilterPreview, Join};
use crate::tui::app::App;
use crate::tui::dialogs::Chooser;
use crate::tui::keys::{self, Context};
use crate::tui::panes::help::centered;
use crate::tui::theme;

fn cut(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n <= w { s.to_string() } else { s.chars().take(w.saturating_sub(1)).collect::<String>() + "…" }
}

fn signed(n: usize) -> String {
    if n == 0 { String::new() } else { format!(" (+{n})") }
}

/// The two preview lines: alone, and added to the active set.
pub fn preview_lines(p: &FilterPreview) -> [String; 2] {
    [
        format!(
            "alone:           hides {} of {} hits · {} of {} devices gone",
            p.alone_hits, p.hits, p.alone_devices, p.devices
        ),
        format!(
            "with the active: hides {} of {} hits{} · {} of {} devices gone{}",
            p.with_active_hits,
            p.hits,
            signed(p.with_active_hits - p.active_hits),
            p.with_active_devices,
            p.devices,
            signed(p.with_active_devices.saturating_sub(p.active_devices))
        ),
    ]
}

/// Draws the chooser over `area`.
pub fn draw(f: &mut Frame, area: Rect, app: &App, c: &Chooser) {
    let width = area.width.saturating_sub(4).clamp(1, 110);
    let w = width.saturating_sub(2) as usize;
    let rule = app.hunt.get(c.rule).map(|(r, _)| inert(&r.name).into_owned()).unwrap_or_default();
    let mut lines: Vec<Line> = vec![Line::from(vec![
        Span::styled("value ", theme::HEADER),
        Span::raw(cut(&format!("{} = {}", inert(&c.column), inert(&c.value)), w.saturating_sub(6))),
    ])];
    if !c.draft.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("built ", theme::HEADER),
            Span::raw(cut(&inert(&c.draft), w.saturating_sub(6))),
        ]));
        let mut join = vec![Span::styled("join  ", theme::HEADER)];
        for (j, label) in [(Join::New, "new filter"), (Join::And, "and"), (Join::Or, "or")] {
            let style = if j == c.join { theme::SELECTED } else { theme::DIM };
            join.push(Span::styled(format!(" {label} "), style));
            join.push(Span::raw(" "));
        }
        lines.push(Line::from(join));
    }
    lines.push(Line::raw(""));
    let op_w = 11;
    for (i, ch) in c.choices.iter().enumerate() {
        let mark = if i == c.selected { "▶ " } else { "  " };
        let style = if i == c.selected { theme::SELECTED } else { Default::default() };
        let count = match &ch.preview {
            Some(Ok(p)) => format!("hides {:>4} · {} dev", p.alone_hits, p.alone_devices),
            Some(Err(_)) => "error".to_string(),
            None => "n/a for this value".to_string(),
        };
        let room = w.saturating_sub(2 + op_w + count.chars().count() + 2);
        let term = ch.term.as_deref().map(|f| cut(&inert(f), room)).unwrap_or_default();
        let text = format!("{mark}{:<op_w$}{term:<room$}  {count}", ch.op.text());
        let style = if ch.filter.is_none() { theme::DIM } else { style };
        lines.push(Line::styled(cut(&text, w), style));
    }
    lines.push(Line::raw(""));
    if let Some(filter) = c.filter() {
        let text = format!("filter {}", inert(filter));
        let chars: Vec<char> = text.chars().collect();
        lines.extend(chars.chunks(w.max(1)).map(|l| Line::raw(l.iter().collect::<String>())));
    }
    match c.choices.get(c.selected).and_then(|ch| ch.preview.as_ref()) {
        Some(Ok(p)) => {
            for l in preview_lines(p) {
                lines.push(Line::styled(cut(&l, w), theme::OK));
            }
        }
        Some(Err(e)) => lines.extend(e.lines().map(|l| Line::styled(cut(&inert(l), w), theme::ERROR))),
        None => lines.push(Line::styled("this operator does not apply to the value", theme::DIM)),
    }
    lines.push(Line::raw(""));
    let mut hints = Vec::new();
    for (k, label) in keys::footer(&[Context::Chooser]) {
        if label.starts_with("join") && c.draft.is_empty() {
            continue;
        }
        hints.push(Span::styled(format!(" {k} "), theme::KEY));
        hints.push(Span::raw(format!(" {label}  ")));
    }
    lines.push(Line::from(hints));
    let popup = centered(area, width, lines.len() as u16 + 2);
    f.render_widget(Clear, popup);
    let title = cut(&format!(" Exclude a value · {rule} "), w);
    f.render_widget(Paragraph::new(lines).block(theme::block(title, true)), popup);
}
