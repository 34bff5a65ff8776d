//! Printing the graph operators (make-graph, graph-match, graph-shortest-paths,
//! graph-to-table, graph-mark-components).

use super::expr::{ident, operand};
use super::{named_exprs, paren_tabular};
use crate::kql::ast::{
    Cycles, EdgeDir, GraphMatch, GraphTableOut, GraphToTable, MakeGraph, MarkComponents, Op, PatternPath,
};

/// `make-graph ...`; `operator` prints the partitioned-by operator.
pub(super) fn make_graph(out: &mut String, g: &MakeGraph, operator: fn(&mut String, &Op)) {
    out.push_str("make-graph ");
    ident(out, &g.source.name);
    out.push_str(" --> ");
    ident(out, &g.target.name);
    if let Some(id) = &g.node_id {
        out.push_str(" with_node_id=");
        ident(out, &id.name);
    }
    for (i, (table, id)) in g.nodes.iter().enumerate() {
        out.push_str(if i == 0 { " with " } else { ", " });
        paren_tabular(out, table);
        out.push_str(" on ");
        ident(out, &id.name);
    }
    if let Some((col, op)) = &g.partition {
        out.push_str(" partitioned-by ");
        ident(out, &col.name);
        out.push_str(" (");
        operator(out, op);
        out.push(')');
    }
}

/// `graph-match ...` or `graph-shortest-paths ...`.
pub(super) fn graph_match(out: &mut String, m: &GraphMatch) {
    match m.shortest {
        Some(all) => out.push_str(if all { "graph-shortest-paths output=all " } else { "graph-shortest-paths " }),
        None => {
            out.push_str("graph-match ");
            match m.cycles {
                Cycles::UniqueEdges => {}
                Cycles::All => out.push_str("cycles=all "),
                Cycles::None => out.push_str("cycles=none "),
            }
        }
    }
    for (i, path) in m.pattern.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        pattern_path(out, path);
    }
    if let Some(f) = &m.filter {
        out.push_str(" where ");
        operand(out, f);
    }
    out.push_str(" project ");
    named_exprs(out, &m.project);
}

fn pattern_path(out: &mut String, p: &PatternPath) {
    let node = |out: &mut String, n: &crate::kql::ast::PatternNode| {
        out.push('(');
        if let Some(name) = &n.name {
            ident(out, &name.name);
        }
        out.push(')');
    };
    node(out, &p.first);
    for (edge, next) in &p.steps {
        out.push_str(if edge.dir == EdgeDir::Left { "<-[" } else { "-[" });
        if let Some(name) = &edge.name {
            ident(out, &name.name);
        }
        if let Some((min, max)) = edge.range {
            out.push_str(&format!("*{min}..{max}"));
        }
        out.push_str(if edge.dir == EdgeDir::Right { "]->" } else { "]-" });
        node(out, next);
    }
}

/// `graph-to-table nodes ..., edges ...`.
pub(super) fn graph_to_table(out: &mut String, t: &GraphToTable) {
    out.push_str("graph-to-table ");
    let nodes = |out: &mut String, o: &GraphTableOut| {
        out.push_str("nodes");
        alias(out, o);
        if let Some(id) = &o.id {
            out.push_str(" with_node_id=");
            ident(out, &id.name);
        }
    };
    let edges = |out: &mut String, o: &GraphTableOut| {
        out.push_str("edges");
        alias(out, o);
        if let Some(id) = &o.id {
            out.push_str(" with_source_id=");
            ident(out, &id.name);
        }
        if let Some(id) = &o.target_id {
            out.push_str(" with_target_id=");
            ident(out, &id.name);
        }
    };
    match (&t.nodes, &t.edges) {
        (Some(n), Some(e)) if t.edges_first => {
            edges(out, e);
            out.push_str(", ");
            nodes(out, n);
        }
        (Some(n), Some(e)) => {
            nodes(out, n);
            out.push_str(", ");
            edges(out, e);
        }
        (Some(n), None) => nodes(out, n),
        (None, Some(e)) => edges(out, e),
        (None, None) => {}
    }
}

fn alias(out: &mut String, o: &GraphTableOut) {
    if let Some(a) = &o.alias {
        out.push_str(" as ");
        ident(out, &a.name);
    }
}

/// `graph-mark-components ...`.
pub(super) fn mark_components(out: &mut String, m: &MarkComponents) {
    out.push_str("graph-mark-components");
    if m.strong {
        out.push_str(" kind=strong");
    }
    if let Some(id) = &m.id {
        out.push_str(" with_component_id=");
        ident(out, &id.name);
    }
}
