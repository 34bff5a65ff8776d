//! Value-level semantics of KQL operators: arithmetic, comparison, string
//! operators, `in`, `between`, with Kusto's null and type rules.

use std::cmp::Ordering;

use crate::data::{DataType, Value};
use crate::kql::ast::{BinOp, ListOp};

/// Result type of `a op b`; `Err` describes the mismatch (e.g. `string + long`).
pub fn binary_type(op: BinOp, a: DataType, b: DataType) -> Result<DataType, String> {
    let _ = (op, a, b);
    Err("not implemented".into())
}

/// `a op b` for one row. `and`/`or` use three-valued logic; comparisons with
/// null yield null; `where` keeps only `true`.
pub fn binary(op: BinOp, a: &Value, b: &Value) -> Value {
    let _ = (op, a, b);
    Value::Null
}

/// `x op (items)` for `in`, `!in`, `in~`, `!in~`, `has_any`, `has_all`;
/// `items` are already flattened (dynamic arrays and tabular first columns expanded).
pub fn list(op: ListOp, x: &Value, items: &[Value]) -> Value {
    let _ = (op, x, items);
    Value::Null
}

/// `x between (low .. high)`, inclusive; a timespan `high` with a datetime `low` means `low + high`.
pub fn between(x: &Value, low: &Value, high: &Value) -> Value {
    let _ = (x, low, high);
    Value::Null
}

/// Total order for `sort`, `top`, `min`/`max`: nulls compare equal to each
/// other and are placed by the caller; numbers compare across int/long/real.
pub fn compare(a: &Value, b: &Value) -> Ordering {
    let _ = (a, b);
    Ordering::Equal
}

/// Kusto's `==` on two values, for joins, `distinct` and grouping keys
/// (null keys group together, unlike `==` in a predicate).
pub fn key_eq(a: &Value, b: &Value) -> bool {
    let _ = (a, b);
    false
}
