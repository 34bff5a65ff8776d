//! Candidate atoms: one-column conditions that hold on every marked hit,
//! read off the marked rows' values (`==`/`=~`, `in`/`in~`, `has` terms,
//! `startswith`/`endswith` cut where paths and command lines break). Only
//! marked rows are read here; what each atom hides is evaluated later by
//! the KQL evaluator itself.

use std::collections::BTreeSet;

use crate::data::{DataType, Value};
use crate::kql::eval::Frame;
use crate::kql::print;
use crate::kql::quote;

use super::columns::{Trust, case_insensitive, path_like, trust};
use super::score::{Op, atom_cost};

/// Most values an `in` list takes.
const MAX_IN: usize = 4;
/// Most `has` terms offered per column (the longest).
const MAX_TERMS: usize = 8;
/// Most prefixes, and most suffixes, offered per column.
const MAX_AFFIXES: usize = 3;
/// Longest value compared whole (`==`, `in`): a longer one (a full command
/// line) changes with any argument; its prefixes and terms are offered.
const MAX_LITERAL: usize = 120;
/// Shortest `has` term offered.
const MIN_TEXT: usize = 3;
/// Shortest prefix or suffix offered (`C:\\` says nothing).
const MIN_AFFIX: usize = 5;

/// One condition on one column.
#[derive(Clone, Debug, PartialEq)]
pub struct Atom {
    /// The column it reads.
    pub column: String,
    /// Its KQL text.
    pub text: String,
    /// Its cost (see [`super::score`]).
    pub cost: f64,
}

/// Every candidate atom over `frame`'s columns that the values of the rows
/// `marked` all satisfy.
pub fn generate(frame: &Frame, marked: &[usize]) -> Vec<Atom> {
    let mut out = Vec::new();
    for (c, field) in frame.fields().iter().enumerate() {
        let t = trust(&field.name, field.dtype);
        if t == Trust::Never || marked.is_empty() {
            continue;
        }
        let values: Vec<Value> = marked.iter().map(|&r| frame.value(r, c)).collect();
        let name = print::name(&field.name);
        match field.dtype {
            DataType::String | DataType::Guid => {
                let texts: Option<Vec<&str>> = values.iter().map(|v| v.as_str().filter(|s| !s.is_empty())).collect();
                if let Some(texts) = texts {
                    strings(&mut out, &field.name, &name, t, &texts);
                }
            }
            DataType::Int | DataType::Long | DataType::Bool => {
                let lits: Option<BTreeSet<String>> = values.iter().map(literal).collect();
                if let Some(lits) = lits {
                    let lits: Vec<&str> = lits.iter().map(String::as_str).collect();
                    equality(&mut out, &field.name, &name, t, &lits, false);
                }
            }
            _ => {}
        }
    }
    out
}

fn literal(v: &Value) -> Option<String> {
    match v {
        Value::Int(i) => Some(i.to_string()),
        Value::Long(i) => Some(i.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `==`/`=~` for one distinct value, `in`/`in~` for a few.
fn equality(out: &mut Vec<Atom>, column: &str, name: &str, t: Trust, lits: &[&str], quoted: bool) {
    let ci = quoted && case_insensitive(t);
    let show = |l: &str| if quoted { quote::readable(l) } else { l.to_string() };
    if lits.iter().any(|l| l.chars().count() > MAX_LITERAL) {
        return;
    }
    let atom = match lits {
        [] => return,
        [one] => {
            let op = if ci { "=~" } else { "==" };
            Atom {
                column: column.into(),
                text: format!("{name} {op} {}", show(one)),
                cost: atom_cost(Op::Equals, t, lits),
            }
        }
        many if many.len() <= MAX_IN => {
            let op = if ci { "in~" } else { "in" };
            let list: Vec<String> = many.iter().map(|l| show(l)).collect();
            let text = format!("{name} {op} ({})", list.join(", "));
            Atom { column: column.into(), text, cost: atom_cost(Op::In(many.len()), t, lits) }
        }
        _ => return,
    };
    out.push(atom);
}

fn strings(out: &mut Vec<Atom>, column: &str, name: &str, t: Trust, texts: &[&str]) {
    let ci = case_insensitive(t);
    // Distinct values, first spelling kept (case folded when compared so).
    let mut seen = BTreeSet::new();
    let mut distinct: Vec<&str> = Vec::new();
    for s in texts {
        if seen.insert(if ci { s.to_lowercase() } else { s.to_string() }) {
            distinct.push(s);
        }
    }
    equality(out, column, name, t, &distinct, true);
    for term in common_terms(texts) {
        let cost = atom_cost(Op::Has, t, &[&term]);
        out.push(Atom { column: column.into(), text: format!("{name} has {}", quote::readable(&term)), cost });
    }
    if !path_like(column, texts) {
        return;
    }
    let whole = |a: &str| distinct.len() == 1 && a.chars().count() == texts[0].chars().count();
    for p in prefixes(texts).into_iter().filter(|p| !whole(p)) {
        let cost = atom_cost(Op::Affix, t, &[&p]);
        out.push(Atom { column: column.into(), text: format!("{name} startswith {}", quote::readable(&p)), cost });
    }
    for s in suffixes(texts).into_iter().filter(|s| !whole(s)) {
        let cost = atom_cost(Op::Affix, t, &[&s]);
        out.push(Atom { column: column.into(), text: format!("{name} endswith {}", quote::readable(&s)), cost });
    }
}

/// Terms (Kusto's: maximal `[A-Za-z0-9]` runs, compared case-insensitively)
/// in every text, at least [`MIN_TEXT`] long; the longest first.
fn common_terms(texts: &[&str]) -> Vec<String> {
    let terms = |s: &str| -> BTreeSet<String> {
        s.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|t| t.len() >= MIN_TEXT)
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let mut common = terms(texts[0]);
    for s in &texts[1..] {
        let next = terms(s);
        common.retain(|t| next.contains(t));
    }
    let mut list: Vec<String> = common.into_iter().collect();
    list.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    list.truncate(MAX_TERMS);
    // The first text's spelling reads better than lower case.
    let first = texts[0];
    list.into_iter()
        .map(|t| {
            let lower = first.to_ascii_lowercase();
            match lower.find(&t) {
                Some(at) if first.is_char_boundary(at) => first[at..at + t.len()].to_string(),
                _ => t,
            }
        })
        .collect()
}

fn same(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// True at a path separator: `\\` or `/`, but not a `/` that starts a
/// command-line switch (after a space).
fn separator(text: &[char], i: usize) -> bool {
    match text[i] {
        '\\' => true,
        '/' => i > 0 && text[i - 1] != ' ',
        _ => false,
    }
}

/// True at a space outside double quotes (`quotes` counted before it).
fn space_cut(c: char, quotes: usize) -> bool {
    c == ' ' && quotes.is_multiple_of(2)
}

/// Common prefixes (case-insensitive) of every text, cut just after a path
/// separator or just before a space outside quotes; the longest few.
fn prefixes(texts: &[&str]) -> Vec<String> {
    let first: Vec<char> = texts[0].chars().collect();
    let mut len = first.len();
    for s in &texts[1..] {
        len = len.min(first.iter().zip(s.chars()).take_while(|(a, b)| same(**a, *b)).count());
    }
    let mut cuts = Vec::new();
    let mut quotes = 0;
    for (i, &c) in first.iter().enumerate().take(len) {
        if separator(&first, i) {
            cuts.push(i + 1);
        } else if space_cut(c, quotes) {
            cuts.push(i);
        }
        quotes += usize::from(c == '"');
    }
    // The whole common prefix when every text ends there or breaks there.
    let breaks = |s: &str| s.chars().nth(len).is_none_or(|c| space_cut(c, 0) || matches!(c, '\\' | '/'));
    if quotes.is_multiple_of(2) && texts.iter().all(|s| breaks(s)) {
        cuts.push(len);
    }
    affixes(cuts, |n| first[..n].iter().collect())
}

/// Common suffixes (case-insensitive) of every text, starting at a path
/// separator or just after a space outside quotes; the longest few.
fn suffixes(texts: &[&str]) -> Vec<String> {
    let first: Vec<char> = texts[0].chars().collect();
    let mut len = first.len();
    for s in &texts[1..] {
        len = len.min(first.iter().rev().zip(s.chars().rev()).take_while(|(a, b)| same(**a, *b)).count());
    }
    let start = first.len() - len;
    let mut quotes: usize = first[..start].iter().filter(|&&c| c == '"').count();
    let mut cuts = Vec::new();
    for i in start..first.len() {
        if separator(&first, i) || (i > start && space_cut(first[i - 1], quotes)) {
            cuts.push(first.len() - i);
        }
        quotes += usize::from(first[i] == '"');
    }
    affixes(cuts, |n| first[first.len() - n..].iter().collect())
}

/// The longest [`MAX_AFFIXES`] of the cut lengths, as text.
fn affixes(mut cuts: Vec<usize>, text: impl Fn(usize) -> String) -> Vec<String> {
    cuts.retain(|&n| n >= MIN_AFFIX);
    cuts.sort_unstable_by(|a, b| b.cmp(a));
    cuts.dedup();
    cuts.truncate(MAX_AFFIXES);
    cuts.into_iter().map(text).filter(|t| !t.trim().is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str =
        r#""C:\Program Files (x86)\LiteManager Pro - Server\ROMServer.exe" /deploy /package NotepadPlusPlus-8.7.1.msi"#;
    const B: &str = r#""C:\Program Files (x86)\LiteManager Pro - Server\ROMServer.exe" /deploy "software deployment" /package "7z2408-x64.msi""#;

    #[test]
    fn terms_common_to_every_text() {
        let t = common_terms(&[A, B]);
        assert!(t.contains(&"deploy".to_string()) && t.contains(&"LiteManager".to_string()), "{t:?}");
        assert!(!t.iter().any(|x| x.eq_ignore_ascii_case("deployment")), "{t:?}");
    }

    #[test]
    fn prefixes_cut_at_separators_and_spaces_outside_quotes() {
        let p = prefixes(&[A, B]);
        assert_eq!(p[0], r#""C:\Program Files (x86)\LiteManager Pro - Server\ROMServer.exe" /deploy"#);
        assert_eq!(p[1], r#""C:\Program Files (x86)\LiteManager Pro - Server\ROMServer.exe""#);
        assert_eq!(p[2], r#""C:\Program Files (x86)\LiteManager Pro - Server\"#);
        let paths = prefixes(&[r"C:\Windows\System32\a.exe", r"c:\windows\system32\b.exe"]);
        assert_eq!(paths, [r"C:\Windows\System32\", r"C:\Windows\"]);
    }

    #[test]
    fn suffixes_start_at_separators_and_after_spaces() {
        let s = suffixes(&[r"C:\a\ROMServer.exe", r"D:\b\romserver.exe"]);
        assert_eq!(s, [r"\ROMServer.exe"]);
        let s = suffixes(&["run.exe /quiet /norestart", "x.exe /norestart"]);
        assert_eq!(s, ["/norestart"]);
        assert!(suffixes(&["a /x", "b /x"]).is_empty(), "too short to say anything");
    }
}
