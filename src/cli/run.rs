//! `kqlhunt run`: per rule, its device groups with hits before → after
//! exclusions, and totals.

use std::io::Write;

use serde_json::json;

use crate::data::time::format_datetime;
use crate::hunt::{DeviceGroup, Hunt, RuleStatus, Selection};

use super::args::{Format, HuntArgs, Inputs};
use super::setup::{self, load_hunt};
use super::{Outcome, print};
use crate::session::Loaded;

/// Runs `kqlhunt run`.
pub fn run(inputs: &Inputs, args: &HuntArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut loaded = load_hunt(&setup::options(inputs, &args.rule))?;
    let idx = select(&mut loaded.hunt, &args.exclusions)?;
    match args.format {
        Format::Json => serde_json::to_writer_pretty(&mut *out, &json_report(&loaded, &idx))?,
        Format::Csv => print::csv(out, &csv_rows(&loaded.hunt, &idx))?,
        Format::Md => markdown(&mut loaded.hunt, &idx, out)?,
        Format::Table | Format::Yaml => text(&mut loaded, &idx, out)?,
    }
    if args.format == Format::Json {
        writeln!(out)?;
    }
    let any = idx.iter().any(|&i| loaded.hunt.get(i).is_some_and(|(_, r)| r.hits_after() > 0));
    Ok(if any { Outcome::Hits } else { Outcome::NoHits })
}

/// Applies the exclusion selection to every rule of the session (the session
/// kept only the rules asked for); returns their indices.
pub fn select(hunt: &mut Hunt, exclusions: &str) -> anyhow::Result<Vec<usize>> {
    let idx: Vec<usize> = (0..hunt.len()).collect();
    hunt.select(&idx, &Selection::parse(exclusions)).map_err(anyhow::Error::msg)?;
    Ok(idx)
}

fn time(t: Option<i64>) -> String {
    t.map(format_datetime).unwrap_or_default()
}

fn reports(g: &DeviceGroup) -> String {
    g.report_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(" ")
}

fn group_cells(g: &DeviceGroup) -> Vec<String> {
    let mark = if g.hits_after != g.hits_before() { "*" } else { "" };
    vec![
        g.device_name.clone(),
        g.device_id.clone(),
        format!("{} → {}{mark}", g.hits_before(), g.hits_after),
        time(g.first_seen),
        time(g.last_seen),
        reports(g),
    ]
}

fn text(loaded: &mut Loaded, idx: &[usize], out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "now: {}", loaded.clock.describe())?;
    let hunt = &mut loaded.hunt;
    let (mut before, mut after, mut with_hits) = (0, 0, 0);
    for &i in idx {
        let Some((rule, run)) = hunt.get(i) else { continue };
        let table = run.table.clone().unwrap_or_else(|| "-".into());
        let active = rule.exclusions.iter().filter(|e| e.enabled).count();
        writeln!(out, "\n== {} [{}]", crate::data::text::inert(&rule.name), table)?;
        if let RuleStatus::Error(e) = &run.status {
            writeln!(out, "{e}")?;
            continue;
        }
        writeln!(
            out,
            "hits {} → {}  (exclusions active: {} of {})",
            run.hits_before(),
            run.hits_after(),
            active,
            rule.exclusions.len()
        )?;
        before += run.hits_before();
        after += run.hits_after();
        with_hits += usize::from(run.hits_after() > 0);
        if run.groups.is_empty() {
            // No device columns: show the rule's own output.
            let output = hunt.run_mut(i).map(|r| r.output(true));
            match output {
                Some(Ok(frame)) => print::table(out, &print::cells(&frame))?,
                Some(Err(e)) => writeln!(out, "{e}")?,
                None => {}
            }
            continue;
        }
        let mut rows =
            vec![["DeviceName", "DeviceId", "Hits", "FirstSeen", "LastSeen", "ReportIds"].map(String::from).to_vec()];
        rows.extend(run.groups.iter().map(group_cells));
        print::table(out, &rows)?;
    }
    writeln!(
        out,
        "\nTotal: {} rules, {} with hits after exclusions, {} → {} hits",
        idx.len(),
        with_hits,
        before,
        after
    )?;
    Ok(())
}

fn markdown(hunt: &mut Hunt, idx: &[usize], out: &mut dyn Write) -> anyhow::Result<()> {
    for &i in idx {
        let Some((rule, run)) = hunt.get(i) else { continue };
        writeln!(out, "## {}\n", crate::data::text::inert(&rule.name))?;
        if let RuleStatus::Error(e) = &run.status {
            writeln!(out, "```\n{e}\n```\n")?;
            continue;
        }
        writeln!(out, "Hits: **{} → {}**\n", run.hits_before(), run.hits_after())?;
        let mut rows =
            vec![["DeviceName", "DeviceId", "Hits", "FirstSeen", "LastSeen", "ReportIds"].map(String::from).to_vec()];
        rows.extend(run.groups.iter().map(group_cells));
        print::markdown(out, &rows)?;
        writeln!(out)?;
    }
    Ok(())
}

fn csv_rows(hunt: &Hunt, idx: &[usize]) -> Vec<Vec<String>> {
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
    for &i in idx {
        let Some((rule, run)) = hunt.get(i) else { continue };
        for g in &run.groups {
            rows.push(vec![
                rule.id.clone().unwrap_or_default(),
                rule.name.clone(),
                g.device_name.clone(),
                g.device_id.clone(),
                g.hits_before().to_string(),
                g.hits_after.to_string(),
                time(g.first_seen),
                time(g.last_seen),
                reports(g),
            ]);
        }
    }
    rows
}

/// The JSON report of `run` (shape documented in README, "JSON output").
fn json_report(loaded: &Loaded, idx: &[usize]) -> serde_json::Value {
    let hunt = &loaded.hunt;
    let rules: Vec<serde_json::Value> = idx
        .iter()
        .filter_map(|&i| hunt.get(i))
        .map(|(rule, run)| {
            let (status, error) = match &run.status {
                RuleStatus::Ok => ("ok", None),
                RuleStatus::Error(e) => ("error", Some(e.render())),
            };
            json!({
                "id": rule.id,
                "name": rule.name,
                "path": rule.path.display().to_string(),
                "table": run.table,
                "status": status,
                "error": error,
                "hits_before": run.hits_before(),
                "hits_after": run.hits_after(),
                "exclusions": rule.exclusions.iter().zip(&run.exclusions).map(|(e, er)| json!({
                    "name": e.name,
                    "enabled": e.enabled,
                    "filter": e.filter,
                    "needs_filter": e.needs_filter(),
                    "error": er.error.as_ref().map(|e| e.render()),
                })).collect::<Vec<_>>(),
                "devices": run.groups.iter().map(|g| json!({
                    "device_name": g.device_name,
                    "device_id": g.device_id,
                    "hits_before": g.hits_before(),
                    "hits_after": g.hits_after,
                    "first_seen": g.first_seen.map(format_datetime),
                    "last_seen": g.last_seen.map(format_datetime),
                    "first_seen_after": g.first_seen_after.map(format_datetime),
                    "last_seen_after": g.last_seen_after.map(format_datetime),
                    "report_ids": g.report_ids,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let before: usize = idx.iter().filter_map(|&i| hunt.get(i)).map(|(_, r)| r.hits_before()).sum();
    let after: usize = idx.iter().filter_map(|&i| hunt.get(i)).map(|(_, r)| r.hits_after()).sum();
    json!({
        "now": format_datetime(loaded.clock.now),
        "now_pinned": loaded.clock.pinned(),
        "rules": rules,
        "totals": {"rules": idx.len(), "hits_before": before, "hits_after": after},
    })
}
