//! Prints a syntax tree back to KQL text. The output parses back to the same
//! tree (spans aside): `parse(print(parse(q))) == parse(q)`. [`table`] prints
//! a query's result as aligned text.

mod expr;
mod graph;
mod operators;
mod scan_op;
mod subquery;
pub mod table;

use std::fmt::Write;

use crate::data::DataType;
use crate::kql::ast::{
    ColumnPattern, Expr, ExprKind, FunctionDef, Ident, LetValue, NamedExpr, Query, Source, Statement, TabularExpr,
    Union, UnionLeg,
};
use expr::{call, ident, list, operand};
use operators::operator;

/// The KQL text of a whole query, one statement per line.
pub fn query(q: &Query) -> String {
    let mut out = String::new();
    statements(&mut out, &q.statements, ";\n");
    out
}

/// The KQL text of an expression (tabular expressions included).
pub fn expression(e: &Expr) -> String {
    let mut out = String::new();
    expr::expr(&mut out, e);
    out
}

/// A column or other name as KQL text: bare when it is a plain non-keyword
/// word, else quoted as `['...']`.
pub fn name(name: &str) -> String {
    let mut out = String::new();
    ident(&mut out, name);
    out
}

fn statements(out: &mut String, list: &[Statement], separator: &str) {
    for (i, statement) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        match statement {
            Statement::Let { name, value, .. } => {
                out.push_str("let ");
                ident(out, &name.name);
                out.push_str(" = ");
                match value {
                    LetValue::Expr(e) => statement_expr(out, e),
                    LetValue::Function(f) => function(out, f),
                }
            }
            Statement::Expr(e) => statement_expr(out, e),
        }
    }
}

fn function(out: &mut String, f: &FunctionDef) {
    if f.is_view {
        out.push_str("view ");
    }
    out.push('(');
    for (i, param) in f.params.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        ident(out, &param.name.name);
        out.push(':');
        out.push_str(param.dtype.map_or("(*)", DataType::name));
        if let Some(default) = &param.default {
            out.push_str(" = ");
            operand(out, default);
        }
    }
    out.push_str(") { ");
    statements(out, &f.body, "; ");
    out.push_str(" }");
}

/// Appends a nested tabular expression on one line: `T | where x | take 1`.
pub(super) fn tabular(out: &mut String, t: &TabularExpr) {
    tabular_with(out, t, " | ");
}

/// Appends a tabular expression, each `| operator` after `separator`.
fn tabular_with(out: &mut String, t: &TabularExpr, separator: &str) {
    source(out, &t.source);
    for op in &t.ops {
        out.push_str(separator);
        operator(out, op);
    }
}

/// Appends a statement's expression; a pipeline there gets one operator per line.
fn statement_expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Tabular(t) => tabular_with(out, t, "\n| "),
        _ => expr::expr(out, e),
    }
}

pub(super) fn paren_tabular(out: &mut String, t: &TabularExpr) {
    out.push('(');
    tabular(out, t);
    out.push(')');
}

fn source(out: &mut String, s: &Source) {
    match s {
        Source::Name(name) => ident(out, &name.name),
        Source::Call { name, args, .. } => call(out, name, args),
        Source::Datatable { columns: cols, values, .. } => {
            out.push_str("datatable");
            columns(out, cols);
            out.push_str(" [");
            list(out, values);
            out.push(']');
        }
        Source::Union(u) => union(out, u),
        Source::ExternalData { columns: cols, urls, properties, .. } => {
            out.push_str("externaldata");
            columns(out, cols);
            out.push_str(" [");
            list(out, urls);
            out.push(']');
            if !properties.is_empty() {
                out.push_str(" with (");
                for (i, (name, value)) in properties.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    ident(out, &name.name);
                    out.push('=');
                    operand(out, value);
                }
                out.push(')');
            }
        }
        Source::Print(items, _) => {
            out.push_str("print ");
            named_exprs(out, items);
        }
        Source::Range { name, from, to, step, .. } => {
            out.push_str("range ");
            ident(out, &name.name);
            out.push_str(" from ");
            operand(out, from);
            out.push_str(" to ");
            operand(out, to);
            out.push_str(" step ");
            operand(out, step);
        }
        Source::Paren(inner) => paren_tabular(out, inner),
        Source::Search(s) => subquery::search(out, s),
    }
}

/// Appends `(name:type, ...)`: datatable, externaldata and parse-kv columns.
pub(super) fn columns(out: &mut String, cols: &[(Ident, DataType)]) {
    out.push('(');
    for (i, (name, dtype)) in cols.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        ident(out, &name.name);
        out.push(':');
        out.push_str(dtype.name());
    }
    out.push(')');
}

pub(super) fn union(out: &mut String, u: &Union) {
    out.push_str("union ");
    if u.inner {
        out.push_str("kind=inner ");
    }
    if let Some(name) = &u.with_source {
        out.push_str("withsource=");
        ident(out, &name.name);
        out.push(' ');
    }
    if u.is_fuzzy {
        out.push_str("isfuzzy=true ");
    }
    for (i, leg) in u.legs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match leg {
            UnionLeg::Pattern(p) => pattern(out, p),
            UnionLeg::Expr(t) => paren_tabular(out, t),
        }
    }
}

/// A column pattern: bare when it is words and `*`, else quoted.
pub(super) fn pattern(out: &mut String, p: &ColumnPattern) {
    if p.pattern.contains('*')
        && p.pattern.split('*').all(|part| part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        && !p.pattern.starts_with(|c: char| c.is_ascii_digit())
    {
        out.push_str(&p.pattern);
    } else {
        ident(out, &p.pattern);
    }
}

pub(super) fn patterns(out: &mut String, list: &[ColumnPattern]) {
    for (i, p) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        pattern(out, p);
    }
}

pub(super) fn named_expr(out: &mut String, n: &NamedExpr) {
    match n.names.as_slice() {
        [] => {}
        [one] => {
            ident(out, &one.name);
            out.push_str(" = ");
        }
        many => {
            out.push('(');
            for (i, name) in many.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                ident(out, &name.name);
            }
            out.push_str(") = ");
        }
    }
    operand(out, &n.expr);
}

pub(super) fn named_exprs(out: &mut String, items: &[NamedExpr]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        named_expr(out, item);
    }
}

pub(super) fn operands(out: &mut String, items: &[Expr]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        operand(out, item);
    }
}

/// `[with_itemindex=i] item [to typeof(t)], ... [limit n]`: what mv-expand
/// and mv-apply print after their keyword.
pub(super) fn expand_items(
    out: &mut String,
    index: Option<&Ident>,
    items: &[(NamedExpr, Option<DataType>)],
    limit: Option<&Expr>,
) {
    if let Some(i) = index {
        out.push_str("with_itemindex=");
        ident(out, &i.name);
        out.push(' ');
    }
    for (i, (item, cast)) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        named_expr(out, item);
        if let Some(t) = cast {
            let _ = write!(out, " to typeof({})", t.name());
        }
    }
    if let Some(n) = limit {
        out.push_str(" limit ");
        operand(out, n);
    }
}
