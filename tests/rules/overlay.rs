//! Overlay files: merge order, overlay wins on the same name, unknown ids
//! listed, and saving an overlay changes only that rule id's entry.

use crate::common::{HUNTING, put, tmp};
use kqlhunt::rules::{Origin, RuleSet};

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

    assert_eq!(set.orphans.len(), 1);
    let o = &set.orphans[0];
    assert_eq!(o.rule_id, "99999999-0000-0000-0000-000000000000");
    assert_eq!(o.names, ["Orphan"]);
    assert_eq!(o.at.line, 10);
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
