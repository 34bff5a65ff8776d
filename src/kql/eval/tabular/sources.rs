//! Pipeline sources: tables, `let` names, function calls, `datatable`,
//! `print`, `range`, `externaldata`; and `invoke`.

use std::sync::Arc;

use crate::data::{ColumnBuilder, DataType, Value};
use crate::kql::ast::{Expr, FunctionDef, Ident, Source};
use crate::kql::error::KqlError;
use crate::kql::span::Span;
use crate::kql::suggest::did_you_mean;

use super::super::frame::Frame;
use super::super::session::Binding;
use super::super::vals::Vals;
use super::super::{Evaluator, Result};

impl Evaluator {
    /// Evaluates a pipeline source.
    pub(crate) fn source(&mut self, s: &Source) -> Result<Frame> {
        match s {
            Source::Name(id) => self.named_table(id),
            Source::Call { name, args, span } => self.call_source(name, args, *span),
            Source::Datatable { columns, values, span } => self.datatable(columns, values, *span),
            Source::Union(u) => self.union(None, u, u.legs.first().map(leg_span).unwrap_or_default()),
            Source::ExternalData { columns, urls, properties, span } => {
                self.externaldata(columns, urls, properties, *span)
            }
            Source::Print(items, _) => {
                let one = Frame::from_columns(vec![(
                    "print_0".into(),
                    Arc::new(crate::data::Column::nulls(DataType::Long, 1)),
                )]);
                let mut out = self.project(one, items, Span::default())?;
                // `print x` names unnamed columns print_0, print_1, ...
                let cols = out
                    .cols()
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let mut c = c.clone();
                        if c.name.starts_with("Column") && items.get(i).is_some_and(|it| it.names.is_empty()) {
                            c.name = format!("print_{i}");
                        }
                        c
                    })
                    .collect();
                out = out.with_cols(cols);
                Ok(out)
            }
            Source::Range { name, from, to, step, span } => self.range(name, from, to, step, *span),
            Source::Paren(t) => self.tabular(t),
            Source::Search(s) => self.search_source(s),
        }
    }

    fn named_table(&mut self, id: &Ident) -> Result<Frame> {
        match self.scopes.get(&id.name) {
            Some(Binding::Tabular(f)) => return Ok(f.clone()),
            Some(Binding::Function(f)) if f.params.is_empty() => {
                let f = f.clone();
                return self.call_user_tabular(&f, &[], id.span);
            }
            Some(_) => return Err(KqlError::misplaced(id.span, format!("'{}' is a scalar, not a table", id.name))),
            None => {}
        }
        if let Some(t) = self.session.db.get(&id.name) {
            return Ok(Frame::from_table(t));
        }
        if let Some(schema) = crate::data::schema::table_schema(&id.name) {
            // A known MDE table with no events loaded is empty, not an error;
            // noted, so a face can tell "no hits" from "no data".
            if !self.unloaded.contains(&id.name) {
                self.unloaded.push(id.name.clone());
                self.notes.push(format!("no {} events are loaded: the table reads as empty", id.name));
            }
            let fields: Vec<(String, DataType)> = schema.fields.iter().map(|f| (f.name.clone(), f.dtype)).collect();
            return Ok(Frame::empty(&fields));
        }
        let known: Vec<String> = self
            .session
            .db
            .tables()
            .iter()
            .map(|t| t.name().to_string())
            .chain(crate::data::schema::mde_tables().iter().map(|t| t.name.clone()))
            .chain(self.scopes.tabular_names().map(str::to_string))
            .collect();
        let mut err = KqlError::unknown_table(id.span, format!("unknown table '{}'", id.name));
        if let Some(h) = did_you_mean(&id.name, known.iter().map(String::as_str)) {
            err = err.with_help(h);
        }
        Err(err)
    }

    fn call_source(&mut self, name: &Ident, args: &[Expr], span: Span) -> Result<Frame> {
        match name.name.as_str() {
            "materialize" | "view" => match args {
                [a] => self.tabular_arg(a),
                _ => Err(KqlError::arguments(span, format!("{}() takes one tabular argument", name.name))),
            },
            "table" => match args.first().map(|a| self.scalar(a, &Frame::default())).transpose()? {
                Some(Vals::Const(Value::String(t), _)) => {
                    self.named_table(&Ident { name: t.to_string(), span: args[0].span })
                }
                _ => Err(KqlError::arguments(span, "table() takes a table name string")),
            },
            n => match self.scopes.get(n) {
                Some(Binding::Function(f)) => {
                    let f = f.clone();
                    self.call_user_tabular(&f, args, span)
                }
                _ => {
                    if let Some((_, why)) = super::super::functions::SERVICE_ONLY.iter().find(|(f, _)| *f == n) {
                        return Err(KqlError::service_only(
                            name.span,
                            format!("{n}() is not available offline: it {why}"),
                        ));
                    }
                    Err(KqlError::misplaced(name.span, format!("'{n}' is not a function that returns a table")))
                }
            },
        }
    }

    /// Calls a user function or view that returns a table.
    pub(crate) fn call_user_tabular(&mut self, f: &Arc<FunctionDef>, args: &[Expr], span: Span) -> Result<Frame> {
        self.call_user_tabular_with(f, None, args, span)
    }

    fn call_user_tabular_with(
        &mut self,
        f: &Arc<FunctionDef>,
        piped: Option<Frame>,
        args: &[Expr],
        span: Span,
    ) -> Result<Frame> {
        let named = if piped.is_none() { Some(super::super::calls::by_position(&f.params, args, span)?) } else { None };
        let args = named.as_deref().unwrap_or(args);
        let mut bound = Vec::new();
        let mut args_iter = args.iter();
        let mut piped = piped;
        for p in &f.params {
            let b = match p.dtype {
                None => match piped.take() {
                    Some(frame) => Binding::Tabular(frame),
                    None => match args_iter.next() {
                        Some(a) => Binding::Tabular(self.tabular_arg(a)?),
                        None => {
                            return Err(KqlError::arguments(span, format!("missing table argument '{}'", p.name.name)));
                        }
                    },
                },
                Some(_) => match args_iter.next().or(p.default.as_ref()) {
                    Some(a) => match self.scalar(a, &Frame::default())? {
                        Vals::Const(v, t) => Binding::Scalar(v, t),
                        Vals::Col { .. } => return Err(KqlError::arguments(a.span, "expected a constant argument")),
                    },
                    None => return Err(KqlError::arguments(span, format!("missing argument '{}'", p.name.name))),
                },
            };
            bound.push((p.name.name.clone(), b));
        }
        if args_iter.next().is_some() {
            return Err(KqlError::arguments(
                span,
                format!("too many arguments: the function takes {}", f.params.len()),
            ));
        }
        self.with_call(span, bound, |ev| {
            let last = ev.run_body_lets(&f.body, &Frame::default())?;
            match last {
                Some(e) => ev.tabular_arg(e),
                None => Err(KqlError::semantic(f.span, "function body has no result expression")),
            }
        })
    }

    /// `T | invoke f(args)`: the piped table is the function's first tabular parameter.
    pub(crate) fn invoke(&mut self, frame: Frame, name: &Ident, args: &[Expr], span: Span) -> Result<Frame> {
        match self.scopes.get(&name.name) {
            Some(Binding::Function(f)) => {
                let f = f.clone();
                self.call_user_tabular_with(&f, Some(frame), args, span)
            }
            _ => {
                if let Some((_, why)) = super::super::functions::SERVICE_ONLY.iter().find(|(f, _)| *f == name.name) {
                    return Err(KqlError::service_only(
                        name.span,
                        format!("invoke {}() is not available offline: it {why}", name.name),
                    ));
                }
                Err(KqlError::unknown_function(name.span, format!("unknown function '{}' for invoke", name.name)))
            }
        }
    }

    fn datatable(&mut self, columns: &[(Ident, DataType)], values: &[Expr], span: Span) -> Result<Frame> {
        if columns.is_empty() {
            return Err(KqlError::semantic(span, "datatable needs at least one column"));
        }
        if !values.len().is_multiple_of(columns.len()) {
            return Err(KqlError::semantic(
                span,
                format!("datatable has {} values, not a multiple of its {} columns", values.len(), columns.len()),
            ));
        }
        let mut builders: Vec<ColumnBuilder> = columns.iter().map(|(_, t)| ColumnBuilder::new(*t)).collect();
        for (i, e) in values.iter().enumerate() {
            let (_, t) = &columns[i % columns.len()];
            let v = match self.scalar(e, &Frame::default())? {
                Vals::Const(v, _) => convert_literal(v, *t),
                Vals::Col { .. } => return Err(KqlError::arguments(e.span, "datatable values must be constants")),
            };
            builders[i % columns.len()].push(&v);
        }
        Ok(Frame::from_columns(
            columns.iter().zip(builders).map(|((n, _), b)| (n.name.clone(), Arc::new(b.finish()))).collect(),
        ))
    }

    fn range(&mut self, name: &Ident, from: &Expr, to: &Expr, step: &Expr, span: Span) -> Result<Frame> {
        let c = |ev: &mut Evaluator, e: &Expr| match ev.scalar(e, &Frame::default())? {
            Vals::Const(v, _) => Ok(v),
            _ => Err(KqlError::arguments(e.span, "range bounds must be constants")),
        };
        let (a, b, s) = (c(self, from)?, c(self, to)?, c(self, step)?);
        let step_span = step.span;
        let (dtype, start, end, step) = match (&a, &b, &s) {
            (Value::Long(a), Value::Long(b), Value::Long(s)) => (DataType::Long, *a, *b, *s),
            (Value::DateTime(a), Value::DateTime(b), Value::Timespan(s)) => (DataType::DateTime, *a, *b, *s),
            (Value::Timespan(a), Value::Timespan(b), Value::Timespan(s)) => (DataType::Timespan, *a, *b, *s),
            _ => return Err(KqlError::type_mismatch(span, "range needs long, datetime or timespan bounds and a step")),
        };
        if step <= 0 {
            return Err(KqlError::arguments(step_span, "range step must be positive"));
        }
        let count = ((end.saturating_sub(start)) / step).saturating_add(1).max(0) as usize;
        if count > self.session.limits.max_rows {
            return Err(KqlError::too_many_rows(span, format!("range would produce {count} rows, over the limit")));
        }
        let mut b = ColumnBuilder::new(dtype);
        for i in 0..count as i64 {
            let v = start + i * step;
            b.push(&match dtype {
                DataType::Long => Value::Long(v),
                DataType::DateTime => Value::DateTime(v),
                _ => Value::Timespan(v),
            });
        }
        Ok(Frame::from_columns(vec![(name.name.clone(), Arc::new(b.finish()))]))
    }

    /// A non-negative constant count (`take n`, `top n`).
    pub(crate) fn const_count(&mut self, e: &Expr) -> Result<usize> {
        match self.scalar(e, &Frame::default())? {
            Vals::Const(Value::Long(n), _) if n >= 0 => Ok(n as usize),
            Vals::Const(Value::Int(n), _) if n >= 0 => Ok(n as usize),
            _ => Err(KqlError::arguments(e.span, "expected a non-negative whole number")),
        }
    }
}

fn leg_span(l: &crate::kql::ast::UnionLeg) -> Span {
    match l {
        crate::kql::ast::UnionLeg::Pattern(p) => p.span,
        crate::kql::ast::UnionLeg::Expr(t) => t.span,
    }
}

/// Converts a literal to a declared column type where Kusto does (a long
/// literal in a real or int column, a string in a datetime column; any
/// number or number text in a decimal column, a real through its 17
/// significant digits: `2.2` is `2.2000000000000002`, `"2.2"` is `2.2`).
pub(crate) fn convert_literal(v: Value, t: DataType) -> Value {
    match (v, t) {
        (v, DataType::Decimal) => super::super::convert::to_decimal(&v).map_or(Value::Null, Value::Decimal),
        (Value::Long(i), DataType::Real) => Value::Real(i as f64),
        (Value::Long(i), DataType::Int) => i32::try_from(i).map(Value::Int).unwrap_or(Value::Null),
        (Value::Int(i), DataType::Long) => Value::Long(i64::from(i)),
        (Value::String(s), DataType::DateTime) => {
            crate::data::time::parse_datetime(&s).map(Value::DateTime).unwrap_or(Value::Null)
        }
        (v, _) => v,
    }
}
