//! Writing the tuned rules into a folder the user names: for rules that
//! cannot be saved in place (the read-only copies compiled into kqlhunt).
//! Each rule's text is written with its `exclusions:` block rewritten exactly
//! as a save rewrites it; no file that exists with other content is replaced.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::load::{RuleSet, own_entries};
use super::save::{self, Stamp};
use crate::rules::error::RulesError;
use crate::rules::exclusion::Origin;
use crate::rules::layout;

impl RuleSet {
    /// Writes every rule, tuned, to `dir/<its file name>` (creating `dir`),
    /// each atomically. A file that already holds the same text is left as it
    /// is; one with other text stops the write before any file is written
    /// ([`RulesError::Exists`]). Afterwards the rules belong to the files in
    /// `dir` (saved in place from then on). Returns the files, in rule order.
    pub fn write_tuned(&mut self, dir: &Path) -> Result<Vec<PathBuf>, RulesError> {
        let mut plan: Vec<(PathBuf, String)> = Vec::with_capacity(self.rules.len());
        for rule in &self.rules {
            let name = rule.path.file_name().ok_or_else(|| RulesError::Unsaveable {
                path: rule.path.clone(),
                reason: "it has no file name".into(),
            })?;
            let target = dir.join(name);
            if plan.iter().any(|(p, _)| *p == target) {
                let reason = "two rules have this file name".into();
                return Err(RulesError::Unsaveable { path: target, reason });
            }
            let entries = own_entries(rule);
            let has_block = layout::find_key(&layout::top_level_keys(&rule.text), "exclusions").is_some();
            let text = if entries.is_empty() && !has_block {
                rule.text.clone()
            } else {
                save::rewrite(&rule.path, &rule.text, "exclusions", &entries, &Origin::RuleFile(rule.path.clone()))?
            };
            match std::fs::read(&target) {
                Ok(old) if old == text.as_bytes() => {}
                Ok(_) => return Err(RulesError::Exists { path: target }),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(RulesError::io(&target, e)),
            }
            plan.push((target, text));
        }
        std::fs::create_dir_all(dir).map_err(|e| RulesError::io(dir, e))?;
        for (target, text) in &plan {
            if !target.exists() {
                save::write_atomic_with(target, |f| f.write_all(text.as_bytes()))?;
            }
        }
        for (index, (target, text)) in plan.iter().enumerate() {
            self.adopt_file(index, target, text.clone());
        }
        Ok(plan.into_iter().map(|(p, _)| p).collect())
    }

    /// Rule `index` now lives in the file `target` holding `text`.
    fn adopt_file(&mut self, index: usize, target: &Path, text: String) {
        let Some(rule) = self.rules.get_mut(index) else { return };
        let old = Origin::RuleFile(std::mem::replace(&mut rule.path, target.to_path_buf()));
        let new = Origin::RuleFile(target.to_path_buf());
        for e in rule.exclusions.iter_mut().chain(rule.shadowed.iter_mut().map(|(_, e)| e)) {
            if e.origin.as_ref() == Some(&old) {
                e.origin = Some(new.clone());
            }
        }
        self.read_only.remove(old.path());
        self.stamps.insert(target.to_path_buf(), Stamp::of(text.as_bytes()));
        self.adopt_saved(index, &new, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: &str =
        "id: r1\nname: One\nquery: |\n  T\n# kept\nexclusions:\n  - name: a\n    filter: x == 1\n    enabled: false\n";

    fn bundled() -> RuleSet {
        RuleSet::from_texts(&[(PathBuf::from("(bundled) rules/one.yaml"), RULE)], None)
    }

    #[test]
    fn bundled_rules_are_read_only_until_written_to_a_folder() {
        let mut set = bundled();
        assert!(set.is_read_only(0));
        assert!(set.save_rule(0).is_ok(), "unchanged: nothing to write");
        set.rules[0].exclusions[0].enabled = true;
        assert!(matches!(set.save_rule(0), Err(RulesError::ReadOnly { .. })));

        let dir = tempfile::tempdir().unwrap();
        let written = set.write_tuned(dir.path()).unwrap();
        assert_eq!(written, vec![dir.path().join("one.yaml")]);
        let text = std::fs::read_to_string(&written[0]).unwrap();
        assert!(text.contains("# kept\n") && text.contains("enabled: true"), "{text}");
        assert!(!set.is_read_only(0), "saved in place from now on");
        set.rules[0].exclusions[0].enabled = false;
        assert_eq!(set.save_rule(0).unwrap(), written);

        // Another set's different text is not written over it; the same text is fine.
        let mut other = bundled();
        other.rules[0].exclusions[0].enabled = true;
        assert!(matches!(other.write_tuned(dir.path()), Err(RulesError::Exists { .. })));
        assert!(bundled().write_tuned(dir.path()).is_ok(), "identical content");
    }
}
