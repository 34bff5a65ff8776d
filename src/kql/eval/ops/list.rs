//! `in`, `!in`, `in~`, `!in~`, `has_any`, `has_all` (kql-semantics.md §4, §6)
//! and `between` (§8).

use rustc_hash::FxHashSet;

use crate::data::Value;
use crate::kql::ast::ListOp;
use crate::kql::eval::convert::{as_text, unwrap_dynamic};
use crate::kql::terms;

use super::compare::{Cmp, cmp3};
use super::strings::eq_ci;

/// A list operator with its items prepared once: string items in a hash set
/// (lowercased for `in~`), other items kept for numeric comparison.
#[derive(Debug)]
pub struct ListMatcher {
    op: ListOp,
    strings: FxHashSet<Box<str>>,
    others: Vec<Value>,
    needles: Vec<String>,
}

impl ListMatcher {
    /// Prepares `x op (items)`; `items` are already flattened (dynamic arrays
    /// and tabular first columns expanded). Null items never match.
    pub fn new(op: ListOp, items: &[Value]) -> ListMatcher {
        let mut m = ListMatcher { op, strings: FxHashSet::default(), others: Vec::new(), needles: Vec::new() };
        for item in items.iter().map(unwrap_dynamic).filter(|v| !v.is_null()) {
            match (op, item) {
                (ListOp::HasAny | ListOp::HasAll, item) => m.needles.push(as_text(&item).into_owned()),
                (ListOp::In { case_insensitive, .. }, Value::String(s)) => {
                    m.strings.insert(if case_insensitive { s.to_lowercase().into() } else { Box::from(&*s) });
                }
                (_, other) => m.others.push(other),
            }
        }
        m
    }

    /// `x op (items)`. A null `x` is in no list and `!in` every list: `in` is
    /// an `or` of `==` and `!in` an `and` of `!=`, and a null compared with a
    /// non-null value is unequal (§7); `has_any`/`has_all` read a null as
    /// `""`, which has no terms (§2).
    pub fn eval(&self, x: &Value) -> Value {
        match self.op {
            ListOp::In { case_insensitive, negated } => {
                let x = unwrap_dynamic(x);
                if x.is_null() {
                    return Value::Bool(negated);
                }
                Value::Bool(self.contains(&x, case_insensitive) != negated)
            }
            ListOp::HasAny => {
                let hay = as_text(x);
                Value::Bool(self.needles.iter().any(|n| terms::has(&hay, n, false)))
            }
            ListOp::HasAll => {
                let hay = as_text(x);
                Value::Bool(self.needles.iter().all(|n| terms::has(&hay, n, false)))
            }
        }
    }

    fn contains(&self, x: &Value, ci: bool) -> bool {
        if let Value::String(s) = x {
            let hit = if ci { self.strings.contains(s.to_lowercase().as_str()) } else { self.strings.contains(&**s) };
            return hit || self.others.iter().any(|o| ci && matches!(o, Value::String(t) if eq_ci(s, t)));
        }
        self.others.iter().any(|o| cmp3(x, o) == Cmp::Ord(std::cmp::Ordering::Equal))
    }
}

/// `x op (items)` for one row; see [`ListMatcher`].
pub fn list(op: ListOp, x: &Value, items: &[Value]) -> Value {
    ListMatcher::new(op, items).eval(x)
}

/// `x between (low .. high)`, inclusive at both ends (§8); when `low` is a
/// datetime a timespan `high` means `low + high`. Null anywhere → null (the
/// caller negates for `!between`; `not(null)` stays null, so the row drops).
pub fn between(x: &Value, low: &Value, high: &Value) -> Value {
    let high = match (unwrap_dynamic(low), high) {
        (Value::DateTime(l), &Value::Timespan(t)) => match l.checked_add(t) {
            Some(h) => Value::DateTime(h),
            None => return Value::Null,
        },
        _ => high.clone(),
    };
    match (cmp3(x, low), cmp3(x, &high)) {
        (Cmp::Null, _) | (_, Cmp::Null) => Value::Null,
        (Cmp::Ord(lo), Cmp::Ord(hi)) => Value::Bool(lo.is_ge() && hi.is_le()),
        _ => Value::Bool(false),
    }
}
