//! From hits marked as false positives to a proposed exclusion filter.
//!
//! The analyst marks some of a rule's hits. [`propose`] reads the marked
//! rows at the rule's hit point, builds candidate atoms that hold on every
//! one of them ([`atoms`]), evaluates each atom over all hits with the KQL
//! evaluator, and searches conjunctions of up to three ([`search`]) for the
//! one that hides the fewest unmarked hits, ties going to the most readable
//! and least brittle ([`score`], [`columns`]). The best proposal and up to
//! three alternatives (over other columns first) are parsed and evaluated
//! again as exclusion filters: each is kept only when it hides every marked
//! hit, and its counts are those of that evaluation.

pub mod atoms;
pub mod columns;
pub mod score;
pub mod search;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::data::Bitmap;

use super::error::HuntError;
use super::{Hunt, RuleRun};

/// Alternatives offered besides the best proposal.
pub const ALTERNATIVES: usize = 3;
/// Most atoms evaluated (the cheapest), so a wide table stays quick.
const MAX_ATOMS: usize = 400;

/// One proposed filter with what it hides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The KQL filter (an exclusion's `filter:`).
    pub filter: String,
    /// Marked hits it hides (always all of them).
    pub hides_marked: usize,
    /// Unmarked hits it would newly hide (hits an active exclusion already
    /// hides are not counted).
    pub hides_unmarked: usize,
    /// Those unmarked hits, as positions in the rule's hits.
    #[serde(skip)]
    pub collateral: Vec<u32>,
    /// Their ReportIds (hits without one are left out).
    #[serde(rename = "collateral")]
    pub collateral_reports: Vec<i64>,
}

/// The best proposal and its alternatives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The best proposal.
    #[serde(flatten)]
    pub best: Proposal,
    /// Other proposals, best first.
    pub alternatives: Vec<Proposal>,
}

impl Suggestion {
    /// The best proposal, then the alternatives.
    pub fn all(&self) -> impl Iterator<Item = &Proposal> {
        std::iter::once(&self.best).chain(&self.alternatives)
    }
}

/// Proposes filters over `run`'s hit-point columns that hide every hit in
/// `marked` (positions into its hits) and as few others as possible.
/// `hidden` holds the hits active exclusions already hide.
/// Checks `cancel` between atoms and candidates: [`HuntError::Cancelled`] once set.
pub fn propose(run: &mut RuleRun, marked: &[u32], cancel: &AtomicBool) -> Result<Suggestion, HuntError> {
    let stop = || if cancel.load(Ordering::Relaxed) { Err(HuntError::Cancelled) } else { Ok(()) };
    let Some(frame) = run.hit_frame().cloned() else { return Err(HuntError::RuleFailed) };
    let n = frame.len();
    let rows: Vec<usize> = marked.iter().map(|&h| h as usize).filter(|&h| h < n).collect();
    if rows.is_empty() {
        return Err(HuntError::NothingMarked);
    }
    let mut marked_bits = Bitmap::zeros(n);
    rows.iter().for_each(|&r| marked_bits.set(r, true));
    let mut others = run.hidden.clone();
    others.or_with(&marked_bits);
    others.negate();
    let mut all = atoms::generate(&frame, &rows);
    all.sort_by(|a, b| a.cost.total_cmp(&b.cost));
    all.truncate(MAX_ATOMS);
    // Each atom as the evaluator reads it; one that misses a marked row
    // (our reading of its values and Kusto's disagree) is dropped.
    let mut kept = Vec::new();
    let mut masks = Vec::new();
    for a in all {
        stop()?;
        if let Ok(m) = run.preview_mask(&a.text)
            && covers(&m, &rows)
        {
            kept.push(a);
            masks.push(m);
        }
    }
    let ranked = search::search(&kept, &masks, &others);
    let mut chosen: Vec<(Proposal, Vec<&str>, &Bitmap)> = Vec::new();
    // Variety first: pass 0 wants a new set of hidden hits, pass 1 new
    // columns, pass 2 just another filter.
    for pass in 0..3 {
        for c in &ranked {
            if chosen.len() > ALTERNATIVES {
                break;
            }
            stop()?;
            let mut cols: Vec<&str> = c.atoms.iter().map(|&i| kept[i].column.as_str()).collect();
            cols.sort_unstable();
            cols.dedup();
            let text = c.atoms.iter().map(|&i| kept[i].text.as_str()).collect::<Vec<_>>().join(" and ");
            let fresh = chosen.iter().all(|(p, used, mask)| {
                p.filter != text && (pass != 1 || *used != cols) && (pass != 0 || **mask != c.mask)
            });
            if fresh && let Some(p) = verify(run, &text, &rows, &others) {
                chosen.push((p, cols, &c.mask));
            }
        }
    }
    let mut list = chosen.into_iter().map(|(p, ..)| p);
    let best = list.next().ok_or(HuntError::NoProposal)?;
    let mut alternatives: Vec<Proposal> = list.collect();
    alternatives.sort_by_key(|p| p.hides_unmarked);
    Ok(Suggestion { best, alternatives })
}

fn covers(mask: &Bitmap, rows: &[usize]) -> bool {
    rows.iter().all(|&r| mask.get(r))
}

/// `filter` evaluated as an exclusion: its proposal when it parses and
/// hides every marked row.
fn verify(run: &mut RuleRun, filter: &str, rows: &[usize], others: &Bitmap) -> Option<Proposal> {
    crate::kql::parse_expr(filter).ok()?;
    let mask = run.preview_mask(filter).ok()?;
    if !covers(&mask, rows) {
        return None;
    }
    let collateral: Vec<u32> = mask.iter_ones().filter(|&i| others.get(i)).map(|i| i as u32).collect();
    let collateral_reports =
        collateral.iter().filter_map(|&h| run.hits.report_ids.get(h as usize).copied().flatten()).collect();
    Some(Proposal {
        filter: filter.to_string(),
        hides_marked: rows.len(),
        hides_unmarked: collateral.len(),
        collateral,
        collateral_reports,
    })
}

impl Hunt {
    /// The positions of rule `r`'s hits whose ReportId is one of `reports`.
    /// A ReportId that is no hit of the rule is an error naming it.
    pub fn hits_of_reports(&self, r: usize, reports: &[i64]) -> Result<Vec<u32>, HuntError> {
        let Some((rule, run)) = self.get(r) else { return Err(HuntError::RuleFailed) };
        let ids = &run.hits.report_ids;
        let missing: Vec<i64> = reports.iter().copied().filter(|id| !ids.contains(&Some(*id))).collect();
        if !missing.is_empty() {
            return Err(HuntError::NotHits { rule: rule.name.clone(), reports: missing });
        }
        Ok((0..ids.len() as u32).filter(|&h| ids[h as usize].is_some_and(|id| reports.contains(&id))).collect())
    }

    /// Proposes an exclusion filter for rule `r` that hides the hits
    /// `marked` (see [`propose`]).
    pub fn suggest(&mut self, r: usize, marked: &[u32]) -> Result<Suggestion, HuntError> {
        let run = self.run_mut(r).ok_or(HuntError::RuleFailed)?;
        if let super::RuleStatus::Error(e) = &run.status {
            return Err(HuntError::Kql(e.clone()));
        }
        propose(run, marked, &AtomicBool::new(false))
    }

    /// The work of [`Hunt::suggest`], to run on another thread: it stops,
    /// with [`HuntError::Cancelled`], soon after `cancel` is set.
    pub fn suggest_job(&self, r: usize, marked: &[u32], cancel: Arc<AtomicBool>) -> Result<SuggestJob, HuntError> {
        let (_, run) = self.get(r).ok_or(HuntError::RuleFailed)?;
        if let super::RuleStatus::Error(e) = &run.status {
            return Err(HuntError::Kql(e.clone()));
        }
        Ok(SuggestJob { run: run.fork(cancel.clone()), marked: marked.to_vec(), cancel })
    }
}

/// A suggestion to compute away from the hunt (see [`Hunt::suggest_job`]).
pub struct SuggestJob {
    run: RuleRun,
    marked: Vec<u32>,
    cancel: Arc<AtomicBool>,
}

impl SuggestJob {
    /// Computes the suggestion.
    pub fn run(mut self) -> Result<Suggestion, HuntError> {
        propose(&mut self.run, &self.marked, &self.cancel)
    }
}
