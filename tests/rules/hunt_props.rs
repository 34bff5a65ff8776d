//! Invariants of the hunt state over the bundled rules and samples:
//! - the effective KQL (query + `| where not(filter)` per active exclusion),
//!   run through the engine, gives exactly the rule's "after" output;
//! - toggling an exclusion on then off gives the state of never toggling it.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use kqlhunt::data::Database;
use kqlhunt::data::latest_timestamp;
use kqlhunt::data::load::{LoadOptions, load_paths};
use kqlhunt::hunt::{Hunt, Selection};
use kqlhunt::kql::eval::{Evaluator, Frame, Session};
use kqlhunt::rules::RuleSet;
use proptest::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled samples, loaded once for the crate's property tests.
pub(crate) fn db() -> Arc<Database> {
    static DB: OnceLock<Arc<Database>> = OnceLock::new();
    DB.get_or_init(|| Arc::new(load_paths(&[root().join("samples")], &LoadOptions::default(), &mut |_| {}).database))
        .clone()
}

/// A hunt of the bundled rules over the bundled samples.
pub(crate) fn hunt() -> Hunt {
    let db = db();
    let now = latest_timestamp(&db).expect("samples have timestamps");
    Hunt::new(RuleSet::load(&[root().join("rules")], None), Session::new(db, now))
}

/// A frame as comparable text (column names, types and every value).
fn text(f: &Frame) -> String {
    let rows = kqlhunt::kql::print::table::typed_cells(f);
    rows.iter().map(|r| r.join("\t")).collect::<Vec<_>>().join("\n")
}

/// Enabled exclusion names of rule `r` for a bit pattern (only ones with a filter).
fn names_for(h: &Hunt, r: usize, bits: u32) -> Vec<String> {
    let Some((rule, _)) = h.get(r) else { return Vec::new() };
    rule.exclusions
        .iter()
        .enumerate()
        .filter(|(i, e)| bits & (1 << i) != 0 && !e.needs_filter())
        .map(|(_, e)| e.name.clone())
        .collect()
}

#[test]
fn every_bundled_rule_runs_and_has_hits() {
    let h = hunt();
    assert_eq!(h.len(), 5);
    for i in 0..h.len() {
        let (rule, run) = h.get(i).unwrap();
        assert_eq!(run.status, kqlhunt::hunt::RuleStatus::Ok, "{}", rule.name);
        assert!(run.hits_before() > 0, "{} has hits on the bundled samples", rule.name);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn effective_kql_gives_the_after_output(rule in 0usize..5, bits in 0u32..32) {
        let mut h = hunt();
        let names = names_for(&h, rule, bits);
        let sel = if names.is_empty() { Selection::None } else { Selection::Names(names) };
        h.select(&[rule], &sel).unwrap();
        let kql = h.effective_kql(rule).unwrap();
        let after = h.run_mut(rule).unwrap().output(true).unwrap();
        let q = kqlhunt::kql::parse(&kql).map_err(|e| TestCaseError::fail(e.render(&kql)))?;
        let mut ev = Evaluator::new(h.session().clone());
        let direct = ev.run(&q).map_err(|e| TestCaseError::fail(e.render(&kql)))?;
        prop_assert_eq!(text(&direct), text(&after), "effective KQL:\n{}", kql);
    }

    #[test]
    fn toggling_on_then_off_changes_nothing(rule in 0usize..5, bits in 0u32..32, which in 0usize..5) {
        let mut h = hunt();
        let names = names_for(&h, rule, bits);
        let sel = if names.is_empty() { Selection::None } else { Selection::Names(names) };
        h.select(&[rule], &sel).unwrap();
        let snapshot = |h: &mut Hunt| {
            let run = h.run_mut(rule).unwrap();
            let out = text(&run.output(true).unwrap());
            (run.hidden.clone(), run.groups.clone(), run.impact.clone(), out)
        };
        let before = snapshot(&mut h);
        let n = h.get(rule).unwrap().0.exclusions.len();
        let e = which % n.max(1);
        h.toggle(rule, e);
        h.toggle(rule, e);
        prop_assert_eq!(snapshot(&mut h), before);
    }
}

#[test]
fn toggle_changes_counts_and_flags_over_broad() {
    let mut h = hunt();
    let r = h.find_rules(&["LiteManager".to_string()]).unwrap()[0];
    let e = h.get(r).unwrap().0.exclusions.iter().position(|e| e.name.starts_with("Admin Task")).unwrap();
    assert_eq!(h.get(r).unwrap().1.hits_after(), 15);
    h.toggle(r, e);
    let run = h.get(r).unwrap().1;
    assert!(run.hits_after() < 15, "enabling an exclusion hides hits");
    assert!(h.is_dirty(r));
    let sched = h.get(r).unwrap().0.exclusions.iter().position(|e| e.name.starts_with("Scheduled")).unwrap();
    let imp = &h.get(r).unwrap().1.impact[sched];
    assert!(imp.over_broad, "the faithful `!=` translation hides nearly everything and is flagged");
    assert_eq!(imp.alone, 15);
}

#[test]
fn a_rule_fails_when_any_part_of_its_query_fails() {
    // Hits reach the summarize, but the summarize names a column that
    // DeviceNetworkEvents does not have: Sentinel rejects the whole query.
    let dir = tempfile::tempdir().unwrap();
    let rule = "id: r1\nname: broken summarize\nquery: |\n  DeviceNetworkEvents\n  | where RemoteUrl has 'action1'\n  | summarize count() by DeviceId, AccountUpn\n";
    std::fs::write(dir.path().join("r.yaml"), rule).unwrap();
    let db = db();
    let now = latest_timestamp(&db).unwrap();
    let h = Hunt::new(RuleSet::load(&[dir.path().to_path_buf()], None), Session::new(db, now));
    let (_, run) = h.get(0).unwrap();
    match &run.status {
        kqlhunt::hunt::RuleStatus::Error(e) => {
            let e = e.render();
            assert!(e.contains("unknown column or name 'AccountUpn'"), "{e}");
            assert!(e.contains("did you mean 'InitiatingProcessAccountUpn'"), "{e}");
        }
        other => panic!("expected an error, got {other:?}"),
    }
    assert_eq!(run.hits_before(), 0);
}
