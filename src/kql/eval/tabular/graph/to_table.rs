//! `graph-to-table` (graph-to-table-operator.md) and `graph-mark-components`
//! (graph-mark-components-operator.md).

use std::sync::Arc;

use crate::data::{Column, DataType, Value};
use crate::kql::ast::{Expr, ExprKind, GraphToTable, Ident, MarkComponents};
use crate::kql::eval::frame::{Frame, FrameCol};
use crate::kql::eval::session::Binding;
use crate::kql::eval::{Evaluator, Result};
use crate::kql::span::Span;

use super::expr::HIDDEN;
use super::model::Graph;

impl Evaluator {
    /// `graph-to-table`: the nodes or edges table (the first written when
    /// both are asked for; each `as Name` is bound for later statements).
    pub(crate) fn graph_to_table(&mut self, g: &Graph, t: &GraphToTable, span: Span) -> Result<Frame> {
        let nodes = match &t.nodes {
            Some(o) => {
                let mut cols = Vec::new();
                if let Some(id) = &o.id {
                    cols.push(FrameCol::new(id.name.clone(), self.node_hashes(g, span)?, false));
                }
                let f = visible(&g.nodes, cols);
                if let Some(a) = &o.alias {
                    self.scopes.bind(&a.name, Binding::Tabular(f.clone().with_alias(&a.name)));
                }
                Some(f)
            }
            None => None,
        };
        let edges = match &t.edges {
            Some(o) => {
                let mut cols = Vec::new();
                if o.id.is_some() || o.target_id.is_some() {
                    let hashes = self.node_hashes(g, span)?;
                    let by = |ends: &[u32]| {
                        let rows: Vec<u32> = ends.to_vec();
                        Arc::new(hashes.gather(&rows))
                    };
                    if let Some(id) = &o.id {
                        cols.push(FrameCol::new(id.name.clone(), by(&g.src), false));
                    }
                    if let Some(id) = &o.target_id {
                        cols.push(FrameCol::new(id.name.clone(), by(&g.dst), false));
                    }
                }
                let f = visible(&g.edges, cols);
                if let Some(a) = &o.alias {
                    self.scopes.bind(&a.name, Binding::Tabular(f.clone().with_alias(&a.name)));
                }
                Some(f)
            }
            None => None,
        };
        Ok(match (nodes, edges) {
            (Some(_), Some(e)) if t.edges_first => e,
            (Some(n), _) => n,
            (None, Some(e)) => e,
            (None, None) => Frame::default(),
        })
    }

    /// Each node's hash id: `hash()` of its id, as Kusto exports it.
    fn node_hashes(&mut self, g: &Graph, span: Span) -> Result<Arc<Column>> {
        let t = g.ids.iter().find(|v| !v.is_null()).map_or(DataType::String, |v| match v {
            Value::Long(_) => DataType::Long,
            Value::Int(_) => DataType::Int,
            Value::Real(_) => DataType::Real,
            Value::Bool(_) => DataType::Bool,
            Value::DateTime(_) => DataType::DateTime,
            Value::Timespan(_) => DataType::Timespan,
            Value::Dynamic(_) => DataType::Dynamic,
            _ => DataType::String,
        });
        let ids = Frame::from_columns(vec![("id".to_string(), Arc::new(Column::from_values(t, &g.ids)))]);
        let arg = Expr { kind: ExprKind::Name(Ident { name: "id".to_string(), span }), span };
        let call =
            Expr { kind: ExprKind::Call { name: Ident { name: "hash".to_string(), span }, args: vec![arg] }, span };
        Ok(self.scalar(&call, &ids)?.to_column(&ids))
    }
}

/// `extra` columns, then the frame's own visible (non-hidden) columns.
fn visible(frame: &Frame, extra: Vec<FrameCol>) -> Frame {
    let mut cols: Vec<(String, Arc<Column>)> = extra
        .into_iter()
        .map(|c| {
            let col = c.col().clone();
            (c.name, col)
        })
        .collect();
    for (i, c) in frame.cols().iter().enumerate() {
        if !c.name.starts_with(HIDDEN) {
            cols.push((c.name.clone(), frame.dense(i)));
        }
    }
    Frame::from_columns(cols)
}

/// `graph-mark-components`: each node's zero-based component index, in
/// order of each component's first node.
pub(super) fn mark_components(g: &Graph, m: &MarkComponents) -> Graph {
    let comp = if m.strong { strong(g) } else { weak(g) };
    let vals: Vec<Value> = comp.into_iter().map(|c| Value::Long(c as i64)).collect();
    let name = m.id.as_ref().map_or("ComponentId", |i| i.name.as_str());
    g.with_node_property(name, Arc::new(Column::from_values(DataType::Long, &vals)))
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Weakly connected components (edge direction ignored), by union-find.
fn weak(g: &Graph) -> Vec<usize> {
    let n = g.node_count();
    let mut parent: Vec<usize> = (0..n).collect();
    for (&s, &d) in g.src.iter().zip(&g.dst) {
        let (a, b) = (find(&mut parent, s as usize), find(&mut parent, d as usize));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    number(&(0..n).map(|i| find(&mut parent, i)).collect::<Vec<_>>())
}

/// Strongly connected components, by Kosaraju's two passes on explicit stacks.
fn strong(g: &Graph) -> Vec<usize> {
    let n = g.node_count();
    let mut order = Vec::with_capacity(n);
    let mut seen = vec![false; n];
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((v, i)) = stack.last_mut() {
            if let Some(&e) = g.out_edges[*v].get(*i) {
                *i += 1;
                let w = g.dst[e as usize] as usize;
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                order.push(*v);
                stack.pop();
            }
        }
    }
    let mut root = vec![usize::MAX; n];
    for &start in order.iter().rev() {
        if root[start] != usize::MAX {
            continue;
        }
        root[start] = start;
        let mut stack = vec![start];
        while let Some(v) = stack.pop() {
            for &e in &g.in_edges[v] {
                let w = g.src[e as usize] as usize;
                if root[w] == usize::MAX {
                    root[w] = start;
                    stack.push(w);
                }
            }
        }
    }
    number(&root)
}

/// Renumbers component representatives 0, 1, ... in order of first node.
fn number(rep: &[usize]) -> Vec<usize> {
    let mut ids = std::collections::HashMap::new();
    rep.iter()
        .map(|r| {
            let next = ids.len();
            *ids.entry(*r).or_insert(next)
        })
        .collect()
}
