//! The clauses tabular operators share or are made of: named expressions,
//! sort keys, column patterns, join conditions, `union` legs, `parse` patterns,
//! `make-series`, `parse-kv`, `top-nested` and `search` parts.

use super::{Expr, Ident, TabularExpr};
use crate::data::DataType;
use crate::kql::span::Span;

/// An expression with an optional output name (`Name = expr`).
#[derive(Clone, Debug, PartialEq)]
pub struct NamedExpr {
    /// The output name(s); `(a, b) = f(...)` gives several.
    pub names: Vec<Ident>,
    /// The expression.
    pub expr: Expr,
}

/// A sort key.
#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    /// What to sort by.
    pub expr: Expr,
    /// `desc` (the default for `sort`/`order`/`top`) vs `asc`.
    pub descending: bool,
    /// `nulls first` / `nulls last`; `None` = the default for the direction.
    pub nulls_first: Option<bool>,
}

/// A column name or wildcard pattern (`Name`, `Init*`, `*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnPattern {
    /// The pattern text; `*` matches any run of characters.
    pub pattern: String,
    /// Where it is written.
    pub span: Span,
}

/// Join kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinKind {
    /// `innerunique` (the default: left side de-duplicated on the keys)
    InnerUnique,
    /// `inner`
    Inner,
    /// `leftouter`
    LeftOuter,
    /// `rightouter`
    RightOuter,
    /// `fullouter`
    FullOuter,
    /// `leftanti` (`anti`, `leftantisemi`)
    LeftAnti,
    /// `rightanti` (`rightantisemi`)
    RightAnti,
    /// `leftsemi`
    LeftSemi,
    /// `rightsemi`
    RightSemi,
}

/// One join condition.
#[derive(Clone, Debug, PartialEq)]
pub enum JoinOn {
    /// `on Col` — same name on both sides.
    Column(Ident),
    /// `on $left.a == $right.b` (either order as written).
    Equal {
        /// The left side's column expression.
        left: Ident,
        /// The right side's column expression.
        right: Ident,
    },
}

/// `union [kind=inner|outer] [withsource=Col] [isfuzzy=true] T1, T2*, (expr)`
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    /// `kind=inner` (only common columns); default outer.
    pub inner: bool,
    /// `withsource=Name`
    pub with_source: Option<Ident>,
    /// `isfuzzy=true`: missing tables are skipped.
    pub is_fuzzy: bool,
    /// The legs: names (possibly with `*` wildcards) or tabular expressions.
    pub legs: Vec<UnionLeg>,
}

/// One leg of a union.
#[derive(Clone, Debug, PartialEq)]
pub enum UnionLeg {
    /// A table name or wildcard pattern (`Device*Events`).
    Pattern(ColumnPattern),
    /// A parenthesized tabular expression or a let name.
    Expr(TabularExpr),
}

/// One piece of a `parse` pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum ParsePart {
    /// A string literal to match.
    Literal(String),
    /// A column to extract, with an optional type (`Col:long`).
    Column(Ident, Option<DataType>),
    /// `*`: skip any text.
    Star,
}

/// `parse` flavours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParseKind {
    /// `kind=simple` (default)
    Simple,
    /// `kind=regex`
    Regex,
    /// `kind=relaxed`
    Relaxed,
}

/// One aggregate of `make-series`.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesAgg {
    /// Output name and aggregate call.
    pub agg: NamedExpr,
    /// `default = value` for empty bins (0 when absent).
    pub default: Option<Expr>,
}

/// `parse-kv`: the text, the keys to extract and how pairs are delimited.
#[derive(Clone, Debug, PartialEq)]
pub struct ParseKv {
    /// The text to parse.
    pub expr: Expr,
    /// The keys to extract, each with its column type.
    pub keys: Vec<(Ident, DataType)>,
    /// `pair_delimiter=`
    pub pair_delimiter: Option<String>,
    /// `kv_delimiter=`
    pub kv_delimiter: Option<String>,
    /// `quote=`: (opening, closing) characters, one pair per option.
    pub quotes: Vec<(char, char)>,
    /// `escape=` characters.
    pub escapes: Vec<char>,
    /// `greedy=true`: an unquoted value runs to the next key.
    pub greedy: bool,
    /// `regex=`: a pattern whose two groups are the key and the value.
    pub regex: Option<String>,
}

/// One `top-nested [N] of Expr [with others = C] by Agg [asc|desc]` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct TopNestedLevel {
    /// `N`: how many values to keep (all when absent).
    pub count: Option<Expr>,
    /// The value to group by.
    pub of: NamedExpr,
    /// `with others = C`: the value of the row that aggregates the rest.
    pub others: Option<Expr>,
    /// The aggregate that ranks the values.
    pub by: NamedExpr,
    /// `desc` (the default) vs `asc`.
    pub descending: bool,
}

/// A `search` operator or source (search-operator.md).
#[derive(Clone, Debug, PartialEq)]
pub struct Search {
    /// `kind=case_sensitive`.
    pub case_sensitive: bool,
    /// `in (T1, T2*)`: the tables searched (none after a pipe = the input).
    pub tables: Vec<ColumnPattern>,
    /// The predicate.
    pub predicate: SearchPred,
    /// Where it is written.
    pub span: Span,
}

/// A `search` predicate.
#[derive(Clone, Debug, PartialEq)]
pub enum SearchPred {
    /// `"term"` (with `*` wildcards) over every column, or `Col:"term"` over one.
    Term {
        /// `Col:` when given.
        column: Option<Ident>,
        /// The term as written.
        term: String,
    },
    /// Any other boolean expression over the columns.
    Expr(Expr),
    /// `a and b`
    And(Box<SearchPred>, Box<SearchPred>),
    /// `a or b`
    Or(Box<SearchPred>, Box<SearchPred>),
    /// `not(a)`
    Not(Box<SearchPred>),
}
