//! `evaluate bag_unpack(Column [, OutputColumnPrefix] [, columnsConflict]
//! [, ignoredProperties]) [: ([*,] Name:type, ...)]` (bag-unpack-plugin.md).
//!
//! The unpacked column is removed; each distinct top-level slot becomes a
//! column after the input's columns, in slot-name order, typed as the
//! slot's values when they all share one type and `dynamic` otherwise (null
//! values are ignored). A slot whose name an input column already has is an
//! error, or, with `columnsConflict='replace_source'` / `'keep_source'`, the
//! input column keeps its place and holds the bag's or its own values (the
//! documented examples: `Name, Age` for a `Name` column and an `Age` slot).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value as Json};

use crate::data::{ColumnBuilder, DataType, Value};
use crate::kql::ast::{Expr, ExprKind, Ident};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::super::frame::{Frame, FrameCol};
use super::super::vals::Vals;
use super::super::{Evaluator, Result};

/// How a slot named like an input column is resolved.
#[derive(Clone, Copy, PartialEq)]
enum Conflict {
    Error,
    ReplaceSource,
    KeepSource,
}

impl Evaluator {
    /// `evaluate plugin(...)`: `bag_unpack` is supported; other plugins are named in an error.
    pub(crate) fn evaluate(
        &mut self,
        frame: Frame,
        plugin: &Ident,
        args: &[Expr],
        schema: Option<&(bool, Vec<(Ident, DataType)>)>,
        span: Span,
    ) -> Result<Frame> {
        if plugin.name == "pivot" {
            return self.pivot(frame, args, span);
        }
        if plugin.name == "ipv4_lookup" || plugin.name == "ipv6_lookup" {
            return self.ip_lookup(frame, plugin, args, span);
        }
        match plugin.name.as_str() {
            "geo_polygon_lookup" | "geo_line_lookup" => return self.geo_lookup(frame, plugin, args, span),
            "activity_counts_metrics" | "sliding_window_counts" | "active_users_count" => {
                return self.activity_plugin(frame, plugin, args, span);
            }
            "rows_near" => return self.rows_near(frame, args, span),
            "rolling_percentile" => return self.rolling_percentile(frame, args, span),
            _ => {}
        }
        if plugin.name != "bag_unpack" {
            return Err(KqlError::unsupported(plugin.span, format!("evaluate {}() is not supported", plugin.name)));
        }
        let Some(col_expr) = args.first() else {
            return Err(KqlError::arguments(span, "bag_unpack() needs the dynamic column to unpack"));
        };
        let (mut prefix, mut conflict, mut ignored) = (String::new(), Conflict::Error, Vec::<String>::new());
        for (i, a) in args.iter().enumerate().skip(1) {
            // Positional: prefix, columnsConflict, ignoredProperties; or by name.
            let (param, value) = match &a.kind {
                ExprKind::NamedArg { name, value } => (name.name.as_str(), &**value),
                _ => (
                    ["", "OutputColumnPrefix", "columnsConflict", "ignoredProperties"].get(i).copied().unwrap_or(""),
                    a,
                ),
            };
            let v = match self.scalar(value, &Frame::default())? {
                Vals::Const(v, _) => v,
                Vals::Col { .. } => {
                    return Err(KqlError::arguments(value.span, "bag_unpack's options must be constants"));
                }
            };
            match (param, v) {
                ("OutputColumnPrefix", Value::String(s)) => prefix = s.to_string(),
                ("columnsConflict", Value::String(s)) => {
                    conflict = match &*s {
                        "error" => Conflict::Error,
                        "replace_source" => Conflict::ReplaceSource,
                        "keep_source" => Conflict::KeepSource,
                        _ => {
                            return Err(KqlError::arguments(
                                value.span,
                                "columnsConflict is 'error', 'replace_source' or 'keep_source'",
                            ));
                        }
                    }
                }
                ("ignoredProperties", Value::Dynamic(j)) => {
                    ignored =
                        j.as_array().into_iter().flatten().filter_map(|x| x.as_str().map(str::to_string)).collect();
                }
                (p, _) => {
                    return Err(KqlError::arguments(a.span, format!("bag_unpack(): unexpected argument '{p}'")));
                }
            }
        }
        let v = self.scalar(col_expr, &frame)?;
        let bags: Vec<Option<Map<String, Json>>> = (0..frame.len())
            .map(|r| match v.get(&frame, r) {
                Value::Dynamic(j) => j.as_object().cloned(),
                Value::String(s) => serde_json::from_str::<Json>(&s).ok().and_then(|j| j.as_object().cloned()),
                _ => None,
            })
            .collect();
        let mut input = frame.clone();
        if let ExprKind::Name(id) = &col_expr.kind
            && let Some(i) = input.index_of(&id.name)
        {
            let keep: Vec<usize> = (0..input.cols().len()).filter(|&j| j != i).collect();
            input = input.select(&keep, None);
        }
        // Slot name → the one type of its non-null values; `dynamic` when they differ or are all null.
        let mut slots: BTreeMap<String, Option<DataType>> = BTreeMap::new();
        for b in bags.iter().flatten() {
            for (k, x) in b {
                if ignored.contains(k) {
                    continue;
                }
                let e = slots.entry(k.clone()).or_insert(None);
                match (slot_type(x), *e) {
                    (None, _) => {}
                    (Some(t), None) => *e = Some(t),
                    (Some(t), Some(cur)) if t != cur => *e = Some(DataType::Dynamic),
                    _ => {}
                }
            }
        }
        // The input's columns keep their places (a conflicting one holds the
        // bag's values with replace_source); the other slots follow.
        let mut out_cols: Vec<FrameCol> = (0..input.cols().len())
            .map(|i| FrameCol::new(input.cols()[i].name.clone(), input.dense(i), false))
            .collect();
        for (k, t) in &slots {
            let name = format!("{prefix}{k}");
            let existing = input.index_of(&name);
            if existing.is_some() {
                match conflict {
                    Conflict::Error => {
                        return Err(KqlError::duplicate_name(
                            span,
                            format!("bag_unpack: column '{name}' already exists (see columnsConflict)"),
                        ));
                    }
                    Conflict::KeepSource => continue,
                    Conflict::ReplaceSource => {}
                }
            }
            let dtype = t.unwrap_or(DataType::Dynamic);
            let mut b = ColumnBuilder::new(dtype);
            for bag in &bags {
                b.push(&match bag.as_ref().and_then(|m| m.get(k)) {
                    Some(j) if !j.is_null() => slot_value(j, dtype),
                    _ => Value::Null,
                });
            }
            let col = FrameCol::new(name, Arc::new(b.finish()), false);
            match existing {
                Some(i) => out_cols[i] = col,
                None => out_cols.push(col),
            }
        }
        let out = Frame::from_columns(out_cols.into_iter().map(|c| (c.name.clone(), c.col().clone())).collect());
        match schema {
            Some((star, columns)) => Ok(apply_schema(&out, &input, *star, columns)),
            None => Ok(out),
        }
    }
}

/// The Kusto type of one JSON value in a bag; `None` for null.
fn slot_type(x: &Json) -> Option<DataType> {
    match x {
        Json::Null => None,
        Json::Bool(_) => Some(DataType::Bool),
        Json::Number(n) if n.is_i64() || n.is_u64() => Some(DataType::Long),
        Json::Number(_) => Some(DataType::Real),
        Json::String(_) => Some(DataType::String),
        _ => Some(DataType::Dynamic),
    }
}

fn slot_value(j: &Json, dtype: DataType) -> Value {
    match (j, dtype) {
        (Json::Bool(b), DataType::Bool) => Value::Bool(*b),
        (Json::Number(n), DataType::Long) => n.as_i64().map_or(Value::Null, Value::Long),
        (Json::Number(n), DataType::Real) => n.as_f64().map_or(Value::Null, Value::Real),
        (Json::String(s), DataType::String) => Value::str(s),
        _ => Value::Dynamic(Arc::new(j.clone())),
    }
}

/// `: ([*,] Name:type, ...)`: only the declared columns (after the input's
/// own columns when the schema starts with `*`), converted to their types;
/// a declared column no bag has is null.
fn apply_schema(out: &Frame, input: &Frame, star: bool, columns: &[(Ident, DataType)]) -> Frame {
    let mut cols: Vec<(String, Arc<crate::data::Column>)> = Vec::new();
    if star {
        for (i, c) in input.cols().iter().enumerate() {
            if !columns.iter().any(|(n, _)| n.name == c.name) {
                cols.push((c.name.clone(), input.dense(i)));
            }
        }
    }
    for (name, dtype) in columns {
        let mut b = ColumnBuilder::new(*dtype);
        let src = out.index_of(&name.name).map(|i| out.dense(i));
        for r in 0..out.len() {
            let v = src.as_ref().map_or(Value::Null, |c| c.get(r));
            b.push(&crate::kql::eval::functions::convert::coerce(&v, *dtype));
        }
        cols.push((name.name.clone(), Arc::new(b.finish())));
    }
    Frame::from_columns(cols)
}
