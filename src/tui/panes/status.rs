//! The status bar (what was loaded, the clock, the last action's timing or
//! message) and the footer of key hints generated from the key map.

use std::sync::LazyLock;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::data::TICKS_PER_DAY;
use crate::data::text::inert;
use crate::data::time::format_datetime;
use crate::tui::app::App;
use crate::tui::{hints, theme};

/// Draws the status bar.
pub fn draw(f: &mut Frame, area: Rect, app: &App) {
    if let Some(line) = loading_line(app, area.width) {
        return f.render_widget(Paragraph::new(line), area);
    }
    let r = &app.info.report;
    let span = r
        .tables
        .iter()
        .filter_map(|t| t.time_span)
        .fold(None, |acc: Option<(i64, i64)>, (a, b)| Some(acc.map_or((a, b), |(x, y)| (x.min(a), y.max(b)))));
    let mut spans = vec![Span::raw(format!(" {} files · {} rows", r.files.len(), r.rows_loaded()))];
    let bad = r.rows_skipped();
    if bad > 0 || r.values_nulled() > 0 {
        spans.push(Span::styled(format!(" · {bad} bad rows · {} values nulled", r.values_nulled()), theme::WARN));
    }
    let failed = app.hunt.rule_set().problems.len();
    if failed > 0 || r.problems_total > 0 {
        // Up front, so a narrow bar still says it: nothing failed unseen.
        let what = match (failed, r.problems_total) {
            (0, p) => format!("{p} load problem{}", plural(p)),
            (f, 0) => format!("{f} rule file{} failed", plural(f)),
            (f, p) => format!("{f} rule file{} failed, {p} load problem{}", plural(f), plural(p)),
        };
        spans.insert(0, Span::styled(format!(" {what} (L) ·"), theme::ERROR));
    }
    if let Some((a, b)) = span {
        spans.push(Span::raw(format!(" · {} → {}", day(a), day(b))));
    }
    let clock = &app.info.clock;
    let pin = if clock.pinned() { "pinned" } else { "wall clock" };
    spans.push(Span::raw(format!(" · now {} ({pin})", format_datetime(clock.now))));
    if let Some(w) = stale_window(app, span.map(|s| s.1)) {
        spans.push(Span::styled(
            format!(" · every event is older than this rule's {w}-day window: try --now latest"),
            theme::WARN,
        ));
    }
    if let Some((name, took)) = app.status.timing {
        spans.push(Span::styled(format!(" · {name}: {:.2} ms", took.as_secs_f64() * 1000.0), theme::DIM));
    }
    if let Some(job) = app.job_line() {
        // A job runs: what it does and how to stop it come first.
        spans.insert(0, Span::styled(format!(" {} ·", inert(&job)), theme::WARN));
    }
    if let Some(m) = &app.status.message {
        // The message is news: it goes before the standing facts (after a
        // failure warning), and what does not fit is in the log, not cut mid-word.
        let at = usize::from(failed > 0 || r.problems_total > 0);
        let used: usize = spans.iter().take(at).map(Span::width).sum();
        let room = (area.width as usize).saturating_sub(used + 2);
        spans.insert(at, Span::styled(format!(" {} ·", fit_words(&inert(m), room)), theme::OK));
    }
    f.render_widget(Paragraph::new(Line::from(spans)).style(theme::DIM.patch(ratatui::style::Style::new())), area);
}

/// While loading: how far it is (bytes and rows of the file being read,
/// then rules run), as a bar, and how to quit.
fn loading_line(app: &App, width: u16) -> Option<Line<'static>> {
    let load = app.load.as_ref()?;
    let bar_w = if width >= 100 { 24 } else { 10 };
    let (done, total, what) = match load.events_in {
        false => {
            let mb = |b: u64| b as f64 / 1e6;
            let file = std::path::Path::new(&load.file).file_name().map(|n| n.to_string_lossy().into_owned());
            let file = file.unwrap_or_else(|| "the events".into());
            let what = format!("loading {} · {:.1} of {:.1} MB", inert(&file), mb(load.bytes.0), mb(load.bytes.1));
            // Rows read, when they fit beside the bar and its percentage.
            let rows = format!(" · {} rows", load.rows);
            let fits = what.chars().count() + rows.len() + bar_w + 7 <= width as usize;
            let what = if load.rows > 0 && fits { what + &rows } else { what };
            (load.bytes.0, load.bytes.1, what)
        }
        true => {
            let rows = app.info.report.rows_loaded();
            let n = app.hunt.len();
            let what = format!("{rows} rows loaded · running the rules: {} of {n}", load.ran);
            (load.ran as u64, n as u64, what)
        }
    };
    let share = if total == 0 { 0.0 } else { (done as f64 / total as f64).clamp(0.0, 1.0) };
    let filled = (share * bar_w as f64).round() as usize;
    let bar = format!("{}{}", "█".repeat(filled), "░".repeat(bar_w - filled));
    let pct = format!(" {:>3.0}%", share * 100.0);
    let mut spans = vec![Span::styled(format!(" {what} "), theme::WARN), Span::styled(bar, theme::OK), Span::raw(pct)];
    if let Some(m) = &app.status.message {
        // A key that must wait says why, first.
        let room = (width as usize).saturating_sub(spans.iter().map(Span::width).sum::<usize>() + 4);
        spans.insert(0, Span::styled(format!(" {} ·", fit_words(&inert(m), room)), theme::OK));
    }
    // The footer says Esc quits too; here only when it fits.
    let quit = " · Esc or q quits";
    if spans.iter().map(Span::width).sum::<usize>() + quit.len() <= width as usize {
        spans.push(Span::styled(quit, theme::DIM));
    }
    Some(Line::from(spans))
}

/// `text` when it fits in `room` cells; else its leading whole words and a
/// pointer to the message log, never a word cut in two.
fn fit_words(text: &str, room: usize) -> String {
    const MORE: &str = " … (M: whole message)";
    let width = |s: &str| Span::raw(s).width();
    if width(text) <= room {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split_inclusive(' ') {
        if width(&out) + width(word.trim_end()) + width(MORE) > room {
            break;
        }
        out.push_str(word);
    }
    format!("{}{MORE}", out.trim_end())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn day(t: i64) -> String {
    let s = format_datetime(t);
    s.get(..16).map(|d| d.replace('T', " ")).unwrap_or(s)
}

/// The selected rule's look-back in days, when the clock is the wall clock
/// and the newest event is older than it (so the rule cannot find anything).
fn stale_window(app: &App, newest: Option<i64>) -> Option<i64> {
    if app.info.clock.pinned() {
        return None;
    }
    let (rule, _) = app.hunt.get(app.rule()?)?;
    let days = window_days(&rule.query)?;
    (newest? < app.info.clock.now - days * TICKS_PER_DAY).then_some(days)
}

/// The days of a `ago(Nd)` / `now(-Nd)` look-back in a query, the largest when several.
pub fn window_days(query: &str) -> Option<i64> {
    static RE: LazyLock<Option<regex::Regex>> =
        LazyLock::new(|| regex::Regex::new(r"(?:ago\(\s*|now\(\s*-\s*)(\d+)d\s*\)").ok());
    RE.as_ref()?.captures_iter(query).filter_map(|c| c.get(1)?.as_str().parse().ok()).max()
}

/// Draws the footer: the key hints of the active contexts that fit, whole,
/// most important first ([`hints::footer_fit`]).
pub fn footer(f: &mut Frame, area: Rect, app: &App) {
    let mut spans = Vec::new();
    for (i, (k, label)) in hints::footer_fit(&app.contexts(), area.width as usize).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" ".repeat(hints::HINT_GAP)));
        }
        spans.push(Span::styled(format!(" {k} "), theme::KEY));
        spans.push(Span::raw(format!(" {label}")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(test)]
mod tests {
    #[test]
    fn window_from_query() {
        assert_eq!(super::window_days("let s = now(-5d);\nT | where Timestamp > ago(3d)"), Some(5));
        assert_eq!(super::window_days("T"), None);
    }
}
