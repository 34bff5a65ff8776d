//! Overlay files: merge order, overlay wins on the same name, state
//! overrides, unknown ids and names as warnings at file:line, saving an
//! overlay changes only that rule id's entry, and `tuning_overlay` loads
//! back to the same effective exclusions.

use crate::common::{HUNTING, put, tmp};
use kqlhunt::rules::{Origin, OverlayWarningKind, RuleSet};

const ID: &str = "0b8a8a4f-9c5e-4a4f-8c1d-3f4a1d2e5b6c";

fn rule_text() -> String {
    format!(
        "{HUNTING}exclusions:\n  - name: Build agents\n    filter: DeviceName startswith 'build-'\n  - name: Shared\n    filter: FileName =~ 'own'\n  - name: Last\n"
    )
}

fn overlay_text() -> String {
    format!(
        "# team tuning\n\"{ID}\":\n  - name: Shared\n    filter: FileName =~ 'team'\n    enabled: true\n  - name: Team only\n    description: ours\n\n# a rule we do not have\n99999999-0000-0000-0000-000000000000:\n  - name: Orphan\n"
    )
}

#[test]
fn merge_appends_and_the_overlay_wins() {
    let dir = tmp();
    let rule = put(dir.path(), "rules/r.yaml", &rule_text());
    let overlay = put(dir.path(), "team.yaml", &overlay_text());
    let set = RuleSet::load(&[dir.path().join("rules")], Some(&overlay));
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    let r = &set.rules[0];
    let names: Vec<&str> = r.exclusions.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Build agents", "Last", "Shared", "Team only"]);
    let shared = &r.exclusions[2];
    assert_eq!(shared.filter.as_deref(), Some("FileName =~ 'team'"));
    assert!(shared.enabled);
    assert_eq!(shared.origin, Some(Origin::Overlay(overlay.clone())));
    assert_eq!(shared.filter_at.unwrap().start.line, 4);
    assert_eq!(r.exclusions[0].origin, Some(Origin::RuleFile(rule)));
    assert_eq!(r.shadowed.len(), 1);
    assert_eq!(r.shadowed[0].0, 1);

    assert_eq!(set.overlay_warnings.len(), 1);
    let w = &set.overlay_warnings[0];
    let OverlayWarningKind::UnknownRule { rule_id, entries } = &w.kind else { panic!("{w:?}") };
    assert_eq!(rule_id, "99999999-0000-0000-0000-000000000000");
    assert_eq!(entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["Orphan"]);
    assert_eq!((w.at.line, w.at.column), (10, 1));
    assert_eq!(w.code(), "orphan-exclusions");
}

#[test]
fn saving_writes_each_entry_back_where_it_came_from() {
    let dir = tmp();
    let rule = put(dir.path(), "rules/r.yaml", &rule_text());
    let overlay = put(dir.path(), "team.yaml", &overlay_text());
    let mut set = RuleSet::load(&[dir.path().join("rules")], Some(&overlay));
    set.rules[0].exclusions[3].enabled = true; // Team only (overlay)
    set.rules[0].exclusions[0].enabled = true; // Build agents (rule file)
    let written = set.save_rule(0).unwrap();
    assert_eq!(written, [rule.clone(), overlay.clone()]);

    // The rule file keeps its shadowed "Shared" entry in its place, and every
    // line of the entries that did not change.
    let rule_after = std::fs::read_to_string(&rule).unwrap();
    assert!(rule_after.starts_with(HUNTING));
    assert_eq!(
        &rule_after[HUNTING.len()..],
        "exclusions:\n  - name: Build agents\n    filter: DeviceName startswith 'build-'\n    enabled: true\n  - name: Shared\n    filter: FileName =~ 'own'\n  - name: Last\n"
    );
    // In the overlay only this id's entry changed; the orphan and comments stay.
    let before = overlay_text();
    let after = std::fs::read_to_string(&overlay).unwrap();
    let head = "# team tuning\n";
    let tail = &before[before.find("\n# a rule we do not have").unwrap()..];
    assert!(after.starts_with(head) && after.ends_with(tail), "{after}");
    assert_eq!(
        &after[head.len()..after.len() - tail.len()],
        format!(
            "\"{ID}\":\n  - name: Shared\n    filter: FileName =~ 'team'\n    enabled: true\n  - name: Team only\n    description: ours\n    enabled: true\n"
        )
    );
    // Saving again works (stamps follow the new content) and changes nothing.
    set.save_rule(0).unwrap();
    assert_eq!(std::fs::read_to_string(&overlay).unwrap(), after);
    let again = RuleSet::load(&[dir.path().join("rules")], Some(&overlay));
    let names: Vec<(&str, bool)> = again.rules[0].exclusions.iter().map(|e| (e.name.as_str(), e.enabled)).collect();
    assert_eq!(names, [("Build agents", true), ("Last", false), ("Shared", true), ("Team only", true)]);
}

#[test]
fn broken_overlay_is_a_problem_and_rules_still_load() {
    let dir = tmp();
    put(dir.path(), "rules/r.yaml", &rule_text());
    let overlay = put(dir.path(), "team.yaml", &format!("{ID}:\n  - name: A\n    filter: [x\n"));
    let set = RuleSet::load(&[dir.path().join("rules")], Some(&overlay));
    assert_eq!(set.rules.len(), 1);
    assert_eq!(set.rules[0].exclusions.len(), 3);
    assert_eq!(set.problems.len(), 1);
    assert!(set.problems[0].to_string().contains("team.yaml:4:1"), "{}", set.problems[0]);
}

/// `name` + `enabled` only: the rule's entry keeps its filter, texts and
/// place and takes the overlay's state; an unknown name is a warning at the
/// entry's line and is still kept (so saving the overlay does not drop it).
#[test]
fn state_overrides_keep_the_rule_entry_and_unknown_names_warn() {
    let dir = tmp();
    let rule = put(dir.path(), "rules/r.yaml", &rule_text());
    let text = format!(
        "{ID}:\n  - name: Build agents\n    enabled: true\n  - name: Sahred\n    enabled: true\n  - name: Last\n"
    );
    let overlay = put(dir.path(), "team.yaml", &text);
    let mut set = RuleSet::load(&[dir.path().join("rules")], Some(&overlay));
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    let r = &set.rules[0];
    let got: Vec<(&str, Option<&str>, bool)> =
        r.exclusions.iter().map(|e| (e.name.as_str(), e.filter.as_deref(), e.enabled)).collect();
    assert_eq!(
        got,
        [
            ("Build agents", Some("DeviceName startswith 'build-'"), true),
            ("Shared", Some("FileName =~ 'own'"), false),
            ("Last", None, false),
            ("Sahred", None, true),
        ]
    );
    assert_eq!(r.exclusions[0].origin, Some(Origin::Overlay(overlay.clone())));
    assert_eq!(r.shadowed.len(), 2, "both overridden rule-file entries are kept for saving");

    assert_eq!(set.overlay_warnings.len(), 1, "{:?}", set.overlay_warnings);
    let w = &set.overlay_warnings[0];
    assert_eq!(w.code(), "unknown-exclusion");
    assert!(matches!(&w.kind, OverlayWarningKind::UnknownExclusion { name, .. } if name == "Sahred"));
    assert_eq!((w.at.line, w.at.column), (4, 3), "the entry's `-`");
    let shown = w.to_string();
    assert!(shown.starts_with(&format!("{}:4:3: ", overlay.display())), "{shown}");
    assert!(shown.contains("did you mean 'Shared'?"), "{shown}");

    // Saving writes the overrides back as overrides; the rule file keeps its own state.
    set.rules[0].exclusions[1].enabled = true; // Shared, the rule file's own
    set.save_rule(0).unwrap();
    let rule_after = std::fs::read_to_string(&rule).unwrap();
    // Unchanged entries keep their text; only Shared's state is written.
    assert!(
        rule_after.contains(
            "  - name: Build agents\n    filter: DeviceName startswith 'build-'\n  - name: Shared\n    filter: FileName =~ 'own'\n    enabled: true\n"
        ),
        "{rule_after}"
    );
    assert_eq!(
        // Entries the save did not change keep their text (Last has no `enabled`).
        std::fs::read_to_string(&overlay).unwrap(),
        format!(
            "{ID}:\n  - name: Build agents\n    enabled: true\n  - name: Last\n  - name: Sahred\n    enabled: true\n"
        )
    );
}

mod round_trip {
    use super::*;
    use kqlhunt::rules::Rule;
    use proptest::prelude::*;

    const NAMES: [&str; 5] = ["Build agents", "Shared", "Last", "Team only", "Night jobs"];

    /// Everything that makes an exclusion effective, by name.
    fn effective(r: &Rule) -> Vec<(String, Option<String>, Option<String>, bool)> {
        let mut v: Vec<_> = r
            .exclusions
            .iter()
            .map(|e| {
                let filter = e.filter.clone().filter(|f| !f.trim().is_empty());
                (e.name.clone(), filter, e.description.clone(), e.enabled)
            })
            .collect();
        v.sort();
        v
    }

    /// One overlay entry: a state override, or a full entry.
    fn entry(name: &str, kind: u8, enabled: bool) -> String {
        match kind % 3 {
            0 => format!("  - name: {name}\n    enabled: {enabled}\n"),
            1 => format!("  - name: {name}\n    filter: FileName =~ '{}'\n    enabled: {enabled}\n", name.len()),
            _ => format!("  - name: {name}\n    description: ours\n    enabled: {enabled}\n"),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// Rule file + overlay + toggles, exported with `tuning_overlay`,
        /// then loaded from the rule file and the export alone: the same
        /// effective exclusions, no new warning, and the same export again.
        #[test]
        fn export_then_load_gives_the_same_exclusions(
            picks in proptest::collection::vec((0usize..5, 0u8..3, any::<bool>()), 0..5),
            toggles in proptest::collection::vec(any::<bool>(), 8),
        ) {
            let dir = tmp();
            put(dir.path(), "rules/r.yaml", &rule_text());
            let mut text = format!("{ID}:\n");
            let mut seen = Vec::new();
            for (n, kind, enabled) in &picks {
                if seen.contains(n) {
                    continue;
                }
                seen.push(*n);
                text.push_str(&entry(NAMES[*n], *kind, *enabled));
            }
            if seen.is_empty() {
                text = String::new();
            }
            let overlay = put(dir.path(), "team.yaml", &text);
            let mut set = RuleSet::load(&[dir.path().join("rules")], Some(&overlay));
            prop_assert!(set.problems.is_empty(), "{:?}", set.problems);
            for (e, flip) in set.rules[0].exclusions.iter_mut().zip(&toggles) {
                if *flip {
                    e.enabled = !e.enabled;
                }
            }
            let want = effective(&set.rules[0]);
            let tuning = set.tuning_overlay(&[0]);
            let exported = put(dir.path(), "export.yaml", &tuning.text);
            let again = RuleSet::load(&[dir.path().join("rules")], Some(&exported));
            prop_assert!(again.problems.is_empty(), "{:?}\n{}", again.problems, tuning.text);
            prop_assert_eq!(effective(&again.rules[0]), want, "{}", tuning.text);
            prop_assert!(again.overlay_warnings.len() <= set.overlay_warnings.len(), "{}", tuning.text);
            prop_assert_eq!(again.tuning_overlay(&[0]).text, tuning.text);
        }
    }

    #[test]
    fn nothing_changed_is_an_empty_overlay() {
        let dir = tmp();
        put(dir.path(), "rules/r.yaml", &rule_text());
        let set = RuleSet::load(&[dir.path().join("rules")], None);
        let tuning = set.tuning_overlay(&[0]);
        assert_eq!((tuning.rules, tuning.entries), (0, 0));
        assert!(tuning.text.lines().all(|l| l.is_empty() || l.starts_with('#')), "{}", tuning.text);
    }
}

#[test]
fn deleting_a_rules_last_overlay_entries_is_saved_to_the_overlay() {
    let dir = tmp();
    put(dir.path(), "rules/r.yaml", &rule_text());
    let overlay = put(dir.path(), "team.yaml", &overlay_text());
    let mut set = RuleSet::load(&[dir.path().join("rules")], Some(&overlay));
    set.rules[0].exclusions.retain(|e| !matches!(e.origin, Some(Origin::Overlay(_))));
    let written = set.save_rule(0).unwrap();
    assert_eq!(written, std::slice::from_ref(&overlay), "the rule file does not change");
    let after = std::fs::read_to_string(&overlay).unwrap();
    assert!(after.contains("# a rule we do not have\n99999999-"), "the rest stays: {after}");
    let again = RuleSet::load(&[dir.path().join("rules")], Some(&overlay));
    assert!(again.problems.is_empty(), "{:?}", again.problems);
    let origins: Vec<_> = again.rules[0].exclusions.iter().map(|e| e.origin.clone()).collect();
    assert!(origins.iter().all(|o| matches!(o, Some(Origin::RuleFile(_)))), "{origins:?}");
    assert_eq!(again.rules[0].exclusions.len(), 3, "the rule file's own Shared is no longer shadowed");
}
