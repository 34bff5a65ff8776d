//! The line-level work of the repairs. A file is a list of lines, each its
//! body and its own ending, so a repair can change one line's indentation
//! and every other byte (including `\r\n` endings and a missing final
//! newline) is written back as it was.

use super::{Repair, RepairKind};

/// One line: its text and its ending (`"\r\n"`, `"\n"` or `""` for the last).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Line {
    /// The text without the ending.
    pub body: String,
    /// The line ending as found.
    pub end: String,
}

/// Splits `text` into lines, keeping each ending.
pub(super) fn split_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (line, tail) = match rest.find('\n') {
            Some(i) => rest.split_at(i + 1),
            None => (rest, ""),
        };
        let (body, end) = if let Some(b) = line.strip_suffix("\r\n") {
            (b, "\r\n")
        } else if let Some(b) = line.strip_suffix('\n') {
            (b, "\n")
        } else {
            (line, "")
        };
        out.push(Line { body: body.to_string(), end: end.to_string() });
        rest = tail;
    }
    out
}

/// The lines joined back into text.
pub(super) fn join_lines(lines: &[Line]) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.body.len() + 2).sum());
    for l in lines {
        out.push_str(&l.body);
        out.push_str(&l.end);
    }
    out
}

/// The leading spaces and tabs of a line.
pub(super) fn leading_ws(body: &str) -> &str {
    &body[..body.len() - body.trim_start_matches([' ', '\t']).len()]
}

/// The indentation in columns (after tab expansion it is all spaces).
fn indent(body: &str) -> usize {
    leading_ws(body).chars().count()
}

fn set_indent(line: &mut Line, columns: usize) {
    let text = line.body.trim_start_matches([' ', '\t']);
    line.body = format!("{}{text}", " ".repeat(columns));
}

/// True for a blank line or a comment line.
fn is_quiet(body: &str) -> bool {
    let t = body.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// True for `key:` followed by a space or the end, with a plain word key
/// (letters, digits, `_`, `-`, `.`) or a quoted one. Stricter than YAML on
/// purpose: a KQL line such as `| extend a = "x: y"` must not look like a key.
fn is_key_line(trimmed: &str) -> bool {
    let after = match trimmed.chars().next() {
        Some(q @ ('"' | '\'')) => match trimmed[1..].find(q) {
            Some(i) => &trimmed[i + 2..],
            None => return false,
        },
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {
            trimmed.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        }
        _ => return false,
    };
    let after = after.trim_start_matches(' ');
    after == ":" || after.starts_with(": ") || after.starts_with(":\t")
}

/// True when the line opens a block scalar (`key: |`, `- >-`, `key: |2 # c`).
fn opens_block(body: &str) -> Option<Option<usize>> {
    let t = body.split(" #").next().unwrap_or("").trim_end();
    let (head, token) = t.rsplit_once(' ')?;
    let mut chars = token.chars();
    if !matches!(chars.next(), Some('|' | '>')) || !chars.clone().all(|c| matches!(c, '-' | '+' | '1'..='9')) {
        return None;
    }
    if !(head.ends_with(':') || head.trim_end() == "-" || head.ends_with(" -")) {
        return None;
    }
    Some(chars.find_map(|c| c.to_digit(10)).map(|d| d as usize))
}

/// For each line, whether it is content of a block scalar (then it is text,
/// not YAML structure, and no structural repair may look at it).
fn block_content(lines: &[Line]) -> Vec<bool> {
    let mut out = vec![false; lines.len()];
    let mut parent: Option<usize> = None;
    for (i, l) in lines.iter().enumerate() {
        if let Some(p) = parent {
            if l.body.trim().is_empty() || indent(&l.body) > p {
                out[i] = true;
                continue;
            }
            parent = None;
        }
        if opens_block(&l.body).is_some() {
            parent = Some(indent(&l.body));
        }
    }
    out
}

/// Replaces tabs in indentation by spaces, at tab stops every `width` columns.
pub(super) fn expand_tabs(lines: &mut [Line], width: usize) -> Vec<Repair> {
    let mut changed = Vec::new();
    for (i, l) in lines.iter_mut().enumerate() {
        let ws = leading_ws(&l.body);
        if !ws.contains('\t') {
            continue;
        }
        let columns = ws.chars().fold(0, |col, c| if c == '\t' { (col / width + 1) * width } else { col + 1 });
        set_indent(l, columns);
        changed.push(i + 1);
    }
    if changed.is_empty() {
        return Vec::new();
    }
    let message = format!(
        "tabs used for indentation on {} line(s) (YAML allows only spaces); expanded to spaces at tab stops of {width}",
        changed.len()
    );
    vec![Repair { kind: RepairKind::TabIndent, line: changed[0], lines: changed, message }]
}

/// The nearest line before `i` that is structure (not blank, not a comment,
/// not block-scalar text) and indented at most `max` columns.
fn previous_structure(lines: &[Line], content: &[bool], i: usize, max: usize) -> Option<usize> {
    (0..i).rev().find(|&j| !content[j] && !is_quiet(&lines[j].body) && indent(&lines[j].body) <= max)
}

/// Moves mapping keys written at the indentation of their list item's `-`
/// into the item (`- connectorId: X` / `dataTypes:` → `  dataTypes:`).
pub(super) fn fix_item_keys(lines: &mut [Line]) -> Vec<Repair> {
    let content = block_content(lines);
    let mut repairs = Vec::new();
    for i in 0..lines.len() {
        let body = &lines[i].body;
        let trimmed = body.trim_start();
        if content[i] || is_quiet(body) || trimmed.starts_with('-') || !is_key_line(trimmed) {
            continue;
        }
        let d = indent(body);
        // The item this key follows: a `- ` line at exactly its indentation...
        let Some(j) = previous_structure(lines, &content, i, d) else { continue };
        let item = lines[j].body.trim_start();
        if indent(&lines[j].body) != d || !item.starts_with("- ") {
            continue;
        }
        // ...in a list that is the value of a less indented `key:` (so the
        // list is not a compact one, where a key at the dash's column is a sibling).
        let Some(k) = previous_structure(lines, &content, j, d.saturating_sub(1)) else { continue };
        if d == 0 || !lines[k].body.trim_end().ends_with(':') {
            continue;
        }
        let target = d + 1 + (item.len() - 1 - item[1..].trim_start().len());
        let key = trimmed.split(':').next().unwrap_or("").trim().to_string();
        let children = children_of(lines, &content, i, d);
        let shift_children = children.iter().any(|&m| indent(&lines[m].body) <= target);
        set_indent(&mut lines[i], target);
        let mut changed = vec![i + 1];
        if shift_children {
            for &m in &children {
                let columns = indent(&lines[m].body) + (target - d);
                set_indent(&mut lines[m], columns);
                changed.push(m + 1);
            }
        }
        let message = format!(
            "`{key}:` is at the indentation of its list item's `-` (column {}); moved into the item (column {})",
            d + 1,
            target + 1
        );
        repairs.push(Repair { kind: RepairKind::ItemKeyIndent, line: i + 1, lines: changed, message });
    }
    repairs
}

/// The non-blank lines that belong to the key on line `i` (indented `d`):
/// deeper lines, or scalar list items at the same indentation (`key:` then
/// `- x` at the key's column, which YAML allows).
fn children_of(lines: &[Line], content: &[bool], i: usize, d: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut deeper_seen = false;
    for m in i + 1..lines.len() {
        let body = &lines[m].body;
        if body.trim().is_empty() {
            continue;
        }
        let ind = indent(body);
        let t = body.trim_start();
        if content[m] || ind > d {
            deeper_seen = true;
            out.push(m);
        } else if t.starts_with('#') {
            continue;
        } else if ind == d && !deeper_seen && t.starts_with("- ") && !is_key_line(t[2..].trim_start()) {
            out.push(m);
        } else {
            break;
        }
    }
    out
}

/// Re-indents lines of a top-level block scalar (`query: |`) that are less
/// indented than its first line: YAML ends the block at such a line, which
/// then breaks the document. A column-0 line ends the block only when it is
/// a key, a comment, a list item or a document marker.
pub(super) fn fix_block_scalars(lines: &mut [Line]) -> Vec<Repair> {
    let mut repairs = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let body = &lines[i].body;
        let explicit = match opens_block(body) {
            Some(explicit) if indent(body) == 0 && is_key_line(body) => explicit,
            _ => {
                i += 1;
                continue;
            }
        };
        let key = body.split(':').next().unwrap_or("").trim().to_string();
        let mut end = i + 1;
        while end < lines.len() {
            let b = &lines[end].body;
            if indent(b) == 0 && !b.trim().is_empty() {
                let t = b.as_str();
                if is_key_line(t) || t.starts_with('#') || t.starts_with("- ") || t == "-" || t.starts_with("---") {
                    break;
                }
                if t.starts_with("...") {
                    break;
                }
            }
            end += 1;
        }
        let body_lines: Vec<usize> = (i + 1..end).filter(|&m| !lines[m].body.trim().is_empty()).collect();
        let first = body_lines.first().map(|&m| indent(&lines[m].body)).unwrap_or(0);
        let positive_min = body_lines.iter().map(|&m| indent(&lines[m].body)).filter(|&n| n > 0).min();
        let target = explicit.unwrap_or(if first > 0 { first } else { positive_min.unwrap_or(2) });
        let short: Vec<usize> = body_lines.into_iter().filter(|&m| indent(&lines[m].body) < target).collect();
        if !short.is_empty() {
            for &m in &short {
                set_indent(&mut lines[m], target);
            }
            let message = format!(
                "`{key}: |` block: {} line(s) less indented than its first line ended the block early; indented to column {}",
                short.len(),
                target + 1
            );
            let changed: Vec<usize> = short.iter().map(|m| m + 1).collect();
            repairs.push(Repair { kind: RepairKind::BlockIndent, line: changed[0], lines: changed, message });
        }
        i = end;
    }
    repairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip() {
        for text in ["", "a", "a\n", "a\r\nb", "a\r\n\r\nb\n", "\n\n"] {
            assert_eq!(join_lines(&split_lines(text)), text);
        }
    }

    #[test]
    fn keys_and_blocks() {
        assert!(is_key_line("dataTypes:"));
        assert!(is_key_line("connectorId: X"));
        assert!(is_key_line("'quoted key': 1"));
        assert!(!is_key_line("| extend a = \"x: y\""));
        assert!(!is_key_line("let x = 1;"));
        assert!(!is_key_line("url:http"));
        assert_eq!(opens_block("query: |"), Some(None));
        assert_eq!(opens_block("  - |-"), Some(None));
        assert_eq!(opens_block("query: |2 # note"), Some(Some(2)));
        assert_eq!(opens_block("a: b |"), None);
        assert_eq!(opens_block("x: '|'"), None);
    }

    #[test]
    fn compact_children_move_with_the_key() {
        let mut ls = split_lines("r:\n  - c: 1\n  d:\n  - T\n  - c: 2\n");
        let reps = fix_item_keys(&mut ls);
        assert_eq!(join_lines(&ls), "r:\n  - c: 1\n    d:\n    - T\n  - c: 2\n");
        assert_eq!(reps[0].lines, vec![3, 4]);
    }

    #[test]
    fn block_text_is_not_structure() {
        // `b:` inside the query block is KQL text, not a misplaced key.
        let mut ls = split_lines("l:\n  - x: 1\nq: |\n  - y\n  b: 2\n");
        assert!(fix_item_keys(&mut ls).is_empty());
    }
}
