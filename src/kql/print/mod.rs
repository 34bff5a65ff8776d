//! Prints a syntax tree back to KQL text. The output parses back to the same
//! tree (spans aside): `parse(print(parse(q))) == parse(q)`.

mod expr;

use std::fmt::Write;

use crate::data::DataType;
use crate::kql::ast::{
    ColumnPattern, Expr, ExprKind, FunctionDef, Ident, JoinKind, JoinOn, LetValue, NamedExpr, Op, OpKind, ParseKind,
    ParsePart, Query, SortKey, Source, Statement, TabularExpr, Union, UnionLeg,
};
use expr::{call, ident, list, operand, postfix_operand, string};

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
fn tabular(out: &mut String, t: &TabularExpr) {
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

fn paren_tabular(out: &mut String, t: &TabularExpr) {
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
    }
}

fn columns(out: &mut String, cols: &[(Ident, DataType)]) {
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

fn union(out: &mut String, u: &Union) {
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
fn pattern(out: &mut String, p: &ColumnPattern) {
    if p.pattern.contains('*')
        && p.pattern.split('*').all(|part| part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        && !p.pattern.starts_with(|c: char| c.is_ascii_digit())
    {
        out.push_str(&p.pattern);
    } else {
        ident(out, &p.pattern);
    }
}

fn patterns(out: &mut String, list: &[ColumnPattern]) {
    for (i, p) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        pattern(out, p);
    }
}

fn named_expr(out: &mut String, n: &NamedExpr) {
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

fn named_exprs(out: &mut String, items: &[NamedExpr]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        named_expr(out, item);
    }
}

fn operands(out: &mut String, items: &[Expr]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        operand(out, item);
    }
}

fn sort_key(out: &mut String, key: &SortKey) {
    operand(out, &key.expr);
    out.push_str(if key.descending { " desc" } else { " asc" });
    match key.nulls_first {
        Some(true) => out.push_str(" nulls first"),
        Some(false) => out.push_str(" nulls last"),
        None => {}
    }
}

fn join_on(out: &mut String, on: &[JoinOn]) {
    out.push_str(" on ");
    for (i, cond) in on.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match cond {
            JoinOn::Column(name) => ident(out, &name.name),
            JoinOn::Equal { left, right } => {
                out.push_str("$left.");
                ident(out, &left.name);
                out.push_str(" == $right.");
                ident(out, &right.name);
            }
        }
    }
}

fn join_kind(kind: JoinKind) -> &'static str {
    match kind {
        JoinKind::InnerUnique => "innerunique",
        JoinKind::Inner => "inner",
        JoinKind::LeftOuter => "leftouter",
        JoinKind::RightOuter => "rightouter",
        JoinKind::FullOuter => "fullouter",
        JoinKind::LeftAnti => "leftanti",
        JoinKind::RightAnti => "rightanti",
        JoinKind::LeftSemi => "leftsemi",
        JoinKind::RightSemi => "rightsemi",
    }
}

fn operator(out: &mut String, op: &Op) {
    match &op.kind {
        OpKind::Where(e) => {
            out.push_str("where ");
            operand(out, e);
        }
        OpKind::Project(items) => {
            out.push_str("project ");
            named_exprs(out, items);
        }
        OpKind::ProjectAway(p) => {
            out.push_str("project-away ");
            patterns(out, p);
        }
        OpKind::ProjectKeep(p) => {
            out.push_str("project-keep ");
            patterns(out, p);
        }
        OpKind::ProjectReorder(p) => {
            out.push_str("project-reorder ");
            patterns(out, p);
        }
        OpKind::ProjectRename(pairs) => {
            out.push_str("project-rename ");
            for (i, (new, old)) in pairs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                ident(out, &new.name);
                out.push_str(" = ");
                ident(out, &old.name);
            }
        }
        OpKind::Extend(items) => {
            out.push_str("extend ");
            named_exprs(out, items);
        }
        OpKind::Summarize { aggs, by } => {
            out.push_str("summarize");
            if !aggs.is_empty() {
                out.push(' ');
                named_exprs(out, aggs);
            }
            if !by.is_empty() {
                out.push_str(" by ");
                named_exprs(out, by);
            }
        }
        OpKind::Count(name) => {
            out.push_str("count");
            if let Some(name) = name {
                out.push_str(" as ");
                ident(out, &name.name);
            }
        }
        OpKind::Distinct(items) => {
            out.push_str("distinct ");
            operands(out, items);
        }
        OpKind::Take(n) => {
            out.push_str("take ");
            operand(out, n);
        }
        OpKind::Top { count, by } => {
            out.push_str("top ");
            operand(out, count);
            out.push_str(" by ");
            sort_key(out, by);
        }
        OpKind::Sort(keys) => {
            out.push_str("sort by ");
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                sort_key(out, key);
            }
        }
        OpKind::Join { kind, right, on } => {
            let _ = write!(out, "join kind={} ", join_kind(*kind));
            paren_tabular(out, right);
            join_on(out, on);
        }
        OpKind::Lookup { inner, right, on } => {
            out.push_str(if *inner { "lookup kind=inner " } else { "lookup kind=leftouter " });
            paren_tabular(out, right);
            join_on(out, on);
        }
        OpKind::Union(u) => union(out, u),
        OpKind::MvExpand { index, items, limit } => {
            out.push_str("mv-expand ");
            if let Some(i) = index {
                let _ = write!(out, "with_itemindex={} ", i.name);
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
        OpKind::Parse { kind, expr: e, pattern } => {
            out.push_str(match kind {
                ParseKind::Simple => "parse ",
                ParseKind::Regex => "parse kind=regex ",
                ParseKind::Relaxed => "parse kind=relaxed ",
            });
            operand(out, e);
            out.push_str(" with");
            for part in pattern {
                out.push(' ');
                match part {
                    ParsePart::Literal(s) => string(out, s),
                    ParsePart::Column(name, dtype) => {
                        ident(out, &name.name);
                        if let Some(t) = dtype {
                            out.push(':');
                            out.push_str(t.name());
                        }
                    }
                    ParsePart::Star => out.push('*'),
                }
            }
        }
        OpKind::Evaluate { plugin, args } => {
            out.push_str("evaluate ");
            call(out, plugin, args);
        }
        OpKind::MakeSeries { aggs, on, from, to, step, by } => {
            out.push_str("make-series ");
            for (i, agg) in aggs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                named_expr(out, &agg.agg);
                if let Some(d) = &agg.default {
                    out.push_str(" default = ");
                    operand(out, d);
                }
            }
            out.push_str(" on ");
            postfix_operand(out, on);
            if let Some(from) = from {
                out.push_str(" from ");
                operand(out, from);
            }
            if let Some(to) = to {
                out.push_str(" to ");
                operand(out, to);
            }
            out.push_str(" step ");
            operand(out, step);
            if !by.is_empty() {
                out.push_str(" by ");
                named_exprs(out, by);
            }
        }
        OpKind::As(name) => {
            out.push_str("as ");
            ident(out, &name.name);
        }
        OpKind::Serialize(items) => {
            out.push_str("serialize");
            if !items.is_empty() {
                out.push(' ');
                named_exprs(out, items);
            }
        }
        OpKind::Render(text) => {
            out.push_str("render ");
            out.push_str(text);
        }
        OpKind::Invoke { name, args } => {
            out.push_str("invoke ");
            call(out, name, args);
        }
        OpKind::GetSchema => out.push_str("getschema"),
    }
}
