//! Proposals from marked false positives, over the bundled rules and
//! samples: for any marked subset of a rule's hits, every proposal parses,
//! and added as an exclusion it hides every marked hit; its counts are what
//! the exclusion then hides. A few marked hits always get a proposal.

use crate::hunt_props::hunt;
use kqlhunt::hunt::HuntError;
use kqlhunt::rules::Exclusion;
use proptest::prelude::*;

/// Marks the hits at `picks` (taken modulo the hit count) of rule `r` and
/// checks every proposal by adding it as an exclusion.
fn check(r: usize, picks: &[usize]) -> Result<(), TestCaseError> {
    let mut h = hunt();
    let n = h.get(r).map_or(0, |(_, run)| run.hits_before());
    prop_assume!(n > 0);
    let mut marked: Vec<u32> = picks.iter().map(|p| (p % n) as u32).collect();
    marked.sort_unstable();
    marked.dedup();
    let s = match h.suggest(r, &marked) {
        Ok(s) => s,
        Err(HuntError::NoProposal) if marked.len() > 4 => return Ok(()),
        Err(e) => return Err(TestCaseError::fail(format!("rule {r}, marked {marked:?}: {e}"))),
    };
    for p in s.all() {
        prop_assert!(kqlhunt::kql::parse_expr(&p.filter).is_ok(), "{}", p.filter);
        let mut with = hunt();
        let mut ex = Exclusion::new("proposal");
        ex.filter = Some(p.filter.clone());
        ex.enabled = true;
        let hidden_before = with.get(r).unwrap().1.hidden.clone();
        with.add_exclusion(r, ex);
        let run = with.get(r).unwrap().1;
        for &m in &marked {
            prop_assert!(run.hidden.get(m as usize), "{} leaves marked hit {m} shown", p.filter);
        }
        prop_assert_eq!(p.hides_marked, marked.len());
        let newly: Vec<u32> = (0..n as u32)
            .filter(|&i| run.hidden.get(i as usize) && !hidden_before.get(i as usize) && !marked.contains(&i))
            .collect();
        prop_assert_eq!(&p.collateral, &newly, "{}", p.filter);
        prop_assert_eq!(p.hides_unmarked, newly.len());
    }
    prop_assert!(s.alternatives.len() <= kqlhunt::hunt::suggest::ALTERNATIVES);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn proposals_hide_every_marked_hit_and_parse(r in 0usize..5, picks in prop::collection::vec(any::<usize>(), 1..8)) {
        check(r, &picks)?;
    }
}

#[test]
fn reportids_that_are_no_hits_are_named() {
    let h = hunt();
    let r = h.find_rules(&["LiteManager".into()]).unwrap()[0];
    let first = h.get(r).unwrap().1.hits.report_ids[0].unwrap();
    match h.hits_of_reports(r, &[first, 42, 43]) {
        Err(HuntError::NotHits { reports, .. }) => assert_eq!(reports, [42, 43]),
        other => panic!("{other:?}"),
    }
    assert_eq!(h.hits_of_reports(r, &[first]).unwrap().len(), 1);
}

#[test]
fn nothing_marked_is_an_error() {
    let mut h = hunt();
    assert_eq!(h.suggest(0, &[]).unwrap_err(), HuntError::NothingMarked);
}

#[test]
fn a_suggest_job_gives_the_same_proposals_and_stops_when_cancelled() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let mut h = hunt();
    let r = h.find_rules(&["LiteManager".into()]).unwrap()[0];
    let marked = [0u32, 1];
    let here = h.suggest(r, &marked).unwrap();
    // On another thread, over a copy of the run: the same proposals.
    let job = h.suggest_job(r, &marked, Arc::new(AtomicBool::new(false))).unwrap();
    let there = std::thread::spawn(move || job.run()).join().unwrap().unwrap();
    assert_eq!(here, there);
    // A set flag stops it before its first candidate.
    let cancel = Arc::new(AtomicBool::new(false));
    let job = h.suggest_job(r, &marked, cancel.clone()).unwrap();
    cancel.store(true, Ordering::Relaxed);
    assert_eq!(job.run().unwrap_err(), HuntError::Cancelled);
}
