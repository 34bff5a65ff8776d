//! `kqlhunt run`: per rule, its device groups with hits before → after
//! exclusions, and totals.

use std::io::Write;

use crate::hunt::report::{DeviceReport, RuleReport, RunReport};
use crate::hunt::{Hunt, Selection};

use super::args::{Format, HuntArgs, Inputs};
use super::setup::{self, load_hunt};
use super::{Outcome, print};
use crate::session::Loaded;

/// Runs `kqlhunt run`.
pub fn run(inputs: &Inputs, args: &HuntArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut loaded = load_hunt(&setup::options(inputs, &args.rule))?;
    let idx = select(&mut loaded.hunt, &args.exclusions)?;
    let report = RunReport::new(&loaded.hunt, &idx, loaded.clock.now, loaded.clock.pinned());
    match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut *out, &report)?,
        Format::Csv => print::csv(out, &csv_rows(&report))?,
        Format::Md => markdown(&report, out)?,
        // The value parser admits no other format here.
        Format::Table | Format::Yaml | Format::Html => text(&mut loaded, &idx, &report, out)?,
    }
    if args.format == Format::Json {
        writeln!(out)?;
    }
    Ok(setup::outcome(&loaded.hunt, &idx))
}

/// Applies the exclusion selection to every rule of the session (the session
/// kept only the rules asked for); returns their indices.
pub fn select(hunt: &mut Hunt, exclusions: &str) -> anyhow::Result<Vec<usize>> {
    let idx: Vec<usize> = (0..hunt.len()).collect();
    hunt.select(&idx, &Selection::parse(exclusions)).map_err(anyhow::Error::msg)?;
    Ok(idx)
}

fn group_cells(g: &DeviceReport) -> Vec<String> {
    let mark = if g.hits_after != g.hits_before { "*" } else { "" };
    vec![
        g.device_name.clone(),
        g.device_id.clone(),
        format!("{} → {}{mark}", g.hits_before, g.hits_after),
        g.first_seen.clone().unwrap_or_default(),
        g.last_seen.clone().unwrap_or_default(),
        reports(g),
    ]
}

fn reports(g: &DeviceReport) -> String {
    g.report_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")
}

fn text(loaded: &mut Loaded, idx: &[usize], report: &RunReport, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "now: {}", loaded.clock.describe())?;
    let hunt = &mut loaded.hunt;
    let with_hits = report.rules.iter().filter(|r| r.error.is_none() && r.hits_after > 0).count();
    // `report.rules` has one entry per index of `idx`, in order.
    for (&i, r) in idx.iter().zip(&report.rules) {
        writeln!(out, "\n== {} [{}]", crate::data::text::inert(&r.name), r.table.as_deref().unwrap_or("-"))?;
        if let Some(e) = &r.error {
            writeln!(out, "{e}")?;
            continue;
        }
        writeln!(
            out,
            "hits {} → {}  (exclusions active: {} of {})",
            r.hits_before,
            r.hits_after,
            r.active,
            r.exclusions.len()
        )?;
        if let Some(n) = r.capped_at {
            writeln!(
                out,
                "capped at {n} rows by {}: the hits are incomplete; narrow the rule's time window or filters",
                r.source.as_deref().unwrap_or("the source")
            )?;
        }
        if let Some(note) = crate::hunt::rule_run::unloaded_note(&r.unloaded_tables) {
            writeln!(out, "note: {note}")?;
        }
        if r.devices.is_empty() {
            // No device columns: show the rule's own output.
            let output = hunt.run_mut(i).map(|r| r.output(true));
            match output {
                Some(Ok(frame)) => print::table(out, &print::cells(&frame))?,
                Some(Err(e)) => writeln!(out, "{e}")?,
                None => {}
            }
            continue;
        }
        print::table(out, &device_rows(r))?;
    }
    let failed = report.rules.iter().filter(|r| r.error.is_some()).count();
    let failed = if failed > 0 { format!(", {failed} failed") } else { String::new() };
    writeln!(
        out,
        "\nTotal: {} rules, {} with hits after exclusions, {} → {} hits{failed}",
        report.totals.rules, with_hits, report.totals.hits_before, report.totals.hits_after
    )?;
    Ok(())
}

fn device_rows(r: &RuleReport) -> Vec<Vec<String>> {
    let mut rows =
        vec![["DeviceName", "DeviceId", "Hits", "FirstSeen", "LastSeen", "ReportIds"].map(String::from).to_vec()];
    rows.extend(r.devices.iter().map(group_cells));
    rows
}

fn markdown(report: &RunReport, out: &mut dyn Write) -> anyhow::Result<()> {
    for r in &report.rules {
        writeln!(out, "## {}\n", crate::data::text::inert(&r.name))?;
        if let Some(e) = &r.error {
            writeln!(out, "```\n{e}\n```\n")?;
            continue;
        }
        writeln!(out, "Hits: **{} → {}**\n", r.hits_before, r.hits_after)?;
        if let Some(n) = r.capped_at {
            writeln!(
                out,
                "**capped at {n} rows** by {}: the hits are incomplete.\n",
                r.source.as_deref().unwrap_or("the source")
            )?;
        }
        if let Some(note) = crate::hunt::rule_run::unloaded_note(&r.unloaded_tables) {
            writeln!(out, "Note: {note}.\n")?;
        }
        print::markdown(out, &device_rows(r))?;
        writeln!(out)?;
    }
    Ok(())
}

fn csv_rows(report: &RunReport) -> Vec<Vec<String>> {
    let mut rows = vec![
        [
            "rule_id",
            "rule_name",
            "device_name",
            "device_id",
            "hits_before",
            "hits_after",
            "first_seen",
            "last_seen",
            "report_ids",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for r in &report.rules {
        for g in &r.devices {
            rows.push(vec![
                r.id.clone().unwrap_or_default(),
                r.name.clone(),
                g.device_name.clone(),
                g.device_id.clone(),
                g.hits_before.to_string(),
                g.hits_after.to_string(),
                g.first_seen.clone().unwrap_or_default(),
                g.last_seen.clone().unwrap_or_default(),
                reports(g),
            ]);
        }
    }
    rows
}
