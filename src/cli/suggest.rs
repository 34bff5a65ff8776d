//! `kqlhunt suggest`: the headless twin of marking false positives in the
//! TUI. Given a rule and the ReportIds of hits that are false positives, it
//! prints a proposed exclusion filter, what it would also hide, and the
//! alternatives. Exit 0 with a proposal, 1 when none hides every marked
//! hit, 2 on an error (a ReportId that is no hit of the rule is one).

use std::io::Write;

use anyhow::bail;

use crate::data::text::inert;
use crate::hunt::{HuntError, Proposal};

use super::Outcome;
use super::args::{Format, Inputs, SuggestArgs};
use super::run::select;
use super::setup::{self, load_hunt};

/// Runs `kqlhunt suggest`.
pub fn run(inputs: &Inputs, args: &SuggestArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let mut loaded = load_hunt(&setup::options(inputs, std::slice::from_ref(&args.rule)))?;
    let idx = select(&mut loaded.hunt, &args.exclusions)?;
    let [r] = idx[..] else {
        bail!("suggest: '{}' matches {} rules; name one", args.rule, idx.len());
    };
    let hunt = &mut loaded.hunt;
    let marked = hunt.hits_of_reports(r, &args.fp)?;
    let suggestion = match hunt.suggest(r, &marked) {
        Ok(s) => s,
        Err(HuntError::NoProposal) => {
            eprintln!("kqlhunt: suggest: {}", HuntError::NoProposal);
            return Ok(Outcome::NoHits);
        }
        Err(e) => return Err(e.into()),
    };
    if args.format == Format::Json {
        serde_json::to_writer_pretty(&mut *out, &suggestion)?;
        writeln!(out)?;
        return Ok(Outcome::Hits);
    }
    let name = hunt.get(r).map(|(rule, _)| inert(&rule.name).into_owned()).unwrap_or_default();
    let total = hunt.get(r).map_or(0, |(_, run)| run.hits_before());
    let fps: Vec<String> = args.fp.iter().map(i64::to_string).collect();
    writeln!(out, "rule: {name}")?;
    writeln!(out, "marked as false positives: {} of {total} hits (ReportId {})", marked.len(), fps.join(", "))?;
    writeln!(out, "\nproposed filter:\n  {}\n    {}", inert(&suggestion.best.filter), hides(&suggestion.best))?;
    if !suggestion.alternatives.is_empty() {
        writeln!(out, "\nalternatives:")?;
        for p in &suggestion.alternatives {
            writeln!(out, "  {}\n    {}", inert(&p.filter), hides(p))?;
        }
    }
    Ok(Outcome::Hits)
}

/// "hides all 2 marked hits and 1 other (ReportId 7645373)".
fn hides(p: &Proposal) -> String {
    let others = match p.hides_unmarked {
        0 => "and no other hit".to_string(),
        n => {
            let ids: Vec<String> = p.collateral_reports.iter().take(20).map(i64::to_string).collect();
            let more = if p.collateral_reports.len() > ids.len() { ", …" } else { "" };
            let s = if n == 1 { "" } else { "s" };
            format!("and {n} other hit{s} (ReportId {}{more})", ids.join(", "))
        }
    };
    format!("hides all {} marked hits {others}", p.hides_marked)
}
