//! `kqlhunt impact --format html`: the impact report as one self-contained
//! page for reviewers — inline CSS and inline SVG, no script, no fetch of
//! anything (no `src`/`href` leaves the page), every value escaped.
//!
//! Rendered only from the hunt's view model ([`ImpactReport`]). The markup
//! is also well-formed XML (every element closed, attributes quoted), so
//! tests can check its structure with an XML parser.
//!
//! Layout: a summary (`<header>`, totals and one line per rule), then one
//! `<section>` per rule (hits before → after, the timeline chart, one table
//! row per exclusion with its bars, flag and the devices that disappear).

mod svg;

use std::fmt::Write as _;
use std::io::Write;

use crate::hunt::ExclusionState;
use crate::hunt::report::{ImpactExclusion, ImpactReport, ImpactRule};

/// What the page says about where it came from, besides the report itself.
#[derive(Clone, Debug, Default)]
pub struct PageInfo {
    /// The session clock, as `Clock::describe` prints it.
    pub now: String,
    /// The `--exclusions` selection the counts were made with.
    pub selection: String,
}

/// Writes the page for `report` to `out`.
pub fn write(out: &mut dyn Write, report: &ImpactReport, info: &PageInfo) -> std::io::Result<()> {
    out.write_all(page(report, info).as_bytes())
}

/// The whole page as a string.
pub fn page(report: &ImpactReport, info: &PageInfo) -> String {
    let mut h = String::with_capacity(16 * 1024);
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    h.push_str("<title>kqlhunt — exclusion impact</title>\n<style>\n");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<main>\n");
    summary(&mut h, report, info);
    for (n, rule) in report.rules.iter().enumerate() {
        section(&mut h, n, rule, report.over_broad_share);
    }
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

/// Text for HTML: `&`, `<`, `>`, both quotes escaped (safe in text and in
/// quoted attributes); control characters, which HTML does not allow, shown
/// as U+FFFD.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn pct(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn summary(h: &mut String, report: &ImpactReport, info: &PageInfo) {
    let before: usize = report.rules.iter().map(|r| r.hits_before).sum();
    let after: usize = report.rules.iter().map(|r| r.hits_after).sum();
    let exclusions: usize = report.rules.iter().map(|r| r.exclusions.len()).sum();
    let on = report.rules.iter().flat_map(|r| &r.exclusions).filter(|e| e.enabled).count();
    let broad = report.rules.iter().flat_map(|r| &r.exclusions).filter(|e| e.over_broad).count();
    let failed = report.rules.iter().filter(|r| r.error.is_some()).count();
    h.push_str("<header>\n<h1>Exclusion impact</h1>\n");
    let _ = writeln!(
        h,
        "<p class=\"meta\">kqlhunt {} · clock {} · exclusions: {}</p>",
        esc(env!("CARGO_PKG_VERSION")),
        esc(&info.now),
        esc(&info.selection)
    );
    h.push_str("<dl class=\"totals\">\n");
    let mut fact = |label: &str, value: String, class: &str| {
        let _ = writeln!(h, "<div class=\"{class}\"><dt>{}</dt><dd>{value}</dd></div>", esc(label));
    };
    fact("Rules", report.rules.len().to_string(), "");
    fact("Hits before → after", format!("{before} → {after}"), "");
    fact("Hidden", format!("{}", before - after.min(before)), "");
    fact("Exclusions on", format!("{on} of {exclusions}"), "");
    fact("Over-broad", broad.to_string(), if broad > 0 { "warn" } else { "" });
    if failed > 0 {
        fact("Rules that do not run", failed.to_string(), "warn");
    }
    h.push_str("</dl>\n");
    let _ = writeln!(
        h,
        "<p class=\"note\">Counts are over the rule's hits (the rows at its hit point). \
         “Alone” is what an exclusion hides by itself; “uniquely” what no other enabled exclusion hides. \
         An exclusion is <strong>over-broad</strong> when alone it hides at least {} of a rule's hits \
         (the red tick on each “alone” bar).</p>",
        pct(report.over_broad_share)
    );
    h.push_str("<table class=\"rules\">\n<thead><tr><th>Rule</th><th class=\"num\">Before</th>");
    h.push_str(
        "<th class=\"num\">After</th><th class=\"num\">Exclusions on</th><th>Flags</th></tr></thead>\n<tbody>\n",
    );
    for (n, r) in report.rules.iter().enumerate() {
        let on = r.exclusions.iter().filter(|e| e.enabled).count();
        let broad = r.exclusions.iter().filter(|e| e.over_broad).count();
        let flags = match (&r.error, broad) {
            (Some(_), _) => "<span class=\"badge bad\">does not run</span>".to_string(),
            (None, 0) => String::new(),
            (None, b) => format!("<span class=\"badge bad\">{b} over-broad</span>"),
        };
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#rule-{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{on} of {}</td><td>{flags}</td></tr>",
            n + 1,
            esc(&r.name),
            r.hits_before,
            r.hits_after,
            r.exclusions.len()
        );
    }
    h.push_str("</tbody>\n</table>\n</header>\n");
}

fn section(h: &mut String, n: usize, rule: &ImpactRule, over_broad_share: f64) {
    let _ = writeln!(h, "<section class=\"rule\" id=\"rule-{}\">", n + 1);
    let _ = writeln!(h, "<h2>{}</h2>", esc(&rule.name));
    let mut meta = Vec::new();
    if let Some(id) = &rule.id {
        meta.push(format!("id <code>{}</code>", esc(id)));
    }
    if let Some(t) = &rule.table {
        meta.push(format!("table <code>{}</code>", esc(t)));
    }
    if !meta.is_empty() {
        let _ = writeln!(h, "<p class=\"meta\">{}</p>", meta.join(" · "));
    }
    if let Some(e) = &rule.error {
        let _ = writeln!(h, "<p class=\"bad\">The rule does not run:</p>\n<pre>{}</pre>\n</section>", esc(e));
        return;
    }
    let hidden = rule.hits_before.saturating_sub(rule.hits_after);
    let share = if rule.hits_before == 0 { 0.0 } else { hidden as f64 / rule.hits_before as f64 };
    let _ = writeln!(
        h,
        "<p class=\"hits\"><span class=\"big\">{} → {}</span> hits before → after the enabled exclusions \
         ({hidden} hidden, {}) on {} device(s)</p>",
        rule.hits_before,
        rule.hits_after,
        pct(share),
        rule.devices
    );
    svg::timeline(h, &rule.timeline);
    if rule.exclusions.is_empty() {
        h.push_str("<p class=\"dim\">No exclusions.</p>\n</section>\n");
        return;
    }
    h.push_str("<table class=\"exclusions\">\n<thead><tr><th>Exclusion</th><th>On</th>");
    h.push_str("<th>Hides alone</th><th>Hides uniquely</th><th>Flag</th><th>Devices that disappear</th></tr></thead>\n<tbody>\n");
    for e in &rule.exclusions {
        row(h, e, over_broad_share);
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

fn row(h: &mut String, e: &ImpactExclusion, over_broad_share: f64) {
    let class = if e.over_broad { " class=\"over-broad\"" } else { "" };
    let _ = write!(h, "<tr{class}><td><div class=\"name\">{}</div>", esc(&e.name));
    if let Some(d) = e.description.as_deref().filter(|d| !d.trim().is_empty()) {
        let _ = write!(h, "<div class=\"desc\">{}</div>", esc(d));
    }
    match e.filter.as_deref().filter(|f| !f.trim().is_empty()) {
        Some(f) => {
            let _ = write!(h, "<code class=\"filter\">{}</code>", esc(f));
        }
        None => h.push_str("<div class=\"dim\">no filter</div>"),
    }
    let on = if e.enabled { "<span class=\"on\">on</span>" } else { "<span class=\"dim\">off</span>" };
    let _ = write!(h, "</td><td>{on}</td><td>");
    svg::bar(h, e.hides_alone, e.hides_alone_share, Some(over_broad_share), "alone");
    h.push_str("</td><td>");
    svg::bar(h, e.hides_uniquely, e.hides_uniquely_share, None, "unique");
    h.push_str("</td><td>");
    match &e.flag {
        ExclusionState::OverBroad => h.push_str("<span class=\"badge bad\">over-broad</span>"),
        ExclusionState::NeedsFilter => h.push_str("<span class=\"badge\">needs a filter</span>"),
        ExclusionState::Error(_) => {
            let _ = write!(h, "<span class=\"badge bad\">{}</span>", esc(&e.state));
        }
        _ if !e.state.is_empty() => {
            let _ = write!(h, "<span class=\"badge\">{}</span>", esc(&e.state));
        }
        _ => {}
    }
    h.push_str("</td><td>");
    if e.devices_gone.is_empty() {
        h.push_str("<span class=\"dim\">none</span>");
    } else {
        h.push_str("<ul class=\"devices\">");
        for d in &e.devices_gone {
            let _ = write!(h, "<li>{}</li>", esc(d));
        }
        h.push_str("</ul>");
    }
    h.push_str("</td></tr>\n");
}

/// Light, print-friendly styles; colours that matter are SVG fills or
/// borders, which browsers print (CSS backgrounds they often drop).
const STYLE: &str = r#"
:root { color-scheme: light; }
body { margin: 0; background: #fff; color: #1f2328;
  font: 15px/1.45 -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 0 0 2px; overflow-wrap: anywhere; }
code, pre { font: 12.5px/1.4 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; border: 1px solid #e5b4b0; padding: 8px; border-radius: 4px; }
.meta { color: #59636e; margin: 0 0 10px; font-size: 13px; overflow-wrap: anywhere; }
.note { color: #444c56; font-size: 13.5px; max-width: 900px; }
.dim { color: #6e7781; }
.bad { color: #a40e26; }
.totals { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0; padding: 0; }
.totals div { border: 1px solid #d0d7de; border-radius: 6px; padding: 6px 14px; min-width: 110px; }
.totals div.warn { border-color: #cf222e; }
.totals dt { font-size: 12px; color: #59636e; }
.totals dd { margin: 0; font-size: 20px; font-weight: 600; }
.warn dd { color: #a40e26; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; }
th, td { text-align: left; vertical-align: top; padding: 7px 8px; border-bottom: 1px solid #d8dee4; }
th { font-size: 12.5px; color: #444c56; border-bottom: 2px solid #afb8c1; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.rules a { color: #0550ae; text-decoration: none; }
section.rule { margin-top: 34px; padding-top: 18px; border-top: 3px solid #d0d7de; }
.hits { margin: 6px 0 8px; }
.hits .big { font-size: 20px; font-weight: 600; margin-right: 6px; }
figure { margin: 6px 0 12px; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 12.5px; color: #59636e; }
.exclusions td:first-child { width: 34%; overflow-wrap: anywhere; }
.name { font-weight: 600; }
.desc { font-size: 13px; color: #444c56; }
.filter { display: block; margin-top: 3px; color: #24292f; overflow-wrap: anywhere; white-space: pre-wrap; }
tr.over-broad td:first-child { border-left: 4px solid #cf222e; }
.on { color: #116329; font-weight: 600; }
.badge { display: inline-block; border: 1px solid #8c959f; border-radius: 10px; padding: 0 8px;
  font-size: 12px; white-space: nowrap; }
.badge.bad { border-color: #cf222e; color: #a40e26; font-weight: 600; }
.devices { margin: 0; padding-left: 16px; font-size: 13px; overflow-wrap: break-word; }
.exclusions td:last-child { min-width: 190px; }
svg.bar { vertical-align: middle; }
@media print {
  main { max-width: none; padding: 0; }
  section.rule { break-before: auto; }
  tr, figure, .totals { break-inside: avoid; }
  a { color: inherit; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_quotes_and_control_characters() {
        assert_eq!(esc(r#"<a href="x">'&'</a>"#), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(esc("a\u{0}b\u{1b}c\nd"), "a\u{FFFD}b\u{FFFD}c\nd");
    }

    #[test]
    fn an_empty_report_is_still_a_page() {
        let report = ImpactReport { over_broad_share: 0.5, rules: Vec::new() };
        let page = page(&report, &PageInfo::default());
        assert!(page.starts_with("<!DOCTYPE html>") && page.ends_with("</html>\n"));
        assert!(!page.contains("<section"));
    }
}
