//! `graph-match` and `graph-shortest-paths` (graph-match-operator.md,
//! graph-shortest-paths-operator.md): matches, then `where`, then `project`.

use std::sync::Arc;

use serde_json::{Map, Value as J};

use crate::data::{Column, ColumnBuilder, DataType, Value};
use crate::kql::ast::{Cycles, Expr, ExprKind, GraphMatch, Ident, NamedExpr};
use crate::kql::error::KqlError;
use crate::kql::eval::frame::Frame;
use crate::kql::eval::{Evaluator, Result, column_json};
use crate::kql::span::Span;

use super::expr::{
    DEG_IN, DEG_OUT, Derived, ElemFn, ElemList, HIDDEN, LABELS, NODE_ID, Rewriter, derived_name, for_single,
    single_var_uses,
};
use super::model::Graph;
use super::pattern::{Bound, Matcher, Plan, SlotKind};

/// A graph's node and edge tables with the hidden properties the graph functions read.
struct Augmented {
    nodes: Frame,
    edges: Frame,
}

fn augment(g: &Graph) -> Augmented {
    let empty = Arc::new(J::Array(Vec::new()));
    let labels = |n: usize| Arc::new(Column::Dynamic(vec![empty.clone(); n]));
    let degree = |adj: &[Vec<u32>]| {
        Arc::new(Column::from_values(
            DataType::Long,
            &adj.iter().map(|a| Value::Long(a.len() as i64)).collect::<Vec<_>>(),
        ))
    };
    let id_type = g.ids.iter().find(|v| !v.is_null()).map_or(DataType::String, value_type);
    let mut nodes = g.nodes.clone();
    nodes.set_column(LABELS, labels(g.node_count()));
    nodes.set_column(DEG_IN, degree(&g.in_edges));
    nodes.set_column(DEG_OUT, degree(&g.out_edges));
    nodes.set_column(NODE_ID, Arc::new(Column::from_values(id_type, &g.ids)));
    let mut edges = g.edges.clone();
    edges.set_column(LABELS, labels(g.edges.len()));
    Augmented { nodes, edges }
}

fn value_type(v: &Value) -> DataType {
    v.data_type().unwrap_or(DataType::String)
}

/// A row's properties as a bag (hidden and null properties left out).
fn bag(frame: &Frame, row: usize) -> J {
    let mut m = Map::new();
    for (c, col) in frame.cols().iter().enumerate() {
        let v = frame.value(row, c);
        if !col.name.starts_with(HIDDEN) && !v.is_null() {
            m.insert(col.name.clone(), column_json(&v));
        }
    }
    J::Object(m)
}

fn dynamic(j: J) -> Value {
    Value::Dynamic(Arc::new(j))
}

impl Evaluator {
    /// Runs `graph-match` / `graph-shortest-paths` over `g`.
    pub(crate) fn graph_match(&mut self, g: &Graph, m: &GraphMatch, span: Span) -> Result<Frame> {
        let plan = Plan::new(m, span)?;
        let aug = augment(g);
        let mut rw = Rewriter::new(&plan);
        let filter = m.filter.as_ref().map(|f| rw.rewrite(f)).transpose()?;
        let mut items = Vec::with_capacity(m.project.len());
        let mut auto = 0;
        for item in &m.project {
            let name = match item.names.as_slice() {
                [] => Ident { name: implicit_graph_name(&plan, &item.expr, &mut auto), span: item.expr.span },
                [one] => one.clone(),
                [_, second, ..] => {
                    return Err(KqlError::unsupported(
                        second.span,
                        "assigning several columns at once is not supported",
                    ));
                }
            };
            items.push(NamedExpr { names: vec![name], expr: rw.rewrite(&item.expr)? });
        }
        let allowed = self.pushdown(&plan, &aug, m.filter.as_ref())?;
        let session = self.session().clone();
        let cancel = move || session.cancelled();
        let cycles = if m.shortest.is_some() { Cycles::None } else { m.cycles };
        let mut matcher = Matcher::new(g, &plan, cycles, self.session().limits.max_rows, span, &cancel);
        matcher.allowed = allowed;
        matcher.run()?;
        let matches = matcher.out;
        let mut cols = vec![("\u{1}row".to_string(), row_numbers(matches.len()))];
        for (i, d) in rw.derived.iter().enumerate() {
            let at = rw.spans.get(i).copied().unwrap_or(span);
            cols.push((derived_name(i), self.derived(&aug, &plan, &matches, d, at)?));
        }
        let mut frame = Frame::from_columns(cols);
        if let Some(f) = &filter {
            frame = self.where_(frame, f)?;
        }
        if let Some(all) = m.shortest {
            frame = shortest(frame, &plan, &matches, all);
        }
        self.project(frame, &items, span)
    }

    /// Per-slot candidate masks from the `where` conjuncts that read one node or edge only.
    fn pushdown(&mut self, plan: &Plan, aug: &Augmented, filter: Option<&Expr>) -> Result<Vec<Option<Vec<bool>>>> {
        let mut allowed: Vec<Option<Vec<bool>>> = vec![None; plan.slots.len()];
        let Some(filter) = filter else { return Ok(allowed) };
        let mut conjuncts = Vec::new();
        crate::kql::eval::tabular::project::split_and(filter, &mut conjuncts);
        for c in conjuncts {
            let mut uses = Vec::new();
            if !single_var_uses(plan, c, &mut uses) || uses.is_empty() || uses.iter().any(|u| *u != uses[0]) {
                continue;
            }
            let slot = uses[0];
            let frame = match plan.slots[slot].1 {
                SlotKind::Node => &aug.nodes,
                SlotKind::Edge => &aug.edges,
                SlotKind::Path => continue,
            };
            let e = for_single(plan, c)?;
            let vals = self.scalar(&e, frame)?;
            let mut mask = vec![false; frame.len()];
            for p in vals.true_positions(frame) {
                mask[p as usize] = true;
            }
            allowed[slot] = Some(match allowed[slot].take() {
                Some(prev) => prev.iter().zip(&mask).map(|(a, b)| *a && *b).collect(),
                None => mask,
            });
        }
        Ok(allowed)
    }

    /// One derived column over every match.
    fn derived(
        &mut self,
        aug: &Augmented,
        plan: &Plan,
        matches: &[Vec<Bound>],
        d: &Derived,
        span: Span,
    ) -> Result<Arc<Column>> {
        let kind = |slot: usize| plan.slots[slot].1;
        let frame_of = |slot: usize| if kind(slot) == SlotKind::Node { &aug.nodes } else { &aug.edges };
        let single = |m: &Vec<Bound>, slot: usize| match &m[slot] {
            Bound::Node(n) | Bound::Edge(n) => *n,
            Bound::Path { .. } => 0,
        };
        let elements = |m: &Vec<Bound>, list: &ElemList| -> Vec<u32> {
            match (&m[list.slot], list.inner) {
                (Bound::Path { nodes, .. }, true) => {
                    nodes.get(1..nodes.len().saturating_sub(1)).unwrap_or(&[]).to_vec()
                }
                (Bound::Path { edges, .. }, false) => edges.clone(),
                (Bound::Edge(e), false) => vec![*e],
                _ => Vec::new(),
            }
        };
        let col = |frame: &Frame, name: &str| -> Result<usize> {
            frame.index_of(name).ok_or_else(|| {
                let what = if std::ptr::eq(frame, &aug.nodes) { "node" } else { "edge" };
                KqlError::unknown_column(span, format!("the graph has no {what} property '{name}'"))
            })
        };
        let prop = match d {
            Derived::Prop(slot, p) => Some((*slot, p.as_str())),
            Derived::Hidden(slot, h) => Some((*slot, *h)),
            _ => None,
        };
        if let Some((slot, name)) = prop {
            if kind(slot) != SlotKind::Path {
                let frame = frame_of(slot);
                let c = col(frame, name)?;
                let rows: Vec<u32> = matches.iter().map(|m| single(m, slot)).collect();
                return Ok(frame.take_rows(&rows).dense(c));
            }
            let c = col(&aug.edges, name)?;
            let list = ElemList { slot, inner: false };
            let vals = matches.iter().map(|m| {
                let items = elements(m, &list).iter().map(|&e| column_json(&aug.edges.value(e as usize, c))).collect();
                dynamic(J::Array(items))
            });
            return Ok(dense(DataType::Dynamic, vals));
        }
        match d {
            Derived::Prop(..) | Derived::Hidden(..) => Ok(dense(DataType::Dynamic, std::iter::empty())),
            Derived::Whole(slot) => {
                let vals = matches.iter().map(|m| match &m[*slot] {
                    Bound::Node(n) => dynamic(bag(&aug.nodes, *n as usize)),
                    Bound::Edge(e) => dynamic(bag(&aug.edges, *e as usize)),
                    Bound::Path { edges, .. } => {
                        dynamic(J::Array(edges.iter().map(|&e| bag(&aug.edges, e as usize)).collect()))
                    }
                });
                Ok(dense(DataType::Dynamic, vals))
            }
            Derived::InnerNodes(slot) => {
                let list = ElemList { slot: *slot, inner: true };
                let vals = matches.iter().map(|m| {
                    dynamic(J::Array(elements(m, &list).iter().map(|&n| bag(&aug.nodes, n as usize)).collect()))
                });
                Ok(dense(DataType::Dynamic, vals))
            }
            Derived::Elem(f, list, body) => {
                let frame = if list.inner { &aug.nodes } else { &aug.edges };
                let out = if *f == ElemFn::Map { DataType::Dynamic } else { DataType::Bool };
                let mut b = ColumnBuilder::new(out);
                for (i, m) in matches.iter().enumerate() {
                    if i % 1024 == 0 && self.session().cancelled() {
                        return Err(KqlError::cancelled(span, "cancelled"));
                    }
                    let part = frame.take_rows(&elements(m, list));
                    let vals = self.scalar(body, &part)?;
                    let v = match f {
                        ElemFn::Map => {
                            dynamic(J::Array((0..part.len()).map(|r| column_json(&vals.get(&part, r))).collect()))
                        }
                        ElemFn::All => Value::Bool(vals.true_positions(&part).len() == part.len()),
                        ElemFn::Any => Value::Bool(!vals.true_positions(&part).is_empty()),
                    };
                    b.push(&v);
                }
                Ok(Arc::new(b.finish()))
            }
        }
    }
}

fn dense(t: DataType, vals: impl Iterator<Item = Value>) -> Arc<Column> {
    let mut b = ColumnBuilder::new(t);
    vals.for_each(|v| b.push(&v));
    Arc::new(b.finish())
}

fn row_numbers(n: usize) -> Arc<Column> {
    dense(DataType::Long, (0..n as i64).map(Value::Long))
}

/// The name of an unnamed project item: `v.p` is `v_p`, `f(v)` of a graph
/// function is `f`, a variable is its name, else as `project` names it.
fn implicit_graph_name(plan: &Plan, e: &Expr, auto: &mut usize) -> String {
    match &e.kind {
        ExprKind::Call { name, .. }
            if matches!(name.name.as_str(), "node_degree_in" | "node_degree_out" | "node_id" | "labels") =>
        {
            return name.name.clone();
        }
        ExprKind::Name(id) if plan.slot(&id.name).is_some() => return id.name.clone(),
        _ => {}
    }
    crate::kql::eval::tabular::project::implicit_name(e).unwrap_or_else(|| {
        *auto += 1;
        format!("Column{auto}")
    })
}

/// graph-shortest-paths: per pair of end nodes, the matches of least length
/// (the first found for `output=any`, all of them for `output=all`).
fn shortest(frame: Frame, plan: &Plan, matches: &[Vec<Bound>], all: bool) -> Frame {
    let Some(rc) = frame.index_of("\u{1}row") else { return frame };
    let node_slots: Vec<usize> = (0..plan.slots.len()).filter(|&s| plan.slots[s].1 == SlotKind::Node).collect();
    let mut best: Vec<(Vec<u32>, usize, Vec<u32>)> = Vec::new();
    let mut index: std::collections::HashMap<Vec<u32>, usize> = std::collections::HashMap::new();
    for r in 0..frame.len() {
        let Value::Long(i) = frame.value(r, rc) else { continue };
        let Some(m) = matches.get(i as usize) else { continue };
        let key: Vec<u32> = node_slots.iter().map(|&s| if let Bound::Node(n) = m[s] { n } else { 0 }).collect();
        let len: usize = m.iter().map(|b| if let Bound::Path { edges, .. } = b { edges.len() } else { 0 }).sum();
        match index.get(&key) {
            None => {
                index.insert(key.clone(), best.len());
                best.push((key, len, vec![r as u32]));
            }
            Some(&k) => {
                let entry = &mut best[k];
                if len < entry.1 {
                    entry.1 = len;
                    entry.2 = vec![r as u32];
                } else if len == entry.1 && all {
                    entry.2.push(r as u32);
                }
            }
        }
    }
    let keep: Vec<u32> = best.into_iter().flat_map(|(_, _, rows)| rows).collect();
    frame.take_rows(&keep)
}
