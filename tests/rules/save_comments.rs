//! Saving keeps what the user wrote inside the `exclusions:` block: comment
//! lines, end-of-line comments, blank lines, and the exact text of every
//! entry and key that did not change; every byte outside the block stays.

use crate::common::{put, tmp};
use kqlhunt::rules::{Exclusion, RuleSet};
use proptest::prelude::*;

const HEAD: &str = "# Team copy.\nid: 7e1f2a3b-0000-4000-8000-000000000002\nname: Commented block\nquery: |\n  DeviceProcessEvents\n  | where FileName =~ \"cmd.exe\"\n\n";
const TAIL: &str = "\n# after the block\nversion: 1.0.0 # stays\n";

/// An exclusions block of `n` items, each with comments of its own.
fn block(n: usize) -> String {
    let mut out = String::from("exclusions:   # tuned by the SOC\n  # --- section: build servers ---\n\n");
    for k in 0..n {
        out.push_str(&format!(
            "  # note {k}: ticket INC-{k}\n  - name: e{k}   # name {k}\n    # why {k}\n    filter: FileName == 'f{k}'\n    enabled: false\n"
        ));
    }
    out.push_str("  # tail of the block\n");
    out
}

fn load(path: &std::path::Path) -> RuleSet {
    let set = RuleSet::load(&[path.to_path_buf()], None);
    assert!(set.problems.is_empty(), "{:?}", set.problems);
    set
}

#[test]
fn editing_one_exclusion_keeps_every_comment_and_every_other_byte() {
    let dir = tmp();
    let text = format!("{HEAD}{}{TAIL}", block(3));
    let path = put(dir.path(), "r.yaml", &text);
    let mut set = load(&path);
    set.rules[0].exclusions[1].filter = Some("FileName == 'g1' and AccountName != \"svc\"".into());
    set.save_rule(0).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    let want =
        text.replace("    filter: FileName == 'f1'\n", "    filter: 'FileName == ''g1'' and AccountName != \"svc\"'\n");
    assert_eq!(after, want, "only the edited value's line changed");
    let back = load(&path);
    assert!(back.rules[0].exclusions.iter().zip(&set.rules[0].exclusions).all(|(a, b)| a.same_entry(b)));
}

#[test]
fn an_end_of_line_comment_stays_on_a_changed_value() {
    let dir = tmp();
    let text = format!("{HEAD}exclusions:\n  - name: a\n    enabled: false # off until CAB approves\n{TAIL}");
    let path = put(dir.path(), "r.yaml", &text);
    let mut set = load(&path);
    set.rules[0].exclusions[0].enabled = true;
    set.save_rule(0).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(after, text.replace("enabled: false # off", "enabled: true # off"));
}

#[test]
fn a_block_it_cannot_read_by_lines_is_written_fresh_and_still_checked() {
    let dir = tmp();
    // A flow list: no lines to keep; the block is written fresh.
    let text = format!("{HEAD}exclusions: [{{name: a, filter: X == 1}}]\n{TAIL}");
    let path = put(dir.path(), "r.yaml", &text);
    let mut set = load(&path);
    set.rules[0].exclusions[0].enabled = true;
    set.save_rule(0).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(after, format!("{HEAD}exclusions:\n  - name: a\n    filter: 'X == 1'\n    enabled: true\n{TAIL}"));
}

/// One edit of a rule's exclusion list.
#[derive(Clone, Debug)]
enum Edit {
    Toggle(usize),
    Filter(usize, String),
    Rename(usize),
    Swap(usize, usize),
    Delete(usize),
    Add,
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..8usize).prop_map(Edit::Toggle),
        (0..8usize, "[A-Za-z]{1,8}").prop_map(|(i, s)| Edit::Filter(i, format!("FileName == '{s}'"))),
        (0..8usize).prop_map(Edit::Rename),
        (0..8usize, 0..8usize).prop_map(|(a, b)| Edit::Swap(a, b)),
        (0..8usize).prop_map(Edit::Delete),
        Just(Edit::Add),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the edits: the bytes outside the block are identical, the
    /// block's own comments and those of every remaining item survive, and
    /// the file reads back as exactly the edited list.
    #[test]
    fn edits_keep_comments_and_the_rest_of_the_file(n in 1usize..5, edits in proptest::collection::vec(edit(), 0..6)) {
        let dir = tmp();
        let text = format!("{HEAD}{}{TAIL}", block(n));
        let path = put(dir.path(), "r.yaml", &text);
        let mut set = load(&path);
        // Which original item each entry is (None for an added one).
        let mut ids: Vec<Option<usize>> = (0..n).map(Some).collect();
        let mut added = 0;
        for e in &edits {
            let list = &mut set.rules[0].exclusions;
            let len = list.len();
            match e.clone() {
                Edit::Toggle(i) if i < len => list[i].enabled = !list[i].enabled,
                Edit::Filter(i, f) if i < len => list[i].filter = Some(f),
                Edit::Rename(i) if i < len => list[i].name = format!("{} renamed", list[i].name),
                Edit::Swap(a, b) if a < len && b < len => {
                    list.swap(a, b);
                    ids.swap(a, b);
                }
                Edit::Delete(i) if i < len => {
                    list.remove(i);
                    ids.remove(i);
                }
                Edit::Add => {
                    added += 1;
                    let mut x = Exclusion::new(format!("new {added}"));
                    x.filter = Some("FileName == 'new'".into());
                    set.rules[0].push_exclusion(x);
                    ids.push(None);
                }
                _ => {}
            }
        }
        let intended = set.rules[0].exclusions.clone();
        set.save_rule(0).unwrap();
        let after = std::fs::read_to_string(&path).unwrap();
        // Deleting every item leaves `exclusions: []` with the list's own comments.
        let header = if intended.is_empty() { "exclusions: []   # tuned by the SOC\n" } else { "exclusions:   # tuned by the SOC\n" };
        prop_assert!(after.starts_with(&format!("{HEAD}{header}")), "{}", after);
        prop_assert!(after.ends_with(TAIL), "{}", after);
        prop_assert!(after.contains("  # --- section: build servers ---\n"), "{}", after);
        prop_assert!(after.contains("  # tail of the block\n"), "{}", after);
        for k in ids.iter().flatten() {
            prop_assert!(after.contains(&format!("  # note {k}: ticket INC-{k}\n  - name: e{k}")), "item {} lost its comment:\n{}", k, after);
            prop_assert!(after.contains(&format!("    # why {k}\n")), "{}", after);
        }
        let back = load(&path);
        let got = &back.rules[0].exclusions;
        prop_assert_eq!(got.len(), intended.len());
        prop_assert!(got.iter().zip(&intended).all(|(a, b)| a.same_entry(b)), "{}", after);
        if edits.is_empty() {
            prop_assert_eq!(after, text);
        }
    }
}

/// Deleting the only exclusion keeps the list's own comments (proptest found
/// that they went with it, seed cc e741e84e…).
#[test]
fn deleting_the_last_exclusion_keeps_the_lists_comments() {
    let dir = tmp();
    let text = format!("{HEAD}{}{TAIL}", block(1));
    let path = put(dir.path(), "r.yaml", &text);
    let mut set = load(&path);
    set.rules[0].exclusions.remove(0);
    set.save_rule(0).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    let want = format!(
        "{HEAD}exclusions: []   # tuned by the SOC\n  # --- section: build servers ---\n\n  # tail of the block\n{TAIL}"
    );
    assert_eq!(after, want);
    assert!(load(&path).rules[0].exclusions.is_empty());
}

/// A rule file with Windows line endings (as many Sentinel rules edited on
/// Windows are) keeps them: only the edited line changes, and no LF-only
/// line appears in it.
#[test]
fn a_crlf_file_keeps_its_line_endings_and_every_other_byte() {
    let dir = tmp();
    let text = format!("\u{feff}{HEAD}{}{TAIL}", block(2)).replace('\n', "\r\n");
    let path = put(dir.path(), "r.yaml", &text);
    let mut set = load(&path);
    set.rules[0].exclusions[1].enabled = true;
    let mut x = Exclusion::new("added");
    x.filter = Some("FileName == 'new'".into());
    set.rules[0].push_exclusion(x);
    set.save_rule(0).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    let edited = "  - name: e1   # name 1\r\n    # why 1\r\n    filter: FileName == 'f1'\r\n    enabled: true\r\n";
    let added = "  - name: added\r\n    filter: 'FileName == ''new'''\r\n    enabled: false\r\n";
    let want = text
        .replace(&edited.replace("true", "false"), edited)
        .replace("  # tail of the block\r\n", &format!("{added}  # tail of the block\r\n"));
    assert_eq!(after, want);
    let back = load(&path);
    assert_eq!(back.rules[0].exclusions.len(), 3);
}
