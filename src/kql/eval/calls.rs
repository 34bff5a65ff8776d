//! Function calls in scalar position: built-ins, user functions, the
//! special forms that need the evaluator (`toscalar`, `prev`/`next`,
//! `row_number`), and clear errors for aggregates and service-only functions.

use std::sync::Arc;

use crate::data::{DataType, Value};
use crate::kql::ast::{Expr, ExprKind, FunctionDef, Ident, Param, Statement};
use crate::kql::error::KqlError;
use crate::kql::span::Span;
use crate::kql::suggest::did_you_mean;

use super::frame::Frame;
use super::functions::{self, NOT_REPRODUCIBLE, SERVICE_ONLY};
use super::session::Binding;
use super::vals::{Vals, map_rows};
use super::{Evaluator, Result, aggregates};

impl Evaluator {
    pub(super) fn call(&mut self, name: &Ident, args: &[Expr], e: &Expr, frame: &Frame) -> Result<Vals> {
        let n = name.name.as_str();
        if let Some(Binding::Function(f)) = self.scopes.get(n) {
            let f = f.clone();
            return self.call_user_scalar(&f, args, e, frame);
        }
        let args = &*super::named_args::builtin_by_position(name, args)?;
        match n {
            "toscalar" => return self.toscalar(args, e),
            "column_names_of" => return self.column_names_of(args, e),
            "extract" if args.len() == 4 => return self.extract_typed(name, args, e, frame),
            "extract_json" | "extractjson" if args.len() == 3 => return self.extract_typed(name, args, e, frame),
            "percentile_tdigest" | "percentiles_array_tdigest" if args.len() > 2 && type_arg(args.last()).is_some() => {
                return self.extract_typed(name, args, e, frame);
            }
            "prev" | "next" => return self.prev_next(n == "prev", args, e, frame),
            "row_cumsum" | "row_rank_min" | "row_rank_dense" | "row_window_session" => {
                return self.window_fn(n, args, e, frame);
            }
            "row_number" => {
                let start = match args.first() {
                    Some(a) => match self.scalar(a, &Frame::default())? {
                        Vals::Const(Value::Long(s), _) => s,
                        Vals::Const(Value::Int(s), _) => i64::from(s),
                        _ => return Err(KqlError::arguments(a.span, "row_number's start must be a long constant")),
                    },
                    None => 1,
                };
                if let Some(extra) = args.get(2) {
                    return Err(KqlError::arguments(extra.span, "row_number() takes at most 2 arguments"));
                }
                // The numbering goes back to `start` on each row whose restart
                // predicate is true (row-number-function.md); null is not true.
                let restart = match args.get(1) {
                    Some(a) => {
                        let v = self.scalar(a, frame)?;
                        if !matches!(v.dtype(), DataType::Bool | DataType::Dynamic) {
                            return Err(KqlError::arguments(a.span, "row_number's restart must be a bool"));
                        }
                        Some(v)
                    }
                    None => None,
                };
                let mut next = start;
                let mut numbers = Vec::with_capacity(frame.len());
                for r in 0..frame.len() {
                    if r > 0 && restart.as_ref().is_some_and(|p| matches!(p.get(frame, r), Value::Bool(true))) {
                        next = start;
                    }
                    numbers.push(Some(next));
                    next = next.wrapping_add(1);
                }
                let col = crate::data::Column::Long(crate::data::PrimColumn::from_options(numbers));
                return Ok(Vals::Col { col: std::sync::Arc::new(col), via_sel: false });
            }
            "pack_all" => return self.pack_all(args, e, frame),
            "column_ifexists" | "columnifexists" => return self.column_ifexists(args, e, frame),
            "bag_pack_columns" => return self.bag_pack_columns(args, e, frame),
            "materialize" => {
                return Err(KqlError::misplaced(
                    e.span,
                    "materialize() returns a table; use it in a 'let' or as a source",
                ));
            }
            _ => {}
        }
        if let Some((_, why)) = SERVICE_ONLY.iter().find(|(f, _)| *f == n) {
            return Err(KqlError::service_only(name.span, format!("{n}() is not available offline: it {why}")));
        }
        if let Some((_, why)) = NOT_REPRODUCIBLE.iter().find(|(f, _)| *f == n) {
            return Err(KqlError::unsupported(name.span, format!("{n}() is not implemented: {why}")));
        }
        let Some(f) = functions::lookup(n) else {
            if aggregates::lookup(n).is_some()
                || matches!(n, "arg_max" | "arg_min" | "argmax" | "argmin" | "percentiles" | "percentilesw")
            {
                return Err(KqlError::misplaced(
                    name.span,
                    format!("{n}() is an aggregation function; it is only allowed in summarize or make-series"),
                ));
            }
            let names = functions::registry().iter().map(|f| f.name);
            let mut err = KqlError::unknown_function(name.span, format!("unknown function '{n}'"));
            if let Some(h) = did_you_mean(n, names) {
                err = err.with_help(h);
            }
            return Err(err);
        };
        if args.len() < f.min_args || args.len() > f.max_args {
            let want = match (f.min_args, f.max_args) {
                (a, b) if a == b => format!("{a}"),
                (a, usize::MAX) => format!("at least {a}"),
                (a, b) => format!("{a} to {b}"),
            };
            return Err(KqlError::arguments(e.span, format!("{n}() takes {want} argument(s), {} given", args.len())));
        }
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.scalar(a, frame)?);
        }
        let types: Vec<DataType> = vals.iter().map(Vals::dtype).collect();
        let out = (f.return_type)(&types).map_err(|m| KqlError::type_mismatch(e.span, format!("{n}(): {m}")))?;
        if functions::is_volatile(f.name) {
            return Ok(self.per_row(f, frame, &vals, out));
        }
        let ctx = &self.fnctx;
        map_rows(frame, &vals, out, |a| (f.eval)(a, ctx).map_err(|m| KqlError::runtime(e.span, format!("{n}(): {m}"))))
    }

    /// Calls a user function whose body yields a scalar, binding parameters
    /// to per-row values.
    pub(super) fn call_user_scalar(
        &mut self,
        f: &Arc<FunctionDef>,
        args: &[Expr],
        e: &Expr,
        frame: &Frame,
    ) -> Result<Vals> {
        let args = &by_position(&f.params, args, e.span)?;
        let mut bound = Vec::new();
        for (i, p) in f.params.iter().enumerate() {
            let b = match (args.get(i), &p.default) {
                (Some(a), _) | (None, Some(a)) => match p.dtype {
                    None => Binding::Tabular(self.tabular_arg(a)?),
                    Some(_) => Binding::Vals(self.scalar(a, frame)?),
                },
                (None, None) => {
                    return Err(KqlError::arguments(e.span, format!("missing argument '{}'", p.name.name)));
                }
            };
            bound.push((p.name.name.clone(), b));
        }
        if args.len() > f.params.len() {
            return Err(KqlError::arguments(
                e.span,
                format!("function takes {} argument(s), {} given", f.params.len(), args.len()),
            ));
        }
        self.with_call(e.span, bound, |ev| {
            let last = ev.run_body_lets(&f.body, frame)?;
            match last {
                Some(body) if !is_tabular_syntax(body) => ev.scalar(body, frame),
                Some(body) => Err(KqlError::misplaced(body.span, "this function returns a table, used as a scalar")),
                None => Err(KqlError::semantic(f.span, "function body has no result expression")),
            }
        })
    }

    /// `extract(regex, group, text, typeof(T))` and `extract_json(path, json,
    /// typeof(T))`: the text result converted to `T`; null when nothing
    /// matches or the conversion fails (extract-function.md, extractjson-function.md).
    fn extract_typed(&mut self, name: &Ident, args: &[Expr], e: &Expr, frame: &Frame) -> Result<Vals> {
        let Some((ty, text_args)) = args.split_last() else {
            return Err(KqlError::arguments(e.span, "missing arguments"));
        };
        let Some(target) = type_arg(Some(ty)) else {
            return Err(KqlError::arguments(
                ty.span,
                format!("{}()'s last argument must be typeof(type), e.g. typeof(long)", name.name),
            ));
        };
        let text = self.call(name, text_args, e, frame)?;
        // percentiles_array_tdigest(..., typeof(T)) keeps its array, each element of type T.
        let array = name.name == "percentiles_array_tdigest";
        map_rows::<KqlError>(frame, &[text], if array { DataType::Dynamic } else { target }, |a| {
            Ok(match &a[0] {
                Value::String(s) if s.is_empty() => Value::Null,
                Value::Dynamic(j) if array => match j.as_array() {
                    Some(xs) => Value::Dynamic(Arc::new(serde_json::Value::Array(
                        xs.iter()
                            .map(|x| {
                                let v = functions::convert::coerce(&Value::Dynamic(Arc::new(x.clone())), target);
                                crate::data::column::value_to_json(&v)
                            })
                            .collect(),
                    ))),
                    None => Value::Null,
                },
                v => functions::convert::coerce(v, target),
            })
        })
    }

    fn toscalar(&mut self, args: &[Expr], e: &Expr) -> Result<Vals> {
        let [arg] = args else {
            return Err(KqlError::arguments(e.span, "toscalar() takes 1 argument"));
        };
        if let Some(t) = self.try_tabular(arg)? {
            let dtype = t.cols().first().map(|c| c.data_type()).unwrap_or(DataType::Dynamic);
            let v = if t.is_empty() || t.cols().is_empty() { Value::Null } else { t.value(0, 0) };
            return Ok(Vals::Const(v, dtype));
        }
        match self.scalar(arg, &Frame::default())? {
            v @ Vals::Const(..) => Ok(v),
            Vals::Col { .. } => {
                Err(KqlError::arguments(arg.span, "toscalar() needs a constant or a tabular expression"))
            }
        }
    }

    /// `column_names_of(T)`: the names of a tabular expression's columns, as a
    /// dynamic array of strings (column-names-of-function.md).
    fn column_names_of(&mut self, args: &[Expr], e: &Expr) -> Result<Vals> {
        let [arg] = args else {
            return Err(KqlError::arguments(e.span, "column_names_of() takes 1 argument"));
        };
        let Some(t) = self.try_tabular(arg)? else {
            return Err(KqlError::arguments(arg.span, "column_names_of() needs a tabular expression"));
        };
        let names = t.names().map(|n| serde_json::Value::String(n.to_string())).collect();
        Ok(Vals::Const(Value::Dynamic(Arc::new(serde_json::Value::Array(names))), DataType::Dynamic))
    }

    fn prev_next(&mut self, prev: bool, args: &[Expr], e: &Expr, frame: &Frame) -> Result<Vals> {
        let Some(col) = args.first() else {
            return Err(KqlError::semantic(e.span, "prev()/next() need a column"));
        };
        let v = self.scalar(col, frame)?;
        let offset = match args.get(1) {
            Some(a) => match self.scalar(a, &Frame::default())? {
                Vals::Const(Value::Long(o), _) if o >= 0 => o as usize,
                Vals::Const(Value::Int(o), _) if o >= 0 => o as usize,
                _ => return Err(KqlError::semantic(a.span, "the offset must be a non-negative constant")),
            },
            None => 1,
        };
        let default = match args.get(2) {
            Some(a) => match self.scalar(a, &Frame::default())? {
                Vals::Const(d, _) => d,
                _ => return Err(KqlError::semantic(a.span, "the default must be a constant")),
            },
            None => Value::Null,
        };
        let dtype = v.dtype();
        let mut b = crate::data::ColumnBuilder::new(dtype);
        let n = frame.len();
        for r in 0..n {
            let src = if prev { r.checked_sub(offset) } else { r.checked_add(offset).filter(|&x| x < n) };
            b.push(&match src {
                Some(s) => v.get(frame, s),
                None => default.clone(),
            });
        }
        Ok(Vals::Col { col: std::sync::Arc::new(b.finish()), via_sel: false })
    }

    /// A function that draws a new value per call (`rand`, `new_guid`), called on every row.
    fn per_row(&self, f: &functions::ScalarFn, frame: &Frame, args: &[Vals], out: DataType) -> Vals {
        let call = |r: usize| {
            let row: Vec<Value> = args.iter().map(|a| a.get(frame, r)).collect();
            (f.eval)(&row, &self.fnctx).unwrap_or(Value::Null)
        };
        if frame.is_empty() && args.iter().all(Vals::is_const) {
            return Vals::Const(call(0), out);
        }
        let mut b = crate::data::ColumnBuilder::new(out);
        for r in 0..frame.len() {
            b.push(&call(r));
        }
        Vals::Col { col: Arc::new(b.finish()), via_sel: false }
    }

    /// `pack_all([ignore_null_empty])`: a bag of the row's columns; with
    /// `true`, null and empty values are left out (pack-all-function.md).
    fn pack_all(&mut self, args: &[Expr], e: &Expr, frame: &Frame) -> Result<Vals> {
        let skip_empty = match args {
            [] => false,
            [a] => match self.scalar(a, &Frame::default())? {
                Vals::Const(Value::Bool(b), _) => b,
                _ => return Err(KqlError::arguments(a.span, "pack_all's argument must be a bool constant")),
            },
            _ => return Err(KqlError::arguments(e.span, "pack_all() takes at most 1 argument")),
        };
        let mut b = crate::data::ColumnBuilder::new(DataType::Dynamic);
        for r in 0..frame.len() {
            let mut bag = serde_json::Map::new();
            for (c, col) in frame.cols().iter().enumerate() {
                let v = frame.value(r, c);
                let empty = match &v {
                    Value::Null => true,
                    Value::String(s) => s.is_empty(),
                    _ => false,
                };
                if !(skip_empty && empty) {
                    bag.insert(col.name.clone(), crate::data::column::value_to_json(&v));
                }
            }
            b.push(&Value::Dynamic(Arc::new(serde_json::Value::Object(bag))));
        }
        Ok(Vals::Col { col: Arc::new(b.finish()), via_sel: false })
    }

    /// Runs the `let` statements of a function body; returns its final expression.
    /// A scalar `let` there may use the per-row parameters: it is evaluated
    /// over the caller's `frame` and binds per-row values.
    pub(super) fn run_body_lets<'b>(&mut self, body: &'b [Statement], frame: &Frame) -> Result<Option<&'b Expr>> {
        let mut last = None;
        for st in body {
            match st {
                Statement::Let { name, value: crate::kql::ast::LetValue::Expr(x), .. } if !frame.is_empty() => {
                    let b = match self.try_tabular(x)? {
                        Some(t) => Binding::Tabular(t),
                        None => match self.scalar(x, frame)? {
                            Vals::Const(v, t) => Binding::Scalar(v, t),
                            v => Binding::Vals(v),
                        },
                    };
                    self.scopes.bind(&name.name, b);
                }
                Statement::Let { name, value, .. } => self.run_let(name, value)?,
                Statement::Expr(e) => last = Some(e),
            }
        }
        Ok(last)
    }
}

/// The arguments of a user function call in parameter order: `f(1, c=3)`
/// puts 3 at `c`'s position; a skipped parameter takes its default.
pub(super) fn by_position(params: &[Param], args: &[Expr], span: Span) -> Result<Vec<Expr>> {
    let mut out: Vec<Option<Expr>> = Vec::new();
    let mut seen_named = false;
    for a in args {
        seen_named |= is_named(a);
        match &a.kind {
            ExprKind::NamedArg { name, value } => {
                let Some(i) = params.iter().position(|p| p.name.name == name.name) else {
                    return Err(KqlError::arguments(
                        name.span,
                        format!("the function has no parameter '{}'", name.name),
                    ));
                };
                if out.len() <= i {
                    out.resize(i + 1, None);
                }
                if out[i].is_some() {
                    return Err(KqlError::arguments(name.span, format!("parameter '{}' is given twice", name.name)));
                }
                out[i] = Some((**value).clone());
            }
            _ if seen_named => {
                return Err(KqlError::arguments(a.span, "a positional argument cannot follow a named one"));
            }
            _ => out.push(Some(a.clone())),
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, a)| match (a, params.get(i).and_then(|p| p.default.clone())) {
            (Some(a), _) | (None, Some(a)) => Ok(a),
            (None, None) => {
                let name = params.get(i).map_or("?", |p| p.name.name.as_str());
                Err(KqlError::arguments(span, format!("missing argument '{name}'")))
            }
        })
        .collect()
}

fn is_named(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::NamedArg { .. })
}

/// True when an expression is tabular by its syntax alone.
pub(super) fn is_tabular_syntax(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Tabular(_))
}

/// The type `T` of a `typeof(T)` argument.
fn type_arg(e: Option<&Expr>) -> Option<DataType> {
    match &e?.kind {
        ExprKind::Call { name: f, args: t } if f.name == "typeof" => match &t[..] {
            [Expr { kind: ExprKind::Name(ty), .. }] => DataType::from_name(&ty.name),
            _ => None,
        },
        _ => None,
    }
}
