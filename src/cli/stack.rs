//! `kqlhunt stack`: least-frequency analysis of one column, over a rule's
//! hits (with how many the active exclusions hide) or over a query's result
//! — the headless twin of the TUI's frequency view.

use std::io::Write;

use anyhow::bail;

use super::args::{Format, Inputs, StackArgs};
use super::run::select;
use super::setup::{self, load_hunt};
use super::{Outcome, print, query};
use crate::data::time::format_datetime;
use crate::hunt::stack::{StackRow, stack_by, value_label};

/// Runs `kqlhunt stack`.
pub fn run(inputs: &Inputs, args: &StackArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let rows = match &args.rule {
        Some(rule) => {
            if args.text.query.is_some() || args.text.file.is_some() {
                bail!("stack: give --rule or a query, not both");
            }
            let mut loaded = load_hunt(&setup::options(inputs, std::slice::from_ref(rule)))?;
            let idx = select(&mut loaded.hunt, &args.exclusions)?;
            let [r] = idx[..] else {
                bail!("stack: '{rule}' matches {} rules; name one", idx.len());
            };
            if let Some((rule, crate::hunt::RuleRun { status: crate::hunt::RuleStatus::Error(e), .. })) =
                loaded.hunt.get(r)
            {
                bail!("stack: rule '{}' does not run:\n{e}", rule.name);
            }
            loaded.hunt.stack_rule(r, &args.by)?
        }
        None => {
            let frame = query::result(inputs, &args.text, "stack")?;
            stack_by(&frame, &args.by, None)?
        }
    };
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json(&rows))?;
            writeln!(out)?;
        }
        Format::Csv => print::csv(out, &cells(&args.by, &rows, false))?,
        Format::Md => print::markdown(out, &cells(&args.by, &rows, true))?,
        // The value parser admits no other format here.
        Format::Table | Format::Yaml | Format::Html => print::table(out, &cells(&args.by, &rows, true))?,
    }
    Ok(if rows.is_empty() { Outcome::NoHits } else { Outcome::Hits })
}

/// The rows as JSON: `[{value, hits, devices, hidden, first_seen, last_seen}]`.
pub fn json(rows: &[StackRow]) -> serde_json::Value {
    let time = |t: Option<i64>| t.map(format_datetime);
    serde_json::Value::Array(
        rows.iter()
            .map(|r| {
                serde_json::json!({
                    "value": print::json_value(&r.value),
                    "hits": r.hits,
                    "devices": r.devices,
                    "hidden": r.hidden,
                    "first_seen": time(r.first_seen),
                    "last_seen": time(r.last_seen),
                })
            })
            .collect(),
    )
}

/// A header row and one row per value. For people (`labels`), null and
/// empty are spelled out; CSV keeps them raw (empty cells).
fn cells(column: &str, rows: &[StackRow], labels: bool) -> Vec<Vec<String>> {
    let time = |t: Option<i64>| t.map(format_datetime).unwrap_or_default();
    let header = [column, "hits", "devices", "hidden", "first_seen", "last_seen"];
    std::iter::once(header.iter().map(|h| h.to_string()).collect())
        .chain(rows.iter().map(|r| {
            let value = if labels { value_label(&r.value) } else { print::value_text(&r.value) };
            vec![
                value,
                r.hits.to_string(),
                r.devices.map(|d| d.to_string()).unwrap_or_default(),
                r.hidden.to_string(),
                time(r.first_seen),
                time(r.last_seen),
            ]
        }))
        .collect()
}
