//! Rewriting an exclusion block while keeping what the user wrote in it:
//! comments, blank lines, and the exact text of every entry and key that did
//! not change. Only what changed is written fresh (by [`super::emit`]).
//!
//! The block is read by lines (YAML parsers drop comments): each item of the
//! sequence is its `- ` line and the lines under it; each key of an item is
//! its `key:` line plus the more-indented lines that continue its value.
//! Comment and blank lines between keys belong to the key after them; those
//! before an item belong to the item when they touch it, and to the item's
//! place in the list when a blank line separates them from it (a section
//! comment stays where it is when items move or go). Anything this reader
//! does not understand falls back to the fresh writer for that item, or for
//! the whole block; the save's own check (`save::verify`) still guards the
//! values either way.

use serde_json::Value as Json;

use super::emit;
use crate::rules::exclusion::{self, Exclusion, Origin};
use crate::rules::layout::{self, FilePos};
use crate::rules::yaml;

/// One key of an item: its comment lines before it, then its own lines.
#[derive(Debug)]
struct KeySeg<'a> {
    key: &'a str,
    before: Vec<&'a str>,
    lines: Vec<&'a str>,
}

/// One item of the old block.
#[derive(Debug)]
struct Item<'a> {
    /// Comment lines separated from the item by a blank line (stay in place).
    detached: Vec<&'a str>,
    /// Comment lines touching the item (move and go with it).
    attached: Vec<&'a str>,
    /// Every line of the item itself.
    body: Vec<&'a str>,
    /// Its keys, when the item could be read key by key.
    keys: Option<Vec<KeySeg<'a>>>,
    /// Column of its `-`, and of its keys.
    dash: usize,
    key_col: usize,
}

/// The old block read as items (see the module doc).
#[derive(Debug)]
struct OldBlock<'a> {
    header: &'a str,
    items: Vec<Item<'a>>,
    trailer: Vec<&'a str>,
}

/// The block of `key` in `text` rewritten to hold `entries`, keeping the
/// comments and unchanged entries of the old block; `None` when there is no
/// old block in block-sequence style or it cannot be read safely (the caller
/// then writes the block fresh). The result ends in a newline.
pub fn block(text: &str, key: &str, entries: &[&Exclusion], origin: &Origin) -> Option<String> {
    let blocks = layout::top_level_keys(text);
    let b = layout::find_key(&blocks, key)?;
    let old_block = read_block(&text[b.start..b.end])?;
    let Json::Object(doc) = yaml::parse(text).ok()? else { return None };
    let at = FilePos { offset: 0, line: 1, column: 1 };
    let items = layout::sequence_items(text, b);
    let old = exclusion::parse_list(doc.get(key)?, &items, at, origin).ok()?;
    if old.len() != old_block.items.len() {
        return None;
    }
    if entries.is_empty() {
        return Some(emptied(&old_block));
    }
    let pairs = pair(&old, entries);
    let (dash, key_col) = old_block.items.first().map_or((2, 4), |i| (i.dash, i.key_col));
    let mut out = String::new();
    push_line(&mut out, old_block.header);
    for (j, e) in entries.iter().enumerate() {
        if let Some(item) = old_block.items.get(j) {
            item.detached.iter().for_each(|l| push_line(&mut out, l));
        }
        match pairs[j] {
            Some(i) => {
                let item = &old_block.items[i];
                item.attached.iter().for_each(|l| push_line(&mut out, l));
                if old[i].same_entry(e) {
                    item.body.iter().for_each(|l| push_line(&mut out, l));
                } else {
                    match &item.keys {
                        Some(keys) => out.push_str(&merged_item(keys, &old[i], e, item.dash, item.key_col)),
                        None => out.push_str(&fresh_item(e, item.dash, item.key_col)),
                    }
                }
            }
            None => out.push_str(&fresh_item(e, dash, key_col)),
        }
    }
    for item in old_block.items.iter().skip(entries.len()) {
        item.detached.iter().for_each(|l| push_line(&mut out, l));
    }
    old_block.trailer.iter().for_each(|l| push_line(&mut out, l));
    Some(out)
}

/// The block with every item deleted: `key: []`, keeping the header's own
/// comment and the block's section and trailing comments (the deleted items'
/// attached comments go with them), so deleting the last exclusion does not
/// lose what the user wrote about the list.
fn emptied(old_block: &OldBlock) -> String {
    let mut out = String::new();
    let (key, rest) = old_block.header.split_once(':').unwrap_or((old_block.header, ""));
    push_line(&mut out, &format!("{key}: []{rest}"));
    for item in &old_block.items {
        item.detached.iter().for_each(|l| push_line(&mut out, l));
    }
    old_block.trailer.iter().for_each(|l| push_line(&mut out, l));
    out
}

fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

/// For each new entry, the old item it continues: the one of the same name,
/// else (an entry loaded from the file and renamed) the one whose `filter:`
/// is where the entry's was loaded from. New entries get none.
fn pair(old: &[Exclusion], entries: &[&Exclusion]) -> Vec<Option<usize>> {
    let mut taken = vec![false; old.len()];
    let mut out: Vec<Option<usize>> = entries
        .iter()
        .map(|e| {
            let i = old.iter().position(|o| o.name == e.name)?;
            (!taken[i]).then(|| {
                taken[i] = true;
                i
            })
        })
        .collect();
    for (j, e) in entries.iter().enumerate() {
        let Some(at) = e.filter_at.filter(|_| out[j].is_none() && e.origin.is_some()) else { continue };
        let same = |o: &Exclusion| o.filter_at.is_some_and(|f| f.start.offset == at.start.offset);
        if let Some(i) = (0..old.len()).find(|&i| !taken[i] && same(&old[i])) {
            taken[i] = true;
            out[j] = Some(i);
        }
    }
    out
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    line.trim().is_empty()
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

/// The key of `rest` when it starts a `key:` entry (`key:` then a space or the end).
fn key_at(rest: &str) -> Option<&str> {
    let colon = rest.find(':')?;
    let key = &rest[..colon];
    let after = &rest[colon + 1..];
    let ok = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (ok && (after.is_empty() || after.starts_with(' '))).then_some(key)
}

fn read_block(block: &str) -> Option<OldBlock<'_>> {
    let mut lines = block.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect::<Vec<_>>();
    if block.ends_with('\n') {
        lines.pop();
    }
    let (header, body) = lines.split_first()?;
    // Only a block sequence under a bare `key:` (a comment may follow it).
    let after_colon = header.split_once(':').map(|(_, v)| v.trim())?;
    if !(after_colon.is_empty() || after_colon.starts_with('#')) {
        return None;
    }
    let dash = body.iter().find(|l| !is_blank(l) && !is_comment(l)).map(|l| indent(l))?;
    let is_dash = |l: &str| indent(l) == dash && (l.trim() == "-" || l[dash..].starts_with("- "));
    let mut items: Vec<Item> = Vec::new();
    let mut loose: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let line = body[i];
        if is_dash(line) {
            let start = i;
            i += 1;
            while i < body.len() && !is_dash(body[i]) && (is_blank(body[i]) || indent(body[i]) > dash) {
                i += 1;
            }
            // Comment and blank lines at the end of the item (not inside a
            // value, which is indented deeper than the keys) lead into the next one.
            let key_col = key_column(line, dash);
            let mut end = i;
            let loose_end = |l: &str| is_blank(l) || (is_comment(l) && indent(l) <= key_col);
            while end > start + 1 && loose_end(body[end - 1]) {
                end -= 1;
            }
            let (detached, attached) = split_leading(std::mem::take(&mut loose));
            let item_lines = &body[start..end];
            loose.extend_from_slice(&body[end..i]);
            items.push(read_item(item_lines, dash, detached, attached));
        } else if is_blank(line) || is_comment(line) {
            loose.push(line);
            i += 1;
        } else {
            return None;
        }
    }
    Some(OldBlock { header, items, trailer: loose })
}

/// Leading loose lines split at the last blank line: before it (and it) stay
/// in place, after it go with the item.
fn split_leading(loose: Vec<&str>) -> (Vec<&str>, Vec<&str>) {
    match loose.iter().rposition(|l| is_blank(l)) {
        Some(b) => (loose[..=b].to_vec(), loose[b + 1..].to_vec()),
        None => (Vec::new(), loose),
    }
}

/// The column of an item's keys, from its `-` line (`- name:` puts it after the gap).
fn key_column(dash_line: &str, dash: usize) -> usize {
    let after_dash = &dash_line[dash + 1..];
    if after_dash.trim().is_empty() {
        return dash + 2;
    }
    dash + 1 + (after_dash.len() - after_dash.trim_start().len())
}

fn read_item<'a>(lines: &[&'a str], dash: usize, detached: Vec<&'a str>, attached: Vec<&'a str>) -> Item<'a> {
    let first = lines[0];
    let after_dash = &first[dash + 1..];
    let key_col = key_column(first, dash);
    let mut item = Item { detached, attached, body: lines.to_vec(), keys: None, dash, key_col };
    if after_dash.trim().is_empty() {
        return item;
    }
    let mut keys: Vec<KeySeg> = Vec::new();
    let mut pending: Vec<&str> = Vec::new();
    for (n, &line) in lines.iter().enumerate() {
        let ind = if n == 0 { key_col } else { indent(line) };
        if n > 0 && (is_blank(line) || ind > key_col) {
            pending.push(line);
            if !is_blank(line) {
                // A continuation of the current key's value: the pending
                // blank lines were inside it.
                let Some(seg) = keys.last_mut() else { return item };
                seg.lines.append(&mut pending);
            }
            continue;
        }
        if n > 0 && is_comment(line) {
            pending.push(line);
            continue;
        }
        if ind != key_col {
            return item;
        }
        let Some(key) = key_at(&line[key_col..]) else { return item };
        keys.push(KeySeg { key, before: std::mem::take(&mut pending), lines: vec![line] });
    }
    if !pending.is_empty() {
        return item;
    }
    item.keys = Some(keys);
    item
}

/// The prefix of an item's first line (`  - `) and of its other key lines.
fn prefixes(dash: usize, key_col: usize) -> (String, String) {
    let gap = key_col.saturating_sub(dash + 1).max(1);
    (format!("{}-{}", " ".repeat(dash), " ".repeat(gap)), " ".repeat(dash + 1 + gap))
}

/// The entry's keys as the writer emits them, in its order.
fn entry_fields(e: &Exclusion) -> Vec<(&'static str, String)> {
    let texts = [
        ("name", Some(e.name.clone())),
        ("description", e.description.clone()),
        ("filter", e.filter.clone()),
        ("source", e.source.clone()),
        ("note", e.note.clone()),
    ];
    let mut out: Vec<(&'static str, String)> =
        texts.into_iter().filter_map(|(k, v)| v.map(|v| (k, emit::scalar(&v)))).collect();
    out.push(("enabled", e.enabled.to_string()));
    out
}

fn same_value(old: &Exclusion, new: &Exclusion, key: &str) -> bool {
    match key {
        "name" => old.name == new.name,
        "description" => old.description == new.description,
        "filter" => old.filter == new.filter,
        "source" => old.source == new.source,
        "note" => old.note == new.note,
        "enabled" => old.enabled == new.enabled,
        _ => false,
    }
}

fn fresh_item(e: &Exclusion, dash: usize, key_col: usize) -> String {
    let (first, rest) = prefixes(dash, key_col);
    let mut out = String::new();
    for (n, (k, v)) in entry_fields(e).into_iter().enumerate() {
        let lead = if n == 0 { &first } else { &rest };
        out.push_str(&format!("{lead}{k}: {v}\n"));
    }
    out
}

/// An item that changed: unchanged keys keep their lines, changed ones are
/// written fresh (keeping a comment at the end of a one-line value), and
/// every comment line stays with its key.
fn merged_item(keys: &[KeySeg], old: &Exclusion, new: &Exclusion, dash: usize, key_col: usize) -> String {
    let (first, rest) = prefixes(dash, key_col);
    let mut out = String::new();
    let mut emitted = 0;
    let mut lead = |out: &mut String| {
        let p = if emitted == 0 { &first } else { &rest };
        emitted += 1;
        out.push_str(p);
    };
    let fields = entry_fields(new);
    for (k, v) in &fields {
        match keys.iter().find(|s| s.key == *k) {
            Some(seg) => {
                seg.before.iter().for_each(|l| push_line(&mut out, l));
                if same_value(old, new, k) {
                    for (n, l) in seg.lines.iter().enumerate() {
                        if n == 0 {
                            lead(&mut out);
                            push_line(&mut out, &l[key_col.min(l.len())..]);
                        } else {
                            push_line(&mut out, l);
                        }
                    }
                } else {
                    lead(&mut out);
                    let comment = match seg.lines.as_slice() {
                        [one] => trailing_comment(&one[key_col.min(one.len())..], k),
                        _ => None,
                    };
                    match comment {
                        Some(c) => push_line(&mut out, &format!("{k}: {v} {c}")),
                        None => push_line(&mut out, &format!("{k}: {v}")),
                    }
                }
            }
            None => {
                lead(&mut out);
                push_line(&mut out, &format!("{k}: {v}"));
            }
        }
    }
    // A key the entry no longer has goes; comments above it stay.
    for seg in keys.iter().filter(|s| !fields.iter().any(|(k, _)| *k == s.key)) {
        seg.before.iter().for_each(|l| push_line(&mut out, l));
    }
    out
}

/// The comment at the end of a one-line `key: value # comment`, found where
/// the text before it still reads as the same value.
fn trailing_comment<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let whole = yaml::parse(line).ok()?;
    let value = whole.get(key)?.clone();
    let mut from = 0;
    while let Some(i) = line[from..].find(" #") {
        let at = from + i;
        if let Ok(v) = yaml::parse(&line[..at])
            && v.get(key) == Some(&value)
        {
            return Some(line[at..].trim_start());
        }
        from = at + 2;
    }
    None
}

#[cfg(test)]
mod tests;
