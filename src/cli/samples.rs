//! `kqlhunt samples`: write the deterministic sample events.

use anyhow::Context;

use super::Outcome;
use super::args::SamplesArgs;
use crate::samples::{Options, generate};

/// Generates the samples and prints one line per file and rule to stderr.
pub fn run(args: &SamplesArgs) -> anyhow::Result<Outcome> {
    let options = Options { rows: args.rows, seed: args.seed, jsonl_only: args.jsonl_only };
    let manifest =
        generate(&options, &args.out).with_context(|| format!("generating samples into {}", args.out.display()))?;
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
