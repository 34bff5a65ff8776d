//! Which event columns a load decodes at once: those the selected rules and
//! their exclusions can read, plus those the hunt views read. The others
//! stay lazy (see [`crate::data::lazy`]) and decode when something reads
//! them, so the choice changes only speed, never a value.

use std::collections::BTreeSet;

use crate::kql::lexer::{TokenKind, lex};
use crate::kql::scan::Sym;
use crate::rules::Rule;

/// What a session loads its events for. It decides which columns decode at
/// load and, with a remote source, which rules run there.
#[derive(Clone, Copy, Debug)]
pub enum LoadFor<'a> {
    /// Running these rules (the selected ones, read once by the caller) and
    /// showing their hits: what they and the hunt views can read.
    Rules(&'a [Rule]),
    /// One ad-hoc query (its text): what it can read.
    Query(&'a str),
}

impl LoadFor<'_> {
    /// The columns to decode while loading; `None`: all.
    pub fn eager_columns(&self) -> Option<Vec<String>> {
        match self {
            LoadFor::Rules(rules) => eager_columns(rules),
            LoadFor::Query(kql) => query_columns(kql),
        }
    }
}

/// Columns the hunt layer reads beside the rules' own: grouping, timeline,
/// impact, stacking and the drill-down's headline.
const HUNT_COLUMNS: &[&str] = &[
    "Timestamp",
    "TimeGenerated",
    "DeviceId",
    "DeviceName",
    "ReportId",
    "FileName",
    "FolderPath",
    "ProcessCommandLine",
    "ProcessId",
    "InitiatingProcessId",
    "InitiatingProcessFileName",
    "InitiatingProcessAccountName",
    "AccountName",
    "AccountDomain",
    "AccountSid",
    "AccountUpn",
    "AccountObjectId",
    "RemoteIP",
    "RemotePort",
    "RemoteUrl",
    "LocalIP",
];

/// Columns a session's clock reads (`--now latest`, the bundled samples).
const CLOCK_COLUMNS: &[&str] = &["Timestamp"];

/// Words that make the set of columns a query reads unknowable from its
/// text: they read every column (`pack_all`, `*`, `search`...), or columns
/// named at run time.
const READS_ANY_COLUMN: &[&str] =
    &["pack_all", "bag_pack_columns", "search", "find", "column_ifexists", "evaluate", "invoke", "getschema", "narrow"];

/// The columns to decode while loading for `rules`, or `None` (decode all)
/// when one of their queries or exclusions may read any column.
pub fn eager_columns(rules: &[Rule]) -> Option<Vec<String>> {
    let mut names: BTreeSet<String> = HUNT_COLUMNS.iter().map(|c| c.to_string()).collect();
    for rule in rules {
        add_names(&rule.query, &mut names)?;
        for ex in &rule.exclusions {
            if let Some(filter) = &ex.filter {
                add_names(filter, &mut names)?;
            }
        }
    }
    Some(names.into_iter().collect())
}

/// The columns to decode while loading for one ad-hoc query (no rule runs,
/// no hunt view reads): those it can name and the clock's, or `None` (decode
/// all) when it may read any column.
pub fn query_columns(kql: &str) -> Option<Vec<String>> {
    let mut names: BTreeSet<String> = CLOCK_COLUMNS.iter().map(|c| c.to_string()).collect();
    add_names(kql, &mut names)?;
    Some(names.into_iter().collect())
}

/// Adds every word and string of `kql` (an over-approximation of the
/// columns it names: `['Col']` and `"Col"` included); `None` when it may
/// read any column, or does not lex.
fn add_names(kql: &str, names: &mut BTreeSet<String>) -> Option<()> {
    for token in lex(kql).ok()? {
        match token.kind {
            TokenKind::Ident(w) => {
                if READS_ANY_COLUMN.contains(&w.to_ascii_lowercase().as_str()) {
                    return None;
                }
                names.insert(w);
            }
            TokenKind::String(s) => {
                names.insert(s);
            }
            // `project-away Foo*`, `union *`, `T | project *`: a wildcard over columns.
            TokenKind::Sym(Sym::Star) => return None,
            _ => {}
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(q: &str) -> Option<BTreeSet<String>> {
        let mut set = BTreeSet::new();
        add_names(q, &mut set).map(|()| set)
    }

    #[test]
    fn words_and_strings_are_kept() {
        let got = names("DeviceProcessEvents | where FileName =~ 'x' | extend y = ['SHA256'] | project y").unwrap();
        for w in ["DeviceProcessEvents", "FileName", "SHA256", "y", "x"] {
            assert!(got.contains(w), "{w}");
        }
        assert!(!got.contains("MD5"));
    }

    #[test]
    fn wildcards_and_whole_row_functions_read_any_column() {
        assert!(names("T | project-away Init*").is_none());
        assert!(names("T | extend b = pack_all()").is_none());
        assert!(names("search 'x'").is_none());
        assert!(names("T | evaluate narrow()").is_none());
        assert!(names("T | where (").is_some(), "lexes: the parser reports the error later");
    }

    #[test]
    fn a_load_decodes_what_it_is_for() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("DeviceProcessEvents.jsonl");
        let row = r#"{"Timestamp":"2026-11-20T10:00:00Z","DeviceName":"a","SHA256":"aa","MD5":"bb"}"#;
        std::fs::write(&path, format!("{row}\n")).expect("write");
        let opts = crate::session::Options { events: vec![path], ..Default::default() };
        let undecoded = |purpose: LoadFor| {
            let events = crate::session::load_events(&opts, purpose, &mut |_| {}).expect("loads");
            let table = events.db.get("DeviceProcessEvents").expect("table");
            table.undecoded().iter().map(|c| c.to_string()).collect::<Vec<_>>()
        };
        let query = undecoded(LoadFor::Query("DeviceProcessEvents | summarize count() by SHA256"));
        assert!(!query.iter().any(|c| c == "SHA256") && query.iter().any(|c| c == "MD5"), "{query:?}");
        assert!(query.iter().any(|c| c == "DeviceName"), "no hunt view reads a query's load: {query:?}");
        let rules = undecoded(LoadFor::Rules(&[]));
        assert!(rules.iter().any(|c| c == "SHA256") && !rules.iter().any(|c| c == "DeviceName"), "{rules:?}");
    }

    #[test]
    fn a_query_decodes_what_it_names_and_the_clock_column() {
        let got = query_columns("DeviceProcessEvents | summarize count() by InitiatingProcessSHA256").unwrap();
        assert_eq!(got, ["DeviceProcessEvents", "InitiatingProcessSHA256", "Timestamp", "by", "count", "summarize"]);
        assert!(query_columns("DeviceProcessEvents | project-away A*").is_none());
    }
}
