//! The evaluator: runs a parsed query over the loaded tables.
//!
//! Tabular operators work on [`Frame`]s; scalar expressions evaluate
//! column-at-a-time into [`Vals`]. [`Staged`] runs a query's pipeline in
//! stages: up to an operator, then on over a subset of those rows, or a filter
//! over them (how `rules` and `hunt` apply exclusions at a rule's hit point).

pub mod aggregates;
mod bag_columns;
mod calls;
mod column_ifexists;
pub mod convert;
mod expr;
pub mod frame;
pub mod functions;
pub mod graph;
mod named_args;
pub mod ops;
pub mod regexes;
pub mod session;
pub mod staged;
mod tabular;
mod ticks;
pub mod vals;
mod window;

use std::sync::Arc;

use crate::kql::ast::{Expr, ExprKind, Ident, LetValue, Query, Source, Statement, TabularExpr};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

pub use frame::Frame;
pub use session::{Binding, Limits, Session};
pub use staged::Staged;
pub use tabular::sort::{order, sort_by_column};
pub use vals::Vals;

use functions::FnCtx;
use session::Scopes;

/// Evaluation result.
pub type Result<T> = std::result::Result<T, KqlError>;

/// Deepest expression nesting the evaluator follows (the parser has its own bound).
const MAX_DEPTH: usize = 512;

/// Runs queries against a [`Session`]. One evaluator per query run.
#[derive(Debug)]
pub struct Evaluator {
    session: Session,
    scopes: Scopes,
    fnctx: FnCtx,
    depth: usize,
    call_depth: usize,
    notes: Vec<String>,
    /// Known tables read with no events loaded (each once, in order).
    unloaded: Vec<String>,
    /// Bytes charged so far against `Limits::max_memory`.
    mem_used: u64,
}

impl Evaluator {
    /// A fresh evaluator.
    pub fn new(session: Session) -> Evaluator {
        let fnctx = FnCtx { now: session.now, ..FnCtx::default() };
        Evaluator {
            session,
            scopes: Scopes::default(),
            fnctx,
            depth: 0,
            call_depth: 0,
            notes: Vec::new(),
            unloaded: Vec::new(),
            mem_used: 0,
        }
    }

    /// The session it runs against.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Notes for the user (e.g. `render` ignored), in order.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The known tables the query read that have no events loaded: they
    /// read as empty, so no rows from them says nothing about the data.
    pub fn unloaded_tables(&self) -> &[String] {
        &self.unloaded
    }

    /// Runs every statement and returns the result of the last one.
    pub fn run(&mut self, q: &Query) -> Result<Frame> {
        self.mem_used = 0;
        let main = self.prepare(q)?;
        let frame = self.tabular(&main)?.resolve_lazy();
        self.lazy_ok(frame)
    }

    /// `frame`, unless a lazy column read on the way could not be decoded
    /// (its file changed since the load): then that error, never the nulls
    /// the column read as.
    pub(crate) fn lazy_ok<T>(&self, value: T) -> Result<T> {
        match self.session.db.lazy_failure() {
            Some(e) => Err(KqlError::runtime(crate::kql::span::Span::default(), e.to_string())),
            None => Ok(value),
        }
    }

    /// Runs the `let` statements and returns the final tabular expression
    /// (a bare name `T` becomes the pipeline `T` with no operators).
    pub(crate) fn prepare(&mut self, q: &Query) -> Result<TabularExpr> {
        let mut last = None;
        let mut declared: Vec<&str> = Vec::new();
        for st in &q.statements {
            match st {
                Statement::Let { name, value, .. } => {
                    // Kusto.Language: "A variable with the name 'x' has already been declared."
                    if declared.contains(&name.name.as_str()) {
                        return Err(KqlError::duplicate_name(
                            name.span,
                            format!("'{}' is already declared by an earlier let; use a new name", name.name),
                        ));
                    }
                    declared.push(&name.name);
                    self.run_let(name, value)?
                }
                Statement::Expr(e) => last = Some(e),
            }
        }
        let Some(e) = last else {
            return Err(KqlError::semantic(q.span, "the query has no result: it ends with a 'let' statement"));
        };
        as_pipeline(e).ok_or_else(|| {
            KqlError::misplaced(e.span, "the query's result must be a table (e.g. `T | where ...`), not a scalar")
        })
    }

    /// Binds one `let`.
    pub(crate) fn run_let(&mut self, name: &Ident, value: &LetValue) -> Result<()> {
        let b = match value {
            LetValue::Function(f) => Binding::Function(Arc::new(f.clone())),
            LetValue::Expr(Expr { kind: ExprKind::Tabular(t), .. }) => match self.piped(t)? {
                tabular::graph::Piped::Graph(g) => Binding::Graph(g),
                tabular::graph::Piped::Table(f) => Binding::Tabular(f),
            },
            LetValue::Expr(e) => match self.try_tabular(e)? {
                Some(frame) => Binding::Tabular(frame),
                None => match self.scalar(e, &Frame::default())? {
                    Vals::Const(v, t) => Binding::Scalar(v, t),
                    Vals::Col { .. } => {
                        return Err(KqlError::misplaced(e.span, "a scalar 'let' cannot refer to columns"));
                    }
                },
            },
        };
        self.scopes.bind(&name.name, b);
        Ok(())
    }

    /// Evaluates `e` as a table if it denotes one (a tabular expression, a
    /// table or tabular `let` name, `materialize(...)`, a function returning
    /// a table); `None` if it is a scalar.
    pub(crate) fn try_tabular(&mut self, e: &Expr) -> Result<Option<Frame>> {
        match &e.kind {
            ExprKind::Tabular(t) => self.tabular(t).map(Some),
            ExprKind::Name(id) => match self.scopes.get(&id.name) {
                Some(Binding::Tabular(f)) => Ok(Some(f.clone())),
                Some(Binding::Function(f)) if f.params.is_empty() && self.returns_table(f) => {
                    let f = f.clone();
                    self.call_user_tabular(&f, &[], e.span).map(Some)
                }
                Some(_) => Ok(None),
                None => Ok(self.session.db.get(&id.name).map(|t| Frame::from_table(t))),
            },
            ExprKind::Call { name, args } => {
                let src = Source::Call { name: name.clone(), args: args.clone(), span: e.span };
                match &*name.name {
                    "materialize" | "table" | "view" => self.source(&src).map(Some),
                    n => match self.scopes.get(n) {
                        Some(Binding::Function(f)) if self.returns_table(f) => self.source(&src).map(Some),
                        _ => Ok(None),
                    },
                }
            }
            _ => Ok(None),
        }
    }

    /// A tabular argument (e.g. for a function's `T:(*)` parameter).
    pub(crate) fn tabular_arg(&mut self, e: &Expr) -> Result<Frame> {
        self.try_tabular(e)?.ok_or_else(|| KqlError::misplaced(e.span, "expected a table here"))
    }

    fn returns_table(&self, f: &crate::kql::ast::FunctionDef) -> bool {
        match f.body.iter().rev().find_map(|s| if let Statement::Expr(e) = s { Some(e) } else { None }) {
            Some(e) => match &e.kind {
                ExprKind::Tabular(_) => true,
                ExprKind::Name(id) => {
                    self.session.db.get(&id.name).is_some()
                        || matches!(self.scopes.get(&id.name), Some(Binding::Tabular(_)))
                        || f.params.iter().any(|p| p.dtype.is_none() && p.name.name == id.name)
                }
                ExprKind::Call { name, .. } => matches!(&*name.name, "materialize" | "table"),
                _ => false,
            },
            None => false,
        }
    }

    /// Runs `body` with extra bindings in a nested scope (a function call).
    pub(crate) fn with_call<T>(
        &mut self,
        span: Span,
        bound: Vec<(String, Binding)>,
        body: impl FnOnce(&mut Evaluator) -> Result<T>,
    ) -> Result<T> {
        if self.call_depth >= self.session.limits.max_call_depth {
            return Err(KqlError::too_deep(span, "function calls nested too deeply (recursion?)"));
        }
        let mark = self.scopes.mark();
        for (n, b) in bound {
            self.scopes.bind(&n, b);
        }
        self.call_depth += 1;
        let r = body(self);
        self.call_depth -= 1;
        self.scopes.truncate(mark);
        r
    }

    fn enter(&mut self, span: Span) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(KqlError::too_deep(span, "expression nested too deeply"));
        }
        Ok(())
    }

    fn check_cancel(&self, span: Span) -> Result<()> {
        if self.session.cancelled() {
            return Err(KqlError::cancelled(span, "cancelled"));
        }
        Ok(())
    }
}

/// The final expression as a pipeline, if it is tabular by syntax or a name.
fn as_pipeline(e: &Expr) -> Option<TabularExpr> {
    match &e.kind {
        ExprKind::Tabular(t) => Some((**t).clone()),
        ExprKind::Name(id) => Some(TabularExpr { source: Source::Name(id.clone()), ops: Vec::new(), span: e.span }),
        ExprKind::Call { name, args } => Some(TabularExpr {
            source: Source::Call { name: name.clone(), args: args.clone(), span: e.span },
            ops: Vec::new(),
            span: e.span,
        }),
        _ => None,
    }
}

/// A value as JSON, as it appears inside dynamic arrays (datetimes as ISO text).
pub(crate) fn column_json(v: &crate::data::Value) -> serde_json::Value {
    crate::data::column::value_to_json(v)
}
