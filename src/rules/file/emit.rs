//! Our own deterministic writer for exclusion blocks (and the little YAML the
//! importer writes around them). Same input, same bytes: entry keys in a fixed
//! order, two-space indentation, and each string in the simplest style that
//! reads back as exactly that string.
//!
//! Quoting: plain when a conservative character set allows it and the YAML
//! parser reads it back unchanged; single quotes for anything else on one
//! line (KQL filters with `"`, `!=`, `:` and `#` stay readable, only `'` is
//! doubled); double quotes with escapes when the text has line breaks or
//! control characters, the one case single quotes cannot carry.

use std::fmt::Write as _;

use crate::rules::exclusion::Exclusion;
use crate::rules::yaml;

/// A YAML scalar for `s`, quoted as needed (see the module doc).
pub fn scalar(s: &str) -> String {
    if s.chars().any(needs_escape) {
        return double_quoted(s);
    }
    if is_plain_safe(s) && yaml::plain_round_trips(s) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "''"))
}

/// Characters single quotes cannot carry: control characters, and the
/// separators and byte-order mark that YAML 1.1 parsers treat as breaks.
fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    first.is_alphanumeric() && !s.ends_with(' ') && s.chars().all(|c| c.is_alphanumeric() || " _-./(),;+".contains(c))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The full block for `key` holding `entries`, ending in a newline:
/// `key:` then one `- name: ...` item per entry, or `key: []` when empty.
pub fn exclusion_block(key: &str, entries: &[&Exclusion]) -> String {
    let key = scalar(key);
    if entries.is_empty() {
        return format!("{key}: []\n");
    }
    let mut out = format!("{key}:\n");
    for e in entries {
        let fields: [(&str, Option<String>); 6] = [
            ("name", Some(e.name.clone())),
            ("description", e.description.clone()),
            ("filter", e.filter.clone()),
            ("source", e.source.clone()),
            ("note", e.note.clone()),
            ("enabled", Some(e.enabled.to_string())),
        ];
        let mut lead = "  - ";
        for (k, v) in fields {
            let Some(v) = v else { continue };
            let v = if k == "enabled" { v } else { scalar(&v) };
            let _ = writeln!(out, "{lead}{k}: {v}");
            lead = "    ";
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_styles() {
        assert_eq!(scalar("Scheduled Job Execution"), "Scheduled Job Execution");
        assert_eq!(scalar(r#"a != "x""#), r#"'a != "x"'"#);
        assert_eq!(scalar("it's"), "'it''s'");
        assert_eq!(scalar("a\nb"), "\"a\\nb\"");
        assert_eq!(scalar("true"), "'true'");
        assert_eq!(scalar("x #y"), "'x #y'");
        assert_eq!(scalar(""), "''");
    }

    #[test]
    fn block_shape() {
        let mut e = Exclusion::new("A");
        e.filter = Some("X =~ \"y\"".into());
        assert_eq!(
            exclusion_block("exclusions", &[&e]),
            "exclusions:\n  - name: A\n    filter: 'X =~ \"y\"'\n    enabled: false\n"
        );
        assert_eq!(exclusion_block("exclusions", &[]), "exclusions: []\n");
    }
}
