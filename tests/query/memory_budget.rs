//! `Limits::max_memory` (`--max-memory`) bounds what a query's join, lookup,
//! summarize, mv-expand and make-series hold: past it they stop with an
//! `OutOfMemory` error at the operator; without it the same queries run.

use std::sync::Arc;

use kqlhunt::data::Database;
use kqlhunt::kql::eval::{Evaluator, Frame, Limits, Session};
use kqlhunt::kql::{self, ErrorCode, KqlError};

fn session(max_memory: Option<u64>) -> Session {
    let mut s = Session::new(Arc::new(Database::default()), 0);
    s.limits = Limits { max_memory, ..Limits::default() };
    s
}

fn run(s: &Session, src: &str) -> Result<Frame, KqlError> {
    Evaluator::new(s.clone()).run(&kql::parse(src)?)
}

const QUERIES: &[(&str, &str)] = &[
    (
        "join",
        "range x from 1 to 3000 step 1 | extend k = x % 50 | join kind=inner (range y from 1 to 3000 step 1 | extend k = y % 50) on k",
    ),
    (
        "lookup",
        "range x from 1 to 3000 step 1 | extend k = x % 50 | lookup (range y from 1 to 3000 step 1 | extend k = y % 50) on k",
    ),
    ("summarize", "range x from 1 to 30000 step 1 | summarize count(), make_set(x) by x"),
    (
        "mv-expand",
        r#"range x from 1 to 300 step 1 | extend a = parse_json(strcat("[", strrep("1,", 999), "1]")) | mv-expand a"#,
    ),
    (
        "make-series",
        "range x from 1 to 3000 step 1 | make-series count() default=0 on x from 0 to 3000 step 1 by k = x % 100",
    ),
];

#[test]
fn each_growing_operator_stops_past_the_budget() {
    let tiny = session(Some(256 << 10));
    for (op, q) in QUERIES {
        let e = run(&tiny, q).expect_err(op);
        assert_eq!(e.code, ErrorCode::OutOfMemory, "{op}: {e}");
        assert!(e.message.contains("query needs more than 256 KiB of memory (--max-memory)"), "{op}: {e}");
        assert!(e.message.starts_with(op), "{op}: {e}");
    }
}

#[test]
fn the_same_queries_run_within_a_normal_budget() {
    let roomy = session(Some(1 << 30));
    let rows: Vec<usize> =
        QUERIES.iter().map(|(op, q)| run(&roomy, q).unwrap_or_else(|e| panic!("{op}: {e}")).len()).collect();
    assert_eq!(rows, [180_000, 180_000, 30_000, 300_000, 100]);
}

#[test]
fn the_budget_is_shared_by_the_operators_of_one_query() {
    // Each join alone fits; together they do not.
    let one = "range x from 1 to 1000 step 1 | extend k = x % 100 | join kind=inner (range y from 1 to 1000 step 1 | extend k = y % 100) on k";
    let s = session(Some(1 << 20));
    assert_eq!(run(&s, one).unwrap().len(), 10_000);
    let two = format!("let A = {one}; union A, ({one}) | join kind=inner (A | take 1) on k");
    assert_eq!(run(&s, &two).unwrap_err().code, ErrorCode::OutOfMemory);
}

#[test]
fn a_staged_query_rerun_many_times_does_not_use_up_the_budget() {
    let one = "range x from 1 to 1000 step 1 | extend k = x % 100 | join kind=inner (range y from 1 to 1000 step 1 | extend k = y % 100) on k";
    let mut staged = kqlhunt::kql::eval::Staged::prepare(&session(Some(1 << 20)), one).unwrap();
    for _ in 0..5 {
        assert_eq!(staged.run_to(usize::MAX).unwrap().len(), 10_000);
    }
}
