//! A test of the architecture, read from the source: the layers import one
//! way only (`data` → `kql` → `rules` → `hunt` → `session` → faces), the two
//! faces never import each other, and no two modules import each other (a
//! module may use its ancestors' and descendants' items; anything else is a
//! cycle). It reads `use` trees and inline `crate::`/`super::` paths.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Rank of each top-level module: a module may import only lower ranks.
/// Equal ranks are independent layers that must not import each other.
const LAYERS: &[(&str, u8)] =
    &[("data", 0), ("kql", 1), ("samples", 1), ("rules", 2), ("hunt", 3), ("session", 4), ("tui", 5), ("cli", 5)];

/// A module path, `["tui", "panes", "rules"]`; the crate root is empty.
type ModPath = Vec<String>;

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The module a file defines, and whether `super` means its parent (a
/// `mod.rs`/`lib.rs` file is the module of its folder).
fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel.iter().map(|s| s.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts
}

/// Source text without comments and string literals, so a path in prose or
/// in a test's input is not read as an import.
fn code_only(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'r' if matches!(b.get(i + 1), Some(b'#' | b'"')) && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) => {
                let mut j = i + 1;
                while b.get(j) == Some(&b'#') {
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    out.push('r');
                    i += 1;
                    continue;
                }
                let hashes = j - i - 1;
                let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
                i = j + 1;
                while i < b.len() && !b[i..].starts_with(&close) {
                    i += 1;
                }
                i += close.len();
                out.push_str("\"\"");
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            b'\'' if b.get(i + 2) == Some(&b'\'') || (b.get(i + 1) == Some(&b'\\')) => {
                // A char literal ('"', '\''); lifetimes ('a) have no closing quote here.
                let end = text[i + 1..].find('\'').map_or(i + 1, |k| i + 1 + k);
                let end = if b.get(i + 1) == Some(&b'\\') {
                    text[i + 3..].find('\'').map_or(end, |k| i + 3 + k)
                } else {
                    end
                };
                i = end + 1;
                out.push_str("' '");
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or(' ');
                out.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    out
}

/// Expands a use tree (`crate::a::{b, c::{d, e as f}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.split_whitespace().collect();
    let Some(open) = tree.find('{') else { return vec![tree.split(" as ").next().unwrap_or(&tree).to_string()] };
    let prefix = &tree[..open];
    let inner = tree[open + 1..].strip_suffix('}').unwrap_or(&tree[open + 1..]);
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (k, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items.into_iter().filter(|i| !i.is_empty()).flat_map(|i| expand(&format!("{prefix}{i}"))).collect()
}

/// Resolves `crate::`/`super::`/`self::` paths used in module `m` (whose
/// file is a `mod.rs` when `folder`) to absolute segment lists.
fn absolute(path: &str, m: &[String]) -> Option<ModPath> {
    let segs: Vec<&str> = path.split("::").map(|s| s.split("as").next().unwrap_or(s)).collect();
    let mut base: ModPath = match segs.first()? {
        &"crate" => Vec::new(),
        &"super" | &"self" => m.to_vec(),
        _ => return None,
    };
    let mut rest = &segs[..];
    if segs[0] == "crate" || segs[0] == "self" {
        rest = &segs[1..];
    }
    while let Some((&"super", tail)) = rest.split_first() {
        base.pop()?;
        rest = tail;
    }
    base.extend(rest.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty() && s != "*"));
    Some(base)
}

/// Code without its `#[cfg(test)]` modules: a test may reach for any layer
/// to set up its case, and that is no dependency of the module it tests.
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(k) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..k]);
        let after = &rest[k..];
        let Some(open) = after.find('{') else { return out };
        // `#[cfg(test)] mod tests;` or a test-only `use`: skip just that item.
        if let Some(semi) = after.find(';')
            && semi < open
        {
            rest = &after[semi + 1..];
            continue;
        }
        let mut depth = 0usize;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Every module path a file refers to, outside its test modules.
fn references(text: &str, m: &[String]) -> Vec<ModPath> {
    let code = without_tests(&code_only(text));
    let mut out = Vec::new();
    let mut rest = code.as_str();
    // `use` trees, which may span lines and nest braces.
    while let Some(k) = rest.find("use ") {
        let before_ok = k == 0 || !rest.as_bytes()[k - 1].is_ascii_alphanumeric() && rest.as_bytes()[k - 1] != b'_';
        let tail = &rest[k + 4..];
        let end = tail.find(';').unwrap_or(tail.len());
        if before_ok {
            for p in expand(&tail[..end]) {
                out.extend(absolute(&p, m));
            }
        }
        rest = &tail[end.min(tail.len())..];
    }
    // Inline paths in code (`crate::cli::print::value_text(..)`).
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(k) = code[from..].find(start) {
            let at = from + k;
            let ok = at == 0 || !code.as_bytes()[at - 1].is_ascii_alphanumeric() && code.as_bytes()[at - 1] != b':';
            let len =
                code[at..].find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(code.len() - at);
            if ok {
                out.extend(absolute(code[at..at + len].trim_end_matches(':'), m));
            }
            from = at + len.max(1);
        }
    }
    out
}

/// The module graph: each file's module and the modules it uses.
fn graph() -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rs_files(&src, &mut files);
    let modules: BTreeSet<ModPath> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut g: BTreeMap<ModPath, BTreeSet<ModPath>> = BTreeMap::new();
    for f in &files {
        if f.ends_with("main.rs") || f.ends_with("layers.rs") {
            continue;
        }
        let m = module_of(&src, f);
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let uses = g.entry(m.clone()).or_default();
        for r in references(&text, &m) {
            // The longest known module that prefixes the path.
            let target = (0..=r.len()).rev().map(|n| r[..n].to_vec()).find(|p| modules.contains(p));
            if let Some(t) = target
                && !t.is_empty()
                && t != m
            {
                uses.insert(t);
            }
        }
    }
    g
}

fn rank(m: &[String]) -> Option<u8> {
    let top = m.first()?;
    LAYERS.iter().find(|(n, _)| n == top).map(|(_, r)| *r)
}

fn is_ancestor(a: &[String], b: &[String]) -> bool {
    a.len() < b.len() && b.starts_with(a)
}

#[test]
fn layers_import_one_way_and_the_faces_never_each_other() {
    let mut bad = Vec::new();
    for (m, uses) in graph() {
        for t in uses {
            let (Some(rm), Some(rt)) = (rank(&m), rank(&t)) else { continue };
            if m[0] != t[0] && rt >= rm {
                bad.push(format!("{} uses {}", m.join("::"), t.join("::")));
            }
        }
    }
    assert!(bad.is_empty(), "imports against the layers:\n{}", bad.join("\n"));
}

/// Lifts each import to the two sibling modules under the importer's and the
/// target's nearest common ancestor: `kql::eval::functions::string` using
/// `kql::eval::ops::compare` is `functions` using `ops`, so a cycle between
/// folders is found even when no two files name each other.
fn sibling_edges(g: &BTreeMap<ModPath, BTreeSet<ModPath>>) -> BTreeSet<(ModPath, ModPath)> {
    let mut edges = BTreeSet::new();
    for (m, uses) in g {
        for t in uses {
            if is_ancestor(m, t) || is_ancestor(t, m) {
                continue;
            }
            let common = m.iter().zip(t).take_while(|(a, b)| a == b).count();
            edges.insert((m[..=common].to_vec(), t[..=common].to_vec()));
        }
    }
    edges
}

#[test]
fn no_two_modules_import_each_other() {
    let edges = sibling_edges(&graph());
    let bad: Vec<String> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{} <-> {}", a.join("::"), b.join("::")))
        .collect();
    assert!(bad.is_empty(), "modules that import each other:\n{}", bad.join("\n"));
}

#[test]
fn the_reader_sees_nested_use_trees_and_inline_paths() {
    let m: ModPath = vec!["tui".into(), "layout".into()];
    let text = "use super::{app::App, panes::{exclusions::ROW, rules}};\n\
                // use crate::cli::nothing;\n\
                fn f() { let s = \"crate::cli::no\"; crate::cli::print::value_text(); }\n\
                #[cfg(test)]\nmod tests { use crate::tui::nothing_either; fn g() { if x { } } }\n\
                #[cfg(test)]\nmod more_tests;\nuse crate::kql::Span;\n\
                fn after() { crate::data::text::inert(); }";
    let refs: Vec<String> = references(text, &m).iter().map(|p| p.join("::")).collect();
    assert!(refs.contains(&"tui::app::App".to_string()), "{refs:?}");
    assert!(refs.contains(&"tui::panes::exclusions::ROW".to_string()), "{refs:?}");
    assert!(refs.contains(&"tui::panes::rules".to_string()), "{refs:?}");
    assert!(refs.contains(&"cli::print::value_text".to_string()), "{refs:?}");
    assert!(refs.contains(&"data::text::inert".to_string()), "code after a test module: {refs:?}");
    assert!(refs.contains(&"kql::Span".to_string()), "code after `mod tests;`: {refs:?}");
    assert!(!refs.iter().any(|r| r.contains("nothing") || r == "cli::no"), "{refs:?}");
}
