//! The results pane: the selected rule's device groups (sortable, changed rows
//! marked, fully hidden groups dimmed with 0), or a table result (the rule's
//! own output, an ad-hoc query), or the drill-down.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Wrap};

use crate::data::text::{inert, inert_multiline};
use crate::hunt::RuleStatus;
use crate::tui::app::{App, Focus, FrameView, GroupCol};
use crate::tui::fmt::short_time;
use crate::tui::grid::{FrameSource, Grid};

/// `11-20 12:00`: month, day and time, for narrow columns.
fn compact_time(t: Option<i64>) -> String {
    let full = short_time(t);
    full.get(5..).map(str::to_string).unwrap_or(full)
}
use crate::tui::layout::offset;
use crate::tui::theme;

use super::before_after;

/// Draws the results pane.
pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let focused = app.focus == Focus::Results;
    if let Some(v) = &app.results.adhoc {
        return frame_view(f, area, v, focused, "query (Esc closes)");
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
        return frame_view(f, area, v, focused, "output after exclusions");
    }
    groups(f, area, app, &name, focused);
}

fn groups(f: &mut Frame, area: Rect, app: &App, name: &str, focused: bool) {
    let Some((_, run)) = app.rule().and_then(|r| app.hunt.get(r)) else { return };
    let shown = run.groups.iter().filter(|g| g.hits_after > 0).count();
    let title =
        format!(" {name} · {shown}/{} devices · {} → {} hits ", run.groups.len(), run.hits_before(), run.hits_after());
    let block = theme::block(title, focused);
    if run.groups.is_empty() {
        let p = Paragraph::new("No hits in the loaded events.").style(theme::DIM).block(block);
        return f.render_widget(p, area);
    }
    let height = area.height.saturating_sub(3) as usize;
    let first = offset(app.results.selected, height);
    let rows: Vec<Row> = app
        .results
        .order
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .filter_map(|(pos, &gi)| {
            let g = run.groups.get(gi)?;
            let gone = g.hits_after == 0;
            let changed = g.hits_after != g.hits_before();
            let mark = match (gone, changed) {
                (true, _) => Span::styled("∅", theme::DIM),
                (false, true) => Span::styled("~", theme::CHANGED),
                _ => Span::raw(" "),
            };
            let reports: Vec<String> = g.report_ids.iter().map(i64::to_string).collect();
            let mut style = if gone { theme::DIM } else { Style::new() };
            if pos == app.results.selected {
                style = style.patch(theme::SELECTED);
            }
            Some(
                Row::new(vec![
                    Line::from(mark),
                    Line::from(inert(&g.device_name).into_owned()),
                    Line::from(inert(&g.device_id).into_owned()),
                    before_after(g.hits_before(), g.hits_after),
                    Line::from(compact_time(g.first_seen)),
                    Line::from(compact_time(g.last_seen)),
                    Line::from(format!("{}: {}", reports.len(), reports.join(","))),
                ])
                .style(style),
            )
        })
        .collect();
    let arrow = if app.results.desc { "▼" } else { "▲" };
    let head = |c: GroupCol, t: &str| if app.results.sort == c { format!("{t}{arrow}") } else { t.to_string() };
    let header = Row::new(vec![
        String::new(),
        head(GroupCol::Name, "DeviceName"),
        head(GroupCol::Id, "DeviceId"),
        head(GroupCol::Hits, "Hits"),
        head(GroupCol::FirstSeen, "FirstSeen"),
        head(GroupCol::LastSeen, "LastSeen"),
        head(GroupCol::Reports, "ReportIds"),
    ])
    .style(theme::HEADER);
    let name_w = run.groups.iter().map(|g| inert(&g.device_name).chars().count()).max().unwrap_or(0).clamp(10, 28);
    let widths = [
        Constraint::Length(1),
        Constraint::Length(name_w as u16),
        Constraint::Length(10),
        Constraint::Length(9),
        Constraint::Length(11),
        Constraint::Length(11),
        Constraint::Fill(1),
    ];
    f.render_widget(Table::new(rows, widths).header(header).block(block), area);
}

/// Draws a table result or its error.
pub fn frame_view(f: &mut Frame, area: Rect, v: &FrameView, focused: bool, what: &str) {
    let title = format!(" {} · {what} ", inert(v.title.lines().next().unwrap_or("")));
    let block = theme::block(title, focused);
    let frame = match &v.frame {
        Ok(frame) => frame,
        Err(e) => {
            let p = Paragraph::new(inert_multiline(e)).style(theme::ERROR).wrap(Wrap { trim: false }).block(block);
            return f.render_widget(p, area);
        }
    };
    let notes = v.notes.iter().map(|n| inert(n).into_owned()).collect();
    let grid = Grid { source: &FrameSource(frame), selected: v.selected, col_offset: v.col_offset, block, notes };
    f.render_widget(grid, area);
}
