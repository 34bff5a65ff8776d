//! `kqlhunt samples`: write the deterministic sample events.

use std::io::{IsTerminal, Write};

use anyhow::Context;

use super::Outcome;
use super::args::{SampleProfile, SamplesArgs};
use crate::samples::{Options, Profile, Progress, generate_with_progress};

/// Generates the samples and prints one line per file and rule to stderr
/// (and, on a terminal, a progress line while it writes).
pub fn run(args: &SamplesArgs) -> anyhow::Result<Outcome> {
    let profile = match args.profile {
        SampleProfile::Demo => Profile::Demo,
        SampleProfile::Enterprise => Profile::Enterprise,
    };
    let options = Options { rows: args.rows, seed: args.seed, jsonl_only: args.jsonl_only, profile };
    let tty = std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let mut show = |p: Progress| {
        if tty {
            let rate = p.rows as f64 / started.elapsed().as_secs_f64().max(1e-3);
            let pct = p.rows * 100 / p.total.max(1);
            eprint!("\r\x1b[K{}: {} / {} rows ({pct} %), {:.0} rows/s", p.table, p.rows, p.total, rate);
            let _ = std::io::stderr().flush();
        }
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
