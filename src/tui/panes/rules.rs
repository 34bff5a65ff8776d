//! The rule list: status, hits before → after, table; fuzzy matches highlighted.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Table};

use crate::data::text::inert;
use crate::hunt::RuleStatus;
use crate::tui::app::{App, Focus, RuleSort, rule_group};
use crate::tui::fmt::middle_ellipsis;
use crate::tui::layout::{list_body, list_capacity, offset};
use crate::tui::theme;

use super::{before_after, highlighted};

/// Cells between columns.
const SPACING: u16 = 1;
/// Marks a rule loaded only after safe repairs of its YAML.
const REPAIRED: &str = "(repaired) ";

/// Draws the rule list.
pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let sort = app.rules.sort.label();
    let search = if app.rules.search.is_empty() { String::new() } else { format!(" /{}", inert(&app.rules.search)) };
    let prefix = common_prefix(app);
    let shared = if prefix.is_empty() { String::new() } else { format!(" · {}…", inert(prefix.trim_end())) };
    let cut = prefix.chars().count();
    let failed = app.hunt.rule_set().problems.len();
    let failed = if failed > 0 { format!(" · {failed} failed to load") } else { String::new() };
    let title = format!(" Rules {}/{}{failed} · by {sort}{search}{shared} ", app.rules.order.len(), app.hunt.len());
    let block = theme::block(title, app.focus == Focus::Rules);
    let (body, per) = list_body(Focus::Rules, area);
    let height = list_capacity(body, per);
    let first = offset(app.rules.selected, height);
    // A grouped order is about its groups: their column stays even when narrow.
    let table_w = match (app.rules.sort.groups(), area.width) {
        (_, w) if w >= 70 => 20,
        (true, w) if w >= 36 => 12,
        _ => 0,
    };
    let widths = [Constraint::Length(4), Constraint::Length(9), Constraint::Fill(1), Constraint::Length(table_w)];
    // The table lays its columns out the same way: the name column's width.
    let name_w = Layout::horizontal(widths).spacing(SPACING).split(body)[2].width as usize;
    let rows: Vec<Row> = app
        .rules
        .order
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .filter_map(|(pos, entry)| {
            let (rule, run) = app.hunt.get(entry.index)?;
            let pending = app.hunt.is_pending(entry.index);
            let status = match &run.status {
                _ if pending => Span::styled("…", theme::DIM),
                RuleStatus::Error(_) => Span::styled("err", theme::ERROR),
                // No hits, but a table it reads has no events loaded: no data, not no hits.
                RuleStatus::Ok if run.hits_before() == 0 && !run.unloaded.is_empty() => {
                    Span::styled("n/a", theme::WARN)
                }
                RuleStatus::Ok if run.hits_before() == 0 => Span::styled("none", theme::DIM),
                RuleStatus::Ok => Span::styled("ok", theme::OK),
            };
            let dirty = if app.hunt.is_dirty(entry.index) { "*" } else { "" };
            let short: String = rule.name.chars().skip(cut).collect();
            let hits_in_short: Vec<usize> = entry.name_hits.iter().filter(|&&c| c >= cut).map(|c| c - cut).collect();
            let marks = dirty.len() + if rule.repairs.is_empty() { 0 } else { REPAIRED.len() };
            let (short, hits_in_short) = middle_ellipsis(&short, &hits_in_short, name_w.saturating_sub(marks));
            let mut name = highlighted(&short, &hits_in_short, Style::new(), theme::MATCH);
            if !rule.repairs.is_empty() {
                // Loaded only after safe repairs of its YAML (`kqlhunt check` lists them).
                name.spans.insert(0, Span::styled(REPAIRED, theme::WARN));
            }
            if !dirty.is_empty() {
                name.spans.insert(0, Span::styled(dirty, theme::WARN));
            }
            // Grouped orders show the group once, on its first rule.
            let last = match app.rules.sort.groups() {
                // The first visible row names its group even mid-group.
                true if pos == first => None,
                true => match pos.checked_sub(1).and_then(|p| app.rules.order.get(p)) {
                    Some(prev) => app.hunt.get(prev.index).map(|(r, _)| rule_group(r, app.rules.sort)),
                    None => None,
                },
                false => None,
            };
            let group = rule_group(rule, app.rules.sort);
            let table = match app.rules.sort.groups() {
                true if last.as_deref() == Some(group.as_str()) => String::new(),
                true => group,
                false => run.table.clone().unwrap_or_else(|| rule.source_tables.join(",")),
            };
            let hits = match run.status {
                _ if pending => Line::styled("…", theme::DIM),
                RuleStatus::Ok => before_after(run.hits_before(), run.hits_after()),
                RuleStatus::Error(_) => Line::from("–"),
            };
            let style = if pos == app.rules.selected { theme::SELECTED } else { Style::new() };
            Some(
                Row::new(vec![
                    Line::from(status),
                    hits,
                    name,
                    highlighted(&table, &entry.table_hits, theme::DIM, theme::MATCH),
                ])
                .style(style),
            )
        })
        .chain(failed_rows(app, first, height))
        .collect();
    let last_col = match app.rules.sort {
        RuleSort::Folder => "Folder",
        RuleSort::Tactic => "Tactic",
        RuleSort::Name | RuleSort::Hits => "Table",
    };
    let header = Row::new(["", "Hits", "Rule", last_col]).style(theme::HEADER);
    let table = Table::new(rows, widths).header(header).block(block).column_spacing(SPACING);
    f.render_widget(table, area);
}

/// The rule files that failed to load, after the rules: their file name and
/// the first line of the reason, selectable like a rule (the results pane
/// shows the whole error).
fn failed_rows(app: &App, first: usize, height: usize) -> Vec<Row<'static>> {
    let set = app.hunt.rule_set();
    let start = app.rules.order.len();
    (app.rules.failed.iter().enumerate())
        .map(|(k, &i)| (start + k, i))
        .filter(|(pos, _)| *pos >= first && *pos < first + height)
        .filter_map(|(pos, i)| {
            let p = set.problems.get(i)?;
            let file = p.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let why = p.to_string();
            let why = why.lines().next().unwrap_or("").to_string();
            let style = if pos == app.rules.selected { theme::SELECTED } else { Style::new() };
            Some(
                Row::new(vec![
                    Line::from(Span::styled("fail", theme::ERROR)),
                    Line::from("–"),
                    Line::from(inert(&file).into_owned()),
                    Line::styled(inert(&why).into_owned(), theme::DIM),
                ])
                .style(style),
            )
        })
        .collect()
}

/// The leading words every rule name shares (two rules or more), shown once
/// in the title so the list shows what tells the rules apart.
fn common_prefix(app: &App) -> String {
    let names: Vec<&str> = (0..app.hunt.len()).filter_map(|i| app.hunt.get(i).map(|(r, _)| r.name.as_str())).collect();
    let [first, rest @ ..] = names.as_slice() else { return String::new() };
    if rest.is_empty() {
        return String::new();
    }
    let mut len = first.len();
    for n in rest {
        len = first.bytes().zip(n.bytes()).take(len).take_while(|(a, b)| a == b).count();
    }
    // Cut at a word boundary, and keep a prefix only when it is worth it.
    let prefix = first.get(..len).unwrap_or("");
    let at = prefix.rfind(' ').map_or(0, |i| i + 1);
    let prefix = &prefix[..at];
    if prefix.chars().count() >= 12 { prefix.to_string() } else { String::new() }
}
