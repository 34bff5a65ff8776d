//! The KQL syntax tree. Every node carries the byte span of its source text,
//! so errors can point at it and the effective KQL can be spliced into the
//! rule's own text without reformatting it.

// Syntax nodes are built once per query; boxing variants for size would only add noise.
#![allow(clippy::large_enum_variant)]

use super::span::Span;
use crate::data::DataType;

mod graph;
mod scan;
pub use graph::{
    Cycles, EdgeDir, GraphMatch, GraphTableOut, GraphToTable, MakeGraph, MarkComponents, PatternEdge, PatternNode,
    PatternPath,
};
pub use scan::{Scan, ScanDeclare, ScanOutput, ScanStep};

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

/// A tabular expression: a source and a pipeline of operators.
#[derive(Clone, Debug, PartialEq)]
pub struct TabularExpr {
    /// Where rows come from.
    pub source: Source,
    /// `| op` in order.
    pub ops: Vec<Op>,
    /// The whole expression.
    pub span: Span,
}

/// The first element of a pipeline.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A table, a tabular `let`, or a view, by name (`DeviceProcessEvents`, `T`).
    Name(Ident),
    /// A call that returns a table: user function, `materialize(...)`, `view`, `table("X")`.
    Call {
        /// The function.
        name: Ident,
        /// Arguments.
        args: Vec<Expr>,
        /// The call text.
        span: Span,
    },
    /// `datatable(a:string, b:long) [ "x", 1, ... ]`
    Datatable {
        /// Column names and types.
        columns: Vec<(Ident, DataType)>,
        /// Values, row-major.
        values: Vec<Expr>,
        /// The whole literal.
        span: Span,
    },
    /// `union ...` as the first element.
    Union(Union),
    /// `externaldata (cols) [ "url", ... ] with (...)`
    ExternalData {
        /// Column names and types.
        columns: Vec<(Ident, DataType)>,
        /// URL expressions.
        urls: Vec<Expr>,
        /// `with (format="csv", ignoreFirstRecord=true, ...)` properties.
        properties: Vec<(Ident, Expr)>,
        /// The whole expression.
        span: Span,
    },
    /// `print a = 1, b = "x"`
    Print(Vec<NamedExpr>, Span),
    /// `range x from a to b step c`
    Range {
        /// Column name.
        name: Ident,
        /// Start value.
        from: Expr,
        /// End value (inclusive).
        to: Expr,
        /// Step.
        step: Expr,
        /// The whole expression.
        span: Span,
    },
    /// `( tabular )`
    Paren(Box<TabularExpr>),
    /// `search ...` as the first element (every table, or `in (...)`).
    Search(Search),
}

/// One `| operator` of a pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Op {
    /// The operator.
    pub kind: OpKind,
    /// From the operator keyword to the end of its arguments (the `|` excluded).
    pub span: Span,
}

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

/// The tabular operators.
#[derive(Clone, Debug, PartialEq)]
pub enum OpKind {
    /// `where p` / `filter p`
    Where(Expr),
    /// `project a, b = expr`
    Project(Vec<NamedExpr>),
    /// `project-away a, b*`
    ProjectAway(Vec<ColumnPattern>),
    /// `project-keep a, b*`
    ProjectKeep(Vec<ColumnPattern>),
    /// `project-by-names spec, ...`: the columns that constant strings,
    /// wildcard patterns or dynamic arrays of them name, in that order
    /// (project-by-names-operator.md).
    ProjectByNames(Vec<Expr>),
    /// `project-rename new = old`
    ProjectRename(Vec<(Ident, Ident)>),
    /// `project-reorder a, b* asc`
    ProjectReorder(Vec<ColumnPattern>),
    /// `extend a = expr`
    Extend(Vec<NamedExpr>),
    /// `summarize aggs by keys`
    Summarize {
        /// Aggregates, in written order.
        aggs: Vec<NamedExpr>,
        /// Group keys, in written order.
        by: Vec<NamedExpr>,
    },
    /// `count` (optionally `count as Name`)
    Count(Option<Ident>),
    /// `distinct a, b` / `distinct *`
    Distinct(Vec<Expr>),
    /// `take n` / `limit n`
    Take(Expr),
    /// `top n by key`
    Top {
        /// How many.
        count: Expr,
        /// The key.
        by: SortKey,
    },
    /// `sort by ...` / `order by ...`
    Sort(Vec<SortKey>),
    /// `join kind=K (right) on ...`
    Join {
        /// The kind.
        kind: JoinKind,
        /// The right side.
        right: TabularExpr,
        /// The conditions.
        on: Vec<JoinOn>,
    },
    /// `lookup kind=leftouter|inner (right) on ...`
    Lookup {
        /// `kind=inner` (default leftouter).
        inner: bool,
        /// The right side (dimension table).
        right: TabularExpr,
        /// The conditions.
        on: Vec<JoinOn>,
    },
    /// `union ...` inside a pipeline (the piped input is the first leg).
    Union(Union),
    /// `mv-expand [bagexpansion=...|kind=...] [with_itemindex=i] a [to typeof(t)], b = expr [limit n]`
    MvExpand {
        /// `with_itemindex=Name`: a column with each element's 0-based index.
        index: Option<Ident>,
        /// Columns or expressions to expand, with an optional cast type.
        items: Vec<(NamedExpr, Option<DataType>)>,
        /// `limit n`
        limit: Option<Expr>,
        /// `bagexpansion=array` / `kind=array`: a bag expands to `[key, value]`
        /// arrays instead of one-entry bags.
        bag_arrays: bool,
    },
    /// `parse [kind=...] expr with pattern`
    Parse {
        /// The flavour.
        kind: ParseKind,
        /// `flags=` regex flags (`kind=regex` only; empty when absent).
        flags: String,
        /// The text to parse.
        expr: Expr,
        /// The pattern.
        pattern: Vec<ParsePart>,
    },
    /// `evaluate plugin(args)` (e.g. `bag_unpack`)
    Evaluate {
        /// The plugin name.
        plugin: Ident,
        /// Its arguments.
        args: Vec<Expr>,
        /// `: (*, Name:type, ...)`: the declared output schema; `true` when it starts with `*`.
        schema: Option<(bool, Vec<(Ident, DataType)>)>,
    },
    /// `make-series aggs on axis from a to b step s by keys` (or `in range(a, b, s)`)
    MakeSeries {
        /// The aggregates.
        aggs: Vec<SeriesAgg>,
        /// The axis column.
        on: Expr,
        /// Start of the range.
        from: Option<Expr>,
        /// End of the range (exclusive).
        to: Option<Expr>,
        /// Bin size.
        step: Expr,
        /// Group keys.
        by: Vec<NamedExpr>,
    },
    /// `as Name`
    As(Ident),
    /// `serialize [a = expr, ...]`
    Serialize(Vec<NamedExpr>),
    /// `render chart [with (...)]` (kept as text; no effect on rows)
    Render(String),
    /// `invoke f(args)`
    Invoke {
        /// The function.
        name: Ident,
        /// Arguments after the implicit table.
        args: Vec<Expr>,
    },
    /// `getschema`
    GetSchema,
    /// `mv-apply [with_itemindex=i] items [limit n] on (subquery)`: the
    /// subquery runs on each row's expanded arrays (mv-apply-operator.md).
    MvApply {
        /// `with_itemindex=Name`.
        index: Option<Ident>,
        /// Arrays to expand, with an optional cast type.
        items: Vec<(NamedExpr, Option<DataType>)>,
        /// `limit n`
        limit: Option<Expr>,
        /// The subquery's operators (its implicit source is the expanded row).
        body: Vec<Op>,
    },
    /// `partition [hints] by Col (subquery)` (partition-operator.md).
    Partition {
        /// The partition key column.
        by: Expr,
        /// The subquery's operators, run on each partition.
        body: Vec<Op>,
    },
    /// `top-nested ...` levels, outermost first (top-nested-operator.md).
    TopNested(Vec<TopNestedLevel>),
    /// `parse-where ...`: a `parse` (held here) that drops the rows it cannot parse.
    ParseWhere(Box<OpKind>),
    /// `parse-kv expr as (key: type, ...) with (...)` (parse-kv-operator.md).
    ParseKv(Box<ParseKv>),
    /// `search [kind=case_sensitive] [in (T, ...)] predicate` after a pipe.
    Search(Search),
    /// `scan ... with (step ...; ...)`: sequence matching (scan-operator.md).
    Scan(Box<Scan>),
    /// `make-graph ...`: turns the edge rows into a graph (make-graph-operator.md).
    MakeGraph(Box<MakeGraph>),
    /// `graph-match ...` / `graph-shortest-paths ...`: a graph to a table of matches.
    GraphMatch(Box<GraphMatch>),
    /// `graph-to-table nodes|edges ...` (graph-to-table-operator.md).
    GraphToTable(Box<GraphToTable>),
    /// `graph-mark-components ...` (graph-mark-components-operator.md).
    GraphMarkComponents(MarkComponents),
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
