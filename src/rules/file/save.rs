//! Saving exclusions: rewrite only one top-level block of a file (`exclusions:`
//! in a rule file, the rule's id in an overlay file); every other byte stays.
//!
//! Safety, in order: the file must be byte-identical to what was loaded (its
//! [`Stamp`]), else nothing is written; the rewritten text must parse and
//! agree with the old one on every other key and carry exactly the new
//! entries; then it goes to a temporary file in the same directory, is
//! fsynced and renamed over the original, so a reader sees the old file or
//! the new one, never a part.

use std::fs;
use std::hash::Hasher as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value as Json;

use super::{emit, keep};
use crate::rules::error::RulesError;
use crate::rules::exclusion::{self, Exclusion, Origin};
use crate::rules::layout;
use crate::rules::yaml;

/// A fingerprint of a file's content as loaded: length and a 64-bit hash.
/// Content, not mtime, so a `touch` is no conflict but any edit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    hash: u64,
}

impl Stamp {
    /// The stamp of some content.
    pub fn of(bytes: &[u8]) -> Stamp {
        // SipHash with fixed keys: the same within and across runs of one build.
        let mut h = std::hash::DefaultHasher::new();
        h.write(bytes);
        Stamp { len: bytes.len() as u64, hash: h.finish() }
    }
}

/// `text` with the block of top-level `key` replaced by `block` (which ends
/// in a newline), or `block` appended when the key is absent. Nothing outside
/// the block changes; a missing final newline is added before an appended block.
pub fn replace_block(text: &str, key: &str, block: &str) -> String {
    let blocks = layout::top_level_keys(text);
    match layout::find_key(&blocks, key) {
        Some(b) => {
            let mut out = String::with_capacity(text.len() + block.len());
            out.push_str(&text[..b.start]);
            out.push_str(block);
            // A block that ran to the end of a file without a final newline:
            // keep the file's style of ending without one.
            let tail = &text[b.end..];
            if b.end == text.len() && !text.ends_with('\n') {
                out.pop();
            }
            out.push_str(tail);
            out
        }
        None => {
            let mut out = text.to_string();
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(block);
            out
        }
    }
}

/// Rewrites the block of `key` in the file at `path` to hold `entries`,
/// atomically, provided the file still matches `loaded`. `origin` tells how
/// the entries are read back for the check (rule file or overlay). Returns the
/// file's new text.
pub fn save_block(
    path: &Path,
    key: &str,
    entries: &[&Exclusion],
    origin: &Origin,
    loaded: Stamp,
) -> Result<String, RulesError> {
    let bytes = fs::read(path).map_err(|e| RulesError::io(path, e))?;
    if Stamp::of(&bytes) != loaded {
        return Err(RulesError::Changed { path: path.to_path_buf() });
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| RulesError::Unsaveable { path: path.to_path_buf(), reason: "not UTF-8".into() })?;
    let new_text = rewrite(path, &text, key, entries, origin)?;
    write_atomic_with(path, |f| f.write_all(new_text.as_bytes()))?;
    Ok(new_text)
}

/// `text` (of the file named `path`) with the block of `key` rewritten to
/// hold `entries`, checked as a save checks it: every other key keeps its
/// value and order, and the entries read back the same. Writes nothing.
pub fn rewrite(
    path: &Path,
    text: &str,
    key: &str,
    entries: &[&Exclusion],
    origin: &Origin,
) -> Result<String, RulesError> {
    // A file with Windows line endings throughout is edited as LF and written
    // back as CRLF, so new lines match the old and kept ones stay byte for
    // byte. A file that mixes both is edited as it is.
    if text.contains("\r\n") && !text.replace("\r\n", "").contains('\n') {
        let lf = text.replace("\r\n", "\n");
        return rewrite_lf(path, &lf, key, entries, origin).map(|t| t.replace('\n', "\r\n"));
    }
    rewrite_lf(path, text, key, entries, origin)
}

/// [`rewrite`] of a text whose line breaks are all `\n` (or mixed).
fn rewrite_lf(
    path: &Path,
    text: &str,
    key: &str,
    entries: &[&Exclusion],
    origin: &Origin,
) -> Result<String, RulesError> {
    let unsaveable = |reason: &str| RulesError::Unsaveable { path: path.to_path_buf(), reason: reason.to_string() };
    let old = yaml::parse(text).map_err(|e| RulesError::invalid(path, e.line, e.column, e.message))?;
    let old = match old {
        Json::Object(m) => m,
        Json::Null => serde_json::Map::new(),
        _ => return Err(unsaveable("the document is not a mapping")),
    };
    let found: Vec<String> = layout::top_level_keys(text).into_iter().map(|b| b.key).collect();
    if found.iter().collect::<Vec<_>>() != old.keys().collect::<Vec<_>>() {
        return Err(unsaveable("its top-level keys are not laid out one per line at column 0"));
    }
    // Keep the block's comments and unchanged entries where the old block
    // can be read that way; else (or if that text would not check out)
    // write the block fresh.
    if let Some(kept) = keep::block(text, key, entries, origin) {
        let new_text = replace_block(text, key, &kept);
        if verify(&new_text, &old, key, entries, origin).is_ok() {
            return Ok(new_text);
        }
    }
    let new_text = replace_block(text, key, &emit::exclusion_block(key, entries));
    verify(&new_text, &old, key, entries, origin).map_err(|r| unsaveable(&r))?;
    Ok(new_text)
}

/// Checks that `new_text` parses, keeps every other key's value and order,
/// and holds exactly `entries` under `key`.
fn verify(
    new_text: &str,
    old: &serde_json::Map<String, Json>,
    key: &str,
    entries: &[&Exclusion],
    origin: &Origin,
) -> Result<(), String> {
    let Ok(Json::Object(mut new)) = yaml::parse(new_text) else {
        return Err("the rewritten file would not parse".into());
    };
    let value = new.shift_remove(key).unwrap_or(Json::Null);
    let mut rest = old.clone();
    rest.shift_remove(key);
    if new != rest || !new.keys().eq(rest.keys()) {
        return Err("the rewrite would change other keys".into());
    }
    let at = layout::FilePos { offset: 0, line: 1, column: 1 };
    let back = exclusion::parse_list(&value, &[], at, origin).map_err(|e| e.to_string())?;
    if back.len() != entries.len() || !back.iter().zip(entries).all(|(a, b)| a.same_entry(b)) {
        return Err("the written entries would not read back the same".into());
    }
    Ok(())
}

/// Writes a file atomically: `write` fills a new temporary file in the same
/// directory (same file system, so the rename is atomic), which is fsynced,
/// given the original's permissions and renamed over `path`. On any error the
/// temporary file is removed and `path` is untouched.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut fs::File) -> std::io::Result<()>,
) -> Result<(), RulesError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.kqlhunt-tmp-{}-{n}", std::process::id()));
    let result = (|| {
        let mut f = fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        write(&mut f)?;
        f.sync_all()?;
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        drop(f);
        fs::rename(&tmp, path)?;
        // Make the rename itself durable; not every platform can open a directory.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&tmp);
        RulesError::io(path, e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_keeps_everything_else() {
        let text = "a: 1 # c\nexclusions:\n- name: x\n# next\nb: 2";
        let out = replace_block(text, "exclusions", "exclusions: []\n");
        assert_eq!(out, "a: 1 # c\nexclusions: []\n# next\nb: 2");
    }

    #[test]
    fn append_when_absent() {
        assert_eq!(replace_block("a: 1", "exclusions", "exclusions: []\n"), "a: 1\nexclusions: []\n");
        assert_eq!(replace_block("a: 1\n", "exclusions", "exclusions: []\n"), "a: 1\nexclusions: []\n");
    }

    #[test]
    fn last_block_without_final_newline() {
        let out = replace_block("a: 1\nexclusions:\n- name: x", "exclusions", "exclusions: []\n");
        assert_eq!(out, "a: 1\nexclusions: []");
    }
}
