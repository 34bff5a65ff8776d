//! `kqlhunt impact`: what each exclusion hides, alone and uniquely, with
//! over-broad flags and the devices that disappear — as text, JSON, CSV or a
//! review-ready Markdown report for a pull request.

use std::io::Write;

use serde_json::json;

use crate::hunt::{Hunt, OVER_BROAD_SHARE, RuleStatus};

use super::args::{Format, HuntArgs, Inputs};
use super::run::select;
use super::setup::{self, load_hunt};
use super::{Outcome, print};

/// One exclusion's line of the report.
struct Row {
    rule: String,
    name: String,
    enabled: bool,
    state: String,
    alone: usize,
    alone_pct: f64,
    unique: usize,
    unique_pct: f64,
    over_broad: bool,
    devices_gone: Vec<String>,
    filter: Option<String>,
}

/// Runs `kqlhunt impact`.
pub fn run(inputs: &Inputs, args: &HuntArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut loaded = load_hunt(&setup::options(inputs, &args.rule))?;
    let idx = select(&mut loaded.hunt, &args.exclusions)?;
    let rows = rows(&loaded.hunt, &idx);
    match args.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json(&loaded.hunt, &idx, &rows))?;
            writeln!(out)?;
        }
        Format::Csv => print::csv(out, &cells(&rows, true))?,
        Format::Md => markdown(&loaded.hunt, &idx, &rows, out)?,
        Format::Table | Format::Yaml => print::table(out, &cells(&rows, false))?,
    }
    let any = idx.iter().any(|&i| loaded.hunt.get(i).is_some_and(|(_, r)| r.hits_after() > 0));
    Ok(if any { Outcome::Hits } else { Outcome::NoHits })
}

fn rows(hunt: &Hunt, idx: &[usize]) -> Vec<Row> {
    let mut out = Vec::new();
    for &i in idx {
        let Some((rule, run)) = hunt.get(i) else { continue };
        for ((e, er), imp) in rule.exclusions.iter().zip(&run.exclusions).zip(&run.impact) {
            let state = if let Some(err) = &er.error {
                format!("filter error: {}", err.render().lines().next().unwrap_or(""))
            } else if e.needs_filter() {
                "needs a filter".to_string()
            } else {
                String::new()
            };
            out.push(Row {
                rule: rule.name.clone(),
                name: e.name.clone(),
                enabled: e.enabled,
                state,
                alone: imp.alone,
                alone_pct: imp.alone_share * 100.0,
                unique: imp.unique,
                unique_pct: imp.unique_share * 100.0,
                over_broad: imp.over_broad,
                devices_gone: imp
                    .devices_gone
                    .iter()
                    .filter_map(|&g| run.groups.get(g))
                    .map(|g| g.label().to_string())
                    .collect(),
                filter: e.filter.clone(),
            });
        }
    }
    out
}

fn cells(rows: &[Row], raw: bool) -> Vec<Vec<String>> {
    let mut out =
        vec![["Rule", "Exclusion", "On", "Hides alone", "Uniquely", "Flag", "Devices gone"].map(String::from).to_vec()];
    for r in rows {
        let flag = if r.over_broad { "OVER-BROAD".to_string() } else { r.state.clone() };
        out.push(vec![
            r.rule.clone(),
            r.name.clone(),
            if r.enabled { "on" } else { "off" }.into(),
            if raw { r.alone.to_string() } else { format!("{} ({:.0}%)", r.alone, r.alone_pct) },
            if raw { r.unique.to_string() } else { format!("{} ({:.0}%)", r.unique, r.unique_pct) },
            flag,
            r.devices_gone.join(" "),
        ]);
    }
    out
}

fn markdown(hunt: &Hunt, idx: &[usize], rows: &[Row], out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "# Exclusion impact\n")?;
    writeln!(
        out,
        "An exclusion is flagged **over-broad** when it alone hides at least {:.0}% of a rule's hits. \
         \"Uniquely\" counts hits no other enabled exclusion hides.\n",
        OVER_BROAD_SHARE * 100.0
    )?;
    for &i in idx {
        let Some((rule, run)) = hunt.get(i) else { continue };
        writeln!(out, "## {}\n", crate::data::text::inert(&rule.name))?;
        if let RuleStatus::Error(e) = &run.status {
            writeln!(out, "The rule does not run:\n\n```\n{e}\n```\n")?;
            continue;
        }
        writeln!(
            out,
            "Hits: {} before exclusions, {} after the enabled ones, on {} device(s).\n",
            run.hits_before(),
            run.hits_after(),
            run.groups.len()
        )?;
        let mine: Vec<&Row> = rows.iter().filter(|r| r.rule == rule.name).collect();
        if mine.is_empty() {
            writeln!(out, "No exclusions.\n")?;
            continue;
        }
        let mut table = vec![
            ["Exclusion", "Enabled", "Hides alone", "Uniquely", "Flag", "Devices gone", "Filter"]
                .map(String::from)
                .to_vec(),
        ];
        for r in mine {
            let flag = if r.over_broad { "⚠ over-broad".to_string() } else { r.state.clone() };
            table.push(vec![
                r.name.clone(),
                if r.enabled { "yes" } else { "no" }.into(),
                format!("{} ({:.1}%)", r.alone, r.alone_pct),
                format!("{} ({:.1}%)", r.unique, r.unique_pct),
                flag,
                r.devices_gone.join(", "),
                r.filter.as_deref().map(|f| format!("`{}`", f.replace('`', "'"))).unwrap_or_default(),
            ]);
        }
        print::markdown(out, &table)?;
        writeln!(out)?;
    }
    Ok(())
}

fn json(hunt: &Hunt, idx: &[usize], rows: &[Row]) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = idx
        .iter()
        .filter_map(|&i| hunt.get(i))
        .map(|(rule, run)| {
            json!({
                "id": rule.id,
                "name": rule.name,
                "hits_before": run.hits_before(),
                "hits_after": run.hits_after(),
                "exclusions": rows.iter().filter(|r| r.rule == rule.name).map(|r| json!({
                    "name": r.name,
                    "enabled": r.enabled,
                    "filter": r.filter,
                    "hides_alone": r.alone,
                    "hides_alone_share": r.alone_pct / 100.0,
                    "hides_uniquely": r.unique,
                    "hides_uniquely_share": r.unique_pct / 100.0,
                    "over_broad": r.over_broad,
                    "state": r.state,
                    "devices_gone": r.devices_gone,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "over_broad_share": OVER_BROAD_SHARE, "rules": rules })
}
