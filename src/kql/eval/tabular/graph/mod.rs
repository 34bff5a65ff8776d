//! The graph operators. A graph is a pipeline value, not a table: `make-graph`
//! turns edge rows into one, `graph-mark-components` annotates it, and
//! `graph-match`, `graph-shortest-paths` and `graph-to-table` turn it back
//! into rows. [`Piped`] is what flows between operators.

mod expr;
mod matching;
mod model;
mod pattern;
mod to_table;

use std::collections::HashMap;
use std::sync::Arc;

pub use model::Graph;

use crate::kql::ast::{Ident, MakeGraph, Op, OpKind, Source};
use crate::kql::error::KqlError;
use crate::kql::eval::frame::Frame;
use crate::kql::eval::session::Binding;
use crate::kql::eval::{Evaluator, Result, column_json};
use crate::kql::span::Span;

/// What flows from one operator to the next.
#[derive(Debug)]
pub enum Piped {
    /// Rows.
    Table(Frame),
    /// A graph (after `make-graph`).
    Graph(Arc<Graph>),
}

impl Piped {
    /// The rows, or an error at `span` naming `what` needs a table.
    pub fn into_table(self, span: Span, what: &str) -> Result<Frame> {
        match self {
            Piped::Table(f) => Ok(f),
            Piped::Graph(_) => Err(KqlError::misplaced(span, format!("{what} needs a table, but a graph flows here"))
                .with_help("turn the graph into rows first with graph-match, graph-shortest-paths or graph-to-table")),
        }
    }

    fn into_graph(self, span: Span, what: &str) -> Result<Arc<Graph>> {
        match self {
            Piped::Graph(g) => Ok(g),
            Piped::Table(_) => Err(KqlError::misplaced(span, format!("{what} needs a graph, but a table flows here"))
                .with_help("build the graph first: T | make-graph Source --> Target ...")),
        }
    }
}

/// True for the operators that take or make a graph.
pub(crate) fn is_graph_op(kind: &OpKind) -> bool {
    matches!(
        kind,
        OpKind::MakeGraph(_) | OpKind::GraphMatch(_) | OpKind::GraphToTable(_) | OpKind::GraphMarkComponents(_)
    )
}

fn op_name(kind: &OpKind) -> &'static str {
    match kind {
        OpKind::MakeGraph(_) => "make-graph",
        OpKind::GraphMatch(m) if m.shortest.is_some() => "graph-shortest-paths",
        OpKind::GraphMatch(_) => "graph-match",
        OpKind::GraphToTable(_) => "graph-to-table",
        OpKind::GraphMarkComponents(_) => "graph-mark-components",
        _ => "this operator",
    }
}

impl Evaluator {
    /// A pipeline source that is a graph (a `let` bound to one), if it is one.
    pub(crate) fn graph_source(&mut self, s: &Source) -> Result<Option<Piped>> {
        match s {
            Source::Name(id) => match self.scopes.get(&id.name) {
                Some(Binding::Graph(g)) => Ok(Some(Piped::Graph(g.clone()))),
                _ => Ok(None),
            },
            Source::Call { name, span, .. } if name.name == "graph" && self.scopes.get("graph").is_none() => {
                Err(KqlError::unsupported(
                    *span,
                    "graph(...) reads a graph model stored in a Kusto database, which is not available offline",
                )
                .with_help(
                    "build the graph from tables instead: Edges | make-graph Source --> Target with Nodes on Id",
                ))
            }
            Source::Paren(t) => self.piped(t).map(Some),
            _ => Ok(None),
        }
    }

    /// Applies one graph operator.
    pub(crate) fn graph_op(&mut self, input: Piped, op: &Op) -> Result<Piped> {
        let what = op_name(&op.kind);
        match &op.kind {
            OpKind::MakeGraph(g) => {
                let edges = input.into_table(op.span, what)?;
                match &g.partition {
                    Some((col, inner)) => self.partitioned(edges, g, col, inner).map(Piped::Table),
                    None => Ok(Piped::Graph(Arc::new(self.make_graph(edges, g)?))),
                }
            }
            OpKind::GraphMatch(m) => {
                let g = input.into_graph(op.span, what)?;
                self.graph_match(&g, m, op.span).map(Piped::Table)
            }
            OpKind::GraphToTable(t) => {
                let g = input.into_graph(op.span, what)?;
                self.graph_to_table(&g, t, op.span).map(Piped::Table)
            }
            OpKind::GraphMarkComponents(m) => {
                let g = input.into_graph(op.span, what)?;
                Ok(Piped::Graph(Arc::new(to_table::mark_components(&g, m))))
            }
            _ => Err(KqlError::semantic(op.span, "not a graph operator")),
        }
    }

    /// `make-graph ... partitioned-by Col (op)`: one graph per value of `Col`
    /// (edges and nodes alike), `op` over each, the results stacked.
    fn partitioned(&mut self, edges: Frame, g: &MakeGraph, col: &Ident, inner: &Op) -> Result<Frame> {
        let mut tables = Vec::new();
        for (t, id) in &g.nodes {
            tables.push((self.tabular(t)?, id.clone()));
        }
        let need = |f: &Frame, what: &str| {
            f.index_of(&col.name).ok_or_else(|| {
                KqlError::unknown_column(col.span, format!("{what} has no partition column '{}'", col.name))
            })
        };
        let ec = need(&edges, "the edge table")?;
        let node_cols = tables.iter().map(|(t, _)| need(t, "a nodes table")).collect::<Result<Vec<_>>>()?;
        // Rows of each partition, in order of first appearance in the edges.
        let key = |f: &Frame, c: usize, r: usize| column_json(&f.value(r, c)).to_string();
        let mut order: Vec<String> = Vec::new();
        let mut edge_rows: HashMap<String, Vec<u32>> = HashMap::new();
        for r in 0..edges.len() {
            let k = key(&edges, ec, r);
            if !edge_rows.contains_key(&k) {
                order.push(k.clone());
            }
            edge_rows.entry(k).or_default().push(r as u32);
        }
        let mut legs = Vec::new();
        for k in &order {
            self.check_cancel(inner.span)?;
            let part_edges = edges.take_rows(edge_rows.get(k).map_or(&[][..], Vec::as_slice));
            let part_nodes = tables
                .iter()
                .zip(&node_cols)
                .map(|((t, id), &c)| {
                    let rows: Vec<u32> = (0..t.len()).filter(|&r| key(t, c, r) == *k).map(|r| r as u32).collect();
                    (t.take_rows(&rows), id.clone())
                })
                .collect();
            let graph = model::build(part_edges, part_nodes, g)?;
            let out = self.graph_op(Piped::Graph(Arc::new(graph)), inner)?;
            legs.push((String::new(), out.into_table(inner.span, "make-graph partitioned-by")?));
        }
        Ok(super::union::concat(&legs, false, None))
    }
}
