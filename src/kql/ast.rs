//! The KQL syntax tree. Every node carries the byte span of its source text,
//! so errors can point at it and the effective KQL can be spliced into the
//! rule's own text without reformatting it.
//!
//! One file per concept: statements (`statement.rs`), scalar expressions
//! (`expr.rs`), tabular pipelines (`pipeline.rs`), the clauses operators are
//! made of (`clauses.rs`), and the `scan` and graph operators (`scan.rs`,
//! `graph.rs`). Every node is re-exported here, so callers name `ast::X`.

// Syntax nodes are built once per query; boxing variants for size would only add noise.
#![allow(clippy::large_enum_variant)]

mod clauses;
mod expr;
mod graph;
mod pipeline;
mod scan;
mod statement;

pub use clauses::{
    ColumnPattern, JoinKind, JoinOn, NamedExpr, ParseKind, ParseKv, ParsePart, Search, SearchPred, SeriesAgg, SortKey,
    TopNestedLevel, Union, UnionLeg,
};
pub use expr::{BinOp, Expr, ExprKind, Ident, JoinSide, ListOp, Literal, StrCmp, StrOp, UnaryOp};
pub use graph::{
    Cycles, EdgeDir, GraphMatch, GraphTableOut, GraphToTable, MakeGraph, MarkComponents, PatternEdge, PatternNode,
    PatternPath,
};
pub use pipeline::{Op, OpKind, Source, TabularExpr};
pub use scan::{Scan, ScanDeclare, ScanOutput, ScanStep};
pub use statement::{FunctionDef, LetValue, Param, Query, Statement};
