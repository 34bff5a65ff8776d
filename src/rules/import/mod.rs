//! `kqlhunt import`: rule-catalogue text (the seeds' format) → rule YAML.
//!
//! The catalogue holds, in order: a description; `KQL Query` and the query;
//! the rule's Sentinel YAML with its indentation lost; optionally a
//! `| Sentinel Table | Notes |` table; then false-positive scenarios as
//! `Scenario:` / `Description:` / `Filter/Exclusion:` lines.
//!
//! The output is the Sentinel YAML re-indented ([`reindent`]), with the query
//! taken verbatim from the `KQL Query` section, and the scenarios appended as
//! `exclusions:` (all disabled): the filter translated by
//! [`self::translate`] when it can be, else kept as prose, "needs a filter".
//!
//! Exclusion texts: `name` is the scenario, cut at a word boundary to
//! [`NAME_MAX`] characters when longer (`...` marks the cut); `description`
//! is the scenario's `Description:`, else the full scenario when the name was
//! cut, else the prose filter; `source` is the filter as written.

pub mod fieldmap;
pub mod pseudo;
pub mod reindent;
pub mod translate;

use std::path::Path;

use self::fieldmap::FieldMap;
use crate::rules::error::RulesError;
use crate::rules::exclusion::Exclusion;
use crate::rules::file::emit;
use crate::rules::rule::{Parsed, Rule, parse_rule};

/// Longest exclusion name taken from a scenario, in characters.
pub const NAME_MAX: usize = 60;

/// One false-positive scenario of the catalogue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scenario {
    /// The `Scenario:` text.
    pub title: String,
    /// The `Description:` text.
    pub description: Option<String>,
    /// The `Filter/Exclusion:` text.
    pub filter: Option<String>,
}

/// A catalogue entry split into its sections.
#[derive(Clone, Debug, Default)]
pub struct Catalogue<'a> {
    /// The opening description.
    pub summary: String,
    /// The query lines of the `KQL Query` section.
    pub query: Vec<&'a str>,
    /// The flattened YAML lines, and the 0-based line index of the first.
    pub yaml: (Vec<&'a str>, usize),
    /// Tables of the `| Sentinel Table |` section.
    pub tables: Vec<String>,
    /// The scenarios.
    pub scenarios: Vec<Scenario>,
}

/// A converted rule.
#[derive(Clone, Debug)]
pub struct Imported {
    /// Suggested file name (`<slug of the rule name>.yaml`).
    pub file_name: String,
    /// The rule YAML.
    pub yaml: String,
    /// The rule as it loads back.
    pub rule: Rule,
    /// Things the reviewer should know (untranslated filters, mismatches).
    pub notes: Vec<String>,
}

const SCENARIO: &str = "Scenario:";
const DESCRIPTION: &str = "Description:";
const FILTER: &str = "Filter/Exclusion:";

/// Splits catalogue `text` into its sections.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Catalogue<'a>, RulesError> {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let bad = |i: usize, msg: &str| RulesError::invalid(path, i + 1, 1, msg);
    let k = lines.iter().position(|l| l.trim() == "KQL Query").ok_or_else(|| bad(0, "no `KQL Query` line"))?;
    let y = (k + 1..lines.len())
        .find(|&i| reindent::is_top_key(lines[i]) && (lines[i].starts_with("id:") || lines[i].starts_with("name:")))
        .ok_or_else(|| bad(k, "no rule YAML (an `id:` line) after the query"))?;
    let end = (y..lines.len())
        .find(|&i| lines[i].starts_with("| Sentinel Table") || lines[i].starts_with(SCENARIO))
        .unwrap_or(lines.len());
    let mut query: Vec<&str> = lines[k + 1..y].to_vec();
    while query.last().is_some_and(|l| l.trim().is_empty()) {
        query.pop();
    }
    let mut cat = Catalogue {
        summary: lines[..k].join("\n").trim().to_string(),
        query,
        yaml: (lines[y..end].to_vec(), y),
        ..Catalogue::default()
    };
    let mut i = end;
    if lines.get(i).is_some_and(|l| l.starts_with("| Sentinel Table")) {
        i += 1;
        while i < lines.len() && !lines[i].starts_with(SCENARIO) {
            let cell = lines[i].split('|').map(str::trim).find(|c| !c.is_empty()).unwrap_or("");
            if !cell.is_empty() && !cell.starts_with("---") {
                cat.tables.push(cell.to_string());
            }
            i += 1;
        }
    }
    for (j, line) in lines.iter().enumerate().skip(i) {
        let line = line.trim();
        if let Some(t) = line.strip_prefix(SCENARIO) {
            cat.scenarios.push(Scenario { title: t.trim().to_string(), ..Scenario::default() });
            continue;
        }
        let Some(s) = cat.scenarios.last_mut() else {
            return Err(bad(j, "expected `Scenario:`"));
        };
        if let Some(d) = line.strip_prefix(DESCRIPTION) {
            s.description = Some(d.trim().to_string());
        } else if let Some(f) = line.strip_prefix(FILTER) {
            s.filter = Some(f.trim().to_string());
        } else if !line.is_empty() {
            // A wrapped line continues the field above it.
            let field = s.filter.as_mut().or(s.description.as_mut()).unwrap_or(&mut s.title);
            field.push(' ');
            field.push_str(line);
        }
    }
    Ok(cat)
}

/// Converts catalogue `text` (read from `path`) into rule YAML.
pub fn import(path: &Path, text: &str, map: &FieldMap) -> Result<Imported, RulesError> {
    let cat = split(path, text)?;
    let (yaml_lines, first) = &cat.yaml;
    let body = reindent::reindent(yaml_lines, &cat.query)
        .map_err(|(i, msg)| RulesError::invalid(path, first + i + 1, 1, msg))?;
    let source = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut notes = Vec::new();

    // Read the rule part back first: the table and the names come from it.
    let Parsed::Rule(rule) = parse_rule(path, &body).map_err(|e| relocate(e, path, *first))? else {
        return Err(RulesError::invalid(path, first + 1, 1, "the rule YAML has no query"));
    };
    let table = rule.source_tables.first().or(cat.tables.first()).cloned().unwrap_or_default();
    for t in &cat.tables {
        if !rule.source_tables.contains(t) {
            notes.push(format!("table {t} is listed in the catalogue but not in requiredDataConnectors"));
        }
    }
    let exclusions = scenarios_to_exclusions(&cat.scenarios, &table, map);
    for e in exclusions.iter().filter(|e| e.needs_filter()) {
        notes.push(format!("exclusion '{}' {}", e.name, e.note.as_deref().unwrap_or("needs a filter")));
    }

    let mut yaml = header(&source, &cat.summary, exclusions.iter().any(|e| !e.needs_filter()));
    yaml.push_str(&body);
    if !exclusions.is_empty() {
        yaml.push_str(&emit::exclusion_block("exclusions", &exclusions.iter().collect::<Vec<_>>()));
    }
    let Parsed::Rule(rule) = parse_rule(path, &yaml)? else {
        return Err(RulesError::invalid(path, 1, 1, "the converted YAML has no query"));
    };
    if rule.query.trim_end() != cat.query.join("\n").trim_end() {
        return Err(RulesError::invalid(path, 1, 1, "the converted query does not read back verbatim"));
    }
    let stem = rule.id.as_deref().map(slug).filter(|s| !s.is_empty());
    let stem = Some(slug(&rule.name)).filter(|s| !s.is_empty()).or(stem).unwrap_or_else(|| slug(&source));
    Ok(Imported { file_name: format!("{stem}.yaml"), yaml, rule: *rule, notes })
}

/// Shifts a YAML error in the re-indented text to the catalogue's line
/// numbering, approximately: re-indenting keeps one output line per input line.
fn relocate(e: RulesError, path: &Path, first: usize) -> RulesError {
    match e {
        RulesError::Invalid { kind, line, column, message, .. } => {
            RulesError::positioned(kind, path, line + first, column, format!("in the rule YAML: {message}"))
        }
        other => other,
    }
}

fn scenarios_to_exclusions(scenarios: &[Scenario], table: &str, map: &FieldMap) -> Vec<Exclusion> {
    let mut out: Vec<Exclusion> = Vec::with_capacity(scenarios.len());
    for s in scenarios {
        let (mut name, cut) = shorten(&s.title);
        let base = name.clone();
        let mut n = 2;
        while out.iter().any(|e| e.name == name) {
            name = format!("{base} ({n})");
            n += 1;
        }
        let source = s.filter.as_deref().unwrap_or("");
        let mut e = translate::exclusion(&name, None, source, table, map);
        if s.filter.is_none() {
            e.source = None;
            e.note = Some("needs a filter: the catalogue gives none".into());
        }
        e.description = s
            .description
            .clone()
            .or_else(|| cut.then(|| s.title.clone()))
            .or_else(|| if e.needs_filter() { s.filter.clone() } else { None });
        out.push(e);
    }
    out
}

/// `title` cut to [`NAME_MAX`] characters at a word boundary, and whether it was cut.
pub fn shorten(title: &str) -> (String, bool) {
    let title = title.trim().trim_end_matches('.');
    if title.chars().count() <= NAME_MAX {
        return (title.to_string(), false);
    }
    let limit = title.char_indices().nth(NAME_MAX - 3).map(|(i, _)| i).unwrap_or(title.len());
    let cut = title[..limit].rfind(' ').unwrap_or(limit);
    let head = title[..cut].trim_end_matches([',', ';', ':', ' ', '-']);
    (format!("{head}..."), true)
}

/// A lowercase file-name stem: letters and digits, runs of anything else as one `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The comment header: where the rule came from, the catalogue's summary,
/// and how filters were translated when any were.
fn header(source: &str, summary: &str, translated: bool) -> String {
    let mut out = format!("# Imported by `kqlhunt import` from the rule catalogue ({source}).\n#\n");
    for line in wrap(summary, 78) {
        out.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
    }
    if translated {
        out.push_str("#\n# Exclusion filters are translated from the catalogue's pseudo-filters (kept in\n");
        out.push_str("# `source`): == became =~ and != became !~ (case-insensitive), LIKE became\n");
        out.push_str("# contains/startswith/endswith. They are faithful, not corrected: review impact.\n");
    }
    out
}

/// Greedy word wrap; paragraph breaks stay.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_at_words() {
        let (n, cut) =
            shorten("A system administrator is using Microsoft SCCM to push out a software update via a task.");
        assert!(cut);
        assert_eq!(n, "A system administrator is using Microsoft SCCM to push...");
        assert!(n.chars().count() <= NAME_MAX);
        assert_eq!(shorten("Short one."), ("Short one".to_string(), false));
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Remote Management - LiteManager - Create Process"),
            "remote-management-litemanager-create-process"
        );
    }
}
