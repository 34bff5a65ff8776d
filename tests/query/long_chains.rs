//! Long flat chains (issue #18): Kusto takes `a or b or ...` with thousands
//! of terms, and so must kqlhunt — to parse, run and print, on a thread
//! with a spawned thread's default stack. Chains are held flat
//! (`ExprKind::Chain`), so their length costs no nesting depth.

use std::sync::Arc;

use kqlhunt::data::Value;
use kqlhunt::data::load::{LoadOptions, load_bytes};
use kqlhunt::kql::ast::{ExprKind, OpKind, Statement};
use kqlhunt::kql::eval::{Evaluator, Session};
use kqlhunt::kql::{self};

const TERMS: usize = 3_000;

/// 100 process events, `ReportId` 0..100.
fn session() -> Session {
    let text: String = (0..100).map(|i| format!("{{\"FileName\":\"f{i}.exe\",\"ReportId\":{i}}}\n")).collect();
    let db = load_bytes("DeviceProcessEvents.jsonl", text.as_bytes(), &LoadOptions::default()).database;
    Session::new(Arc::new(db), 0)
}

/// Parses, prints, parses the print again, and runs `src` on a 2 MiB stack;
/// returns the result's cells (`Debug` text), row-major, and the printed text.
fn parse_print_run(src: String) -> (Vec<Vec<String>>, String) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let q = kql::parse(&src).unwrap_or_else(|e| panic!("{}", e.message));
            let printed = kql::print::query(&q);
            let again = kql::parse(&printed).unwrap_or_else(|e| panic!("printed text: {}", e.message));
            assert_eq!(printed, kql::print::query(&again), "printing is a fixed point");
            let frame = Evaluator::new(session()).run(&again).unwrap_or_else(|e| panic!("{}", e.message));
            let rows = (0..frame.len())
                .map(|r| (0..frame.cols().len()).map(|c| format!("{:?}", frame.value(r, c))).collect())
                .collect();
            (rows, printed)
        })
        .unwrap()
        .join()
        .unwrap()
}

/// `Value` has no `PartialEq` (NaN); cells compare by their `Debug` text.
fn cells(rows: Vec<Vec<Value>>) -> Vec<Vec<String>> {
    rows.iter().map(|r| r.iter().map(|v| format!("{v:?}")).collect()).collect()
}

fn joined(sep: &str, term: impl Fn(usize) -> String) -> String {
    (0..TERMS).map(term).collect::<Vec<_>>().join(sep)
}

#[test]
fn a_3000_term_or_chain_parses_flat_runs_and_prints_back() {
    // Even ReportIds below 6 000: the 50 even ones of 0..100.
    let pred = joined(" or ", |i| format!("ReportId == {}", 2 * i));
    let src = format!("DeviceProcessEvents | where {pred} | count");
    let q = kql::parse(&src).unwrap();
    let Some(Statement::Expr(e)) = q.statements.last() else { panic!() };
    let ExprKind::Tabular(t) = &e.kind else { panic!() };
    let OpKind::Where(p) = &t.ops[0].kind else { panic!() };
    let ExprKind::Chain { rest, .. } = &p.kind else { panic!("a flat chain, got {:?}", p.kind) };
    assert_eq!(rest.len(), TERMS - 1);
    let (rows, printed) = parse_print_run(src);
    assert_eq!(rows, cells(vec![vec![Value::Long(50)]]));
    assert!(printed.contains("ReportId == 0 or ReportId == 2 or"), "{}", &printed[..200]);
}

#[test]
fn a_3000_term_and_chain_filters_conjunct_by_conjunct() {
    // Every term holds for ReportId < 100 except the last, which keeps ReportId != 7.
    let pred =
        joined(" and ", |i| if i == TERMS - 1 { "ReportId != 7".into() } else { format!("ReportId != {}", 100 + i) });
    let (rows, _) = parse_print_run(format!("DeviceProcessEvents | where {pred} | count"));
    assert_eq!(rows, cells(vec![vec![Value::Long(99)]]));
}

#[test]
fn long_arithmetic_strcat_and_in_chains_evaluate() {
    let sum = joined(" + ", |_| "1".into());
    let mixed = joined(" - ", |i| if i == 0 { "10000".into() } else { "2".into() });
    // strcat takes at most 64 arguments (strcat-function.md), as in Kusto.
    let args = vec!["\"ab\""; 64].join(", ");
    let items = joined(", ", |i| format!("\"f{}.exe\"", 1000 + i));
    let src = format!(
        "DeviceProcessEvents | where ReportId == 1 or FileName in ({items}) \
         | project Sum = {sum}, Mixed = {mixed}, Len = strlen(strcat({args}))"
    );
    let (rows, _) = parse_print_run(src);
    // Left to right, as nested binaries: 10000 - 2 - 2 ... (2 999 times).
    let want = vec![Value::Long(TERMS as i64), Value::Long(10_000 - 2 * (TERMS as i64 - 1)), Value::Long(128)];
    assert_eq!(rows, cells(vec![want]));
}

#[test]
fn a_chain_keeps_left_to_right_meaning_and_precedence() {
    let (rows, printed) = parse_print_run(
        "print a = 100 / 10 / 5, b = 10 - 2 - 3 + 1, c = 2 + 3 * 4 - 1, d = false and true or true or false, \
         e = 1 - (2 - 3) - 4"
            .into(),
    );
    let want = vec![Value::Long(2), Value::Long(6), Value::Long(13), Value::Bool(true), Value::Long(-2)];
    assert_eq!(rows, cells(vec![want]));
    assert!(printed.contains("1 - (2 - 3) - 4"), "{printed}");
}
