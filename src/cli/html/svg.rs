//! The inline SVG of the HTML impact report: a share bar per exclusion and
//! a before/after timeline per rule. Plain shapes with `<title>` tooltips,
//! sized by `viewBox` so they scale with the page and print as drawn.

use std::fmt::Write as _;

use crate::data::time::format_datetime;
use crate::hunt::{TICKS_PER_HOUR, Timeline};

use super::{esc, pct};

/// Grey for all hits, blue for the hits left after exclusions.
const BEFORE: &str = "#c5ccd6";
const AFTER: &str = "#1f6feb";
/// Bars: the track, "alone" and "uniquely".
const TRACK: &str = "#eef1f4";
const ALONE: &str = "#f0a13a";
const UNIQUE: &str = "#8250df";
const BROAD: &str = "#cf222e";

/// Most bars a timeline draws; longer timelines add up neighbouring hours.
const MAX_BARS: usize = 96;

/// A bar of `share` (0–1) of the rule's hits with its count and percentage;
/// `mark` draws the over-broad threshold as a red tick.
pub fn bar(h: &mut String, count: usize, share: f64, mark: Option<f64>, kind: &str) {
    const W: f64 = 120.0;
    let share = if share.is_finite() { share.clamp(0.0, 1.0) } else { 0.0 };
    let fill = if kind == "unique" { UNIQUE } else { ALONE };
    let label = format!("{count} ({})", pct(share));
    let _ = write!(
        h,
        "<svg class=\"bar\" width=\"210\" height=\"18\" viewBox=\"0 0 210 18\" role=\"img\" \
         aria-label=\"hides {kind}: {label} of the hits\"><title>hides {kind}: {label} of the rule's hits</title>\
         <rect x=\"0.5\" y=\"2.5\" width=\"{W}\" height=\"13\" fill=\"{TRACK}\" stroke=\"#afb8c1\"/>"
    );
    if share > 0.0 {
        let _ = write!(
            h,
            "<rect x=\"0.5\" y=\"2.5\" width=\"{:.1}\" height=\"13\" fill=\"{fill}\"/>",
            (W * share).max(1.5)
        );
    }
    if let Some(m) = mark.filter(|m| (0.0..=1.0).contains(m)) {
        let x = 0.5 + W * m;
        let _ =
            write!(h, "<line x1=\"{x:.1}\" y1=\"0\" x2=\"{x:.1}\" y2=\"18\" stroke=\"{BROAD}\" stroke-width=\"1.5\"/>");
    }
    let _ =
        write!(h, "<text x=\"{}\" y=\"13.5\" font-size=\"12\" fill=\"#1f2328\">{}</text></svg>", W + 7.0, esc(&label));
}

/// `2026-11-20 14:00` for a bucket start.
fn when(ticks: i64) -> String {
    let s = format_datetime(ticks);
    match s.get(..16) {
        Some(head) if s.as_bytes().get(10) == Some(&b'T') => head.replacen('T', " ", 1),
        _ => s,
    }
}

/// The before/after chart of hits per time bucket, as a `<figure>`.
pub fn timeline(h: &mut String, t: &Timeline) {
    let Some(start) = t.start.filter(|_| !t.before.is_empty()) else {
        h.push_str("<p class=\"dim\">No timeline: no hit has a Timestamp.</p>\n");
        return;
    };
    // Add up neighbouring buckets so at most MAX_BARS are drawn.
    let group = t.before.len().div_ceil(MAX_BARS);
    let sum = |v: &[u64]| -> Vec<u64> { v.chunks(group).map(|c| c.iter().sum()).collect() };
    let (before, after) = (sum(&t.before), sum(&t.after));
    let hours = t.hours.max(1) * group as i64;
    let width = hours * TICKS_PER_HOUR;
    let end = start.saturating_add(width.saturating_mul(before.len() as i64));
    let max = before.iter().copied().max().unwrap_or(0).max(1);

    let (w, top, left, right, plot_h) = (960.0_f64, 24.0_f64, 44.0_f64, 10.0_f64, 120.0_f64);
    let plot_w = w - left - right;
    let base = top + plot_h;
    let slot = plot_w / before.len() as f64;
    let gap = if slot > 4.0 { slot * 0.15 } else { 0.0 };
    let y = |n: u64| base - plot_h * n as f64 / max as f64;

    let bucket = if hours == 1 { "hour".to_string() } else { format!("{hours} hours") };
    let _ = writeln!(
        h,
        "<figure class=\"timeline\"><svg viewBox=\"0 0 {w} 168\" role=\"img\" \
         aria-label=\"hits per {bucket}, before and after exclusions\">"
    );
    // Legend, then the grid and axis labels.
    let _ = writeln!(
        h,
        "<rect x=\"{left}\" y=\"4\" width=\"11\" height=\"11\" fill=\"{BEFORE}\"/>\
         <text x=\"{}\" y=\"14\" font-size=\"12\" fill=\"#444c56\">before exclusions</text>\
         <rect x=\"{}\" y=\"4\" width=\"11\" height=\"11\" fill=\"{AFTER}\"/>\
         <text x=\"{}\" y=\"14\" font-size=\"12\" fill=\"#444c56\">after exclusions</text>\
         <text x=\"{}\" y=\"14\" font-size=\"12\" fill=\"#59636e\" text-anchor=\"end\">hits per {}</text>",
        left + 16.0,
        left + 140.0,
        left + 156.0,
        w - right,
        esc(&bucket)
    );
    let mut ticks = vec![0, max.div_ceil(2), max];
    ticks.dedup();
    for n in ticks {
        let yy = y(n);
        let _ = write!(
            h,
            "<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\" stroke=\"#d8dee4\" stroke-width=\"1\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#59636e\" text-anchor=\"end\">{n}</text>",
            w - right,
            left - 6.0,
            yy + 4.0
        );
    }
    h.push('\n');
    for (i, (&b, &a)) in before.iter().zip(&after).enumerate() {
        if b == 0 {
            continue;
        }
        let x = left + slot * i as f64 + gap / 2.0;
        let bw = (slot - gap).max(0.8);
        let from = start.saturating_add(width.saturating_mul(i as i64));
        let _ = write!(
            h,
            "<g><title>{}: {b} before, {a} after</title>\
             <rect x=\"{x:.2}\" y=\"{:.2}\" width=\"{bw:.2}\" height=\"{:.2}\" fill=\"{BEFORE}\"/>",
            esc(&when(from)),
            y(b),
            base - y(b)
        );
        if a > 0 {
            let _ = write!(
                h,
                "<rect x=\"{x:.2}\" y=\"{:.2}\" width=\"{bw:.2}\" height=\"{:.2}\" fill=\"{AFTER}\"/>",
                y(a),
                base - y(a)
            );
        }
        h.push_str("</g>\n");
    }
    let _ = write!(
        h,
        "<line x1=\"{left}\" y1=\"{base}\" x2=\"{:.1}\" y2=\"{base}\" stroke=\"#57606a\" stroke-width=\"1\"/>\
         <text x=\"{left}\" y=\"{:.1}\" font-size=\"12\" fill=\"#444c56\">{}</text>\
         <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#444c56\" text-anchor=\"end\">{}</text>",
        w - right,
        base + 18.0,
        esc(&when(start)),
        w - right,
        base + 18.0,
        esc(&when(end))
    );
    let total_b: u64 = t.before.iter().sum();
    let total_a: u64 = t.after.iter().sum();
    let _ = writeln!(
        h,
        "</svg><figcaption>Hits with a Timestamp per {bucket}, {} to {} (UTC): {total_b} before, {total_a} after.</figcaption></figure>",
        esc(&when(start)),
        esc(&when(end))
    );
}
