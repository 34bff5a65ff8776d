//! Where things are in a rule file's text: the byte range of each top-level
//! key's block, where the query text starts, and the line of each exclusion's
//! `filter:`. The YAML parser gives values, not positions; this light line
//! scanner gives the positions that saving and error reporting need. It only
//! trusts itself where the parsed document agrees (see `save`).

/// A position in a file: byte offset, 1-based line and 1-based column (chars).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FilePos {
    /// Byte offset from the start of the file.
    pub offset: usize,
    /// Line, 1-based.
    pub line: usize,
    /// Column in characters, 1-based.
    pub column: usize,
}

impl FilePos {
    /// The position of byte `offset` in `text`.
    pub fn at(text: &str, offset: usize) -> FilePos {
        let (line, column) = crate::kql::error::line_col(text, offset);
        FilePos { offset, line, column }
    }
}

/// A top-level key of the document and the bytes its entry occupies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyBlock {
    /// The key, unquoted.
    pub key: String,
    /// Offset of the start of the key's line.
    pub start: usize,
    /// Offset of the first byte after the key's `:`.
    pub value_start: usize,
    /// Offset just past the last line that belongs to the entry (its newline
    /// included). Trailing blank and column-0 comment lines are left outside:
    /// they usually introduce the next key.
    pub end: usize,
}

/// Lines of `text` as (start offset, line without its newline, offset past the newline).
fn lines(text: &str) -> impl Iterator<Item = (usize, &str, usize)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let start = pos;
        let end = text[start..].find('\n').map(|i| start + i + 1).unwrap_or(text.len());
        pos = end;
        let line = text[start..end].trim_end_matches('\n').trim_end_matches('\r');
        Some((start, line, end))
    })
}

/// The key of a column-0 mapping line (`key:` or `"key":`), and the offset
/// within the line just after the colon.
fn key_of_line(line: &str) -> Option<(String, usize)> {
    let first = line.chars().next()?;
    if matches!(first, ' ' | '\t' | '#' | '-' | '[' | '{' | '|' | '>' | '%') || line.starts_with("...") {
        return None;
    }
    if first == '"' || first == '\'' {
        let close = line[1..].find(first)? + 1;
        let key = line[1..close].to_string();
        let rest = &line[close + 1..];
        let colon = rest.find(':')?;
        if !rest[..colon].trim().is_empty() {
            return None;
        }
        return Some((key, close + 1 + colon + 1));
    }
    let bytes = line.as_bytes();
    let colon = (0..bytes.len()).find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| *b == b' '))?;
    Some((line[..colon].trim_end().to_string(), colon + 1))
}

/// True for a line that is part of the entry above it: indented content or a
/// column-0 sequence item (YAML allows `key:` followed by `- item` unindented).
fn is_content(line: &str) -> bool {
    line.starts_with(' ') || line.starts_with('\t') || line == "-" || line.starts_with("- ")
}

/// The top-level keys of a block-mapping document, in file order. Returns
/// nothing useful for flow-style (`{...}`) documents; callers compare the
/// keys found with the parsed document before relying on them.
pub fn top_level_keys(text: &str) -> Vec<KeyBlock> {
    let mut out: Vec<KeyBlock> = Vec::new();
    for (start, line, next) in lines(text) {
        if line.starts_with("---") && out.is_empty() {
            continue;
        }
        if let Some((key, after)) = key_of_line(line) {
            out.push(KeyBlock { key, start, value_start: start + after, end: next });
        } else if line.starts_with("---") || line.starts_with("...") {
            break;
        } else if is_content(line)
            && let Some(last) = out.last_mut()
        {
            last.end = next;
        }
    }
    out
}

/// The block of one top-level key.
pub fn find_key<'a>(blocks: &'a [KeyBlock], key: &str) -> Option<&'a KeyBlock> {
    blocks.iter().find(|b| b.key == key)
}

/// How a scalar value is written, which decides how offsets inside the value
/// map back to the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScalarStyle {
    /// `|` block: lines map one to one, shifted by the indentation.
    Literal,
    /// `>` block: lines are folded, so only the start is exact.
    Folded,
    /// `"..."` or `'...'`: escapes shift offsets, so only the start is exact.
    Quoted,
    /// Unquoted on the key's line.
    Plain,
}

/// Where a scalar value's text starts in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScalarAt {
    /// The first character of the value's text.
    pub start: FilePos,
    /// The style.
    pub style: ScalarStyle,
    /// For block scalars, the indentation (bytes) of every content line.
    pub indent: usize,
}

impl ScalarAt {
    /// Maps byte `offset` inside the parsed `value` to a position in `file`:
    /// exact for `|` blocks and single-line plain values, else the value's start.
    pub fn map(&self, file: &str, value: &str, offset: usize) -> FilePos {
        let offset = offset.min(value.len());
        let before = value.get(..offset).unwrap_or("");
        let newlines = before.matches('\n').count();
        let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let col_bytes = before.len() - line_start;
        match self.style {
            ScalarStyle::Literal => {
                // Walk to the target line in the file; blank lines inside the
                // block may be shorter than the indentation, so count lines.
                let mut pos = self.start.offset - self.indent;
                for _ in 0..newlines {
                    match file[pos..].find('\n') {
                        Some(i) => pos += i + 1,
                        None => return self.start,
                    }
                }
                FilePos::at(file, (pos + self.indent + col_bytes).min(file.len()))
            }
            ScalarStyle::Plain if newlines == 0 => FilePos::at(file, (self.start.offset + offset).min(file.len())),
            _ => self.start,
        }
    }
}

/// Where the value of the entry starting at `key_line_start` (whose value text
/// begins at `value_start`) starts, by its style.
pub fn scalar_at(text: &str, value_start: usize) -> Option<ScalarAt> {
    let line_end = text[value_start..].find('\n').map(|i| value_start + i).unwrap_or(text.len());
    let rest = &text[value_start..line_end];
    let lead = rest.len() - rest.trim_start().len();
    let first = value_start + lead;
    let head = rest.trim();
    if head.starts_with('|') || head.starts_with('>') {
        let style = if head.starts_with('|') { ScalarStyle::Literal } else { ScalarStyle::Folded };
        let explicit = head.chars().find(|c| c.is_ascii_digit()).and_then(|c| c.to_digit(10));
        let mut pos = (line_end + 1).min(text.len());
        while pos < text.len() {
            let end = text[pos..].find('\n').map(|i| pos + i).unwrap_or(text.len());
            let line = &text[pos..end];
            if !line.trim().is_empty() {
                let spaces = line.len() - line.trim_start_matches(' ').len();
                let indent = explicit.map(|d| d as usize).unwrap_or(spaces);
                return Some(ScalarAt { start: FilePos::at(text, pos + indent), style, indent });
            }
            pos = end + 1;
        }
        return None;
    }
    if head.starts_with('"') || head.starts_with('\'') {
        return Some(ScalarAt { start: FilePos::at(text, first + 1), style: ScalarStyle::Quoted, indent: 0 });
    }
    if head.is_empty() {
        return None;
    }
    Some(ScalarAt { start: FilePos::at(text, first), style: ScalarStyle::Plain, indent: 0 })
}

/// One item of a block sequence under a top-level key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemAt {
    /// The item's `-`.
    pub dash: FilePos,
    /// Where the value of its `filter:` key starts, if it has one.
    pub filter: Option<ScalarAt>,
}

/// The items of the block sequence that is the value of `block`, each with
/// the position of its `filter:` value. Empty for flow sequences (`[...]`).
pub fn sequence_items(text: &str, block: &KeyBlock) -> Vec<ItemAt> {
    let mut items: Vec<ItemAt> = Vec::new();
    let mut item_indent: Option<usize> = None;
    let body_start = text[block.value_start..block.end].find('\n').map(|i| block.value_start + i + 1);
    let Some(body_start) = body_start else { return items };
    for (start, line, _) in lines(&text[body_start..block.end]) {
        let start = body_start + start;
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let trimmed = &line[spaces..];
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let is_dash = trimmed == "-" || trimmed.starts_with("- ");
        let indent = *item_indent.get_or_insert(spaces);
        let key_text = if is_dash && spaces == indent {
            items.push(ItemAt { dash: FilePos::at(text, start + spaces), filter: None });
            // The first key may sit on the dash line: `- filter: ...`.
            let after = &trimmed[1..];
            let gap = after.len() - after.trim_start().len();
            Some((start + spaces + 1 + gap, after.trim_start()))
        } else if spaces > indent {
            Some((start + spaces, trimmed))
        } else {
            None
        };
        if let (Some((at, key_line)), Some(item)) = (key_text, items.last_mut())
            && let Some(rest) = key_line.strip_prefix("filter:")
            && (rest.is_empty() || rest.starts_with(' '))
            && item.filter.is_none()
        {
            item.filter = scalar_at(text, at + "filter:".len());
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# header\nid: abc\nquery: |\n  T\n  | where x\n\n# about exclusions\nexclusions:\n- name: a\n  filter: 'x == 1'\n-   name: b\n    filter: y\n# tail\n";

    #[test]
    fn finds_top_level_blocks() {
        let keys = top_level_keys(DOC);
        let names: Vec<&str> = keys.iter().map(|k| k.key.as_str()).collect();
        assert_eq!(names, ["id", "query", "exclusions"]);
        let q = find_key(&keys, "query").unwrap();
        assert_eq!(&DOC[q.start..q.end], "query: |\n  T\n  | where x\n");
        let e = find_key(&keys, "exclusions").unwrap();
        assert!(DOC[e.start..e.end].ends_with("    filter: y\n"));
    }

    #[test]
    fn literal_query_maps_lines() {
        let keys = top_level_keys(DOC);
        let q = find_key(&keys, "query").unwrap();
        let at = scalar_at(DOC, q.value_start).unwrap();
        assert_eq!((at.start.line, at.start.column, at.style), (4, 3, ScalarStyle::Literal));
        let p = at.map(DOC, "T\n| where x\n", 4);
        assert_eq!((p.line, p.column), (5, 5));
    }

    #[test]
    fn filter_lines_of_items() {
        let keys = top_level_keys(DOC);
        let items = sequence_items(DOC, find_key(&keys, "exclusions").unwrap());
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].filter.unwrap().start.line, 10);
        assert_eq!(items[1].filter.unwrap().start.line, 12);
        assert_eq!(items[1].dash.line, 11);
    }

    #[test]
    fn quoted_keys() {
        assert_eq!(key_of_line("\"12-ab\": x"), Some(("12-ab".into(), 8)));
        assert_eq!(key_of_line("url: http://x"), Some(("url".into(), 4)));
        assert_eq!(key_of_line("  nested: x"), None);
    }
}
