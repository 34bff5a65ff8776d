//! Tab completion in the query editor, read from the one KQL scanner: at a
//! statement's start (or after `union`, `join`, `lookup`) table names; right
//! after `|` the tabular operators; elsewhere the columns of the table the
//! statement queries (of every table a leading `union` names), or of every
//! known table when that cannot be told.

use crate::kql::scan::{self, Kind, Sym, is_word_char};
use crate::kql::vocab;

/// The tables completion knows: each name with its columns.
pub type Catalogue = Vec<(String, Vec<String>)>;

/// What Tab can put in place of the word before the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidates {
    /// What is completed (for the list's title): "table", "column" or "operator".
    pub what: &'static str,
    /// The first character (column in the line) of the word being completed.
    pub from: usize,
    /// The word typed so far.
    pub prefix: String,
    /// Matching names, sorted, without duplicates.
    pub names: Vec<String>,
}

/// Words after which a table name comes.
const TABLE_AFTER: &[&str] = &["union", "join", "lookup"];

/// The candidates for the cursor at character `col` of line `line` of
/// `lines`, from the `tables` known.
pub fn candidates(lines: &[String], line: usize, col: usize, tables: &Catalogue) -> Candidates {
    let cur = lines.get(line).map_or("", String::as_str);
    let before_cursor: Vec<char> = cur.chars().take(col).collect();
    // A column past the line's end counts as its end.
    let col = before_cursor.len();
    let back =
        |hyphens: bool| before_cursor.iter().rev().take_while(|c| is_word_char(**c) || (hyphens && **c == '-')).count();
    // Right after `|`, an operator, hyphens and all (`project-aw`).
    let op_from = col - back(true);
    let (_, op_sig) = significant(lines, line, &before_cursor[..op_from]);
    let after_pipe = op_sig.last().is_some_and(|t| t.kind == Kind::Sym(Sym::Pipe));
    let from = if after_pipe { op_from } else { col - back(false) };
    let (head, sig) = significant(lines, line, &before_cursor[..from]);
    // The current statement: after the last `;`.
    let stmt_start = sig.iter().rposition(|t| t.kind == Kind::Sym(Sym::Semi)).map_or(0, |i| i + 1);
    let stmt = &sig[stmt_start..];
    let word = |t: &scan::Token| (t.kind == Kind::Word).then(|| t.text(&head).to_lowercase());
    let prev = stmt.last();
    let segment_start = stmt.iter().rposition(|t| t.kind == Kind::Sym(Sym::Pipe)).map_or(0, |i| i + 1);
    let segment_first = stmt.get(segment_start).and_then(word);
    let in_table_list = segment_first.as_deref().is_some_and(|w| TABLE_AFTER.contains(&w))
        && prev.is_some_and(|t| matches!(t.kind, Kind::Sym(Sym::Comma | Sym::LParen)));
    let table_names = || tables.iter().map(|t| t.0.clone()).collect();
    let (what, pool): (&'static str, Vec<String>) = match prev {
        _ if after_pipe => {
            let ops = vocab::RUN_OPERATORS.iter().chain(vocab::NOT_RUN_OPERATORS);
            ("operator", ops.map(|s| s.to_string()).collect())
        }
        None => ("table", table_names()),
        Some(t) if word(t).is_some_and(|w| TABLE_AFTER.contains(&w.as_str())) || in_table_list => {
            ("table", table_names())
        }
        Some(_) => ("column", columns(stmt, &head, tables)),
    };
    let prefix: String = before_cursor[from..].iter().collect();
    let low = prefix.to_lowercase();
    let mut names: Vec<String> = pool.into_iter().filter(|n| n.to_lowercase().starts_with(&low)).collect();
    names.sort_by_key(|n| n.to_lowercase());
    names.dedup();
    Candidates { what, from, prefix, names }
}

/// The text before the word being completed (every line up to it) and its
/// tokens other than white space and comments.
fn significant(lines: &[String], line: usize, before: &[char]) -> (String, Vec<scan::Token>) {
    let mut head: String = lines.iter().take(line).map(|l| format!("{l}\n")).collect();
    head.extend(before);
    let toks = scan::join_hyphens(&head, &scan::scan(&head), vocab::is_keyword);
    let sig = toks.into_iter().filter(|t| !matches!(t.kind, Kind::Whitespace | Kind::Comment)).collect();
    (head, sig)
}

/// The columns of the tables the statement reads: its first word's table,
/// or each table a leading `union` lists; every table's when none is known.
fn columns(stmt: &[scan::Token], src: &str, tables: &Catalogue) -> Vec<String> {
    let find = |name: &str| tables.iter().find(|t| t.0 == name);
    let first = stmt.first().map(|t| t.text(src)).unwrap_or("");
    let mut named: Vec<&(String, Vec<String>)> = Vec::new();
    if first.eq_ignore_ascii_case("union") {
        let until_pipe = stmt.iter().skip(1).take_while(|t| t.kind != Kind::Sym(Sym::Pipe));
        named.extend(until_pipe.filter_map(|t| find(t.text(src))));
    } else if let Some(t) = find(first) {
        named.push(t);
    }
    let from: Vec<&(String, Vec<String>)> = if named.is_empty() { tables.iter().collect() } else { named };
    from.into_iter().flat_map(|t| t.1.iter().cloned()).collect()
}

/// The longest prefix all `names` share (case as the first name writes it).
pub fn common_prefix(names: &[String]) -> String {
    let Some(first) = names.first() else { return String::new() };
    let mut n = first.chars().count();
    for other in &names[1..] {
        let same = first.chars().zip(other.chars()).take_while(|(a, b)| a.eq_ignore_ascii_case(b)).count();
        n = n.min(same);
    }
    first.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        vec![
            ("DeviceProcessEvents".into(), vec!["Timestamp".into(), "DeviceName".into(), "FileName".into()]),
            ("DeviceNetworkEvents".into(), vec!["Timestamp".into(), "DeviceId".into(), "RemoteIP".into()]),
            ("DeviceFileEvents".into(), vec!["FolderPath".into(), "FileName".into()]),
        ]
    }

    fn at_end(text: &str) -> Candidates {
        let lines: Vec<String> = text.split('\n').map(String::from).collect();
        let line = lines.len() - 1;
        let col = lines[line].chars().count();
        candidates(&lines, line, col, &catalogue())
    }

    #[test]
    fn tables_at_the_start_and_after_union() {
        let c = at_end("DeviceP");
        assert_eq!((c.what, c.names.as_slice(), c.from), ("table", &["DeviceProcessEvents".to_string()][..], 0));
        let c = at_end("Device");
        assert_eq!(c.names.len(), 3);
        assert_eq!(common_prefix(&c.names), "Device");
        let c = at_end("let x = 1;\ndevicen");
        assert_eq!(c.names, ["DeviceNetworkEvents"], "any case, after a statement");
        let c = at_end("union DeviceFileEvents, DeviceN");
        assert_eq!(c.names, ["DeviceNetworkEvents"]);
        let c = at_end("T | join kind=inner (DeviceF");
        assert_eq!(c.what, "table");
    }

    #[test]
    fn columns_of_the_queried_table_after_an_operator() {
        let c = at_end("DeviceProcessEvents\n| where File");
        assert_eq!((c.what, c.names.as_slice()), ("column", &["FileName".to_string()][..]));
        assert_eq!(c.from, 8);
        let c = at_end("DeviceNetworkEvents | project Timestamp, ");
        assert_eq!(c.names, ["DeviceId", "RemoteIP", "Timestamp"]);
        let c = at_end("union DeviceNetworkEvents, DeviceFileEvents | where F");
        assert_eq!(c.names, ["FileName", "FolderPath"]);
        let c = at_end("Unknown | where F");
        assert_eq!(c.names, ["FileName", "FolderPath"], "every table's columns, deduplicated");
        let c = at_end("DeviceProcessEvents | where FileName == 'a' // Device\n| project Dev");
        assert_eq!(c.names, ["DeviceName"], "comments are skipped");
    }

    #[test]
    fn operators_after_a_pipe() {
        let c = at_end("DeviceProcessEvents | su");
        assert_eq!((c.what, c.names.as_slice()), ("operator", &["summarize".to_string()][..]));
        let c = at_end("DeviceProcessEvents | project-a");
        assert_eq!(c.names, ["project-away"]);
        assert_eq!(c.prefix, "project-a");
    }
}
