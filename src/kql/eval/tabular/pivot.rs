//! `evaluate pivot(PivotColumn [, Aggregation] [, Column, ...])`: one output
//! column per distinct value of the pivot column (named by its text, in
//! ascending order), one row per combination of the other columns, each cell
//! the aggregate (default `count()`) of the rows with that value
//! (pivot-plugin.md). A combination with no rows for a value gets the
//! aggregate of no rows (`0` for `count()`, as the documented example shows).

use std::collections::HashMap;

use crate::data::{DataType, Value};
use crate::kql::ast::{Expr, ExprKind, Ident, NamedExpr};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::Frame;
use super::super::functions::convert::to_string;
use super::super::{Evaluator, Result, aggregates};
use super::grouping::Key;
use super::subquery::Stack;

impl Evaluator {
    /// Runs the pivot plugin.
    pub(crate) fn pivot(&mut self, frame: Frame, args: &[Expr], span: Span) -> Result<Frame> {
        let column = |e: &Expr| match &e.kind {
            ExprKind::Name(id) => Ok(id.clone()),
            _ => Err(KqlError::arguments(e.span, "pivot() takes column names and one aggregation")),
        };
        let Some(first) = args.first() else {
            return Err(KqlError::arguments(span, "pivot() needs the column to pivot"));
        };
        let pivot = column(first)?;
        let mut rest = &args[1..];
        let agg = match rest.first() {
            Some(e @ Expr { kind: ExprKind::Call { name, .. }, .. }) if aggregates::lookup(&name.name).is_some() => {
                rest = &rest[1..];
                e.clone()
            }
            _ => Expr { kind: ExprKind::Call { name: Ident { name: "count".into(), span }, args: Vec::new() }, span },
        };
        let mut keys: Vec<Ident> = rest.iter().map(column).collect::<Result<_>>()?;
        if rest.is_empty() {
            let mut used = Vec::new();
            names_in(&agg, &mut used);
            keys = frame
                .cols()
                .iter()
                .filter(|c| c.name != pivot.name && !used.contains(&c.name))
                .map(|c| Ident { name: c.name.clone(), span })
                .collect();
        }
        let named = |id: &Ident| NamedExpr { names: Vec::new(), expr: Expr { kind: ExprKind::Name(id.clone()), span } };
        let mut by: Vec<NamedExpr> = keys.iter().map(named).collect();
        by.push(named(&pivot));
        let agg = NamedExpr { names: vec![Ident { name: "pivot_value".into(), span }], expr: agg };
        let empty = self.summarize(frame.take_rows(&[]), std::slice::from_ref(&agg), &[], span)?;
        let (agg_type, none) = match empty.cols().first() {
            Some(c) => (c.data_type(), empty.value(0, 0)),
            None => (DataType::Long, Value::Null),
        };
        let summary = self.summarize(frame, &[agg], &by, span)?;
        let nkeys = keys.len();
        let mut values: Vec<String> = (0..summary.len()).map(|r| to_string(&summary.value(r, nkeys))).collect();
        values.sort();
        values.dedup();
        let mut rows: Vec<Vec<Value>> = Vec::new();
        let mut row_of: HashMap<Vec<Key>, usize> = HashMap::new();
        for r in 0..summary.len() {
            let key: Vec<Value> = (0..nkeys).map(|c| summary.value(r, c)).collect();
            let i = *row_of.entry(key.iter().map(Key::of).collect()).or_insert_with(|| {
                let mut row = key.clone();
                row.extend(std::iter::repeat_n(none.clone(), values.len()));
                rows.push(row);
                rows.len() - 1
            });
            let v = to_string(&summary.value(r, nkeys));
            if let Ok(p) = values.binary_search(&v) {
                rows[i][nkeys + p] = summary.value(r, nkeys + 1);
            }
        }
        let mut schema: Vec<(String, DataType)> =
            (0..nkeys).map(|c| (summary.cols()[c].name.clone(), summary.cols()[c].data_type())).collect();
        schema.extend(values.iter().map(|v| (v.clone(), agg_type)));
        let mut stack = Stack::new(&schema);
        for row in &rows {
            stack.push_values(row);
        }
        Ok(stack.finish())
    }
}

/// Column names an expression mentions.
fn names_in(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Name(id) => out.push(id.name.clone()),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| names_in(a, out)),
        ExprKind::Unary { expr, .. } | ExprKind::Member { expr, .. } => names_in(expr, out),
        ExprKind::Binary { left, right, .. } => {
            names_in(left, out);
            names_in(right, out);
        }
        ExprKind::Chain { first, rest } => {
            names_in(first, out);
            rest.iter().for_each(|(_, e)| names_in(e, out));
        }
        ExprKind::Index { expr, index } => {
            names_in(expr, out);
            names_in(index, out);
        }
        _ => {}
    }
}
