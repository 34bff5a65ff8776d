//! Exclusion overlay files (`--exclusions-file FILE`): a team's tuning kept
//! apart from the rules, so it survives replacing a rule with its new upstream
//! version. The file maps rule ids to exclusion lists in the rule format
//! (the format, for users: docs/overlays.md):
//!
//! ```yaml
//! 02481117-1b9e-4afa-8b88-b3b7e9089c91:
//!   - name: Patch window
//!     filter: ProcessCommandLine contains "patch.ps1"
//!     enabled: true
//!   - name: Scheduled Job Execution by LiteManager
//!     enabled: false
//! ```
//!
//! Merge: a rule's own entries come first, then the overlay's, in file order.
//! An entry with only `name` (and `enabled`) is a *state override*: it sets
//! `enabled` on the rule's entry of that name, which keeps its filter, texts
//! and place. Any other entry of a name the rule has replaces the rule's
//! entry: it takes the place in the overlay's order. Either way the rule
//! file's entry is set aside (kept in [`Rule::shadowed`] so saving the rule
//! file does not drop it). Ids and override names that match nothing loaded
//! are [`OverlayWarning`]s; the rest of the overlay still applies.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::rules::error::RulesError;
use crate::rules::exclusion::{self, Exclusion, Origin};
use crate::rules::layout::{self, FilePos};
use crate::rules::rule::Rule;
use crate::rules::yaml;

/// A parsed overlay file.
#[derive(Clone, Debug)]
pub struct Overlay {
    /// The file.
    pub path: PathBuf,
    /// Per rule id (in file order): where its key is, and its entries.
    pub entries: Vec<OverlayEntry>,
}

/// The exclusions an overlay holds for one rule id.
#[derive(Clone, Debug)]
pub struct OverlayEntry {
    /// The rule id.
    pub rule_id: String,
    /// Where the id's key is in the overlay file.
    pub at: FilePos,
    /// The entries.
    pub exclusions: Vec<Exclusion>,
    /// Where each entry's `-` is (the id's key when unknown, e.g. flow lists).
    pub positions: Vec<FilePos>,
}

/// Something in an overlay that refers to nothing loaded: reported with the
/// overlay's file:line:column (by `check`, the CLI on stderr and the TUI's
/// load report); the rest of the overlay applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverlayWarning {
    /// The overlay file.
    pub path: PathBuf,
    /// Where the offending key is: the rule id's key, or the entry's `-`.
    pub at: FilePos,
    /// What is wrong.
    pub kind: OverlayWarningKind,
}

/// The kinds of [`OverlayWarning`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OverlayWarningKind {
    /// A rule id that matches no loaded rule: its entries apply to nothing.
    UnknownRule {
        /// The id.
        rule_id: String,
        /// Its entries (`export --overlay` carries them over).
        entries: Vec<Exclusion>,
    },
    /// A state override (`name` and `enabled` only) for a name the rule does
    /// not have: it is kept as a new entry, which needs a filter.
    UnknownExclusion {
        /// The rule's id.
        rule_id: String,
        /// The rule's name.
        rule_name: String,
        /// The entry's name.
        name: String,
        /// "did you mean ...?" over the rule's entry names, when one is close.
        did_you_mean: Option<String>,
    },
}

impl OverlayWarning {
    /// A stable code, as `check` prints it.
    pub fn code(&self) -> &'static str {
        match self.kind {
            OverlayWarningKind::UnknownRule { .. } => "orphan-exclusions",
            OverlayWarningKind::UnknownExclusion { .. } => "unknown-exclusion",
        }
    }

    /// The message without the place.
    pub fn message(&self) -> String {
        match &self.kind {
            OverlayWarningKind::UnknownRule { rule_id, entries } => {
                let names: Vec<&str> = entries.iter().map(|e| e.name.as_str()).collect();
                format!("exclusions for rule id {rule_id} ({}) match no loaded rule", names.join(", "))
            }
            OverlayWarningKind::UnknownExclusion { rule_name, name, did_you_mean, .. } => format!(
                "rule '{rule_name}' has no exclusion named '{name}' to turn on or off{}; \
                 kept as a new exclusion that needs a filter",
                did_you_mean.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
            ),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self.kind {
            OverlayWarningKind::UnknownRule { .. } => "fix the id, or remove the entry if the rule is gone",
            OverlayWarningKind::UnknownExclusion { .. } => {
                "fix the name (it must match the rule's entry exactly), or give the entry a filter"
            }
        }
    }
}

impl std::fmt::Display for OverlayWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path.display(), self.at.line, self.at.column, self.message())
    }
}

/// True for an entry that only sets the state of the rule's entry of the
/// same name: it has no text but its name.
pub fn is_state_override(e: &Exclusion) -> bool {
    e.description.is_none() && e.filter.is_none() && e.source.is_none() && e.note.is_none()
}

impl Overlay {
    /// Parses overlay `text` read from `path`. An empty file is an empty overlay.
    pub fn parse(path: &Path, text: &str) -> Result<Overlay, RulesError> {
        let doc = yaml::parse(text).map_err(|e| RulesError::yaml(path, &e))?;
        let map = match doc {
            Json::Null => serde_json::Map::new(),
            Json::Object(m) => m,
            _ => return Err(RulesError::invalid(path, 1, 1, "an exclusions file maps rule ids to exclusion lists")),
        };
        let blocks = layout::top_level_keys(text);
        let origin = Origin::Overlay(path.to_path_buf());
        let mut entries = Vec::with_capacity(map.len());
        for (rule_id, value) in map {
            let block = layout::find_key(&blocks, &rule_id);
            let at = block.map(|b| FilePos::at(text, b.start)).unwrap_or(FilePos { offset: 0, line: 1, column: 1 });
            let items = block.map(|b| layout::sequence_items(text, b)).unwrap_or_default();
            let exclusions = exclusion::parse_list(&value, &items, at, &origin)?;
            let positions = (0..exclusions.len()).map(|i| items.get(i).map_or(at, |it| it.dash)).collect();
            entries.push(OverlayEntry { rule_id, at, exclusions, positions });
        }
        Ok(Overlay { path: path.to_path_buf(), entries })
    }

    /// Merges the overlay into `rules` (see the module doc) and returns what
    /// matched nothing.
    pub fn merge_into(&self, rules: &mut [Rule]) -> Vec<OverlayWarning> {
        let mut warnings = Vec::new();
        for entry in &self.entries {
            let mut matched = false;
            for rule in rules.iter_mut().filter(|r| r.id.as_deref() == Some(entry.rule_id.as_str())) {
                matched = true;
                for (i, add) in entry.exclusions.iter().enumerate() {
                    // Only a miss needs the suggestion, and only before the entry is added.
                    let names = rule.exclusions.iter().map(|e| e.name.as_str());
                    let did_you_mean = match rule.exclusions.iter().any(|e| e.name == add.name) {
                        true => None,
                        false => crate::kql::suggest::did_you_mean(&add.name, names),
                    };
                    if !merge_one(rule, add) {
                        warnings.push(OverlayWarning {
                            path: self.path.clone(),
                            at: entry.positions.get(i).copied().unwrap_or(entry.at),
                            kind: OverlayWarningKind::UnknownExclusion {
                                rule_id: entry.rule_id.clone(),
                                rule_name: rule.name.clone(),
                                name: add.name.clone(),
                                did_you_mean,
                            },
                        });
                    }
                }
            }
            if !matched {
                warnings.push(OverlayWarning {
                    path: self.path.clone(),
                    at: entry.at,
                    kind: OverlayWarningKind::UnknownRule {
                        rule_id: entry.rule_id.clone(),
                        entries: entry.exclusions.clone(),
                    },
                });
            }
        }
        warnings
    }
}

/// Merges one overlay entry; false for a state override of a name the rule
/// does not have (it is still added, so saving the overlay keeps it).
fn merge_one(rule: &mut Rule, add: &Exclusion) -> bool {
    let Some(i) = rule.exclusions.iter().position(|e| e.name == add.name) else {
        rule.exclusions.push(add.clone());
        return !is_state_override(add);
    };
    let own = rule.exclusions.remove(i);
    let replacement = if is_state_override(add) {
        // Same entry, the overlay's state, in the same place.
        let mut e = own.clone();
        e.enabled = add.enabled;
        e.origin = add.origin.clone();
        e.filter_at = None;
        Some(e)
    } else {
        None
    };
    // Only the rule file's own entries need keeping for its next save;
    // a same-named entry from another overlay is simply replaced.
    if matches!(own.origin, Some(Origin::RuleFile(_))) {
        let index = own_index(rule, i);
        rule.shadowed.push((index, own));
    }
    match replacement {
        Some(e) => rule.exclusions.insert(i, e),
        None => rule.exclusions.push(add.clone()),
    }
    true
}

/// The index in the rule file's list of the entry now at `i` of the effective
/// list, counting the entries already set aside.
fn own_index(rule: &Rule, i: usize) -> usize {
    let before = rule.exclusions[..i].iter().filter(|e| matches!(e.origin, Some(Origin::RuleFile(_)))).count();
    let mut index = before;
    let mut taken: Vec<usize> = rule.shadowed.iter().map(|(k, _)| *k).collect();
    taken.sort_unstable();
    for k in taken {
        if k <= index {
            index += 1;
        }
    }
    index
}
