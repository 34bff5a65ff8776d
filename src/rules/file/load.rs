//! Loading rules from files and folders (recursively, `*.yaml`/`*.yml`, in
//! sorted order so every run sees the same rules in the same order), merging
//! an overlay, and saving a rule's exclusions back where they came from.
//!
//! One broken file never stops the others: its error (file:line:column) is
//! collected in [`RuleSet::problems`]; YAML that is not a rule is listed in
//! [`RuleSet::skipped`].

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use super::overlay::{Overlay, OverlayWarning, is_state_override};
use super::repair;
use super::save::Stamp;
use crate::kql::suggest;
use crate::rules::error::{RulesError, UnknownRule};
use crate::rules::exclusion::{Exclusion, Origin};
use crate::rules::layout::{self, FilePos};
use crate::rules::rule::{Parsed, Rule, parse_rule};

/// Rules loaded from a set of paths, with everything that went wrong.
#[derive(Debug, Default)]
pub struct RuleSet {
    /// The rules, in path order.
    pub rules: Vec<Rule>,
    /// Files that failed to load (and other load problems, e.g. duplicate ids).
    pub problems: Vec<RulesError>,
    /// YAML files that are not rules, with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    /// Overlay entries that match nothing loaded (unknown rule ids, state
    /// overrides of unknown names), each with its place in the overlay.
    pub overlay_warnings: Vec<OverlayWarning>,
    /// Content stamps of the files as loaded, for the stale check on save.
    pub(super) stamps: HashMap<PathBuf, Stamp>,
    /// Rules loaded from text in memory (no file behind them): never saved in place.
    pub(super) read_only: HashSet<PathBuf>,
    /// The overlay file, when one was loaded (a save may have to empty a
    /// rule's list in it).
    pub(super) overlay: Option<PathBuf>,
}

/// True for the file names the loader reads.
fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// Every `*.yaml`/`*.yml` file under `paths` (files named directly are taken
/// whatever their extension), sorted and without duplicates.
pub fn collect_files(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<RulesError>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut files, &mut problems),
            Ok(_) => files.push(p.clone()),
            Err(e) => problems.push(RulesError::io(p, e)),
        }
    }
    files.sort();
    files.dedup();
    (files, problems)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<RulesError>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return problems.push(RulesError::io(dir, e)),
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(RulesError::io(dir, e));
                continue;
            }
        };
        let path = entry.path();
        // Hidden entries (.git, our own temporary files) are not rules.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, files, problems),
            Ok(_) if is_yaml(&path) => files.push(path),
            Ok(_) => {}
            Err(e) => problems.push(RulesError::io(&path, e)),
        }
    }
}

impl RuleSet {
    /// Rule indices matching names or ids (all rules when `sel` is empty).
    pub fn find(&self, sel: &[String]) -> Result<Vec<usize>, UnknownRule> {
        if sel.is_empty() {
            return Ok((0..self.rules.len()).collect());
        }
        let mut out = Vec::new();
        for s in sel {
            let found: Vec<usize> = (0..self.rules.len())
                .filter(|&i| {
                    let r = &self.rules[i];
                    r.name.eq_ignore_ascii_case(s) || r.id.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(s))
                })
                .collect();
            let found = if found.is_empty() {
                // A unique substring of a name is enough ("LiteManager").
                let lower = s.to_lowercase();
                (0..self.rules.len()).filter(|&i| self.rules[i].name.to_lowercase().contains(&lower)).collect()
            } else {
                found
            };
            if found.is_empty() {
                let names = self.rules.iter().map(|r| r.name.as_str());
                return Err(UnknownRule { name: s.clone(), help: suggest::did_you_mean(s, names) });
            }
            out.extend(found.into_iter().filter(|i| !out.contains(i)).collect::<Vec<_>>());
        }
        Ok(out)
    }

    /// Keeps only the rules `sel` names (all when empty), before any runs;
    /// an unknown name is an error with a suggestion.
    pub fn retain_selected(&mut self, sel: &[String]) -> Result<(), UnknownRule> {
        if sel.is_empty() {
            return Ok(());
        }
        let keep = self.find(sel)?;
        let mut all: Vec<Option<Rule>> = std::mem::take(&mut self.rules).into_iter().map(Some).collect();
        self.rules = keep.into_iter().filter_map(|i| all.get_mut(i).and_then(Option::take)).collect();
        Ok(())
    }

    /// Loads every rule under `paths`, then merges the overlay file, if any.
    pub fn load(paths: &[PathBuf], overlay: Option<&Path>) -> RuleSet {
        let (files, problems) = collect_files(paths);
        let mut set = RuleSet { problems, ..RuleSet::default() };
        for path in files {
            set.load_file(&path);
        }
        set.report_duplicate_ids();
        if let Some(path) = overlay {
            set.load_overlay(path);
        }
        set
    }

    /// Loads rules from `(name, text)` pairs held in memory (the copies
    /// compiled into kqlhunt), in name order, then merges the overlay file, if
    /// any. `name` stands for the file in messages. Such rules are read-only:
    /// [`RuleSet::save_rule`] refuses to change them ([`RulesError::ReadOnly`]).
    pub fn from_texts(texts: &[(PathBuf, &str)], overlay: Option<&Path>) -> RuleSet {
        let mut sorted: Vec<&(PathBuf, &str)> = texts.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut set = RuleSet::default();
        for (name, text) in sorted {
            set.read_only.insert(name.clone());
            set.load_text(name, text);
        }
        set.report_duplicate_ids();
        if let Some(path) = overlay {
            set.load_overlay(path);
        }
        set
    }

    /// True when rule `index` has no file of its own to save to (see [`RuleSet::from_texts`]).
    pub fn is_read_only(&self, index: usize) -> bool {
        self.rules.get(index).is_some_and(|r| self.read_only.contains(&r.path))
    }

    fn read(&mut self, path: &Path) -> Option<String> {
        let bytes = match fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                self.problems.push(RulesError::io(path, e));
                return None;
            }
        };
        match String::from_utf8(bytes) {
            Ok(text) => {
                self.stamps.insert(path.to_path_buf(), Stamp::of(text.as_bytes()));
                Some(text)
            }
            Err(e) => {
                let (line, column) =
                    crate::kql::error::line_col(&String::from_utf8_lossy(e.as_bytes()), e.utf8_error().valid_up_to());
                self.problems.push(RulesError::encoding(path, line, column));
                None
            }
        }
    }

    fn load_file(&mut self, path: &Path) {
        let Some(text) = self.read(path) else { return };
        self.load_text(path, &text);
    }

    fn load_text(&mut self, path: &Path, text: &str) {
        match parse_rule(path, text) {
            Ok(Parsed::Rule(rule)) => self.rules.push(*rule),
            Ok(Parsed::NotARule(why)) => self.skipped.push((path.to_path_buf(), why)),
            Err(e) => match repair::load_repaired(path, text, e) {
                Ok(rule) => self.rules.push(rule),
                Err(e) => self.problems.push(e),
            },
        }
    }

    fn report_duplicate_ids(&mut self) {
        let mut first: HashMap<&str, &Path> = HashMap::new();
        let mut dups = Vec::new();
        for r in &self.rules {
            let Some(id) = r.id.as_deref() else { continue };
            if let Some(other) = first.insert(id, &r.path) {
                let blocks = layout::top_level_keys(&r.text);
                let at = layout::find_key(&blocks, "id").map(|b| FilePos::at(&r.text, b.start)).unwrap_or_default();
                let msg = format!("duplicate rule id {id} (also in {})", other.display());
                dups.push(RulesError::duplicate_id(&r.path, at.line.max(1), at.column.max(1), msg));
            }
        }
        self.problems.extend(dups);
    }

    fn load_overlay(&mut self, path: &Path) {
        self.overlay = Some(path.to_path_buf());
        let Some(text) = self.read(path) else { return };
        match Overlay::parse(path, &text) {
            Ok(overlay) => {
                let warnings = overlay.merge_into(&mut self.rules);
                self.overlay_warnings.extend(warnings);
            }
            Err(e) => self.problems.push(e),
        }
    }

    /// After a save: new entries belong to the rule file, and the positions
    /// of everything that file holds are read again from its new text.
    pub(super) fn adopt_saved(&mut self, index: usize, target: &Origin, new_text: String) {
        let path = target.path().to_path_buf();
        match target {
            Origin::RuleFile(_) => {
                let rule = &mut self.rules[index];
                for e in &mut rule.exclusions {
                    if e.origin.is_none() {
                        e.origin = Some(target.clone());
                    }
                }
                if let Ok(Parsed::Rule(fresh)) = parse_rule(&path, &new_text) {
                    rule.query_at = fresh.query_at;
                    refresh_filter_positions(rule, target, &fresh.exclusions);
                }
                rule.text = new_text;
            }
            Origin::Overlay(_) => {
                let Ok(overlay) = Overlay::parse(&path, &new_text) else { return };
                for entry in &overlay.entries {
                    for rule in self.rules.iter_mut().filter(|r| r.id.as_deref() == Some(entry.rule_id.as_str())) {
                        refresh_filter_positions(rule, target, &entry.exclusions);
                    }
                }
            }
        }
    }
}

/// Copies `filter_at` from freshly parsed entries to the rule's entries of
/// the same origin and name.
fn refresh_filter_positions(rule: &mut Rule, origin: &Origin, fresh: &[Exclusion]) {
    let entries = rule.exclusions.iter_mut().chain(rule.shadowed.iter_mut().map(|(_, e)| e));
    for e in entries.filter(|e| e.origin.as_ref() == Some(origin)) {
        e.filter_at = fresh.iter().find(|f| f.name == e.name).and_then(|f| f.filter_at);
    }
}

/// How an overlay entry is written: as a state override (name and
/// `enabled` only) when it is the rule file's entry of that name with another
/// state, so the rule's filter and texts keep coming from the rule file.
pub(super) fn overlay_form<'a>(rule: &Rule, e: &'a Exclusion) -> std::borrow::Cow<'a, Exclusion> {
    let own = rule.shadowed.iter().map(|(_, s)| s).find(|s| s.name == e.name);
    match own {
        Some(own) if !is_state_override(e) && same_but_state(own, e) => {
            let mut state = Exclusion::new(e.name.clone());
            state.enabled = e.enabled;
            state.origin = e.origin.clone();
            std::borrow::Cow::Owned(state)
        }
        _ => std::borrow::Cow::Borrowed(e),
    }
}

/// True when two entries differ at most in `enabled`.
pub(super) fn same_but_state(a: &Exclusion, b: &Exclusion) -> bool {
    a.name == b.name
        && a.description == b.description
        && a.filter == b.filter
        && a.source == b.source
        && a.note == b.note
}

/// True when the rule's own entries are those of its text as loaded.
pub(super) fn own_unchanged(rule: &Rule) -> bool {
    let Ok(Parsed::Rule(fresh)) = parse_rule(&rule.path, &rule.text) else { return false };
    let own = own_entries(rule);
    own.len() == fresh.exclusions.len() && own.iter().zip(&fresh.exclusions).all(|(a, b)| a.same_entry(b))
}

/// The rule file's entries in file order: its effective own and new entries,
/// with the overlay-shadowed ones put back at their original places.
pub(super) fn own_entries(rule: &Rule) -> Vec<&Exclusion> {
    let mut own: Vec<&Exclusion> =
        rule.exclusions.iter().filter(|e| matches!(e.origin, None | Some(Origin::RuleFile(_)))).collect();
    let mut shadowed: Vec<&(usize, Exclusion)> = rule.shadowed.iter().collect();
    shadowed.sort_by_key(|(i, _)| *i);
    for (i, e) in shadowed {
        own.insert((*i).min(own.len()), e);
    }
    own
}
