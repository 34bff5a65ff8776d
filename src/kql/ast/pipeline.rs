//! Tabular expressions: a pipeline's source and its `| operator`s.

use super::{
    ColumnPattern, Expr, GraphMatch, GraphToTable, Ident, JoinKind, JoinOn, MakeGraph, MarkComponents, NamedExpr,
    ParseKind, ParseKv, ParsePart, Scan, Search, SeriesAgg, SortKey, TopNestedLevel, Union,
};
use crate::data::DataType;
use crate::kql::span::Span;

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
