//! The `hunt` layer: the session every face shows. It runs every rule once,
//! keeps its hit rows, one bitset per exclusion over them, device groups and
//! impact; toggles and filter edits recompute only the rule they touch, from
//! the stored hits. No I/O except saving rule files.

pub mod edit;
pub mod error;
pub mod export;
pub mod groups;
pub mod impact;
pub mod pivot;
pub mod propose;
pub mod report;
pub mod rule_run;
pub mod stack;
pub mod suggest;
pub mod timeline;
pub mod view;

use std::path::{Path, PathBuf};

use crate::data::Value;
use crate::kql;
use crate::kql::eval::{Evaluator, Frame, Session};
use crate::rules::{Exclusion, Rule, RuleSet, RulesError, effective};

pub use edit::{ExclusionText, unified_diff};
pub use error::{HuntError, RuleError};
pub use groups::{DeviceGroup, Hits};
pub use impact::{Impact, OVER_BROAD_SHARE};
pub use propose::{FilterPreview, Join, TermOp};
pub use rule_run::{ExclusionRun, RemoteHits, RuleRun, RuleStatus};
pub use stack::{StackOrder, StackRow};
pub use suggest::{Proposal, Suggestion};
pub use timeline::{TICKS_PER_HOUR, Timeline};
pub use view::{EventRow, ExclusionState, ExclusionView};

/// Which exclusions are active (`--exclusions all|none|saved|NAME,...`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// Every exclusion that has a filter.
    All,
    /// None.
    None,
    /// As saved in the files (`enabled:`).
    Saved,
    /// Exactly the named ones.
    Names(Vec<String>),
}

impl Selection {
    /// Parses the command-line form.
    pub fn parse(s: &str) -> Selection {
        match s.trim() {
            "all" => Selection::All,
            "none" => Selection::None,
            "saved" | "" => Selection::Saved,
            names => {
                Selection::Names(names.split(',').map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect())
            }
        }
    }
}

/// The hunting session: rules, their runs, and unsaved changes.
#[derive(Debug)]
pub struct Hunt {
    session: Session,
    rules: RuleSet,
    runs: Vec<RuleRun>,
    dirty: Vec<bool>,
    undo: Vec<edit::UndoStep>,
    /// Bumped by every change the faces show (a toggle, an edit, new paths).
    generation: u64,
    /// Per rule, the generation of its last change.
    changed: Vec<u64>,
    /// Per rule, true until its run is in (a hunt made with [`Hunt::pending`]).
    pending: Vec<bool>,
}

impl Hunt {
    /// Runs every rule of `rules` against `session`.
    pub fn new(rules: RuleSet, session: Session) -> Hunt {
        let runs: Vec<RuleRun> = rules.rules.iter().map(|r| RuleRun::new(r, &session)).collect();
        Hunt::assemble(rules, session, runs, false)
    }

    /// A hunt of `runs`, one per rule of `rules`, with nothing changed yet;
    /// `pending` while the events are still loading.
    fn assemble(rules: RuleSet, session: Session, runs: Vec<RuleRun>, pending: bool) -> Hunt {
        let n = runs.len();
        Hunt {
            session,
            rules,
            runs,
            dirty: vec![false; n],
            undo: Vec::new(),
            generation: 0,
            changed: vec![0; n],
            pending: vec![pending; n],
        }
    }

    /// A hunt over `rules` whose events are still loading: no rule has run
    /// yet (each shows no hits and [`Hunt::is_pending`]). The events arrive
    /// with [`Hunt::set_session`], each rule's run with [`Hunt::set_run`].
    pub fn pending(rules: RuleSet) -> Hunt {
        let runs: Vec<RuleRun> = rules.rules.iter().map(RuleRun::pending).collect();
        Hunt::assemble(rules, Session::default(), runs, true)
    }

    /// The loaded events (of a hunt made with [`Hunt::pending`]).
    pub fn set_session(&mut self, session: Session) {
        self.session = session;
        self.generation += 1;
    }

    /// Rule `r`'s run, made from the rule as [`Hunt::rule_set`] holds it
    /// (a hunt made with [`Hunt::pending`]).
    pub fn set_run(&mut self, r: usize, run: RuleRun) {
        if let Some(slot) = self.runs.get_mut(r) {
            *slot = run;
            self.pending[r] = false;
            self.bump(r);
        }
    }

    /// True while rule `r` has not run yet (its events are loading).
    pub fn is_pending(&self, r: usize) -> bool {
        self.pending.get(r).copied().unwrap_or(false)
    }

    /// How many rules have not run yet.
    pub fn pending_count(&self) -> usize {
        self.pending.iter().filter(|p| **p).count()
    }

    /// A counter bumped by every change of any rule's exclusions, counts or
    /// files: a face re-derives what it shows only when it moved.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The [`Hunt::generation`] of rule `r`'s last change (0: never changed).
    pub fn rule_generation(&self, r: usize) -> u64 {
        self.changed.get(r).copied().unwrap_or(0)
    }

    /// Records that rule `r` changed.
    fn bump(&mut self, r: usize) {
        self.generation += 1;
        if let Some(c) = self.changed.get_mut(r) {
            *c = self.generation;
        }
    }

    /// A hunt over runs made elsewhere (a remote source's hit rows: see
    /// [`RuleRun::from_hits`]), one per rule of `rules`, in order.
    pub fn from_runs(rules: RuleSet, session: Session, runs: Vec<RuleRun>) -> Hunt {
        Hunt::assemble(rules, session, runs, false)
    }

    /// The session (tables, clock).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The loaded rule set (with its load problems).
    pub fn rule_set(&self) -> &RuleSet {
        &self.rules
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    /// True when no rule is loaded.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Rule `i` and its run.
    pub fn get(&self, i: usize) -> Option<(&Rule, &RuleRun)> {
        Some((self.rules.rules.get(i)?, self.runs.get(i)?))
    }

    /// Rule `i`'s run, mutably (for outputs and previews).
    pub fn run_mut(&mut self, i: usize) -> Option<&mut RuleRun> {
        self.runs.get_mut(i)
    }

    /// True when rule `i` has exclusion changes not yet saved.
    pub fn is_dirty(&self, i: usize) -> bool {
        self.dirty.get(i).copied().unwrap_or(false)
    }

    /// True when any rule has unsaved changes.
    pub fn any_dirty(&self) -> bool {
        self.dirty.iter().any(|d| *d)
    }

    /// Rule indices matching names or ids (all rules when `sel` is empty).
    pub fn find_rules(&self, sel: &[String]) -> Result<Vec<usize>, HuntError> {
        Ok(self.rules.find(sel)?)
    }

    /// Sets which exclusions are enabled on rules `idx` (an unknown name is an error).
    pub fn select(&mut self, idx: &[usize], sel: &Selection) -> Result<(), HuntError> {
        if let Selection::Names(names) = sel {
            for n in names {
                let known = idx.iter().any(|&i| self.rules.rules[i].exclusions.iter().any(|e| e.name == *n));
                if !known {
                    return Err(HuntError::UnknownExclusion(n.clone()));
                }
            }
        }
        for &i in idx {
            let rule = &mut self.rules.rules[i];
            for e in &mut rule.exclusions {
                e.enabled = match sel {
                    Selection::All => !e.needs_filter(),
                    Selection::None => false,
                    Selection::Saved => e.enabled,
                    Selection::Names(n) => n.contains(&e.name),
                };
            }
            self.refresh(i);
        }
        Ok(())
    }

    /// Flips exclusion `e` of rule `r`; every count of that rule follows.
    pub fn toggle(&mut self, r: usize, e: usize) {
        if let Some(name) = self.rules.rules.get(r).and_then(|rule| rule.exclusions.get(e)).map(|x| x.name.clone()) {
            self.remember(r, format!("toggle '{name}'"));
        }
        if let Some(ex) = self.rules.rules.get_mut(r).and_then(|rule| rule.exclusions.get_mut(e)) {
            ex.enabled = !ex.enabled;
            self.dirty[r] = true;
            self.refresh(r);
        }
    }

    /// Replaces the filter of exclusion `e` (evaluating only that filter over the hits).
    pub fn set_filter(&mut self, r: usize, e: usize, filter: Option<String>) -> Result<(), HuntError> {
        let Some(name) = self.rules.rules.get(r).and_then(|rule| rule.exclusions.get(e)).map(|x| x.name.clone()) else {
            return Err(HuntError::NoSuchExclusion);
        };
        self.remember(r, format!("edit '{name}'"));
        let ex = &mut self.rules.rules[r].exclusions[e];
        ex.filter = filter;
        let ex = ex.clone();
        let run = &mut self.runs[r];
        let er = run.exclusion_run(&ex);
        let err = er.error.clone();
        run.exclusions[e] = er;
        self.dirty[r] = true;
        self.refresh(r);
        err.map_or(Ok(()), |e| Err(e.into()))
    }

    /// Adds a new exclusion to rule `r` (saved into the rule file); returns its index.
    pub fn add_exclusion(&mut self, r: usize, ex: Exclusion) -> Option<usize> {
        self.remember(r, format!("add '{}'", ex.name));
        let rule = self.rules.rules.get_mut(r)?;
        rule.push_exclusion(ex.clone());
        let run = &mut self.runs[r];
        let er = run.exclusion_run(&ex);
        run.exclusions.push(er);
        self.dirty[r] = true;
        self.refresh(r);
        Some(self.rules.rules[r].exclusions.len() - 1)
    }

    fn refresh(&mut self, r: usize) {
        let enabled = rule_run::enabled_of(&self.rules.rules[r].exclusions);
        self.runs[r].recompute(&enabled);
        self.bump(r);
    }

    /// The rule's query with `| where not(filter)` for each active exclusion.
    pub fn effective_kql(&self, r: usize) -> Option<String> {
        let (rule, run) = self.get(r)?;
        let filters: Vec<&str> = rule
            .exclusions
            .iter()
            .zip(&run.exclusions)
            .filter(|(e, er)| view::active(e.enabled, er))
            .filter_map(|(e, _)| e.filter.as_deref())
            .collect();
        Some(effective::splice(&rule.query, run.splice_at, &filters))
    }

    /// Saves rule `r`'s exclusions (atomic, only the `exclusions:` block changes).
    pub fn save(&mut self, r: usize) -> Result<Vec<PathBuf>, RulesError> {
        let written = self.rules.save_rule(r)?;
        if let Some(d) = self.dirty.get_mut(r) {
            *d = false;
        }
        // Undoing past a save brings back a state the file no longer holds.
        self.undo.iter_mut().for_each(|s| s.saved(r));
        Ok(written)
    }

    /// True when rule `r` cannot be saved in place (a bundled rule compiled
    /// into kqlhunt); [`Hunt::write_tuned`] writes it to a folder instead.
    pub fn is_read_only(&self, r: usize) -> bool {
        self.rules.is_read_only(r)
    }

    /// Writes every rule with its exclusions as they are now into `dir` (see
    /// [`RuleSet::write_tuned`]); from then on the rules are saved there.
    pub fn write_tuned(&mut self, dir: &Path) -> Result<Vec<PathBuf>, RulesError> {
        let written = self.rules.write_tuned(dir)?;
        self.dirty.iter_mut().for_each(|d| *d = false);
        // The rules' paths (the folder grouping) changed.
        self.generation += 1;
        // The rules now belong to other files: older states would point at the old ones.
        self.undo.clear();
        Ok(written)
    }

    /// The raw event behind hit `h` of rule `r`: every column of its source row.
    pub fn event(&self, r: usize, h: usize) -> Option<Vec<(String, Value)>> {
        let (_, run) = self.get(r)?;
        let table = self.session.db.get(run.table.as_deref()?)?;
        let row = *run.hits.rows.get(h)? as usize;
        Some(table.fields().iter().enumerate().map(|(c, f)| (f.name.clone(), table.value(row, c))).collect())
    }

    /// Runs an ad-hoc query over the session's tables.
    pub fn query(&self, text: &str) -> Result<(Frame, Vec<String>), HuntError> {
        let q = kql::parse(text).map_err(|e| RuleError::new(e, text))?;
        let mut ev = Evaluator::new(self.session.clone());
        let frame = ev.run(&q).map_err(|e| RuleError::new(e, text))?;
        Ok((frame, ev.notes().to_vec()))
    }
}

// The TUI runs rules on a worker thread and hands the result to the UI.
const _: () = {
    const fn assert_send<T: Send>() {}
    assert_send::<Hunt>();
};
