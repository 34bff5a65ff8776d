//! `summarize`, `count` and `distinct`.

use std::sync::Arc;

use crate::data::{Column, DataType, PrimColumn, Value};
use crate::kql::ast::{Expr, ExprKind, Ident, NamedExpr};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::aggregates::{self, Accumulator, AggFn};
use super::super::frame::{Frame, FrameCol};
use super::super::ops;
use super::super::vals::Vals;
use super::super::{Evaluator, Result};
use super::agg_expr;
use super::grouping::{Groups, group_rows};
use super::project::{AutoNames, dense_col, implicit_name, output_name};

/// One aggregate of a `summarize`, ready to run.
enum Agg {
    /// A library aggregate over evaluated arguments.
    Plain { f: &'static AggFn, args: Vec<Vals>, name: String, dtype: DataType },
    /// `arg_max`/`arg_min`: the row with the extreme value; outputs several columns.
    Arg { max: bool, by: Vals, outputs: Vec<(String, Vals)> },
    /// A scalar expression over aggregates (`dcount(a) * 100 / count()`),
    /// evaluated per group over the aggregates' hidden result columns.
    Expr { name: String, eval: Expr, parts: Vec<Agg> },
}

impl Evaluator {
    /// `summarize aggs by keys`: keys first, then aggregates, in written order
    /// (kql-semantics.md §10); groups in order of first appearance.
    pub(crate) fn summarize(
        &mut self,
        frame: Frame,
        aggs: &[NamedExpr],
        by: &[NamedExpr],
        span: Span,
    ) -> Result<Frame> {
        let mut auto = AutoNames::default();
        let mut key_names = Vec::new();
        let mut keys = Vec::new();
        for k in by {
            keys.push(self.scalar(&k.expr, &frame)?);
            key_names.push(match k.names.first() {
                Some(n) => n.name.clone(),
                None => by_name(&k.expr).unwrap_or_else(|| auto.next(&|n| key_names_taken(&key_names, n))),
            });
        }
        let mut plan = Vec::new();
        for a in aggs {
            match &a.expr.kind {
                ExprKind::Call { name, args } if name.name == "percentiles" || name.name == "percentilesw" => {
                    plan.extend(self.plan_percentiles(a, args, &frame)?);
                }
                _ if agg_expr::is_aggregate_call(&a.expr) => plan.push(self.plan_agg(a, &frame, &key_names)?),
                _ => match agg_expr::lift(&a.expr, &unnamed_agg_name) {
                    Some(lifted) => {
                        let mut parts = Vec::new();
                        for p in &lifted.parts {
                            let part = self.plan_agg(p, &frame, &key_names)?;
                            if !matches!(part, Agg::Plain { .. }) {
                                return Err(KqlError::unsupported(
                                    p.expr.span,
                                    "arg_max/arg_min/percentiles inside an expression are not supported",
                                ));
                            }
                            parts.push(part);
                        }
                        let name = match a.names.first() {
                            Some(n) => n.name.clone(),
                            None => implicit_name(&lifted.naming)
                                .unwrap_or_else(|| auto.next(&|n| key_names_taken(&key_names, n))),
                        };
                        plan.push(Agg::Expr { name, eval: lifted.eval, parts });
                    }
                    None => plan.push(self.plan_agg(a, &frame, &key_names)?),
                },
            }
        }
        let groups = group_rows(&frame, &keys);
        let empty_no_keys = by.is_empty() && frame.is_empty();
        let ngroups = if empty_no_keys { 1 } else { groups.len() };
        let group_bytes = super::budget::row_bytes(key_names.len()) + plan.len() as u64 * super::budget::ACC_BYTES;
        self.charge(ngroups as u64 * group_bytes + frame.len() as u64 * 4, "summarize", span)?;

        let mut cols: Vec<FrameCol> = Vec::new();
        for (name, k) in key_names.iter().zip(&keys) {
            let dense = k.to_column(&frame);
            cols.push(dense_col(name, Arc::new(dense.gather(&groups.first_row))));
        }
        for agg in plan {
            match agg {
                Agg::Plain { f, args, name, dtype } => {
                    let col = run_plain(&frame, &groups, ngroups, f, &args, dtype);
                    cols.push(dense_col(&name, col));
                }
                Agg::Arg { max, by, outputs } => {
                    let best = arg_rows(&frame, &groups, ngroups, max, &by);
                    for (name, v) in outputs {
                        let dense = v.to_column(&frame);
                        let mut b = crate::data::ColumnBuilder::new(dense.data_type());
                        for r in &best {
                            b.push(&r.map(|r| dense.get(r as usize)).unwrap_or(Value::Null));
                        }
                        cols.push(dense_col(&name, Arc::new(b.finish())));
                    }
                }
                Agg::Expr { name, eval, parts } => {
                    // One row per group: the keys, then each aggregate's hidden column.
                    let mut per_group: Vec<(String, Arc<Column>)> =
                        cols[..key_names.len()].iter().map(|c| (c.name.clone(), c.col().clone())).collect();
                    for part in parts {
                        if let Agg::Plain { f, args, name, dtype } = part {
                            per_group.push((name, run_plain(&frame, &groups, ngroups, f, &args, dtype)));
                        }
                    }
                    let group_frame = Frame::from_columns(per_group);
                    let v = self.scalar(&eval, &group_frame)?;
                    cols.push(dense_col(&name, v.to_column(&group_frame)));
                }
            }
        }
        dedupe_names(&mut cols);
        Ok(Frame::from_columns(cols.into_iter().map(|c| (c.name.clone(), c.col().clone())).collect()))
    }

    fn plan_agg(&mut self, a: &NamedExpr, frame: &Frame, keys: &[String]) -> Result<Agg> {
        let ExprKind::Call { name, args } = &a.expr.kind else {
            return Err(KqlError::unsupported(
                a.expr.span,
                "summarize expects aggregation calls such as count() or make_set(X); expressions over aggregates are not supported",
            ));
        };
        if matches!(name.name.as_str(), "arg_max" | "arg_min" | "argmax" | "argmin") {
            return self.plan_arg(name, args, a, frame, keys);
        }
        let Some(f) = aggregates::lookup(&name.name) else {
            let mut err = KqlError::misplaced(name.span, format!("'{}' is not an aggregation function", name.name));
            if let Some(h) =
                crate::kql::suggest::did_you_mean(&name.name, aggregates::registry().iter().map(|f| f.name))
            {
                err = err.with_help(h);
            }
            return Err(err);
        };
        if args.len() < f.min_args || args.len() > f.max_args {
            return Err(KqlError::arguments(
                a.expr.span,
                format!("{}() takes {} to {} argument(s), {} given", f.name, f.min_args, f.max_args, args.len()),
            ));
        }
        let mut vals = Vec::new();
        for e in args {
            vals.push(self.scalar(e, frame)?);
        }
        let types: Vec<DataType> = vals.iter().map(Vals::dtype).collect();
        let dtype =
            (f.return_type)(&types).map_err(|m| KqlError::type_mismatch(a.expr.span, format!("{}(): {m}", f.name)))?;
        let name = match a.names.first() {
            Some(n) => n.name.clone(),
            None if f.name == "percentile" => percentile_name(args.first(), args.get(1)),
            None if f.name == "percentilew" => percentile_name(args.first(), args.get(2)),
            None if aggregates::names_two_args(f.name) => two_arg_name(f.prefix, args),
            None => default_agg_name(f.prefix, args.first()),
        };
        Ok(Agg::Plain { f, args: vals, name, dtype })
    }

    /// `percentiles(X, p1, p2, ...)`: one `percentile` column per percentage,
    /// named `percentile_X_p1`, ... unless `(a, b) = percentiles(...)` names them.
    /// `percentilesw(X, W, p1, ...)` does the same with `percentilew`, each
    /// value counted `W` times (percentilesw-aggregation-function.md).
    fn plan_percentiles(&mut self, a: &NamedExpr, args: &[Expr], frame: &Frame) -> Result<Vec<Agg>> {
        let weighted = matches!(&a.expr.kind, ExprKind::Call { name, .. } if name.name == "percentilesw");
        let (fname, lead) = if weighted { ("percentilew", 2) } else { ("percentile", 1) };
        let call = if weighted { "percentilesw()" } else { "percentiles()" };
        let (Some(f), true) = (aggregates::lookup(fname), args.len() > lead) else {
            return Err(KqlError::arguments(a.expr.span, format!("{call} needs a value and at least one percentage")));
        };
        let (x, ps) = (&args[0], &args[lead..]);
        let mut lead_vals = Vec::new();
        for e in &args[..lead] {
            lead_vals.push(self.scalar(e, frame)?);
        }
        let dtype = (f.return_type)(&[lead_vals[0].dtype()])
            .map_err(|m| KqlError::arguments(a.expr.span, format!("{call}: {m}")))?;
        let mut out = Vec::new();
        for (i, p) in ps.iter().enumerate() {
            let name = a.names.get(i).map_or_else(|| percentile_name(Some(x), Some(p)), |n| n.name.clone());
            let mut call_args = lead_vals.clone();
            call_args.push(self.scalar(p, frame)?);
            out.push(Agg::Plain { f, args: call_args, name, dtype });
        }
        Ok(out)
    }

    /// `arg_max`/`arg_min`, and the deprecated `argmax`/`argmin`, whose
    /// columns are named `max_X` and `max_X_Col` (as Microsoft's analyzer names them).
    fn plan_arg(&mut self, name: &Ident, args: &[Expr], a: &NamedExpr, frame: &Frame, keys: &[String]) -> Result<Agg> {
        let max = matches!(name.name.as_str(), "arg_max" | "argmax");
        let legacy = !name.name.contains('_');
        let Some((first, rest)) = args.split_first() else {
            return Err(KqlError::arguments(
                a.expr.span,
                format!("{}() needs the expression to maximise/minimise", name.name),
            ));
        };
        let by = self.scalar(first, frame)?;
        let mut outputs = Vec::new();
        let prefix = if max { "max" } else { "min" };
        let implicit = implicit_name(first);
        let by_name = match (a.names.first(), &implicit) {
            (Some(n), _) => n.name.clone(),
            (None, Some(i)) if legacy => format!("{prefix}_{i}"),
            (None, Some(i)) => i.clone(),
            (None, None) => format!("{prefix}_"),
        };
        // The legacy forms name each output after the maximised column.
        let out_name = |n: &str| if legacy { format!("{by_name}_{n}") } else { n.to_string() };
        outputs.push((by_name.clone(), by.clone()));
        for e in rest {
            if matches!(e.kind, ExprKind::Star) {
                for c in frame.cols() {
                    if keys.contains(&c.name)
                        || (legacy && implicit.as_deref() == Some(c.name.as_str()))
                        || outputs.iter().any(|(n, _)| *n == out_name(&c.name))
                    {
                        continue;
                    }
                    outputs.push((out_name(&c.name), Vals::Col { col: c.col().clone(), via_sel: c.via_sel }));
                }
            } else {
                let n = implicit_name(e).ok_or_else(|| {
                    KqlError::unsupported(e.span, "name computed arg_max/arg_min outputs in a preceding extend")
                })?;
                outputs.push((out_name(&n), self.scalar(e, frame)?));
            }
        }
        // `(t, sha) = argmax(Timestamp, SHA1)` names the outputs in order.
        for (out, n) in outputs.iter_mut().zip(&a.names) {
            out.0 = n.name.clone();
        }
        Ok(Agg::Arg { max, by, outputs })
    }

    /// `distinct a, b` / `distinct *`.
    pub(crate) fn distinct(&mut self, frame: Frame, cols: &[Expr]) -> Result<Frame> {
        let mut names = Vec::new();
        let mut keys = Vec::new();
        for c in cols {
            if matches!(c.kind, ExprKind::Star) {
                for fc in frame.cols() {
                    names.push(fc.name.clone());
                    keys.push(Vals::Col { col: fc.col().clone(), via_sel: fc.via_sel });
                }
                continue;
            }
            let mut auto = AutoNames::default();
            names.push(output_name(&NamedExpr { names: vec![], expr: c.clone() }, &mut auto, &frame)?);
            keys.push(self.scalar(c, &frame)?);
        }
        let groups = group_rows(&frame, &keys);
        let out = names
            .into_iter()
            .zip(&keys)
            .map(|(n, k)| (n, Arc::new(k.to_column(&frame).gather(&groups.first_row))))
            .collect();
        Ok(Frame::from_columns(out))
    }
}

/// The implicit column name of an unnamed aggregate call (`set_b` for `make_set(b)`).
fn unnamed_agg_name(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Call { name, args } => match aggregates::lookup(&name.name) {
            Some(f) if f.name == "percentile" => percentile_name(args.first(), args.get(1)),
            Some(f) if f.name == "percentilew" => percentile_name(args.first(), args.get(2)),
            Some(f) if aggregates::names_two_args(f.name) => two_arg_name(f.prefix, args),
            Some(f) => default_agg_name(f.prefix, args.first()),
            None => name.name.clone(),
        },
        _ => String::new(),
    }
}

/// `count` operator: one row, column `Count` (or the given name).
pub(crate) fn count_rows(frame: &Frame, name: Option<&str>) -> Frame {
    let col = Column::Long(PrimColumn::from_options([Some(frame.len() as i64)]));
    Frame::from_columns(vec![(name.unwrap_or("Count").to_string(), Arc::new(col))])
}

/// `count_`, `dcount_X`, `set_X`: the prefix, `_`, and the column when the
/// first argument is a plain column; an empty prefix (`take_any`) keeps the
/// column's own name.
fn default_agg_name(prefix: &str, first: Option<&Expr>) -> String {
    match first.and_then(implicit_name) {
        Some(col) if prefix.is_empty() => col,
        Some(col) => format!("{prefix}_{col}"),
        None => format!("{prefix}_"),
    }
}

/// `covariance(x, y)` is named `covariance_x_y`.
fn two_arg_name(prefix: &str, args: &[Expr]) -> String {
    let first = default_agg_name(prefix, args.first());
    match args.get(1).and_then(implicit_name) {
        Some(second) => format!("{first}_{second}"),
        None => first,
    }
}

/// `percentile(X, 95)` is named `percentile_X_95` (`percentile_X_99_9` for 99.9).
fn percentile_name(x: Option<&Expr>, p: Option<&Expr>) -> String {
    let mut n = default_agg_name("percentile", x);
    if let Some(Expr { kind: ExprKind::Literal(lit), .. }) = p {
        n.push('_');
        n.push_str(&match lit {
            crate::kql::ast::Literal::Long(v) => v.to_string(),
            crate::kql::ast::Literal::Real(v) => v.to_string().replace('.', "_"),
            _ => String::new(),
        });
    }
    n
}

/// The implicit name of a `by` key: a column keeps its name, and so does
/// `bin(Col, size)` / `floor(Col, size)`.
fn by_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Call { name, args } if matches!(&*name.name, "bin" | "floor" | "bin_at") => {
            args.first().and_then(implicit_name)
        }
        _ => implicit_name(e),
    }
}

fn key_names_taken(names: &[String], n: &str) -> bool {
    names.iter().any(|k| k == n)
}

/// Kusto renames a repeated output name by appending 1, 2, ... (`Timestamp1`).
fn dedupe_names(cols: &mut [FrameCol]) {
    for i in 1..cols.len() {
        if cols[..i].iter().any(|d| d.name == cols[i].name) {
            let base = cols[i].name.clone();
            let mut n = 1;
            while cols.iter().any(|d| d.name == format!("{base}{n}")) {
                n += 1;
            }
            cols[i].name = format!("{base}{n}");
        }
    }
}

fn run_plain(frame: &Frame, groups: &Groups, ngroups: usize, f: &AggFn, args: &[Vals], dtype: DataType) -> Arc<Column> {
    let types: Vec<DataType> = args.iter().map(Vals::dtype).collect();
    let mut accs: Vec<Box<dyn Accumulator>> = (0..ngroups).map(|_| (f.new)(&types)).collect();
    let mut buf: Vec<Value> = vec![Value::Null; args.len()];
    for (r, &g) in groups.of_row.iter().enumerate() {
        for (i, a) in args.iter().enumerate() {
            buf[i] = a.get(frame, r);
        }
        accs[g as usize].add(&buf);
    }
    let mut b = crate::data::ColumnBuilder::new(dtype);
    for acc in &accs {
        b.push(&super::super::vals::coerce(acc.finish(), dtype));
    }
    Arc::new(b.finish())
}

/// The row of each group with the largest (or smallest) non-null value;
/// the group's first row when every value is null; `None` for an empty group.
fn arg_rows(frame: &Frame, groups: &Groups, ngroups: usize, max: bool, by: &Vals) -> Vec<Option<u32>> {
    let mut best: Vec<Option<(u32, Value)>> = vec![None; ngroups];
    for (r, &g) in groups.of_row.iter().enumerate() {
        let v = by.get(frame, r);
        let slot = &mut best[g as usize];
        let better = match slot {
            None => true,
            Some((_, cur)) if cur.is_null() => !v.is_null(),
            Some((_, cur)) => {
                !v.is_null() && {
                    let o = ops::compare(&v, cur);
                    if max { o.is_gt() } else { o.is_lt() }
                }
            }
        };
        if better {
            *slot = Some((r as u32, v));
        }
    }
    best.into_iter().map(|b| b.map(|(r, _)| r)).collect()
}
