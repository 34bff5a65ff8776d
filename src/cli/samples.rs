//! `kqlhunt samples`: write the deterministic sample events.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use anyhow::Context;

use super::Outcome;
use super::args::{SampleFormat, SampleProfile, SamplesArgs};
use crate::samples::{Format, Options, Profile, Progress, generate_with_progress};

/// Least time between two progress redraws.
const REDRAW: Duration = Duration::from_millis(200);

/// Generates the samples and prints one line per file and rule to stderr
/// (and, on a terminal, a progress line while it writes).
pub fn run(args: &SamplesArgs) -> anyhow::Result<Outcome> {
    let profile = match args.profile {
        SampleProfile::Demo => Profile::Demo,
        SampleProfile::Enterprise => Profile::Enterprise,
    };
    let format = args.format.map(|f| match f {
        SampleFormat::Jsonl => Format::Jsonl,
        SampleFormat::Api => Format::AhApi,
        SampleFormat::Streaming => Format::Streaming,
        SampleFormat::Csv => Format::PortalCsv,
    });
    let options = Options {
        rows: args.rows,
        seed: args.seed,
        jsonl_only: args.jsonl_only,
        profile,
        format,
        gzip: args.gzip,
        threads: None,
    };
    // Progress only on a terminal: piped, stderr carries just the summary.
    let tty = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut drawn: Option<Instant> = None;
    let mut show = |p: Progress| {
        let now = Instant::now();
        // Redraw a few times a second, and always at a table's end.
        if !tty || (p.rows < p.total && drawn.is_some_and(|d| now.duration_since(d) < REDRAW)) {
            return;
        }
        drawn = Some(now);
        eprint!("\r\x1b[K{}", progress_line(&p, now.duration_since(started)));
        let _ = std::io::stderr().flush();
    };
    let manifest = generate_with_progress(&options, &args.out, &mut show)
        .with_context(|| format!("generating samples into {}", args.out.display()))?;
    if tty {
        eprint!("\r\x1b[K");
    }
    for f in &manifest.files {
        eprintln!("{:>9} events  {}", f.rows, args.out.join(&f.name).display());
    }
    for r in &manifest.rules {
        eprintln!(
            "{:>9} hits on {} devices  {} ({} outside the window, {} near misses)",
            r.hits, r.hit_devices, r.name, r.outside_window, r.near_misses
        );
    }
    Ok(Outcome::Hits)
}

/// The progress line: the table being written, its rows, and the whole
/// run's rate and time left.
fn progress_line(p: &Progress, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64().max(1e-3);
    let rate = p.all_rows as f64 / secs;
    let pct = p.rows * 100 / p.total.max(1);
    let left = p.all_total.saturating_sub(p.all_rows);
    let eta =
        if rate >= 1.0 { format!("{:.0} s left", (left as f64 / rate).ceil()) } else { "time left unknown".into() };
    format!("{}: {} / {} rows ({pct} %), {:.0} rows/s, {eta}", p.table, p.rows, p.total, rate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_line_shows_rows_rate_and_time_left() {
        let p = Progress {
            table: "DeviceProcessEvents",
            rows: 50_000,
            total: 200_000,
            all_rows: 50_000,
            all_total: 340_000,
        };
        assert_eq!(
            progress_line(&p, Duration::from_millis(500)),
            "DeviceProcessEvents: 50000 / 200000 rows (25 %), 100000 rows/s, 3 s left"
        );
        let start = Progress { rows: 0, all_rows: 0, ..p };
        assert!(progress_line(&start, Duration::ZERO).ends_with("0 rows/s, time left unknown"));
    }
}
