//! `kqlhunt query`: one ad-hoc KQL query over the events.

use std::io::Write;

use anyhow::{Context, bail};

use super::args::{Format, Inputs, QueryArgs};
use super::setup::{self, load_events};
use super::{Outcome, print};
use crate::kql::eval::Evaluator;
use crate::session::{check_cancelled, clock, eval_session};

/// Runs `kqlhunt query`.
pub fn run(inputs: &Inputs, args: &QueryArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let text = match (&args.query, &args.file) {
        (Some(q), None) => q.clone(),
        (None, Some(f)) => std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?,
        (Some(_), Some(_)) => bail!("query: give the query text or --file, not both"),
        (None, None) => bail!("query: give the query text, or --file FILE"),
    };
    // Installed before the load, so an early Ctrl-C also stops the query
    // (rather than killing the process mid-load with no message).
    let opts = setup::options(inputs, &[]);
    let events = load_events(&opts)?;
    for p in events.report.problem_lines() {
        eprintln!("kqlhunt: events: {p}");
    }
    let clock = clock(&opts, &events.db)?;
    let q = crate::kql::parse(&text).map_err(|e| anyhow::anyhow!("{}", e.render(&text)))?;
    let session = eval_session(&opts, &events.db, &clock);
    let mut ev = Evaluator::new(session.clone());
    let frame = ev.run(&q);
    check_cancelled(&session)?;
    let frame = frame.map_err(|e| anyhow::anyhow!("{}", e.render(&text)))?;
    for n in ev.notes() {
        eprintln!("kqlhunt: note: {n}");
    }
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &print::json_rows(&frame))?;
            writeln!(out)?;
        }
        Format::Csv => print::csv(out, &print::cells(&frame))?,
        Format::Md => print::markdown(out, &print::cells(&frame))?,
        // The value parser admits no other format here.
        Format::Table | Format::Yaml | Format::Html => print::table(out, &print::cells(&frame))?,
    }
    Ok(if frame.is_empty() { Outcome::NoHits } else { Outcome::Hits })
}
