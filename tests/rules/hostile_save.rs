//! Saving rules when the file system says no: a read-only folder, and a rule
//! file deleted since it was loaded. The original stays intact and the error
//! says what happened. (A full disk is `save.rs`'s
//! `failed_write_leaves_the_original_and_no_partial_file`; a file changed on
//! disk is its `refuses_when_the_file_changed_on_disk`.)

use std::os::unix::fs::PermissionsExt;

use crate::common::{HUNTING, put, tmp};
use kqlhunt::rules::{Exclusion, RuleSet};

fn with_new_exclusion(path: &std::path::Path) -> RuleSet {
    let mut set = RuleSet::load(&[path.to_path_buf()], None);
    assert_eq!(set.rules.len(), 1, "{:?}", set.problems);
    set.rules[0].push_exclusion(Exclusion::new("added"));
    set
}

/// As root, a read-only folder does not stop writes; the test then checks
/// that the save succeeds, and says so.
#[test]
fn a_read_only_folder_refuses_the_save_and_keeps_the_original() {
    let dir = tmp();
    let sub = dir.path().join("ro");
    let path = put(&sub, "r.yaml", HUNTING);
    let mut set = with_new_exclusion(&path);
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o555)).unwrap();
    let bypass = std::fs::File::create(sub.join("probe")).is_ok();
    let result = set.save_rule(0);
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    if bypass {
        eprintln!("note: running with permission bypass (root): a read-only folder cannot be tested here");
        assert!(result.is_ok(), "{result:?}");
        return;
    }
    let err = result.unwrap_err().to_string();
    assert!(err.contains("r.yaml") && err.to_lowercase().contains("permission"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), HUNTING);
    assert_eq!(std::fs::read_dir(&sub).unwrap().count(), 1, "temp file left behind");
}

#[test]
fn a_rule_file_deleted_since_it_was_loaded_is_not_recreated() {
    let dir = tmp();
    let path = put(dir.path(), "r.yaml", HUNTING);
    let mut set = with_new_exclusion(&path);
    std::fs::remove_file(&path).unwrap();
    let err = set.save_rule(0).unwrap_err().to_string();
    assert!(err.contains("r.yaml"), "{err}");
    assert!(!path.exists(), "save recreated a deleted rule file");
}
