//! `kqlhunt query`: one ad-hoc KQL query over the events.

use std::io::Write;

use anyhow::{Context, bail};

use super::args::{Format, Inputs, QueryArgs, QueryText};
use super::setup::{self, load_events};
use super::{Outcome, print};
use crate::kql::eval::{Evaluator, Frame};
use crate::session::{LoadFor, check_cancelled, clock, eval_session};

/// Runs `kqlhunt query`.
pub fn run(inputs: &Inputs, args: &QueryArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let frame = result(inputs, &args.text, "query")?;
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

/// The result of the query given as text or `--file` (`cmd` names the
/// command in errors); load problems and evaluator notes go to stderr.
pub fn result(inputs: &Inputs, query: &QueryText, cmd: &str) -> anyhow::Result<Frame> {
    let text = match (query.query.as_deref(), query.file.as_deref()) {
        (Some(q), None) => q.to_string(),
        (None, Some(f)) => std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?,
        (Some(_), Some(_)) => bail!("{cmd}: give the query text or --file, not both"),
        (None, None) => bail!("{cmd}: give the query text, or --file FILE"),
    };
    if inputs.source.is_some() {
        bail!(
            "{cmd}: --source runs the rules' queries remotely; an ad-hoc query runs over local events, or over saved remote results with --events DIR"
        );
    }
    // Installed before the load, so an early Ctrl-C also stops the query
    // (rather than killing the process mid-load with no message).
    let opts = setup::options(inputs, &[]);
    // Only the columns the query names decode now (no rule runs).
    let events = load_events(&opts, LoadFor::Query(&text))?;
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
    Ok(frame)
}
