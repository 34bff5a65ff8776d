//! Re-indenting the catalogue's flattened Sentinel YAML. The catalogue lost
//! every leading space, so nesting is recovered from what Sentinel rule keys
//! are known to hold: `description: |` and `query: |` blocks, lists such as
//! `tactics`, and lists of mappings such as `requiredDataConnectors`
//! (`connectorId` with a nested `dataTypes` list) and `entityMappings`.
//! A line that fits nowhere is an error naming it, never a guess.

/// What a key holds.
#[derive(Debug)]
enum Shape {
    /// A scalar on the key's line (or a `|`/`>` block at top level).
    Scalar,
    /// A list of items of a shape.
    List(&'static Shape),
    /// A mapping with these keys.
    Map(&'static [(&'static str, Shape)]),
}

use Shape::{List, Map, Scalar};

const SCALARS: Shape = List(&Scalar);
const CONNECTOR: Shape = Map(&[("connectorId", Scalar), ("dataTypes", SCALARS)]);
const FIELD_MAPPING: Shape = Map(&[("identifier", Scalar), ("columnName", Scalar)]);
const ENTITY: Shape = Map(&[("entityType", Scalar), ("fieldMappings", List(&FIELD_MAPPING))]);

/// The top-level keys of Sentinel hunting and analytic rules.
const TOP: &[(&str, Shape)] = &[
    ("id", Scalar),
    ("name", Scalar),
    ("version", Scalar),
    ("kind", Scalar),
    ("description", Scalar),
    ("severity", Scalar),
    ("status", Scalar),
    ("requiredDataConnectors", List(&CONNECTOR)),
    ("queryFrequency", Scalar),
    ("queryPeriod", Scalar),
    ("triggerOperator", Scalar),
    ("triggerThreshold", Scalar),
    ("tactics", SCALARS),
    ("relevantTechniques", SCALARS),
    ("tags", SCALARS),
    ("query", Scalar),
    ("entityMappings", List(&ENTITY)),
    ("eventGroupingSettings", Map(&[("aggregationKind", Scalar)])),
    ("suppressionDuration", Scalar),
    ("suppressionEnabled", Scalar),
];

/// The key of a `key: value` or `key:` line, and the rest after the colon.
fn split_key(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let rest = &line[colon + 1..];
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (plain && (rest.is_empty() || rest.starts_with(' '))).then_some((key, rest))
}

/// True when `line` opens a top-level Sentinel key (used to find where the
/// YAML starts in the catalogue text).
pub fn is_top_key(line: &str) -> bool {
    split_key(line).is_some_and(|(k, _)| TOP.iter().any(|(t, _)| *t == k))
}

/// The block-scalar header for `lines`: `|`, or `|2` when the first line
/// starts with a space (YAML would otherwise take that as the indentation).
pub fn block_header(indicator: &str, lines: &[&str]) -> String {
    let first = lines.iter().find(|l| !l.trim().is_empty());
    if first.is_some_and(|l| l.starts_with(' ')) { format!("{indicator}2") } else { indicator.to_string() }
}

/// Appends `lines` as the content of a top-level block scalar.
pub fn push_block(out: &mut String, lines: &[&str]) {
    for l in lines {
        if !l.trim().is_empty() {
            out.push_str("  ");
            out.push_str(l);
        }
        out.push('\n');
    }
}

enum Frame {
    Map(&'static [(&'static str, Shape)], usize),
    List(&'static Shape, usize),
}

/// Re-indents flattened rule YAML. `query` replaces the text of the
/// `query: |` block. Errors carry the 0-based index of the offending line.
pub fn reindent(lines: &[&str], query: &[&str]) -> Result<String, (usize, String)> {
    let mut out = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if let Some((key, rest)) = split_key(line).filter(|_| is_top_key(line)) {
            stack.clear();
            let head = rest.trim();
            if head.starts_with('|') || head.starts_with('>') {
                let end = (i + 1..lines.len()).find(|&j| is_top_key(lines[j])).unwrap_or(lines.len());
                let body: Vec<&str> = if key == "query" { query.to_vec() } else { lines[i + 1..end].to_vec() };
                let indicator = head.trim_end_matches(|c: char| c.is_ascii_digit());
                out.push_str(&format!("{key}: {}\n", block_header(indicator, &body)));
                push_block(&mut out, &body);
                i = end;
                continue;
            }
            out.push_str(line);
            out.push('\n');
            if head.is_empty() {
                match TOP.iter().find(|(k, _)| *k == key).map(|(_, s)| s) {
                    Some(List(item)) => stack.push(Frame::List(item, 2)),
                    Some(Map(fields)) => stack.push(Frame::Map(fields, 2)),
                    _ => {}
                }
            }
            i += 1;
            continue;
        }
        place(line.trim_start(), &mut stack, &mut out).map_err(|m| (i, m))?;
        i += 1;
    }
    Ok(out)
}

/// Places one nested line by the frames open above it.
fn place(line: &str, stack: &mut Vec<Frame>, out: &mut String) -> Result<(), String> {
    let misplaced = || format!("cannot place '{line}' in the rule YAML");
    if let Some(item) = line.strip_prefix("- ").or(if line == "-" { Some("") } else { None }) {
        let item_key = split_key(item).map(|(k, _)| k);
        // The innermost list this item fits: a list of mappings that has its
        // key, else (for a plain item) a list of scalars.
        let depth = stack.iter().rposition(|f| match (f, item_key) {
            (Frame::List(Map(fields), _), Some(k)) => fields.iter().any(|(f, _)| *f == k),
            (Frame::List(Scalar, _), None) => true,
            _ => false,
        });
        let depth = depth.ok_or_else(misplaced)?;
        stack.truncate(depth + 1);
        let Some(Frame::List(shape, indent)) = stack.last() else { return Err(misplaced()) };
        let (shape, indent) = (*shape, *indent);
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        if let (Map(fields), Some(k)) = (shape, item_key) {
            out.push_str(item);
            out.push('\n');
            stack.push(Frame::Map(fields, indent + 2));
            open_nested(fields, k, split_key(item).map(|(_, r)| r).unwrap_or(""), indent + 2, stack);
        } else {
            out.push_str(item);
            out.push('\n');
        }
        return Ok(());
    }
    let (key, rest) = split_key(line).ok_or_else(misplaced)?;
    let depth = stack.iter().rposition(|f| matches!(f, Frame::Map(fields, _) if fields.iter().any(|(f, _)| *f == key)));
    let depth = depth.ok_or_else(misplaced)?;
    stack.truncate(depth + 1);
    let Some(Frame::Map(fields, indent)) = stack.last() else { return Err(misplaced()) };
    let (fields, indent) = (*fields, *indent);
    out.push_str(&" ".repeat(indent));
    out.push_str(line);
    out.push('\n');
    open_nested(fields, key, rest, indent, stack);
    Ok(())
}

/// After `key:` with nothing on its line, opens the frame for what it holds.
fn open_nested(fields: &'static [(&'static str, Shape)], key: &str, rest: &str, indent: usize, stack: &mut Vec<Frame>) {
    if !rest.trim().is_empty() {
        return;
    }
    match fields.iter().find(|(f, _)| *f == key).map(|(_, s)| s) {
        Some(List(item)) => stack.push(Frame::List(item, indent + 2)),
        Some(Map(inner)) => stack.push(Frame::Map(inner, indent + 2)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connectors_and_lists() {
        let flat = "id: x\nrequiredDataConnectors:\n- connectorId: A\ndataTypes:\n- T1\n- T2\n- connectorId: B\ndataTypes:\n- T3\ntactics:\n- CommandAndControl\nquery: |\nold\n";
        let lines: Vec<&str> = flat.lines().collect();
        let out = reindent(&lines, &["T1", "| take 1"]).unwrap();
        assert_eq!(
            out,
            "id: x\nrequiredDataConnectors:\n  - connectorId: A\n    dataTypes:\n      - T1\n      - T2\n  - connectorId: B\n    dataTypes:\n      - T3\ntactics:\n  - CommandAndControl\nquery: |\n  T1\n  | take 1\n"
        );
    }

    #[test]
    fn entity_mappings() {
        let flat = "entityMappings:\n- entityType: Host\nfieldMappings:\n- identifier: HostName\ncolumnName: DeviceName\n- entityType: Account\n";
        let lines: Vec<&str> = flat.lines().collect();
        let out = reindent(&lines, &[]).unwrap();
        assert_eq!(
            out,
            "entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: DeviceName\n  - entityType: Account\n"
        );
    }

    #[test]
    fn unplaceable_line_is_an_error() {
        let lines = ["id: x", "tactics:", "- A", "bogus: 1"];
        assert_eq!(reindent(&lines, &[]).unwrap_err().0, 3);
    }

    #[test]
    fn leading_space_needs_an_indentation_indicator() {
        assert_eq!(block_header("|", &["", "  x"]), "|2");
        assert_eq!(block_header("|", &["x"]), "|");
    }
}
