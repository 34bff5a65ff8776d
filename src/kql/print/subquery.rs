//! Printing of the subquery and ranking operators (`mv-apply`, `partition`,
//! `top-nested`, `parse-where`) and of `search` and `parse-kv`.

use super::expr::{ident, operand, string};
use super::patterns;
use super::{columns, named_expr};
use crate::kql::ast::{Op, OpKind, ParseKv, Search, SearchPred};

/// Prints one operator; passed in by the operator printer (which dispatches here).
pub(super) type PrintOp = fn(&mut String, &Op);

/// Appends one of this module's operators (without its `|`); `operator`
/// prints the operators of a subquery.
pub(super) fn operator_kind(out: &mut String, kind: &OpKind, operator: PrintOp) {
    match kind {
        OpKind::MvApply { index, items, limit, body } => {
            out.push_str("mv-apply ");
            super::expand_items(out, index.as_ref(), items, limit.as_ref());
            out.push_str(" on ");
            ops(out, body, operator);
        }
        OpKind::Partition { by, body } => {
            out.push_str("partition by ");
            operand(out, by);
            out.push(' ');
            ops(out, body, operator);
        }
        OpKind::TopNested(levels) => {
            for (i, l) in levels.iter().enumerate() {
                out.push_str(if i > 0 { ", top-nested " } else { "top-nested " });
                if let Some(n) = &l.count {
                    operand(out, n);
                    out.push(' ');
                }
                out.push_str("of ");
                named_expr(out, &l.of);
                if let Some(o) = &l.others {
                    out.push_str(" with others = ");
                    operand(out, o);
                }
                out.push_str(" by ");
                named_expr(out, &l.by);
                out.push_str(if l.descending { " desc" } else { " asc" });
            }
        }
        OpKind::ParseWhere(inner) => {
            let mut text = String::new();
            operator(&mut text, &Op { kind: (**inner).clone(), span: crate::kql::span::Span::default() });
            out.push_str("parse-where");
            out.push_str(text.strip_prefix("parse").unwrap_or(&text));
        }
        OpKind::Search(s) => search(out, s),
        OpKind::ParseKv(kv) => parse_kv(out, kv),
        _ => {}
    }
}

/// Appends `(op | op ...)`.
fn ops(out: &mut String, body: &[Op], operator: PrintOp) {
    out.push('(');
    for (i, op) in body.iter().enumerate() {
        if i > 0 {
            out.push_str(" | ");
        }
        operator(out, op);
    }
    out.push(')');
}

/// Appends a `search` operator or source.
pub(super) fn search(out: &mut String, s: &Search) {
    out.push_str("search ");
    if s.case_sensitive {
        out.push_str("kind=case_sensitive ");
    }
    if !s.tables.is_empty() {
        out.push_str("in (");
        patterns(out, &s.tables);
        out.push_str(") ");
    }
    pred(out, &s.predicate);
}

fn pred(out: &mut String, p: &SearchPred) {
    match p {
        SearchPred::Term { column, term } => {
            if let Some(c) = column {
                ident(out, &c.name);
                out.push(':');
            }
            string(out, term);
        }
        SearchPred::Expr(e) => operand(out, e),
        SearchPred::And(a, b) => {
            and_operand(out, a);
            out.push_str(" and ");
            and_operand(out, b);
        }
        SearchPred::Or(a, b) => {
            pred(out, a);
            out.push_str(" or ");
            pred(out, b);
        }
        SearchPred::Not(a) => {
            out.push_str("not(");
            pred(out, a);
            out.push(')');
        }
    }
}

/// An `and` operand: an `or` inside it needs parentheses.
fn and_operand(out: &mut String, p: &SearchPred) {
    if matches!(p, SearchPred::Or(..)) {
        out.push('(');
        pred(out, p);
        out.push(')');
    } else {
        pred(out, p);
    }
}

/// Appends `parse-kv expr as (k:type, ...) with (option = value, ...)`.
fn parse_kv(out: &mut String, kv: &ParseKv) {
    out.push_str("parse-kv ");
    operand(out, &kv.expr);
    out.push_str(" as ");
    columns(out, &kv.keys);
    let mut opts: Vec<(&str, String)> = Vec::new();
    let quoted = |s: &str| {
        let mut t = String::new();
        string(&mut t, s);
        t
    };
    if let Some(r) = &kv.regex {
        opts.push(("regex", quoted(r)));
    }
    if let Some(d) = &kv.pair_delimiter {
        opts.push(("pair_delimiter", quoted(d)));
    }
    if let Some(d) = &kv.kv_delimiter {
        opts.push(("kv_delimiter", quoted(d)));
    }
    for (open, close) in &kv.quotes {
        let q = if open == close { open.to_string() } else { format!("{open}{close}") };
        opts.push(("quote", quoted(&q)));
    }
    for e in &kv.escapes {
        opts.push(("escape", quoted(&e.to_string())));
    }
    if kv.greedy {
        opts.push(("greedy", "true".into()));
    }
    if !opts.is_empty() {
        out.push_str(" with (");
        let parts: Vec<String> = opts.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push_str(&parts.join(", "));
        out.push(')');
    }
}
