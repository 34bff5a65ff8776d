//! Parser tests over the case files: every valid case parses and prints back
//! to the same tree; every invalid case is a syntax error with a span.

use crate::cases::{cases, fails, round_trip};
use kqlhunt::kql::ErrorKind;

#[test]
fn valid_cases_parse_and_round_trip() {
    let all = cases("valid.kql");
    assert!(all.len() >= 80, "only {} cases", all.len());
    for (name, src) in &all {
        let printed = round_trip(src);
        // Printing is a fixed point after one round.
        assert_eq!(printed, kqlhunt::kql::print::query(&crate::cases::p(&printed)), "case {name}");
    }
}

#[test]
fn invalid_cases_are_syntax_errors_with_spans() {
    let all = cases("invalid.kql");
    assert!(all.len() >= 25, "only {} cases", all.len());
    for (name, src) in &all {
        let e = fails(src);
        assert_eq!(e.kind, ErrorKind::Syntax, "case {name}: {e:?}");
        assert!(e.span.start <= src.len() && e.span.end <= src.len(), "case {name}: span {:?} outside", e.span);
        assert!(!e.message.is_empty());
    }
}

#[test]
fn the_five_seed_queries_parse() {
    let seeds: Vec<_> = cases("valid.kql").into_iter().filter(|(name, _)| name.starts_with("seed")).collect();
    assert_eq!(seeds.len(), 5);
    for (_, src) in seeds {
        let q = crate::cases::p(&src);
        assert_eq!(q.statements.len(), 3);
    }
}
