//! Aggregation functions for `summarize` and `make-series`.

use crate::data::{DataType, Value};

/// Running state of one aggregate over one group.
pub trait Accumulator {
    /// Adds one row's argument values (already evaluated, in call order).
    fn add(&mut self, args: &[Value]);
    /// The aggregate's value for the rows added so far.
    fn finish(&self) -> Value;
}

/// An aggregation function.
pub struct AggFn {
    /// Canonical name (`make_set`).
    pub name: &'static str,
    /// Other accepted names (`makeset`).
    pub aliases: &'static [&'static str],
    /// Prefix of the default output column name: `count` gives `count_`,
    /// `set` with column `X` gives `set_X`.
    pub prefix: &'static str,
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments.
    pub max_args: usize,
    /// The result type for the argument types.
    pub return_type: fn(&[DataType]) -> Result<DataType, String>,
    /// A fresh accumulator for the argument types. Constant arguments (e.g.
    /// `make_set`'s size limit, `percentile`'s percentage) arrive as values in
    /// every `add` call.
    pub new: fn(&[DataType]) -> Box<dyn Accumulator>,
}

impl std::fmt::Debug for AggFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AggFn").field("name", &self.name).finish()
    }
}

/// Looks up an aggregation function by name or alias.
pub fn lookup(name: &str) -> Option<&'static AggFn> {
    registry().iter().find(|f| f.name == name || f.aliases.contains(&name))
}

/// Every aggregation function (`arg_max`/`arg_min` are handled by `summarize` itself).
pub fn registry() -> &'static [AggFn] {
    &[]
}
