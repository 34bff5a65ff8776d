//! What a query runs against: the tables, the clock, offline data, limits,
//! cancellation — and the `let` scopes while it runs.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::data::{DataType, Database, Value};
use crate::kql::ast::FunctionDef;

use super::frame::Frame;
use super::vals::Vals;

/// Bounds that keep a hostile or runaway query from exhausting the machine.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Most rows any operator may produce (a join or mv-expand past it fails).
    pub max_rows: usize,
    /// Deepest nesting of user function calls.
    pub max_call_depth: usize,
    /// Approximate bytes the memory-hungry operators (join, lookup,
    /// summarize, mv-expand, make-series) may allocate in one query, all
    /// together; `None` is unbounded.
    pub max_memory: Option<u64>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_rows: 50_000_000, max_call_depth: 64, max_memory: None }
    }
}

/// The inputs of a query run. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Session {
    /// The loaded tables.
    pub db: Arc<Database>,
    /// `now()`, in ticks: pinned by the user or the wall clock at session start.
    pub now: i64,
    /// Where `externaldata` finds files (by the URL's file name).
    pub externaldata_dir: Option<PathBuf>,
    /// Whether `externaldata` may download its URLs (`--allow-network`).
    pub allow_network: bool,
    /// The folder of downloaded `externaldata` files, by URL; `None` when the
    /// user has no cache folder (then nothing is cached).
    pub externaldata_cache: Option<PathBuf>,
    /// Set to stop a running query (Ctrl-C).
    pub cancel: Arc<AtomicBool>,
    /// Resource bounds.
    pub limits: Limits,
}

impl Session {
    /// A session over `db` with the clock at `now` ticks.
    pub fn new(db: Arc<Database>, now: i64) -> Session {
        Session { db, now, ..Session::default() }
    }

    /// True once cancellation was requested.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// What a `let` name (or a function parameter) is bound to.
#[derive(Clone, Debug)]
pub enum Binding {
    /// A scalar constant.
    Scalar(Value, DataType),
    /// Per-row values (a scalar function parameter bound to a column).
    Vals(Vals),
    /// A table.
    Tabular(Frame),
    /// A user function or view.
    Function(Arc<FunctionDef>),
    /// A graph (`let g = T | make-graph ...`).
    Graph(Arc<super::graph::Graph>),
}

/// The `let` bindings in scope, innermost last.
#[derive(Clone, Debug, Default)]
pub struct Scopes {
    items: Vec<(String, Binding)>,
}

impl Scopes {
    /// Binds a name (shadowing earlier bindings).
    pub fn bind(&mut self, name: &str, b: Binding) {
        self.items.push((name.to_string(), b));
    }

    /// The innermost binding of a name.
    pub fn get(&self, name: &str) -> Option<&Binding> {
        self.items.iter().rev().find(|(n, _)| n == name).map(|(_, b)| b)
    }

    /// A marker to restore with [`Scopes::truncate`].
    pub fn mark(&self) -> usize {
        self.items.len()
    }

    /// Drops bindings made after `mark`.
    pub fn truncate(&mut self, mark: usize) {
        self.items.truncate(mark);
    }

    /// Names bound to tables (for suggestions and `union` wildcards).
    pub fn tabular_names(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter(|(_, b)| matches!(b, Binding::Tabular(_))).map(|(n, _)| n.as_str())
    }

    /// Names bound to views (`let V = view () { ... }`), which `union` wildcards include.
    pub fn view_names(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter(|(_, b)| matches!(b, Binding::Function(f) if f.is_view)).map(|(n, _)| n.as_str())
    }

    /// Names bound to scalars.
    pub fn scalar_names(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter(|(_, b)| matches!(b, Binding::Scalar(..) | Binding::Vals(_))).map(|(n, _)| n.as_str())
    }
}
