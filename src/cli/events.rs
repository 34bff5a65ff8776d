//! `kqlhunt events`: the raw events behind a rule's device group or one
//! ReportId — what the TUI's drill-down shows.

use std::io::Write;

use anyhow::bail;

use super::args::{EventsArgs, Format, Inputs};
use super::run::select;
use super::setup::{self, load_hunt};
use super::{Outcome, print};

/// Runs `kqlhunt events`.
pub fn run(inputs: &Inputs, args: &EventsArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut loaded = load_hunt(&setup::options(inputs, std::slice::from_ref(&args.rule)))?;
    let idx = select(&mut loaded.hunt, &args.exclusions)?;
    let [r] = idx[..] else {
        bail!("events: '{}' matches {} rules; name one", args.rule, idx.len());
    };
    let hunt = &loaded.hunt;
    let Some((_, run)) = hunt.get(r) else { bail!("events: no such rule") };
    let Some((gi, group)) = run.groups.iter().enumerate().find(|(_, g)| {
        g.device_name.eq_ignore_ascii_case(&args.device) || g.device_id.eq_ignore_ascii_case(&args.device)
    }) else {
        let known: Vec<&str> = run.groups.iter().map(|g| g.label()).collect();
        bail!("events: device '{}' has no hits for this rule (devices with hits: {})", args.device, known.join(", "));
    };
    let events = hunt.device_events(r, gi, args.report);
    if events.is_empty() {
        bail!("events: no event with ReportId {} on {}", args.report.unwrap_or_default(), group.label());
    }
    match args.format {
        Format::Json => {
            let arr: Vec<serde_json::Value> = events
                .iter()
                .map(|e| {
                    let mut obj = serde_json::Map::new();
                    obj.insert("_hidden_by_exclusion".into(), serde_json::Value::Bool(e.hidden));
                    obj.insert("_hidden_by".into(), serde_json::json!(e.hidden_by));
                    for (k, v) in &e.fields {
                        obj.insert(k.clone(), print::json_value(v));
                    }
                    serde_json::Value::Object(obj)
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &arr)?;
            writeln!(out)?;
        }
        _ => {
            for (i, e) in events.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                let mark = match (e.hidden, e.hidden_by.as_slice()) {
                    (false, _) => String::new(),
                    (true, []) => "  (hidden by an active exclusion)".to_string(),
                    (true, names) => format!("  (hidden by {})", crate::data::text::inert(&names.join(", "))),
                };
                writeln!(out, "-- event {} of {}{mark}", i + 1, events.len())?;
                let rows: Vec<Vec<String>> = std::iter::once(vec!["Column".to_string(), "Value".to_string()])
                    .chain(e.fields.iter().map(|(k, v)| vec![k.clone(), print::value_text(v)]))
                    .collect();
                print::table(out, &rows)?;
            }
        }
    }
    Ok(Outcome::Hits)
}
