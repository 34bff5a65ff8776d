//! The query pane: the rule's KQL and its effective KQL (active exclusions
//! spliced in), with keywords, strings, operators and comments coloured.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::data::text::inert;
use crate::kql::scan::{self, Kind, Sym};
use crate::kql::vocab;
use crate::tui::app::{App, Focus};
use crate::tui::theme;

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

/// One line of KQL, coloured (untrusted text made inert first), read by
/// the one KQL scanner; a line's unterminated string is coloured to its end.
pub fn highlight(line: &str) -> Line<'static> {
    let text = inert(line).replace('\t', "    ");
    let toks = scan::join_hyphens(&text, &scan::scan(&text), vocab::is_keyword);
    let spans: Vec<Span<'static>> =
        toks.iter().map(|t| Span::styled(t.text(&text).to_string(), style(t.kind, t.text(&text)))).collect();
    Line::from(spans)
}

/// The colour of a token of `kind` whose text is `text`.
pub fn style(kind: Kind, text: &str) -> Style {
    match kind {
        Kind::Comment => theme::COMMENT,
        Kind::String { .. } => theme::STR,
        Kind::Word | Kind::BangWord => {
            let lower = text.to_lowercase();
            if vocab::is_keyword(&lower) {
                theme::KW
            } else if vocab::is_word_operator(&lower) {
                theme::OP
            } else {
                Style::new()
            }
        }
        Kind::Sym(sym) if is_operator_sym(sym) => theme::OP,
        Kind::Whitespace | Kind::Number | Kind::Raw { .. } | Kind::Sym(_) | Kind::Unknown => Style::new(),
    }
}

/// Symbols shown as operators; brackets and separators stay plain.
fn is_operator_sym(sym: Sym) -> bool {
    !matches!(
        sym,
        Sym::LParen
            | Sym::RParen
            | Sym::LBracket
            | Sym::RBracket
            | Sym::LBrace
            | Sym::RBrace
            | Sym::Comma
            | Sym::Semi
            | Sym::Colon
    )
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

    #[test]
    fn reads_kql_as_the_lexer_does() {
        let s = styles("| where A !has_cs \"x\" and B in~ ('y') | mv-expand C // '");
        for (text, style) in [("!has_cs", theme::OP), ("in~", theme::OP), ("and", theme::OP), ("mv-expand", theme::KW)]
        {
            assert!(s.contains(&(text.into(), style)), "{text}: {s:?}");
        }
        assert!(s.contains(&("// '".into(), theme::COMMENT)), "{s:?}");
        // An unterminated string runs to the end of the line; hyphens split non-operators.
        let s = styles("x == 'open | where");
        assert!(s.contains(&("'open | where".into(), theme::STR)), "{s:?}");
        let s = styles("a-b");
        assert_eq!(s.iter().map(|(t, _)| t.as_str()).collect::<String>(), "a-b");
        assert!(s.contains(&("-".into(), theme::OP)), "{s:?}");
    }
}
