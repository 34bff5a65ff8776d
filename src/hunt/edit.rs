//! Editing a rule's exclusions as an analyst manages them: name, description
//! and filter together, delete, reorder, and undo of every edit. The undo
//! history lives here, with the hunt, so every face undoes the same way; a
//! step is the rule's exclusions and their evaluated masks before the edit,
//! so undoing never re-evaluates a filter.

use crate::rules::{Exclusion, PlannedWrite, RulesError};

use super::rule_run::ExclusionRun;
use super::{Hunt, HuntError};

/// Edits kept for undo, per hunt (the oldest go first).
const UNDO_DEPTH: usize = 100;

/// A rule's exclusions as they were before one edit.
#[derive(Clone, Debug)]
pub(super) struct UndoStep {
    rule: usize,
    label: String,
    exclusions: Vec<Exclusion>,
    runs: Vec<ExclusionRun>,
    dirty: bool,
}

/// The texts of an exclusion the analyst writes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExclusionText {
    /// Its name (unique within the rule, not empty).
    pub name: String,
    /// Why it exists; empty for none.
    pub description: String,
    /// The KQL filter; empty for none ("needs a filter").
    pub filter: String,
}

impl ExclusionText {
    /// The texts of `e`.
    pub fn of(e: &Exclusion) -> ExclusionText {
        ExclusionText {
            name: e.name.clone(),
            description: e.description.clone().unwrap_or_default(),
            filter: e.filter.clone().unwrap_or_default(),
        }
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl UndoStep {
    /// After rule `r` was saved, the states its steps restore differ from the file.
    pub(super) fn saved(&mut self, r: usize) {
        if self.rule == r {
            self.dirty = true;
        }
    }
}

impl Hunt {
    /// Keeps rule `r`'s exclusions as they are now, for [`Hunt::undo`].
    pub(super) fn remember(&mut self, r: usize, label: String) {
        let (Some(rule), Some(run)) = (self.rules.rules.get(r), self.runs.get(r)) else { return };
        let step = UndoStep {
            rule: r,
            label,
            exclusions: rule.exclusions.clone(),
            runs: run.exclusions.clone(),
            dirty: self.is_dirty(r),
        };
        self.undo.push(step);
        let extra = self.undo.len().saturating_sub(UNDO_DEPTH);
        self.undo.drain(..extra);
    }

    /// Undoes the last edit of rule `r`'s exclusions; returns what it was
    /// ("delete 'X'"), or `None` when there is nothing to undo.
    pub fn undo(&mut self, r: usize) -> Option<String> {
        let i = self.undo.iter().rposition(|s| s.rule == r)?;
        let step = self.undo.remove(i);
        self.rules.rules[r].exclusions = step.exclusions;
        self.runs[r].exclusions = step.runs;
        self.dirty[r] = step.dirty;
        self.refresh(r);
        Some(step.label)
    }

    /// What [`Hunt::undo`] would undo on rule `r`, if anything.
    pub fn undo_label(&self, r: usize) -> Option<&str> {
        self.undo.iter().rev().find(|s| s.rule == r).map(|s| s.label.as_str())
    }

    /// Why `name` cannot name an exclusion of rule `r` (other than exclusion
    /// `except`): empty, or taken. `None` when it can.
    pub fn name_problem(&self, r: usize, name: &str, except: Option<usize>) -> Option<String> {
        let name = name.trim();
        if name.is_empty() {
            return Some("the name is empty".into());
        }
        let rule = self.rules.rules.get(r)?;
        let taken = rule.exclusions.iter().enumerate().any(|(i, e)| Some(i) != except && e.name == name);
        taken.then(|| format!("the rule already has an exclusion named '{name}'"))
    }

    /// `base`, or `base (2)`, `base (3)`... whichever no exclusion of rule `r` has.
    pub fn unique_name(&self, r: usize, base: &str) -> String {
        let free = |n: &str| self.name_problem(r, n, None).is_none();
        if free(base) {
            return base.to_string();
        }
        (2..).map(|k| format!("{base} ({k})")).find(|n| free(n)).unwrap_or_else(|| base.to_string())
    }

    /// Sets the name, description and filter of exclusion `e` of rule `r`
    /// (evaluating the filter only when it changed). A bad name changes
    /// nothing; a filter that does not parse or run is kept, with its error.
    pub fn update_exclusion(&mut self, r: usize, e: usize, text: &ExclusionText) -> Result<(), HuntError> {
        if let Some(p) = self.name_problem(r, &text.name, Some(e)) {
            return Err(HuntError::BadName(p));
        }
        let Some(old) = self.rules.rules.get(r).and_then(|rule| rule.exclusions.get(e)).cloned() else {
            return Err(HuntError::NoSuchExclusion);
        };
        let mut new = old.clone();
        new.name = text.name.trim().to_string();
        new.description = non_empty(&text.description);
        new.filter = non_empty(&text.filter);
        if new.same_entry(&old) {
            return Ok(());
        }
        self.remember(r, format!("edit '{}'", old.name));
        let refilter = new.filter != old.filter;
        self.rules.rules[r].exclusions[e] = new.clone();
        self.dirty[r] = true;
        if refilter {
            let run = &mut self.runs[r];
            let er = run.exclusion_run(&new);
            let err = er.error.clone();
            run.exclusions[e] = er;
            self.refresh(r);
            return err.map_or(Ok(()), |e| Err(e.into()));
        }
        self.refresh(r);
        Ok(())
    }

    /// Deletes exclusion `e` of rule `r` (undoable); returns it.
    pub fn remove_exclusion(&mut self, r: usize, e: usize) -> Option<Exclusion> {
        let name = self.rules.rules.get(r)?.exclusions.get(e)?.name.clone();
        self.remember(r, format!("delete '{name}'"));
        let gone = self.rules.rules[r].exclusions.remove(e);
        self.runs[r].exclusions.remove(e);
        self.dirty[r] = true;
        self.refresh(r);
        Some(gone)
    }

    /// Moves exclusion `e` of rule `r` one place up (or down); returns its
    /// new index, `None` at the end of the list. The order is saved.
    pub fn move_exclusion(&mut self, r: usize, e: usize, up: bool) -> Option<usize> {
        let n = self.rules.rules.get(r)?.exclusions.len();
        let to = if up { e.checked_sub(1)? } else { e + 1 };
        if e >= n || to >= n {
            return None;
        }
        let name = self.rules.rules[r].exclusions[e].name.clone();
        self.remember(r, format!("move '{name}'"));
        self.rules.rules[r].exclusions.swap(e, to);
        self.runs[r].exclusions.swap(e, to);
        self.dirty[r] = true;
        self.refresh(r);
        Some(to)
    }

    /// The files saving rule `r` would change, each with its text before and
    /// after (see [`crate::rules::RuleSet::plan_rule`]). Writes nothing.
    pub fn save_plan(&self, r: usize) -> Result<Vec<PlannedWrite>, RulesError> {
        self.rules.plan_rule(r)
    }
}

/// The unified diff of a planned write, as `diff -u` prints it (three lines
/// of context), with the file's path in the `---`/`+++` header.
pub fn unified_diff(w: &PlannedWrite) -> String {
    let path = w.path().display().to_string();
    similar::TextDiff::from_lines(&w.old, &w.new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
