//! What `kqlhunt` with no subcommand prints where no terminal UI can run:
//! what was loaded (tables, rows, bad rows, time span) and each rule's hits.

use std::io::Write;

use crate::data::time::format_datetime;

use super::Outcome;
use super::args::Inputs;
use super::setup::{self, load_hunt};

/// Prints the load summary and one line per rule.
pub fn run(inputs: &Inputs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let loaded = load_hunt(&setup::options(inputs, &[]))?;
    let r = &loaded.events.report;
    writeln!(
        out,
        "loaded {} file(s) in {:.2}s: {} rows, {} skipped, {} values nulled",
        r.files.len(),
        loaded.events.elapsed.as_secs_f64(),
        r.rows_loaded(),
        r.rows_skipped(),
        r.values_nulled()
    )?;
    for t in &r.tables {
        let span = t.time_span.map(|(a, b)| format!("{} .. {}", format_datetime(a), format_datetime(b)));
        writeln!(out, "  {:<28} {:>9} rows  {}", t.name, t.rows, span.unwrap_or_default())?;
    }
    writeln!(out, "now: {}", loaded.clock.describe())?;
    let hunt = &loaded.hunt;
    writeln!(out, "{} rule(s):", hunt.len())?;
    for i in 0..hunt.len() {
        let Some((rule, run)) = hunt.get(i) else { continue };
        let status = match &run.status {
            crate::hunt::RuleStatus::Ok => format!("{:>5} → {:<5} hits", run.hits_before(), run.hits_after()),
            crate::hunt::RuleStatus::Error(_) => "error".to_string(),
        };
        writeln!(out, "  {status}  {}", crate::data::text::inert(&rule.name))?;
    }
    Ok(setup::outcome(hunt, &(0..hunt.len()).collect::<Vec<_>>()))
}
