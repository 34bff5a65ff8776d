//! Printing the `| operator`s of a pipeline.

use std::fmt::Write;

use super::expr::{call, ident, operand, postfix_operand, string};
use super::{expand_items, named_expr, named_exprs, operands, paren_tabular, patterns, union};
use crate::kql::ast::{JoinKind, JoinOn, Op, OpKind, ParseKind, ParsePart, SortKey};

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

/// Appends one operator (without its `|`).
pub(super) fn operator(out: &mut String, op: &Op) {
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
        OpKind::ProjectByNames(specs) => {
            out.push_str("project-by-names ");
            for (i, e) in specs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                operand(out, e);
            }
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
        OpKind::MvExpand { index, items, limit, bag_arrays } => {
            out.push_str(if *bag_arrays { "mv-expand bagexpansion=array " } else { "mv-expand " });
            expand_items(out, index.as_ref(), items, limit.as_ref());
        }
        OpKind::Parse { kind, flags, expr: e, pattern } => {
            out.push_str(match kind {
                ParseKind::Simple => "parse ",
                ParseKind::Regex => "parse kind=regex ",
                ParseKind::Relaxed => "parse kind=relaxed ",
            });
            if !flags.is_empty() {
                out.push_str("flags=");
                out.push_str(flags);
                out.push(' ');
            }
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
        OpKind::Evaluate { plugin, args, schema } => {
            out.push_str("evaluate ");
            call(out, plugin, args);
            if let Some((star, columns)) = schema {
                out.push_str(" : (");
                if *star {
                    out.push_str("*, ");
                }
                for (i, (name, dtype)) in columns.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{}:{}", name.name, dtype.name());
                }
                out.push(')');
            }
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
        OpKind::MvApply { .. }
        | OpKind::Partition { .. }
        | OpKind::TopNested(_)
        | OpKind::ParseWhere(_)
        | OpKind::ParseKv(_)
        | OpKind::Search(_) => super::subquery::operator_kind(out, &op.kind, operator),
        OpKind::Scan(s) => super::scan_op::scan(out, s, sort_key),
        OpKind::MakeGraph(g) => super::graph::make_graph(out, g, operator),
        OpKind::GraphMatch(m) => super::graph::graph_match(out, m),
        OpKind::GraphToTable(t) => super::graph::graph_to_table(out, t),
        OpKind::GraphMarkComponents(m) => super::graph::mark_components(out, m),
    }
}
