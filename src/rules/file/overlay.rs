//! Exclusion overlay files (`--exclusions-file FILE`): a team's tuning kept
//! apart from the rules, so it survives replacing a rule with its new upstream
//! version. The file maps rule ids to exclusion lists in the rule format:
//!
//! ```yaml
//! 02481117-1b9e-4afa-8b88-b3b7e9089c91:
//!   - name: Patch window
//!     filter: ProcessCommandLine contains "patch.ps1"
//!     enabled: true
//! ```
//!
//! Merge: a rule's own entries come first, then the overlay's, in file order.
//! When both have an entry of the same name, the overlay's wins: it takes the
//! place in the overlay's order and the rule file's entry is set aside (kept
//! in [`Rule::shadowed`] so saving the rule file does not drop it).

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
}

/// An overlay entry whose rule id matches no loaded rule (`check` lists these).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Orphan {
    /// The overlay file.
    pub path: PathBuf,
    /// Where the id's key is.
    pub at: FilePos,
    /// The unknown rule id.
    pub rule_id: String,
    /// Names of its exclusions.
    pub names: Vec<String>,
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
            entries.push(OverlayEntry { rule_id, at, exclusions });
        }
        Ok(Overlay { path: path.to_path_buf(), entries })
    }

    /// Merges the overlay into `rules` (see the module doc) and returns the
    /// entries whose rule id matches none of them.
    pub fn merge_into(&self, rules: &mut [Rule]) -> Vec<Orphan> {
        let mut orphans = Vec::new();
        for entry in &self.entries {
            let mut matched = false;
            for rule in rules.iter_mut().filter(|r| r.id.as_deref() == Some(entry.rule_id.as_str())) {
                matched = true;
                merge_one(rule, &entry.exclusions);
            }
            if !matched {
                orphans.push(Orphan {
                    path: self.path.clone(),
                    at: entry.at,
                    rule_id: entry.rule_id.clone(),
                    names: entry.exclusions.iter().map(|e| e.name.clone()).collect(),
                });
            }
        }
        orphans
    }
}

fn merge_one(rule: &mut Rule, overlay: &[Exclusion]) {
    for add in overlay {
        if let Some(i) = rule.exclusions.iter().position(|e| e.name == add.name) {
            let own = rule.exclusions.remove(i);
            // Only the rule file's own entries need keeping for its next save;
            // a same-named entry from another overlay is simply replaced.
            if matches!(own.origin, Some(Origin::RuleFile(_))) {
                let index = own_index(rule, i);
                rule.shadowed.push((index, own));
            }
        }
        rule.exclusions.push(add.clone());
    }
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
