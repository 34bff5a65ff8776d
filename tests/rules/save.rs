//! Saving exclusions: only the `exclusions:` block changes (every other byte
//! is compared), the round trip, atomic replacement, and the stale-file check.

use crate::common::{HUNTING, put, tmp};
use kqlhunt::rules::file::save::write_atomic_with;
use kqlhunt::rules::{Exclusion, RuleSet, RulesError};
use proptest::prelude::*;
use std::io::Write as _;

/// A rule with comments, odd spacing and its exclusions between other keys.
const COMMENTED: &str = "# Team copy of an upstream rule.\nid: 5e1f2a3b-0000-4000-8000-000000000001   # keep\nname: Commented rule\nquery: |\n  DeviceProcessEvents\n  | where FileName =~ \"cmd.exe\"   // trailing comment\n\n# exclusions follow\nexclusions:\n  - name: Old\n    filter: FileName == 'x'\n    enabled: false\n\n# after the block\nversion: 1.0.0 # stays\n";

fn load(path: &std::path::Path) -> RuleSet {
    let set = RuleSet::load(&[path.to_path_buf()], None);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    set
}

fn kql_filter(name: &str, filter: &str) -> Exclusion {
    let mut e = Exclusion::new(name);
    e.filter = Some(filter.into());
    e
}

#[test]
fn only_the_block_changes() {
    let dir = tmp();
    let path = put(dir.path(), "r.yaml", COMMENTED);
    let mut set = load(&path);
    set.rules[0].exclusions[0].enabled = true;
    set.rules[0].push_exclusion(kql_filter("Tricky: quotes", r#"ProcessCommandLine has "a #b" and X != 'y: z'"#));
    assert_eq!(set.save_rule(0).unwrap(), std::slice::from_ref(&path));
    let after = std::fs::read_to_string(&path).unwrap();
    let start = COMMENTED.find("exclusions:").unwrap();
    let old_end = COMMENTED.find("\n# after the block").unwrap();
    assert_eq!(&after[..start], &COMMENTED[..start]);
    let tail = &COMMENTED[old_end..];
    assert!(after.ends_with(tail), "{after}");
    let block = &after[start..after.len() - tail.len()];
    assert_eq!(
        block,
        "exclusions:\n  - name: Old\n    filter: FileName == 'x'\n    enabled: true\n  - name: 'Tricky: quotes'\n    filter: 'ProcessCommandLine has \"a #b\" and X != ''y: z'''\n    enabled: false\n"
    );
    // The round trip: reload gives the same entries.
    let again = load(&path);
    let (a, b) = (&set.rules[0].exclusions, &again.rules[0].exclusions);
    assert_eq!(a.len(), b.len());
    assert!(a.iter().zip(b).all(|(x, y)| x.same_entry(y)));
    assert_eq!(b[1].filter_at.unwrap().start.line, 14);
    // Positions in memory follow the new text.
    assert_eq!(set.rules[0].exclusions[1].filter_at, b[1].filter_at);
}

#[test]
fn file_without_exclusions_gets_the_block_appended() {
    let dir = tmp();
    let no_newline = HUNTING.trim_end();
    let path = put(dir.path(), "r.yaml", no_newline);
    let mut set = load(&path);
    // Nothing to save and no key yet: the file is not touched.
    assert!(set.save_rule(0).unwrap().is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), no_newline);
    set.rules[0].push_exclusion(Exclusion::new("Needs one"));
    set.save_rule(0).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(after, format!("{no_newline}\nexclusions:\n  - name: Needs one\n    enabled: false\n"));
    assert!(load(&path).rules[0].exclusions[0].needs_filter());
}

#[test]
fn removing_every_exclusion_leaves_an_empty_list() {
    let dir = tmp();
    let path = put(dir.path(), "r.yaml", COMMENTED);
    let mut set = load(&path);
    set.rules[0].exclusions.clear();
    set.save_rule(0).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("\n# exclusions follow\nexclusions: []\n\n# after the block\n"), "{after}");
}

#[test]
fn refuses_when_the_file_changed_on_disk() {
    let dir = tmp();
    let path = put(dir.path(), "r.yaml", COMMENTED);
    let mut set = load(&path);
    let edited = COMMENTED.replace("Commented rule", "Edited elsewhere");
    std::fs::write(&path, &edited).unwrap();
    set.rules[0].exclusions[0].enabled = true;
    let err = set.save_rule(0).unwrap_err();
    assert!(matches!(err, RulesError::Changed { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
}

#[test]
fn refuses_layouts_it_cannot_rewrite_safely() {
    let dir = tmp();
    let flow = "{id: a, name: Flow, query: 'T | take 1'}\n";
    let path = put(dir.path(), "r.yaml", flow);
    let mut set = load(&path);
    set.rules[0].push_exclusion(Exclusion::new("x"));
    let err = set.save_rule(0).unwrap_err();
    assert!(matches!(err, RulesError::Unsaveable { .. }), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), flow);
}

#[test]
fn atomic_write_uses_a_temp_file_in_the_same_folder() {
    let dir = tmp();
    let path = put(dir.path(), "r.yaml", "old\n");
    write_atomic_with(&path, |f| {
        let names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        assert!(names.iter().any(|n| n.starts_with(".r.yaml.kqlhunt-tmp-")), "{names:?}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        f.write_all(b"new\n")
    })
    .unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn failed_write_leaves_the_original_and_no_partial_file() {
    let dir = tmp();
    let path = put(dir.path(), "r.yaml", "old\n");
    let err = write_atomic_with(&path, |f| {
        f.write_all(b"half of the new con")?;
        Err(std::io::Error::other("disk full"))
    })
    .unwrap_err();
    assert!(err.to_string().contains("disk full"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "temp file left behind");
}

proptest! {
    /// Any texts survive the writer and the YAML reader unchanged.
    #[test]
    fn any_entry_round_trips(name in "\\PC{1,30}", filter in any::<String>(), desc in proptest::option::of(any::<String>())) {
        prop_assume!(!name.trim().is_empty());
        let dir = tmp();
        let path = put(dir.path(), "r.yaml", "id: p\nquery: T\n");
        let mut set = RuleSet::load(std::slice::from_ref(&path), None);
        let mut e = kql_filter(&name, &filter);
        e.description = desc;
        set.rules[0].push_exclusion(e.clone());
        set.save_rule(0).unwrap();
        let back = RuleSet::load(&[path], None);
        prop_assert!(back.problems.is_empty(), "{:?}", back.problems);
        prop_assert!(back.rules[0].exclusions[0].same_entry(&e));
    }
}
