//! The selected rule's exclusions: checkbox, hits hidden alone and uniquely,
//! over-broad flag, "needs a filter", filter errors; the selected one's
//! filter and description (or its error with the caret) below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};

use crate::data::text::{inert, inert_multiline};
use crate::hunt::ExclusionState;
use crate::tui::app::{App, Focus};
use crate::tui::fmt::count_share;
use crate::tui::layout::{EXCLUSION_ROW as ROW_HEIGHT, exclusion_parts, list_body, list_capacity, offset};
use crate::tui::theme;

/// Draws the exclusions pane.
pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let focused = app.focus == Focus::Exclusions;
    let Some(r) = app.rule() else {
        return f.render_widget(theme::block(" Exclusions ".into(), focused), area);
    };
    let Some((rule, run)) = app.hunt.get(r) else { return };
    let active = app.hunt.active_count(r);
    let views = app.hunt.exclusion_views(r);
    let dirty = if app.hunt.is_dirty(r) { " * unsaved (w saves)" } else { "" };
    let hidden = run.hits_before() - run.hits_after();
    // A rule that has not run yet has no counts: "…", not zeros that read as "hides nothing".
    let pending = app.hunt.is_pending(r);
    let title = match pending {
        true => format!(" Exclusions · {active}/{} on · not run yet{dirty} ", rule.exclusions.len()),
        false => format!(
            " Exclusions · {active}/{} on · hide {hidden} of {}{dirty} ",
            rule.exclusions.len(),
            run.hits_before()
        ),
    };
    let block = theme::block(title, focused);
    let inner = block.inner(area);
    f.render_widget(block, area);
    if rule.exclusions.is_empty() {
        let p = Paragraph::new("No exclusions; a adds one.").style(theme::DIM);
        return f.render_widget(p, inner);
    }
    let (list, per) = list_body(Focus::Exclusions, area);
    let [_, detail] = exclusion_parts(inner);
    let height = list_capacity(list, per);
    let first = offset(app.exclusions.selected, height);
    let rows: Vec<Row> = rule
        .exclusions
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, e)| {
            let Some(view) = views.get(i) else { return Row::new(vec![Text::raw("")]) };
            let imp = &view.impact;
            let check = if e.enabled { "[x] " } else { "[ ] " };
            let flag = flag(&view.state);
            let mut style = if e.enabled { Style::new() } else { theme::DIM };
            if i == app.exclusions.selected {
                style = style.patch(theme::SELECTED);
            }
            let counts = match pending {
                true => "    alone … · unique …  ".to_string(),
                false => format!(
                    "    alone {} · unique {}  ",
                    count_share(imp.alone, imp.alone_share),
                    count_share(imp.unique, imp.unique_share)
                ),
            };
            let text = Text::from(vec![
                Line::from(vec![Span::raw(check), Span::raw(inert(&e.name).into_owned())]),
                Line::from(vec![Span::raw(counts), flag]),
            ]);
            Row::new(vec![text]).height(ROW_HEIGHT).style(style)
        })
        .collect();
    f.render_widget(Table::new(rows, [Constraint::Fill(1)]), list);
    if detail.height > 0 {
        draw_detail(f, detail, app, r);
    }
}

/// The flag beside an exclusion's counts, from its one state.
pub fn flag(state: &ExclusionState) -> Span<'static> {
    match state {
        ExclusionState::NeedsFilter => Span::styled("needs a filter", theme::WARN),
        ExclusionState::Error(_) => Span::styled("filter error", theme::ERROR),
        ExclusionState::OverBroad => Span::styled("OVER-BROAD", theme::ERROR),
        ExclusionState::HidesDevices(n) => Span::styled(format!("hides {n} device(s)"), theme::WARN),
        // The rule's own error is shown in the rules pane.
        ExclusionState::NotRun | ExclusionState::Ready => Span::raw(""),
    }
}

fn draw_detail(f: &mut Frame, area: Rect, app: &App, r: usize) {
    let Some((rule, run)) = app.hunt.get(r) else { return };
    let i = app.exclusions.selected;
    let Some(e) = rule.exclusions.get(i) else { return };
    let text = match (run.exclusions.get(i).and_then(|x| x.error.as_ref()), &e.filter) {
        (Some(err), _) => Paragraph::new(inert_multiline(&err.render())).style(theme::ERROR),
        (None, Some(filter)) if !filter.trim().is_empty() => Paragraph::new(vec![
            Line::from(vec![Span::styled("filter ", theme::HEADER), Span::raw(inert(filter).into_owned())]),
            Line::from(inert(e.description.as_deref().unwrap_or("")).into_owned()).style(theme::DIM),
        ])
        .wrap(Wrap { trim: true }),
        _ => {
            let prose = e.source.as_deref().or(e.description.as_deref()).unwrap_or("");
            Paragraph::new(vec![
                Line::from(Span::styled("needs a filter: e writes one", theme::WARN)),
                Line::from(inert(prose).into_owned()).style(theme::DIM),
            ])
            .wrap(Wrap { trim: true })
        }
    };
    f.render_widget(text.block(Block::default().borders(Borders::TOP).border_style(theme::DIM)), area);
}
