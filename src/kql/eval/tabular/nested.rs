//! `top-nested`: hierarchical aggregation. Each level groups the rows its
//! parent group kept by a value, ranks the values by an aggregate, keeps the
//! top N, and can add a `with others` row aggregating the rest
//! (top-nested-operator.md). Two columns per level: the value and its
//! aggregate (`aggregated_<Value>` unless named).

use std::collections::HashMap;

use crate::data::{DataType, Value};
use crate::kql::ast::{NamedExpr, TopNestedLevel};
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::functions::convert::coerce;
use super::super::{Evaluator, Result};
use super::grouping::Key;
use super::project::{AutoNames, output_name};
use super::sort::order;
use super::subquery::Stack;

/// One level, prepared: its count, others value and output types.
struct Level<'a> {
    spec: &'a TopNestedLevel,
    count: Option<usize>,
    others: Option<Value>,
    key_type: DataType,
    agg_type: DataType,
}

impl Evaluator {
    /// Runs `top-nested`; rows come out depth-first, each level's values in rank order.
    pub(crate) fn top_nested(&mut self, frame: Frame, levels: &[TopNestedLevel], span: Span) -> Result<Frame> {
        let empty = frame.take_rows(&[]);
        let mut prepared = Vec::new();
        let mut schema = Vec::new();
        let mut auto = AutoNames::default();
        for spec in levels {
            let count = spec.count.as_ref().map(|n| self.const_count(n)).transpose()?;
            let key_type = self.scalar(&spec.of.expr, &empty)?.dtype();
            let agg_type = self.summarize(empty.clone(), std::slice::from_ref(&spec.by), &[], span)?.fields()[0].dtype;
            let others = match &spec.others {
                Some(e) => Some(coerce(&self.constant(e)?, key_type)),
                None => None,
            };
            let key_name = output_name(&spec.of, &mut auto, &frame)?;
            let agg_name = match spec.by.names.first() {
                Some(n) => n.name.clone(),
                None => format!("aggregated_{key_name}"),
            };
            schema.push((key_name, key_type));
            schema.push((agg_name, agg_type));
            prepared.push(Level { spec, count, others, key_type, agg_type });
        }
        let all: Vec<u32> = (0..frame.len() as u32).collect();
        let mut rows = Vec::new();
        self.nest(&frame, &all, &prepared, &mut Vec::new(), &mut rows, span)?;
        let mut stack = Stack::new(&schema);
        for row in rows {
            stack.push_values(&row);
        }
        Ok(stack.finish())
    }

    /// Appends the rows of `levels` over the frame rows `rows`, each prefixed by `prefix`.
    fn nest(
        &mut self,
        frame: &Frame,
        rows: &[u32],
        levels: &[Level<'_>],
        prefix: &mut Vec<Value>,
        out: &mut Vec<Vec<Value>>,
        span: Span,
    ) -> Result<()> {
        let Some((level, deeper)) = levels.split_first() else {
            out.push(prefix.clone());
            return Ok(());
        };
        self.check_cancel(span)?;
        let sub = frame.take_rows(rows);
        let keys = self.scalar(&level.spec.of.expr, &sub)?;
        let mut groups: Vec<(Value, Vec<u32>)> = Vec::new();
        let mut slot: HashMap<Key, usize> = HashMap::new();
        for (local, &global) in rows.iter().enumerate() {
            let v = keys.get(&sub, local);
            let i = *slot.entry(Key::of(&v)).or_insert_with(|| {
                groups.push((v, Vec::new()));
                groups.len() - 1
            });
            groups[i].1.push(global);
        }
        let mut ranked = Vec::with_capacity(groups.len());
        for (key, members) in groups {
            let agg = self.aggregate(frame, &members, &level.spec.by, span)?;
            ranked.push((key, agg, members));
        }
        let desc = level.spec.descending;
        ranked.sort_by(|a, b| order(&a.1, &b.1, desc, !desc));
        let keep = level.count.unwrap_or(usize::MAX).min(ranked.len());
        let rest: Vec<u32> = ranked[keep..].iter().flat_map(|(_, _, m)| m.iter().copied()).collect();
        for (key, agg, members) in ranked.into_iter().take(keep) {
            prefix.push(coerce(&key, level.key_type));
            prefix.push(coerce(&agg, level.agg_type));
            self.nest(frame, &members, deeper, prefix, out, span)?;
            prefix.truncate(prefix.len() - 2);
        }
        if let Some(others) = &level.others
            && !rest.is_empty()
        {
            let agg = self.aggregate(frame, &rest, &level.spec.by, span)?;
            let mut row = prefix.clone();
            row.push(others.clone());
            row.push(coerce(&agg, level.agg_type));
            row.resize(prefix.len() + 2 * levels.len(), Value::Null);
            out.push(row);
        }
        Ok(())
    }

    /// The level's aggregate over the frame rows `rows`.
    fn aggregate(&mut self, frame: &Frame, rows: &[u32], agg: &NamedExpr, span: Span) -> Result<Value> {
        let s = self.summarize(frame.take_rows(rows), std::slice::from_ref(agg), &[], span)?;
        Ok(if s.is_empty() || s.cols().is_empty() { Value::Null } else { s.value(0, 0) })
    }
}
