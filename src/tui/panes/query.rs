//! The query pane: the rule's KQL and its effective KQL (active exclusions
//! spliced in), with keywords, strings, operators and comments coloured.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::data::text::inert;
use crate::tui::app::{App, Focus};
use crate::tui::theme;

const KEYWORDS: &[&str] = &[
    "let",
    "where",
    "summarize",
    "project",
    "extend",
    "by",
    "join",
    "on",
    "kind",
    "union",
    "distinct",
    "top",
    "take",
    "limit",
    "sort",
    "order",
    "asc",
    "desc",
    "count",
    "mv-expand",
    "parse",
    "evaluate",
    "lookup",
    "invoke",
    "datatable",
    "externaldata",
    "project-away",
    "project-rename",
    "project-reorder",
    "as",
    "with",
    "materialize",
    "range",
    "print",
];

const WORD_OPS: &[&str] = &[
    "and",
    "or",
    "not",
    "has",
    "has_any",
    "has_all",
    "has_cs",
    "contains",
    "contains_cs",
    "startswith",
    "endswith",
    "matches",
    "regex",
    "in",
    "between",
    "hasprefix",
    "hassuffix",
    "like",
];

/// Draws the query pane.
pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    let focused = app.focus == Focus::Query;
    let Some(r) = app.rule() else {
        return f.render_widget(theme::block(" Query ".into(), focused), area);
    };
    let Some((rule, _)) = app.hunt.get(r) else { return };
    let effective = app.hunt.effective_kql(r).unwrap_or_default();
    let active = app.hunt.active_count(r);
    let mut lines: Vec<Line> = vec![Line::styled("── KQL", theme::HEADER)];
    lines.extend(rule.query.trim_end().lines().map(highlight));
    lines.push(Line::raw(""));
    if effective.trim_end() == rule.query.trim_end() {
        lines.push(Line::styled("── Effective KQL: the same (no active exclusion)", theme::HEADER));
    } else {
        lines.push(Line::styled(format!("── Effective KQL ({active} active exclusion(s))"), theme::HEADER));
        lines.extend(effective.trim_end().lines().map(highlight));
    }
    let title = " Query · : runs ad-hoc KQL ".to_string();
    let p = Paragraph::new(lines).block(theme::block(title, focused)).scroll((app.query.scroll, 0));
    f.render_widget(p, area);
}

/// One line of KQL, coloured (untrusted text made inert first).
pub fn highlight(line: &str) -> Line<'static> {
    let text = inert(line).replace('\t', "    ");
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut i = 0;
    let push = |spans: &mut Vec<Span<'static>>, s: &[char], style: Style| {
        spans.push(Span::styled(s.iter().collect::<String>(), style));
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c == '/' && chars.get(i + 1) == Some(&'/') {
            push(&mut spans, &chars[i..], theme::COMMENT);
            break;
        } else if c == '"' || c == '\'' || (c == '@' && matches!(chars.get(i + 1), Some('"' | '\''))) {
            let verbatim = c == '@';
            let quote = if verbatim { chars[i + 1] } else { c };
            i += if verbatim { 2 } else { 1 };
            while i < chars.len() && chars[i] != quote {
                i += if chars[i] == '\\' && !verbatim { 2 } else { 1 };
            }
            i = (i + 1).min(chars.len());
            push(&mut spans, &chars[start..i], theme::STR);
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '-') {
                i += 1;
            }
            // A hyphen belongs to a word only in operators like `project-away` / `mv-expand`.
            let mut word: String = chars[start..i].iter().collect();
            if word.contains('-') && !KEYWORDS.contains(&word.as_str()) {
                let cut = word.find('-').unwrap_or(word.len());
                i = start + word[..cut].chars().count();
                word.truncate(cut);
            }
            let lower = word.to_lowercase();
            let style = if KEYWORDS.contains(&lower.as_str()) {
                theme::KW
            } else if WORD_OPS.contains(&lower.trim_start_matches('!')) {
                theme::OP
            } else {
                Style::new()
            };
            push(&mut spans, &chars[start..i], style);
        } else if "|=!<>~+-*/%.".contains(c) {
            i += 1;
            while i < chars.len() && "=!<>~.".contains(chars[i]) {
                i += 1;
            }
            push(&mut spans, &chars[start..i], theme::OP);
        } else {
            while i < chars.len() && !chars[i].is_alphabetic() && !"\"'@/_|=!<>~+-*%.".contains(chars[i]) {
                i += 1;
            }
            i = i.max(start + 1);
            push(&mut spans, &chars[start..i], Style::new());
        }
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(line: &str) -> Vec<(String, Style)> {
        highlight(line).spans.into_iter().map(|s| (s.content.into_owned(), s.style)).collect()
    }

    #[test]
    fn colours_keywords_strings_operators_comments() {
        let s = styles("| where Name has 'x\\'y' // note");
        assert!(s.contains(&("where".into(), theme::KW)), "{s:?}");
        assert!(s.contains(&("has".into(), theme::OP)), "{s:?}");
        assert!(s.contains(&("'x\\'y'".into(), theme::STR)), "{s:?}");
        assert!(s.contains(&("// note".into(), theme::COMMENT)), "{s:?}");
        assert!(s.contains(&("|".into(), theme::OP)), "{s:?}");
        let s = styles("T | project-away A");
        assert!(s.contains(&("project-away".into(), theme::KW)), "{s:?}");
    }
}
