//! Shared helpers for the parser tests: the case files and a span-blind comparison.

#![allow(dead_code)]

use kqlhunt::kql::{self, KqlError, ast::Query};

/// `(name, query)` pairs of a case file, split at `// ==== name` lines.
pub fn cases(file: &str) -> Vec<(String, String)> {
    let path = format!("{}/tests/kql_parse_cases/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("// ==== ") {
            out.push((name.to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

/// The tree's debug text with every span removed.
pub fn shape(q: &Query) -> String {
    let re = regex::Regex::new(r"span: Span \{ start: \d+, end: \d+ \}|Span \{ start: \d+, end: \d+ \}").unwrap();
    re.replace_all(&format!("{q:?}"), "_").into_owned()
}

/// Parses, or panics with the rendered error.
pub fn p(src: &str) -> Query {
    kql::parse(src).unwrap_or_else(|e| panic!("{}\n--- query:\n{src}", e.render(src)))
}

/// Parses a query that must fail.
pub fn fails(src: &str) -> KqlError {
    match kql::parse(src) {
        Ok(q) => panic!("parsed but should fail: {src}\n{q:?}"),
        Err(e) => e,
    }
}

/// Asserts `parse(print(parse(src)))` equals `parse(src)` modulo spans, and returns the printed text.
pub fn round_trip(src: &str) -> String {
    let first = p(src);
    let printed = kql::print::query(&first);
    let second = kql::parse(&printed)
        .unwrap_or_else(|e| panic!("printed text does not parse:\n{}\n--- original:\n{src}", e.render(&printed)));
    assert_eq!(
        shape(&first),
        shape(&second),
        "round trip changed the tree\n--- original:\n{src}\n--- printed:\n{printed}"
    );
    printed
}
