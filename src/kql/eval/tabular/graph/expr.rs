//! Expressions over pattern variables (graph-match-operator.md and the graph
//! functions: all(), any(), map(), inner_nodes(), labels(), node_degree_in(),
//! node_degree_out(), node_id()). A `where`/`project` expression is rewritten
//! so each use of a variable becomes a hidden column of the match table,
//! computed once per match; the rest evaluates as ordinary KQL over it.

use crate::kql::ast::{Expr, ExprKind, Ident};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::pattern::{Plan, SlotKind};

/// Hidden column names start with this character, which no KQL name can hold.
pub(super) const HIDDEN: char = '\u{1}';
/// Hidden node/edge property: labels (always empty for make-graph graphs).
pub(super) const LABELS: &str = "\u{1}labels";
/// Hidden node property: in-degree.
pub(super) const DEG_IN: &str = "\u{1}in";
/// Hidden node property: out-degree.
pub(super) const DEG_OUT: &str = "\u{1}out";
/// Hidden node property: the node id.
pub(super) const NODE_ID: &str = "\u{1}nodeid";

/// The element list an all()/any()/map() walks.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct ElemList {
    /// The variable's slot.
    pub slot: usize,
    /// `inner_nodes(e)` rather than `e`'s edges.
    pub inner: bool,
}

/// A value computed per match.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Derived {
    /// `v.prop` (a dynamic array over a variable-length edge).
    Prop(usize, String),
    /// `v` itself: a property bag (an array of bags for a variable-length edge).
    Whole(usize),
    /// `labels(v)`, `node_degree_in(v)`, `node_degree_out(v)`, `node_id(v)`: a hidden property.
    Hidden(usize, &'static str),
    /// `inner_nodes(e)` as a value: an array of node property bags.
    InnerNodes(usize),
    /// `all(list, p)`, `any(list, p)`, `map(list, x)`; the body is in element context.
    Elem(ElemFn, ElemList, Expr),
}

/// The element-wise graph functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ElemFn {
    /// `all()`
    All,
    /// `any()`
    Any,
    /// `map()`
    Map,
}

/// Rewrites expressions over a plan's variables, collecting the derived columns.
pub(super) struct Rewriter<'a> {
    plan: &'a Plan,
    /// The derived values, in first-use order; column `i` is named [`derived_name`]`(i)`.
    pub derived: Vec<Derived>,
    /// Where each derived value is first used (for errors).
    pub spans: Vec<Span>,
}

/// The hidden column holding derived value `i`.
pub(super) fn derived_name(i: usize) -> String {
    format!("{HIDDEN}d{i}")
}

fn name_expr(name: String, like: &Expr) -> Expr {
    Expr { kind: ExprKind::Name(Ident { name, span: like.span }), span: like.span }
}

fn hidden_fn(name: &str) -> Option<&'static str> {
    Some(match name {
        "labels" => LABELS,
        "node_degree_in" => DEG_IN,
        "node_degree_out" => DEG_OUT,
        "node_id" => NODE_ID,
        _ => return None,
    })
}

impl<'a> Rewriter<'a> {
    /// A rewriter for `plan`.
    pub(super) fn new(plan: &'a Plan) -> Rewriter<'a> {
        Rewriter { plan, derived: Vec::new(), spans: Vec::new() }
    }

    fn column(&mut self, d: Derived, like: &Expr) -> Expr {
        let i = match self.derived.iter().position(|x| *x == d) {
            Some(i) => i,
            None => {
                self.derived.push(d);
                self.spans.push(like.span);
                self.derived.len() - 1
            }
        };
        name_expr(derived_name(i), like)
    }

    fn var(&self, e: &Expr) -> Option<(usize, SlotKind)> {
        match &e.kind {
            ExprKind::Name(id) => self.plan.slot(&id.name),
            _ => None,
        }
    }

    /// `e` with every variable use replaced by a derived column.
    pub(super) fn rewrite(&mut self, e: &Expr) -> Result<Expr, KqlError> {
        if let Some((slot, _)) = self.var(e) {
            return Ok(self.column(Derived::Whole(slot), e));
        }
        let kind = match &e.kind {
            ExprKind::Member { expr, name } => {
                if let Some((slot, _)) = self.var(expr) {
                    return Ok(self.column(Derived::Prop(slot, name.name.clone()), e));
                }
                ExprKind::Member { expr: Box::new(self.rewrite(expr)?), name: name.clone() }
            }
            ExprKind::Call { name, args } => return self.call(e, name, args),
            _ => return map_children(e, &mut |c| self.rewrite(c)),
        };
        Ok(Expr { kind, span: e.span })
    }

    fn call(&mut self, e: &Expr, name: &Ident, args: &[Expr]) -> Result<Expr, KqlError> {
        if let Some(hidden) = hidden_fn(&name.name) {
            let [arg] = args else {
                return Err(KqlError::semantic(
                    e.span,
                    format!("{}() without an argument works only inside all(), any() or map()", name.name),
                ));
            };
            let Some((slot, kind)) = self.var(arg) else {
                return Err(KqlError::semantic(arg.span, format!("{}() takes a pattern variable", name.name)));
            };
            if hidden != LABELS && kind != SlotKind::Node {
                return Err(KqlError::semantic(arg.span, format!("{}() takes a node variable", name.name)));
            }
            return Ok(self.column(Derived::Hidden(slot, hidden), e));
        }
        let elem = match name.name.as_str() {
            "all" => Some(ElemFn::All),
            "any" => Some(ElemFn::Any),
            "map" => Some(ElemFn::Map),
            _ => None,
        };
        if name.name == "inner_nodes" {
            let list = self.elem_list(e, args.first())?;
            return Ok(self.column(Derived::InnerNodes(list.slot), e));
        }
        // all()/any() with other arguments are not graph functions (e.g. an aggregate name).
        if let (Some(f), [list, body]) = (elem, args) {
            let list = self.elem_list(e, Some(list))?;
            let body = element_body(body)?;
            return Ok(self.column(Derived::Elem(f, list, body), e));
        }
        let args = args.iter().map(|a| self.rewrite(a)).collect::<Result<Vec<_>, _>>()?;
        Ok(Expr { kind: ExprKind::Call { name: name.clone(), args }, span: e.span })
    }

    /// The list argument of all()/any()/map(): `e` or `inner_nodes(e)`.
    fn elem_list(&self, call: &Expr, arg: Option<&Expr>) -> Result<ElemList, KqlError> {
        let Some(arg) = arg else {
            return Err(KqlError::semantic(call.span, "expected a variable-length edge argument"));
        };
        let (inner, var) = match &arg.kind {
            ExprKind::Call { name, args } if name.name == "inner_nodes" && args.len() == 1 => (true, &args[0]),
            _ => (false, arg),
        };
        match self.var(var) {
            Some((slot, SlotKind::Path | SlotKind::Edge)) => Ok(ElemList { slot, inner }),
            _ => Err(KqlError::semantic(var.span, "expected an edge variable of the pattern (e in -[e*1..3]->)")),
        }
    }
}

/// The body of all()/any()/map(): element properties by bare name, and
/// `labels()`, `node_degree_in()`, `node_degree_out()`, `node_id()` of the element.
fn element_body(e: &Expr) -> Result<Expr, KqlError> {
    if let ExprKind::Call { name, args } = &e.kind
        && let (Some(hidden), true) = (hidden_fn(&name.name), args.is_empty())
    {
        return Ok(name_expr(hidden.to_string(), e));
    }
    map_children(e, &mut element_body)
}

/// `e` with each direct sub-expression replaced by `f` of it.
fn map_children(e: &Expr, f: &mut dyn FnMut(&Expr) -> Result<Expr, KqlError>) -> Result<Expr, KqlError> {
    let mut one = |x: &Expr| f(x).map(Box::new);
    let kind = match &e.kind {
        ExprKind::Unary { op, expr } => ExprKind::Unary { op: *op, expr: one(expr)? },
        ExprKind::Binary { op, left, right } => ExprKind::Binary { op: *op, left: one(left)?, right: one(right)? },
        ExprKind::Chain { first, rest } => {
            let first = one(first)?;
            let rest = rest.iter().map(|(op, x)| Ok((*op, *one(x)?))).collect::<Result<Vec<_>, KqlError>>()?;
            ExprKind::Chain { first, rest }
        }
        ExprKind::List { op, expr, items } => {
            let expr = one(expr)?;
            let items = items.iter().map(|x| Ok(*one(x)?)).collect::<Result<Vec<_>, KqlError>>()?;
            ExprKind::List { op: *op, expr, items }
        }
        ExprKind::Between { expr, low, high, negated } => {
            ExprKind::Between { expr: one(expr)?, low: one(low)?, high: one(high)?, negated: *negated }
        }
        ExprKind::Call { name, args } => {
            let args = args.iter().map(|x| Ok(*one(x)?)).collect::<Result<Vec<_>, KqlError>>()?;
            ExprKind::Call { name: name.clone(), args }
        }
        ExprKind::Member { expr, name } => ExprKind::Member { expr: one(expr)?, name: name.clone() },
        ExprKind::Index { expr, index } => ExprKind::Index { expr: one(expr)?, index: one(index)? },
        ExprKind::NamedArg { name, value } => ExprKind::NamedArg { name: name.clone(), value: one(value)? },
        other => other.clone(),
    };
    Ok(Expr { kind, span: e.span })
}

/// The variables an expression uses (by slot), or `None` when it uses one
/// inside all()/any()/map()/inner_nodes() or as a whole value (not pushable
/// to a per-node filter).
pub(super) fn single_var_uses(plan: &Plan, e: &Expr, out: &mut Vec<usize>) -> bool {
    match &e.kind {
        ExprKind::Name(id) => plan.slot(&id.name).is_none(),
        ExprKind::Member { expr, .. } => {
            if let ExprKind::Name(id) = &expr.kind
                && let Some((slot, _)) = plan.slot(&id.name)
            {
                out.push(slot);
                return true;
            }
            single_var_uses(plan, expr, out)
        }
        ExprKind::Call { name, args } => match name.name.as_str() {
            "all" | "any" | "map" | "inner_nodes" => false,
            n if hidden_fn(n).is_some() => match args.as_slice() {
                [Expr { kind: ExprKind::Name(id), .. }] => match plan.slot(&id.name) {
                    Some((slot, _)) => {
                        out.push(slot);
                        true
                    }
                    None => false,
                },
                _ => false,
            },
            _ => args.iter().all(|a| single_var_uses(plan, a, out)),
        },
        _ => {
            let mut ok = true;
            let _ = map_children(e, &mut |c| {
                ok &= single_var_uses(plan, c, out);
                Ok(c.clone())
            });
            ok
        }
    }
}

/// `e` over one node's (or edge's) own properties: `v.p` becomes `p`,
/// `labels(v)` and the degree/id functions their hidden columns.
pub(super) fn for_single(plan: &Plan, e: &Expr) -> Result<Expr, KqlError> {
    match &e.kind {
        ExprKind::Member { expr, name } if matches!(&expr.kind, ExprKind::Name(id) if plan.slot(&id.name).is_some()) => {
            Ok(name_expr(name.name.clone(), e))
        }
        ExprKind::Call { name, args } if hidden_fn(&name.name).is_some() && args.len() == 1 => {
            Ok(name_expr(hidden_fn(&name.name).unwrap_or(LABELS).to_string(), e))
        }
        _ => map_children(e, &mut |c| for_single(plan, c)),
    }
}
