//! The graph value and `make-graph` (make-graph-operator.md): each edge row
//! becomes an edge with that row's columns as properties; each nodes-table
//! row a node; an id no nodes table names becomes a node of its id alone.

use std::collections::HashMap;
use std::sync::Arc;

use crate::data::{Column, ColumnBuilder, DataType, Value};
use crate::kql::ast::{Ident, MakeGraph};
use crate::kql::error::KqlError;
use crate::kql::eval::frame::Frame;
pub use crate::kql::eval::graph::Graph;
use crate::kql::eval::{Evaluator, Result};

/// A node id as a hash key: its type and JSON text, so `"1"` and `1` differ.
fn key(v: &Value) -> Option<String> {
    if v.is_null() {
        return None;
    }
    let tag = match v {
        Value::String(_) => 's',
        Value::Dynamic(_) => 'd',
        _ => 'n',
    };
    Some(format!("{tag}{}", crate::kql::eval::column_json(v)))
}

/// Node properties being gathered: columns in first-seen order, one value list each.
struct NodeProps {
    names: Vec<String>,
    types: Vec<DataType>,
    values: Vec<Vec<Value>>,
    rows: usize,
}

impl NodeProps {
    fn column(&mut self, name: &str, dtype: DataType) -> usize {
        if let Some(i) = self.names.iter().position(|n| n == name) {
            return i;
        }
        self.names.push(name.to_string());
        self.types.push(dtype);
        self.values.push(vec![Value::Null; self.rows]);
        self.names.len() - 1
    }

    fn add_row(&mut self) -> usize {
        for v in &mut self.values {
            v.push(Value::Null);
        }
        self.rows += 1;
        self.rows - 1
    }

    fn finish(self) -> Frame {
        let cols = self
            .names
            .into_iter()
            .zip(self.types)
            .zip(self.values)
            .map(|((name, t), vals)| (name, Arc::new(Column::from_values(t, &vals))))
            .collect();
        Frame::from_columns(cols)
    }
}

impl Evaluator {
    /// `edges | make-graph ...` (without `partitioned-by`, which the caller splits off).
    pub(crate) fn make_graph(&mut self, edges: Frame, g: &MakeGraph) -> Result<Graph> {
        let mut tables = Vec::new();
        for (t, id) in &g.nodes {
            tables.push((self.tabular(t)?, id.clone()));
        }
        build(edges, tables, g)
    }
}

fn column_of(frame: &Frame, id: &Ident, what: &str) -> Result<usize> {
    frame.index_of(&id.name).ok_or_else(|| {
        let have: Vec<&str> = frame.names().collect();
        KqlError::unknown_column(id.span, format!("{what} has no column '{}'", id.name))
            .with_help(format!("its columns are: {}", have.join(", ")))
    })
}

/// Builds a graph from edge rows and (nodes table, id column) pairs.
pub(super) fn build(edges: Frame, tables: Vec<(Frame, Ident)>, g: &MakeGraph) -> Result<Graph> {
    let si = column_of(&edges, &g.source, "the edge table")?;
    let ti = column_of(&edges, &g.target, "the edge table")?;
    let id_type = edges.cols()[si].data_type();
    let id_name = match (&g.node_id, tables.first()) {
        (Some(n), _) => n.name.clone(),
        (None, Some((_, id))) => id.name.clone(),
        (None, None) => String::new(),
    };
    let mut props = NodeProps { names: Vec::new(), types: Vec::new(), values: Vec::new(), rows: 0 };
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut ids = Vec::new();
    if !id_name.is_empty() {
        props.column(&id_name, id_type);
    }
    for (table, id) in &tables {
        let ki = column_of(table, id, "the nodes table")?;
        let cols: Vec<usize> = table.cols().iter().map(|c| props.column(&c.name, c.data_type())).collect();
        for r in 0..table.len() {
            let idv = table.value(r, ki);
            let Some(k) = key(&idv) else { continue };
            // A node named twice keeps its first properties (Kusto picks one arbitrarily).
            if index.contains_key(&k) {
                continue;
            }
            let row = props.add_row();
            index.insert(k, row as u32);
            for (c, &pc) in cols.iter().enumerate() {
                props.values[pc][row] = table.value(r, c);
            }
            if let Some(ic) = props.names.iter().position(|n| *n == id_name)
                && props.values[ic][row].is_null()
            {
                props.values[ic][row] = idv.clone();
            }
            ids.push(idv);
        }
    }
    let id_col = props.names.iter().position(|n| *n == id_name);
    let (mut src, mut dst, mut kept) = (Vec::new(), Vec::new(), Vec::new());
    for r in 0..edges.len() {
        let (a, b) = (edges.value(r, si), edges.value(r, ti));
        let (Some(ka), Some(kb)) = (key(&a), key(&b)) else { continue };
        let mut node = |k: String, v: Value| -> u32 {
            *index.entry(k).or_insert_with(|| {
                let row = props.add_row();
                if let Some(ic) = id_col {
                    props.values[ic][row] = v.clone();
                }
                ids.push(v);
                row as u32
            })
        };
        src.push(node(ka, a));
        dst.push(node(kb, b));
        kept.push(r as u32);
    }
    let edges = if kept.len() == edges.len() { edges } else { edges.take_rows(&kept) };
    let nodes = if props.names.is_empty() {
        // No property at all: keep the node count through an id column.
        let mut b = ColumnBuilder::new(id_type);
        ids.iter().for_each(|v| b.push(v));
        Frame::from_columns(vec![("\u{1}id".to_string(), Arc::new(b.finish()))])
    } else {
        props.finish()
    };
    let n = ids.len();
    let (mut out_edges, mut in_edges) = (vec![Vec::new(); n], vec![Vec::new(); n]);
    for (e, (&s, &d)) in src.iter().zip(&dst).enumerate() {
        out_edges[s as usize].push(e as u32);
        in_edges[d as usize].push(e as u32);
    }
    Ok(Graph { nodes, edges, id_name, ids, src, dst, out_edges, in_edges })
}
