//! The comment-keeping block writer on one block with every kind of comment.
use super::*;

fn ex(name: &str, filter: &str, enabled: bool) -> Exclusion {
    let mut e = Exclusion::new(name);
    e.filter = Some(filter.into());
    e.enabled = enabled;
    e.origin = Some(Origin::RuleFile("r.yaml".into()));
    e
}

const DOC: &str = "id: x\nexclusions: # tuned\n  # section A\n\n  # about a\n  - name: a # first\n    # why the filter\n    filter: X == 1   # exact\n    enabled: false\n\n  - name: b\n    filter: |\n      Y == 2\n      # inside the scalar\n    enabled: true\n  # tail\nversion: 1\n";

fn rewritten(entries: &[&Exclusion]) -> String {
    let origin = Origin::RuleFile("r.yaml".into());
    let Some(b) = block(DOC, "exclusions", entries, &origin) else { panic!("the block is readable") };
    let (Some(start), Some(end)) = (DOC.find("exclusions:"), DOC.find("version")) else { panic!("markers") };
    DOC.replace(&DOC[start..end], &b)
}

#[test]
fn unchanged_entries_keep_every_byte() {
    let (a, b) = (ex("a", "X == 1", false), ex("b", "Y == 2\n# inside the scalar\n", true));
    assert_eq!(rewritten(&[&a, &b]), DOC);
}

#[test]
fn a_changed_key_keeps_its_comments() {
    let (mut a, b) = (ex("a", "X == 1", false), ex("b", "Y == 2\n# inside the scalar\n", true));
    a.filter = Some("X == 3".into());
    a.description = Some("added".into());
    let out = rewritten(&[&a, &b]);
    assert!(out.contains("  # about a\n  - name: a # first\n    description: added\n    # why the filter\n    filter: 'X == 3' # exact\n    enabled: false\n"), "{out}");
}

#[test]
fn reorder_moves_attached_comments_and_keeps_sections() {
    let (a, b) = (ex("a", "X == 1", false), ex("b", "Y == 2\n# inside the scalar\n", true));
    let out = rewritten(&[&b, &a]);
    assert!(out.starts_with("id: x\nexclusions: # tuned\n  # section A\n\n  - name: b\n"), "{out}");
    assert!(out.contains("\n\n  # about a\n  - name: a # first\n"), "{out}");
    assert!(out.ends_with("  # tail\nversion: 1\n"), "{out}");
}

#[test]
fn delete_drops_the_item_and_its_attached_comments() {
    let b = ex("b", "Y == 2\n# inside the scalar\n", true);
    let out = rewritten(&[&b]);
    assert!(!out.contains("about a") && !out.contains("name: a"), "{out}");
    assert!(out.contains("# section A") && out.contains("# tail"), "{out}");
}

#[test]
fn rename_keeps_the_item_place_and_comments() {
    let (mut a, b) = (ex("a", "X == 1", false), ex("b", "Y == 2\n# inside the scalar\n", true));
    let keys = layout::top_level_keys(DOC);
    let Some(block_at) = layout::find_key(&keys, "exclusions") else { panic!("the block") };
    a.filter_at = layout::sequence_items(DOC, block_at)[0].filter;
    a.name = "renamed".into();
    let out = rewritten(&[&a, &b]);
    assert!(
        out.contains("  # about a\n  - name: renamed # first\n    # why the filter\n    filter: X == 1   # exact\n"),
        "{out}"
    );
}
