//! False-positive exclusions: our one extension to Sentinel rule YAML, an
//! optional top-level `exclusions:` list (or an overlay file's entry).
//!
//! ```yaml
//! exclusions:
//!   - name: Scheduled job execution by LiteManager
//!     description: A legitimate scheduled job ...
//!     filter: InitiatingProcessFileName !~ "LiteManager" or ProcessCommandLine contains "scheduled_task"
//!     source: 'process.parent_process_name != "LiteManager" OR process.command_line contains "scheduled_task"'
//!     enabled: false
//! ```
//!
//! Entry keys are checked strictly (a typo such as `filtr:` would otherwise
//! silently turn an exclusion into one that "needs a filter").

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::error::{InvalidKind, RulesError};
use super::layout::{FilePos, ItemAt, ScalarAt};

/// The keys an exclusion entry may have, in the order the writer emits them.
pub const ENTRY_KEYS: [&str; 6] = ["name", "description", "filter", "source", "note", "enabled"];

/// Which file an exclusion was loaded from, so saving writes it back there.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The rule file's own `exclusions:` block.
    RuleFile(PathBuf),
    /// An overlay file (`--exclusions-file`), under the rule's id.
    Overlay(PathBuf),
}

impl Origin {
    /// The file.
    pub fn path(&self) -> &Path {
        match self {
            Origin::RuleFile(p) | Origin::Overlay(p) => p,
        }
    }
}

/// One exclusion: a KQL boolean filter over the rule's source table; a hit
/// row for which it is true is excluded while the exclusion is enabled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exclusion {
    /// Unique within a rule; the overlay merge matches on it.
    pub name: String,
    /// Why the exclusion exists.
    pub description: Option<String>,
    /// The KQL boolean expression; `None` = only prose, "needs a filter".
    pub filter: Option<String>,
    /// The catalogue's pseudo-filter as written, if imported.
    pub source: Option<String>,
    /// A remark for the reviewer, e.g. why no filter could be derived.
    pub note: Option<String>,
    /// Active in saved state (default false).
    pub enabled: bool,
    /// The file it was loaded from; `None` for a new, never-saved entry
    /// (saving puts it into the rule file).
    pub origin: Option<Origin>,
    /// Where the `filter:` value starts in its file, when known, so problems
    /// in the filter can be reported at file:line:col.
    pub filter_at: Option<ScalarAt>,
}

impl Exclusion {
    /// A new, disabled exclusion with only a name.
    pub fn new(name: impl Into<String>) -> Exclusion {
        Exclusion {
            name: name.into(),
            description: None,
            filter: None,
            source: None,
            note: None,
            enabled: false,
            origin: None,
            filter_at: None,
        }
    }

    /// True when there is no usable KQL filter yet (only prose).
    pub fn needs_filter(&self) -> bool {
        self.filter.as_deref().is_none_or(|f| f.trim().is_empty())
    }

    /// The same entry data (name, texts, enabled), ignoring where it came from.
    pub fn same_entry(&self, other: &Exclusion) -> bool {
        self.name == other.name
            && self.description == other.description
            && self.filter == other.filter
            && self.source == other.source
            && self.note == other.note
            && self.enabled == other.enabled
    }
}

/// Reads the entries of an exclusion list value. `items` are the positions of
/// the list's items in the file (may be shorter, e.g. for flow lists); `at` is
/// the position of the list's key, for errors about the list itself.
pub fn parse_list(value: &Json, items: &[ItemAt], at: FilePos, origin: &Origin) -> Result<Vec<Exclusion>, RulesError> {
    let path = origin.path();
    let list = match value {
        Json::Null => return Ok(Vec::new()),
        Json::Array(list) => list,
        _ => return Err(RulesError::invalid(path, at.line, at.column, "exclusions must be a list of entries")),
    };
    let mut out: Vec<Exclusion> = Vec::with_capacity(list.len());
    for (i, entry) in list.iter().enumerate() {
        let pos = items.get(i).map(|it| it.dash).unwrap_or(at);
        let bad = |msg: String| RulesError::invalid(path, pos.line, pos.column, msg);
        let Json::Object(map) = entry else {
            return Err(bad(format!("exclusion #{} must be a mapping with name/filter/...", i + 1)));
        };
        if let Some(k) = map.keys().find(|k| !ENTRY_KEYS.contains(&k.as_str())) {
            return Err(bad(format!("unknown key '{k}' in exclusion; expected one of {}", ENTRY_KEYS.join(", "))));
        }
        let text = |key: &str| -> Result<Option<String>, RulesError> {
            match map.get(key) {
                None | Some(Json::Null) => Ok(None),
                Some(Json::String(s)) => Ok(Some(s.clone())),
                Some(Json::Number(n)) => Ok(Some(n.to_string())),
                Some(Json::Bool(b)) => Ok(Some(b.to_string())),
                Some(_) => Err(bad(format!("exclusion key '{key}' must be text"))),
            }
        };
        let name = text("name")?.filter(|n| !n.trim().is_empty());
        let Some(name) = name else {
            return Err(bad(format!("exclusion #{} has no name", i + 1)));
        };
        if out.iter().any(|e| e.name == name) {
            let msg = format!("duplicate exclusion name '{name}'");
            return Err(RulesError::positioned(InvalidKind::DuplicateExclusion, path, pos.line, pos.column, msg));
        }
        let enabled = match map.get("enabled") {
            None | Some(Json::Null) => false,
            Some(Json::Bool(b)) => *b,
            Some(_) => return Err(bad("exclusion key 'enabled' must be true or false".into())),
        };
        out.push(Exclusion {
            name,
            description: text("description")?,
            filter: text("filter")?,
            source: text("source")?,
            note: text("note")?,
            enabled,
            origin: Some(origin.clone()),
            filter_at: items.get(i).and_then(|it| it.filter),
        });
    }
    Ok(out)
}
