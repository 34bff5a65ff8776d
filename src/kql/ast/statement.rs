//! Statements of a query or function body: `let` bindings, user functions
//! and views, and the query as a whole.

use super::{Expr, Ident};
use crate::data::DataType;
use crate::kql::span::Span;

/// A whole query text: `let` statements and one final tabular expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// Statements in order; the last `Statement::Expr` is the result.
    pub statements: Vec<Statement>,
    /// The whole text.
    pub span: Span,
}

/// One statement of a query or function body (separated by `;`).
#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    /// `let name = value`
    Let {
        /// The bound name.
        name: Ident,
        /// What it is bound to.
        value: LetValue,
        /// The whole statement.
        span: Span,
    },
    /// An expression statement (the query's result when last).
    Expr(Expr),
}

/// The right-hand side of a `let`.
#[derive(Clone, Debug, PartialEq)]
pub enum LetValue {
    /// A scalar or tabular expression (`5d`, `dynamic([...])`, `T | where ...`).
    Expr(Expr),
    /// A user function or view: `(x:string) { ... }` / `view () { ... }`.
    Function(FunctionDef),
}

/// A user-defined function or view.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    /// Declared parameters.
    pub params: Vec<Param>,
    /// Body statements; the last `Statement::Expr` is the result.
    pub body: Vec<Statement>,
    /// True for `view () { ... }`.
    pub is_view: bool,
    /// The definition text.
    pub span: Span,
}

/// A function parameter `name: type [= default]`; tabular parameters are `(*)`-typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Parameter name.
    pub name: Ident,
    /// Scalar type, or `None` for a tabular parameter (`T:(*)`, `T:(a:string)`).
    pub dtype: Option<DataType>,
    /// Default value.
    pub default: Option<Expr>,
}
