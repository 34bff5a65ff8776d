//! Hits per hour of the selected rule (or of the selected device while the
//! results pane has focus), before and after the active exclusions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Sparkline};

use crate::data::text::inert;
use crate::hunt::TICKS_PER_HOUR;
use crate::tui::app::{App, Focus};
use crate::tui::fmt::short_time;
use crate::tui::theme;

const LABEL: u16 = 7;

/// Draws the timeline.
pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    if area.height < 3 {
        return;
    }
    let Some((_, run)) = app.rule().and_then(|r| app.hunt.get(r)) else { return };
    if app.rule().is_some_and(|r| app.hunt.is_pending(r)) {
        // No hits yet: an empty chart would read as "no activity".
        let block = theme::block(String::new(), false).title(" Timeline · once the rule has run ");
        return f.render_widget(block, area);
    }
    let group = if app.focus == Focus::Results && app.results.adhoc.is_none() { app.group() } else { None };
    let tl = run.hourly(group);
    let who = match group.and_then(|g| run.groups.get(g)) {
        Some(g) => format!("device {}", inert(g.label())),
        None => "the whole rule".into(),
    };
    let block = theme::block(String::new(), false);
    let inner = block.inner(area);
    let width = inner.width.saturating_sub(LABEL) as usize;
    let (before, per) = squeeze(&tl.before, width);
    let (after, _) = squeeze(&tl.after, width);
    let span = match tl.start {
        Some(start) => {
            let end = start + (tl.before.len() as i64) * tl.hours * TICKS_PER_HOUR;
            let unit = per as i64 * tl.hours;
            format!(" · {} → {} · bar = {unit} h", short_time(Some(start)), short_time(Some(end)))
        }
        None => " · no timestamps".into(),
    };
    let peak = before.iter().copied().max().unwrap_or(0);
    let title = format!(" Timeline of {who}{span} · peak {peak} ");
    f.render_widget(block.title(title), area);
    let [top, bottom] = Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(inner);
    for (rect, label, data, style) in
        [(top, "before", &before, Style::new().fg(ratatui::style::Color::Gray)), (bottom, "after", &after, theme::OK)]
    {
        let [l, r] = Layout::horizontal([Constraint::Length(LABEL), Constraint::Fill(1)]).areas(rect);
        f.render_widget(Paragraph::new(Line::styled(label, theme::DIM)), l);
        f.render_widget(Sparkline::default().data(data).max(peak.max(1)).style(style), r);
    }
}

/// Sums adjacent buckets so at most `width` remain; returns them and how
/// many buckets each holds.
fn squeeze(data: &[u64], width: usize) -> (Vec<u64>, usize) {
    if width == 0 || data.is_empty() {
        return (Vec::new(), 1);
    }
    let per = data.len().div_ceil(width);
    (data.chunks(per).map(|c| c.iter().sum()).collect(), per)
}

#[cfg(test)]
mod tests {
    #[test]
    fn squeeze_sums_neighbours() {
        assert_eq!(super::squeeze(&[1, 2, 3, 4, 5], 2), (vec![6, 9], 3));
        assert_eq!(super::squeeze(&[1, 2], 10), (vec![1, 2], 1));
    }
}
