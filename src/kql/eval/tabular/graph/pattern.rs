//! Finding a pattern's matches in a graph (graph-match-operator.md):
//! backtracking over the pattern's elements, variable-length edges by a
//! depth-first walk on an explicit stack, under the `cycles=` rule.

use crate::kql::ast::{Cycles, EdgeDir, GraphMatch, Ident};
use crate::kql::error::KqlError;
use crate::kql::span::Span;

use super::model::Graph;

/// What a pattern variable is bound to in one match.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Bound {
    /// A node.
    Node(u32),
    /// A single edge.
    Edge(u32),
    /// A variable-length edge: its edges, and the nodes along it (ends included).
    Path {
        /// The edges in walk order.
        edges: Vec<u32>,
        /// The nodes visited, `edges.len() + 1` of them.
        nodes: Vec<u32>,
    },
}

/// The kind of a pattern variable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SlotKind {
    /// `(n)`
    Node,
    /// `-[e]-`
    Edge,
    /// `-[e*1..3]-`
    Path,
}

/// One edge step of the pattern between two node slots.
#[derive(Clone, Debug)]
struct Step {
    slot: usize,
    dir: EdgeDir,
    range: Option<(u32, u32)>,
    from: usize,
    to: usize,
}

#[derive(Clone, Debug)]
enum PlanOp {
    Start(usize),
    Edge(Step),
}

/// A pattern compiled to slots and a walk order.
#[derive(Clone, Debug)]
pub(super) struct Plan {
    /// Each slot's variable name (`None` when anonymous) and kind.
    pub slots: Vec<(Option<String>, SlotKind)>,
    ops: Vec<PlanOp>,
}

impl Plan {
    /// Compiles the pattern of `m`; variables named twice must be nodes.
    pub(super) fn new(m: &GraphMatch, span: Span) -> Result<Plan, KqlError> {
        let mut slots: Vec<(Option<String>, SlotKind)> = Vec::new();
        let mut ops = Vec::new();
        let slot_of = |name: &Option<Ident>, kind: SlotKind, slots: &mut Vec<(Option<String>, SlotKind)>| {
            if let Some(n) = name
                && let Some(i) = slots.iter().position(|(s, _)| s.as_deref() == Some(&n.name))
            {
                if kind != SlotKind::Node || slots[i].1 != SlotKind::Node {
                    return Err(KqlError::duplicate_name(
                        n.span,
                        format!("'{}' names two elements of the pattern; only a node may repeat", n.name),
                    ));
                }
                return Ok(i);
            }
            slots.push((name.as_ref().map(|n| n.name.clone()), kind));
            Ok(slots.len() - 1)
        };
        for path in &m.pattern {
            let mut prev = slot_of(&path.first.name, SlotKind::Node, &mut slots)?;
            ops.push(PlanOp::Start(prev));
            for (edge, node) in &path.steps {
                let kind = if edge.range.is_some() { SlotKind::Path } else { SlotKind::Edge };
                let slot = slot_of(&edge.name, kind, &mut slots)?;
                let to = slot_of(&node.name, SlotKind::Node, &mut slots)?;
                ops.push(PlanOp::Edge(Step { slot, dir: edge.dir, range: edge.range, from: prev, to }));
                prev = to;
            }
        }
        if m.shortest.is_some() && (m.pattern.len() != 1 || !slots.iter().any(|(_, k)| *k == SlotKind::Path)) {
            return Err(KqlError::semantic(
                span,
                "graph-shortest-paths takes one sequence with at least one variable-length edge (-[e*1..5]->)",
            ));
        }
        Ok(Plan { slots, ops })
    }

    /// The slot of a named variable.
    pub(super) fn slot(&self, name: &str) -> Option<(usize, SlotKind)> {
        self.slots.iter().position(|(n, _)| n.as_deref() == Some(name)).map(|i| (i, self.slots[i].1))
    }
}

/// The search state.
pub(super) struct Matcher<'a> {
    g: &'a Graph,
    plan: &'a Plan,
    cycles: Cycles,
    /// Per slot: which nodes (or edges) may bind it, from the pushed-down filter.
    pub allowed: Vec<Option<Vec<bool>>>,
    bound: Vec<Option<Bound>>,
    used: Vec<u32>,
    /// The matches found, each a binding per slot.
    pub out: Vec<Vec<Bound>>,
    limit: usize,
    span: Span,
    cancel: &'a dyn Fn() -> bool,
}

impl<'a> Matcher<'a> {
    /// A matcher that stops with an error past `limit` matches.
    pub(super) fn new(
        g: &'a Graph,
        plan: &'a Plan,
        cycles: Cycles,
        limit: usize,
        span: Span,
        cancel: &'a dyn Fn() -> bool,
    ) -> Matcher<'a> {
        let n = plan.slots.len();
        Matcher {
            g,
            plan,
            cycles,
            allowed: vec![None; n],
            bound: vec![None; n],
            used: vec![0; g.src.len()],
            out: Vec::new(),
            limit,
            span,
            cancel,
        }
    }

    /// Finds every match.
    pub(super) fn run(&mut self) -> Result<(), KqlError> {
        self.op(0)
    }

    fn ok(&self, slot: usize, item: u32) -> bool {
        self.allowed[slot].as_ref().is_none_or(|a| a.get(item as usize).copied().unwrap_or(false))
    }

    fn node_of(&self, slot: usize) -> Option<u32> {
        match &self.bound[slot] {
            Some(Bound::Node(n)) => Some(*n),
            _ => None,
        }
    }

    fn op(&mut self, i: usize) -> Result<(), KqlError> {
        let Some(op) = self.plan.ops.get(i) else {
            if self.out.len() >= self.limit {
                return Err(KqlError::too_many_rows(
                    self.span,
                    format!("the pattern has more than {} matches; narrow it with where", self.limit),
                ));
            }
            if self.out.len().is_multiple_of(4096) && (self.cancel)() {
                return Err(KqlError::cancelled(self.span, "cancelled"));
            }
            self.out.push(self.bound.iter().map(|b| b.clone().unwrap_or(Bound::Node(0))).collect());
            return Ok(());
        };
        match op.clone() {
            PlanOp::Start(slot) => {
                if self.bound[slot].is_some() {
                    return self.op(i + 1);
                }
                for n in 0..self.g.node_count() as u32 {
                    if self.ok(slot, n) {
                        self.bound[slot] = Some(Bound::Node(n));
                        self.op(i + 1)?;
                    }
                }
                self.bound[slot] = None;
                Ok(())
            }
            PlanOp::Edge(step) => {
                let Some(from) = self.node_of(step.from) else { return Ok(()) };
                match step.range {
                    None => self.single(i, &step, from),
                    Some((min, max)) => self.path(i, &step, from, min, max),
                }
            }
        }
    }

    /// Edges usable from `n` in direction `dir`, with the node each leads to.
    fn adjacent(&self, n: u32, dir: EdgeDir) -> Vec<(u32, u32)> {
        let g = self.g;
        let mut out = Vec::new();
        if matches!(dir, EdgeDir::Right | EdgeDir::Any) {
            out.extend(g.out_edges[n as usize].iter().map(|&e| (e, g.dst[e as usize])));
        }
        if matches!(dir, EdgeDir::Left | EdgeDir::Any) {
            let self_loop = |e: u32| dir == EdgeDir::Any && g.src[e as usize] == g.dst[e as usize];
            out.extend(g.in_edges[n as usize].iter().filter(|&&e| !self_loop(e)).map(|&e| (e, g.src[e as usize])));
        }
        out
    }

    /// Binds the step's end node to `m` (or checks it) and goes on.
    fn arrive(&mut self, i: usize, to: usize, m: u32) -> Result<(), KqlError> {
        match self.node_of(to) {
            Some(b) if b == m => self.op(i + 1),
            Some(_) => Ok(()),
            None if self.ok(to, m) => {
                self.bound[to] = Some(Bound::Node(m));
                let r = self.op(i + 1);
                self.bound[to] = None;
                r
            }
            None => Ok(()),
        }
    }

    fn single(&mut self, i: usize, step: &Step, from: u32) -> Result<(), KqlError> {
        for (e, m) in self.adjacent(from, step.dir) {
            if !self.ok(step.slot, e) || (self.cycles == Cycles::UniqueEdges && self.used[e as usize] > 0) {
                continue;
            }
            self.bound[step.slot] = Some(Bound::Edge(e));
            self.used[e as usize] += 1;
            let r = self.arrive(i, step.to, m);
            self.used[e as usize] -= 1;
            r?;
        }
        self.bound[step.slot] = None;
        Ok(())
    }

    fn path(&mut self, i: usize, step: &Step, from: u32, min: u32, max: u32) -> Result<(), KqlError> {
        let (mut edges, mut nodes) = (Vec::new(), vec![from]);
        if min == 0 {
            self.emit_path(i, step, &edges, &nodes)?;
        }
        if max == 0 {
            return Ok(());
        }
        let mut stack = vec![(self.adjacent(from, step.dir), 0usize)];
        while let Some((adj, pos)) = stack.last_mut() {
            let Some(&(e, m)) = adj.get(*pos) else {
                stack.pop();
                if let Some(e) = edges.pop() {
                    nodes.pop();
                    self.used[e as usize] -= 1;
                }
                continue;
            };
            *pos += 1;
            if (self.cycles == Cycles::UniqueEdges && self.used[e as usize] > 0)
                || (self.cycles == Cycles::None && nodes.contains(&m))
            {
                continue;
            }
            edges.push(e);
            nodes.push(m);
            self.used[e as usize] += 1;
            if edges.len() as u32 >= min {
                self.emit_path(i, step, &edges, &nodes)?;
            }
            if (edges.len() as u32) < max {
                let next = self.adjacent(m, step.dir);
                stack.push((next, 0));
            } else {
                edges.pop();
                nodes.pop();
                self.used[e as usize] -= 1;
            }
        }
        self.bound[step.slot] = None;
        Ok(())
    }

    fn emit_path(&mut self, i: usize, step: &Step, edges: &[u32], nodes: &[u32]) -> Result<(), KqlError> {
        let end = nodes.last().copied().unwrap_or(0);
        self.bound[step.slot] = Some(Bound::Path { edges: edges.to_vec(), nodes: nodes.to_vec() });
        self.arrive(i, step.to, end)
    }
}
