//! Proof that `map_rows` runs an operation once per distinct value of a
//! dictionary-encoded string column, not once per row (DESIGN.md, "Events").

use std::cell::Cell;
use std::sync::Arc;

use super::*;
use crate::kql::eval::frame::Frame;

const ROWS: usize = 10_000;
const DISTINCT: [&str; 3] = ["cmd.exe", "powershell.exe", "LiteManager.exe"];

fn string_frame() -> Frame {
    let col = crate::data::StrColumn::from_strs((0..ROWS).map(|i| DISTINCT[i % DISTINCT.len()]));
    Frame::from_columns(vec![("FileName".to_string(), Arc::new(Column::String(col)))])
}

fn column_vals(frame: &Frame) -> Vals {
    let c = &frame.cols()[0];
    Vals::Col { col: c.col().clone(), via_sel: c.via_sel }
}

/// Runs a counting `has`-like predicate through `map_rows`; returns (calls, true rows).
fn count_calls(frame: &Frame, args: &[Vals]) -> (usize, usize) {
    let calls = Cell::new(0usize);
    let out = map_rows::<()>(frame, args, DataType::Bool, |a| {
        calls.set(calls.get() + 1);
        let needle = a.get(1).and_then(Value::as_str).unwrap_or("LiteManager");
        Ok(Value::Bool(a[0].as_str().is_some_and(|s| crate::kql::terms::has(s, needle, false))))
    });
    let hits = out.map(|v| v.true_positions(frame).len()).unwrap_or(usize::MAX);
    (calls.get(), hits)
}

/// How many of the rows hold `DISTINCT[k]`.
fn rows_with(k: usize) -> usize {
    (0..ROWS).filter(|i| i % DISTINCT.len() == k).count()
}

#[test]
fn predicate_runs_once_per_distinct_value() {
    let frame = string_frame();
    let (calls, hits) = count_calls(&frame, &[column_vals(&frame)]);
    assert_eq!(calls, DISTINCT.len(), "one evaluation per distinct value, not per row");
    assert_eq!(hits, rows_with(2), "the LiteManager.exe rows");
}

#[test]
fn constant_arguments_keep_the_dictionary_path() {
    let frame = string_frame();
    let needle = Vals::Const(Value::str("powershell"), DataType::String);
    let (calls, hits) = count_calls(&frame, &[column_vals(&frame), needle]);
    assert_eq!(calls, DISTINCT.len());
    assert_eq!(hits, rows_with(1), "the powershell.exe rows");
}

#[test]
fn selected_rows_of_a_table_still_run_per_distinct_value() {
    // A table column read through a selection (after an earlier `where`): the
    // predicate still runs per dictionary entry, and rows map through the selection.
    let table = string_frame().to_table("T");
    let frame = Frame::from_table(&table);
    let evens: Vec<u32> = (0..ROWS as u32).filter(|r| r % 2 == 0).collect();
    let frame = frame.take_rows(&evens);
    assert!(frame.cols()[0].via_sel, "the column is read through the selection");
    let (calls, hits) = count_calls(&frame, &[column_vals(&frame)]);
    assert_eq!(calls, DISTINCT.len());
    let expected = evens.iter().filter(|&&r| r % 3 == 2).count();
    assert_eq!(hits, expected);
}

#[test]
fn per_row_fallback_when_two_columns_vary() {
    // Two varying arguments cannot share one dictionary: evaluated per row.
    let frame = string_frame();
    let v = column_vals(&frame);
    let (calls, _) = count_calls(&frame, &[v.clone(), v]);
    assert_eq!(calls, ROWS);
}
