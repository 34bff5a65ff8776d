//! Tabular evaluation: pipeline sources and the dispatch of `| operators`.

mod activity;
mod agg_expr;
mod bag_unpack;
mod budget;
mod external;
mod external_cache;
mod external_fetch;
mod geo_lookup;
pub(crate) mod graph;
mod grouping;
mod ip_lookup;
mod join;
mod multi;
mod nested;
mod parse;
mod parse_kv;
mod pivot;
mod project;
mod project_names;
mod reshape;
mod rolling;
mod scan_op;
mod scan_plan;
mod search;
mod series;
pub(super) mod sort;
mod sources;
mod subquery;
mod summarize;
mod union;

use crate::kql::ast::{Op, OpKind, TabularExpr};
use crate::kql::error::KqlError;

use super::frame::Frame;
use super::session::Binding;
use super::{Evaluator, Result};
use graph::Piped;

impl Evaluator {
    /// Evaluates a whole pipeline.
    pub fn tabular(&mut self, t: &TabularExpr) -> Result<Frame> {
        self.piped(t)?.into_table(t.span, "the result")
    }

    /// Evaluates a pipeline that may end in a graph (`let g = T | make-graph ...`).
    pub(crate) fn piped(&mut self, t: &TabularExpr) -> Result<Piped> {
        self.enter(t.span)?;
        let r = self.piped_prefix(t, t.ops.len());
        self.depth -= 1;
        r
    }

    /// The source and the first `n` operators of a pipeline.
    pub(crate) fn piped_prefix(&mut self, t: &TabularExpr, n: usize) -> Result<Piped> {
        let first = match self.graph_source(&t.source)? {
            Some(p) => p,
            None => Piped::Table(self.source(&t.source)?),
        };
        self.apply_ops_piped(first, &t.ops[..n.min(t.ops.len())])
    }

    /// Applies operators in order to a frame.
    pub(crate) fn apply_ops(&mut self, frame: Frame, ops: &[Op]) -> Result<Frame> {
        let span = ops.last().map_or(crate::kql::span::Span::new(0, 0), |o| o.span);
        self.apply_ops_piped(Piped::Table(frame), ops)?.into_table(span, "the next operator")
    }

    /// Applies operators in order to what flows in (rows or a graph).
    fn apply_ops_piped(&mut self, mut piped: Piped, ops: &[Op]) -> Result<Piped> {
        for op in ops {
            self.check_cancel(op.span)?;
            if graph::is_graph_op(&op.kind) {
                piped = self.graph_op(piped, op)?;
                continue;
            }
            let frame = self.apply_op(piped.into_table(op.span, "this operator")?, op)?;
            if frame.len() > self.session.limits.max_rows {
                return Err(KqlError::too_many_rows(
                    op.span,
                    format!(
                        "this operator produced {} rows, over the limit of {}",
                        frame.len(),
                        self.session.limits.max_rows
                    ),
                ));
            }
            piped = Piped::Table(frame);
        }
        Ok(piped)
    }

    fn apply_op(&mut self, frame: Frame, op: &Op) -> Result<Frame> {
        match &op.kind {
            OpKind::Where(p) => self.where_(frame, p),
            OpKind::Project(items) => self.project(frame, items, op.span),
            OpKind::ProjectAway(pats) => project::project_away(frame, pats),
            OpKind::ProjectKeep(pats) => project::project_keep(frame, pats),
            OpKind::ProjectByNames(specs) => self.project_by_names(frame, specs),
            OpKind::ProjectRename(pairs) => project::project_rename(frame, pairs),
            OpKind::ProjectReorder(pats) => project::project_reorder(frame, pats),
            OpKind::Extend(items) | OpKind::Serialize(items) => self.extend(frame, items),
            OpKind::Summarize { aggs, by } => self.summarize(frame, aggs, by, op.span),
            OpKind::Count(name) => Ok(summarize::count_rows(&frame, name.as_ref().map(|n| n.name.as_str()))),
            OpKind::Distinct(cols) => self.distinct(frame, cols),
            OpKind::Take(n) => {
                let n = self.const_count(n)?;
                let keep: Vec<u32> = (0..frame.len().min(n) as u32).collect();
                Ok(frame.take_rows(&keep))
            }
            OpKind::Top { count, by } => {
                let n = self.const_count(count)?;
                let sorted = self.sort(frame, std::slice::from_ref(by))?;
                let keep: Vec<u32> = (0..sorted.len().min(n) as u32).collect();
                Ok(sorted.take_rows(&keep).without_lineage())
            }
            OpKind::Sort(keys) => self.sort(frame, keys),
            OpKind::Join { kind, right, on } => {
                let r = self.tabular(right)?;
                self.join(frame, r, *kind, on, op.span)
            }
            OpKind::Lookup { inner, right, on } => {
                let r = self.tabular(right)?;
                self.lookup(frame, r, *inner, on, op.span)
            }
            OpKind::Union(u) => self.union(Some(frame), u, op.span),
            OpKind::MvExpand { index, items, limit, bag_arrays } => {
                self.mv_expand(frame, index.as_ref(), items, limit.as_ref(), *bag_arrays, op.span)
            }
            OpKind::Parse { kind, flags, expr, pattern } => {
                self.parse_op(frame, *kind, flags, expr, pattern, false, op.span)
            }
            OpKind::Evaluate { plugin, args, schema } => self.evaluate(frame, plugin, args, schema.as_ref(), op.span),
            OpKind::MakeSeries { aggs, on, from, to, step, by } => {
                self.make_series(frame, aggs, on, from.as_ref(), to.as_ref(), step, by, op.span)
            }
            OpKind::As(name) => {
                let frame = frame.with_alias(&name.name);
                self.scopes.bind(&name.name, Binding::Tabular(frame.clone()));
                Ok(frame)
            }
            OpKind::Render(text) => {
                self.notes.push(format!("render ignored: {}", text.trim()));
                Ok(frame)
            }
            OpKind::Invoke { name, args } => self.invoke(frame, name, args, op.span),
            OpKind::GetSchema => Ok(reshape::get_schema(&frame)),
            OpKind::MvApply { index, items, limit, body } => {
                self.mv_apply(frame, index.as_ref(), items, limit.as_ref(), body, op.span)
            }
            OpKind::Partition { by, body } => self.partition(frame, by, body, op.span),
            OpKind::TopNested(levels) => self.top_nested(frame, levels, op.span),
            OpKind::ParseWhere(inner) => match &**inner {
                OpKind::Parse { kind, flags, expr, pattern } => {
                    self.parse_op(frame, *kind, flags, expr, pattern, true, op.span)
                }
                _ => Err(KqlError::semantic(op.span, "parse-where holds no parse pattern")),
            },
            OpKind::ParseKv(kv) => self.parse_kv(frame, kv, op.span),
            OpKind::Search(s) => self.search_rows(frame, s),
            OpKind::Scan(s) => self.scan(frame, s, op.span),
            OpKind::MakeGraph(_) | OpKind::GraphMatch(_) | OpKind::GraphToTable(_) | OpKind::GraphMarkComponents(_) => {
                Err(KqlError::semantic(op.span, "a graph operator reached the table operators"))
            }
        }
    }
}
