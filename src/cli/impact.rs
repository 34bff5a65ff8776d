//! `kqlhunt impact`: what each exclusion hides, alone and uniquely, with
//! over-broad flags and the devices that disappear — as text, JSON, CSV, a
//! review-ready Markdown report for a pull request, or a self-contained HTML
//! page ([`super::html`]).

use std::io::Write;

use crate::hunt::report::{ImpactExclusion, ImpactReport};
use crate::hunt::{ExclusionState, OVER_BROAD_SHARE};

use super::args::{Format, ImpactArgs, Inputs};
use super::run::select;
use super::setup::{self, load_hunt};
use super::{Outcome, html, print};

/// Runs `kqlhunt impact`.
pub fn run(inputs: &Inputs, args: &ImpactArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut loaded = load_hunt(&setup::options(inputs, &args.rule))?;
    let idx = select(&mut loaded.hunt, &args.exclusions)?;
    let report = ImpactReport::new(&loaded.hunt, &idx);
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &report)?;
            writeln!(out)?;
        }
        Format::Csv => print::csv(out, &cells(&report, true))?,
        Format::Md => markdown(&report, out)?,
        Format::Html => {
            let info = html::PageInfo { now: loaded.clock.describe(), selection: args.exclusions.clone() };
            html::write(out, &report, &info)?;
        }
        Format::Table | Format::Yaml => print::table(out, &cells(&report, false))?,
    }
    Ok(setup::outcome(&loaded.hunt, &idx))
}

/// The flag column: over-broad, or why the filter cannot be used (the
/// devices an exclusion hides have their own column).
fn flag(e: &ImpactExclusion, over_broad: &str) -> String {
    match e.flag {
        ExclusionState::OverBroad => over_broad.to_string(),
        _ => e.state.clone(),
    }
}

fn pct(share: f64) -> f64 {
    share * 100.0
}

fn cells(report: &ImpactReport, raw: bool) -> Vec<Vec<String>> {
    let mut out =
        vec![["Rule", "Exclusion", "On", "Hides alone", "Uniquely", "Flag", "Devices gone"].map(String::from).to_vec()];
    for rule in &report.rules {
        for e in &rule.exclusions {
            out.push(vec![
                rule.name.clone(),
                e.name.clone(),
                if e.enabled { "on" } else { "off" }.into(),
                if raw {
                    e.hides_alone.to_string()
                } else {
                    format!("{} ({:.0}%)", e.hides_alone, pct(e.hides_alone_share))
                },
                if raw {
                    e.hides_uniquely.to_string()
                } else {
                    format!("{} ({:.0}%)", e.hides_uniquely, pct(e.hides_uniquely_share))
                },
                flag(e, "OVER-BROAD"),
                e.devices_gone.join(" "),
            ]);
        }
    }
    out
}

fn markdown(report: &ImpactReport, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "# Exclusion impact\n")?;
    writeln!(
        out,
        "An exclusion is flagged **over-broad** when it alone hides at least {:.0}% of a rule's hits. \
         \"Uniquely\" counts hits no other enabled exclusion hides.\n",
        OVER_BROAD_SHARE * 100.0
    )?;
    for rule in &report.rules {
        writeln!(out, "## {}\n", crate::data::text::inert(&rule.name))?;
        if let Some(e) = &rule.error {
            writeln!(out, "The rule does not run:\n\n```\n{e}\n```\n")?;
            continue;
        }
        writeln!(
            out,
            "Hits: {} before exclusions, {} after the enabled ones, on {} device(s).\n",
            rule.hits_before, rule.hits_after, rule.devices
        )?;
        if rule.exclusions.is_empty() {
            writeln!(out, "No exclusions.\n")?;
            continue;
        }
        let mut table = vec![
            ["Exclusion", "Enabled", "Hides alone", "Uniquely", "Flag", "Devices gone", "Filter"]
                .map(String::from)
                .to_vec(),
        ];
        for e in &rule.exclusions {
            table.push(vec![
                e.name.clone(),
                if e.enabled { "yes" } else { "no" }.into(),
                format!("{} ({:.1}%)", e.hides_alone, pct(e.hides_alone_share)),
                format!("{} ({:.1}%)", e.hides_uniquely, pct(e.hides_uniquely_share)),
                flag(e, "⚠ over-broad"),
                e.devices_gone.join(", "),
                e.filter.as_deref().map(|f| format!("`{}`", f.replace('`', "'"))).unwrap_or_default(),
            ]);
        }
        print::markdown(out, &table)?;
        writeln!(out)?;
    }
    Ok(())
}
