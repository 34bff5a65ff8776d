//! Scalar expressions: names, literals, operators and calls.

use super::TabularExpr;
use crate::data::DataType;
use crate::kql::span::Span;

/// A name: a column, table, `let` binding or function. `['quoted name']` is unquoted here.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name as written (unquoted).
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// An expression (scalar or tabular).
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Its source text.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A literal value.
    Literal(Literal),
    /// A name: column, `let` binding, table or parameterless function.
    Name(Ident),
    /// `-x`, `+x`
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        expr: Box<Expr>,
    },
    /// `a op b`
    Binary {
        /// The operator.
        op: BinOp,
        /// Left operand.
        left: Box<Expr>,
        /// Right operand.
        right: Box<Expr>,
    },
    /// `a or b or c`, `a + b - c`: three or more operands joined left to right
    /// by operators of one precedence level (`or`; `and`; `+ -`; `* / %`).
    /// It means what the nested binaries `((a op b) op c)` mean, but is held
    /// flat, so a chain of thousands of terms costs no nesting depth to parse,
    /// evaluate or print.
    Chain {
        /// The first operand.
        first: Box<Expr>,
        /// Each further operator and its operand, in order.
        rest: Vec<(BinOp, Expr)>,
    },
    /// `x in (...)`, `x has_any (...)`, ... ; items may be literals, dynamic arrays or a tabular expression.
    List {
        /// The operator.
        op: ListOp,
        /// Left operand.
        expr: Box<Expr>,
        /// The list.
        items: Vec<Expr>,
    },
    /// `x between (low .. high)` / `x !between (...)`
    Between {
        /// The tested value.
        expr: Box<Expr>,
        /// Lower bound (inclusive).
        low: Box<Expr>,
        /// Upper bound (inclusive); a timespan when `low` is a datetime means `low + high`.
        high: Box<Expr>,
        /// `!between`
        negated: bool,
    },
    /// A function call `f(a, b)` (scalar, aggregate, or user function).
    Call {
        /// The function name.
        name: Ident,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `expr.name` (dynamic property, or `$left.col` / `$right.col` in join conditions).
    Member {
        /// The object.
        expr: Box<Expr>,
        /// The property.
        name: Ident,
    },
    /// `expr[index]` (dynamic array index or property by string).
    Index {
        /// The object.
        expr: Box<Expr>,
        /// The index or key.
        index: Box<Expr>,
    },
    /// `*` as an argument: `count(*)`? no — `arg_max(x, *)`, `distinct *`.
    Star,
    /// `$left` / `$right` in a join condition.
    JoinSide(JoinSide),
    /// A tabular expression in expression position: `(T | where ...)`, `toscalar(...)` argument, a `let` body.
    Tabular(Box<TabularExpr>),
    /// `name = value` as a call argument (`bag_unpack(d, ignoredProperties=dynamic([...]))`).
    NamedArg {
        /// The parameter's name.
        name: Ident,
        /// The argument.
        value: Box<Expr>,
    },
}

/// Literal values.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `true` / `false`
    Bool(bool),
    /// `int(5)`
    Int(i32),
    /// `5`, `long(5)`
    Long(i64),
    /// `5.0`, `real(5)`, `1e3`
    Real(f64),
    /// `"text"`, `'text'`, `@"verbatim"`, `h"hidden"`
    String(String),
    /// `datetime(2026-11-20T10:00:00Z)`, as ticks
    DateTime(i64),
    /// `5d`, `time(1h)`, as ticks
    Timespan(i64),
    /// `guid(...)`
    Guid(String),
    /// `dynamic([...])` / `dynamic({...})` / `dynamic(null)`
    Dynamic(serde_json::Value),
    /// A typed null: `long(null)`, `datetime(null)`, ...
    Null(DataType),
    /// `decimal(1.5)`, `decimal(1e5)`
    Decimal(crate::data::Decimal),
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Plus,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `and`
    And,
    /// `or`
    Or,
    /// `==`
    Eq,
    /// `!=` / `<>`
    Ne,
    /// `=~`
    EqCi,
    /// `!~`
    NeCi,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// A string operator (`has`, `!contains_cs`, `matches regex`, ...).
    Str(StrCmp),
}

/// A string comparison operator with its case and negation flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrCmp {
    /// The operation.
    pub op: StrOp,
    /// The `_cs` form (always true for `matches regex`).
    pub case_sensitive: bool,
    /// The `!` form.
    pub negated: bool,
}

/// The string operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StrOp {
    /// `has` (term match)
    Has,
    /// `hasprefix` (term prefix)
    HasPrefix,
    /// `hassuffix` (term suffix)
    HasSuffix,
    /// `contains` (substring)
    Contains,
    /// `startswith`
    StartsWith,
    /// `endswith`
    EndsWith,
    /// `matches regex`
    MatchesRegex,
}

/// List operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListOp {
    /// `in` / `!in` / `in~` / `!in~`
    In {
        /// `in~`
        case_insensitive: bool,
        /// `!in`
        negated: bool,
    },
    /// `has_any`
    HasAny,
    /// `has_all`
    HasAll,
}

/// `$left` or `$right`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinSide {
    /// `$left`
    Left,
    /// `$right`
    Right,
}
