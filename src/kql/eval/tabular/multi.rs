//! Calls that give several columns in `extend`/`project`/`print`:
//! `array_sort_asc`/`array_sort_desc` of several arrays (one sorted column
//! per array, `x_sorted`, array-sort-asc-function.md), `series_stats(x)`
//! (`series_stats_x_min`, ..., series-stats-function.md) and
//! `series_fit_line(x)` (`series_fit_line_x_rsquare`, ...,
//! series-fit-line-function.md). `(a, b) = f(...)` names the columns;
//! otherwise they get Kusto.Language's names.

use std::sync::Arc;

use serde_json::Value as Json;

use crate::data::{Column, ColumnBuilder, DataType, Value};
use crate::kql::ast::{Expr, ExprKind, NamedExpr};
use crate::kql::error::KqlError;

use super::super::frame::Frame;
use super::super::vals::Vals;
use super::super::{Evaluator, Result};
use super::project::implicit_name;

/// Output columns by name.
type NamedColumns = Vec<(String, Arc<Column>)>;

/// `series_stats`' columns: key in `series_stats_dynamic`'s bag, and type.
const STATS: &[(&str, DataType)] = &[
    ("min", DataType::Real),
    ("min_idx", DataType::Long),
    ("max", DataType::Real),
    ("max_idx", DataType::Long),
    ("avg", DataType::Real),
    ("stdev", DataType::Real),
    ("variance", DataType::Real),
];

/// `series_fit_line`'s columns, in order: key in `series_fit_line_dynamic`'s bag, and type.
const FIT_LINE: &[(&str, DataType)] = &[
    ("rsquare", DataType::Real),
    ("slope", DataType::Real),
    ("variance", DataType::Real),
    ("rvariance", DataType::Real),
    ("interception", DataType::Real),
    ("line_fit", DataType::Dynamic),
];

/// The bag-giving function behind a multi-column series call, and its columns.
fn bag_parts(n: &str) -> Option<(&'static str, &'static [(&'static str, DataType)])> {
    match n {
        "series_stats" => Some(("series_stats_dynamic", STATS)),
        "series_fit_line" => Some(("series_fit_line_dynamic", FIT_LINE)),
        _ => None,
    }
}

impl Evaluator {
    /// The columns of `item` when its expression is a call that gives several; `None` otherwise.
    pub(crate) fn multi_columns(&mut self, item: &NamedExpr, frame: &Frame) -> Result<Option<NamedColumns>> {
        let ExprKind::Call { name, args } = &item.expr.kind else { return Ok(None) };
        let n = name.name.as_str();
        if !matches!(n, "array_sort_asc" | "array_sort_desc") && bag_parts(n).is_none() {
            return Ok(None);
        }
        let args = &*super::super::named_args::builtin_by_position(name, args)?;
        let (columns, tuple): (Vec<(String, DataType)>, Vals) = match n {
            "array_sort_asc" | "array_sort_desc" if args.len() > 1 => {
                let mut arrays = 0;
                for a in args {
                    if self.scalar(a, frame)?.dtype() != DataType::Dynamic {
                        break;
                    }
                    arrays += 1;
                }
                if arrays < 2 {
                    return Ok(None);
                }
                let cols = args[..arrays]
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        (
                            format!("{}_sorted", implicit_name(a).unwrap_or_else(|| format!("array{i}"))),
                            DataType::Dynamic,
                        )
                    })
                    .collect();
                (cols, self.scalar(&item.expr, frame)?)
            }
            _ => {
                let Some((bag_fn, parts)) = bag_parts(n) else { return Ok(None) };
                let first = args.first().and_then(implicit_name).unwrap_or_default();
                let cols = parts.iter().map(|(k, t)| (format!("{n}_{first}_{k}"), *t)).collect();
                let call = Expr {
                    kind: ExprKind::Call {
                        name: crate::kql::ast::Ident { name: bag_fn.into(), span: name.span },
                        args: args.to_vec(),
                    },
                    span: item.expr.span,
                };
                (cols, self.scalar(&call, frame)?)
            }
        };
        // Names given first; the rest keep their default names (as Kusto.Language does).
        if item.names.len() > columns.len() {
            return Err(KqlError::arguments(
                item.expr.span,
                format!("{n}() gives {} columns here, but {} names are given", columns.len(), item.names.len()),
            ));
        }
        let names: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, (c, _))| item.names.get(i).map_or_else(|| c.clone(), |g| g.name.clone()))
            .collect();
        let parts = bag_parts(n).map(|(_, p)| p);
        let mut builders: Vec<ColumnBuilder> = columns.iter().map(|(_, t)| ColumnBuilder::new(*t)).collect();
        for r in 0..frame.len() {
            let v = tuple.get(frame, r);
            for (i, b) in builders.iter_mut().enumerate() {
                let part: Option<&Json> = match &v {
                    Value::Dynamic(j) if parts.is_some() => parts.and_then(|p| j.get(p[i].0)),
                    Value::Dynamic(j) => j.get(i),
                    _ => None,
                };
                b.push(&match part {
                    None | Some(Json::Null) => Value::Null,
                    Some(p) => super::super::convert::coerce(&Value::Dynamic(Arc::new(p.clone())), columns[i].1),
                });
            }
        }
        Ok(Some(names.into_iter().zip(builders).map(|(n, b)| (n, Arc::new(b.finish()))).collect()))
    }
}
