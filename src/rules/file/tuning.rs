//! `kqlhunt export --overlay`: the current tuning of rules — exclusions
//! turned on or off, changed, added or deleted relative to their rule files —
//! as an overlay file that `--exclusions-file` loads back to the same
//! effective exclusions (docs/overlays.md).
//!
//! Per rule with an id, against the rule file's own entries as loaded:
//! an unchanged entry is left out; one that differs only in `enabled` is a
//! state override (`name` and `enabled`); any other change, and a new entry,
//! is written in full. An overlay cannot delete a rule's entry, so a deleted
//! one that is on in the rule file is written as turned off, with a comment.
//! Entries of an overlay that was loaded for rule ids not loaded now are
//! carried over unchanged.

use std::fmt::Write as _;

use super::emit;
use super::load::{RuleSet, same_but_state};
use super::overlay::{OverlayWarningKind, is_state_override};
use crate::rules::exclusion::Exclusion;
use crate::rules::rule::{Parsed, Rule, parse_rule};

/// An overlay file holding the tuning of some rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TuningOverlay {
    /// The file's text (YAML with comments).
    pub text: String,
    /// Rules with at least one entry written.
    pub rules: usize,
    /// Entries written (carried-over ones included).
    pub entries: usize,
    /// Names of the rules whose tuning cannot be written: they have no id.
    pub without_id: Vec<String>,
}

impl RuleSet {
    /// The tuning of rules `idx` as an overlay file (see the module doc).
    pub fn tuning_overlay(&self, idx: &[usize]) -> TuningOverlay {
        let mut out = TuningOverlay::default();
        let mut body = String::new();
        for rule in idx.iter().filter_map(|&i| self.rules.get(i)) {
            let (entries, deleted) = tuning_of(rule);
            if entries.is_empty() {
                continue;
            }
            let Some(id) = rule.id.as_deref() else {
                out.without_id.push(rule.name.clone());
                continue;
            };
            let _ = writeln!(body, "\n# {}", one_line(&rule.name));
            for name in &deleted {
                let _ = writeln!(
                    body,
                    "# '{}' was deleted; an overlay cannot delete a rule's entry, so it is turned off here.",
                    one_line(name)
                );
            }
            let refs: Vec<&Exclusion> = entries.iter().collect();
            body.push_str(&emit::exclusion_block(id, &refs));
            out.rules += 1;
            out.entries += entries.len();
        }
        for w in &self.overlay_warnings {
            let OverlayWarningKind::UnknownRule { rule_id, entries } = &w.kind else { continue };
            if entries.is_empty() {
                continue;
            }
            let _ = writeln!(
                body,
                "\n# Rule id not loaded in this session; carried over from {}:{}.",
                one_line(&w.path.display().to_string()),
                w.at.line
            );
            let refs: Vec<&Exclusion> = entries.iter().collect();
            body.push_str(&emit::exclusion_block(rule_id, &refs));
            out.entries += entries.len();
        }
        out.text = format!(
            "# kqlhunt exclusion overlay: exclusions that differ from the rule files, keyed by rule id.\n\
             # Load it with --exclusions-file FILE (format: docs/overlays.md in the kqlhunt repository).\n{}",
            if body.is_empty() { "\n# No exclusion differs from the rule files.\n".to_string() } else { body }
        );
        out
    }
}

/// The overlay entries for `rule`, and the names of its deleted entries.
fn tuning_of(rule: &Rule) -> (Vec<Exclusion>, Vec<String>) {
    let base: Vec<Exclusion> = match parse_rule(&rule.path, &rule.text) {
        Ok(Parsed::Rule(fresh)) => fresh.exclusions,
        _ => Vec::new(),
    };
    let mut entries = Vec::new();
    for e in &rule.exclusions {
        let entry = match base.iter().find(|b| b.name == e.name) {
            Some(b) if b.same_entry(e) => continue,
            Some(b) if same_but_state(b, e) => state(&e.name, e.enabled),
            Some(_) => bare(e, true),
            None => bare(e, false),
        };
        entries.push(entry);
    }
    let mut deleted = Vec::new();
    for b in base.iter().filter(|b| !rule.exclusions.iter().any(|e| e.name == b.name)) {
        if b.enabled {
            entries.push(state(&b.name, false));
            deleted.push(b.name.clone());
        }
    }
    (entries, deleted)
}

/// A state override.
fn state(name: &str, enabled: bool) -> Exclusion {
    let mut e = Exclusion::new(name);
    e.enabled = enabled;
    e
}

/// A full entry without its file position and origin. One left with no
/// text but its name would read back as a state override of the rule's
/// entry, so it gets an empty filter ("needs a filter", as it is now).
fn bare(e: &Exclusion, overrides_own: bool) -> Exclusion {
    let mut e = Exclusion { origin: None, filter_at: None, ..e.clone() };
    if overrides_own && is_state_override(&e) {
        e.filter = Some(String::new());
    }
    e
}

/// Text for a one-line YAML comment.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
