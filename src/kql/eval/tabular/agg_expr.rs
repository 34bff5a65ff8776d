//! Aggregates nested inside scalar expressions in `summarize`:
//! `x = tostring(make_set(y))`, `dcount(a) * 100 / count()`,
//! `strcat(min(t), "-", max(t))` (summarize-operator.md: an aggregation is
//! "an expression that contains an aggregation function"). Each aggregate
//! runs per group as usual; the scalar expression around them then runs
//! once per group over their results.

use crate::kql::ast::{Expr, ExprKind, Ident, NamedExpr};

use super::super::aggregates;

/// The prefix of the hidden columns that hold a nested aggregate's result.
const HIDDEN: &str = "\u{0}agg";

/// True when `e` is a call of an aggregation function.
pub(super) fn is_aggregate_call(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Call { name, .. } => {
            aggregates::lookup(&name.name).is_some()
                || matches!(
                    name.name.as_str(),
                    "arg_max" | "arg_min" | "argmax" | "argmin" | "percentiles" | "percentilesw"
                )
        }
        _ => false,
    }
}

/// A summarize item whose aggregates sit inside a scalar expression.
pub(super) struct Lifted {
    /// The expression with every aggregate call replaced by a hidden column name.
    pub eval: Expr,
    /// The same with each aggregate replaced by its default column name
    /// (`set_b`): what Kusto names an unnamed item after (`tostring(make_set(b))` is `set_b`).
    pub naming: Expr,
    /// The aggregates, each named by its hidden column.
    pub parts: Vec<NamedExpr>,
}

/// Lifts the aggregate calls out of `e`; `None` when it has none.
/// `default_name` gives an aggregate call's implicit column name.
pub(super) fn lift(e: &Expr, default_name: &dyn Fn(&Expr) -> String) -> Option<Lifted> {
    let mut parts = Vec::new();
    let (eval, naming) = rewrite(e, &mut parts, default_name);
    (!parts.is_empty()).then_some(Lifted { eval, naming, parts })
}

/// Rewrites one expression; sub-expressions of a tabular argument are left alone.
fn rewrite(e: &Expr, parts: &mut Vec<NamedExpr>, default_name: &dyn Fn(&Expr) -> String) -> (Expr, Expr) {
    if is_aggregate_call(e) {
        let hidden = Ident { name: format!("{HIDDEN}{}", parts.len()), span: e.span };
        parts.push(NamedExpr { names: vec![hidden.clone()], expr: e.clone() });
        let named = Ident { name: default_name(e), span: e.span };
        return (
            Expr { kind: ExprKind::Name(hidden), span: e.span },
            Expr { kind: ExprKind::Name(named), span: e.span },
        );
    }
    let mut both = |x: &Expr| rewrite(x, parts, default_name);
    let pair = |k1: ExprKind, k2: ExprKind| (Expr { kind: k1, span: e.span }, Expr { kind: k2, span: e.span });
    match &e.kind {
        ExprKind::Unary { op, expr } => {
            let (a, b) = both(expr);
            pair(ExprKind::Unary { op: *op, expr: Box::new(a) }, ExprKind::Unary { op: *op, expr: Box::new(b) })
        }
        ExprKind::Binary { op, left, right } => {
            let (l1, l2) = both(left);
            let (r1, r2) = both(right);
            pair(
                ExprKind::Binary { op: *op, left: Box::new(l1), right: Box::new(r1) },
                ExprKind::Binary { op: *op, left: Box::new(l2), right: Box::new(r2) },
            )
        }
        ExprKind::Chain { first, rest } => {
            let (f1, f2) = both(first);
            let (r1, r2): (Vec<_>, Vec<_>) = rest
                .iter()
                .map(|(op, x)| {
                    let (x1, x2) = both(x);
                    ((*op, x1), (*op, x2))
                })
                .unzip();
            pair(ExprKind::Chain { first: Box::new(f1), rest: r1 }, ExprKind::Chain { first: Box::new(f2), rest: r2 })
        }
        ExprKind::Call { name, args } => {
            let (a1, a2): (Vec<Expr>, Vec<Expr>) = args.iter().map(&mut both).unzip();
            pair(ExprKind::Call { name: name.clone(), args: a1 }, ExprKind::Call { name: name.clone(), args: a2 })
        }
        ExprKind::List { op, expr, items } => {
            let (x1, x2) = both(expr);
            let (i1, i2): (Vec<Expr>, Vec<Expr>) = items.iter().map(&mut both).unzip();
            pair(
                ExprKind::List { op: *op, expr: Box::new(x1), items: i1 },
                ExprKind::List { op: *op, expr: Box::new(x2), items: i2 },
            )
        }
        ExprKind::Between { expr, low, high, negated } => {
            let (x1, x2) = both(expr);
            let (l1, l2) = both(low);
            let (h1, h2) = both(high);
            pair(
                ExprKind::Between { expr: Box::new(x1), low: Box::new(l1), high: Box::new(h1), negated: *negated },
                ExprKind::Between { expr: Box::new(x2), low: Box::new(l2), high: Box::new(h2), negated: *negated },
            )
        }
        ExprKind::Member { expr, name } => {
            let (x1, x2) = both(expr);
            pair(
                ExprKind::Member { expr: Box::new(x1), name: name.clone() },
                ExprKind::Member { expr: Box::new(x2), name: name.clone() },
            )
        }
        ExprKind::Index { expr, index } => {
            let (x1, x2) = both(expr);
            let (i1, i2) = both(index);
            pair(
                ExprKind::Index { expr: Box::new(x1), index: Box::new(i1) },
                ExprKind::Index { expr: Box::new(x2), index: Box::new(i2) },
            )
        }
        _ => (e.clone(), e.clone()),
    }
}
