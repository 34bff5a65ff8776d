//! Aggregate semantics (kql-semantics.md §10; `*-aggregation-function.md` pages).

use std::sync::Arc;

use super::*;
use crate::kql::eval::functions::convert::to_string;

/// Runs aggregate `name` over rows of argument values.
fn run(name: &str, types: &[DataType], rows: &[Vec<Value>]) -> Value {
    let Some(f) = lookup(name) else { return Value::str("NO SUCH AGGREGATE") };
    let mut acc = (f.new)(types);
    for r in rows {
        acc.add(r);
    }
    acc.finish()
}

fn show(v: Value) -> String {
    if v.is_null() { "<null>".into() } else { to_string(&v) }
}

fn col(vals: &[Value]) -> Vec<Vec<Value>> {
    vals.iter().map(|v| vec![v.clone()]).collect()
}

fn s(x: &str) -> Value {
    Value::str(x)
}

fn arr(text: &str) -> Value {
    Value::Dynamic(Arc::new(serde_json::from_str(text).unwrap_or(serde_json::Value::Null)))
}

const L: &[DataType] = &[DataType::Long];
const S: &[DataType] = &[DataType::String];

/// §10: count() counts rows (long), countif counts true predicates, empty input → 0.
#[test]
fn counts() {
    assert_eq!(show(run("count", &[], &[vec![], vec![], vec![]])), "3");
    assert_eq!(show(run("count", &[], &[])), "0");
    let preds = col(&[Value::Bool(true), Value::Null, Value::Bool(false), Value::Bool(true)]);
    assert_eq!(show(run("countif", &[DataType::Bool], &preds)), "2");
    assert_eq!((lookup("count").map(|f| (f.return_type)(&[]))), Some(Ok(DataType::Long)));
}

/// §10: dcount counts distinct non-null values (exactly here); numbers across widths are one value.
#[test]
fn distinct_counts() {
    let vals = col(&[Value::Long(1), Value::Int(1), Value::Real(1.0), Value::Long(2), Value::Null]);
    assert_eq!(show(run("dcount", L, &vals)), "2");
    assert_eq!(show(run("count_distinct", S, &col(&[s("a"), s("A"), s("a"), s("")]))), "3");
    let rows = vec![vec![s("a"), Value::Bool(true)], vec![s("b"), Value::Bool(false)]];
    assert_eq!(show(run("dcountif", S, &rows)), "1");
}

/// Sum/avg/min/max: nulls ignored; output types (sum of long → long, avg → real, min keeps the type).
#[test]
fn numeric_aggregates() {
    let vals = col(&[Value::Long(1), Value::Null, Value::Long(4)]);
    assert!(matches!(run("sum", L, &vals), Value::Long(5)));
    assert!(matches!(run("avg", L, &vals), Value::Real(f) if f == 2.5));
    assert!(matches!(run("min", L, &vals), Value::Long(1)));
    assert!(matches!(run("max", L, &vals), Value::Long(4)));
    // Nulls are ignored, so only nulls is no value: summarize-operator.md's defaults.
    assert!(matches!(run("sum", L, &col(&[Value::Null])), Value::Long(0)));
    assert!(matches!(run("avg", L, &col(&[Value::Null])), Value::Real(f) if f.is_nan()));
    assert!(matches!(run("stdev", L, &col(&[Value::Null])), Value::Real(f) if f == 0.0));
    assert!(run("stdevp", L, &col(&[Value::Null])).is_null());
    assert!(matches!(run("sum", L, &col(&[Value::Long(i64::MAX), Value::Long(1)])), Value::Long(i64::MIN)));
    let ts = col(&[Value::Timespan(10), Value::Timespan(20)]);
    assert!(matches!(run("sum", &[DataType::Timespan], &ts), Value::Timespan(30)));
    assert!(matches!(run("avg", &[DataType::Timespan], &ts), Value::Timespan(15)));
    let rows = vec![vec![Value::Long(5), Value::Bool(false)], vec![Value::Long(7), Value::Bool(true)]];
    assert!(matches!(run("sumif", L, &rows), Value::Long(7)));
    assert!(matches!(run("maxif", L, &rows), Value::Long(7)));
    assert_eq!(show(run("max", S, &col(&[s("b"), s("a")]))), "b");
    assert_eq!(sum_type(&[DataType::Int]), Ok(DataType::Long));
    assert!(sum_type(&[DataType::String]).is_err());
    assert_eq!(avg_type(&[DataType::Long]), Ok(DataType::Real));
}

/// §10: make_set ignores nulls, keeps "", unions arrays (doc example), first-occurrence order, size limit.
#[test]
fn make_set_rules() {
    let vals = col(&[s("b"), s(""), Value::Null, s("a"), s("b")]);
    assert_eq!(show(run("make_set", S, &vals)), r#"["b","","a"]"#);
    let arrays = col(&[arr(r#"["A1","A2","A3"]"#), arr(r#"["A2","C1"]"#), arr(r#"["C2"]"#)]);
    assert_eq!(show(run("make_set", &[DataType::Dynamic], &arrays)), r#"["A1","A2","A3","C1","C2"]"#);
    let limited: Vec<Vec<Value>> = (0..5).map(|i| vec![Value::Long(i), Value::Long(2)]).collect();
    assert_eq!(show(run("make_set", L, &limited)), "[0,1]");
    let many: Vec<Vec<Value>> = (0..200).map(|i| vec![Value::Long(i)]).collect();
    let legacy = run("makeset", L, &many);
    assert_eq!(legacy.as_str(), None);
    assert!(matches!(&legacy, Value::Dynamic(j) if j.as_array().map(Vec::len) == Some(LEGACY_MAX)));
    let cond = vec![vec![s("x"), Value::Bool(true)], vec![s("y"), Value::Null]];
    assert_eq!(show(run("make_set_if", S, &cond)), r#"["x"]"#);
}

/// §10: make_list keeps duplicates (nulls skipped); make_bag merges bags.
#[test]
fn lists_bags_any() {
    assert_eq!(show(run("make_list", S, &col(&[s("a"), s("a"), Value::Null]))), r#"["a","a"]"#);
    let bags = col(&[arr(r#"{"a":1}"#), arr(r#"{"b":2,"a":3}"#), arr("[1]")]);
    assert_eq!(show(run("make_bag", &[DataType::Dynamic], &bags)), r#"{"a":1,"b":2}"#);
    assert_eq!(show(run("take_any", L, &col(&[Value::Null, Value::Long(3)]))), "3");
}

#[test]
fn percentile_and_spread() {
    let rows: Vec<Vec<Value>> = (1..=10).map(|i| vec![Value::Long(i), Value::Long(50)]).collect();
    assert_eq!(show(run("percentile", L, &rows)), "5");
    let vals = col(&[
        Value::Long(2),
        Value::Long(4),
        Value::Long(4),
        Value::Long(4),
        Value::Long(5),
        Value::Long(5),
        Value::Long(7),
        Value::Long(9),
    ]);
    assert_eq!(show(run("stdevp", L, &vals)), "2");
    assert!(matches!(run("variance", L, &vals), Value::Real(v) if (v - 32.0 / 7.0).abs() < 1e-12));
}

/// Default column-name prefixes, verified with kql-check `resultColumns`
/// (`count_`, `dcount_X`, `set_X`, `list_X`, `any_X`, `take_any(X)` → `X`).
#[test]
fn prefixes() {
    let p = |n: &str| lookup(n).map(|f| f.prefix);
    assert_eq!(p("count"), Some("count"));
    assert_eq!(p("dcount"), Some("dcount"));
    assert_eq!(p("make_set"), Some("set"));
    assert_eq!(p("makeset"), Some("set"));
    assert_eq!(p("make_set_if"), Some("set"));
    assert_eq!(p("make_list"), Some("list"));
    assert_eq!(p("make_bag"), Some("bag"));
    assert_eq!(p("take_any"), Some(""));
    assert_eq!(p("any"), Some("any"));
    let mut names = std::collections::HashSet::new();
    for f in registry() {
        assert!(names.insert(f.name), "duplicate {}", f.name);
    }
}
