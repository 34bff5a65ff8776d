//! The Sentinel rule model. Any hunting or analytic rule YAML from the public
//! Azure-Sentinel repository loads as is: the keys kqlhunt uses are read into
//! fields, every other key is kept in [`Rule::extra`], in file order.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};

use super::error::RulesError;
use super::exclusion::{self, Exclusion, Origin};
use super::layout::{self, FilePos, ScalarAt};
use super::yaml;

/// Keys read into [`Rule`] fields rather than kept in [`Rule::extra`].
const MODELLED: [&str; 8] =
    ["id", "name", "description", "tactics", "relevantTechniques", "severity", "query", "exclusions"];

/// One loaded rule.
#[derive(Clone, Debug)]
pub struct Rule {
    /// The file it came from.
    pub path: PathBuf,
    /// The rule's `id` (Sentinel rules have a GUID; overlays key on it).
    pub id: Option<String>,
    /// The rule's `name`, or the file stem when it has none.
    pub name: String,
    /// The rule's `description` (may be several lines).
    pub description: String,
    /// MITRE tactics (`tactics:` as a list or a comma-separated string).
    pub tactics: Vec<String>,
    /// MITRE techniques (`relevantTechniques:` as a list or a string).
    pub techniques: Vec<String>,
    /// `severity`, when present (analytic rules have one, hunting rules rarely).
    pub severity: Option<String>,
    /// The KQL query text, as YAML delivers it.
    pub query: String,
    /// Where the query text starts in the file and how it is written.
    pub query_at: Option<ScalarAt>,
    /// Tables named in `requiredDataConnectors[].dataTypes`, in order, deduplicated.
    pub source_tables: Vec<String>,
    /// The effective exclusions: the file's own, then the overlay's (see `overlay`).
    pub exclusions: Vec<Exclusion>,
    /// The file's own entries that an overlay entry of the same name replaced,
    /// with their index in the file's list; kept so saving the file keeps them.
    pub shadowed: Vec<(usize, Exclusion)>,
    /// Every other top-level key, in file order.
    pub extra: Map<String, Json>,
    /// The file's text as loaded, for mapping positions (after repairs,
    /// which keep every line where it was).
    pub text: String,
    /// The repairs needed to load the file (empty for a valid file).
    pub repairs: Vec<Repair>,
}

impl Rule {
    /// The file position of byte `offset` of [`Rule::query`] (exact for `|`
    /// blocks and one-line values; else where the query starts).
    pub fn query_pos(&self, offset: usize) -> FilePos {
        match &self.query_at {
            Some(at) => at.map(&self.text, &self.query, offset),
            None => FilePos { offset: 0, line: 1, column: 1 },
        }
    }

    /// The exclusions that still need a KQL filter.
    pub fn needing_filter(&self) -> impl Iterator<Item = &Exclusion> {
        self.exclusions.iter().filter(|e| e.needs_filter())
    }

    /// Adds a new exclusion (it will be saved into the rule file).
    pub fn push_exclusion(&mut self, mut e: Exclusion) {
        e.origin = None;
        e.filter_at = None;
        self.exclusions.push(e);
    }
}

/// What a YAML file turned out to be.
#[derive(Clone, Debug)]
pub enum Parsed {
    /// A rule.
    Rule(Box<Rule>),
    /// Valid YAML that is not a rule; the reason says what it is.
    NotARule(String),
}

/// Reads rule YAML `text` loaded from `path`.
pub fn parse_rule(path: &Path, text: &str) -> Result<Parsed, RulesError> {
    let doc = yaml::parse(text).map_err(|e| RulesError::yaml(path, &e))?;
    let Json::Object(mut map) = doc else {
        return Ok(Parsed::NotARule("not a YAML mapping".into()));
    };
    if !map.contains_key("query") {
        let why = if map.contains_key("fieldmap") { "a kqlhunt field map" } else { "no `query` key" };
        return Ok(Parsed::NotARule(why.into()));
    }
    let blocks = layout::top_level_keys(text);
    let key_pos = |key: &str| {
        layout::find_key(&blocks, key).map(|b| FilePos::at(text, b.start)).unwrap_or(FilePos {
            offset: 0,
            line: 1,
            column: 1,
        })
    };
    let query = match map.shift_remove("query") {
        Some(Json::String(q)) if !q.trim().is_empty() => q,
        _ => {
            let p = key_pos("query");
            return Err(RulesError::invalid(path, p.line, p.column, "`query` must be non-empty text"));
        }
    };
    let query_at = layout::find_key(&blocks, "query").and_then(|b| layout::scalar_at(text, b.value_start));
    let exclusions = match map.shift_remove("exclusions") {
        None => Vec::new(),
        Some(v) => {
            let block = layout::find_key(&blocks, "exclusions");
            let items = block.map(|b| layout::sequence_items(text, b)).unwrap_or_default();
            exclusion::parse_list(&v, &items, key_pos("exclusions"), &Origin::RuleFile(path.to_path_buf()))?
        }
    };
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let rule = Rule {
        path: path.to_path_buf(),
        id: map.shift_remove("id").and_then(scalar_text),
        name: map.shift_remove("name").and_then(scalar_text).unwrap_or(stem),
        description: map.shift_remove("description").and_then(scalar_text).unwrap_or_default(),
        tactics: map.shift_remove("tactics").map(text_list).unwrap_or_default(),
        techniques: map.shift_remove("relevantTechniques").map(text_list).unwrap_or_default(),
        severity: map.shift_remove("severity").and_then(scalar_text),
        query,
        query_at,
        source_tables: source_tables(map.get("requiredDataConnectors")),
        exclusions,
        shadowed: Vec::new(),
        extra: map,
        text: text.to_string(),
        repairs: Vec::new(),
    };
    debug_assert!(MODELLED.iter().all(|k| !rule.extra.contains_key(*k)));
    Ok(Parsed::Rule(Box::new(rule)))
}

fn scalar_text(v: Json) -> Option<String> {
    match v {
        Json::String(s) => Some(s),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A list of texts from a YAML list or a comma-separated string.
fn text_list(v: Json) -> Vec<String> {
    let items: Vec<String> = match v {
        Json::Array(items) => items.into_iter().filter_map(scalar_text).collect(),
        other => scalar_text(other).map(|s| s.split(',').map(str::to_string).collect()).unwrap_or_default(),
    };
    items.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

fn source_tables(connectors: Option<&Json>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(Json::Array(connectors)) = connectors else { return out };
    for c in connectors {
        if let Some(types) = c.get("dataTypes").cloned() {
            for t in text_list(types) {
                if !out.contains(&t) {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// What kind of mistake a repair undid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RepairKind {
    /// A mapping key at the indentation of its list item's `-`.
    ItemKeyIndent,
    /// Tabs in indentation.
    TabIndent,
    /// A block scalar with lines less indented than its first line.
    BlockIndent,
}

impl RepairKind {
    /// A stable short code, for JSON output and filtering.
    pub fn code(self) -> &'static str {
        match self {
            RepairKind::ItemKeyIndent => "repair-item-indent",
            RepairKind::TabIndent => "repair-tabs",
            RepairKind::BlockIndent => "repair-block-indent",
        }
    }
}

/// One repair applied to a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repair {
    /// The kind.
    pub kind: RepairKind,
    /// The first line changed (1-based).
    pub line: usize,
    /// Every line changed (1-based, ascending).
    pub lines: Vec<usize>,
    /// What was wrong and what was done, in words.
    pub message: String,
}
