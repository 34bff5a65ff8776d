//! The graph operators: `make-graph`, `graph-match`, `graph-shortest-paths`,
//! `graph-to-table` and `graph-mark-components` (make-graph-operator.md,
//! graph-match-operator.md, graph-shortest-paths-operator.md,
//! graph-to-table-operator.md, graph-mark-components-operator.md).

use super::{PResult, Parser};
use crate::kql::ast::{
    Cycles, EdgeDir, GraphMatch, GraphTableOut, GraphToTable, Ident, MakeGraph, MarkComponents, OpKind, PatternEdge,
    PatternNode, PatternPath,
};
use crate::kql::error::KqlError;
use crate::kql::lexer::{Sym, TokenKind};

impl Parser<'_> {
    /// `make-graph Src --> Dst [with_node_id=N] [with T on Id, ...] [partitioned-by Col (op)]`
    pub(super) fn make_graph(&mut self) -> PResult<OpKind> {
        let source = self.ident("the source node id column after 'make-graph'")?;
        self.expect_sym(Sym::Minus, "in '-->' between the source and target columns")?;
        self.expect_sym(Sym::Minus, "in '-->' between the source and target columns")?;
        self.expect_sym(Sym::Gt, "in '-->' between the source and target columns")?;
        let target = self.ident("the target node id column after '-->'")?;
        let mut node_id = None;
        let mut nodes = Vec::new();
        if self.eat_param("with_node_id") {
            node_id = Some(self.ident("a property name after 'with_node_id='")?);
        }
        if self.eat_word("with").is_some() {
            loop {
                let table = self.tabular_operand("a nodes table after 'with'")?;
                self.expect_word("on", "after the nodes table")?;
                let id = self.ident("the node id column after 'on'")?;
                nodes.push((table, id));
                if self.eat_sym(Sym::Comma).is_none() {
                    break;
                }
            }
        }
        let mut partition = None;
        if self.at_word("partitioned") && self.nth_is_sym(1, Sym::Minus) && self.nth_is_word(2, "by") {
            self.pos += 3;
            let col = self.ident("the partition column after 'partitioned-by'")?;
            let open = self.expect_sym(Sym::LParen, "to start the graph operator of 'partitioned-by'")?;
            let op = self.nested(|p| p.operator())?;
            self.expect_close(Sym::RParen, open)?;
            partition = Some((col, Box::new(op)));
        }
        Ok(OpKind::MakeGraph(Box::new(MakeGraph { source, target, node_id, nodes, partition })))
    }

    /// `graph-match [cycles=C] pattern [where p] project ...`
    pub(super) fn graph_match(&mut self) -> PResult<OpKind> {
        let mut cycles = Cycles::UniqueEdges;
        if self.eat_param("cycles") {
            let w = self.ident("'all', 'none' or 'unique_edges' after 'cycles='")?;
            cycles = match w.name.as_str() {
                "all" => Cycles::All,
                "none" => Cycles::None,
                "unique_edges" => Cycles::UniqueEdges,
                other => {
                    return Err(KqlError::syntax(w.span, format!("unknown cycles option '{other}'"))
                        .with_help("cycles= takes all, none or unique_edges"));
                }
            };
        }
        self.graph_match_body(None, cycles)
    }

    /// `graph-shortest-paths [output=any|all] pattern [where p] project ...`
    pub(super) fn graph_shortest_paths(&mut self) -> PResult<OpKind> {
        let mut all = false;
        if self.eat_param("output") {
            let w = self.ident("'any' or 'all' after 'output='")?;
            all = match w.name.as_str() {
                "all" => true,
                "any" => false,
                other => {
                    return Err(KqlError::syntax(w.span, format!("unknown output option '{other}'"))
                        .with_help("output= takes any or all"));
                }
            };
        }
        self.graph_match_body(Some(all), Cycles::UniqueEdges)
    }

    fn graph_match_body(&mut self, shortest: Option<bool>, cycles: Cycles) -> PResult<OpKind> {
        let mut pattern = vec![self.pattern_path()?];
        while self.eat_sym(Sym::Comma).is_some() {
            pattern.push(self.pattern_path()?);
        }
        let filter = match self.eat_word("where") {
            Some(_) => Some(self.expr()?),
            None => None,
        };
        self.expect_word("project", "after the graph pattern (graph operators end with a project clause)")?;
        let project = self.named_exprs()?;
        Ok(OpKind::GraphMatch(Box::new(GraphMatch { shortest, cycles, pattern, filter, project })))
    }

    /// `(a)-[e]->(b)<--(c)...`
    fn pattern_path(&mut self) -> PResult<PatternPath> {
        let first = self.pattern_node()?;
        let mut steps = Vec::new();
        while self.at_sym(Sym::Minus) || (self.at_sym(Sym::Lt) && self.nth_is_sym(1, Sym::Minus)) {
            let edge = self.pattern_edge()?;
            steps.push((edge, self.pattern_node()?));
        }
        Ok(PatternPath { first, steps })
    }

    /// `(n)` or `()`.
    fn pattern_node(&mut self) -> PResult<PatternNode> {
        let open = self.expect_sym(Sym::LParen, "to start a pattern node '(name)'")?;
        let name = self.try_ident();
        let close = self.expect_close(Sym::RParen, open)?;
        Ok(PatternNode { name, span: open.to(close) })
    }

    /// `-[e]->`, `<-[e]-`, `-[e]-`, `-->`, `<--`, `--`, with `*min..max` inside the brackets.
    fn pattern_edge(&mut self) -> PResult<PatternEdge> {
        let start = self.span().start;
        let left = self.eat_sym(Sym::Lt).is_some();
        self.expect_sym(Sym::Minus, "in a pattern edge")?;
        let (mut name, mut range) = (None, None);
        if let Some(open) = self.eat_sym(Sym::LBracket) {
            name = self.try_ident();
            if self.eat_sym(Sym::Star).is_some() {
                let min = self.edge_bound()?;
                self.expect_sym(Sym::DotDot, "between the bounds of a variable-length edge (*min..max)")?;
                let max = self.edge_bound()?;
                if max < min {
                    return Err(KqlError::syntax(
                        self.since(start),
                        format!("a variable-length edge's maximum ({max}) is below its minimum ({min})"),
                    ));
                }
                range = Some((min, max));
            }
            self.expect_close(Sym::RBracket, open)?;
        }
        self.expect_sym(Sym::Minus, "to end a pattern edge")?;
        let right = self.eat_sym(Sym::Gt).is_some();
        let dir = match (left, right) {
            (false, true) => EdgeDir::Right,
            (true, false) => EdgeDir::Left,
            (false, false) => EdgeDir::Any,
            (true, true) => {
                return Err(KqlError::syntax(self.since(start), "a pattern edge points one way: '<-[e]-' or '-[e]->'"));
            }
        };
        Ok(PatternEdge { name, dir, range, span: self.since(start) })
    }

    /// A bound of `*min..max`: a non-negative integer literal.
    fn edge_bound(&mut self) -> PResult<u32> {
        let tok = self.peek().clone();
        match tok.kind {
            TokenKind::Long(n) if (0..=i64::from(u32::MAX)).contains(&n) => {
                self.bump();
                Ok(n as u32)
            }
            _ => Err(self.expected("a whole number (the bounds of a variable-length edge)")),
        }
    }

    /// `graph-to-table nodes [as N] [with_node_id=C] [, edges [as E] [with_source_id=S] [with_target_id=T]]`
    pub(super) fn graph_to_table(&mut self) -> PResult<OpKind> {
        let (mut nodes, mut edges, mut edges_first) = (None, None, false);
        loop {
            let what = self.ident("'nodes' or 'edges' after 'graph-to-table'")?;
            let mut out = GraphTableOut::default();
            if self.eat_word("as").is_some() {
                out.alias = Some(self.ident("a table name after 'as'")?);
            }
            match what.name.as_str() {
                "nodes" if nodes.is_none() => {
                    if self.eat_param("with_node_id") {
                        out.id = Some(self.ident("a column name after 'with_node_id='")?);
                    }
                    nodes = Some(out);
                }
                "edges" if edges.is_none() => {
                    edges_first = nodes.is_none();
                    loop {
                        if self.eat_param("with_source_id") {
                            out.id = Some(self.ident("a column name after 'with_source_id='")?);
                        } else if self.eat_param("with_target_id") {
                            out.target_id = Some(self.ident("a column name after 'with_target_id='")?);
                        } else {
                            break;
                        }
                    }
                    edges = Some(out);
                }
                _ => return Err(dup_or_unknown(&what)),
            }
            if self.eat_sym(Sym::Comma).is_none() {
                break;
            }
        }
        Ok(OpKind::GraphToTable(Box::new(GraphToTable { nodes, edges, edges_first })))
    }

    /// `graph-mark-components [kind=weak|strong] [with_component_id=Name]`
    pub(super) fn graph_mark_components(&mut self) -> PResult<OpKind> {
        let (mut strong, mut id) = (false, None);
        loop {
            if self.eat_param("kind") {
                let w = self.ident("'weak' or 'strong' after 'kind='")?;
                strong = match w.name.as_str() {
                    "weak" => false,
                    "strong" => true,
                    other => return Err(KqlError::syntax(w.span, format!("unknown component kind '{other}'"))),
                };
            } else if self.eat_param("with_component_id") {
                id = Some(self.ident("a property name after 'with_component_id='")?);
            } else {
                break;
            }
        }
        Ok(OpKind::GraphMarkComponents(MarkComponents { strong, id }))
    }
}

fn dup_or_unknown(what: &Ident) -> KqlError {
    match what.name.as_str() {
        "nodes" | "edges" => KqlError::syntax(what.span, format!("'{}' is asked for twice", what.name)),
        other => KqlError::syntax(what.span, format!("expected 'nodes' or 'edges', found '{other}'")),
    }
}
