//! Tolerant loading: safe repairs of common Sentinel-YAML mistakes.
//!
//! A rule file is parsed strictly first. Only when that fails does the loader
//! call [`repair`], which looks for mistakes it can undo without guessing:
//!
//! - a mapping key at the indentation of its list item's `-` (`dataTypes:`
//!   under a `requiredDataConnectors` item, as every rule of the public RMM
//!   catalogue has it): it belongs inside the item, so it moves there;
//! - tabs used for indentation (YAML forbids them): expanded to spaces, at a
//!   tab width that gives the only reading of the file;
//! - a top-level `key: |` block (the query) with lines less indented than its
//!   first line, which ends the block early: they are indented like the first.
//!
//! Every repair keeps the number of lines and their endings (`\r\n` stays),
//! changes only leading whitespace of the lines it names, and must leave a
//! file that parses; otherwise nothing is repaired. The rule records what
//! was done ([`Repair`]), so nothing is guessed silently.

mod lines;

use serde_json::Value as Json;

use crate::rules::error::RulesError;
use std::path::Path;

use crate::rules::file::save::write_atomic_with;
use crate::rules::rule::{Parsed, Rule, parse_rule};
pub use crate::rules::rule::{Repair, RepairKind};
use crate::rules::yaml;

/// The result of trying to repair a file that does not parse.
#[derive(Clone, Debug, PartialEq)]
pub enum Attempt {
    /// No known mistake was found.
    NothingToRepair,
    /// The repaired text parses; the repairs made, in line order.
    Repaired {
        /// The whole repaired text.
        text: String,
        /// What was changed.
        repairs: Vec<Repair>,
    },
    /// Known mistakes were found, but the repaired text still does not parse
    /// or could be read more than one way; why.
    Failed(String),
}

/// Tab widths tried, the common editor default first.
const TAB_WIDTHS: [usize; 3] = [4, 2, 8];

/// Tries the known repairs on `text` (which failed to parse) and re-parses.
pub fn repair(text: &str) -> Attempt {
    let original = lines::split_lines(text);
    let has_tabs = original.iter().any(|l| lines::leading_ws(&l.body).contains('\t'));
    let widths: &[usize] = if has_tabs { &TAB_WIDTHS } else { &[0] };
    let mut found: Option<(String, Vec<Repair>, Json)> = None;
    let mut last_error = None;
    let mut tried: Vec<&str> = Vec::new();
    for &width in widths {
        let mut ls = original.clone();
        let mut repairs = Vec::new();
        if width > 0 {
            repairs.extend(lines::expand_tabs(&mut ls, width));
        }
        repairs.extend(lines::fix_item_keys(&mut ls));
        repairs.extend(lines::fix_block_scalars(&mut ls));
        if repairs.is_empty() {
            return Attempt::NothingToRepair;
        }
        for r in &repairs {
            if !tried.contains(&r.kind.code()) {
                tried.push(r.kind.code());
            }
        }
        let fixed = lines::join_lines(&ls);
        match yaml::parse(&fixed) {
            Ok(doc) => match &found {
                None => found = Some((fixed, repairs, doc)),
                Some((_, _, first)) if same_reading(first, &doc) => {}
                Some(_) => {
                    return Attempt::Failed(
                        "tabs are used for indentation, and expanding them as 2, 4 or 8 columns \
                         gives different documents; replace them with spaces"
                            .into(),
                    );
                }
            },
            Err(e) => last_error = Some(e),
        }
    }
    match (found, last_error) {
        (Some((text, mut repairs, _)), _) => {
            repairs.sort_by_key(|r| r.line);
            Attempt::Repaired { text, repairs }
        }
        (None, Some(e)) => Attempt::Failed(format!(
            "the known repairs ({}) still leave invalid YAML at {}:{}",
            tried.join(", "),
            e.line,
            e.column
        )),
        (None, None) => Attempt::NothingToRepair,
    }
}

/// True when two readings of a file agree but for indentation inside text
/// values (which a tab width can change without changing meaning).
fn same_reading(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::String(x), Json::String(y)) => x.lines().map(str::trim_start).eq(y.lines().map(str::trim_start)),
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_reading(p, q)),
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k1, v1), (k2, v2))| k1 == k2 && same_reading(v1, v2))
        }
        _ => a == b,
    }
}

/// The tolerant half of loading: `text`, read from `path`, failed the strict
/// parse with `strict`. When it is YAML a known repair makes valid, the rule
/// is loaded from the repaired text with its repairs recorded; otherwise the
/// strict error is returned (with why the repairs did not help, if tried).
pub fn load_repaired(path: &Path, text: &str, strict: RulesError) -> Result<Rule, RulesError> {
    // A file that is valid YAML failed for what it says, not how it is laid out.
    if yaml::parse(text).is_ok() {
        return Err(strict);
    }
    match repair(text) {
        Attempt::NothingToRepair => Err(strict),
        Attempt::Failed(why) => Err(match strict {
            RulesError::Invalid { kind, path, line, column, message } => {
                RulesError::Invalid { kind, path, line, column, message: format!("{message} (repair tried: {why})") }
            }
            other => other,
        }),
        Attempt::Repaired { text: fixed, repairs } => match parse_rule(path, &fixed)? {
            Parsed::Rule(mut rule) => {
                rule.repairs = repairs;
                Ok(*rule)
            }
            Parsed::NotARule(_) => Err(strict),
        },
    }
}

/// A one-line summary of a rule's repairs, e.g. for a status bar.
pub fn summary(repairs: &[Repair]) -> String {
    let lines: Vec<String> = repairs.iter().map(|r| format!("line {}: {}", r.line, r.message)).collect();
    lines.join("; ")
}

/// Writes a repaired rule back to its file (`check --fix`), atomically. The
/// file must still be what was loaded: it is read again and repaired again,
/// and only if that gives exactly the rule's text is it replaced. Only the
/// repaired lines change; every other byte stays.
pub fn write_fix(rule: &Rule) -> Result<(), RulesError> {
    let path = rule.path.as_path();
    if rule.repairs.is_empty() {
        return Ok(());
    }
    let on_disk = std::fs::read(path).map_err(|e| RulesError::io(path, e))?;
    let on_disk = String::from_utf8(on_disk).map_err(|_| RulesError::Changed { path: path.to_path_buf() })?;
    match repair(&on_disk) {
        Attempt::Repaired { text, .. } if text == rule.text => {}
        _ => return Err(RulesError::Changed { path: path.to_path_buf() }),
    }
    write_atomic_with(path, |f| std::io::Write::write_all(f, rule.text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const RMM_STYLE: &str = "id: x\r\nrequiredDataConnectors:\r\n    - connectorId: MicrosoftThreatProtection\r\n    dataTypes:\r\n        - DeviceProcessEvents\r\nquery: |\r\n  T\r\n  | take 1";

    #[test]
    fn item_key_moves_into_the_item_and_keeps_crlf() {
        assert!(yaml::parse(RMM_STYLE).is_err());
        let Attempt::Repaired { text, repairs } = repair(RMM_STYLE) else { panic!("not repaired") };
        assert_eq!(text, RMM_STYLE.replace("\n    dataTypes:", "\n      dataTypes:"));
        assert_eq!(repairs.len(), 1);
        assert_eq!(
            (repairs[0].kind, repairs[0].line, repairs[0].lines.clone()),
            (RepairKind::ItemKeyIndent, 4, vec![4])
        );
        let doc = yaml::parse(&text).unwrap();
        assert_eq!(doc["requiredDataConnectors"][0]["dataTypes"][0], "DeviceProcessEvents");
    }

    #[test]
    fn nothing_to_repair_in_other_errors() {
        assert_eq!(repair("a: [1, 2\nb: 3\n"), Attempt::NothingToRepair);
    }

    #[test]
    fn tabs_expand_when_every_width_reads_the_same() {
        let text = "a:\n\tb: 1\n\tc:\n\t\t- x\n";
        let Attempt::Repaired { text: fixed, repairs } = repair(text) else { panic!() };
        assert_eq!(fixed, "a:\n    b: 1\n    c:\n        - x\n");
        assert_eq!(repairs[0].lines, vec![2, 3, 4]);
    }

    #[test]
    fn tabs_that_change_the_structure_are_not_guessed() {
        // Width 2 makes `c` a sibling of `b`; widths 4 and 8 its child: two readings.
        let text = "a:\n  b:\n\tc: 1\n";
        assert!(matches!(repair(text), Attempt::Failed(_)), "{:?}", repair(text));
    }

    #[test]
    fn short_query_lines_join_the_block() {
        let text = "query: |\n    T\n  | where x\n| take 1\nname: n\n";
        let Attempt::Repaired { text: fixed, repairs } = repair(text) else { panic!() };
        assert_eq!(fixed, "query: |\n    T\n    | where x\n    | take 1\nname: n\n");
        assert_eq!(repairs[0].lines, vec![3, 4]);
        assert_eq!(yaml::parse(&fixed).unwrap()["query"], "T\n| where x\n| take 1\n");
    }
}
