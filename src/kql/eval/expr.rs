//! Scalar expressions over a frame, column-at-a-time.

use std::sync::Arc;

use crate::data::{DataType, Value};
use crate::kql::ast::{BinOp, Expr, ExprKind, ListOp, Literal, UnaryOp};
use crate::kql::error::KqlError;
use crate::kql::span::Span;
use crate::kql::suggest::did_you_mean;

use super::frame::Frame;
use super::functions;
use super::ops;
use super::session::Binding;
use super::ticks;
use super::vals::{Vals, map_rows};
use super::{Evaluator, Result};

impl Evaluator {
    /// Evaluates a scalar expression over every row of `frame`.
    pub fn scalar(&mut self, e: &Expr, frame: &Frame) -> Result<Vals> {
        self.enter(e.span)?;
        let r = self.scalar_inner(e, frame);
        self.depth -= 1;
        r
    }

    fn scalar_inner(&mut self, e: &Expr, frame: &Frame) -> Result<Vals> {
        match &e.kind {
            ExprKind::Literal(lit) => Ok(literal(lit)),
            ExprKind::Name(id) => self.name(&id.name, e, frame),
            ExprKind::Unary { op, expr } => {
                let v = self.scalar(expr, frame)?;
                let t = v.dtype();
                if !(t.is_numeric() || t == DataType::Timespan || t == DataType::Dynamic) {
                    return Err(KqlError::type_mismatch(e.span, format!("unary minus/plus needs a number, found {t}")));
                }
                match op {
                    UnaryOp::Plus => Ok(v),
                    UnaryOp::Neg => {
                        let zero = match t {
                            DataType::Int => Value::Int(0),
                            DataType::Real => Value::Real(0.0),
                            DataType::Timespan => Value::Timespan(0),
                            _ => Value::Long(0),
                        };
                        let out = type_of_binary(BinOp::Sub, t, t, e)?;
                        let rx = &self.fnctx.regexes;
                        map_rows::<KqlError>(frame, &[v], out, |a| {
                            ops::binary(BinOp::Sub, &zero, &a[0], rx).map_err(|m| KqlError::runtime(e.span, m))
                        })
                    }
                }
            }
            ExprKind::Binary { op, left, right } => {
                let l = self.scalar(left, frame)?;
                let r = self.scalar(right, frame)?;
                self.binary(*op, l, r, right.span, e.span, frame)
            }
            ExprKind::Chain { first, rest } => {
                // Left to right, as the nested binaries it stands for; one
                // operand at a time, so a long chain needs no recursion.
                let mut acc = self.scalar(first, frame)?;
                for (op, operand) in rest {
                    let r = self.scalar(operand, frame)?;
                    acc = self.binary(*op, acc, r, operand.span, e.span.to(operand.span), frame)?;
                }
                Ok(acc)
            }
            ExprKind::List { op, expr, items } => self.list(*op, expr, items, frame),
            ExprKind::Between { expr, low, high, negated } => {
                let x = self.scalar(expr, frame)?;
                let lo = self.scalar(low, frame)?;
                let hi = self.scalar(high, frame)?;
                check_between(x.dtype(), lo.dtype(), hi.dtype(), e)?;
                let neg = *negated;
                if let Some(v) = ticks::between(frame, &x, &lo, &hi, neg) {
                    return Ok(v);
                }
                map_rows::<KqlError>(frame, &[x, lo, hi], DataType::Bool, |a| {
                    let v = ops::between(&a[0], &a[1], &a[2]);
                    Ok(match (neg, v) {
                        (true, Value::Bool(b)) => Value::Bool(!b),
                        (_, v) => v,
                    })
                })
            }
            ExprKind::Call { name, args } => self.call(name, args, e, frame),
            ExprKind::Member { expr, name } => {
                let obj = self.scalar(expr, frame)?;
                let key = Value::str(&name.name);
                member(frame, obj, Vals::Const(key, DataType::String), e)
            }
            ExprKind::Index { expr, index } => {
                let obj = self.scalar(expr, frame)?;
                let idx = self.scalar(index, frame)?;
                member(frame, obj, idx, e)
            }
            ExprKind::Star => Err(KqlError::misplaced(e.span, "'*' is only allowed in arg_max/arg_min and distinct")),
            ExprKind::JoinSide(_) => Err(KqlError::misplaced(e.span, "$left/$right are only allowed in a join's 'on'")),
            ExprKind::NamedArg { name, .. } => Err(KqlError::unsupported(
                name.span,
                format!("named argument '{}': this function takes its arguments by position here", name.name),
            )),
            ExprKind::Tabular(_) => Err(KqlError::misplaced(
                e.span,
                "a tabular expression is used where a scalar is expected; wrap it in toscalar(...)",
            )),
        }
    }

    /// `l op r` over a frame; `right` is where the right operand is written
    /// (a bad regex points there), `span` the whole operation.
    fn binary(&mut self, op: BinOp, l: Vals, r: Vals, right: Span, span: Span, frame: &Frame) -> Result<Vals> {
        let (l, r) = number_text_equality(op, l, r, frame)?;
        let out = ops::binary_type(op, l.dtype(), r.dtype()).map_err(|m| KqlError::type_mismatch(span, m))?;
        if let Some(v) = ticks::compare(frame, op, &l, &r) {
            return Ok(v);
        }
        let rx = &self.fnctx.regexes;
        // A string operator with a constant needle is prepared once
        // (lowercased needle, compiled regex) and run per distinct value.
        if let (BinOp::Str(cmp), Vals::Const(Value::String(needle), _)) = (op, &r)
            && l.dtype().is_text()
        {
            let m = ops::StrMatcher::new(cmp, needle, rx).map_err(|m| KqlError::bad_pattern(right, m))?;
            return map_rows::<KqlError>(frame, &[l], out, |a| {
                Ok(match &a[0] {
                    Value::String(h) => Value::Bool(m.matches(h)),
                    other => ops::binary(op, other, &r.get(frame, 0), rx).map_err(|m| KqlError::runtime(span, m))?,
                })
            });
        }
        map_rows::<KqlError>(frame, &[l, r], out, |a| {
            ops::binary(op, &a[0], &a[1], rx).map_err(|m| KqlError::runtime(span, m))
        })
    }

    fn name(&mut self, name: &str, e: &Expr, frame: &Frame) -> Result<Vals> {
        if let Some(i) = frame.index_of(name) {
            let c = &frame.cols()[i];
            return Ok(Vals::Col { col: c.col().clone(), via_sel: c.via_sel });
        }
        // Sentinel's copy of a Defender table has `TimeGenerated` beside
        // `Timestamp`; Defender's own exports have only `Timestamp`. Queries
        // written for Sentinel read it through this alias.
        if name == TIME_GENERATED
            && self.scopes.get(name).is_none()
            && let Some(i) = frame.index_of("Timestamp")
        {
            let c = &frame.cols()[i];
            return Ok(Vals::Col { col: c.col().clone(), via_sel: c.via_sel });
        }
        match self.scopes.get(name) {
            Some(Binding::Scalar(v, t)) => return Ok(Vals::Const(v.clone(), *t)),
            Some(Binding::Vals(v)) => return Ok(v.clone()),
            Some(Binding::Function(f)) if f.params.is_empty() => {
                let f = f.clone();
                return self.call_user_scalar(&f, &[], e, frame);
            }
            Some(Binding::Tabular(_)) => {
                return Err(KqlError::misplaced(
                    e.span,
                    format!("'{name}' is a table, used here as a scalar; wrap it in toscalar(...)"),
                ));
            }
            _ => {}
        }
        if self.session.db.get(name).is_some() {
            return Err(KqlError::misplaced(e.span, format!("'{name}' is a table, used here as a scalar")));
        }
        let candidates: Vec<&str> = frame.names().chain(self.scopes.scalar_names()).collect();
        let mut err = KqlError::unknown_column(e.span, format!("unknown column or name '{name}'"));
        if let Some(h) = did_you_mean(name, candidates) {
            err = err.with_help(h);
        }
        Err(err)
    }

    fn list(&mut self, op: ListOp, expr: &Expr, items: &[Expr], frame: &Frame) -> Result<Vals> {
        let x = self.scalar(expr, frame)?;
        let mut flat = Vec::new();
        for item in items {
            if let Some(table) = self.try_tabular(item)? {
                // A tabular item contributes its first column.
                for r in 0..table.len() {
                    flat.push(table.value(r, 0));
                }
                continue;
            }
            match self.scalar(item, &Frame::default())? {
                Vals::Const(v, _) => flatten_into(&v, &mut flat),
                Vals::Col { .. } => {
                    return Err(KqlError::unsupported(
                        item.span,
                        "list items must be constants or a tabular expression",
                    ));
                }
            }
        }
        if matches!(op, ListOp::HasAny | ListOp::HasAll) && !(x.dtype().is_text() || x.dtype() == DataType::Dynamic) {
            return Err(KqlError::type_mismatch(
                expr.span,
                format!("has_any/has_all need a string, found {}", x.dtype()),
            ));
        }
        // `RemotePort in ("3389")`: string items compare as numbers with a
        // numeric value, as `==` does (Microsoft's analyzer accepts both).
        let xt = x.dtype();
        if xt.is_numeric() && matches!(op, ListOp::In { .. }) {
            let t = if xt == DataType::Int { DataType::Long } else { xt };
            for v in &mut flat {
                if matches!(v, Value::String(_)) {
                    *v = functions::convert::coerce(v, t);
                }
            }
        }
        let m = ops::ListMatcher::new(op, &flat);
        map_rows::<KqlError>(frame, &[x], DataType::Bool, |a| Ok(m.eval(&a[0])))
    }
}

/// Sentinel's ingestion-time column, read as `Timestamp` where a table has no column of its own.
pub const TIME_GENERATED: &str = "TimeGenerated";

/// The value and type of a literal.
pub fn literal(lit: &Literal) -> Vals {
    let (v, t) = match lit {
        Literal::Bool(b) => (Value::Bool(*b), DataType::Bool),
        Literal::Int(i) => (Value::Int(*i), DataType::Int),
        Literal::Long(i) => (Value::Long(*i), DataType::Long),
        Literal::Real(f) => (Value::Real(*f), DataType::Real),
        Literal::Decimal(d) => (Value::Decimal(*d), DataType::Decimal),
        Literal::String(s) => (Value::str(s), DataType::String),
        Literal::DateTime(t) => (Value::DateTime(*t), DataType::DateTime),
        Literal::Timespan(t) => (Value::Timespan(*t), DataType::Timespan),
        Literal::Guid(g) => (Value::str(g), DataType::Guid),
        Literal::Dynamic(j) => {
            (if j.is_null() { Value::Null } else { Value::Dynamic(Arc::new(j.clone())) }, DataType::Dynamic)
        }
        Literal::Null(t) => (if t.is_text() { Value::str("") } else { Value::Null }, *t),
    };
    Vals::Const(v, t)
}

/// Dynamic arrays in lists are flattened (kql-semantics.md §6).
pub fn flatten_into(v: &Value, out: &mut Vec<Value>) {
    fn json(j: &serde_json::Value, out: &mut Vec<Value>) {
        match j {
            serde_json::Value::Array(items) => items.iter().for_each(|i| json(i, out)),
            serde_json::Value::String(s) => out.push(Value::str(s)),
            serde_json::Value::Bool(b) => out.push(Value::Bool(*b)),
            serde_json::Value::Number(n) => out.push(match n.as_i64() {
                Some(i) => Value::Long(i),
                None => Value::Real(n.as_f64().unwrap_or(f64::NAN)),
            }),
            serde_json::Value::Null => out.push(Value::Null),
            other => out.push(Value::Dynamic(Arc::new(other.clone()))),
        }
    }
    match v {
        Value::Dynamic(j) => json(j, out),
        other => out.push(other.clone()),
    }
}

fn type_of_binary(op: BinOp, l: DataType, r: DataType, e: &Expr) -> Result<DataType> {
    ops::binary_type(op, l, r).map_err(|m| KqlError::type_mismatch(e.span, m))
}

/// `RemotePort == "3389"`: Kusto accepts `==`/`!=` between a number (or a
/// bool) and a string (Microsoft's analyzer does; it rejects `<`, `>`) and
/// compares them as numbers, the string converted as `tolong`/`todouble`
/// (or `tobool`) would convert it.
fn number_text_equality(op: BinOp, l: Vals, r: Vals, frame: &Frame) -> Result<(Vals, Vals)> {
    if !matches!(op, BinOp::Eq | BinOp::Ne) {
        return Ok((l, r));
    }
    let to_number = |v: Vals, t: DataType| {
        let t = if t == DataType::Int { DataType::Long } else { t };
        map_rows::<KqlError>(frame, &[v], t, |a| Ok(functions::convert::coerce(&a[0], t)))
    };
    let (lt, rt) = (l.dtype(), r.dtype());
    // `IsLocalAdmin == "True"`: the same for a bool and a string (tobool's reading).
    let convertible = |t: DataType| t.is_numeric() || t == DataType::Bool;
    Ok(match (convertible(lt), convertible(rt)) {
        (true, false) if rt == DataType::String => (l, to_number(r, lt)?),
        (false, true) if lt == DataType::String => (to_number(l, rt)?, r),
        _ => (l, r),
    })
}

fn check_between(x: DataType, lo: DataType, hi: DataType, e: &Expr) -> Result<()> {
    let ok = |a: DataType, b: DataType| {
        a == b
            || (a.is_numeric() && b.is_numeric())
            || a == DataType::Dynamic
            || b == DataType::Dynamic
            || (a == DataType::DateTime && b == DataType::Timespan)
    };
    if ok(x, lo) && (ok(x, hi) || (lo == DataType::DateTime && hi == DataType::Timespan)) {
        Ok(())
    } else {
        Err(KqlError::type_mismatch(e.span, format!("between needs comparable bounds: {x} between ({lo} .. {hi})")))
    }
}

/// `obj.key` / `obj[key]` on dynamic values (as in Kusto, a string column
/// must go through `parse_json` first).
fn member(frame: &Frame, obj: Vals, key: Vals, e: &Expr) -> Result<Vals> {
    let t = obj.dtype();
    if t != DataType::Dynamic {
        let mut err = KqlError::type_mismatch(e.span, format!("property access needs a dynamic value, found {t}"));
        if t.is_text() {
            err = err.with_help("parse the JSON text first, e.g. parse_json(AdditionalFields).Name");
        }
        return Err(err);
    }
    map_rows::<KqlError>(frame, &[obj, key], DataType::Dynamic, |a| {
        let json: &serde_json::Value = match &a[0] {
            Value::Dynamic(j) => j,
            _ => return Ok(Value::Null),
        };
        let found = match &a[1] {
            Value::String(k) => json.get(&**k),
            Value::Long(i) => index_array(json, *i),
            Value::Int(i) => index_array(json, i64::from(*i)),
            _ => None,
        };
        Ok(match found {
            Some(j) if !j.is_null() => Value::Dynamic(Arc::new(j.clone())),
            _ => Value::Null,
        })
    })
}

fn index_array(json: &serde_json::Value, i: i64) -> Option<&serde_json::Value> {
    let arr = json.as_array()?;
    let idx = if i < 0 { arr.len().checked_sub(i.unsigned_abs() as usize)? } else { i as usize };
    arr.get(idx)
}
