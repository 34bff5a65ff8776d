//! The graph value that flows between graph operators (built by `make-graph`
//! in `tabular::graph`); kept here so `let` bindings can hold one.

use std::sync::Arc;

use crate::data::{Column, Value};

use super::frame::Frame;

/// A graph: node and edge property tables plus adjacency.
#[derive(Debug, Clone)]
pub struct Graph {
    /// One row per node: its properties.
    pub nodes: Frame,
    /// One row per edge: its properties (the edge rows as given).
    pub edges: Frame,
    /// The node property that holds the id (`with_node_id=`, or the first nodes table's key).
    pub id_name: String,
    /// Each node's id.
    pub ids: Vec<Value>,
    /// Each edge's source node.
    pub src: Vec<u32>,
    /// Each edge's target node.
    pub dst: Vec<u32>,
    /// Edges leaving each node, in edge order.
    pub out_edges: Vec<Vec<u32>>,
    /// Edges entering each node, in edge order.
    pub in_edges: Vec<Vec<u32>>,
}

impl Graph {
    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// The same graph with a node property set (added last, or replaced).
    pub fn with_node_property(&self, name: &str, col: Arc<Column>) -> Graph {
        let mut g = self.clone();
        g.nodes.set_column(name, col);
        g
    }
}
