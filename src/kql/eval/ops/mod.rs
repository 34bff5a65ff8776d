//! Value-level semantics of KQL operators: arithmetic, comparison, string
//! operators, `in`, `between`, with Kusto's null and type rules
//! (`kql-semantics.md` §2–8). The evaluator calls these per row, or once per
//! distinct dictionary value through the prepared [`StrMatcher`] and
//! [`ListMatcher`].

mod arith;
mod compare;
mod list;
mod strings;

use crate::data::{DataType, Value};
use crate::kql::ast::BinOp;
use crate::kql::eval::convert::{as_text, unwrap_dynamic};
use crate::kql::eval::regexes::RegexCache;

pub use compare::{Cmp, cmp3, compare, json_eq, key_eq, key_hash};
pub use list::{ListMatcher, between, list};
pub use strings::{StrMatcher, eq_ci};

/// Result type of `a op b`; `Err` describes the mismatch (e.g. `string + long`).
/// Follows the Kusto analyzer: `int` arithmetic widens to `long`, `<` is not
/// defined on strings, string operators need a `string` (or `dynamic`) left side.
pub fn binary_type(op: BinOp, a: DataType, b: DataType) -> Result<DataType, String> {
    use DataType::{Bool, Dynamic, String as Str};
    let textual = |t: DataType| t == Str || t == Dynamic;
    match op {
        BinOp::And | BinOp::Or => {
            let logical = |t: DataType| t == Bool || t == Dynamic;
            if logical(a) && logical(b) {
                Ok(Bool)
            } else {
                Err(format!("operator '{}' needs bool operands, not {a} and {b}", op_name(op)))
            }
        }
        BinOp::Eq | BinOp::Ne => compare::comparable(a, b, false).map(|()| Bool),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => compare::comparable(a, b, true).map(|()| Bool),
        BinOp::EqCi | BinOp::NeCi if (a.is_text() || a == Dynamic) && (b.is_text() || b == Dynamic) => Ok(Bool),
        BinOp::Str(_) if textual(a) && textual(b) => Ok(Bool),
        BinOp::EqCi | BinOp::NeCi | BinOp::Str(_) => {
            Err(format!("operator '{}' is not defined for the operand types {a} and {b}", op_name(op)))
        }
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => arith::arith_type(op, a, b),
    }
}

fn op_name(op: BinOp) -> &'static str {
    match op {
        BinOp::And => "and",
        BinOp::Or => "or",
        BinOp::EqCi => "=~",
        BinOp::NeCi => "!~",
        BinOp::Str(_) => "string operator",
        _ => "comparison",
    }
}

/// `a op b` for one row. `and`/`or` use three-valued logic (`false and null`
/// = false, `true or null` = true); comparisons with null yield null, except
/// that `==`/`!=` of a null and a non-null value are false/true (§7);
/// `where` keeps only `true`. `Err` only for an invalid `matches regex` pattern.
pub fn binary(op: BinOp, a: &Value, b: &Value, regexes: &RegexCache) -> Result<Value, String> {
    let cmp = || cmp3(a, b);
    let ord = |f: fn(std::cmp::Ordering) -> bool| match cmp() {
        Cmp::Null => Value::Null,
        Cmp::Unordered => Value::Bool(false),
        Cmp::Ord(o) => Value::Bool(f(o)),
    };
    Ok(match op {
        BinOp::And => match (truth(a), truth(b)) {
            (Some(false), _) | (_, Some(false)) => Value::Bool(false),
            (Some(true), Some(true)) => Value::Bool(true),
            _ => Value::Null,
        },
        BinOp::Or => match (truth(a), truth(b)) {
            (Some(true), _) | (_, Some(true)) => Value::Bool(true),
            (Some(false), Some(false)) => Value::Bool(false),
            _ => Value::Null,
        },
        BinOp::Eq | BinOp::Ne | BinOp::EqCi | BinOp::NeCi if a.is_null() != b.is_null() => {
            Value::Bool(matches!(op, BinOp::Ne | BinOp::NeCi))
        }
        BinOp::Eq => ord(|o| o.is_eq()),
        BinOp::Ne => match cmp() {
            Cmp::Null => Value::Null,
            Cmp::Unordered => Value::Bool(true),
            Cmp::Ord(o) => Value::Bool(o.is_ne()),
        },
        BinOp::Lt => ord(|o| o.is_lt()),
        BinOp::Le => ord(|o| o.is_le()),
        BinOp::Gt => ord(|o| o.is_gt()),
        BinOp::Ge => ord(|o| o.is_ge()),
        BinOp::EqCi | BinOp::NeCi => {
            if a.is_null() || b.is_null() {
                Value::Null
            } else {
                Value::Bool(eq_ci(&as_text(a), &as_text(b)) == (op == BinOp::EqCi))
            }
        }
        BinOp::Str(sc) => Value::Bool(StrMatcher::new(sc, &as_text(b), regexes)?.matches(&as_text(a))),
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => arith::arith(op, a, b),
    })
}

/// The truth value of a bool (or dynamic bool); `None` for null.
pub fn truth(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Dynamic(_) => match unwrap_dynamic(v) {
            Value::Bool(b) => Some(b),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests;
