//! What saving a rule would write, worked out before anything is written, so
//! a face can show the exact change per file (the TUI's save preview) and
//! the save then writes exactly that.

use std::borrow::Cow;
use std::io::Write as _;
use std::path::PathBuf;

use super::load::{RuleSet, overlay_form, own_entries, own_unchanged};
use super::save::{self, Stamp};
use crate::rules::error::RulesError;
use crate::rules::exclusion::{Exclusion, Origin};
use crate::rules::layout;

/// One file a save would write: its text now and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedWrite {
    /// The file, and whether it is the rule file or an overlay.
    pub origin: Origin,
    /// Its text as on disk (for a read-only bundled rule, as loaded).
    pub old: String,
    /// Its text after the save.
    pub new: String,
    /// A bundled rule compiled into kqlhunt: it cannot be written in place
    /// (see [`RuleSet::write_tuned`]).
    pub read_only: bool,
}

impl PlannedWrite {
    /// The file.
    pub fn path(&self) -> &std::path::Path {
        self.origin.path()
    }
}

impl RuleSet {
    /// The files saving rule `index` would change, each with its text before
    /// and after: the rule file's own entries (new ones included) in its
    /// `exclusions:` block, and each overlay's entries under the rule id.
    /// Files whose text would not change are left out. Reads the files;
    /// one changed on disk since it was loaded is an error
    /// ([`RulesError::Changed`]). Writes nothing.
    pub fn plan_rule(&self, index: usize) -> Result<Vec<PlannedWrite>, RulesError> {
        let Some(rule) = self.rules.get(index) else { return Ok(Vec::new()) };
        let mut targets: Vec<Origin> = vec![Origin::RuleFile(rule.path.clone())];
        for e in &rule.exclusions {
            if let Some(o @ Origin::Overlay(_)) = &e.origin
                && !targets.contains(o)
            {
                targets.push(o.clone());
            }
        }
        // An overlay that held entries for this rule, all since deleted.
        if let (Some(path), Some(id)) = (&self.overlay, &rule.id) {
            let o = Origin::Overlay(path.clone());
            let holds = std::fs::read_to_string(path)
                .is_ok_and(|t| layout::find_key(&layout::top_level_keys(&t), id).is_some());
            if holds && !targets.contains(&o) {
                targets.push(o);
            }
        }
        let mut plan = Vec::new();
        for target in targets {
            let (key, entries): (String, Vec<Cow<Exclusion>>) = match &target {
                Origin::RuleFile(_) => {
                    ("exclusions".to_string(), own_entries(rule).into_iter().map(Cow::Borrowed).collect())
                }
                Origin::Overlay(_) => {
                    let Some(id) = rule.id.clone() else { continue };
                    // An overlay entry that only changes the rule file's entry's state is written as such.
                    let entries = rule.exclusions.iter().filter(|e| e.origin.as_ref() == Some(&target));
                    (id, entries.map(|e| overlay_form(rule, e)).collect())
                }
            };
            let entries: Vec<&Exclusion> = entries.iter().map(|e| e.as_ref()).collect();
            let path = target.path().to_path_buf();
            // A rule file that never had exclusions and still has none stays untouched.
            if entries.is_empty()
                && matches!(target, Origin::RuleFile(_))
                && layout::find_key(&layout::top_level_keys(&rule.text), "exclusions").is_none()
            {
                continue;
            }
            let read_only = self.read_only.contains(&path);
            let old = if read_only {
                // Only overlay entries changed: the bundled text stays as it is.
                if own_unchanged(rule) {
                    continue;
                }
                rule.text.clone()
            } else {
                self.current_text(&path)?
            };
            let new = save::rewrite(&path, &old, &key, &entries, &target)?;
            if new != old {
                plan.push(PlannedWrite { origin: target, old, new, read_only });
            }
        }
        Ok(plan)
    }

    /// The text of `path` on disk, provided it is what was loaded.
    fn current_text(&self, path: &std::path::Path) -> Result<String, RulesError> {
        let unsaveable = |reason: &str| RulesError::Unsaveable { path: path.to_path_buf(), reason: reason.into() };
        let stamp = self.stamps.get(path).copied().ok_or_else(|| unsaveable("it was not loaded"))?;
        let bytes = std::fs::read(path).map_err(|e| RulesError::io(path, e))?;
        if Stamp::of(&bytes) != stamp {
            return Err(RulesError::Changed { path: path.to_path_buf() });
        }
        String::from_utf8(bytes).map_err(|_| unsaveable("not UTF-8"))
    }

    /// Saves rule `index`'s exclusions: writes each file of
    /// [`RuleSet::plan_rule`], atomically, each checked once more against
    /// what was loaded just before it is replaced. Returns the files written
    /// (none when nothing would change).
    pub fn save_rule(&mut self, index: usize) -> Result<Vec<PathBuf>, RulesError> {
        let plan = self.plan_rule(index)?;
        if let Some(p) = plan.iter().find(|p| p.read_only) {
            return Err(RulesError::ReadOnly { path: p.path().to_path_buf() });
        }
        let mut written = Vec::new();
        for p in plan {
            let path = p.path().to_path_buf();
            if self.current_text(&path)? != p.old {
                return Err(RulesError::Changed { path });
            }
            save::write_atomic_with(&path, |f| f.write_all(p.new.as_bytes()))?;
            self.stamps.insert(path.clone(), Stamp::of(p.new.as_bytes()));
            self.adopt_saved(index, &p.origin, p.new);
            written.push(path);
        }
        Ok(written)
    }
}
