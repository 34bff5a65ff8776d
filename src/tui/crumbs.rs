//! The results pane's breadcrumb: one crumb per view on its stack
//! (`rule › device › ReportId › event`, `… › query`, `… › stack by COLUMN`),
//! fitted to the pane's title with middle ellipses, so the view Esc returns
//! to is always named.

use crate::data::text::inert;

use super::app::App;
use super::fmt::middle_ellipsis;

/// Between crumbs.
const SEP: &str = " › ";
/// Between the crumbs and the view's own detail (counts, hints).
const DETAIL: &str = " · ";
/// Caps tried, in turn, on every crumb but the last before anything is dropped.
const CAPS: [usize; 2] = [18, 10];
/// The shortest the last crumb gets to keep the detail beside it.
const MIN_LAST: usize = 12;
/// Cap of the last crumb (the view shown) before crumbs are dropped.
const LAST_CAP: usize = 28;

impl App {
    /// The crumbs of the views on the results pane's stack, bottom first (inert).
    pub fn crumbs(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let r = &self.results;
        let rule = self.rule().and_then(|i| Some((i, self.hunt.get(i)?)));
        if let Some((_, (rule, _))) = rule {
            out.push(rule.name.clone());
        }
        if let (Some(d), Some((_, (_, run)))) = (&r.drill, rule) {
            if let Some(g) = run.groups.get(d.group) {
                out.push(g.label().to_string());
            }
            if let Some(ev) = &d.event {
                if let Some(Some(id)) = run.hits.report_ids.get(ev.hit as usize) {
                    out.push(id.to_string());
                }
                // Hidden is said in the crumb too: the detail may not fit.
                out.push(if ev.hidden { "HIDDEN event" } else { "event" }.into());
            }
        }
        if r.adhoc.is_some() {
            out.push("query".into());
        }
        out.extend(r.views.iter().map(|v| v.crumb()));
        out.into_iter().map(|c| inert(c.lines().next().unwrap_or("")).into_owned()).collect()
    }

    /// The results pane's title for a pane `width` cells wide: the
    /// breadcrumb, then `detail` when it fits.
    pub fn results_title(&self, detail: &str, width: u16) -> String {
        // Two border cells and a space each side.
        let room = (width as usize).saturating_sub(4);
        format!(" {} ", fit(&self.crumbs(), &inert(detail), room))
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn short(s: &str, cap: usize) -> String {
    middle_ellipsis(s, &[], cap).0
}

/// The crumbs joined with `›`, then `· detail`, in at most `width`
/// characters. Shortens, in order: earlier crumbs (middle ellipsis), the
/// last one down to [`MIN_LAST`] to keep the detail, cuts the detail's end
/// (beside the whole last crumb, then a short one), then drops the detail,
/// shortens the last crumb, replaces the oldest crumbs with `…`, and last
/// cuts what is left.
pub fn fit(crumbs: &[String], detail: &str, width: usize) -> String {
    let fits = |c: &[String], with_detail: bool| {
        let line = c.join(SEP);
        let s = match with_detail && !detail.trim().is_empty() {
            true => format!("{line}{DETAIL}{detail}"),
            false => line,
        };
        (chars(&s) <= width).then_some(s)
    };
    let n = crumbs.len();
    let capped = |cap: usize| -> Vec<String> {
        let mut c = crumbs.to_vec();
        c.iter_mut().take(n.saturating_sub(1)).for_each(|x| *x = short(x, cap));
        c
    };
    // Whole crumbs, then shorter ones, with the detail.
    for cap in [usize::MAX, CAPS[0], CAPS[1]] {
        if let Some(s) = fits(&capped(cap), true) {
            return s;
        }
    }
    // The detail (counts) still shows if the last crumb can keep a readable part.
    let mut c = capped(CAPS[1]);
    let others: usize = c.iter().take(n.saturating_sub(1)).map(|x| chars(x) + chars(SEP)).sum();
    let room = width.saturating_sub(others + chars(DETAIL) + chars(detail));
    if room >= MIN_LAST && !detail.trim().is_empty() {
        let mut d = c.clone();
        if let Some(last) = d.last_mut() {
            *last = short(last, room);
        }
        if let Some(s) = fits(&d, true) {
            return s;
        }
    }
    // Else the start of the detail (its counts come first), when a readable
    // part of it fits: beside the whole last crumb, else beside a short one.
    let mut short_last = c.clone();
    if let Some(last) = short_last.last_mut() {
        *last = short(last, MIN_LAST);
    }
    for crumbs in [&c, &short_last] {
        let line = crumbs.join(SEP);
        let left = width.saturating_sub(chars(&line) + chars(DETAIL));
        if left >= MIN_LAST && !detail.trim().is_empty() {
            let cut: String = detail.chars().take(left - 1).collect();
            return format!("{line}{DETAIL}{cut}…");
        }
    }
    for cap in [usize::MAX, CAPS[0], CAPS[1]] {
        if let Some(s) = fits(&capped(cap), false) {
            return s;
        }
    }
    if let Some(last) = c.last_mut() {
        *last = short(last, LAST_CAP);
    }
    // The oldest crumbs go first; `…` marks the gap.
    for k in 0..n {
        let mut rest = if k == 0 { Vec::new() } else { vec!["…".to_string()] };
        rest.extend_from_slice(&c[k..]);
        if let Some(s) = fits(&rest, false) {
            return s;
        }
    }
    short(c.last().map_or("", String::as_str), width)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fits_whole_then_shortens_in_order() {
        let c = v(&["LiteManager", "srv-app-01.contoso.local", "4711", "event"]);
        assert_eq!(fit(&c, "raw event", 200), "LiteManager › srv-app-01.contoso.local › 4711 › event · raw event");
        let s = fit(&c, "raw event", 60);
        assert!(chars(&s) <= 60 && s.ends_with("event · raw event") && s.contains('…'), "{s}");
        let s = fit(&c, "raw event", 30);
        assert!(chars(&s) <= 30 && s.ends_with("› event"), "{s}");
        for w in 0..80 {
            let s = fit(&c, "15 → 12 hits", w);
            assert!(chars(&s) <= w, "{w}: {s}");
        }
    }

    #[test]
    fn the_view_shown_keeps_its_name_longest() {
        let c = v(&[
            "Remote Management and Monitoring tool - LiteManager - Create Process",
            "stack by InitiatingProcessFileName",
        ]);
        let s = fit(&c, "4 values", 60);
        assert!(s.contains("stack by InitiatingProcessFileName · 4 values"), "{s}");
        // Narrower, the counts stay beside a shortened crumb.
        let s = fit(&c, "4 values", 50);
        assert!(s.contains("› stack by") && s.ends_with(" · 4 values") && chars(&s) <= 50, "{s}");
        let s = fit(&c, "", 36);
        assert!(s.starts_with("…") && s.contains("stack by"), "{s}");
    }
}
