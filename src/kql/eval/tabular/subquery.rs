//! Operators that run a subquery on parts of their input: `mv-apply` (per
//! row, on its expanded arrays) and `partition` (per key value).

use std::collections::HashMap;
use std::sync::Arc;

use crate::data::{Column, ColumnBuilder, DataType, Value};
use crate::kql::ast::{Expr, Ident, NamedExpr, Op};
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::functions::convert::coerce;
use super::super::{Evaluator, Result};
use super::grouping::Key;
use super::project::implicit_name;

impl Evaluator {
    /// `mv-apply`: expands each row's arrays into a subtable, runs `body` on
    /// it, and adds back the row's columns that were not expanded and that
    /// the subquery did not keep (mv-apply-operator.md). Results follow the
    /// input row order.
    pub(crate) fn mv_apply(
        &mut self,
        frame: Frame,
        index: Option<&Ident>,
        items: &[(NamedExpr, Option<DataType>)],
        limit: Option<&Expr>,
        body: &[Op],
        span: Span,
    ) -> Result<Frame> {
        let expanded: Vec<String> = items
            .iter()
            .filter_map(|(n, _)| n.names.first().map(|i| i.name.clone()).or_else(|| implicit_name(&n.expr)))
            .collect();
        let empty = self.mv_expand(frame.take_rows(&[]), index, items, limit, false, span)?;
        let template = self.apply_ops(empty, body)?.fields();
        let kept: Vec<usize> = (0..frame.cols().len())
            .filter(|&i| {
                let name = &frame.cols()[i].name;
                !expanded.contains(name) && !template.iter().any(|f| f.name == *name)
            })
            .collect();
        let mut schema: Vec<(String, DataType)> = kept.iter().map(|&i| field(&frame, i)).collect();
        schema.extend(template.iter().map(|f| (f.name.clone(), f.dtype)));
        let mut stack = Stack::new(&schema);
        for r in 0..frame.len() {
            self.check_cancel(span)?;
            let row = frame.take_rows(&[r as u32]);
            let sub = self.mv_expand(row.clone(), index, items, limit, false, span)?;
            let out = self.apply_ops(sub, body)?;
            let outer: Vec<(&str, Value)> =
                kept.iter().map(|&i| (frame.cols()[i].name.as_str(), row.value(0, i))).collect();
            stack.push(&out, &outer);
        }
        Ok(stack.finish())
    }

    /// `partition by Col (subquery)`: runs the subquery on the rows of each
    /// value of `Col` and concatenates the results (partition-operator.md).
    pub(crate) fn partition(&mut self, frame: Frame, by: &Expr, body: &[Op], span: Span) -> Result<Frame> {
        let keys = self.scalar(by, &frame)?;
        let mut order: Vec<Vec<u32>> = Vec::new();
        let mut slot: HashMap<Key, usize> = HashMap::new();
        for r in 0..frame.len() {
            let k = Key::of(&keys.get(&frame, r));
            let i = *slot.entry(k).or_insert_with(|| {
                order.push(Vec::new());
                order.len() - 1
            });
            order[i].push(r as u32);
        }
        let template = self.apply_ops(frame.take_rows(&[]), body)?.fields();
        let schema: Vec<(String, DataType)> = template.iter().map(|f| (f.name.clone(), f.dtype)).collect();
        let mut stack = Stack::new(&schema);
        for rows in &order {
            self.check_cancel(span)?;
            let out = self.apply_ops(frame.take_rows(rows), body)?;
            stack.push(&out, &[]);
        }
        Ok(stack.finish())
    }
}

fn field(frame: &Frame, i: usize) -> (String, DataType) {
    let c = &frame.cols()[i];
    (c.name.clone(), c.data_type())
}

/// Concatenates subquery results into one schema, matching columns by name
/// (a column a part lacks is null there; values convert to the column type).
pub(super) struct Stack {
    names: Vec<String>,
    builders: Vec<ColumnBuilder>,
    types: Vec<DataType>,
}

impl Stack {
    /// An empty result with `schema`.
    pub(super) fn new(schema: &[(String, DataType)]) -> Stack {
        Stack {
            names: schema.iter().map(|(n, _)| n.clone()).collect(),
            builders: schema.iter().map(|(_, t)| ColumnBuilder::new(*t)).collect(),
            types: schema.iter().map(|(_, t)| *t).collect(),
        }
    }

    /// Appends the rows of `part`; `outer` gives constant columns by name.
    pub(super) fn push(&mut self, part: &Frame, outer: &[(&str, Value)]) {
        let dense: Vec<Option<Arc<Column>>> = self
            .names
            .iter()
            .map(|n| if outer.iter().any(|(o, _)| o == n) { None } else { part.index_of(n).map(|i| part.dense(i)) })
            .collect();
        for r in 0..part.len() {
            for (c, name) in self.names.iter().enumerate() {
                let v = match (&dense[c], outer.iter().find(|(o, _)| o == name)) {
                    (_, Some((_, v))) => v.clone(),
                    (Some(col), None) => col.get(r),
                    (None, None) => Value::Null,
                };
                self.builders[c].push(&coerce(&v, self.types[c]));
            }
        }
    }

    /// Appends one row, its values in schema order.
    pub(super) fn push_values(&mut self, row: &[Value]) {
        for (c, v) in row.iter().enumerate().take(self.builders.len()) {
            self.builders[c].push(&coerce(v, self.types[c]));
        }
    }

    /// The concatenated frame.
    pub(super) fn finish(self) -> Frame {
        let cols: Vec<(String, Arc<Column>)> =
            self.names.into_iter().zip(self.builders).map(|(n, b)| (n, Arc::new(b.finish()))).collect();
        Frame::from_columns(cols)
    }
}
