//! Syntax of the graph operators: `make-graph`, `graph-match`,
//! `graph-shortest-paths`, `graph-to-table` and `graph-mark-components`
//! (make-graph-operator.md, graph-match-operator.md and their siblings).

use super::{Ident, NamedExpr, Op, TabularExpr};
use crate::kql::span::Span;

/// `make-graph Src --> Dst [with_node_id=N] [with T1 on Id1, T2 on Id2] [partitioned-by P (op)]`.
#[derive(Clone, Debug, PartialEq)]
pub struct MakeGraph {
    /// The edge column holding each edge's source node id.
    pub source: Ident,
    /// The edge column holding each edge's target node id.
    pub target: Ident,
    /// `with_node_id=Name`: the node property that holds the node id.
    pub node_id: Option<Ident>,
    /// `with Nodes on Id, ...`: node tables and their id columns.
    pub nodes: Vec<(TabularExpr, Ident)>,
    /// `partitioned-by Col ( graph operator )`.
    pub partition: Option<(Ident, Box<Op>)>,
}

/// How a pattern edge is directed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EdgeDir {
    /// `-[e]->` / `-->`: left to right.
    Right,
    /// `<-[e]-` / `<--`: right to left.
    Left,
    /// `-[e]-` / `--`: either way.
    Any,
}

/// A node element of a pattern: `(n)` or `()`.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternNode {
    /// The variable name; `None` for `()`.
    pub name: Option<Ident>,
    /// Where it is written.
    pub span: Span,
}

/// An edge element of a pattern: `-[e]->`, `-[e*1..3]-`, `<--`.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternEdge {
    /// The variable name; `None` when anonymous.
    pub name: Option<Ident>,
    /// The direction.
    pub dir: EdgeDir,
    /// `*min..max` of a variable-length edge; `None` for a single edge.
    pub range: Option<(u32, u32)>,
    /// Where it is written.
    pub span: Span,
}

/// One comma-separated sequence of a pattern: a node, then (edge, node) steps.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternPath {
    /// The first node.
    pub first: PatternNode,
    /// Each further edge and the node it leads to.
    pub steps: Vec<(PatternEdge, PatternNode)>,
}

/// `cycles=` of `graph-match`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cycles {
    /// `unique_edges` (the default): no edge twice in one match.
    UniqueEdges,
    /// `all`: edges and nodes may repeat.
    All,
    /// `none`: no node twice along a variable-length edge.
    None,
}

/// `graph-match` and `graph-shortest-paths`: a pattern, a filter and the output columns.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphMatch {
    /// `Some(all)` for `graph-shortest-paths [output=any|all]`; `None` for `graph-match`.
    pub shortest: Option<bool>,
    /// `cycles=` (graph-match only).
    pub cycles: Cycles,
    /// The comma-separated sequences.
    pub pattern: Vec<PatternPath>,
    /// `where` constraints over the pattern's variables.
    pub filter: Option<super::Expr>,
    /// `project` output columns.
    pub project: Vec<NamedExpr>,
}

/// One output of `graph-to-table`: `nodes [as N] [with_node_id=C]` or
/// `edges [as E] [with_source_id=S] [with_target_id=T]`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct GraphTableOut {
    /// `as Name`: the table is also bound to this name.
    pub alias: Option<Ident>,
    /// `with_node_id=` (nodes) or `with_source_id=` (edges): a column of node hashes.
    pub id: Option<Ident>,
    /// `with_target_id=` (edges only).
    pub target_id: Option<Ident>,
}

/// `graph-to-table nodes ..., edges ...` (either or both, in written order).
#[derive(Clone, Debug, PartialEq)]
pub struct GraphToTable {
    /// The nodes output, when asked for.
    pub nodes: Option<GraphTableOut>,
    /// The edges output, when asked for.
    pub edges: Option<GraphTableOut>,
    /// True when `edges` is written before `nodes`.
    pub edges_first: bool,
}

/// `graph-mark-components [kind=weak|strong] [with_component_id=Name]`.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkComponents {
    /// `kind=strong`.
    pub strong: bool,
    /// The property to write (`ComponentId` when absent).
    pub id: Option<Ident>,
}
