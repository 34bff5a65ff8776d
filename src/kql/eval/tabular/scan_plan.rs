//! The plan of a `scan`: its extended columns and its steps' expressions,
//! with each `Step.Column` state reference replaced by a hidden column name
//! that the scan fills from the state before evaluating the expression.

use crate::data::{DataType, Value};
use crate::kql::ast::{Expr, ExprKind, Ident, Scan, ScanOutput};
use crate::kql::error::KqlError;

use super::super::frame::Frame;
use super::super::functions::convert::coerce;
use super::super::{Evaluator, Result};

/// Prefix of the hidden column names that carry state values.
const HIDDEN: &str = "\u{1}scan.";

/// A column a scan step can assign: declared, or an input column.
pub(super) struct ExtCol {
    /// The column's name.
    pub name: String,
    /// Its type.
    pub dtype: DataType,
    /// The input column it overrides; `None` for a declared column.
    pub input: Option<usize>,
    /// A declared column's default value (null for input columns).
    pub default: Value,
}

/// Where a state reference reads from.
#[derive(Clone, Copy)]
pub(super) enum Field {
    /// An input column that no step assigns.
    Input(usize),
    /// An extended column.
    Ext(usize),
}

/// One `Step.Column` reference in a step's expressions.
pub(super) struct StateRef {
    /// The hidden column name it was replaced by.
    pub hidden: String,
    /// The step whose state entry it reads.
    pub step: usize,
    /// Which value of that entry.
    pub field: Field,
    /// The value's type.
    pub dtype: DataType,
}

/// A step with its expressions rewritten.
pub(super) struct PlanStep {
    /// Which matches reach the output.
    pub output: ScanOutput,
    /// The condition.
    pub condition: Expr,
    /// `(extended column, expression)` assignments.
    pub assign: Vec<(usize, Expr)>,
    /// The state references of the condition and the assignments.
    pub refs: Vec<StateRef>,
}

/// The whole plan.
pub(super) struct Plan {
    /// Extended columns: the declared ones first, then assigned input columns.
    pub ext: Vec<ExtCol>,
    /// The steps, in order.
    pub steps: Vec<PlanStep>,
}

impl Evaluator {
    /// Checks a scan's names against the input's columns and rewrites its steps.
    pub(super) fn scan_plan(&mut self, frame: &Frame, s: &Scan) -> Result<Plan> {
        let fields = frame.fields();
        let mut ext: Vec<ExtCol> = Vec::new();
        for d in &s.declare {
            if frame.index_of(&d.name.name).is_some() || ext.iter().any(|e| e.name == d.name.name) {
                return Err(KqlError::duplicate_name(
                    d.name.span,
                    format!("scan declares '{}', which is already a column", d.name.name),
                ));
            }
            let default = match &d.default {
                Some(e) => coerce(&self.constant(e)?, d.dtype),
                None => Value::Null,
            };
            ext.push(ExtCol { name: d.name.name.clone(), dtype: d.dtype, input: None, default });
        }
        if let Some(id) = &s.match_id
            && (frame.index_of(&id.name).is_some() || ext.iter().any(|e| e.name == id.name))
        {
            return Err(KqlError::duplicate_name(id.span, format!("the match id column '{}' already exists", id.name)));
        }
        for step in &s.steps {
            for (col, _) in &step.assign {
                if ext.iter().any(|e| e.name == col.name) {
                    continue;
                }
                let Some(i) = frame.index_of(&col.name) else {
                    return Err(KqlError::unknown_column(
                        col.span,
                        format!("scan assigns '{}', which is neither declared nor an input column", col.name),
                    ));
                };
                ext.push(ExtCol {
                    name: col.name.clone(),
                    dtype: fields[i].dtype,
                    input: Some(i),
                    default: Value::Null,
                });
            }
        }
        let names: Vec<&str> = s.steps.iter().map(|st| st.name.name.as_str()).collect();
        let mut steps = Vec::new();
        for step in &s.steps {
            let mut refs = Vec::new();
            let mut resolve = |e: &Expr| -> Result<Option<Expr>> {
                let ExprKind::Member { expr, name } = &e.kind else { return Ok(None) };
                let ExprKind::Name(owner) = &expr.kind else { return Ok(None) };
                let Some(k) = names.iter().position(|n| *n == owner.name) else { return Ok(None) };
                let (field, dtype) = match ext.iter().position(|x| x.name == name.name) {
                    Some(x) => (Field::Ext(x), ext[x].dtype),
                    None => match frame.index_of(&name.name) {
                        Some(i) => (Field::Input(i), fields[i].dtype),
                        None => {
                            return Err(KqlError::unknown_column(
                                name.span,
                                format!("'{}' is not a column of the scan step '{}'", name.name, owner.name),
                            ));
                        }
                    },
                };
                let hidden = format!("{HIDDEN}{}.{}", owner.name, name.name);
                if !refs.iter().any(|r: &StateRef| r.hidden == hidden) {
                    refs.push(StateRef { hidden: hidden.clone(), step: k, field, dtype });
                }
                Ok(Some(Expr { kind: ExprKind::Name(Ident { name: hidden, span: e.span }), span: e.span }))
            };
            let condition = rewrite(&step.condition, &mut resolve)?;
            let mut assign = Vec::new();
            for (col, e) in &step.assign {
                let x = ext.iter().position(|x| x.name == col.name).unwrap_or_default();
                assign.push((x, rewrite(e, &mut resolve)?));
            }
            steps.push(PlanStep { output: step.output, condition, assign, refs });
        }
        Ok(Plan { ext, steps })
    }
}

/// A copy of `e` with every sub-expression that `f` maps replaced; the
/// operands of a tabular sub-expression are left alone.
fn rewrite(e: &Expr, f: &mut dyn FnMut(&Expr) -> Result<Option<Expr>>) -> Result<Expr> {
    if let Some(new) = f(e)? {
        return Ok(new);
    }
    let mut go = |x: &Expr| rewrite(x, f).map(Box::new);
    let kind = match &e.kind {
        ExprKind::Unary { op, expr } => ExprKind::Unary { op: *op, expr: go(expr)? },
        ExprKind::Binary { op, left, right } => ExprKind::Binary { op: *op, left: go(left)?, right: go(right)? },
        ExprKind::Chain { first, rest } => ExprKind::Chain {
            first: go(first)?,
            rest: rest.iter().map(|(op, x)| go(x).map(|b| (*op, *b))).collect::<Result<_>>()?,
        },
        ExprKind::List { op, expr, items } => ExprKind::List {
            op: *op,
            expr: go(expr)?,
            items: items.iter().map(|i| go(i).map(|b| *b)).collect::<Result<_>>()?,
        },
        ExprKind::Between { expr, low, high, negated } => {
            ExprKind::Between { expr: go(expr)?, low: go(low)?, high: go(high)?, negated: *negated }
        }
        ExprKind::Call { name, args } => {
            ExprKind::Call { name: name.clone(), args: args.iter().map(|a| go(a).map(|b| *b)).collect::<Result<_>>()? }
        }
        ExprKind::Member { expr, name } => ExprKind::Member { expr: go(expr)?, name: name.clone() },
        ExprKind::Index { expr, index } => ExprKind::Index { expr: go(expr)?, index: go(index)? },
        ExprKind::NamedArg { name, value } => ExprKind::NamedArg { name: name.clone(), value: go(value)? },
        other => other.clone(),
    };
    Ok(Expr { kind, span: e.span })
}
